"""The time column of a plan read into a cadence, deadlines within it, and one-off deadlines."""

from __future__ import annotations

import datetime as dt

import pytest

from kehoach.domain.model import MonthDay
from kehoach.domain.time_text import content_cadence, read_time

D = dt.date


@pytest.mark.parametrize(("text", "cadence", "due", "deadlines", "years"), [
    ("Hằng năm", "hang-nam", {}, (), None),
    ("Hàng năm", "hang-nam", {}, (), None),
    ("hang nam", "hang-nam", {}, (), None),
    ("Thường xuyên", "hang-nam", {}, (), None),
    ("Định kỳ 6 tháng", "6-thang", {}, (), None),
    ("6 tháng một lần", "6-thang", {}, (), None),
    ("Hằng quý", "hang-quy", {}, (), None),
    ("Hằng tháng", "hang-thang", {}, (), None),
    ("Quý I/2026", "hang-nam", {}, (D(2026, 3, 31),), (2026, 2026)),
    ("Quý IV năm 2026", "hang-nam", {}, (D(2026, 12, 31),), (2026, 2026)),
    ("Tháng 6/2026", "hang-nam", {}, (D(2026, 6, 30),), (2026, 2026)),
    ("Năm 2026", "hang-nam", {}, (D(2026, 12, 31),), (2026, 2026)),
    ("Trong năm 2026", "hang-nam", {}, (D(2026, 12, 31),), (2026, 2026)),
    ("Trước ngày 30/6/2026", "hang-nam", {}, (D(2026, 6, 30),), None),
    ("Ngày 30 tháng 9 năm 2026", "hang-nam", {}, (D(2026, 9, 30),), (2026, 2026)),
    ("Trước ngày 15/12 hằng năm", "hang-nam", {"Y": MonthDay(12, 15)}, (), None),
    ("Tháng 6 hằng năm", "hang-nam", {"Y": MonthDay(6, 30)}, (), None),
    ("Trước ngày 15/6 và 15/12 hằng năm", "6-thang", {"H1": MonthDay(6, 15), "H2": MonthDay(12, 15)}, (), None),
    ("2026–2030", "hang-nam", {}, (), (2026, 2030)),
    ("Giai đoạn 2026 - 2030", "hang-nam", {}, (), (2026, 2030)),
])
def test_time_texts_are_read(text: str, cadence: str, due: dict[str, MonthDay], deadlines: tuple[dt.date, ...],
                             years: tuple[int, int] | None) -> None:
    reading = read_time(text)
    assert (reading.cadence, reading.due, reading.deadlines, reading.years, reading.understood) == (
        cadence, due, deadlines, years, True)


def test_a_day_of_every_month() -> None:
    reading = read_time("Hằng tháng, trước ngày 30")
    assert reading.cadence == "hang-thang"
    assert reading.due == {f"M{m:02d}": MonthDay(m, 28 if m == 2 else 30) for m in range(1, 13)}


def test_what_is_not_read_keeps_its_text_and_says_so() -> None:
    reading = read_time("Sau khi có hướng dẫn của Bộ")
    assert (reading.text, reading.cadence, reading.understood) == ("Sau khi có hướng dẫn của Bộ", "hang-nam", False)
    assert reading.needs_look == "không đọc được thời gian; tạm theo dõi hằng năm"
    assert read_time(None).needs_look == "không ghi thời gian; tạm theo dõi hằng năm"
    assert read_time("Quý I/2026").needs_look == "hạn một lần (31/03/2026); theo dõi hằng năm với hạn ngày đó"
    assert read_time("Hằng năm").needs_look is None


def test_a_rhythm_in_the_content_is_noticed() -> None:
    assert content_cadence("Định kỳ 6 tháng tổ chức đối thoại với cá nhân") == "6-thang"
    assert content_cadence("Tổ chức đối thoại với cá nhân") is None
