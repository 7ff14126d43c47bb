"""`tally` counts slots without building them: it must agree with `build_slots` on any data, and its
derived index must never be stale, never be trusted when damaged, and be safe to delete."""

from __future__ import annotations

import datetime as dt
import os
import random
import shutil
import tempfile
from pathlib import Path

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from kehoach.commands import evaluate as evaluate_module
from kehoach.commands.evaluate import tally_one as tally
from kehoach.domain.model import Category, Record, Status
from kehoach.domain.periods import deadline, periods_between
from kehoach.domain.slots import EvaluatedSlot, Scope, build_slots, count_categories
from kehoach.domain.tally import Tally, is_open
from kehoach.errors import DataFileError
from kehoach.store import slot_index
from kehoach.store.files import derived_bytes, derived_payload
from kehoach.store.records import current_records
from kehoach.store.slot_index import index_path
from kehoach.store.tracker import Tracker, open_tracker
from kehoach.store.yamlio import dump_text
from support.cli import run_cli
from support.files import write
from support.paths import SHIPPED_DATA

FIRST, LAST = dt.date(2024, 1, 1), dt.date(2027, 12, 31)


def slot_candidates(tracker: Tracker) -> list[tuple[str, str, str, dt.date]]:
    """(task, unit, period, deadline) of every slot the plan makes from 2024 to 2027, merged units included."""
    found = []
    for task in tracker.plan.tasks:
        for period in periods_between(task, FIRST, LAST):
            due = deadline(task, period)
            found += [(task.id, unit.id, period.name, due) for unit in tracker.registry.responsible(task, due)]
    return found


def random_records(tracker: Tracker, rng: random.Random) -> list[Record]:
    """A fixed, dense set of records (about two slots in three) for the index tests below."""
    records = []
    for task, unit, period, due in slot_candidates(tracker):
        if rng.random() < 0.35:
            continue
        status = rng.choice(list(Status))
        done = due + dt.timedelta(days=rng.randint(-40, 40)) if status is Status.HOAN_THANH else None
        note = "Không phát sinh trong kỳ." if status is Status.KHONG_AP_DUNG else rng.choice([None, "Đang làm."])
        records.append(Record(task, unit, period, status, done, rng.choice([None, "Báo cáo số 1/BC"]), note))
    units = sorted(tracker.registry.units)
    # The unusual: a unit that is not responsible, a task and a unit the plan does not know, a period
    # written in lower case, a slot recorded twice, a period not yet due.
    records += [
        Record("17", rng.choice(units), "2026-H1", Status.DANG_THUC_HIEN),
        Record("99", "so-tu-phap", "2026", Status.HOAN_THANH, dt.date(2026, 3, 1)),
        Record("17", "khong-co-don-vi", "2026-H1", Status.CHUA_THUC_HIEN),
        Record("17", "so-tu-phap", "2026-h1", Status.DANG_THUC_HIEN),
        Record("9", "so-tu-phap", "2028-H1", Status.DANG_THUC_HIEN),
    ]
    records += [Record(r.task, r.unit, r.period, Status.DANG_THUC_HIEN, None, "Bản ghi lặp")
                for r in rng.sample(records, 5)]
    return records


@st.composite
def drawn_records(draw: st.DrawFn, tracker: Tracker) -> list[Record]:
    """What random_records makes, drawn by hypothesis so that a failure shrinks to the fewest records:
    whole tasks recorded alike in every unit (thousands of records), a few units recorded densely (many
    records in one file), records scattered over every unit, the unusual records, slots recorded twice."""
    candidates = slot_candidates(tracker)
    by_unit: dict[str, list[tuple[str, str, str, dt.date]]] = {}
    by_task: dict[str, list[tuple[str, str, str, dt.date]]] = {}
    for candidate in candidates:
        by_unit.setdefault(candidate[1], []).append(candidate)
        by_task.setdefault(candidate[0], []).append(candidate)

    def values() -> tuple[Status, int, str | None, str | None]:
        status = draw(st.sampled_from(list(Status)))
        days = draw(st.integers(-40, 40)) if status is Status.HOAN_THANH else 0
        note = ("Không phát sinh trong kỳ." if status is Status.KHONG_AP_DUNG
                else draw(st.sampled_from([None, "Đang làm."])))
        return status, days, draw(st.sampled_from([None, "Báo cáo số 1/BC"])), note

    def one(task: str, unit: str, period: str, due: dt.date,
            drawn: tuple[Status, int, str | None, str | None] | None = None) -> Record:
        status, days, evidence, note = drawn or values()
        done = due + dt.timedelta(days=days) if status is Status.HOAN_THANH else None
        return Record(task, unit, period, status, done, evidence, note)

    records = []
    for task in draw(st.lists(st.sampled_from(sorted(by_task)), max_size=3, unique=True)):
        alike = values()
        records += [one(*candidate, alike) for candidate in by_task[task]]
    for unit in draw(st.lists(st.sampled_from(sorted(by_unit)), max_size=5, unique=True)):
        records += [one(*candidate) for candidate in by_unit[unit] if draw(st.booleans())]
    records += [one(*candidate) for candidate in draw(st.lists(st.sampled_from(candidates), min_size=1, max_size=60))]
    # The unusual, as in random_records, each there or not.
    unusual = [
        Record("17", draw(st.sampled_from(sorted(tracker.registry.units))), "2026-H1", Status.DANG_THUC_HIEN),
        Record("99", "so-tu-phap", "2026", Status.HOAN_THANH, dt.date(2026, 3, 1)),
        Record("17", "khong-co-don-vi", "2026-H1", Status.CHUA_THUC_HIEN),
        Record("17", "so-tu-phap", "2026-h1", Status.DANG_THUC_HIEN),
        Record("9", "so-tu-phap", "2028-H1", Status.DANG_THUC_HIEN),
    ]
    records += [r for r in unusual if draw(st.booleans())]
    if records:
        twice = draw(st.lists(st.sampled_from(records), max_size=5))
        records += [Record(r.task, r.unit, r.period, Status.DANG_THUC_HIEN, None, "Bản ghi lặp") for r in twice]
    return records


def fresh_tracker(tmp_path: Path) -> Path:
    """A copy of the shipped data outside git, in a new folder: one for each hypothesis example."""
    root = Path(tempfile.mkdtemp(prefix="vi-du-", dir=tmp_path))
    (root / "data" / "status").mkdir(parents=True)
    for name in ("plan.yaml", "units.yaml"):
        shutil.copy(SHIPPED_DATA / name, root / "data" / name)
    return root


def write_records(data: Path, records: list[Record]) -> None:
    by_file: dict[Path, list[Record]] = {}
    for r in records:
        year = r.period[:4]
        by_file.setdefault(data / "status" / year / f"{r.unit}.yaml", []).append(r)
    for path, items in by_file.items():
        write(path, dump_text({"records": [r.as_yaml() for r in items]}))


def expected(tracker: Tracker, scope: Scope, as_of: dt.date) -> tuple[dict, list]:  # type: ignore[type-arg]
    items = build_slots(tracker.definitions, scope, current_records(tracker.status_dir), as_of)
    return count_categories(items), sorted_items([i for i in items if is_open(i)])


def sorted_items(items: list[EvaluatedSlot]) -> list[tuple]:  # type: ignore[type-arg]
    def key(i: EvaluatedSlot) -> tuple:  # type: ignore[type-arg]
        source = i.record.source if i.record else None
        return (i.slot.task.id, i.slot.unit.id, i.slot.period.name, i.slot.deadline, i.slot.window_start,
                i.category.value, i.days_late, repr(i.record), repr(source))
    return sorted(key(i) for i in items)


def scopes(tracker: Tracker, as_of: dt.date) -> list[Scope]:
    horizon = as_of + dt.timedelta(days=30)
    group = {u.id for u in tracker.registry.units.values() if "cac-so" in u.groups}
    return [
        Scope(last=horizon),
        Scope(),
        Scope(units=frozenset({"so-tu-phap"}), last=horizon),
        Scope(units=frozenset(group), last=horizon),
        Scope(first=FIRST, last=horizon),
        Scope(tasks=frozenset({"17", "9"}), last=horizon),
        Scope(first=dt.date(2026, 7, 1), last=dt.date(2026, 12, 31)),
    ]


@settings(max_examples=6, deadline=None)
@given(st.data())
def test_tally_agrees_with_build_slots(tmp_path: Path, data: st.DataObject) -> None:
    root = fresh_tracker(tmp_path)
    folder = root / "data"
    tracker = open_tracker(folder)
    write_records(folder, data.draw(drawn_records(tracker), label="records"))
    for as_of in (dt.date(2025, 4, 1), dt.date(2026, 6, 20), dt.date(2026, 12, 31), dt.date(2027, 9, 1)):
        for scope in scopes(tracker, as_of):
            counts, items = expected(tracker, scope, as_of)
            found = tally(open_tracker(folder), scope, as_of)
            assert found.counts == counts, (as_of, scope)
            assert sorted_items(found.open) == items, (as_of, scope)
    assert index_path(folder / "status").is_file()


@settings(max_examples=3, deadline=None)
@given(st.data())
def test_check_output_same_through_tally_and_through_every_slot(tmp_path: Path, data: st.DataObject) -> None:
    root = fresh_tracker(tmp_path)
    write_records(root / "data", data.draw(drawn_records(open_tracker(root / "data")), label="records"))
    args = ("check", "--data", str(root), "--as-of", "2026-12-31")
    fast = [run_cli(*args, "-f", fmt) for fmt in ("plain", "json")]
    with pytest.MonkeyPatch.context() as monkeypatch:
        monkeypatch.setattr(evaluate_module, "slot_groups", lambda snap: None)  # every run takes the general path
        slow = [run_cli(*args, "-f", fmt) for fmt in ("plain", "json")]
    assert [(r.exit_code, r.stdout) for r in fast] == [(r.exit_code, r.stdout) for r in slow]
    assert fast[0].exit_code == 1 and "Quá hạn:" in fast[0].stdout


SCOPE, AS_OF = Scope(last=dt.date(2026, 12, 1)), dt.date(2026, 11, 1)


def seeded(plain_tracker: Path, seed: int) -> tuple[Path, Tally]:
    """A tracker with random records, and its first tally (which writes the index)."""
    data = plain_tracker / "data"
    write_records(data, random_records(open_tracker(data), random.Random(seed)))
    return data, tally(open_tracker(data), SCOPE, AS_OF)


def same(a: Tally, b: Tally) -> bool:
    return a.counts == b.counts and sorted_items(a.open) == sorted_items(b.open)


def test_index_hit_equals_fresh_and_is_not_rewritten(plain_tracker: Path) -> None:
    data, first = seeded(plain_tracker, 4)
    path = index_path(data / "status")
    stamp = path.stat().st_mtime_ns
    assert same(tally(open_tracker(data), SCOPE, AS_OF), first)
    assert path.stat().st_mtime_ns == stamp
    shutil.rmtree(data / ".kehoach-cache")
    assert same(tally(open_tracker(data), SCOPE, AS_OF), first)


def test_change_with_same_size_and_mtime_is_counted(plain_tracker: Path) -> None:
    data = plain_tracker / "data"
    path = write(data / "status" / "2026" / "so-tu-phap.yaml",
                 "records:\n- period: 2026-H1\n  status: dang-thuc-hien\n  task: '17'\n  unit: so-tu-phap\n")
    scope, as_of = Scope(units=frozenset({"so-tu-phap"}), last=dt.date(2026, 7, 1)), dt.date(2026, 6, 20)
    before = tally(open_tracker(data), scope, as_of)
    stat = path.stat()
    path.write_text(path.read_text().replace("dang-thuc-hien", "chua-thuc-hien"), encoding="utf-8")
    os.utime(path, ns=(stat.st_atime_ns, stat.st_mtime_ns))
    assert path.stat().st_size == stat.st_size and path.stat().st_mtime_ns == stat.st_mtime_ns
    after = tally(open_tracker(data), scope, as_of)
    late = {c.value: n for c, n in after.counts.items() if n}
    assert {c.value: n for c, n in before.counts.items() if n}["dang-thuc-hien-qua-han"] == 1
    assert "dang-thuc-hien-qua-han" not in late
    assert [i.record.status.value for i in after.open if i.record] == ["chua-thuc-hien"]


def test_damaged_or_foreign_index_is_ignored_and_rebuilt(plain_tracker: Path) -> None:
    import marshal

    data, fresh = seeded(plain_tracker, 5)
    path = index_path(data / "status")
    for junk in (b"", b"\x00garbage\xff" * 40, marshal.dumps((slot_index.FORMAT, {})),
                 derived_bytes((slot_index.FORMAT + 1, b"x", {})),
                 derived_bytes((slot_index.FORMAT, b"not this data", {})),
                 derived_bytes((slot_index.FORMAT, {"2026": (b"not this data", {}), 2027: "?"}))):
        path.write_bytes(junk)
        assert same(tally(open_tracker(data), SCOPE, AS_OF), fresh)
        assert path.read_bytes() != junk


def test_broken_file_is_refused_with_the_same_problems(plain_tracker: Path) -> None:
    data = plain_tracker / "data"
    write(data / "status" / "2026" / "so-tu-phap.yaml",
          "records:\n- period: 2026-H1\n  status: xong\n  task: '17'\n  unit: so-tu-phap\n")
    for _ in range(2):  # the second run meets the index that remembers the data was broken
        with pytest.raises(DataFileError) as found:
            tally(open_tracker(data), Scope(), dt.date(2026, 7, 1))
        with pytest.raises(DataFileError) as wanted:
            current_records(open_tracker(data).status_dir)
        assert found.value.problems == wanted.value.problems


def test_period_that_does_not_parse_fails_as_before(plain_tracker: Path) -> None:
    """A period that is no period is refused when the file is read, by both paths, naming file and line."""
    data = plain_tracker / "data"
    write(data / "status" / "2026" / "so-tu-phap.yaml",
          "records:\n- period: 2026-X9\n  status: dang-thuc-hien\n  task: '17'\n  unit: so-tu-phap\n")
    tracker = open_tracker(data)
    with pytest.raises(DataFileError) as wanted:
        build_slots(tracker.definitions, Scope(), current_records(tracker.status_dir), dt.date(2026, 7, 1))
    with pytest.raises(DataFileError) as found:
        tally(open_tracker(data), Scope(), dt.date(2026, 7, 1))
    assert found.value.problems == wanted.value.problems
    assert [str(p) for p in found.value.problems] == [
        "tracker/data/status/2026/so-tu-phap.yaml:2:3: kỳ '2026-X9' không hợp lệ; dùng dạng 2026, 2026-H1, "
        "2026-H2 hoặc 2026-Q3 [period]"]


def test_a_record_before_the_tracking_start_is_counted_by_neither_path(plain_tracker: Path) -> None:
    data = plain_tracker / "data"
    write(data / "status" / "2024" / "bao-thanh-hoa.yaml",
          "records:\n- period: '2024'\n  status: khong-ap-dung\n  task: '14'\n  unit: bao-thanh-hoa\n"
          "  note: Không phát sinh.\n")
    tracker = open_tracker(data)
    as_of = dt.date(2026, 11, 27)
    scope = Scope(last=as_of + dt.timedelta(days=30))
    items = build_slots(tracker.definitions, scope, current_records(tracker.status_dir), as_of)
    counted = tally(open_tracker(data), scope, as_of)
    assert (len(items), counted.counts[Category.KHONG_AP_DUNG], sum(counted.counts.values())) == (2287, 0, 2287)
    assert same(counted, Tally(count_categories(items), [i for i in items if is_open(i)]))


def stored_parts(data: Path) -> dict[str, bytes]:
    import marshal

    version, parts = derived_payload(index_path(data / "status"))
    assert version == slot_index.FORMAT
    return {year: marshal.dumps(part) for year, part in parts.items()}


def test_a_change_rebuilds_only_its_year(plain_tracker: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    data, _ = seeded(plain_tracker, 8)
    before = stored_parts(data)
    assert sorted(before) == ["2024", "2025", "2026", "2027", "2028"]
    built: list[set[str]] = []
    build = slot_index._build
    monkeypatch.setattr(slot_index, "_build", lambda files: built.append({f.key[:4] for f in files})
                        or build(files))
    path = data / "status" / "2026" / "so-tu-phap.yaml"
    text = path.read_text(encoding="utf-8")
    assert "status: dang-thuc-hien" in text
    path.write_text(text.replace("status: dang-thuc-hien", "status: hoan-thanh\n  done_on: 2026-05-02", 1),
                    encoding="utf-8")
    tracker = open_tracker(data)
    found = tally(tracker, SCOPE, AS_OF)
    counts, items = expected(tracker, SCOPE, AS_OF)
    assert found.counts == counts and sorted_items(found.open) == items
    assert built == [{"2026"}]
    after = stored_parts(data)
    assert [year for year in sorted(before) if before[year] != after[year]] == ["2026"]
    shutil.rmtree(data / ".kehoach-cache")
    tally(open_tracker(data), SCOPE, AS_OF)
    assert built[1:] == [{"2024"}, {"2025"}, {"2026"}, {"2027"}, {"2028"}]
    assert stored_parts(data) == after  # built from nothing: the same parts


def test_a_record_filed_under_another_year_counts_as_in_every_slot(plain_tracker: Path) -> None:
    """status/2027/X.yaml holding a 2026 period: the year parts overlap, and the later file wins, as
    `current_records` has it."""
    data = plain_tracker / "data"
    write(data / "status" / "2026" / "so-tu-phap.yaml",
          "records:\n- period: 2026-H1\n  status: dang-thuc-hien\n  task: '17'\n  unit: so-tu-phap\n")
    scope, as_of = Scope(units=frozenset({"so-tu-phap"}), last=dt.date(2026, 7, 1)), dt.date(2026, 6, 20)
    first = tally(open_tracker(data), scope, as_of)
    assert {c.value: n for c, n in first.counts.items() if n}["dang-thuc-hien-qua-han"] == 1
    write(data / "status" / "2027" / "so-tu-phap.yaml",
          "records:\n- period: 2026-H1\n  status: hoan-thanh\n  done_on: 2026-06-01\n  task: '17'\n"
          "  unit: so-tu-phap\n")
    for _ in range(2):  # building the parts, then meeting them in the index
        tracker = open_tracker(data)
        found = tally(tracker, scope, as_of)
        counts, items = expected(tracker, scope, as_of)
        assert found.counts == counts and sorted_items(found.open) == items
        assert {c.value: n for c, n in found.counts.items() if n}.get("dang-thuc-hien-qua-han") is None
        assert found.counts[Category.HOAN_THANH_DUNG_HAN] == 1
