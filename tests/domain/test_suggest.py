"""Suggestions for mistyped names, compared without diacritics; the living unit among namesakes."""

from __future__ import annotations

import datetime as dt

import pytest

from kehoach.domain.suggest import closest
from kehoach.errors import InputError
from kehoach.store.tracker import open_tracker
from support.paths import SHIPPED_DATA


@pytest.fixture(scope="module")
def registry():
    return open_tracker(SHIPPED_DATA).registry


@pytest.mark.parametrize(("typed", "message"), [
    ("so tu phapp", "không tìm thấy đơn vị 'so tu phapp'. Có phải: Sở Tư pháp (so-tu-phap)? Xem danh sách đơn vị: "
                    "kehoach units"),
    ("Sở Nội vụu", "không tìm thấy đơn vị 'Sở Nội vụu'. Có phải: Sở Nội vụ (so-noi-vu)? Xem danh sách đơn vị: "
                   "kehoach units"),
    ("ubnd huyen hoang hoaa", "không tìm thấy đơn vị 'ubnd huyen hoang hoaa'. Có phải: UBND huyện Hoằng Hóa "
                              "(ubnd-huyen-hoang-hoa)? Xem danh sách đơn vị: kehoach units"),
    ("xyzzy", "không tìm thấy đơn vị 'xyzzy'. Xem danh sách đơn vị: kehoach units"),
])
def test_a_typo_gets_the_closest_unit(registry, typed: str, message: str) -> None:
    with pytest.raises(InputError) as caught:
        registry.find_unit(typed)
    assert str(caught.value) == message


def test_closest_folds_diacritics_and_gives_each_value_once() -> None:
    names = [("Sở Tư pháp", "stp"), ("STP", "stp"), ("Sở Tài chính", "stc")]
    assert closest("so tu phap", names) == ["stp"]
    assert closest("SỞ TƯ PHÁPP", names) == ["stp"]
    assert closest("", names) == [] and closest("hoàn toàn khác", names) == []


def test_only_names_about_as_close_as_the_best_are_offered() -> None:
    commands = [(n, n) for n in ("report", "record", "import", "status", "check", "log")]
    assert closest("reprot", commands, limit=1) == ["report"]
    assert closest("chek", commands) == ["check"]


def test_a_name_of_a_dissolved_and_a_living_unit_means_the_living_one(registry) -> None:
    found = registry.find_unit_on("nga son", dt.date(2026, 6, 1))
    assert found.unit.id == "ubnd-xa-nga-son"
    assert found.note == ("'nga son' cũng là tên của UBND huyện Nga Sơn (ubnd-huyen-nga-son), không tồn tại vào "
                          "ngày 01/06/2026; dùng UBND xã Nga Sơn (ubnd-xa-nga-son).")
    assert registry.find_unit("Nga Sơn", on=dt.date(2025, 1, 1)).id == "ubnd-huyen-nga-son"
    with pytest.raises(InputError, match="khớp với nhiều đơn vị"):
        registry.find_unit("Nga Sơn")


@pytest.mark.parametrize(("typed", "message"), [
    ("cac-soo", "không tìm thấy nhóm 'cac-soo'. Có phải: Các sở (cac-so)? Các nhóm: cac-ban-nganh, cac-so, "
                "co-quan-bao-chi, co-quan-lien-quan, ubnd-cap-huyen, ubnd-cap-xa"),
    ("zzz", "không tìm thấy nhóm 'zzz'. Các nhóm: cac-ban-nganh, cac-so, co-quan-bao-chi, co-quan-lien-quan, "
            "ubnd-cap-huyen, ubnd-cap-xa"),
])
def test_a_group_typo_gets_the_closest_group(registry, typed: str, message: str) -> None:
    with pytest.raises(InputError) as caught:
        registry.find_group(typed)
    assert str(caught.value) == message
