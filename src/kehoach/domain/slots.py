"""Slots (task, unit, period) derived from the plan, and their category on an as-of date.

Responsibility for a period is read on the period's deadline: the units that exist then report,
a unit that ended before it has passed its duties to its successors, a group with no members
then has no slots. Slots are computed, never stored.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable
from typing import NamedTuple

from kehoach.domain.definitions import Definitions
from kehoach.domain.model import Category, Period, Record, Slot, Status, Task, Unit
from kehoach.domain.periods import deadline, fits, parse_period, periods_between, window_start


def responsible_for(definitions: Definitions, task: Task, unit: Unit, period: Period) -> bool:
    return unit.id in definitions.registry.responsible_by_id(task, deadline(task, period))


# Enum members bound once: attribute access on an Enum class is slow, and this runs once per slot.
_NOT_STARTED, _IN_PROGRESS, _DONE, _NOT_APPLICABLE = (
    Status.CHUA_THUC_HIEN, Status.DANG_THUC_HIEN, Status.HOAN_THANH, Status.KHONG_AP_DUNG)
(_DONE_ON_TIME, _DONE_LATE, _DOING_ON_TIME, _DOING_LATE, _TODO_ON_TIME, _TODO_LATE, _CAT_NOT_APPLICABLE) = (
    Category.HOAN_THANH_DUNG_HAN, Category.HOAN_THANH_QUA_HAN, Category.DANG_THUC_HIEN_TRONG_HAN,
    Category.DANG_THUC_HIEN_QUA_HAN, Category.CHUA_THUC_HIEN_TRONG_HAN, Category.CHUA_THUC_HIEN_QUA_HAN,
    Category.KHONG_AP_DUNG)
_OVERDUE = frozenset({_DOING_LATE, _TODO_LATE})


def categorize(record: Record | None, due: dt.date, as_of: dt.date) -> Category:
    late = as_of > due
    status = record.status if record is not None else _NOT_STARTED
    if status is _NOT_STARTED:
        return _TODO_LATE if late else _TODO_ON_TIME
    if status is _NOT_APPLICABLE:
        return _CAT_NOT_APPLICABLE
    if status is _DONE:
        if record is not None and record.done_on is not None and record.done_on > due:
            return _DONE_LATE
        return _DONE_ON_TIME
    return _DOING_LATE if late else _DOING_ON_TIME


class EvaluatedSlot(NamedTuple):
    slot: Slot
    record: Record | None
    category: Category
    days_late: int
    """Days past the deadline on the as-of date for overdue slots, 0 otherwise."""
    source: str = ""
    """The tracker it came from when several are read at once (see `multi`); "" with one tracker."""


class Scope(NamedTuple):
    """Which slots a command looks at."""

    units: frozenset[str] | None = None
    tasks: frozenset[str] | None = None
    period: Period | None = None
    first: dt.date | None = None
    """Earliest deadline (default: the plan's tracking start)."""
    last: dt.date | None = None
    """Latest deadline (default: the end of the period, or the as-of date)."""


def period_contains(outer: Period, inner: Period) -> bool:
    if outer == inner:
        return True
    return outer.kind == "Y" and outer.year == inner.year


def build_slots(definitions: Definitions, scope: Scope, records: dict[tuple[str, str, str], Record],
                as_of: dt.date) -> list[EvaluatedSlot]:
    """Every slot in scope, evaluated; recorded history before the tracking start is kept too."""
    plan = definitions.plan
    registry = definitions.registry
    if scope.period is not None:
        year = scope.period.year
        first, last = dt.date(year - 1, 1, 1), dt.date(year + 1, 12, 31)
    else:
        first = scope.first or plan.tracking_start
        last = scope.last or as_of
    result: list[EvaluatedSlot] = []
    seen: set[tuple[str, str, str]] = set()
    for task in plan.tasks:
        if scope.tasks is not None and task.id not in scope.tasks:
            continue
        for period in periods_between(task, first, last):
            if scope.period is not None and not period_contains(scope.period, period):
                continue
            due = deadline(task, period)
            before_tracking = due < plan.tracking_start
            start = window_start(task.cadence, period)
            for unit in registry.responsible(task, due):
                if scope.units is not None and unit.id not in scope.units:
                    continue
                key = (task.id, unit.id, period.name)
                if before_tracking and key not in records:
                    continue  # history is shown where recorded, never invented as missing work
                seen.add(key)
                result.append(_evaluate(Slot(task, unit, period, due, start), records.get(key), as_of))
    result += _recorded_history(definitions, scope, records, seen, as_of)
    return result


def _recorded_history(definitions: Definitions, scope: Scope, records: dict[tuple[str, str, str], Record],
                      seen: set[tuple[str, str, str]], as_of: dt.date) -> Iterable[EvaluatedSlot]:
    """Slots outside the default window that have a record: history is shown, never invented."""
    extra = []
    for key, record in records.items():
        if key in seen:
            continue
        if scope.tasks is not None and record.task not in scope.tasks:
            continue
        if scope.units is not None and record.unit not in scope.units:
            continue
        task = definitions.plan.task(record.task)
        unit = definitions.registry.units.get(record.unit)
        if task is None or unit is None:
            continue
        period = parse_period(record.period)
        if not fits(task, period):
            continue
        if scope.period is not None and not period_contains(scope.period, period):
            continue
        due = deadline(task, period)
        if scope.period is None and due > (scope.last or as_of):
            continue
        if not responsible_for(definitions, task, unit, period):
            continue
        slot = Slot(task, unit, period, due, window_start(task.cadence, period))
        extra.append(_evaluate(slot, record, as_of))
    return extra


def _evaluate(slot: Slot, record: Record | None, as_of: dt.date) -> EvaluatedSlot:
    category = categorize(record, slot.deadline, as_of)
    days_late = (as_of - slot.deadline).days if category in _OVERDUE else 0
    return EvaluatedSlot(slot, record, category, days_late)


def sort_slots(slots: list[EvaluatedSlot]) -> list[EvaluatedSlot]:
    return sorted(slots, key=lambda s: (s.slot.unit.id, s.slot.task.order, s.slot.deadline))


def count_categories(slots: Iterable[EvaluatedSlot]) -> dict[Category, int]:
    counts = dict.fromkeys(Category, 0)
    for item in slots:
        counts[item.category] += 1
    return counts
