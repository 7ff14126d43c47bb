"""`kehoach report` across several trackers: one report, each row keeping its source, counts per tracker
and in total, in every format and in the workbook."""

from __future__ import annotations

import json
from pathlib import Path

import openpyxl
import pytest

from kehoach.commands.many_trackers import open_trackers
from kehoach.commands.report_many import merged_report
from kehoach.domain.periods import parse_period
from kehoach.domain.report import ReportScope
from support.cli import run_cli
from support.report_sample import AS_OF_DATE
from support.trackers import copy_tracker
from support.trackers import provinces_template as provinces_template_of

AS_OF = "2026-11-27"
SLOTS_EACH = 2287
"""Slots of the shipped plan in 2026 for one tracker (every unit, every task)."""
OVERDUE_EACH = 200
"""Of those, slots past their deadline on 27/11/2026 with nothing recorded."""


@pytest.fixture(scope="module")
def provinces_template(tmp_path_factory: pytest.TempPathFactory, tracker_template: Path) -> Path:
    """Two trackers (two provinces) in one folder, each with its own, different records."""
    recorded = {
        "thanh-hoa": [
            ("1", "STP", "-s", "done", "--done-on", "10/6/2026", "--period", "2026"),
            ("3", "STP", "-s", "dang-thuc-hien", "--period", "2026", "--evidence", "CV 12/STP"),
        ],
        "nghe-an": [("2", "STP", "-s", "n/a", "--period", "2026", "--note", "Không thuộc chức năng")],
    }

    return provinces_template_of(tmp_path_factory.mktemp("mau") / "cac-tinh", tracker_template, recorded, AS_OF)


@pytest.fixture
def provinces(tmp_path: Path, provinces_template: Path) -> Path:
    """A copy of provinces_template in tmp_path/cac-tinh."""
    return copy_tracker(provinces_template, tmp_path / "cac-tinh")


def both(folder: Path) -> list[str]:
    return ["--data", str(folder / "thanh-hoa"), "--data", str(folder / "nghe-an")]


def report_json(*args: str) -> dict:
    result = run_cli("report", "--as-of", AS_OF, "--format", "json", *args)
    assert result.exit_code == 0, result.stderr
    return json.loads(result.stdout)


def test_json_counts_per_tracker_and_in_total(provinces: Path) -> None:
    made = report_json(*both(provinces))
    by_source = {row["key"]: row for row in made["by_source"]}
    assert list(by_source) == ["thanh-hoa", "nghe-an"]
    th, na = by_source["thanh-hoa"], by_source["nghe-an"]
    assert (th["slots"], th["hoan-thanh-dung-han"], th["dang-thuc-hien-trong-han"], th["khong-ap-dung"]) == (
        SLOTS_EACH, 1, 1, 0)
    assert (na["slots"], na["hoan-thanh-dung-han"], na["dang-thuc-hien-trong-han"], na["khong-ap-dung"]) == (
        SLOTS_EACH, 0, 0, 1)
    assert th["chua-thuc-hien-qua-han"] == na["chua-thuc-hien-qua-han"] == OVERDUE_EACH
    totals = made["totals"]
    assert totals["slots"] == 2 * SLOTS_EACH
    assert (totals["hoan-thanh-dung-han"], totals["dang-thuc-hien-trong-han"], totals["khong-ap-dung"]) == (1, 1, 1)
    assert totals["chua-thuc-hien-qua-han"] == 2 * OVERDUE_EACH
    # Completion: 1 done of (4574 − 1 not applicable) slots.
    assert totals["completion_rate"] == round(100 * 1 / (2 * SLOTS_EACH - 1), 1)
    assert th["completion_rate"] == round(100 / SLOTS_EACH, 1) and na["completion_rate"] == 0.0
    assert made["scope"] == {"kind": "all", "id": "nhieu-bo-theo-doi", "name": "2 bộ theo dõi"}


def test_json_rows_keep_their_source_and_equal_each_trackers_own_report(provinces: Path) -> None:
    made = report_json(*both(provinces))
    singles = {name: report_json("--data", str(provinces / name)) for name in ("thanh-hoa", "nghe-an")}
    assert "by_source" not in singles["thanh-hoa"] and "source" not in singles["thanh-hoa"]["slots"][0]
    assert len(made["slots"]) == 2 * SLOTS_EACH
    for name, single in singles.items():
        mine = [{k: v for k, v in row.items() if k != "source"} for row in made["slots"] if row["source"] == name]
        assert mine == single["slots"]
        assert made["by_source"][list(singles).index(name)]["slots"] == single["totals"]["slots"]
    recorded = [(r["source"], r["task"], r["status"]) for r in made["slots"] if r["recorded"]]
    assert recorded == [("thanh-hoa", "1", "hoan-thanh"), ("thanh-hoa", "3", "dang-thuc-hien"),
                        ("nghe-an", "2", "khong-ap-dung")]
    assert len(made["overdue"]) == 2 * OVERDUE_EACH
    assert {r["source"] for r in made["overdue"]} == {"thanh-hoa", "nghe-an"}
    days = [r["days_late"] for r in made["overdue"]]
    assert days == sorted(days, reverse=True)
    # Same plan in both trackers: task rows are summed, not repeated.
    task_one = next(r for r in made["by_task"] if r["key"] == "1")
    assert "source" not in task_one and task_one["hoan-thanh-dung-han"] == 1
    assert task_one["slots"] == 2 * next(r for r in singles["thanh-hoa"]["by_task"] if r["key"] == "1")["slots"]
    groups = [(r["source"], r["key"]) for r in made["by_group"]]
    assert groups[0][0] == "thanh-hoa" and groups[-1][0] == "nghe-an"
    assert sum(r["slots"] for r in made["by_group"]) == 2 * SLOTS_EACH


def test_a_folder_of_trackers_reports_them_all(provinces: Path) -> None:
    made = report_json("--data", str(provinces))
    assert [row["key"] for row in made["by_source"]] == ["nghe-an", "thanh-hoa"]
    assert made["totals"]["slots"] == 2 * SLOTS_EACH


def test_text_report_has_a_tracker_table_and_source_columns(provinces: Path) -> None:
    result = run_cli("report", "--as-of", AS_OF, "--format", "csv", *both(provinces))
    assert result.exit_code == 0, result.stderr
    # One section a table: its title alone on a row, its header, its rows, then an empty line.
    blocks = {b.splitlines()[0]: b.splitlines()[1:] for b in result.stdout.split("\n\n") if b}
    header, *rows = blocks["Theo bộ theo dõi"]
    assert header == ("Bộ theo dõi,Số lượt,HT đúng hạn,HT đúng hạn (%),HT quá hạn,HT quá hạn (%),Đang TH,Đang TH (%),"
                      '"Đang TH, quá hạn","Đang TH, quá hạn (%)",Chưa TH,Chưa TH (%),"Chưa TH, quá hạn",'
                      '"Chưa TH, quá hạn (%)",Không AD,Không AD (%),Tỷ lệ hoàn thành (%)')
    assert rows == [
        f'thanh-hoa,{SLOTS_EACH},1,"0,0",0,"0,0",1,"0,0",0,"0,0",2085,"91,2",{OVERDUE_EACH},"8,7",0,"0,0","0,0"',
        f'nghe-an,{SLOTS_EACH},0,"0,0",0,"0,0",0,"0,0",0,"0,0",2086,"91,2",{OVERDUE_EACH},"8,7",1,"0,0","0,0"',
        f'Tổng cộng,{2 * SLOTS_EACH},1,"0,0",0,"0,0",1,"0,0",0,"0,0",4171,"91,2",{2 * OVERDUE_EACH},"8,7",1,"0,0",'
        '"0,0"',
    ]
    overdue = blocks[f'"Quá hạn: {2 * OVERDUE_EACH} lượt báo cáo, quá hạn lâu nhất trước"']
    assert overdue[0].startswith("Bộ theo dõi,Đơn vị,NV,")
    assert len(overdue) == 1 + 2 * OVERDUE_EACH
    assert blocks["Theo nhóm đơn vị"][0].startswith("Bộ theo dõi,Nhóm đơn vị,")
    assert blocks["Theo đơn vị"][0].startswith("Bộ theo dõi,Đơn vị,Số lượt,")
    single = run_cli("report", "--as-of", AS_OF, "--format", "csv", "--data", str(provinces / "thanh-hoa"))
    assert "Bộ theo dõi" not in single.stdout


def test_unit_report_across_trackers(provinces: Path) -> None:
    made = report_json("--unit", "STP", *both(provinces))
    assert made["scope"]["kind"] == "unit" and made["scope"]["name"] == "Sở Tư pháp — 2 bộ theo dõi"
    assert [r["source"] for r in made["slots"]] == ["thanh-hoa"] * 23 + ["nghe-an"] * 23
    text = run_cli("report", "--as-of", AS_OF, "--unit", "STP", "--format", "csv", *both(provinces)).stdout
    assert "Bộ theo dõi,NV,Nhiệm vụ,Kỳ,Hạn,Trạng thái" in text
    assert "\nnghe-an,2," in text


def test_workbook_across_trackers(provinces: Path, tmp_path: Path) -> None:
    path = tmp_path / "hai-tinh.xlsx"
    result = run_cli("report", "--as-of", AS_OF, "-o", str(path), *both(provinces))
    assert result.exit_code == 0, result.stderr
    wb = openpyxl.load_workbook(path)
    summary = wb["Tổng hợp"]
    rows = [[c.value for c in row] for row in summary.iter_rows()]
    section = rows.index(["II. THEO BỘ THEO DÕI", *([None] * 10)])
    assert rows[section + 1][:3] == ["STT", "Bộ theo dõi", "Số lượt"]
    assert rows[section + 2][:5] == ["1", "thanh-hoa", SLOTS_EACH, 1, 0]
    assert rows[section + 3][:5] == ["2", "nghe-an", SLOTS_EACH, 0, 0]
    assert rows[section + 3][9] == 1  # không áp dụng
    assert rows[section + 4][1:3] == ["Tổng cộng", f"=SUM(C{section + 3}:C{section + 4})"]
    assert ["III. THEO NHÓM ĐƠN VỊ", *([None] * 10)] in rows
    assert any(r[1] == "nghe-an — Các sở" for r in rows)

    detail = wb["Chi tiết"]
    header = next(r for r in range(1, 20) if detail.cell(r, 1).value == "STT")
    assert [detail.cell(header, c).value for c in (1, 2, 3, 4)] == ["STT", "Bộ theo dõi", "NV", "Đơn vị"]
    assert detail.max_row - header == 2 * SLOTS_EACH
    sources = [detail.cell(r, 2).value for r in range(header + 1, detail.max_row + 1)]
    assert sources == ["thanh-hoa"] * SLOTS_EACH + ["nghe-an"] * SLOTS_EACH

    overdue = wb["Quá hạn"]
    top = next(r for r in range(1, 20) if overdue.cell(r, 1).value == "STT")
    assert overdue.cell(top, 2).value == "Bộ theo dõi"
    assert overdue.max_row - top == 2 * OVERDUE_EACH
    assert {overdue.cell(r, 2).value for r in range(top + 1, overdue.max_row + 1)} == {"thanh-hoa", "nghe-an"}

    matrix = wb["Ma trận"]
    top = next(r for r in range(1, 20) if matrix.cell(r, 1).value == "STT")
    assert [matrix.cell(top, c).value for c in (1, 2, 3)] == ["STT", "Bộ theo dõi", "NV 1"]
    assert [matrix.cell(top + 1, c).value for c in (2, 3, 4)] == ["thanh-hoa", round(100 / 181, 1), 0]
    assert [matrix.cell(top + 2, c).value for c in (2, 3)] == ["nghe-an", 0]
    assert matrix.cell(top + 3, 2).value == "Tổng cộng"

    info = {r[0]: r[1] for r in wb["Thông tin"].iter_rows(values_only=True)}
    assert info["Bộ theo dõi"] == "2 bộ theo dõi: thanh-hoa, nghe-an."
    assert info["Trang Chi tiết"] == f"Ghi {2 * SLOTS_EACH} trong {2 * SLOTS_EACH} lượt báo cáo."
    assert info["Phạm vi"] == "2 bộ theo dõi"
    assert info["Phiên bản dữ liệu (commit git)"].startswith("thanh-hoa: ")
    assert "; nghe-an: " in info["Phiên bản dữ liệu (commit git)"]
    assert info["Lệnh tạo báo cáo"].count("--data") == 2


def test_workbook_detail_is_bounded_and_says_so(provinces: Path, tmp_path: Path,
                                                monkeypatch: pytest.MonkeyPatch) -> None:
    import kehoach.excel.report_workbook

    monkeypatch.setattr(kehoach.excel.report_workbook, "SEVERAL_DETAIL_LIMIT", 100)
    path = tmp_path / "gioi-han.xlsx"
    assert run_cli("report", "--as-of", AS_OF, "-o", str(path), *both(provinces)).exit_code == 0
    wb = openpyxl.load_workbook(path)
    detail = wb["Chi tiết"]
    header = next(r for r in range(1, 20) if detail.cell(r, 1).value == "STT")
    assert detail.max_row - header == 100
    assert "Chi tiết 100 lượt báo cáo đầu tiên trong 4574 (các lượt còn lại" in detail.cell(header - 2, 1).value
    info = {r[0]: r[1] for r in wb["Thông tin"].iter_rows(values_only=True)}
    assert info["Trang Chi tiết"].startswith("Ghi 100 trong 4574 lượt báo cáo (tối đa 100 lượt, theo thứ tự bộ "
                                             "theo dõi; 4474 lượt còn lại")
    # The overdue list and the counts still cover every slot.
    overdue = wb["Quá hạn"]
    top = next(r for r in range(1, 20) if overdue.cell(r, 1).value == "STT")
    assert overdue.max_row - top == 2 * OVERDUE_EACH


def test_counts_cover_every_slot_when_no_slot_row_is_kept(provinces: Path) -> None:
    trackers = open_trackers([str(provinces / "thanh-hoa"), str(provinces / "nghe-an")])
    made = merged_report(trackers, lambda t: ReportScope.whole_plan(), parse_period("2026"), AS_OF_DATE, 0)
    assert made.slots == [] and made.slots_left_out == made.totals.slots == 2 * SLOTS_EACH
    assert [row.slots for row in made.by_source] == [SLOTS_EACH, SLOTS_EACH]


def test_each_unit_takes_one_tracker_only(provinces: Path, tmp_path: Path) -> None:
    result = run_cli("report", "--as-of", AS_OF, "--each-unit", "-o", str(tmp_path / "out"), *both(provinces))
    assert result.exit_code == 2
    assert "--each-unit chỉ dùng với một bộ theo dõi" in result.stderr
    assert not (tmp_path / "out").exists()


def test_check_and_report_count_the_same_slots_over_two_trackers(provinces: Path) -> None:
    # A record for a period before the tracking start, written by hand: counted by check on main
    # (4583 against report's 4582), counted by neither now.
    old = provinces / "thanh-hoa" / "data" / "status" / "2024" / "bao-thanh-hoa.yaml"
    old.parent.mkdir(parents=True)
    old.write_text("records:\n- period: '2024'\n  status: khong-ap-dung\n  task: '14'\n  unit: bao-thanh-hoa\n"
                   "  note: Không phát sinh.\n", encoding="utf-8")
    check = run_cli("check", "--as-of", AS_OF, "--format", "csv", *both(provinces))
    assert f'Tổng cộng,{2 * SLOTS_EACH},"100,0"' in check.stdout.splitlines()
    assert report_json(*both(provinces))["totals"]["slots"] == 2 * SLOTS_EACH
