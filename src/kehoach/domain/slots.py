"""Slots (task, unit, period) derived from the plan, and their category on an as-of date.

Responsibility for a period is read on the period's deadline: the units that exist then report,
a unit that ended before it has passed its duties to its successors, a group with no members
then has no slots. Slots are computed, never stored.

Which periods have slots is one rule (`periods_in_scope`), used by `status`, `check` (through
`tally`) and every report: a period counts when its deadline is on or after the plan's tracking start.
A record for an earlier period is refused (`rules.slot_violation`), never counted.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable
from typing import NamedTuple

from kehoach.domain.definitions import Definitions
from kehoach.domain.model import Category, Period, Plan, Record, Slot, Status, Task, Unit
from kehoach.domain.periods import deadline, format_date, periods_between, window_start
from kehoach.errors import InputError


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


def tracked(plan: Plan, task: Task, period: Period) -> bool:
    """Whether a period of a task is tracked at all: its deadline is on or after the tracking start."""
    return deadline(task, period) >= plan.tracking_start


def periods_in_scope(plan: Plan, task: Task, scope: Scope, as_of: dt.date) -> list[Period]:
    """The task's periods that have slots in this scope, in deadline order: the scope's period (a year
    holds its half-years and quarters), or every deadline from the tracking start (or `scope.first`,
    if later) to `scope.last` (default: the as-of date). Nothing before the tracking start."""
    if scope.period is not None:
        year = scope.period.year
        around = periods_between(task, dt.date(year - 1, 1, 1), dt.date(year + 1, 12, 31))
        return [p for p in around if period_contains(scope.period, p) and tracked(plan, task, p)]
    first = max(scope.first or plan.tracking_start, plan.tracking_start)
    return periods_between(task, first, scope.last or as_of)


def scope_periods(plan: Plan, scope: Scope, as_of: dt.date) -> list[Period]:
    """Every period with slots in this scope, over the tasks in scope, by deadline (a quarter before the
    half-year and the year that end with it): what a heading names."""
    found: dict[Period, dt.date] = {}
    for task in plan.tasks:
        if scope.tasks is not None and task.id not in scope.tasks:
            continue
        for period in periods_in_scope(plan, task, scope, as_of):
            due = deadline(task, period)
            found[period] = min(due, found.get(period, due))
    return sorted(found, key=lambda p: (found[p], _kind_order(p.kind)))


def require_tracked_period(plan: Plan, period: Period) -> None:
    """A period asked for by name must have slots: one before the tracking start, or one no task of the
    plan has (a quarter in a plan of years and half-years), is refused rather than shown as zeros."""
    kinds = {rule.kind for task in plan.tasks for rule in task.cadence.periods}
    if period.kind != "Y" and period.kind not in kinds:
        names = ", ".join(Period(period.year, kind).name for kind in sorted(kinds, key=_kind_order))
        raise InputError(f"không nhiệm vụ nào của kế hoạch có kỳ {period.name}; các kỳ của năm {period.year} "
                         f"là: {names}", field="period")
    if not any(periods_in_scope(plan, task, Scope(period=period), plan.tracking_start) for task in plan.tasks):
        raise InputError(f"kỳ {period.name} ở trước ngày bắt đầu theo dõi {format_date(plan.tracking_start)} "
                         "(tracking_start trong plan.yaml): chưa có nhiệm vụ nào phải báo cáo cho kỳ này",
                         field="period")


def require_tracking_begun(plan: Plan, as_of: dt.date) -> None:
    """Counting as of a day before the tracking start would show zeros that mean nothing."""
    if as_of < plan.tracking_start:
        raise InputError(f"ngày tính {format_date(as_of)} ở trước ngày bắt đầu theo dõi "
                         f"{format_date(plan.tracking_start)} (tracking_start trong plan.yaml): chưa có kỳ nào "
                         "để tính")


def _kind_order(kind: str) -> tuple[int, str]:
    """Quarters, then half-years, then the year: the order a year's deadlines fall in."""
    return ({"Q": 0, "H": 1, "Y": 2}.get(kind[0], 3), kind)


def build_slots(definitions: Definitions, scope: Scope, records: dict[tuple[str, str, str], Record],
                as_of: dt.date) -> list[EvaluatedSlot]:
    """Every slot in scope (`periods_in_scope`, each unit responsible on the deadline), evaluated."""
    plan = definitions.plan
    registry = definitions.registry
    result: list[EvaluatedSlot] = []
    for task in plan.tasks:
        if scope.tasks is not None and task.id not in scope.tasks:
            continue
        for period in periods_in_scope(plan, task, scope, as_of):
            due = deadline(task, period)
            start = window_start(task.cadence, period)
            for unit in registry.responsible(task, due):
                if scope.units is not None and unit.id not in scope.units:
                    continue
                key = (task.id, unit.id, period.name)
                result.append(_evaluate(Slot(task, unit, period, due, start), records.get(key), as_of))
    return result


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
