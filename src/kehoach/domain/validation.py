"""What `validate` checks beyond the form of each file: stored records against the plan and the units,
records stored twice, and abbreviations two units answer to at once. Every finding is a Problem with
its file, line and field."""

from __future__ import annotations

import datetime as dt
from collections.abc import Collection, Iterable

from kehoach.domain.definitions import Definitions
from kehoach.domain.merge import repeated_records
from kehoach.domain.model import Period, Record, Source, Task, Unit
from kehoach.domain.periods import deadline, parse_period
from kehoach.domain.registry import Registry
from kehoach.domain.rules import (
    Violation,
    period_violation,
    responsibility_violation,
    status_violations,
    tracking_violation,
)
from kehoach.domain.text import fold
from kehoach.errors import KehoachError, Problem

_EPOCH = dt.date(1900, 1, 1)
_FAR = dt.date(9999, 12, 31)


def file_hint(violation: Violation) -> str:
    """In a status file a value is fixed in its field."""
    return f"{violation.message} (trường '{violation.field}')" if violation.need else violation.message


def stored_record_problems(definitions: Definitions, records: Iterable[Record]) -> list[Problem]:
    """Every stored record that points nowhere, sits in the wrong file, breaks a status rule or repeats
    a record already seen."""
    records = list(records)
    problems: list[Problem] = []
    plans: dict[tuple[str, str], _WhatThePlanSays] = {}
    for record in records:
        problems += _record_problems(definitions, record, plans)
    for first, record in repeated_records(records):
        src = record.source or Source("?")
        where = f"{first.source.path}:{first.source.line}" if first.source else "?"
        problems.append(Problem(src.path, src.line, src.col,
                                f"bản ghi trùng cho nhiệm vụ {record.task}, đơn vị {record.unit}, kỳ "
                                f"{record.period} (đã có ở {where})"))
    return problems


# What the plan says about one (task, period), whoever recorded it: the task, the period or why it is
# wrong, and the ids of the units that answer for it. A ten-year province has 72,000 records but ~400
# of these, so each is worked out once.
_WhatThePlanSays = tuple[Task | None, Period | None, str, Collection[str]]


def _what_the_plan_says(definitions: Definitions, task_id: str, period_name: str) -> _WhatThePlanSays:
    task = definitions.plan.task(task_id)
    if task is None:
        return None, None, "", ()
    try:
        period = parse_period(period_name)
    except KehoachError as exc:
        return task, None, str(exc), ()
    if period.name != period_name:
        return task, None, f"kỳ phải viết là '{period.name}'", ()
    wrong = period_violation(task, period) or tracking_violation(definitions, task, period)
    if wrong:
        return task, None, wrong.message, ()
    return task, period, "", definitions.registry.responsible_by_id(task, deadline(task, period)).keys()


def _record_problems(definitions: Definitions, record: Record,
                     plans: dict[tuple[str, str], _WhatThePlanSays]) -> list[Problem]:
    src = record.source or Source("?")

    def problem(message: str, field: str) -> Problem:
        return Problem(src.path, src.line, src.col, message, field)

    known = plans.get((record.task, record.period))
    if known is None:
        known = plans[(record.task, record.period)] = _what_the_plan_says(definitions, record.task, record.period)
    task, period, wrong_period, responsible = known
    if task is None:
        return [problem(f"nhiệm vụ '{record.task}' không có trong kế hoạch", "task")]
    unit: Unit | None = definitions.registry.units.get(record.unit)
    if unit is None:
        return [problem(f"đơn vị '{record.unit}' không có trong danh mục đơn vị", "unit")]
    if period is None:
        return [problem(wrong_period, "period")]
    found = []
    expected = f"{period.year}/{unit.id}.yaml"
    if not src.path.replace("\\", "/").endswith(expected):  # a path shown on Windows
        found.append(problem(f"bản ghi phải nằm trong tệp status/{expected}", "unit"))
    # The rule's own check runs (and words the message) only for a record outside the known set.
    not_responsible = None if unit.id in responsible else responsibility_violation(definitions, task, unit, period)
    if not_responsible is not None:
        found.append(problem(not_responsible.message, not_responsible.field))
    for broken in status_violations(record.status, record.done_on, record.note, record.recorded_on):
        found.append(problem(file_hint(broken), broken.field))
    return found


def ambiguous_names(registry: Registry) -> list[Problem]:
    """Two units alive at the same time answering to the same abbreviation make lookups ambiguous."""
    problems = []
    owners: dict[str, list[Unit]] = {}
    for unit in registry.units.values():
        for short in unit.short:
            owners.setdefault(fold(short), []).append(unit)
    for units in owners.values():
        for index, first in enumerate(units):
            for second in units[index + 1:]:
                if _lifetimes_overlap(first, second):
                    src = second.source
                    problems.append(Problem(src.path, src.line, src.col,
                                            f"tên viết tắt trùng với đơn vị '{first.id}' cùng thời gian", "short"))
    return problems


def _lifetimes_overlap(a: Unit, b: Unit) -> bool:
    start = max(a.start or _EPOCH, b.start or _EPOCH)
    end = min(a.until or _FAR, b.until or _FAR)
    return start <= end
