"""The ways a clerk writes a date, and the ones refused rather than guessed."""

from __future__ import annotations

import datetime as dt

import pytest

from kehoach.domain.periods import parse_date
from kehoach.errors import InputError

FORMS = "10/6/2026, 10-6-2026, 10.6.2026, 10/06/26 hoặc 2026-06-10"


@pytest.mark.parametrize("typed", ["10/6/2026", "10/06/2026", "10-6-2026", "10.6.2026", "10/06/26", "10-06-26",
                                   "10.6.26", "2026-06-10", "2026-6-10", " 10/6/2026 "])
def test_day_first_and_iso_dates(typed: str) -> None:
    assert parse_date(typed) == dt.date(2026, 6, 10)


def test_a_two_digit_year_is_of_this_century() -> None:
    assert parse_date("1/1/00") == dt.date(2000, 1, 1)
    assert parse_date("31/12/99") == dt.date(2099, 12, 31)


@pytest.mark.parametrize("typed", ["2026/6/10", "10/6-2026", "10/6", "10/6/226", "6/10/2026/1", "10 6 2026", "",
                                   "mười tháng sáu"])
def test_ambiguous_or_unreadable_dates_are_refused(typed: str) -> None:
    with pytest.raises(InputError) as caught:
        parse_date(typed, "ngày tính --as-of")
    assert str(caught.value) == (f"ngày tính --as-of '{typed}' không đọc được; viết ngày trước, tháng sau, năm cuối: "
                                 f"{FORMS}")


@pytest.mark.parametrize("typed", ["31/02/2026", "29.2.2026", "0/1/2026", "10/13/2026", "2026-02-30"])
def test_days_not_in_the_calendar_are_refused(typed: str) -> None:
    with pytest.raises(InputError) as caught:
        parse_date(typed)
    assert str(caught.value) == f"ngày '{typed}' không tồn tại trong lịch"
