"""The form workbook: layout, locks, validation, print setup, metadata, safe text, stable bytes."""

from __future__ import annotations

import datetime as dt
import hashlib
from pathlib import Path

import pytest
from openpyxl import load_workbook

from kehoach.domain.periods import parse_period
from kehoach.excel.form_writer import (
    COLUMNS,
    FORM_FORMAT,
    META_SHEET,
    form_file_name,
    plan_hash,
    rows_fingerprint,
)
from kehoach.excel.layout import head_title
from kehoach.excel.layout import place_and_date as place_date_line
from kehoach.store.tracker import open_tracker
from support.cli import run_cli
from support.forms import FORM_DAY, FORM_NAME, HEADER_ROW, SHEET, make_form, row_of, table_rows


def test_table_header_and_first_row(form: Path) -> None:
    sheet = load_workbook(form)[SHEET]
    assert [c.value for c in sheet[HEADER_ROW]] == [
        "Mã NV", "Nội dung nhiệm vụ", "Mã đơn vị", "Kỳ", "Hạn", "Tình trạng hiện tại", "Trạng thái (điền)",
        "Ngày hoàn thành (điền)", "Căn cứ (số, ngày văn bản; đường dẫn) (điền)", "Ghi chú (điền)"]
    first = [c.value for c in sheet[HEADER_ROW + 1]]
    assert first[0] == "1"
    assert first[1].startswith("Trực tiếp tổ chức thực hiện và chịu trách nhiệm")
    assert first[2:] == ["so-tu-phap", "2026", dt.datetime(2026, 12, 14), "Chưa thực hiện (trong hạn)",
                         None, None, None, None]
    assert sheet.cell(HEADER_ROW + 1, 5).number_format == "dd/mm/yyyy"


def test_rows_are_the_units_slots_for_the_year(form: Path) -> None:
    sheet = load_workbook(form)[SHEET]
    rows = table_rows(sheet)
    keys = [(sheet.cell(r, 1).value, sheet.cell(r, 4).value) for r in rows]
    halves = [(task, f"2026-{half}") for task in ("17", "III.1", "III.3") for half in ("H1", "H2")]
    assert keys == ([(str(n), "2026") for n in range(1, 9)] + [("9", "2026-H1"), ("9", "2026-H2")]
                    + [(str(n), "2026") for n in range(10, 17)] + halves)


def test_heading_follows_nd30(form: Path) -> None:
    sheet = load_workbook(form)[SHEET]
    assert sheet["A1"].value == "UBND TỈNH THANH HÓA"
    assert sheet["A2"].value == "SỞ TƯ PHÁP" and sheet["A2"].font.b
    assert sheet["D1"].value == "CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM" and sheet["D1"].font.b
    assert sheet["D2"].value == "Độc lập - Tự do - Hạnh phúc" and sheet["D2"].font.u == "single"
    assert sheet["D3"].value == "Thanh Hóa, ngày 10 tháng 6 năm 2026"
    assert sheet["A5"].value == "BIỂU MẪU BÁO CÁO TÌNH HÌNH THỰC HIỆN NHIỆM VỤ"
    assert sheet["A7"].value == "Đơn vị: Sở Tư pháp — Kỳ báo cáo: 2026 — Số dòng: 23"
    assert sheet["A8"].value.startswith("Hướng dẫn: chỉ điền 4 cột nền vàng")
    fonts = {c.font.name for row in sheet.iter_rows() for c in row if c.value is not None}
    assert fonts == {"Times New Roman"}


def test_unit_named_by_name_its_id_only_in_hidden_places(form: Path) -> None:
    workbook = load_workbook(form)
    sheet = workbook[SHEET]
    assert sheet.column_dimensions["C"].hidden is True
    assert [c for c in "ABDEFGHIJ" if sheet.column_dimensions[c].hidden] == []
    shown = [c.value for row in sheet.iter_rows() for c in row
             if isinstance(c.value, str) and c.column_letter != "C"]
    assert not any("so-tu-phap" in text for text in shown)
    assert workbook[META_SHEET]["B5"].value == "so-tu-phap"


@pytest.mark.parametrize(("unit", "title"), [
    ("so-tu-phap", "GIÁM ĐỐC"),
    ("Thanh tra tỉnh", "CHÁNH THANH TRA"),
])
def test_signed_by_the_units_head_under_the_table(tracker: Path, unit: str, title: str) -> None:
    sheet = load_workbook(make_form(tracker, unit))[SHEET]
    last = table_rows(sheet)[-1]
    assert [sheet.cell(last + 1, 7).value, sheet.cell(last + 2, 7).value, sheet.cell(last + 3, 7).value] == [
        None, title, "(Ký, ghi rõ họ tên, đóng dấu)"]
    assert f"G{last + 2}:J{last + 2}" in {str(r) for r in sheet.merged_cells.ranges}
    assert sheet.print_area == f"'{SHEET}'!$A$1:$J${last + 7}"


def test_commune_form_signed_by_its_chairman(tracker: Path) -> None:
    result = run_cli("form", "--group", "ubnd-cap-xa", "--data", str(tracker), "--as-of", FORM_DAY)
    assert result.exit_code == 0, result.stderr
    first = Path.cwd() / result.stdout.splitlines()[0]
    sheet = load_workbook(first)[SHEET]
    assert sheet.cell(table_rows(sheet)[-1] + 2, 7).value == "CHỦ TỊCH"
    assert sheet["A7"].value.startswith("Đơn vị: UBND ")


@pytest.mark.parametrize(("name", "level", "title"), [
    ("SỞ TƯ PHÁP", None, "GIÁM ĐỐC"),
    ("Sở Nội vụ", "tinh", "GIÁM ĐỐC"),
    ("UBND xã Hoằng Hóa", "xa", "CHỦ TỊCH"),
    ("UBND phường Hạc Thành", "xa", "CHỦ TỊCH"),
    ("Văn phòng UBND tỉnh", "tinh", "CHÁNH VĂN PHÒNG"),
    ("Ban Quản lý Khu kinh tế Nghi Sơn và các Khu công nghiệp", "tinh", "TRƯỞNG BAN"),
    ("Báo Thanh Hóa", "khac", "TỔNG BIÊN TẬP"),
    ("Đài Phát thanh và Truyền hình Thanh Hóa", "khac", "GIÁM ĐỐC"),
    ("Trung tâm Trợ giúp pháp lý", "khac", "THỦ TRƯỞNG ĐƠN VỊ"),
    ("Thị trấn X", "xa", "CHỦ TỊCH"),
])
def test_head_title_by_kind_of_body(name: str, level: str | None, title: str) -> None:
    assert head_title(name, level) == title


def test_date_columns_formatted_even_when_empty(form: Path) -> None:
    sheet = load_workbook(form)[SHEET]
    formats = {(sheet.cell(r, 5).number_format, sheet.cell(r, 8).number_format) for r in table_rows(sheet)}
    assert formats == {("dd/mm/yyyy", "dd/mm/yyyy")}
    assert all(sheet.cell(r, 8).value is None for r in table_rows(sheet))


def test_place_date_line_pads_day_and_early_months() -> None:
    assert place_date_line("Thanh Hóa", dt.date(2026, 2, 5)) == "Thanh Hóa, ngày 05 tháng 02 năm 2026"
    assert place_date_line("Thanh Hóa", dt.date(2026, 11, 27)) == "Thanh Hóa, ngày 27 tháng 11 năm 2026"


def test_key_columns_locked_fill_columns_open(form: Path) -> None:
    sheet = load_workbook(form)[SHEET]
    assert sheet.protection.sheet is True
    assert sheet.protection.password is None
    row = HEADER_ROW + 1
    locks = {c.key: sheet.cell(row, i).protection.locked for i, c in enumerate(COLUMNS, start=1)}
    assert locks == {"task": True, "content": True, "unit": True, "period": True, "deadline": True,
                     "current": True, "status": False, "done_on": False, "evidence": False, "note": False}


def test_drop_down_and_date_validation(form: Path) -> None:
    sheet = load_workbook(form)[SHEET]
    last = table_rows(sheet)[-1]
    rules = {str(v.sqref): v for v in sheet.data_validations.dataValidation}
    status = rules[f"G{HEADER_ROW + 1}:G{last}"]
    assert status.type == "list"
    assert status.formula1 == '"Chưa thực hiện,Đang thực hiện,Hoàn thành,Không áp dụng"'
    assert status.showErrorMessage
    date = rules[f"H{HEADER_ROW + 1}:H{last}"]
    assert (date.type, date.operator, date.formula1, date.formula2) == (
        "date", "between", "DATE(2000,1,1)", "DATE(2100,12,31)")


def test_print_ready(form: Path) -> None:
    sheet = load_workbook(form)[SHEET]
    assert sheet.page_setup.orientation == "landscape"
    assert sheet.page_setup.paperSize == 9  # A4
    assert sheet.page_setup.fitToWidth == 1 and sheet.page_setup.fitToHeight == 0
    assert sheet.print_title_rows == f"${HEADER_ROW}:${HEADER_ROW}"
    assert sheet.freeze_panes == f"C{HEADER_ROW + 1}"
    assert round(sheet.page_margins.left * 25.4) == 30 and round(sheet.page_margins.right * 25.4) == 15
    assert sheet.HeaderFooter.differentFirst is True
    assert sheet.oddHeader.center.text == "&P"


def test_hidden_metadata_identifies_the_form(tracker: Path, form: Path) -> None:
    workbook = load_workbook(form)
    meta_sheet = workbook[META_SHEET]
    assert meta_sheet.sheet_state == "veryHidden"
    meta = {row[0].value: row[1].value for row in meta_sheet.iter_rows(max_col=2)}
    opened = open_tracker(tracker / "data")
    sheet = workbook[SHEET]
    rows = [(sheet.cell(r, 1).value, "so-tu-phap", sheet.cell(r, 4).value, sheet.cell(r, 5).value.date())
            for r in table_rows(sheet)]
    assert meta == {"format": FORM_FORMAT, "version": "1", "plan": "ct13-thanh-hoa",
                    "plan_hash": plan_hash(opened.plan), "unit": "so-tu-phap", "period": "2026",
                    "rows_sha256": rows_fingerprint(rows), "rows": "23", "made_on": FORM_DAY}
    lines = sorted(f"{t}\t{u}\t{p}\t{d.isoformat()}" for t, u, p, d in rows)
    assert meta["rows_sha256"] == hashlib.sha256("\n".join(lines).encode()).hexdigest()


def test_plan_hash_changes_with_cadence(tracker: Path) -> None:
    before = plan_hash(open_tracker(tracker / "data").plan)
    plan = tracker / "data" / "plan.yaml"
    text = plan.read_text(encoding="utf-8")
    plan.write_text(text.replace("  cadence: hang-nam", "  cadence: 6-thang", 1), encoding="utf-8")
    assert plan_hash(open_tracker(tracker / "data").plan) != before


def test_file_name_is_ascii_slug(tracker: Path) -> None:
    opened = open_tracker(tracker / "data")
    unit = opened.registry.find_unit("Sở Tư pháp")
    assert form_file_name(opened.plan, unit, parse_period("2026-h1")) == \
        "bieu-mau_ct13-thanh-hoa_so-tu-phap_2026-h1.xlsx"
    assert FORM_NAME == form_file_name(opened.plan, unit, parse_period("2026"))


def test_recorded_values_prefilled_and_risky_text_kept_as_text(tracker: Path) -> None:
    result = run_cli("record", "1", "so-tu-phap", "--status", "hoàn thành", "--done-on", "2026-05-02",
                     "--evidence", "=HYPERLINK(\"http://x\")", "--period", "2026", "--data", str(tracker),
                     "--as-of", FORM_DAY)
    assert result.exit_code == 0, result.stderr
    result = run_cli("record", "2", "so-tu-phap", "--status", "dang-thuc-hien", "--note", "@SUM(A1)",
                     "--period", "2026", "--data", str(tracker), "--as-of", FORM_DAY)
    assert result.exit_code == 0, result.stderr
    sheet = load_workbook(make_form(tracker))[SHEET]
    one, two = row_of(sheet, "1"), row_of(sheet, "2")
    assert [c.value for c in sheet[one]][5:] == ["Hoàn thành đúng hạn", "Hoàn thành", dt.datetime(2026, 5, 2),
                                                  '=HYPERLINK("http://x")', None]
    evidence = sheet.cell(one, 9)
    assert evidence.data_type == "s" and evidence.quotePrefix
    note = sheet.cell(two, 10)
    assert (note.value, note.data_type, note.quotePrefix) == ("@SUM(A1)", "s", True)
    assert sheet.cell(two, 7).value == "Đang thực hiện"


def test_same_input_same_bytes(tracker: Path, tmp_path: Path) -> None:
    first = make_form(tracker).read_bytes()
    again = make_form(tracker, "so-tu-phap", "-o", str(tmp_path / "again"))
    assert again.read_bytes() == first
