"""How a signed document words a period and its numbers: "6 tháng đầu năm 2026", "1.234", "53,9%",
"tăng 4,2 điểm phần trăm"; and which period came before, for the comparison a report makes."""

from __future__ import annotations

import datetime as dt

from kehoach.domain.model import Period
from kehoach.render.official import count
from kehoach.render.rows import format_decimal, format_percent

ROMAN = {1: "I", 2: "II", 3: "III", 4: "IV"}
MONTHS_IN = {"Y": 12, "H": 6, "Q": 3, "M": 1}


def period_phrase(period: Period) -> str:
    """"6 tháng đầu năm 2026", "quý III năm 2026", "tháng 3 năm 2026", "năm 2026"."""
    kind, year = period.kind, period.year
    if kind == "H1":
        return f"6 tháng đầu năm {year}"
    if kind == "H2":
        return f"6 tháng cuối năm {year}"
    if kind.startswith("Q"):
        return f"quý {ROMAN[int(kind[1])]} năm {year}"
    if kind.startswith("M"):
        return f"tháng {int(kind[1:])} năm {year}"
    return f"năm {year}"


def _months(period: Period) -> int:
    return MONTHS_IN[period.kind[0]]


def first_day(period: Period) -> dt.date:
    """The calendar day a period begins (a report counts the urging letters sent since)."""
    kind = period.kind
    if kind == "Y":
        return dt.date(period.year, 1, 1)
    index = int(kind[1:])
    return dt.date(period.year, 1 + (index - 1) * _months(period), 1)


def previous_period(period: Period) -> Period:
    """The period of the same length just before: 2026-H1 → 2025-H2, 2026-Q1 → 2025-Q4, 2026 → 2025."""
    if period.kind == "Y":
        return Period(period.year - 1, "Y")
    letter, index = period.kind[0], int(period.kind[1:])
    last = 12 // _months(period)
    if index > 1:
        return Period(period.year, _kind(letter, index - 1))
    return Period(period.year - 1, _kind(letter, last))


def _kind(letter: str, index: int) -> str:
    return f"M{index:02d}" if letter == "M" else f"{letter}{index}"


def same_point_before(period: Period, day: dt.date) -> dt.date:
    """The day as far into the previous period as `day` is into this one (a month's end kept in range)."""
    months = _months(period)
    month_index = day.year * 12 + day.month - 1 - months
    year, month = divmod(month_index, 12)
    month += 1
    for candidate in (day.day, 30, 29, 28):
        try:
            return dt.date(year, month, min(day.day, candidate))
        except ValueError:
            continue
    raise AssertionError("every month has a 28th")


def share(done: int, total: int) -> str:
    return format_percent(round(100.0 * done / total, 1)) if total else "0,0%"


def rate_text(rate: float | None) -> str:
    return "—" if rate is None else format_percent(rate)


def change_text(now: float, before: float) -> str:
    """"tăng 4,2 điểm phần trăm", "giảm 1,0 điểm phần trăm", "không thay đổi"."""
    difference = round(now - before, 1)
    if difference == 0:
        return "không thay đổi"
    word = "tăng" if difference > 0 else "giảm"
    return f"{word} {format_decimal(abs(difference))} điểm phần trăm"


__all__ = ["count", "period_phrase", "previous_period", "first_day", "same_point_before", "share",
           "rate_text", "change_text"]
