"""The Excel workbook read back with openpyxl, as a reader's spreadsheet would see it, and as a PDF."""

from __future__ import annotations

import datetime as dt
import json
import shutil
import subprocess
from pathlib import Path

import openpyxl
import pytest

from kehoach.domain.model import Category
from kehoach.excel.layout import place_and_date
from kehoach.excel.report_workbook import DETAIL_PRINT_NOTE, MATRIX_MARKS, SHEETS
from kehoach.excel.stream import Formula, cell_xml
from kehoach.excel.styled_sheet import CATEGORY_FILLS
from kehoach.render.report_view import report_tables
from support.cli import run_cli
from support.git import GIT_ENV, git
from support.report_sample import AS_OF, INJECTION, build_sample_report
from support.trackers import copy_tracker


@pytest.fixture(scope="module")
def sample(tmp_path_factory: pytest.TempPathFactory, sample_template: Path) -> dict:
    """One recorded tracker and its whole-plan and unit workbooks, made once for the module."""
    root = tmp_path_factory.mktemp("xlsx") / "theo-doi"
    with pytest.MonkeyPatch.context() as mp:
        for key, value in GIT_ENV.items():
            mp.setenv(key, value)
        mp.delenv("KEHOACH_DATA", raising=False)
        copy_tracker(sample_template, root)
        made = {}
        for name, extra in (("all", ()), ("unit", ("--unit", "STP"))):
            path = root.parent / f"{name}.xlsx"
            result = run_cli("report", "--as-of", AS_OF, *extra, "-o", str(path), "--data", str(root))
            assert result.exit_code == 0, result.stderr
            made[name] = path
        result = run_cli("report", "--as-of", AS_OF, "--format", "json", "--data", str(root))
        made["json"] = json.loads(result.stdout)
        made["root"] = root
    return made


@pytest.fixture(scope="module")
def book(sample: dict) -> openpyxl.Workbook:
    return openpyxl.load_workbook(sample["all"])


def find_row(ws, column: int, value: object) -> int:  # type: ignore[no-untyped-def]
    for row in range(1, ws.max_row + 1):
        if ws.cell(row, column).value == value:
            return row
    raise AssertionError(f"{value!r} not in column {column} of {ws.title}")


def test_sheet_names(book: openpyxl.Workbook) -> None:
    # In print order: a leader reads the summary and the overdue list first.
    assert book.sheetnames == list(SHEETS) == ["Tổng hợp", "Quá hạn", "Ma trận", "Chi tiết", "Thông tin"]


def test_nd30_header_block(book: openpyxl.Workbook) -> None:
    ws = book["Tổng hợp"]
    assert ws["A1"].value == "UBND TỈNH THANH HÓA"
    assert ws["A2"].value == "SỞ TƯ PHÁP" and ws["A2"].font.b
    right = [c for c in ws[1] if c.value == "CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM"]
    assert right and right[0].font.b
    column = right[0].column
    assert ws.cell(2, column).value == "Độc lập - Tự do - Hạnh phúc" and ws.cell(2, column).font.b
    assert ws.cell(4, column).value == "Thanh Hóa, ngày 20 tháng 12 năm 2026"
    assert ws["A4"].value.startswith("Số:") and ws["A4"].value.endswith("/BC-STP")
    assert ws["A6"].value == "BÁO CÁO"
    assert ws["A7"].value.startswith("Tình hình thực hiện KẾ HOẠCH TRIỂN KHAI THỰC HIỆN CHỈ THỊ SỐ 13")
    assert ws["A1"].font.name == "Times New Roman"
    assert "A1:D1" in {str(r) for r in ws.merged_cells.ranges}


def test_place_and_date_follows_nd30() -> None:
    assert place_and_date("Thanh Hóa", dt.date(2026, 2, 5)) == "Thanh Hóa, ngày 05 tháng 02 năm 2026"
    assert place_and_date("Thanh Hóa", dt.date(2026, 3, 9)) == "Thanh Hóa, ngày 09 tháng 3 năm 2026"
    assert place_and_date("Thanh Hóa", dt.date(2026, 11, 27)) == "Thanh Hóa, ngày 27 tháng 11 năm 2026"


def test_summary_counts_equal_the_json_report(book: openpyxl.Workbook, sample: dict) -> None:
    ws = book["Tổng hợp"]
    totals = sample["json"]["totals"]
    first = find_row(ws, 2, Category.HOAN_THANH_DUNG_HAN.label)
    for offset, category in enumerate(Category):
        assert ws.cell(first + offset, 2).value == category.label
        assert ws.cell(first + offset, 3).value == totals[category.value]
        assert ws.cell(first + offset, 2).fill.fgColor.rgb == "00" + CATEGORY_FILLS[category]
    total_row = first + len(Category)
    assert ws.cell(total_row, 2).value == "Tổng cộng"
    assert ws.cell(total_row, 3).value == f"=SUM(C{first}:C{first + 6})"
    assert ws.cell(total_row, 3).data_type == "f"

    groups = find_row(ws, 2, "Nhóm đơn vị")
    assert [ws.cell(groups, c).value for c in range(1, 12)] == [
        "STT",
        "Nhóm đơn vị",
        "Số ô",
        *(c.label for c in Category),
        "Tỷ lệ hoàn thành (%)",
    ]
    for index, row in enumerate(sample["json"]["by_group"], 1):
        values = [ws.cell(groups + index, c).value for c in range(2, 11)]
        assert values == [row["label"], row["slots"], *(row[c.value] for c in Category)]
        assert ws.cell(groups + index, 11).value == row["completion_rate"]
    total = groups + len(sample["json"]["by_group"]) + 1
    assert ws.cell(total, 3).value == f"=SUM(C{groups + 1}:C{total - 1})"
    assert ws.cell(total, 11).value == (
        f'=IF(C{total}-J{total}=0,"—",ROUND(100*(D{total}+E{total})/(C{total}-J{total}),1))'
    )

    tasks = find_row(ws, 2, "Nhiệm vụ")
    by_task = sample["json"]["by_task"]
    assert [ws.cell(tasks + i, 1).value for i in range(1, len(by_task) + 1)] == [r["key"] for r in by_task]
    assert [ws.cell(tasks + i, 3).value for i in range(1, len(by_task) + 1)] == [r["slots"] for r in by_task]


def test_summary_has_a_bar_chart_of_the_completion_rate(book: openpyxl.Workbook) -> None:
    charts = book["Tổng hợp"]._charts
    assert len(charts) == 1
    chart = charts[0]
    assert chart.tagname == "barChart"
    ref = chart.series[0].val.numRef.f
    assert ref.startswith("'Tổng hợp'!$K$")


def test_matrix_cells_carry_category_text_and_fill(book: openpyxl.Workbook, sample: dict) -> None:
    ws = book["Ma trận"]
    header = find_row(ws, 1, "STT")
    headers = [ws.cell(header, c).value for c in range(1, ws.max_column + 1)]
    assert headers[:3] == ["STT", "Đơn vị", "NV 1 · 2026"]
    assert ws.cell(header, 3).alignment.textRotation == 90
    assert headers[-4:] == ["Số ô", "Đã hoàn thành", "Không áp dụng", "Tỷ lệ hoàn thành (%)"]
    assert "NV 17 · 2026-H1" in headers and "NV 17 · 2026-H2" in headers
    by_label = {v: k for k, v in MATRIX_MARKS.items()}
    seen = dict.fromkeys(Category, 0)
    for row in ws.iter_rows(min_row=header + 1, min_col=3, max_col=len(headers) - 4):
        for cell in row:
            if cell.value in by_label:
                category = by_label[cell.value]
                seen[category] += 1
                assert cell.fill.fgColor.rgb == "00" + CATEGORY_FILLS[category]
    assert {c.value: n for c, n in seen.items()} == {
        c.value: sample["json"]["totals"][c.value] for c in Category
    }
    stp = find_row(ws, 2, "Sở Tư pháp")
    assert ws.cell(stp, headers.index("NV 17 · 2026-H1") + 1).value == "HT"
    assert ws.cell(stp, headers.index("NV 14 · 2026") + 1).value == "KA"
    last = header + len(sample["json"]["by_unit"])
    slots_col = openpyxl.utils.get_column_letter(len(headers) - 3)
    assert ws.cell(last + 1, len(headers) - 3).value == f"=SUM({slots_col}{header + 1}:{slots_col}{last})"
    # Legend: every category's mark, its fill and its full label.
    legend = find_row(ws, 2, "HT")
    assert [(ws.cell(r, 2).value, ws.cell(r, 3).value) for r in range(legend, legend + 7)] == [
        ("HT", "Hoàn thành đúng hạn"), ("HQ", "Hoàn thành quá hạn"), ("ĐT", "Đang thực hiện trong hạn"),
        ("ĐQ", "Đang thực hiện quá hạn"), ("CT", "Chưa thực hiện (trong hạn)"),
        ("CQ", "Chưa thực hiện (quá hạn)"), ("KA", "Không áp dụng")]


def test_overdue_sheet_most_overdue_first_with_date_cells(book: openpyxl.Workbook, sample: dict) -> None:
    ws = book["Quá hạn"]
    header = find_row(ws, 1, "STT")
    assert [ws.cell(header, c).value for c in range(1, 9)] == [
        "STT",
        "Đơn vị",
        "NV",
        "Nhiệm vụ",
        "Kỳ",
        "Hạn",
        "Quá hạn (ngày)",
        "Tình trạng",
    ]
    overdue = sample["json"]["overdue"]
    assert ws.max_row - header == len(overdue)
    days = [ws.cell(r, 7).value for r in range(header + 1, ws.max_row + 1)]
    assert days == [r["days_late"] for r in overdue] and days[0] == 189
    deadline = ws.cell(header + 1, 6)
    assert deadline.is_date and deadline.value == dt.datetime(2026, 6, 14)
    assert deadline.number_format == "dd/mm/yyyy"


def test_detail_sheet_every_slot_and_formula_injection_stays_text(
    book: openpyxl.Workbook, sample: dict
) -> None:
    ws = book["Chi tiết"]
    header = find_row(ws, 1, "STT")
    headers = [ws.cell(header, c).value for c in range(1, ws.max_column + 1)]
    assert headers == [
        "STT",
        "NV",
        "Đơn vị",
        "Kỳ",
        "Hạn",
        "Trạng thái",
        "Tình trạng",
        "Quá hạn (ngày)",
        "Ngày hoàn thành",
        "Căn cứ",
        "Ghi chú",
        "Đã ghi nhận",
        "Ngày ghi nhận",
        "Người ghi nhận",
        "Mã đơn vị",
    ]
    assert ws.max_row - header == len(sample["json"]["slots"]) == 2291
    note_col = headers.index("Ghi chú") + 1
    notes = [ws.cell(r, note_col) for r in range(header + 1, ws.max_row + 1) if ws.cell(r, note_col).value]
    injected = [c for c in notes if c.value == INJECTION]
    assert len(injected) == 1
    assert injected[0].data_type == "s"
    done = [ws.cell(r, 9) for r in range(header + 1, ws.max_row + 1) if ws.cell(r, 9).value is not None]
    assert sorted(c.value for c in done) == [dt.datetime(2026, 6, 10), dt.datetime(2026, 12, 20)]
    assert all(c.is_date and c.number_format == "dd/mm/yyyy" for c in done)


def test_formula_like_text_is_written_as_text() -> None:
    for text in ("=1+1", INJECTION, "+84 912", "@x", "\tx"):
        assert "<f>" not in cell_xml("A1", text, 3)
        assert cell_xml("A1", text, 3).startswith('<c r="A1" s="3" t="inlineStr"><is><t')
    assert cell_xml("B2", Formula("=SUM(B1:B1)"), 4) == '<c r="B2" s="4"><f>SUM(B1:B1)</f><v/></c>'
    assert cell_xml("C3", 5, 1) == '<c r="C3" s="1" t="n"><v>5</v></c>'
    assert cell_xml("D4", dt.date(2026, 6, 10), 2) == '<c r="D4" s="2" t="n"><v>46183</v></c>'
    # Characters XML cannot hold are shown as their code (excel.stream.safe_text); markup escaped.
    assert cell_xml("E5", "a\x01<b> & c", 0) == (
        '<c r="E5" s="0" t="inlineStr"><is><t>a\\x01&lt;b&gt; &amp; c</t></is></c>')


@pytest.mark.parametrize("name", SHEETS)
def test_print_setup(book: openpyxl.Workbook, name: str) -> None:
    ws = book[name]
    assert ws.page_setup.orientation == "landscape"
    assert int(ws.page_setup.paperSize) == 9  # A4
    if name in ("Ma trận", "Chi tiết"):
        # Too wide to fit one page readably: printed at 67 % (12 pt text at 8 pt), first columns repeated.
        assert (ws.page_setup.scale, ws.sheet_properties.pageSetUpPr.fitToPage) == (67, False)
        assert ws.print_title_cols == "$A:$B"
    else:
        assert ws.page_setup.fitToWidth == 1 and ws.page_setup.fitToHeight == 0
        assert ws.sheet_properties.pageSetUpPr.fitToPage
    margins = ws.page_margins
    assert 20 <= margins.top * 25.4 <= 25 and 20 <= margins.bottom * 25.4 <= 25
    assert 30 <= margins.left * 25.4 <= 35 and 15 <= margins.right * 25.4 <= 20
    assert ws.oddHeader.center.text == "&P"
    assert ws.HeaderFooter.differentFirst  # no page number on page 1 (NĐ 30)


@pytest.mark.parametrize("name", ["Ma trận", "Quá hạn", "Chi tiết"])
def test_tables_freeze_filter_and_repeat_their_header(book: openpyxl.Workbook, name: str) -> None:
    ws = book[name]
    header = find_row(ws, 1, "STT")
    assert ws.print_title_rows == f"${header}:${header}"
    assert ws.freeze_panes.endswith(str(header + 1))
    assert ws.auto_filter.ref.startswith(f"A{header}:")


def test_summary_repeats_the_table_that_runs_onto_the_next_page(book: openpyxl.Workbook) -> None:
    ws = book["Tổng hợp"]
    by_task = find_row(ws, 1, "NV")
    assert ws.cell(by_task, 2).value == "Nhiệm vụ"
    assert ws.print_title_rows == f"${by_task}:${by_task}"


def test_detail_sheet_left_out_of_the_default_print(book: openpyxl.Workbook) -> None:
    ws = book["Chi tiết"]
    note = find_row(ws, 1, DETAIL_PRINT_NOTE)
    assert ws.print_area == f"'Chi tiết'!$A${note}:$F${note}"
    assert find_row(ws, 1, "STT") == note + 1


def test_long_unit_ids_wrap_inside_their_column(sample: dict) -> None:
    ws = openpyxl.load_workbook(sample["all"])["Chi tiết"]
    header = find_row(ws, 1, "STT")
    code_col = [ws.cell(header, c).value for c in range(1, ws.max_column + 1)].index("Mã đơn vị") + 1
    long_id = "ban-quan-ly-khu-kinh-te-nghi-son-va-cac-khu-cong-nghiep"
    row = next(r for r in range(header + 1, ws.max_row + 1) if ws.cell(r, code_col).value == long_id)
    assert ws.cell(row, code_col).alignment.wrap_text
    # 55 characters in a column 22 wide: three lines of 15 pt, the row made tall enough to show them.
    assert ws.row_dimensions[row].height >= 45


def test_information_sheet(book: openpyxl.Workbook, sample: dict) -> None:
    ws = book["Thông tin"]
    info = {ws.cell(r, 1).value: ws.cell(r, 2).value for r in range(1, ws.max_row + 1)}
    assert info["Kỳ"] == "2026" and info["Phạm vi"] == "Toàn tỉnh" and info["Mã kế hoạch"] == "ct13-thanh-hoa"
    assert info["Ngày tính số liệu"] == dt.datetime(2026, 12, 20)
    assert info["Phiên bản dữ liệu (commit git)"] == git(sample["root"], "rev-parse", "HEAD").strip()
    assert info["Lệnh tạo báo cáo"] == "kehoach report --period 2026 --as-of 2026-12-20 --format xlsx"
    assert info["Cách tính tỷ lệ hoàn thành"].startswith("Tỷ lệ hoàn thành = số ô đã hoàn thành")


def test_file_times_come_from_the_as_of_date(book: openpyxl.Workbook) -> None:
    assert book.properties.created == dt.datetime(2026, 12, 20)
    assert book.properties.modified == dt.datetime(2026, 12, 20)
    assert book.properties.lastModifiedBy == "kehoach"


def test_unit_workbook_holds_that_units_rows_only(sample: dict) -> None:
    wb = openpyxl.load_workbook(sample["unit"])
    detail = wb["Chi tiết"]
    header = find_row(detail, 1, "STT")
    assert {detail.cell(r, 15).value for r in range(header + 1, detail.max_row + 1)} == {"so-tu-phap"}
    assert detail.max_row - header == 23
    matrix = wb["Ma trận"]
    top = find_row(matrix, 1, "STT")
    assert matrix.cell(top + 1, 2).value == "Sở Tư pháp" and matrix.cell(top + 2, 2).value == "Tổng cộng"
    summary = wb["Tổng hợp"]
    sheet = find_row(summary, 2, "Nhiệm vụ")
    # The same columns as the text unit sheet; evidence and note each span two cells.
    text_headers = report_tables(build_sample_report(sample["root"], "STP"))[1].headers
    assert [summary.cell(sheet, c).value for c in (1, 2, 3, 4, 5, 6, 7, 8, 10)] == text_headers
    # The office's report about the unit: header, number and signature all the office's.
    assert summary["A2"].value == "SỞ TƯ PHÁP"
    assert find_row(summary, 1, "Số:        /BC-STP")
    signed = find_row(summary, 7, "GIÁM ĐỐC")
    assert summary.cell(signed + 1, 7).value == "(Ký, ghi rõ họ tên, đóng dấu)"
    assert not any(c.value == "THỦ TRƯỞNG ĐƠN VỊ" for row in summary.iter_rows() for c in row)
    assert len(summary._charts) == 1
    assert wb["Thông tin"]["B6"].value == "Sở Tư pháp"


def test_same_data_same_file(sample: dict, tmp_path: Path) -> None:
    again = tmp_path / "again.xlsx"
    result = run_cli("report", "--as-of", AS_OF, "-o", str(again), "--data", str(sample["root"]))
    assert result.exit_code == 0, result.stderr
    assert again.read_bytes() == sample["all"].read_bytes()


@pytest.mark.skipif(
    shutil.which("soffice") is None or shutil.which("pdftotext") is None,
    reason="LibreOffice (soffice) and poppler-utils are needed to print the workbook to PDF; "
    ".ci/run installs them",
)
def test_workbook_prints_as_a_landscape_a4_report(sample: dict, tmp_path: Path) -> None:
    subprocess.run(
        [
            "soffice",
            "--headless",
            f"-env:UserInstallation=file://{tmp_path}/lo",
            "--convert-to",
            "pdf",
            "--outdir",
            str(tmp_path),
            str(sample["unit"]),
        ],
        check=True,
        capture_output=True,
        timeout=180,
    )
    pdf = tmp_path / "unit.pdf"
    info = subprocess.run(["pdfinfo", str(pdf)], check=True, capture_output=True, text=True).stdout
    fields = dict(line.split(":", 1) for line in info.splitlines() if ":" in line)
    pages = int(fields["Pages"])
    # Five sheets, each at least one page; the unit's 23 slots fit in a few more.
    assert 5 <= pages <= 10
    width, height = (float(v) for v in fields["Page size"].split("pts")[0].split(" x "))
    assert (round(width), round(height)) == (842, 595)  # A4 landscape
    text = subprocess.run(
        ["pdftotext", "-layout", str(pdf), "-"], check=True, capture_output=True, text=True
    ).stdout
    first_page = text.split("\f")[0]
    for expected in (
        "UBND TỈNH THANH HÓA",
        "SỞ TƯ PHÁP",
        "CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM",
        "Độc lập - Tự do - Hạnh phúc",
        "Thanh Hóa, ngày 20 tháng 12 năm 2026",
        "BÁO CÁO",
        "Hoàn thành đúng hạn",
        "Chưa thực hiện (quá hạn)",
        "GIÁM ĐỐC",
    ):
        assert expected in text, expected
    assert "BÁO CÁO" in first_page and "SỞ TƯ PHÁP" in first_page
    assert "THÔNG TIN VỀ BÁO CÁO" in text


# --- printed by LibreOffice -----------------------------------------------------------------------

NEEDS_SOFFICE = pytest.mark.skipif(
    shutil.which("soffice") is None, reason="LibreOffice (soffice) is needed to print the workbook to PDF; "
    ".ci/run installs it")


def printed_pages(workbook: Path, tmp_path: Path) -> list[tuple[float, str]]:
    """Each printed page of the workbook, as LibreOffice prints it: its smallest text (pt; rotated text
    measured across its line) and its text."""
    pdfplumber = pytest.importorskip("pdfplumber", reason="pdfplumber reads the sizes of printed text")
    subprocess.run(["soffice", "--headless", f"-env:UserInstallation=file://{tmp_path}/lo", "--convert-to",
                    "pdf", "--outdir", str(tmp_path), str(workbook)], check=True, capture_output=True,
                   timeout=300)
    pages = []
    with pdfplumber.open(tmp_path / f"{workbook.stem}.pdf") as pdf:
        for page in pdf.pages:
            sizes = [c["size"] if c["upright"] else c["x1"] - c["x0"] for c in page.chars if c["text"].strip()]
            pages.append((round(min(sizes), 1), page.extract_text() or ""))
    return pages


@NEEDS_SOFFICE
def test_province_prints_as_a_few_readable_pages(sample: dict, tmp_path: Path) -> None:
    """Before: 80 pages, the Ma trận at 3.5 pt and the 61 pages of Chi tiết at 4.7 pt."""
    pages = printed_pages(sample["all"], tmp_path)
    starts = {name: next(n for n, (_, text) in enumerate(pages) if marker in text)
              for name, marker in (("summary", "Tổng hợp —"), ("overdue", "Các ô quá hạn"),
                                   ("matrix", "Ma trận đơn vị"), ("detail", DETAIL_PRINT_NOTE[:30]),
                                   ("info", "THÔNG TIN VỀ BÁO CÁO"))}
    assert list(starts) == sorted(starts, key=starts.__getitem__)  # summary and overdue list first
    # Summary 3, matrix 6 (one page wide, 8 pt), detail 1, information 1; the overdue list (1,700 rows on
    # 20/12) is as long as it is, about 15 rows a page.
    assert len(pages) - (starts["matrix"] - starts["overdue"]) <= 12
    assert starts["detail"] - starts["matrix"] <= 6
    assert starts["info"] - starts["detail"] == 1  # the detail sheet prints as its one note
    chart_page = next(n for n, (_, text) in enumerate(pages) if "Tỷ lệ hoàn thành theo nhiệm vụ (%)" in text)
    small = [(n + 1, size) for n, (size, _) in enumerate(pages) if size < 8 and n != chart_page]
    assert small == []
    # Every page of the summary after the first starts under the by-task table's headings.
    later = pages[starts["summary"] + 1:starts["overdue"]]
    assert later and all("NV Nhiệm vụ Số ô" in "\n".join(text.splitlines()[:6]) for _, text in later)
