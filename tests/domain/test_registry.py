"""Finding units and groups the way clerks type them."""

from __future__ import annotations

import pytest

from kehoach.errors import InputError
from kehoach.store.tracker import open_tracker
from support.paths import SHIPPED_DATA


@pytest.fixture(scope="module")
def registry():
    return open_tracker(SHIPPED_DATA).registry


@pytest.mark.parametrize("typed", ["so-tu-phap", "so tu phap", "Sở Tư pháp", "SỞ TƯ PHÁP", "STP", "stp",
                                   "Sở TP", "Sở Tư pháp"])
def test_unit_by_id_name_or_abbreviation(registry, typed: str):
    assert registry.find_unit(typed).id == "so-tu-phap"


def test_nfd_input_finds_the_unit(registry):
    assert registry.find_unit("So\u031b\u0309 Tu\u031b pha\u0301p").id == "so-tu-phap"


def test_a_unique_word_match_is_enough(registry):
    assert registry.find_unit("UBND xã Nga Sơn").id == "ubnd-xa-nga-son"
    assert registry.find_unit("Hạc Thành").id == "ubnd-phuong-hac-thanh"


def test_ambiguous_name_lists_candidates(registry):
    with pytest.raises(InputError) as caught:
        registry.find_unit("nga son")
    assert str(caught.value) == ("'nga son' khớp với nhiều đơn vị: ubnd-huyen-nga-son (UBND huyện Nga Sơn); "
                                 "ubnd-xa-nga-son (UBND xã Nga Sơn). Hãy dùng mã đơn vị.")


def test_unknown_unit(registry):
    with pytest.raises(InputError) as caught:
        registry.find_unit("Sở Vũ trụ")
    assert str(caught.value) == "không tìm thấy đơn vị 'Sở Vũ trụ'. Xem danh sách đơn vị: kehoach units"


def test_diacritics_typed_are_respected_in_search(registry):
    assert all(u.name.startswith("Sở") for u in registry.search("Sở"))
    assert {u.id for u in registry.search("Sơn")} >= {"ubnd-xa-nga-son", "ubnd-huyen-nga-son"}


def test_group_lookup(registry):
    assert registry.find_group("các sở").id == "cac-so"
    assert registry.find_group("ubnd cap xa").id == "ubnd-cap-xa"
    with pytest.raises(InputError, match="không tìm thấy nhóm 'bộ'"):
        registry.find_group("bộ")


def test_responsible_remembered_per_era_equals_asking_afresh():
    """`responsible` remembers its answer per era of the units' start and end dates; on every day around
    the 2025 mergers the remembered answer is the one a registry asked for the first time gives."""
    import datetime as dt

    from kehoach.domain.registry import Registry

    tracker = open_tracker(SHIPPED_DATA)
    registry = tracker.registry
    edges = {u.start for u in registry.units.values() if u.start} | {
        u.until for u in registry.units.values() if u.until}
    days = sorted({edge + dt.timedelta(days=k) for edge in edges for k in (-1, 0, 1, 2)})
    assert len(days) > 8
    for day in days:
        for task in tracker.plan.tasks:
            afresh = Registry(registry.units, registry.groups).responsible(task, day)
            assert [u.id for u in registry.responsible(task, day)] == [u.id for u in afresh], (task.id, day)
