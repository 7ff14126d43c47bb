"""Dates and periods: parsing, windows, deadlines from the plan's rules."""

from __future__ import annotations

import datetime as dt

import pytest

from kehoach.domain.model import Period
from kehoach.domain.periods import format_date, next_deadline, parse_date, parse_period, period_containing
from kehoach.errors import InputError
from kehoach.store.tracker import open_tracker
from support.paths import SHIPPED_DATA


@pytest.fixture(scope="module")
def plan():
    return open_tracker(SHIPPED_DATA).plan


@pytest.mark.parametrize(("text", "day"), [("2026-06-10", dt.date(2026, 6, 10)), ("10/6/2026", dt.date(2026, 6, 10)),
                                           ("01/02/2026", dt.date(2026, 2, 1)), (" 2026-6-1 ", dt.date(2026, 6, 1))])
def test_parse_date_accepts_both_forms(text: str, day: dt.date):
    assert parse_date(text) == day


@pytest.mark.parametrize(("text", "message"), [
    ("2026/6/10", "ngày '2026/6/10' không đọc được; viết ngày trước, tháng sau, năm cuối: 10/6/2026, 10-6-2026, "
                  "10.6.2026, 10/06/26 hoặc 2026-06-10"),
    ("31/2/2026", "ngày '31/2/2026' không tồn tại trong lịch"),
    ("hôm qua", "ngày 'hôm qua' không đọc được; viết ngày trước, tháng sau, năm cuối: 10/6/2026, 10-6-2026, "
                "10.6.2026, 10/06/26 hoặc 2026-06-10"),
])
def test_parse_date_rejects_clearly(text: str, message: str):
    with pytest.raises(InputError) as caught:
        parse_date(text)
    assert str(caught.value) == message


def test_format_date_uses_leading_zeros():
    assert format_date(dt.date(2026, 2, 5)) == "05/02/2026"


@pytest.mark.parametrize(("text", "period"), [("2026", Period(2026, "Y")), ("2026-H1", Period(2026, "H1")),
                                              ("2026-h2", Period(2026, "H2")), ("2026-Q3", Period(2026, "Q3"))])
def test_parse_period(text: str, period: Period):
    assert parse_period(text) == period
    assert parse_period(period.name) == period


def test_bad_period():
    with pytest.raises(InputError, match="kỳ '2026-H3' không hợp lệ"):
        parse_period("2026-H3")


def test_period_containing_follows_the_15th_to_14th_windows(plan):
    task17, task1 = plan.task("17"), plan.task("1")
    assert period_containing(task17, dt.date(2026, 6, 14)).name == "2026-H1"
    assert period_containing(task17, dt.date(2026, 6, 15)).name == "2026-H2"
    assert period_containing(task17, dt.date(2025, 12, 15)).name == "2026-H1"
    assert period_containing(task1, dt.date(2026, 12, 14)).name == "2026"
    assert period_containing(task1, dt.date(2026, 12, 15)).name == "2027"


def test_next_deadline(plan):
    assert next_deadline(plan.task("17"), dt.date(2026, 6, 15)) == (Period(2026, "H2"), dt.date(2026, 12, 14))
    assert next_deadline(plan.task("1"), dt.date(2026, 12, 15)) == (Period(2027, "Y"), dt.date(2027, 12, 14))
