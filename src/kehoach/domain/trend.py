"""The trend: how the completion rate of a period rose week by week up to the as-of date, beside the
previous period of the same plan at the same point of its course.

Made from the records' done dates: on day d a slot counts as done when its record is "hoàn thành"
with a done date on or before d. The denominator is the slots that apply as the report stands (every
slot less those "không áp dụng"), so the last point is the report's own rate when no work is dated after
the as-of date. The audit log is not read: it says when a clerk typed a result, which lags the work
by the reporting cycle, and the done date is what the plan's deadline is judged against.

Week k of a period ends on its (7k)-th day, counted from the first day of the period in the calendar
(1/1 for a year or its first half, 1/7 for the second half, the first day of a quarter or month); the
last point is the as-of date itself. The previous period's points fall on the same days of its own
course (week k of it), so the two curves compare like with like.
"""

from __future__ import annotations

import datetime as dt
from bisect import bisect_right
from collections.abc import Iterable, Sequence
from typing import Any, NamedTuple

from kehoach.domain.model import Category, Period, Status
from kehoach.domain.rates import completion_rate
from kehoach.domain.slots import EvaluatedSlot

WEEK = 7


class TrendPoint(NamedTuple):
    week: int
    """1 for the first week of the period; the as-of date's point carries the week it falls in."""
    day: dt.date
    done: int
    applicable: int

    @property
    def rate(self) -> float | None:
        return completion_rate(self.done, self.applicable)

    def as_json(self) -> dict[str, Any]:
        return {"week": self.week, "day": self.day, "done": self.done, "applicable": self.applicable,
                "completion_rate": self.rate}


class Trend(NamedTuple):
    period: str
    points: tuple[TrendPoint, ...]
    previous_period: str
    previous: tuple[TrendPoint, ...]
    """Empty when the previous period is not tracked (before the plan's tracking start)."""

    def as_json(self) -> dict[str, Any]:
        return {"period": self.period, "points": [p.as_json() for p in self.points],
                "previous_period": self.previous_period, "previous": [p.as_json() for p in self.previous]}


def period_start(period: Period) -> dt.date:
    """The first day of the period in the calendar."""
    kind = period.kind
    if kind in ("Y", "H1"):
        month = 1
    elif kind == "H2":
        month = 7
    elif kind.startswith("Q"):
        month = 3 * int(kind[1]) - 2
    else:  # M01 … M12
        month = int(kind[1:])
    return dt.date(period.year, month, 1)


def previous_period(period: Period) -> Period:
    """The period of the same kind just before: 2025 before 2026, 2025-H2 before 2026-H1, 2026-Q2
    before 2026-Q3."""
    kind = period.kind
    if kind == "Y":
        return Period(period.year - 1, "Y")
    if kind.startswith("H"):
        return Period(period.year - 1, "H2") if kind == "H1" else Period(period.year, "H1")
    if kind.startswith("Q"):
        number = int(kind[1])
        return Period(period.year - 1, "Q4") if number == 1 else Period(period.year, f"Q{number - 1}")
    month = int(kind[1:])
    return Period(period.year - 1, "M12") if month == 1 else Period(period.year, f"M{month - 1:02d}")


def checkpoints(start: dt.date, as_of: dt.date) -> list[tuple[int, dt.date]]:
    """(week, day): the last day of each whole week from `start` up to the as-of date, then the as-of date
    itself; nothing before the period has begun."""
    if as_of < start:
        return []
    elapsed = (as_of - start).days
    points = [(k, start + dt.timedelta(days=WEEK * k - 1)) for k in range(1, (elapsed + 1) // WEEK + 1)]
    if not points or points[-1][1] != as_of:
        points.append((elapsed // WEEK + 1, as_of))
    return points


def same_day_of(previous: Period, period: Period, day: dt.date) -> dt.date:
    """The day of the previous period as far into its course as `day` is into the period's."""
    return period_start(previous) + (day - period_start(period))


def curve(items: Iterable[EvaluatedSlot], days: Sequence[tuple[int, dt.date]]) -> tuple[TrendPoint, ...]:
    """The completion rate of these slots on each day: done by then over the slots that apply."""
    applicable = 0
    done_on: list[dt.date] = []
    for item in items:
        if item.category is Category.KHONG_AP_DUNG:
            continue
        applicable += 1
        record = item.record
        if record is not None and record.status is Status.HOAN_THANH and record.done_on is not None:
            done_on.append(record.done_on)
    done_on.sort()
    return tuple(TrendPoint(week, day, bisect_right(done_on, day), applicable) for week, day in days)


def build_trend(period: Period, as_of: dt.date, items: Iterable[EvaluatedSlot],
                previous_items: Iterable[EvaluatedSlot]) -> Trend:
    """The period's curve from its slots, and the previous period's from its own (evaluated as of
    `same_day_of(previous, period, as_of)`), on the same weeks."""
    before = previous_period(period)
    days = checkpoints(period_start(period), as_of)
    shifted = [(week, same_day_of(before, period, day)) for week, day in days]
    previous = curve(previous_items, shifted)
    return Trend(period.name, curve(items, days), before.name, previous if previous and previous[0].applicable
                 else ())
