"""The trend: week-by-week completion rates from done dates, beside the previous period, exact to the day."""

from __future__ import annotations

import datetime as dt
import json
from pathlib import Path

import openpyxl
import pytest

from kehoach.domain.model import Period
from kehoach.domain.trend import checkpoints, period_start, previous_period, same_day_of
from support.cli import run_cli
from support.trend_sample import record_dated

D = dt.date


@pytest.mark.parametrize(("period", "start", "before"), [
    (Period(2026, "Y"), D(2026, 1, 1), Period(2025, "Y")),
    (Period(2026, "H1"), D(2026, 1, 1), Period(2025, "H2")),
    (Period(2026, "H2"), D(2026, 7, 1), Period(2026, "H1")),
    (Period(2026, "Q1"), D(2026, 1, 1), Period(2025, "Q4")),
    (Period(2026, "Q3"), D(2026, 7, 1), Period(2026, "Q2")),
    (Period(2026, "M01"), D(2026, 1, 1), Period(2025, "M12")),
    (Period(2026, "M10"), D(2026, 10, 1), Period(2026, "M09")),
])
def test_period_start_and_the_period_before(period: Period, start: dt.date, before: Period) -> None:
    assert period_start(period) == start
    assert previous_period(period) == before


def test_checkpoints_end_each_week_and_on_the_as_of_date() -> None:
    start = D(2026, 7, 1)
    assert checkpoints(start, D(2026, 6, 30)) == []
    assert checkpoints(start, start) == [(1, start)]
    assert checkpoints(start, D(2026, 7, 7)) == [(1, D(2026, 7, 7))]
    assert checkpoints(start, D(2026, 7, 8)) == [(1, D(2026, 7, 7)), (2, D(2026, 7, 8))]
    assert checkpoints(start, D(2026, 7, 21)) == [(1, D(2026, 7, 7)), (2, D(2026, 7, 14)), (3, D(2026, 7, 21))]


def test_the_previous_period_is_read_as_far_into_its_course() -> None:
    assert same_day_of(Period(2026, "H1"), Period(2026, "H2"), D(2026, 9, 2)) == D(2026, 3, 5)
    assert same_day_of(Period(2025, "Y"), Period(2026, "Y"), D(2026, 11, 27)) == D(2025, 11, 27)


@pytest.fixture
def dated(tracker: Path) -> Path:
    return record_dated(tracker)


def trend_of(tracker: Path, *args: str) -> dict:
    result = run_cli("report", "--data", str(tracker), "--format", "json", *args)
    assert result.exit_code == 0, result.stderr
    return json.loads(result.stdout)


def test_the_curves_points_are_exact(dated: Path) -> None:
    data = trend_of(dated, "--period", "2026-H2", "--unit", "STP", "--as-of", "2026-09-02")
    trend = data["trend"]
    assert (trend["period"], trend["previous_period"]) == ("2026-H2", "2026-H1")
    # 2026-H2 from 1/7: weeks end 7/7, 14/7, … 1/9, then the as-of date; its four tasks apply. 2026-H1 is read
    # on the same days into its course (from 1/1); its III.1 did not apply, so three count there.
    # week, (day, done, rate) of 2026-H2, (day, done, rate) of 2026-H1
    expected = [
        (1, ("2026-07-07", 1, 25.0), ("2026-01-07", 0, 0.0)), (2, ("2026-07-14", 2, 50.0), ("2026-01-14", 1, 33.3)),
        (3, ("2026-07-21", 2, 50.0), ("2026-01-21", 1, 33.3)), (4, ("2026-07-28", 2, 50.0), ("2026-01-28", 1, 33.3)),
        (5, ("2026-08-04", 2, 50.0), ("2026-02-04", 1, 33.3)), (6, ("2026-08-11", 2, 50.0), ("2026-02-11", 1, 33.3)),
        (7, ("2026-08-18", 2, 50.0), ("2026-02-18", 1, 33.3)), (8, ("2026-08-25", 2, 50.0), ("2026-02-25", 2, 66.7)),
        (9, ("2026-09-01", 3, 75.0), ("2026-03-04", 2, 66.7)), (10, ("2026-09-02", 3, 75.0), ("2026-03-05", 2, 66.7)),
    ]

    def shown(p: dict) -> tuple:
        return (p["day"], p["done"], p["completion_rate"])

    assert [(now["week"], shown(now), shown(then)) for now, then in zip(
        trend["points"], trend["previous"], strict=True)] == expected
    assert {p["week"] for p in trend["previous"]} == set(range(1, 11))
    assert {p["applicable"] for p in trend["points"]} == {4} and {p["applicable"] for p in trend["previous"]} == {3}
    assert trend["points"][-1]["completion_rate"] == data["totals"]["completion_rate"]


def test_a_year_before_the_tracking_start_has_no_previous_curve(dated: Path) -> None:
    trend = trend_of(dated, "--unit", "STP", "--as-of", "2026-12-20")["trend"]
    assert trend["previous_period"] == "2025" and trend["previous"] == []
    assert len(trend["points"]) == 51 and trend["points"][-1]["day"] == "2026-12-20"
    assert trend["points"][-1]["week"] == 51  # 20/12 is the 354th day: in the 51st week
    assert [p["done"] for p in trend["points"] if p["day"] in ("2026-01-07", "2026-01-14", "2026-09-02")] == [0, 1, 5]



def test_the_workbook_summary_has_the_same_figures(dated: Path, tmp_path: Path) -> None:
    book = tmp_path / "bao-cao.xlsx"
    assert run_cli("report", "--data", str(dated), "--group", "cac-so", "--as-of", "2026-12-20", "-o",
                   str(book)).exit_code == 0
    group = trend_of(dated, "--group", "cac-so", "--as-of", "2026-12-20")["trend"]
    sheet = openpyxl.load_workbook(book)["Tổng hợp"]
    rows = [[c.value for c in row[:4]] for row in sheet.iter_rows()]
    start = next(n for n, row in enumerate(rows) if str(row[0]).endswith("XU HƯỚNG: TỶ LỆ HOÀN THÀNH THEO THỜI GIAN"))
    assert rows[start + 1] == ["Tuần", "Đến ngày", "Kỳ 2026", "Kỳ 2025"]
    table = []
    for row in rows[start + 2:]:
        if not isinstance(row[0], int):
            break
        table.append((row[0], row[1].date(), row[2], row[3]))
    assert [week for week, *_ in table] == [*range(4, 51, 4), 51]
    assert table == [(p["week"], dt.date.fromisoformat(p["day"]), p["completion_rate"], "—")
                     for p in group["points"] if p["week"] % 4 == 0 or p is group["points"][-1]]
    assert table[-1][2] == group["points"][-1]["completion_rate"] > 0
