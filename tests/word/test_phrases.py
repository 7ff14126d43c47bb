"""How the documents word periods and numbers, and which period a report compares with."""

from __future__ import annotations

import datetime as dt

import pytest

from kehoach.domain.model import Period
from kehoach.render.official import addressee, count, place_and_date
from kehoach.word.phrases import change_text, period_phrase


@pytest.mark.parametrize(("period", "words"), [
    (Period(2026, "H1"), "6 tháng đầu năm 2026"), (Period(2026, "H2"), "6 tháng cuối năm 2026"),
    (Period(2026, "Q1"), "quý I năm 2026"), (Period(2026, "Q3"), "quý III năm 2026"),
    (Period(2026, "M01"), "tháng 1 năm 2026"), (Period(2026, "M11"), "tháng 11 năm 2026"),
    (Period(2026, "Y"), "năm 2026"),
])
def test_periods(period: Period, words: str) -> None:
    assert period_phrase(period) == words


def test_percentage_points() -> None:
    assert change_text(53.9, 49.7) == "tăng 4,2 điểm phần trăm"
    assert change_text(40.0, 41.0) == "giảm 1,0 điểm phần trăm"
    assert change_text(50.0, 50.0) == "không thay đổi"


def test_vietnamese_counts_and_the_date_line() -> None:
    assert [count(n) for n in (0, 999, 1234, 2291, 1_234_567)] == ["0", "999", "1.234", "2.291", "1.234.567"]
    assert place_and_date("Thanh Hóa", dt.date(2026, 2, 5)) == "Thanh Hóa, ngày 05 tháng 02 năm 2026"
    assert place_and_date("Thanh Hóa", dt.date(2026, 7, 1)) == "Thanh Hóa, ngày 01 tháng 7 năm 2026"


@pytest.mark.parametrize(("name", "level", "to"), [
    ("Sở Tư pháp", "tinh", "Giám đốc Sở Tư pháp"),
    ("UBND xã Hoằng Hóa", "xa", "Chủ tịch UBND xã Hoằng Hóa"),
    ("Văn phòng UBND tỉnh", "tinh", "Chánh Văn phòng UBND tỉnh"),
    ("Thanh tra tỉnh", "tinh", "Chánh Thanh tra tỉnh"),
    ("Ban Dân tộc", "tinh", "Trưởng Ban Dân tộc"),
    ("Báo Thanh Hóa", "tinh", "Tổng Biên tập Báo Thanh Hóa"),
    ("Cục Thống kê tỉnh", "khac", "Thủ trưởng Cục Thống kê tỉnh"),
])
def test_a_letter_is_addressed_to_the_head_by_title(name: str, level: str, to: str) -> None:
    assert addressee(name, level) == to
