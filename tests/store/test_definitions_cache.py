"""The derived cache of the parsed plan and units: same objects as a fresh parse, never stale, never
trusted when damaged, never kept for data with problems, safe to delete."""

from __future__ import annotations

import os
import shutil
from pathlib import Path

import pytest

from kehoach.store import definitions_cache as definitions
from kehoach.store.files import derived_bytes, derived_payload
from kehoach.store.tracker import _parse_definitions, load_definitions
from support.cli import run_cli
from support.plans import second_plan_text


def fresh(data: Path) -> tuple:  # type: ignore[type-arg]
    plan, registry, problems = _parse_definitions(data / "units.yaml", data / "plan.yaml")
    assert registry is not None
    return plan, registry.units, registry.groups, problems


def loaded(data: Path) -> tuple:  # type: ignore[type-arg]
    plan, registry, problems = load_definitions(data)
    assert registry is not None
    return plan, registry.units, registry.groups, problems


def sources(found: tuple) -> list:  # type: ignore[type-arg]
    """Every Source in plan and units: dataclass equality compares them too, but say it outright."""
    plan, units, groups, _ = found
    return [plan.source, *(t.source for t in plan.tasks), *(w.source for t in plan.tasks for w in t.who),
            *(u.source for u in units.values()), *(g.source for g in groups.values())]


def test_cache_hit_equals_fresh_parse(plain_tracker: Path) -> None:
    data = plain_tracker / "data"
    first = loaded(data)
    path = definitions.cache_path(data)
    assert path.is_file()
    stamp = path.stat().st_mtime_ns
    second = loaded(data)
    assert first == second == fresh(data)
    assert sources(second) == sources(fresh(data))
    assert second[0].tasks[0].source.path == "tracker/data/plan.yaml"
    assert path.stat().st_mtime_ns == stamp


def test_edit_with_same_size_and_mtime_is_seen(plain_tracker: Path) -> None:
    data = plain_tracker / "data"
    loaded(data)
    plan = data / "plan.yaml"
    before = plan.stat()
    text = plan.read_text(encoding="utf-8")
    assert "tracking_start: 2026-01-01" in text
    plan.write_text(text.replace("tracking_start: 2026-01-01", "tracking_start: 2026-02-01"), encoding="utf-8")
    os.utime(plan, ns=(before.st_atime_ns, before.st_mtime_ns))
    assert plan.stat().st_size == before.st_size and plan.stat().st_mtime_ns == before.st_mtime_ns
    assert str(loaded(data)[0].tracking_start) == "2026-02-01"


def test_paths_follow_the_current_folder_from_one_entry(plain_tracker: Path, monkeypatch: pytest.MonkeyPatch,
                                                       ) -> None:
    """A clerk in the tracker's folder and a job run from elsewhere share the entry: it is not written
    again, and every Source names its file as seen from where the command runs."""
    data = plain_tracker / "data"
    loaded(data)
    path = definitions.cache_path(data)
    written = path.read_bytes()
    monkeypatch.chdir(data)
    again = loaded(data)
    assert path.read_bytes() == written
    assert again[0].source.path == "plan.yaml" and again[0].tasks[0].source.path == "plan.yaml"
    assert next(iter(again[1].values())).source.path == "units.yaml"
    assert sources(again) == sources(fresh(data))
    monkeypatch.chdir(plain_tracker.parent)
    assert sources(loaded(data)) == sources(fresh(data))
    assert loaded(data)[0].source.path == "tracker/data/plan.yaml"
    assert path.read_bytes() == written


def test_damaged_or_foreign_cache_is_ignored(plain_tracker: Path) -> None:

    data = plain_tracker / "data"
    expected = loaded(data)
    path = definitions.cache_path(data)
    key = derived_payload(path)[1]
    for junk in (b"", b"\xff" * 64, derived_bytes((definitions.FORMAT + 1, key, ())),
                 derived_bytes((definitions.FORMAT, key, (["Nope"], {}, {}))),
                 derived_bytes((definitions.FORMAT, key, ([], {}, {}))),
                 derived_bytes((definitions.FORMAT, key, ("not a plan", {}, {})))):
        path.write_bytes(junk)
        assert loaded(data) == expected


def test_data_with_problems_is_never_cached(plain_tracker: Path) -> None:
    data = plain_tracker / "data"
    units = data / "units.yaml"
    units.write_text(units.read_text(encoding="utf-8").replace("level: tinh", "level: vung", 1), encoding="utf-8")
    for _ in range(2):
        problems = load_definitions(data)[2]
        assert [p.field for p in problems] == ["level"]
    assert not definitions.cache_path(data).exists()


def test_deleting_the_cache_changes_no_output(plain_tracker: Path) -> None:
    args = ("tasks", "--data", str(plain_tracker), "--as-of", "2026-06-01", "-f", "plain")
    cold = run_cli(*args)
    warm = run_cli(*args)
    shutil.rmtree(plain_tracker / "data" / ".kehoach-cache")
    again = run_cli(*args)
    assert cold.exit_code == 0 and cold.stdout == warm.stdout == again.stdout


def test_only_model_classes_are_rebuilt() -> None:
    with pytest.raises(KeyError):
        definitions._decoder(("units.yaml", "plan.yaml"))(["Popen", "rm -rf /"])


def test_unreadable_kehoach_source_means_no_cache(plain_tracker: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    def unreadable() -> bytes:
        raise OSError("zipped")

    monkeypatch.setattr(definitions, "_code_version", unreadable)
    assert loaded(plain_tracker / "data") == fresh(plain_tracker / "data")
    assert not definitions.cache_path(plain_tracker / "data").exists()


def test_plans_of_a_tracker_share_the_units_decoded_once(plain_tracker: Path, tmp_path: Path) -> None:
    """Twenty plans, one units.yaml: its units are decoded once a process, and are what a fresh parse
    gives; another units file (another tracker, or the file edited) is decoded on its own."""
    data = plain_tracker / "data"
    second = data / "plans" / "thi-hanh-phap-luat.yaml"
    second.parent.mkdir()
    second.write_text(second_plan_text((data / "plan.yaml").read_text(encoding="utf-8"), "thpl-2026", "24/KH-UBND", 3),
                      encoding="utf-8")
    for plan_file in (None, second):  # both entries written
        load_definitions(data, plan_file)
    definitions._SHARED_UNITS.clear()
    first_plan, first_registry, _ = load_definitions(data)
    second_plan, second_registry, _ = load_definitions(data, second)
    assert first_plan is not None and second_plan is not None and first_plan.id != second_plan.id
    assert first_registry is not None and second_registry is not None
    assert second_registry.units is first_registry.units and second_registry.groups is first_registry.groups
    assert first_registry.units == fresh(data)[1]
    other = shutil.copytree(plain_tracker, tmp_path / "tinh-khac") / "data"
    units = other / "units.yaml"
    units.write_text(units.read_text(encoding="utf-8").replace("name: Sở Tư pháp", "name: Sở Tư pháp tỉnh"),
                     encoding="utf-8")
    _, edited, _ = load_definitions(other)
    _, edited_again, _ = load_definitions(other)  # from its cache: the edited units, not the first ones
    assert edited is not None and edited_again is not None and edited.units is not first_registry.units
    assert edited_again.units["so-tu-phap"].name == "Sở Tư pháp tỉnh" == edited.units["so-tu-phap"].name
