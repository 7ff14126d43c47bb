"""Counting slots by category without building one object per slot: what `check` needs at scale.

`check` counts every slot of every year (72,000 in a ten-year province) and lists only the open ones
(neither done nor "không áp dụng"): a few thousand. Building a Slot, an EvaluatedSlot and a Record
for each of the 72,000 costs most of a second; counting them does not need to.

Records are grouped by (task, period) in a derived index: per group the units that recorded, a
one-letter status code per unit, done_on ordinals, and the whole record only for the open ones.
Every unit of a group shares the group's deadline, so a group's counts are a few `str.count` and a
bisect; a Slot is built only for an open slot. The index lives in `.kehoach-cache/slots.marshal`,
one part per year folder keyed on the fingerprint of that folder's files (read and hashed in each
run, see `cache`), so it is never stale: a `record` changes one file, and the next `check` rebuilds
only that year's part from that year's files. Deleting it changes no result.

The rules are `slots.build_slots`'s, kept the same here: tests compare the two on varied data. Where
the data is unusual (a period name that does not parse), the slow path answers.
"""

from __future__ import annotations

import datetime as dt
import marshal
import os
from array import array
from bisect import bisect_right
from collections.abc import Callable
from pathlib import Path
from typing import Any, NamedTuple

from kehoach.domain.model import Category, Period, Record, Slot, Task, Unit
from kehoach.domain.periods import deadline, fits, parse_period, periods_between, window_start
from kehoach.domain.slots import EvaluatedSlot, Scope, build_slots, categorize, count_categories, responsible_for
from kehoach.errors import DataFileError, InputError
from kehoach.store.records import CACHE_DIR, Snapshot, StoredFile, _records, snapshot, write_derived
from kehoach.store.tracker import Tracker

INDEX_FILE = "slots.marshal"
FORMAT = 2
"""Bump whenever the index layout changes."""

_CODES = {"chua-thuc-hien": "c", "dang-thuc-hien": "d", "hoan-thanh": "h", "khong-ap-dung": "k"}
_OPEN = {"chua-thuc-hien", "dang-thuc-hien"}
# One group: (units, codes, done_on ordinals aligned with units, sorted done_on of the done ones,
# {unit: (file key, record row)} of the open records). Ordinals travel as array('i') bytes.
_Group = tuple[tuple[str, ...], str, bytes, bytes, dict[str, tuple[str, tuple[Any, ...]]]]
_Groups = dict[tuple[str, str], _Group]

_DONE_ON_TIME, _DONE_LATE, _DOING_ON_TIME, _DOING_LATE, _TODO_ON_TIME, _TODO_LATE, _NOT_APPLICABLE = (
    Category.HOAN_THANH_DUNG_HAN, Category.HOAN_THANH_QUA_HAN, Category.DANG_THUC_HIEN_TRONG_HAN,
    Category.DANG_THUC_HIEN_QUA_HAN, Category.CHUA_THUC_HIEN_TRONG_HAN, Category.CHUA_THUC_HIEN_QUA_HAN,
    Category.KHONG_AP_DUNG)


class Tally(NamedTuple):
    counts: dict[Category, int]
    """Slots in scope by category, every category present."""
    open: list[EvaluatedSlot]
    """The slots neither done nor "không áp dụng", in no particular order."""


def is_open(item: EvaluatedSlot) -> bool:
    return not item.category.done and item.category is not _NOT_APPLICABLE


def tally(tracker: Tracker, scope: Scope, as_of: dt.date) -> Tally:
    """The counts of `build_slots(tracker, scope, records, as_of)` and its open slots."""
    snap = snapshot(tracker.status_dir)
    groups = _index(snap)
    if groups is None or scope.period is not None:
        return _from_slots(tracker, scope, as_of, snap)
    try:
        return _Counter(tracker, scope, as_of, snap).run(groups)
    except _Unusual:
        return _from_slots(tracker, scope, as_of, snap)


def _from_slots(tracker: Tracker, scope: Scope, as_of: dt.date, snap: Snapshot) -> Tally:
    """The general path: every slot built and evaluated."""
    files = snap.files()
    problems = [p for f in files for p in f.problems]
    if problems:
        raise DataFileError(*problems)
    records = {r.key: r for f in files for r in f.records()}
    items = build_slots(tracker, scope, records, as_of)
    return Tally(count_categories(items), [i for i in items if is_open(i)])


class _Unusual(Exception):
    """Data the counter leaves to the general path, so that both always agree."""


class _Counter:
    def __init__(self, tracker: Tracker, scope: Scope, as_of: dt.date, snap: Snapshot) -> None:
        self.tracker = tracker
        self.scope = scope
        self.as_of = as_of
        self.counts = dict.fromkeys(Category, 0)
        self.open: list[EvaluatedSlot] = []
        from kehoach.store.tracker import display_path

        base = display_path(snap.status_dir)
        # The same path `cache` shows for a record's file, so messages and --format json agree.
        self.shown: Callable[[str], str] = (lambda key: key) if base == "." else (
            lambda key: os.path.join(base, key))
        self._shown: dict[str, str] = {}

    def run(self, groups: _Groups) -> Tally:
        plan, registry, scope = self.tracker.plan, self.tracker.registry, self.scope
        first = scope.first or plan.tracking_start
        last = scope.last or self.as_of
        pending = dict(groups)
        for task in plan.tasks:
            if scope.tasks is not None and task.id not in scope.tasks:
                continue
            for period in periods_between(task, first, last):
                due = deadline(task, period)
                responsible = registry.responsible_by_id(task, due)
                if scope.units is not None:
                    responsible = {uid: u for uid, u in responsible.items() if uid in scope.units}
                self._group(task, period, due, responsible, pending.pop((task.id, period.name), None),
                            before_tracking=due < plan.tracking_start)
        for (task_id, period_name), group in pending.items():
            self._history(task_id, period_name, group, last)
        return Tally(self.counts, self.open)

    def _slot(self, task: Task, unit: Unit, period: Period, due: dt.date, record: Record | None,
              category: Category) -> None:
        days_late = (self.as_of - due).days if category.overdue else 0
        slot = Slot(task, unit, period, due, window_start(task.cadence, period))
        self.open.append(EvaluatedSlot(slot, record, category, days_late))

    def _record(self, opened: tuple[str, tuple[Any, ...]]) -> Record:
        key, row = opened
        shown = self._shown.get(key)
        if shown is None:
            shown = self._shown[key] = self.shown(key)
        return _records([row], shown)[0]

    def _group(self, task: Task, period: Period, due: dt.date, by_id: dict[str, Unit], group: _Group | None,
               before_tracking: bool) -> None:
        """One (task, period): `by_id` the units in scope that must report for it, `group` what they did."""
        late = self.as_of > due
        todo = _TODO_LATE if late else _TODO_ON_TIME
        doing = _DOING_LATE if late else _DOING_ON_TIME
        counts = self.counts
        if group is None:
            if not before_tracking:  # history is shown where recorded, never invented as missing work
                counts[todo] += len(by_id)
                for unit in by_id.values():
                    self._slot(task, unit, period, due, None, todo)
            return
        units, codes, dones, done_sorted, opens = group
        recorded = set(units)
        if by_id.keys() >= recorded:
            # Every unit that recorded is one that must: the group's counts are its codes' counts.
            done = codes.count("h")
            on_time = bisect_right(array("i", done_sorted), due.toordinal())
            counts[_DONE_ON_TIME] += on_time
            counts[_DONE_LATE] += done - on_time
            counts[_NOT_APPLICABLE] += codes.count("k")
            counts[doing] += codes.count("d")
            counts[todo] += codes.count("c")
            for uid, opened in opens.items():
                record = self._record(opened)
                self._slot(task, by_id[uid], period, due, record, categorize(record, due, self.as_of))
            if not before_tracking:
                missing = by_id.keys() - recorded
                counts[todo] += len(missing)
                for uid in missing:
                    self._slot(task, by_id[uid], period, due, None, todo)
            return
        # Some unit recorded that is not responsible (or not in scope): unit by unit, as build_slots does.
        position = {uid: i for i, uid in enumerate(units)}
        ordinals = array("i", dones)
        for unit in by_id.values():
            index = position.get(unit.id)
            if index is None:
                if not before_tracking:
                    counts[todo] += 1
                    self._slot(task, unit, period, due, None, todo)
                continue
            self._recorded(task, unit, period, due, codes[index], ordinals[index], opens)

    def _recorded(self, task: Task, unit: Unit, period: Period, due: dt.date, code: str, done_on: int,
                  opens: dict[str, tuple[str, tuple[Any, ...]]]) -> None:
        if code == "h":
            self.counts[_DONE_LATE if done_on > due.toordinal() else _DONE_ON_TIME] += 1
        elif code == "k":
            self.counts[_NOT_APPLICABLE] += 1
        else:
            record = self._record(opens[unit.id])
            category = categorize(record, due, self.as_of)
            self.counts[category] += 1
            self._slot(task, unit, period, due, record, category)

    def _history(self, task_id: str, period_name: str, group: _Group, last: dt.date) -> None:
        """Records outside the window (`slots._recorded_history`): shown where the plan still holds them."""
        scope, plan, registry = self.scope, self.tracker.plan, self.tracker.registry
        if scope.tasks is not None and task_id not in scope.tasks:
            return
        task = plan.task(task_id)
        if task is None:
            return
        units, codes, dones, _, opens = group
        ordinals = array("i", dones)
        for index, uid in enumerate(units):
            if scope.units is not None and uid not in scope.units:
                continue
            unit = registry.units.get(uid)
            if unit is None:
                continue
            try:
                period = parse_period(period_name)
            except InputError:
                raise _Unusual from None  # the general path raises the same error for the same record
            if not fits(task, period):
                continue
            due = deadline(task, period)
            if due > last or not responsible_for(self.tracker, task, unit, period):
                continue
            self._recorded(task, unit, period, due, codes[index], ordinals[index], opens)


# --- the derived index -----------------------------------------------------------------------------

def index_path(status_dir: Path) -> Path:
    return status_dir.parent / CACHE_DIR / INDEX_FILE


def _index(snap: Snapshot) -> _Groups | None:
    """The groups of the data this snapshot read; None when a file has problems (commands refuse it).

    Stored by year folder: the parts of the years whose files are unchanged are reused, the others
    are built from their own files. Groups are keyed by (task, period) and a period's records live in
    its year's folder, so the parts do not overlap; when they do (a record filed under another year),
    the whole index is built from every file, in file order, as before."""
    path = index_path(snap.status_dir)
    wanted = snap.year_fingerprints
    stored = _read_index(path)
    parts = {year: stored[year][1] for year, fingerprint in wanted.items()
             if year in stored and stored[year][0] == fingerprint}
    changed = sorted(set(wanted) - set(parts))
    if changed:
        part = Snapshot(snap.status_dir, years=changed)
        by_year: dict[str, list[StoredFile]] = {year: [] for year in changed}
        for stored_file in part.files():
            by_year[stored_file.key.partition("/")[0]].append(stored_file)
        if part.resolved_year_fingerprints() != {year: wanted[year] for year in changed}:
            return _whole(snap)  # a file changed while we read it: derive from what this run saw
        for year in changed:
            files = by_year[year]
            parts[year] = None if any(f.problems for f in files) else _build(files)
        write_derived(path, (FORMAT, {year: (wanted[year], parts[year]) for year in wanted}))
    groups: _Groups = {}
    for year in sorted(parts):
        found = parts[year]
        if found is None:
            return None
        if not groups.keys().isdisjoint(found):
            return _whole(snap)
        groups.update(found)
    return groups


def _whole(snap: Snapshot) -> _Groups | None:
    files = snap.files()
    return None if any(f.problems for f in files) else _build(files)


def _read_index(path: Path) -> dict[str, tuple[bytes, _Groups | None]]:
    try:
        raw = path.read_bytes()
        version, parts = marshal.loads(raw)
    except (OSError, EOFError, ValueError, TypeError):
        return {}
    if version != FORMAT or not isinstance(parts, dict):
        return {}
    return {year: part for year, part in parts.items() if isinstance(year, str) and isinstance(part, tuple)
            and len(part) == 2 and isinstance(part[0], bytes) and (part[1] is None or isinstance(part[1], dict))}


def _build(files: list[StoredFile]) -> _Groups:
    # (task, period) -> unit -> (status, done_on ordinal, file position, record position). A later record
    # for the same slot replaces an earlier one, as `statusfiles.current_records` does.
    found: dict[tuple[str, str], dict[str, tuple[str, int, int, int]]] = {}
    wanted: dict[int, set[int]] = {}  # positions of open records, by file: their whole rows are kept
    for at, stored in enumerate(files):
        tasks, units, periods, statuses, dones, _ = stored.columns
        columns = zip(range(len(tasks)), tasks, units, periods, statuses, dones, strict=True)
        for i, task, unit, period, status, done in columns:
            group = found.get((task, period))
            if group is None:
                group = found[(task, period)] = {}
            group[unit] = (status, done, at, i)
            if status in _OPEN:
                wanted.setdefault(at, set()).add(i)
    rows = {at: dict(zip(sorted(picked), files[at].rows(picked), strict=True)) for at, picked in wanted.items()}
    groups: _Groups = {}
    for key, group in found.items():
        values = list(group.values())
        groups[key] = (
            tuple(group),
            "".join([_CODES[v[0]] for v in values]),
            array("i", [v[1] for v in values]).tobytes(),
            array("i", sorted([v[1] for v in values if v[0] == "hoan-thanh"])).tobytes(),
            {unit: (files[at].key, rows[at][i]) for unit, (status, _, at, i) in group.items() if status in _OPEN},
        )
    return groups
