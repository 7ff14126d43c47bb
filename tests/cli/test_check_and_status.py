"""`check` and `status`: one category per slot, deadlines from the plan, exit codes for cron."""

from __future__ import annotations

import json
from pathlib import Path

from support.cli import rec, run_cli
from support.files import write

CATEGORIES = ["hoan-thanh-dung-han", "hoan-thanh-qua-han", "dang-thuc-hien-trong-han", "dang-thuc-hien-qua-han",
              "chua-thuc-hien-trong-han", "chua-thuc-hien-qua-han", "khong-ap-dung"]


def status_json(root: Path, *args: str) -> list[dict]:
    result = run_cli("status", "--data", str(root), "--format", "json", *args)
    assert result.exit_code == 0, result.stderr
    return json.loads(result.stdout)


def test_check_on_shipped_data_lists_no_history_before_tracking_start(plain_tracker: Path):
    result = run_cli("check", "--data", str(plain_tracker), "--as-of", "2026-03-01", "--format", "json")
    assert (result.exit_code, json.loads(result.stdout)) == (0, [])
    heading = run_cli("check", "--data", str(plain_tracker), "--as-of", "2026-03-01", "--format", "plain")
    assert heading.stdout.splitlines()[0] == (
        "Lượt báo cáo theo tình trạng — chưa có kỳ nào có hạn đến 31/03/2026 — tính đến 01/03/2026")


def test_check_exit_1_with_overdue_grouped_by_unit_most_overdue_first(plain_tracker: Path):
    rec(plain_tracker, "17", "STP", "-s", "dang-thuc-hien", "-p", "2026-H1", "--as-of", "2026-05-01")
    rec(plain_tracker, "9", "STP", "-s", "done", "--done-on", "2026-06-01", "-p", "2026-H1", "--as-of", "2026-06-02")
    result = run_cli("check", "--data", str(plain_tracker), "--as-of", "2026-06-20", "--unit", "STP",
                     "--format", "json")
    assert result.exit_code == 1
    rows = json.loads(result.stdout)
    assert [(r["task"], r["period"], r["category"], r["days_late"], r["kind"]) for r in rows] == [
        ("17", "2026-H1", "dang-thuc-hien-qua-han", 6, "qua-han"),
        ("III.1", "2026-H1", "chua-thuc-hien-qua-han", 6, "qua-han"),
        ("III.3", "2026-H1", "chua-thuc-hien-qua-han", 6, "qua-han"),
    ]
    assert set(rows[0]) >= {"task", "unit", "period", "deadline", "status", "category", "done_on", "evidence"}
    assert rows[0]["deadline"] == "2026-06-14"


def test_check_within_lists_what_falls_due(plain_tracker: Path):
    result = run_cli("check", "--data", str(plain_tracker), "--as-of", "2026-06-01", "--within", "14",
                     "--unit", "so-tu-phap", "--format", "json")
    assert result.exit_code == 0
    rows = json.loads(result.stdout)
    assert [(r["task"], r["kind"], r["days_left"]) for r in rows] == [
        ("9", "sap-den-han", 13), ("17", "sap-den-han", 13), ("III.1", "sap-den-han", 13),
        ("III.3", "sap-den-han", 13)]


def test_check_groups_units_by_worst_delay(plain_tracker: Path):
    rec(plain_tracker, "9", "SNV", "-s", "dang-thuc-hien", "-p", "2026-H1", "--as-of", "2026-05-01")
    result = run_cli("check", "--data", str(plain_tracker), "--as-of", "2026-12-20", "--group", "cac-so",
                     "--within", "0", "--format", "plain")
    assert result.exit_code == 1
    lines = result.stdout.splitlines()
    assert lines[0] == "Lượt báo cáo theo tình trạng — các kỳ 2026-H1, 2026-H2, 2026 — tính đến 20/12/2026"
    overdue_at = lines.index("Quá hạn: 235 lượt báo cáo của 12 đơn vị")
    first_rows = lines[overdue_at + 4: overdue_at + 6]
    assert first_rows[0].split()[:4] == ["Sở", "Công", "Thương", "9"]
    assert "189" in first_rows[0]


def test_every_slot_has_exactly_one_category_and_counts_add_up(plain_tracker: Path):
    as_of = "2026-12-20"
    rec(plain_tracker, "1", "STP", "-s", "done", "--done-on", "2026-12-01", "--as-of", "2026-12-02")
    rec(plain_tracker, "2", "STP", "-s", "done", "--done-on", "2026-12-16", "-p", "2026", "--as-of", "2026-12-16")
    rec(plain_tracker, "3", "STP", "-s", "dang-thuc-hien", "--as-of", "2026-12-01")
    rec(plain_tracker, "4", "STP", "-s", "n/a", "-n", "Không ban hành văn bản", "--as-of", "2026-12-01")
    rows = status_json(plain_tracker, "--unit", "STP", "--as-of", as_of)
    by_task = {(r["task"], r["period"]): r["category"] for r in rows}
    assert by_task[("1", "2026")] == "hoan-thanh-dung-han"
    assert by_task[("2", "2026")] == "hoan-thanh-qua-han"
    assert by_task[("3", "2026")] == "dang-thuc-hien-qua-han"
    assert by_task[("4", "2026")] == "khong-ap-dung"
    assert by_task[("5", "2026")] == "chua-thuc-hien-qua-han"
    early = {(r["task"], r["period"]): r["category"] for r in status_json(plain_tracker, "--unit", "STP",
                                                                           "--as-of", "2026-12-05")}
    assert early[("3", "2026")] == "dang-thuc-hien-trong-han"
    assert early[("5", "2026")] == "chua-thuc-hien-trong-han"
    everything = status_json(plain_tracker, "--as-of", as_of)
    assert all(r["category"] in CATEGORIES for r in everything)
    assert len({(r["task"], r["unit"], r["period"]) for r in everything}) == len(everything)
    counted = run_cli("check", "--data", str(plain_tracker), "--as-of", as_of, "--format", "csv").stdout
    total_line = [line for line in counted.splitlines() if line.startswith("Tổng cộng")][0]
    assert total_line == f'Tổng cộng,{len(everything)},"100,0"'


def test_status_year_includes_its_half_years(plain_tracker: Path):
    rows = status_json(plain_tracker, "--unit", "STP", "--period", "2026", "--as-of", "2026-11-27")
    periods = sorted({r["period"] for r in rows})
    assert periods == ["2026", "2026-H1", "2026-H2"]
    h1 = status_json(plain_tracker, "--unit", "STP", "--period", "2026-H1", "--as-of", "2026-11-27")
    assert sorted(r["task"] for r in h1) == ["17", "9", "III.1", "III.3"]


def test_status_for_one_task_across_units(plain_tracker: Path):
    rows = status_json(plain_tracker, "--task", "17", "--as-of", "2026-11-27")
    assert [(r["unit"], r["period"], r["deadline"]) for r in rows] == [
        ("so-tu-phap", "2026-H1", "2026-06-14"), ("so-tu-phap", "2026-H2", "2026-12-14")]


def test_a_record_before_tracking_start_is_refused_and_such_periods_are_not_shown(plain_tracker: Path):
    before = {p: p.read_bytes() for p in (plain_tracker / "data" / "status").rglob("*") if p.is_file()}
    refused = run_cli("record", "--data", str(plain_tracker), "17", "STP", "-s", "done", "--done-on",
                      "2020-06-10", "-p", "2020-H1", "--as-of", "2020-06-11")
    assert (refused.exit_code, refused.stderr) == (
        2, "Lỗi: kỳ 2020-H1 của nhiệm vụ 17 có hạn 14/06/2020, trước ngày bắt đầu theo dõi 01/01/2026 của kế "
           "hoạch\n")
    assert {p: p.read_bytes() for p in (plain_tracker / "data" / "status").rglob("*") if p.is_file()} == before
    status = run_cli("status", "--data", str(plain_tracker), "--period", "2020", "--as-of", "2026-11-27")
    assert (status.exit_code, status.stdout, status.stderr) == (
        2, "", "Lỗi: kỳ 2020 ở trước ngày bắt đầu theo dõi 01/01/2026 (tracking_start trong plan.yaml): chưa có "
               "nhiệm vụ nào phải báo cáo cho kỳ này\n")


def test_check_report_and_status_count_the_same_slots(plain_tracker: Path):
    # A record before the tracking start was counted by check and not by report (2292 and 2291 on main).
    write(plain_tracker / "data" / "status" / "2024" / "bao-thanh-hoa.yaml",
          "records:\n- period: '2024'\n  status: khong-ap-dung\n  task: '14'\n  unit: bao-thanh-hoa\n"
          "  note: Không phát sinh.\n")
    rec(plain_tracker, "4", "STP", "-s", "n/a", "-n", "Không phát sinh", "-p", "2026", "--as-of", "2026-11-01")
    heading = run_cli("check", "--data", str(plain_tracker), "--as-of", "2026-11-27", "--format", "plain")
    assert heading.stdout.splitlines()[0] == (
        "Lượt báo cáo theo tình trạng — các kỳ 2026-H1, 2026-H2, 2026 — tính đến 27/11/2026")
    csv = run_cli("check", "--data", str(plain_tracker), "--as-of", "2026-11-27", "--format", "csv")
    lines = csv.stdout.splitlines()
    assert "Không áp dụng,1,\"0,0\"" in lines and "Tổng cộng,2287,\"100,0\"" in lines
    report = json.loads(run_cli("report", "--data", str(plain_tracker), "--period", "2026", "--as-of",
                                "2026-11-27", "--format", "json").stdout)
    assert (report["totals"]["slots"], report["totals"]["khong-ap-dung"]) == (2287, 1)
    assert len(status_json(plain_tracker, "--as-of", "2026-11-27")) == 2287


def test_check_before_tracking_start_says_so(plain_tracker: Path):
    result = run_cli("check", "--data", str(plain_tracker), "--as-of", "2025-06-01")
    assert (result.exit_code, result.stdout, result.stderr) == (
        2, "", "Lỗi: ngày tính 01/06/2025 ở trước ngày bắt đầu theo dõi 01/01/2026 (tracking_start trong "
               "plan.yaml): chưa có kỳ nào để tính\n")


def test_status_for_a_period_no_task_has_says_so(plain_tracker: Path):
    result = run_cli("status", "--data", str(plain_tracker), "--period", "2026-Q1", "--as-of", "2026-11-27")
    assert (result.exit_code, result.stdout, result.stderr) == (
        2, "", "Lỗi: không nhiệm vụ nào của kế hoạch có kỳ 2026-Q1; các kỳ của năm 2026 là: 2026-H1, 2026-H2, "
               "2026\n")


def test_status_table_on_a_terminal_format(plain_tracker: Path):
    result = run_cli("status", "--data", str(plain_tracker), "--task", "17", "--as-of", "2026-11-27",
                     "--format", "table")
    assert result.exit_code == 0
    assert "Tình trạng kỳ 2026 — tính đến 27/11/2026 (2 lượt báo cáo)" in result.stdout
    assert "Chưa thực hiện (quá hạn)" in result.stdout and "Chưa thực hiện (trong hạn)" in result.stdout


def test_unit_and_group_together_is_rejected(plain_tracker: Path):
    result = run_cli("check", "--data", str(plain_tracker), "--unit", "STP", "--group", "cac-so")
    assert (result.exit_code, result.stderr) == (2, "Lỗi: chỉ dùng một trong --unit hoặc --group\n")


def test_usage_errors_are_vietnamese(plain_tracker: Path):
    result = run_cli("check", "--data", str(plain_tracker), "--khong-co")
    assert result.exit_code == 2
    assert result.stderr.startswith("Lỗi: không có tùy chọn --khong-co")
    no_status = run_cli("record", "--data", str(plain_tracker), "1", "STP")
    assert no_status.exit_code == 2
    assert no_status.stderr.startswith("Lỗi: thiếu tùy chọn --status")
    unknown = run_cli("khong-co-lenh")
    assert (unknown.exit_code, unknown.stderr.splitlines()[0]) == (2, "Lỗi: không có lệnh 'khong-co-lenh'")
    missing = run_cli("record", "--data", str(plain_tracker), "1")
    assert missing.exit_code == 2
    assert missing.stderr.startswith("Lỗi: thiếu tham số ĐƠN_VỊ")


def test_status_shows_the_note(plain_tracker: Path):
    rec(plain_tracker, "4", "STP", "-s", "n/a", "-n", "Không ban hành văn bản nào", "-p", "2026",
        "--as-of", "2026-11-01")
    result = run_cli("status", "--data", str(plain_tracker), "--unit", "STP", "--task", "4", "--as-of",
                     "2026-11-27", "--format", "csv")
    assert result.stdout.splitlines() == [
        "\ufeffNV,Đơn vị,Kỳ,Hạn,Tình trạng,Ngày hoàn thành,Căn cứ,Ghi chú",
        "4,Sở Tư pháp,2026,14/12/2026,Không áp dụng,,,Không ban hành văn bản nào",
    ]


def test_the_leaders_duties_are_followed_by_van_phong_ubnd_tinh(plain_tracker: Path):
    rows = json.loads(run_cli("check", "--data", str(plain_tracker), "--as-of", "2026-11-27", "--format",
                              "json").stdout)
    assert not any("Lãnh đạo" in r["unit_name"] for r in rows)
    assert len(rows) == 200 + 2087  # overdue, then every open slot due by 27/12/2026
    for task, periods in (("9", ["2026-H1", "2026-H2"]), ("11", ["2026"]), ("12", ["2026"])):
        mine = status_json(plain_tracker, "--unit", "van-phong-ubnd-tinh", "--task", task, "--as-of", "2026-11-27")
        assert [r["period"] for r in mine] == periods  # one lượt báo cáo a period, the leaders' part in it
    shown = run_cli("show", "--data", str(plain_tracker), "9", "--as-of", "2026-11-27", "--format", "plain")
    assert "  - Lãnh đạo UBND tỉnh [Thực hiện]: Văn phòng UBND tỉnh" in shown.stdout.splitlines()
