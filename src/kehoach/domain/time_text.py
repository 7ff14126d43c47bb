"""Reading a plan's time column ("Hằng năm", "Quý I/2026", "Trước ngày 15/12 hằng năm") into a cadence.

A plan states time in a few dozen ways; each is read here once, on folded text, so "Hàng năm", "Hằng năm"
and "hang nam" read alike. A cadence recurs every year (the schema of plan.yaml), so a one-off deadline
("Trước ngày 30/6/2026") is read as a yearly task due on that day and kept in `deadlines`, for a person
to confirm; what is not read at all keeps its text and says so (`understood` False).
"""

from __future__ import annotations

import calendar
import datetime as dt
import re
from typing import NamedTuple

from kehoach.domain.model import MonthDay
from kehoach.domain.text import fold

YEARLY = "hang-nam"
HALF_YEARLY = "6-thang"
QUARTERLY = "hang-quy"
MONTHLY = "hang-thang"

CADENCE_LABELS = {YEARLY: "Hằng năm", HALF_YEARLY: "Định kỳ 6 tháng", QUARTERLY: "Hằng quý",
                  MONTHLY: "Hằng tháng"}
"""The cadences an imported plan may use, in the order plan.yaml lists them."""


class TimeReading(NamedTuple):
    text: str
    cadence: str
    """One of CADENCE_LABELS; yearly when the text gives no rhythm (a one-off deadline, or unread)."""
    due: dict[str, MonthDay]
    """Deadlines the text sets within the cadence's periods ("Y": 12-15 for "trước ngày 15/12 hằng năm")."""
    deadlines: tuple[dt.date, ...]
    """One-off dates ("Trước ngày 30/6/2026", "Quý I/2026"): a yearly cadence cannot say "only once"."""
    years: tuple[int, int] | None
    """The years the text names ("2026–2030", "Năm 2026")."""
    understood: bool

    @property
    def needs_look(self) -> str | None:
        """Why a person should read this time text again, or None."""
        if not self.understood:
            return "không đọc được thời gian; tạm theo dõi hằng năm" if self.text else \
                "không ghi thời gian; tạm theo dõi hằng năm"
        if self.deadlines:
            shown = ", ".join(f"{d.day:02d}/{d.month:02d}/{d.year}" for d in self.deadlines)
            return f"hạn một lần ({shown}); theo dõi hằng năm với hạn ngày đó"
        return None


_ROMAN = {"i": 1, "ii": 2, "iii": 3, "iv": 4}
_DASH = "[-–—]"

_EVERY_YEAR = r"(?:hang|moi|dinh ky hang|dinh ky) nam"
_PATTERNS_CADENCE: tuple[tuple[re.Pattern[str], str], ...] = (
    (re.compile(r"\b(?:(?:dinh ky|hang)\s+)?(?:06|6|sau) thang(?: mot lan| 1 lan)?\b|\bnua nam\b|\bhang 6 thang\b"),
     HALF_YEARLY),
    (re.compile(r"\b(?:dinh ky )?(?:hang|moi) quy\b|\bdinh ky quy\b|\btheo quy\b"), QUARTERLY),
    (re.compile(r"\b(?:dinh ky )?(?:hang|moi) thang\b"), MONTHLY),
    (re.compile(rf"\b{_EVERY_YEAR}\b|\bthuong xuyen\b|\blien tuc\b|\btheo nam\b"), YEARLY),
)
_DATE = re.compile(r"\b(\d{1,2})\s*[/.-]\s*(\d{1,2})(?:\s*[/.-]\s*(\d{4}))?\b")
_WORDED_DATE = re.compile(r"\bngay (\d{1,2}) thang (\d{1,2})(?: nam (\d{4}))?\b")
_QUARTER = re.compile(r"\bquy (iv|iii|ii|i|[1-4])(?:\s*(?:/|nam)\s*(\d{4}))?\b")
_MONTH = re.compile(r"\bthang (\d{1,2})(?:\s*(?:/|nam)\s*(\d{4}))?\b")
_SPAN = re.compile(rf"\b((?:19|20)\d\d)\s*{_DASH}\s*((?:19|20)\d\d)\b")
_DAY_ONLY = re.compile(r"\bngay (\d{1,2})\b(?!\s*(?:[/.-]|thang))")
_YEAR = re.compile(r"\b((?:19|20)\d\d)\b")


def read_time(text: str | None) -> TimeReading:
    raw = " ".join((text or "").split())
    folded = fold(raw).replace("–", "-").replace("—", "-")
    if not folded:
        return TimeReading(raw, YEARLY, {}, (), None, False)
    cadence = next((cid for pattern, cid in _PATTERNS_CADENCE if pattern.search(folded)), None)
    recurring = cadence is not None
    days = _days(folded)
    years = _years(folded)
    due: dict[str, MonthDay] = {}
    deadlines: list[dt.date] = []
    for day, month, year in days:
        if year is None or recurring:
            kind = _kind_for(cadence or YEARLY, month)
            if kind is not None and kind not in due:
                due[kind] = MonthDay(month, day)
        else:
            deadlines.append(dt.date(year, month, day))
    if not days:
        quarter = _QUARTER.search(folded)
        month_match = _MONTH.search(folded) if quarter is None else None
        end = _end_of_quarter(quarter) if quarter else _end_of_month(month_match) if month_match else None
        if end is not None:
            month, day, year = end
            if year is None and not recurring and years:
                year = years[0]
            if year is None:
                cadence = cadence or YEARLY
                kind = _kind_for(cadence, month)
                if kind is not None:
                    due[kind] = MonthDay(month, day)
            elif recurring:
                kind = _kind_for(cadence or YEARLY, month)
                if kind is not None:
                    due[kind] = MonthDay(month, day)
            else:
                deadlines.append(dt.date(year, month, day))
        elif not recurring and years and years[0] == years[1] and _SPAN.search(folded) is None:
            deadlines.append(dt.date(years[0], 12, 31))
    day_only = _DAY_ONLY.search(folded) if cadence == MONTHLY and not days else None
    if day_only and 1 <= int(day_only.group(1)) <= 31:
        # "Hằng tháng, trước ngày 20": the 20th of every month (the last day of a shorter one).
        due = {f"M{m:02d}": MonthDay(m, min(int(day_only.group(1)), calendar.monthrange(2023, m)[1]))
               for m in range(1, 13)}
    understood = recurring or bool(due) or bool(deadlines) or years is not None
    if cadence == YEARLY or cadence is None:
        # Two dates in a year's text ("15/6 và 15/12 hằng năm") are the two halves of a year.
        if len(days) == 2 and all(d[2] is None for d in days) and days[0][1] <= 6 < days[1][1]:
            cadence = HALF_YEARLY
            due = {"H1": MonthDay(days[0][1], days[0][0]), "H2": MonthDay(days[1][1], days[1][0])}
    return TimeReading(raw, cadence or YEARLY, due, tuple(deadlines), years, understood)


def _days(folded: str) -> list[tuple[int, int, int | None]]:
    found = []
    taken: list[tuple[int, int]] = []
    for pattern in (_WORDED_DATE, _DATE):
        for match in pattern.finditer(folded):
            if any(start <= match.start() < end for start, end in taken):
                continue
            day, month = int(match.group(1)), int(match.group(2))
            year = int(match.group(3)) if match.group(3) else None
            try:
                dt.date(year or 2024, month, day)
            except ValueError:
                continue
            taken.append(match.span())
            found.append((match.start(), (day, month, year)))
    return [value for _, value in sorted(found)]


def _years(folded: str) -> tuple[int, int] | None:
    span = _SPAN.search(folded)
    if span:
        return int(span.group(1)), int(span.group(2))
    without_dates = _DATE.sub(" ", folded)
    year = _YEAR.search(without_dates)
    return (int(year.group(1)), int(year.group(1))) if year else None


def _end_of_quarter(match: re.Match[str]) -> tuple[int, int, int | None]:
    token = match.group(1)
    quarter = _ROMAN[token] if token in _ROMAN else int(token)
    month = quarter * 3
    year = int(match.group(2)) if match.group(2) else None
    return month, calendar.monthrange(year or 2023, month)[1], year


def _end_of_month(match: re.Match[str]) -> tuple[int, int, int | None] | None:
    month = int(match.group(1))
    if not 1 <= month <= 12:
        return None
    year = int(match.group(2)) if match.group(2) else None
    return month, calendar.monthrange(year or 2023, month)[1], year


def _kind_for(cadence: str, month: int) -> str | None:
    """The period of `cadence` a deadline in `month` closes (a yearly task has one)."""
    if cadence == YEARLY:
        return "Y"
    if cadence == HALF_YEARLY:
        return "H1" if month <= 6 else "H2"
    if cadence == QUARTERLY:
        return f"Q{(month - 1) // 3 + 1}"
    return f"M{month:02d}"


def content_cadence(content: str) -> str | None:
    """A rhythm the task's own words set ("Định kỳ 6 tháng tổ chức đối thoại"), so a person can compare
    it with the time column; only the first clause counts, as later ones often describe a report."""
    folded = fold(content)
    for pattern, cid in _PATTERNS_CADENCE:
        if cid != YEARLY and pattern.search(folded) and re.search(r"\bdinh ky\b", folded):
            return cid
    return None
