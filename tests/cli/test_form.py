"""`kehoach form`: which units get a form, where it goes, what a wrong request says."""

from __future__ import annotations

from pathlib import Path

from openpyxl import load_workbook

from support.cli import run_cli
from support.files import file_snapshot
from support.forms import FORM_DAY, SHEET, table_rows


def form_cli(tracker: Path, *args: str) -> object:
    return run_cli("form", *args, "--data", str(tracker), "--as-of", FORM_DAY)


def test_one_unit_by_name_without_diacritics(tracker: Path) -> None:
    result = run_cli("form", "so tu phap", "--data", str(tracker), "--as-of", FORM_DAY)
    assert result.exit_code == 0, result.stderr
    assert result.stdout == "theo-doi/reports/bieu-mau/bieu-mau_ct13-thanh-hoa_so-tu-phap_2026.xlsx\n"
    assert result.stderr == "Đã lập 1 biểu mẫu kỳ 2026 trong theo-doi/reports/bieu-mau.\n"


def test_several_units_and_half_year_into_output_dir(tracker: Path, tmp_path: Path) -> None:
    result = run_cli("form", "STP", "so-noi-vu", "STP", "--period", "2026-H1", "-o", str(tmp_path / "gui"),
                     "--data", str(tracker), "--as-of", FORM_DAY)
    assert result.exit_code == 0, result.stderr
    assert result.stdout.splitlines() == ["gui/bieu-mau_ct13-thanh-hoa_so-tu-phap_2026-h1.xlsx",
                                          "gui/bieu-mau_ct13-thanh-hoa_so-noi-vu_2026-h1.xlsx"]
    sheet = load_workbook(tmp_path / "gui" / "bieu-mau_ct13-thanh-hoa_so-tu-phap_2026-h1.xlsx")[SHEET]
    keys = [(sheet.cell(r, 1).value, sheet.cell(r, 4).value) for r in table_rows(sheet)]
    assert keys == [("9", "2026-H1"), ("17", "2026-H1"), ("III.1", "2026-H1"), ("III.3", "2026-H1")]


def test_group_skips_units_without_tasks(tracker: Path) -> None:
    result = run_cli("form", "--group", "cac-so", "--data", str(tracker), "--as-of", FORM_DAY)
    assert result.exit_code == 0, result.stderr
    made = result.stdout.splitlines()
    assert len(made) == 12
    assert "theo-doi/reports/bieu-mau/bieu-mau_ct13-thanh-hoa_so-tu-phap_2026.xlsx" in made
    # Departments merged away before 2026 have nothing to report for 2026.
    assert "so-ke-hoach-va-dau-tu" not in result.stdout
    assert result.stderr.splitlines() == ["Đã lập 12 biểu mẫu kỳ 2026 trong theo-doi/reports/bieu-mau.",
                                          "Bỏ qua 6 đơn vị không có nhiệm vụ trong kỳ 2026."]


def test_all_units(tracker: Path) -> None:
    result = run_cli("form", "--all", "--period", "2026-H2", "--data", str(tracker), "--as-of", FORM_DAY)
    assert result.exit_code == 0, result.stderr
    assert len(result.stdout.splitlines()) == len(list((tracker / "reports" / "bieu-mau").iterdir()))
    assert "Đã lập 182 biểu mẫu kỳ 2026-H2" in result.stderr


def test_named_unit_without_tasks_writes_nothing(tracker: Path) -> None:
    before = file_snapshot(tracker)
    result = run_cli("form", "so-tu-phap", "so-ke-hoach-va-dau-tu", "--data", str(tracker),
                     "--as-of", FORM_DAY)
    assert result.exit_code == 2
    assert result.stderr == ("Lỗi: Sở Kế hoạch và Đầu tư (so-ke-hoach-va-dau-tu) không có nhiệm vụ nào "
                             "trong kỳ 2026\n")
    assert file_snapshot(tracker) == before


def test_bad_requests(tracker: Path) -> None:
    both = run_cli("form", "so-tu-phap", "--all", "--data", str(tracker))
    assert (both.exit_code, both.stderr) == (
        2, "Lỗi: hãy chọn đúng một cách: tên đơn vị (một hay nhiều), --group NHÓM hoặc --all\n")
    none = run_cli("form", "--data", str(tracker))
    assert none.exit_code == 2 and "hãy chọn đúng một cách" in none.stderr
    unknown = run_cli("form", "so-khong-co", "--data", str(tracker))
    assert unknown.exit_code == 2
    assert unknown.stderr.startswith("Lỗi: không tìm thấy đơn vị 'so-khong-co'")
    period = run_cli("form", "so-tu-phap", "--period", "2026-X", "--data", str(tracker))
    assert period.exit_code == 2 and "kỳ '2026-X' không hợp lệ" in period.stderr
