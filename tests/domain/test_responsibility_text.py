"""The responsibility text of a plan read into phrases with roles, resolved against the units."""

from __future__ import annotations

from pathlib import Path

import pytest
from hypothesis import given
from hypothesis import strategies as st

from kehoach.domain.registry import Registry
from kehoach.domain.responsibility_text import UnitNames, read_responsibility
from kehoach.domain.text import fold
from kehoach.store.tracker import open_tracker
from support.paths import SHIPPED_DATA


@pytest.fixture(scope="module")
def shipped() -> tuple[Registry, list]:
    tracker = open_tracker(Path(SHIPPED_DATA))
    return tracker.registry, list(tracker.plan.tasks)


def test_every_curated_task_reads_to_its_curated_phrases_roles_and_units(shipped: tuple[Registry, list]) -> None:
    registry, tasks = shipped
    for task in tasks:
        read = [(p.phrase, p.role, p.refs) for p in read_responsibility(task.responsibility, UnitNames(registry))]
        assert read == [(w.phrase, w.role, w.refs) for w in task.who], task.id


def read(text: str, registry: Registry) -> list[tuple[str, str, tuple[str, ...], list[bool]]]:
    phrases = read_responsibility(text, UnitNames(registry))
    return [(p.phrase, p.role, p.refs, [m.fuzzy for m in p.matches]) for p in phrases]


def test_names_without_diacritics_abbreviations_and_fuzzy_ones(shipped: tuple[Registry, list]) -> None:
    registry, _ = shipped
    assert read("So Tu phap chủ trì, phối hợp với Sở GD-ĐT và Sở Tư phap", registry) == [
        ("So Tu phap", "chu-tri", ("so-tu-phap",), [False]),
        ("Sở GD-ĐT", "phoi-hop", ("so-giao-duc-va-dao-tao",), [False]),
        ("Sở Tư phap", "phoi-hop", ("so-tu-phap",), [False])]
    assert read("Sở Tư phápp", registry) == [("Sở Tư phápp", "thuc-hien", ("so-tu-phap",), [True])]


def test_a_phrase_naming_nothing_known_is_kept_without_refs(shipped: tuple[Registry, list]) -> None:
    registry, _ = shipped
    assert read("Sở Tư pháp; Hội Luật gia tỉnh", registry) == [
        ("Sở Tư pháp", "thuc-hien", ("so-tu-phap",), [False]),
        ("Hội Luật gia tỉnh", "thuc-hien", (), [])]


def test_lead_and_partner_columns_joined_keep_their_roles(shipped: tuple[Registry, list]) -> None:
    registry, _ = shipped
    assert read("Chủ trì: Sở Nội vụ; Phối hợp: Các sở, UBND cấp xã", registry) == [
        ("Sở Nội vụ", "chu-tri", ("so-noi-vu",), [False]),
        ("Các sở", "phoi-hop", ("cac-so",), [False]),
        ("UBND cấp xã", "phoi-hop", ("ubnd-cap-xa",), [False])]


def test_a_partner_clause_ending_in_phoi_hop(shipped: tuple[Registry, list]) -> None:
    registry, _ = shipped
    assert read("Sở Tư pháp chủ trì; Sở Nội vụ phối hợp", registry) == [
        ("Sở Tư pháp", "chu-tri", ("so-tu-phap",), [False]),
        ("Sở Nội vụ", "phoi-hop", ("so-noi-vu",), [False])]

_REGISTRY = open_tracker(Path(SHIPPED_DATA)).registry
_NAMES = UnitNames(_REGISTRY)
# The province's agencies as plans name them (the communes' names open with no agency word).
_AGENCIES = sorted(u.name for u in _REGISTRY.units.values() if u.level == "tinh")


@given(st.lists(st.sampled_from(_AGENCIES), min_size=1, max_size=6, unique=True),
       st.lists(st.sampled_from([", ", " và ", "; "]), min_size=5, max_size=5))
def test_any_list_of_agencies_reads_back_to_exactly_those_agencies(names: list[str], joins: list[str]) -> None:
    text = names[0] + "".join(join + name for join, name in zip(joins, names[1:], strict=False)) + "."
    phrases = read_responsibility(text, _NAMES)
    assert all(p.phrase in text for p in phrases)
    assert [p.phrase for p in phrases] == names
    assert [p.refs for p in phrases] == [(_NAMES.exact[fold(n)][0],) for n in names]
