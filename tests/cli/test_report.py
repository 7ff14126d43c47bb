"""`kehoach report` end to end: same numbers as status, -o dispatch, folders, each unit, bad input."""

from __future__ import annotations

import json
from pathlib import Path

import openpyxl
import pytest

from kehoach.domain.model import Category
from support.cli import run_cli
from support.files import file_snapshot
from support.report_sample import AS_OF, status_counts


def report(tracker: Path, *args: str):  # type: ignore[no-untyped-def]
    return run_cli("report", "--as-of", AS_OF, "--data", str(tracker), *args)


def test_json_counts_equal_status_json(recorded: Path) -> None:
    result = report(recorded, "--format", "json")
    assert result.exit_code == 0, result.stderr
    data = json.loads(result.stdout)
    counts = status_counts(recorded)
    assert {c.value: data["totals"][c.value] for c in Category} == {
        c.value: counts[c.value] for c in Category
    }
    assert data["totals"]["slots"] == 2287
    assert data["scope"] == {"kind": "all", "id": "toan-tinh", "name": "Toàn tỉnh"}
    assert data["period"] == "2026" and data["as_of"] == "2026-12-20"
    assert set(data["slots"][0]) == set(
        json.loads(run_cli("status", "--as-of", AS_OF, "--format", "json", "--data", str(recorded)).stdout)[0]
    )


def test_default_period_is_the_as_of_year(recorded: Path) -> None:
    data = json.loads(
        run_cli("report", "--as-of", "2026-06-12", "--format", "json", "--data", str(recorded)).stdout
    )
    assert data["period"] == "2026"
    h1 = json.loads(report(recorded, "--period", "2026-H1", "--format", "json").stdout)
    assert h1["period"] == "2026-H1" and {r["period"] for r in h1["slots"]} == {"2026-H1"}


def test_plain_report_shows_the_counts(recorded: Path) -> None:
    result = report(recorded, "--format", "plain")
    assert result.exit_code == 0
    lines = result.stdout.splitlines()
    assert lines[0].startswith("Báo cáo tình hình thực hiện Kế hoạch của Chủ tịch UBND tỉnh Thanh Hóa về triển khai")
    assert lines[0].endswith("hành chính — kỳ 2026 — tính đến 20/12/2026 — Toàn tỉnh")
    counts = status_counts(recorded)
    done_line = next(line for line in lines if line.startswith("Hoàn thành đúng hạn"))
    assert done_line.split()[-2] == str(counts["hoan-thanh-dung-han"])
    assert "Theo nhóm đơn vị" in lines and "Theo nhiệm vụ" in lines


def test_unit_report_as_text(recorded: Path) -> None:
    result = report(recorded, "--unit", "so tu phap", "--format", "markdown")
    assert result.exit_code == 0
    assert "## Các nhiệm vụ của Sở Tư pháp, kỳ 2026 (23 lượt báo cáo)" in result.stdout
    assert "| 17    |" in result.stdout and "Công văn 12/STP" in result.stdout


@pytest.mark.parametrize(
    ("name", "fmt"), [("r.csv", "csv"), ("r.md", "markdown"), ("r.json", "json"), ("r.txt", "plain")]
)
def test_output_extension_picks_the_format(recorded: Path, tmp_path: Path, name: str, fmt: str) -> None:
    target = tmp_path / name
    result = report(recorded, "-o", str(target))
    assert result.exit_code == 0, result.stderr
    assert "Đã ghi báo cáo:" in result.stderr
    assert target.read_text(encoding="utf-8") == report(recorded, "--format", fmt).stdout


def test_xlsx_file_from_extension(recorded: Path, tmp_path: Path) -> None:
    target = tmp_path / "bao-cao.xlsx"
    assert report(recorded, "-o", str(target)).exit_code == 0
    assert openpyxl.load_workbook(target).sheetnames[0] == "Tổng hợp"


def test_format_xlsx_alone_writes_into_reports_folder(recorded: Path) -> None:
    result = report(recorded, "--format", "xlsx")
    assert result.exit_code == 0, result.stderr
    written = recorded / "reports" / "ct13-thanh-hoa_toan-tinh_2026_2026-12-20.xlsx"
    assert written.is_file()
    assert "ct13-thanh-hoa_toan-tinh_2026_2026-12-20.xlsx" in result.stderr


def test_output_folder_gets_a_named_file(recorded: Path, tmp_path: Path) -> None:
    folder = tmp_path / "out"
    folder.mkdir()
    assert report(recorded, "--unit", "STP", "-o", str(folder)).exit_code == 0
    assert [p.name for p in folder.iterdir()] == ["ct13-thanh-hoa_so-tu-phap_2026_2026-12-20.xlsx"]
    assert report(recorded, "--group", "cac-so", "--format", "csv", "-o", str(folder) + "/").exit_code == 0
    assert (folder / "ct13-thanh-hoa_cac-so_2026_2026-12-20.csv").is_file()


def test_each_unit_writes_one_workbook_per_unit(recorded: Path, tmp_path: Path) -> None:
    folder = tmp_path / "tung-don-vi"
    result = report(recorded, "--each-unit", "--group", "cac-so", "-o", str(folder))
    assert result.exit_code == 0, result.stderr
    files = sorted(p.name for p in folder.iterdir())
    group_units = {
        r["unit"]
        for r in json.loads(report(recorded, "--group", "cac-so", "--format", "json").stdout)["slots"]
    }
    assert files == sorted(f"ct13-thanh-hoa_{u}_2026_2026-12-20.xlsx" for u in group_units)
    assert f"Đã ghi {len(files)} tệp báo cáo" in result.stderr
    wb = openpyxl.load_workbook(folder / "ct13-thanh-hoa_so-tu-phap_2026_2026-12-20.xlsx")
    detail = wb["Chi tiết"]
    units = {detail.cell(r, 15).value for r in range(1, detail.max_row + 1)} - {None, "Mã đơn vị"}
    assert units == {"so-tu-phap"}


def test_unknown_extension_is_rejected_and_nothing_written(recorded: Path, tmp_path: Path) -> None:
    before = file_snapshot(tmp_path)
    result = report(recorded, "-o", str(tmp_path / "bao-cao.pdf"))
    assert result.exit_code == 2
    assert ("phần mở rộng '.pdf' không được hỗ trợ; dùng .xlsx, .html, .docx, .csv, .md, .json, .jsonl, .txt, "
            "hoặc một thư mục\n") in result.stderr
    assert file_snapshot(tmp_path) == before


@pytest.mark.parametrize(
    ("args", "message"),
    [
        (("--unit", "STP", "--group", "cac-so"), "chỉ dùng một trong --unit hoặc --group"),
        (("--each-unit", "--unit", "STP"), "không dùng cùng --unit"),
        (("--format", "csv", "-o", "x.xlsx"), "--format csv không khớp với phần mở rộng '.xlsx'"),
        (("--each-unit", "-o", "x.xlsx"), "-o phải là một thư mục"),
        (("--period", "2026-X"), "kỳ '2026-X' không hợp lệ"),
        (("--unit", "không có đơn vị này"), "không tìm thấy đơn vị"),
    ],
)
def test_bad_invocations_exit_2(recorded: Path, tmp_path: Path, args: tuple[str, ...], message: str) -> None:
    before = file_snapshot(recorded)
    result = report(recorded, *args)
    assert result.exit_code == 2
    assert result.stderr.startswith("Lỗi: ")
    assert message in result.stderr
    assert file_snapshot(recorded) == before
    assert not (tmp_path / "x.xlsx").exists()


def test_outside_git_the_workbook_says_so(plain_tracker: Path, tmp_path: Path) -> None:
    target = tmp_path / "r.xlsx"
    assert run_cli("report", "--as-of", AS_OF, "--data", str(plain_tracker), "-o", str(target)).exit_code == 0
    info = openpyxl.load_workbook(target)["Thông tin"]
    values = {info.cell(r, 1).value: info.cell(r, 2).value for r in range(1, info.max_row + 1)}
    assert values["Phiên bản dữ liệu (commit git)"].startswith("không có")


def test_uncommitted_records_are_noted(recorded: Path, tmp_path: Path) -> None:
    assert (
        run_cli(
            "record",
            "4",
            "STP",
            "--status",
            "dang-thuc-hien",
            "--period",
            "2026",
            "--no-commit",
            "--as-of",
            AS_OF,
            "--data",
            str(recorded),
        ).exit_code
        == 0
    )
    target = tmp_path / "r.xlsx"
    assert report(recorded, "-o", str(target)).exit_code == 0
    info = openpyxl.load_workbook(target)["Thông tin"]
    values = {info.cell(r, 1).value: info.cell(r, 2).value for r in range(1, info.max_row + 1)}
    assert values["Phiên bản dữ liệu (commit git)"].endswith("(có thay đổi chưa commit)")


def test_report_has_help() -> None:
    result = run_cli("report", "--help")
    assert result.exit_code == 0
    assert "--each-unit" in result.stdout and "Báo cáo tình hình thực hiện" in result.stdout


def test_table_format_draws_completion_bars(recorded: Path) -> None:
    result = report(recorded, "--group", "cac-so", "--format", "table")
    assert result.exit_code == 0, result.stderr
    stp = next(line for line in result.stdout.splitlines() if line.startswith("│ Sở Tư pháp "))
    assert "█░░░░░░░░░   9,1%" in stp
    # Without --format, a pipe gets plain text (no box drawing).
    assert "│" not in report(recorded, "--unit", "STP").stdout


@pytest.mark.parametrize(("period", "message"), [
    ("2026-Q1", "Lỗi: không nhiệm vụ nào của kế hoạch có kỳ 2026-Q1; các kỳ của năm 2026 là: 2026-H1, 2026-H2, "
                "2026\n"),
    ("2025", "Lỗi: kỳ 2025 ở trước ngày bắt đầu theo dõi 01/01/2026 (tracking_start trong plan.yaml): chưa có "
             "nhiệm vụ nào phải báo cáo cho kỳ này\n"),
])
def test_a_period_nobody_reports_is_refused_and_writes_nothing(recorded: Path, tmp_path: Path, period: str,
                                                               message: str) -> None:
    before, out = file_snapshot(recorded), tmp_path / "out"
    out.mkdir()
    for target in ("x.xlsx", "x.csv", "folder/"):
        result = report(recorded, "--period", period, "-o", str(out / target))
        assert (result.exit_code, result.stdout, result.stderr) == (2, "", message)
    shown = report(recorded, "--period", period, "--format", "json")
    assert (shown.exit_code, shown.stdout) == (2, "")
    assert list(out.iterdir()) == [] and file_snapshot(recorded) == before


def test_machine_outputs_carry_whole_task_texts(recorded: Path) -> None:
    from kehoach.store.tracker import open_tracker

    whole = {t.id: " ".join(t.content.split()) for t in open_tracker(recorded / "data").plan.tasks}
    assert len(whole["1"]) > 90  # long enough that the terminal shortens it
    data = json.loads(report(recorded, "--format", "json").stdout)
    assert {row["key"]: row["label"] for row in data["by_task"]} == {k: v for k, v in whole.items()
                                                                     if k in {r["key"] for r in data["by_task"]}}
    for fmt in ("csv", "markdown"):
        text = report(recorded, "--format", fmt).stdout
        assert "…" not in text and whole["1"] in text
    unit_csv = report(recorded, "--unit", "STP", "--format", "csv").stdout
    assert "…" not in unit_csv and whole["17"] in unit_csv
    terminal = report(recorded, "--format", "plain").stdout
    assert whole["1"] not in terminal and whole["1"][:60] in terminal and "…" in terminal


def test_csv_has_one_titled_section_a_table_with_counts_and_percentages_apart(recorded: Path) -> None:
    text = report(recorded, "--format", "csv").stdout
    sections = [s.splitlines() for s in text.split("\n\n")]
    assert [s[0] for s in sections] == [
        sections[0][0],
        "Theo nhóm đơn vị", "Theo nhiệm vụ", "Theo đơn vị", sections[4][0]]
    assert sections[0][0].startswith("\ufeffBáo cáo tình hình thực hiện Kế hoạch của Chủ tịch UBND tỉnh Thanh Hóa")
    assert sections[4][0].startswith('"Quá hạn: ')
    header = sections[2][1].split(",")
    assert header[:5] == ["NV", "Nhiệm vụ", "Số lượt", "HT đúng hạn", "HT đúng hạn (%)"]
    assert header[-1] == "Tỷ lệ hoàn thành (%)"


def test_no_heading_or_text_speaks_of_cells(recorded: Path, tmp_path: Path) -> None:
    import re

    cell_word = re.compile(r"(?<!\w)[ôÔ](?!\w)")
    out = tmp_path / "out"
    out.mkdir()
    for args, name in ((("-o", str(out / "all.xlsx")), "all.xlsx"), (("--unit", "STP", "-o", str(out / "stp.xlsx")),
                                                                     "stp.xlsx")):
        assert report(recorded, *args).exit_code == 0
        texts = [str(v) for ws in openpyxl.load_workbook(out / name).worksheets
                 for row in ws.iter_rows(values_only=True) for v in row if isinstance(v, str)]
        assert [t for t in texts if cell_word.search(t)] == []
    for fmt in ("plain", "markdown", "csv"):
        assert not cell_word.search(report(recorded, "--format", fmt).stdout)
    check = run_cli("check", "--data", str(recorded), "--as-of", AS_OF, "--format", "plain")
    status = run_cli("status", "--data", str(recorded), "--unit", "STP", "--as-of", AS_OF, "--format", "plain")
    assert not cell_word.search(check.stdout) and not cell_word.search(status.stdout)
