"""The rules a record obeys, wherever it comes from: typed at the command line, read from a unit's
form, found in a status file, merged from two clerks. Each rule is written here once.

Messages are neutral (they name the thing, not how to type it) and carry the field they are about;
each caller adds its own hint: the command line names its option ("--done-on"), the form its column
("cột «Ngày hoàn thành»"), a status file its field ('done_on').
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable, Mapping
from typing import NamedTuple

from kehoach.domain.definitions import Definitions
from kehoach.domain.model import Period, Record, Status, Task, Unit
from kehoach.domain.periods import deadline, fits, format_date
from kehoach.domain.slots import responsible_for, tracked
from kehoach.domain.text import forbidden_character

UNKNOWN_TASK_POSITION = 10**6
"""Where a record of a task the plan does not (or no longer) hold sorts: after every known task."""


class Violation(NamedTuple):
    """One broken rule: which field, what is wrong, and `need` (what would fix it), for the caller's hint."""

    field: str
    message: str
    need: str = ""
    """'give' (the value is missing), 'drop' (the value must not be there), or '' (change the value)."""


Hints = Mapping[tuple[str, str], str]
"""(field, need) -> what to add after a violation's message to say how this input fixes it."""


def worded(violation: Violation, hints: Hints) -> str:
    return violation.message + hints.get((violation.field, violation.need), "")


def status_violations(status: Status, done_on: dt.date | None, note: str | None,
                      recorded_on: dt.date | None) -> list[Violation]:
    """A status with what it needs: a done date exactly when done, a reason when not applicable, and no
    work done after the day it was recorded."""
    found = []
    if status is Status.HOAN_THANH and done_on is None:
        found.append(Violation("done_on", "trạng thái hoàn thành cần ngày hoàn thành", "give"))
    if status is not Status.HOAN_THANH and done_on is not None:
        found.append(Violation("done_on", "chỉ trạng thái hoàn thành mới có ngày hoàn thành", "drop"))
    if status is Status.KHONG_AP_DUNG and not note:
        found.append(Violation("note", "trạng thái không áp dụng cần ghi lý do", "give"))
    if done_on is not None and recorded_on is not None and done_on > recorded_on:
        found.append(Violation("done_on", f"ngày hoàn thành {format_date(done_on)} ở sau ngày ghi nhận "
                                          f"{format_date(recorded_on)}"))
    return found


# The texts of a record a person types, with the words the office uses for them.
_TEXT_FIELDS = (("evidence", "căn cứ", False), ("note", "ghi chú", False), ("recorded_by", "người ghi nhận", True))


def text_violations(evidence: str | None, note: str | None, recorded_by: str | None) -> list[Violation]:
    """No text of a record holds a character no one types: terminal escapes (ESC), the separators that
    split git's log (U+001E, U+001F), U+FFFE/U+FFFF that break every workbook, or bytes that were not
    UTF-8. Who recorded it is one line (it becomes git's author)."""
    found = []
    for (field, label, one_line), value in zip(_TEXT_FIELDS, (evidence, note, recorded_by), strict=True):
        what = forbidden_character(value, one_line=one_line) if value else None
        if what is not None:
            found.append(Violation(field, f"{label} chứa {_undecoded(what)}, không được phép"))
    return found


def _undecoded(what: str) -> str:
    """A byte that was not UTF-8 reaches Python as a surrogate U+DC80-U+DCFF: name the byte."""
    code = int(what.rsplit("U+", 1)[1], 16)
    return f"byte không phải UTF-8 (0x{code - 0xDC00:02X})" if 0xDC80 <= code <= 0xDCFF else what


def period_violation(task: Task, period: Period) -> Violation | None:
    if fits(task, period):
        return None
    kinds = ", ".join(r.kind for r in task.cadence.periods)
    return Violation("period", f"kỳ {period.name} không thuộc chu kỳ '{task.cadence.label}' của nhiệm vụ "
                               f"{task.id} (các kỳ: {kinds})")


def tracking_violation(definitions: Definitions, task: Task, period: Period) -> Violation | None:
    """A period before the plan's tracking start has no slots (see `slots.periods_in_scope`)."""
    plan = definitions.plan
    if tracked(plan, task, period):
        return None
    return Violation("period", f"kỳ {period.name} của nhiệm vụ {task.id} có hạn {format_date(deadline(task, period))}, "
                               f"trước ngày bắt đầu theo dõi {format_date(plan.tracking_start)} của kế hoạch")


def responsibility_violation(definitions: Definitions, task: Task, unit: Unit, period: Period) -> Violation | None:
    """Responsibility is read on the period's deadline (see `slots`)."""
    if responsible_for(definitions, task, unit, period):
        return None
    due = deadline(task, period)
    if not unit.exists_on(due):
        return Violation("unit", f"{unit.name} ({unit.id}) không tồn tại vào hạn {format_date(due)} của kỳ "
                                 f"{period.name} ({_lifetime(unit)})")
    return Violation("unit", f"{unit.name} ({unit.id}) không chịu trách nhiệm nhiệm vụ {task.id} trong kỳ "
                             f"{period.name} (tính vào hạn {format_date(due)})")


def _lifetime(unit: Unit) -> str:
    if unit.start is not None and unit.until is not None:
        return f"có từ {format_date(unit.start)} đến {format_date(unit.until)}"
    if unit.start is not None:
        return f"có từ {format_date(unit.start)}"
    return f"có đến {format_date(unit.until)}"


def slot_violation(definitions: Definitions, task: Task, unit: Unit, period: Period) -> Violation | None:
    """Whether this unit reports this task for this period at all: a period of the task's cadence, on
    or after the tracking start, and the unit responsible on its deadline."""
    return (period_violation(task, period) or tracking_violation(definitions, task, period)
            or responsibility_violation(definitions, task, unit, period))


def record_order(task_positions: Mapping[str, int]) -> Callable[[Record], tuple[int, str, str]]:
    """The order of the records in a status file: plan order, then task id, then period. The writer and
    the merge driver both sort with it, so a merged file is the file `record` would write."""
    def key(record: Record) -> tuple[int, str, str]:
        return (task_positions.get(record.task, UNKNOWN_TASK_POSITION), record.task, record.period)

    return key


class UnitChoice(NamedTuple):
    """What a clerk asked for: one unit, one group, or (neither) every unit. The command line refuses
    both at once before it builds one."""

    unit: str | None = None
    group: str | None = None


def chosen_units(definitions: Definitions, choice: UnitChoice) -> frozenset[str] | None:
    """The ids of the units a choice names (None: every unit). A group's units are those listed in it
    at any time; who is responsible on a date is the slots' business."""
    registry = definitions.registry
    if choice.unit:
        return frozenset({registry.find_unit(choice.unit).id})
    if choice.group:
        return group_units(definitions, registry.find_group(choice.group).id)
    return None


def group_units(definitions: Definitions, group_id: str) -> frozenset[str]:
    return frozenset(u.id for u in definitions.registry.units.values() if group_id in u.groups)
