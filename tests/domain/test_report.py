"""The report's row model: the same numbers as `status --format json`, the completion rate, the orders."""

from __future__ import annotations

import json
from pathlib import Path

from kehoach.domain.model import Category
from kehoach.domain.periods import parse_period
from kehoach.domain.report import (
    TOTAL_KEY,
    CountRow,
    Report,
    ReportScope,
    completion_rate,
    file_stem,
    short_title,
    unit_reports,
)
from kehoach.render.report_view import report_tables
from kehoach.render.text import render, to_json
from kehoach.store.records import current_records
from kehoach.store.tracker import open_tracker
from support.report_sample import AS_OF_DATE, build_sample_report, status_counts, status_rows


def make(root: Path, scope_unit: str | None = None, group: str | None = None) -> Report:
    return build_sample_report(root, scope_unit, group)


def test_totals_and_slots_equal_status_json(recorded: Path) -> None:
    report = make(recorded)
    counts = status_counts(recorded)
    assert {c.value: report.totals.counts[c] for c in Category} == {c.value: counts[c.value] for c in Category}
    assert report.totals.slots == sum(counts.values()) == 2287
    # Slot rows are status rows: same keys, same values, same order.
    assert json.loads(to_json([r.as_json() for r in report.slots])) == status_rows(recorded)


def test_unit_report_counts_and_completion_rate(recorded: Path) -> None:
    report = make(recorded, scope_unit="STP")
    totals = report.totals.as_json()
    assert totals["slots"] == 23
    assert totals["hoan-thanh-dung-han"] == 1 and totals["hoan-thanh-qua-han"] == 1
    assert totals["dang-thuc-hien-qua-han"] == 1 and totals["khong-ap-dung"] == 1
    assert totals["chua-thuc-hien-qua-han"] == 19
    # done / (slots - không áp dụng) = 2 / 22
    assert totals["done"] == 2 and totals["applicable"] == 22
    assert totals["completion_rate"] == 9.1
    assert totals["hoan-thanh-dung-han_percent"] == round(100 / 23, 1)
    assert {row.unit for row in report.slots} == {"so-tu-phap"}
    assert json.loads(to_json([r.as_json() for r in report.slots])) == status_rows(recorded, "--unit", "STP")


def test_completion_rate_without_applicable_slots_is_none() -> None:
    assert completion_rate(0, 0) is None
    assert completion_rate(1, 3) == 33.3
    row = CountRow.of("x", "X", [])
    assert row.slots == 0 and row.completion_rate is None
    assert all(row.percent(c) == 0.0 for c in Category)
    assert row.as_json()["hoan-thanh-dung-han_percent"] == 0.0


def test_group_rows_add_up_to_the_total(recorded: Path) -> None:
    report = make(recorded)
    assert [r.key for r in report.by_group] == [
        "cac-ban-nganh",
        "cac-so",
        "co-quan-bao-chi",
        "ubnd-cap-xa",
    ]  # no "khac": the one unit in no group was «Lãnh đạo UBND tỉnh», whose duties Văn phòng UBND tỉnh follows
    for rows in (report.by_group, report.by_task, report.by_unit):
        assert sum(r.slots for r in rows) == report.totals.slots
        for category in Category:
            assert sum(r.counts[category] for r in rows) == report.totals.counts[category]
    by_task = {r.key: r for r in report.by_task}
    assert by_task["17"].slots == 2 and by_task["17"].counts[Category.HOAN_THANH_DUNG_HAN] == 1


def test_overdue_list_most_overdue_first(recorded: Path) -> None:
    report = make(recorded)
    days = [r.days_late for r in report.overdue]
    assert days == sorted(days, reverse=True)
    assert days[0] == (AS_OF_DATE - AS_OF_DATE.replace(month=6, day=14)).days == 189
    counts = report.totals.counts
    overdue_count = counts[Category.DANG_THUC_HIEN_QUA_HAN] + counts[Category.CHUA_THUC_HIEN_QUA_HAN]
    assert len(report.overdue) == report.totals.overdue == overdue_count


def test_group_scope_holds_only_members(recorded: Path) -> None:
    report = make(recorded, group="cac-so")
    assert [r.key for r in report.by_group] == ["cac-so"]
    assert report.totals.slots == 235
    assert report.scope.name == "Các sở"


def test_each_unit_reports_partition_the_slots(recorded: Path) -> None:
    tracker = open_tracker(recorded / "data")
    reports = unit_reports(
        tracker.definitions, ReportScope.whole_plan(), parse_period("2026"), AS_OF_DATE,
        current_records(tracker.status_dir)
    )
    assert sum(r.totals.slots for r in reports) == 2287
    assert all({row.unit for row in r.slots} == {r.scope.id} for r in reports)
    assert len({file_stem(r) for r in reports}) == len(reports)


def test_file_stem_says_plan_scope_period_and_date(recorded: Path) -> None:
    assert file_stem(make(recorded)) == "ct13-thanh-hoa_toan-tinh_2026_2026-12-20"
    assert file_stem(make(recorded, scope_unit="STP")) == "ct13-thanh-hoa_so-tu-phap_2026_2026-12-20"


def test_short_title_cuts_at_a_word() -> None:
    assert short_title("Một hai ba", 90) == "Một hai ba"
    assert short_title("Tổ chức rà soát, đánh giá sự cần thiết", 20) == "Tổ chức rà soát…"


def test_text_tables_show_the_same_numbers(recorded: Path) -> None:
    report = make(recorded)
    tables = report_tables(report)
    assert [t.title for t in tables][1:] == [
        "Theo nhóm đơn vị",
        "Theo nhiệm vụ",
        "Theo đơn vị",
        f"Quá hạn: {len(report.overdue)} lượt báo cáo, quá hạn lâu nhất trước",
    ]
    plain = render(tables, "plain")
    total_line = next(
        line
        for line in plain.splitlines()
        if line.startswith("Tổng cộng") and "HT" not in line and "%" in line and "(" in line
    )
    assert "2287" in total_line
    assert tables[2].rows[-1]["key"] == TOTAL_KEY
    assert tables[2].display_rows()[-1][0] == ""  # the total row has no task number
    csv_text = render(tables, "csv")
    assert 'Nhóm đơn vị,Số lượt,HT đúng hạn,HT quá hạn,Đang TH,"Đang TH, quá hạn"' in csv_text


def test_unit_tables_are_the_sheet_a_unit_head_signs(recorded: Path) -> None:
    tables = report_tables(make(recorded, scope_unit="STP"))
    assert len(tables) == 2
    sheet = tables[1]
    assert sheet.headers == [
        "NV",
        "Nhiệm vụ",
        "Kỳ",
        "Hạn",
        "Trạng thái",
        "Tình trạng",
        "Ngày hoàn thành",
        "Căn cứ",
        "Ghi chú",
    ]
    first = sheet.display_rows()[0]
    assert first[0] == "1" and first[3] == "14/12/2026" and first[5] == "Hoàn thành quá hạn"
    assert first[6] == "20/12/2026"
    assert first[1].startswith("Trực tiếp tổ chức thực hiện")
