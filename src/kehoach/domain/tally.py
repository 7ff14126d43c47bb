"""Counting slots by category without building one object per slot: what `check` needs at scale.

`check` counts every slot of every year (72,000 in a ten-year province) and lists only the open ones
(neither done nor "không áp dụng"): a few thousand. Building a Slot, an EvaluatedSlot and a Record
for each of the 72,000 costs most of a second; counting them does not need to.

Records come grouped by (task, period) (`store.slot_index` keeps the groups): per group the units
that recorded, a one-letter status code per unit, done_on ordinals, and the whole record only for the
open ones. Every unit of a group shares the group's deadline, so a group's counts are a few
`str.count` and a bisect; a Slot is built only for an open slot.

The rules are `slots.build_slots`'s, kept the same here: the periods come from the same
`slots.periods_in_scope`, and tests compare the two on varied data. A record for a slot that does not
exist (a period before the tracking start, a unit not responsible) is not counted by either.
"""

from __future__ import annotations

import datetime as dt
from array import array
from bisect import bisect_right
from collections.abc import Callable
from typing import Any, NamedTuple

from kehoach.domain.definitions import Definitions
from kehoach.domain.model import Category, Period, Record, Slot, Task, Unit
from kehoach.domain.periods import deadline, window_start
from kehoach.domain.slots import EvaluatedSlot, Scope, build_slots, categorize, count_categories, periods_in_scope

# One group: (units, codes, done_on ordinals aligned with units, sorted done_on of the done ones,
# {unit: (file key, record row)} of the open records). Ordinals travel as array('i') bytes; codes are
# one letter a status: c(hưa), d(ang), h(oàn thành), k(hông áp dụng).
OpenRecord = tuple[str, tuple[Any, ...]]
Group = tuple[tuple[str, ...], str, bytes, bytes, dict[str, OpenRecord]]
Groups = dict[tuple[str, str], Group]
ReadOpen = Callable[[OpenRecord], Record]
"""Makes the whole record of an open slot from its (file key, row): the index keeps rows, not records."""

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


def from_slots(definitions: Definitions, scope: Scope, as_of: dt.date,
               records: dict[tuple[str, str, str], Record]) -> Tally:
    """The general path: every slot built and evaluated."""
    items = build_slots(definitions, scope, records, as_of)
    return Tally(count_categories(items), [i for i in items if is_open(i)])


def count_groups(definitions: Definitions, scope: Scope, as_of: dt.date, groups: Groups,
                 read_open: ReadOpen, source: str = "") -> Tally:
    """The counts and open slots of `from_slots`, from the grouped index, each open slot carrying `source`
    (the plan or tracker it came from, when several are read). Raises Unusual for a scope with a period,
    which is left to `from_slots`."""
    if scope.period is not None:
        raise Unusual
    return _Counter(definitions, scope, as_of, read_open, source).run(groups)


class Unusual(Exception):
    """Data the counter leaves to the general path, so that both always agree."""


class _Counter:
    def __init__(self, definitions: Definitions, scope: Scope, as_of: dt.date, read_open: ReadOpen,
                 source: str) -> None:
        self.definitions = definitions
        self.scope = scope
        self.as_of = as_of
        self.counts = dict.fromkeys(Category, 0)
        self.open: list[EvaluatedSlot] = []
        self._record = read_open
        self._starts: dict[tuple[str, Period], dt.date] = {}
        self._source = source

    def run(self, groups: Groups) -> Tally:
        plan, registry, scope = self.definitions.plan, self.definitions.registry, self.scope
        for task in plan.tasks:
            if scope.tasks is not None and task.id not in scope.tasks:
                continue
            for period in periods_in_scope(plan, task, scope, self.as_of):
                due = deadline(task, period)
                responsible = registry.responsible_by_id(task, due)
                if scope.units is not None:
                    responsible = {uid: u for uid, u in responsible.items() if uid in scope.units}
                self._group(task, period, due, responsible, groups.get((task.id, period.name)))
        return Tally(self.counts, self.open)

    def _slot(self, task: Task, unit: Unit, period: Period, due: dt.date, record: Record | None,
              category: Category) -> None:
        days_late = (self.as_of - due).days if category.overdue else 0
        start = self._starts.get((task.id, period))
        if start is None:
            start = self._starts[(task.id, period)] = window_start(task.cadence, period)
        # Thousands of open slots across many plans: built as the tuples they are, not through NamedTuple's
        # __new__ (a Python function).
        new = tuple.__new__
        self.open.append(new(EvaluatedSlot, (new(Slot, (task, unit, period, due, start)), record, category, days_late,
                                             self._source)))

    def _group(self, task: Task, period: Period, due: dt.date, by_id: dict[str, Unit], group: Group | None,
               ) -> None:
        """One (task, period): `by_id` the units in scope that must report for it, `group` what they did."""
        late = self.as_of > due
        todo = _TODO_LATE if late else _TODO_ON_TIME
        doing = _DOING_LATE if late else _DOING_ON_TIME
        counts = self.counts
        if group is None:
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
                counts[todo] += 1
                self._slot(task, unit, period, due, None, todo)
                continue
            self._recorded(task, unit, period, due, codes[index], ordinals[index], opens)

    def _recorded(self, task: Task, unit: Unit, period: Period, due: dt.date, code: str, done_on: int,
                  opens: dict[str, OpenRecord]) -> None:
        if code == "h":
            self.counts[_DONE_LATE if done_on > due.toordinal() else _DONE_ON_TIME] += 1
        elif code == "k":
            self.counts[_NOT_APPLICABLE] += 1
        else:
            record = self._record(opens[unit.id])
            category = categorize(record, due, self.as_of)
            self.counts[category] += 1
            self._slot(task, unit, period, due, record, category)
