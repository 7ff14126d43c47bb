"""Pure date logic: parsing dates and period names, period windows and deadlines from the plan's rules."""

from __future__ import annotations

import datetime as dt
import re
from collections.abc import Iterator

from kehoach.domain.model import Cadence, Period, Task
from kehoach.errors import InputError

_ISO = re.compile(r"^(\d{4})-(\d{1,2})-(\d{1,2})$")
# Day first, as Vietnamese documents write dates: 10/6/2026, 10-6-2026, 10.6.2026, 10/06/26. One
# separator throughout; a two-digit year is of this century (a plan runs a few years, never a century).
_DAY_FIRST = re.compile(r"^(\d{1,2})([/.-])(\d{1,2})\2(\d{4}|\d{2})$")
DATE_FORMS = "10/6/2026, 10-6-2026, 10.6.2026, 10/06/26 hoặc 2026-06-10"
_PERIOD = re.compile(r"^(\d{4})(?:-(H[12]|Q[1-4]|M(?:0[1-9]|1[0-2])))?$")


def parse_date(text: str, what: str = "ngày") -> dt.date:
    """Day first (`10/6/2026`, `10-6-2026`, `10.6.2026`, `10/06/26`) or ISO (`2026-06-10`); anything else,
    a year written first with slashes (`2026/6/10`) among them, is a clear error rather than a guess."""
    value = text.strip()
    match = _ISO.match(value)
    if match:
        year, month, day = (int(g) for g in match.groups())
    else:
        match = _DAY_FIRST.match(value)
        if not match:
            raise InputError(f"{what} '{text}' không đọc được; viết ngày trước, tháng sau, năm cuối: {DATE_FORMS}")
        day, month = int(match.group(1)), int(match.group(3))
        year = int(match.group(4)) + (2000 if len(match.group(4)) == 2 else 0)
    try:
        return dt.date(year, month, day)
    except ValueError:
        raise InputError(f"{what} '{text}' không tồn tại trong lịch") from None


def format_date(day: dt.date | None) -> str:
    """dd/mm/yyyy, as Vietnamese documents write dates."""
    return "" if day is None else f"{day.day:02d}/{day.month:02d}/{day.year}"


def parse_period(text: str) -> Period:
    match = _PERIOD.match(text.strip().upper())
    if not match:
        raise InputError(f"kỳ '{text}' không hợp lệ; dùng dạng 2026, 2026-H1, 2026-H2 hoặc 2026-Q3")
    return Period(int(match.group(1)), match.group(2) or "Y")


def deadline(task: Task, period: Period) -> dt.date:
    due = task.due_rule(period.kind)
    if due is None:
        raise InputError(f"kỳ {period.name} không thuộc chu kỳ '{task.cadence.label}' của nhiệm vụ {task.id}")
    return _on(due.month, due.day, period.year)


def window_start(cadence: Cadence, period: Period) -> dt.date:
    rule = cadence.rule(period.kind)
    if rule is None:
        raise InputError(f"kỳ {period.name} không thuộc chu kỳ '{cadence.label}'")
    year = period.year - 1 if rule.starts_previous_year else period.year
    return _on(rule.starts.month, rule.starts.day, year)


def _on(month: int, day: int, year: int) -> dt.date:
    if month == 2 and day == 29 and not _leap(year):
        return dt.date(year, 2, 28)
    return dt.date(year, month, day)


def _leap(year: int) -> bool:
    return year % 4 == 0 and (year % 100 != 0 or year % 400 == 0)


def fits(task: Task, period: Period) -> bool:
    return task.cadence.rule(period.kind) is not None


def period_containing(task: Task, day: dt.date) -> Period:
    """The task's period whose data window holds the day (windows run 15th to 14th by default)."""
    for year in (day.year, day.year + 1):
        for rule in task.cadence.periods:
            period = Period(year, rule.kind)
            if window_start(task.cadence, period) <= day <= deadline(task, period):
                return period
    # A plan may leave gaps between windows: then the next period to fall due is meant.
    return next_deadline(task, day)[0]


def periods_between(task: Task, first: dt.date, last: dt.date) -> list[Period]:
    """Periods of the task whose deadline falls within [first, last], in date order."""
    return [period for period, due in _deadlines(task, first.year, last.year + 1) if first <= due <= last]


def _deadlines(task: Task, first_year: int, last_year: int) -> Iterator[tuple[Period, dt.date]]:
    pairs = []
    for year in range(first_year, last_year + 1):
        for rule in task.cadence.periods:
            period = Period(year, rule.kind)
            pairs.append((period, deadline(task, period)))
    pairs.sort(key=lambda pair: pair[1])
    return iter(pairs)


def next_deadline(task: Task, day: dt.date) -> tuple[Period, dt.date]:
    for period, due in _deadlines(task, day.year, day.year + 1):
        if due >= day:
            return period, due
    raise InputError(f"nhiệm vụ {task.id} không có hạn nào sau {format_date(day)}")


def year_of(day: dt.date) -> Period:
    """The year period a day falls in: the period `status`, `form` and `report` show by default."""
    return parse_period(str(day.year))
