"""The report as an Excel workbook made for printing and meetings (Nghị định 30/2020/NĐ-CP layout).

Sheets: Tổng hợp, Ma trận, Quá hạn, Chi tiết, Thông tin, all from the one `report.Report`. openpyxl is
imported inside functions only. Rows are streamed: written once, in order, as XML text
(`xlsx_stream`), so styles, widths and row heights are all decided before a row goes out; openpyxl
writes the rest of each sheet (columns, merges, charts, print titles, freeze panes, autofilter).
"""

from __future__ import annotations

import dataclasses
import datetime as dt
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path
from typing import Any

from kehoach import __version__
from kehoach.domain.model import Category, ReportHeader
from kehoach.domain.periods import format_date
from kehoach.domain.report import ABBREVIATIONS, COMPLETION_RULE, SHORT_LABELS, CountRow, Report, SlotRow
from kehoach.excel.layout import FONT, heading_lines, page_setup
from kehoach.excel.stream import Formula, SheetRows, StampedZip, StyledValue
from kehoach.render.report_view import unit_sheet_columns
from kehoach.render.rows import format_percent
from kehoach.store.files import replacing

DATE_FORMAT = "dd/mm/yyyy"
RATE_FORMAT = "0.0"

SHEET_SUMMARY = "Tổng hợp"
SHEET_MATRIX = "Ma trận"
SHEET_OVERDUE = "Quá hạn"
SHEET_DETAIL = "Chi tiết"
SHEET_INFO = "Thông tin"
SHEETS = (SHEET_SUMMARY, SHEET_MATRIX, SHEET_OVERDUE, SHEET_DETAIL, SHEET_INFO)
SEVERAL_DETAIL_LIMIT = 20_000
"""A report over several trackers writes at most this many slots in Chi tiết (34 provinces hold ~245,000
slots a year): the summaries and the overdue list still count every slot; Thông tin says so."""
SEVERAL_CONTENT = (
    "Tổng hợp: số ô theo tình trạng của mọi bộ theo dõi, rồi theo từng bộ theo dõi, theo nhóm đơn vị và "
    "theo nhiệm vụ. Ma trận: tỷ lệ hoàn thành của từng nhiệm vụ trong từng bộ theo dõi. Quá hạn: mọi ô quá "
    "hạn của mọi bộ theo dõi. Mỗi dòng ghi bộ theo dõi nguồn (tên thư mục). Tiêu đề văn bản lấy theo bộ "
    "theo dõi đầu tiên."
)

# Light fills that print legibly in black and white; the cell always carries the category's text too.
CATEGORY_FILLS = {
    Category.HOAN_THANH_DUNG_HAN: "C6EFCE",
    Category.HOAN_THANH_QUA_HAN: "FFD8A8",
    Category.DANG_THUC_HIEN_TRONG_HAN: "BDD7EE",
    Category.DANG_THUC_HIEN_QUA_HAN: "FFC7CE",
    Category.CHUA_THUC_HIEN_TRONG_HAN: "FFF2CC",
    Category.CHUA_THUC_HIEN_QUA_HAN: "FF9B9B",
    Category.KHONG_AP_DUNG: "D9D9D9",
}


@dataclass(frozen=True)
class Provenance:
    """What the Thông tin sheet says about where the numbers came from."""

    data_version: str
    """The git commit of the data (with a note when files changed since), or 'không có' outside git."""
    command: str
    """A command line that makes the same report again."""


# --- styles --------------------------------------------------------------------------------------


def _style_spec(key: str) -> dict[str, Any]:
    from openpyxl.styles import Alignment, Border, Font, PatternFill, Side

    thin = Side(style="thin", color="000000")
    box = Border(left=thin, right=thin, top=thin, bottom=thin)
    base = {"font": Font(name=FONT, size=12)}
    left = Alignment(horizontal="left", vertical="top", wrap_text=True)
    center = Alignment(horizontal="center", vertical="center", wrap_text=True)
    right = Alignment(horizontal="right", vertical="top")
    specs: dict[str, dict[str, Any]] = {
        "agency_parent": {"font": Font(name=FONT, size=13), "alignment": center},
        "agency": {"font": Font(name=FONT, size=13, bold=True), "alignment": center},
        "nation": {"font": Font(name=FONT, size=12, bold=True), "alignment": center},
        "motto": {"font": Font(name=FONT, size=13, bold=True, underline="single"), "alignment": center},
        "number": {"font": Font(name=FONT, size=13), "alignment": center},
        "place_date": {"font": Font(name=FONT, size=13, italic=True), "alignment": center},
        "title": {"font": Font(name=FONT, size=14, bold=True), "alignment": center},
        "subtitle": {"font": Font(name=FONT, size=13, bold=True), "alignment": center},
        "note_line": {"font": Font(name=FONT, size=12, italic=True), "alignment": center},
        "section": {"font": Font(name=FONT, size=13, bold=True), "alignment": Alignment(horizontal="left")},
        "plain": {"font": Font(name=FONT, size=12), "alignment": left},
        "plain_bold": {"font": Font(name=FONT, size=12, bold=True), "alignment": left},
        "header": {
            "font": Font(name=FONT, size=12, bold=True),
            "alignment": center,
            "border": box,
            "fill": PatternFill("solid", fgColor="F2F2F2"),
        },
        "text": {**base, "alignment": left, "border": box},
        "text_bold": {"font": Font(name=FONT, size=12, bold=True), "alignment": left, "border": box},
        "code": {**base, "alignment": Alignment(horizontal="left", vertical="top"), "border": box},
        "center": {**base, "alignment": Alignment(horizontal="center", vertical="top"), "border": box},
        "int": {**base, "alignment": right, "border": box, "number_format": "0"},
        "int_bold": {
            "font": Font(name=FONT, size=12, bold=True),
            "alignment": right,
            "border": box,
            "number_format": "0",
        },
        "rate": {**base, "alignment": right, "border": box, "number_format": RATE_FORMAT},
        "rate_bold": {
            "font": Font(name=FONT, size=12, bold=True),
            "alignment": right,
            "border": box,
            "number_format": RATE_FORMAT,
        },
        "date": {
            **base,
            "alignment": Alignment(horizontal="center", vertical="top"),
            "border": box,
            "number_format": DATE_FORMAT,
        },
        "signature": {"font": Font(name=FONT, size=13, bold=True), "alignment": center},
        "signature_note": {"font": Font(name=FONT, size=12, italic=True), "alignment": center},
    }
    if key.startswith("cat:"):
        category = Category(key[4:])
        bold = category is Category.CHUA_THUC_HIEN_QUA_HAN
        return {
            "font": Font(name=FONT, size=12, bold=bold),
            "border": box,
            "alignment": Alignment(horizontal="center", vertical="center", wrap_text=True),
            "fill": PatternFill("solid", fgColor=CATEGORY_FILLS[category]),
        }
    return specs[key]


class _Book:
    """The workbook being made: its streamed sheets, and its styles, each registered once; a cell is then
    its value and the style's index, which is all a streamed row needs."""

    def __init__(self, wb: Any) -> None:
        self.wb = wb
        self.sheets: list[_Sheet] = []
        self._ids: dict[str, int] = {}

    def style_id(self, key: str) -> int:
        found = self._ids.get(key)
        if found is None:
            from openpyxl.cell import WriteOnlyCell

            owner = self.wb.worksheets[0]
            template = WriteOnlyCell(owner)
            for attribute, style in _style_spec(key).items():
                setattr(template, attribute, style)
            found = self._ids[key] = template.style_id
        return found

    def __call__(self, value: Any, key: str) -> StyledValue:
        return (value, self.style_id(key))


# --- sheet plumbing ------------------------------------------------------------------------------


class _Sheet:
    """One streamed sheet: rows go out in order; merges and print settings are recorded alongside."""

    def __init__(self, book: _Book, title: str, widths: Sequence[float]) -> None:
        from openpyxl.utils import get_column_letter

        self.ws = book.wb.create_sheet(title)
        self.rows = SheetRows()
        self.book = book
        book.sheets.append(self)
        self.width = len(widths)
        self._header_row = 0
        for index, width in enumerate(widths, 1):
            self.ws.column_dimensions[get_column_letter(index)].width = width
        page_setup(self.ws, page_number_size=12)

    @property
    def row(self) -> int:
        """The last row written."""
        return self.rows.count

    def append(self, values: Sequence[StyledValue | None], height: float | None = None) -> int:
        return self.rows.append(values, height)

    def cell(self, value: Any, key: str) -> StyledValue:
        return self.book(value, key)

    def merged(
        self, value: Any, key: str, first: int = 1, last: int | None = None, height: float | None = None
    ) -> int:
        """One value across columns first..last (default: the whole width)."""
        return self.spans([(value, key, first, last or self.width)], height)

    def spans(self, parts: Sequence[tuple[Any, str, int, int]], height: float | None = None) -> int:
        row: list[StyledValue | None] = [None] * self.width
        for value, key, first, last in parts:
            row[first - 1] = self.cell(value, key)
            if last > first:
                self.ws.merged_cells.add(f"{_ref(first, self.row + 1)}:{_ref(last, self.row + 1)}")
        return self.append(row, height)

    def blank(self) -> int:
        return self.append([])

    def table_header(self, headers: Sequence[str], height: float = 33) -> int:
        return self.append([self.cell(h, "header") for h in headers], height)

    def repeat_and_freeze(self, first_col: int = 1) -> None:
        """The table header just written: frozen on screen, repeated on every printed page, filtered."""
        self._header_row = self.row
        self.ws.freeze_panes = _ref(first_col, self.row + 1)
        self.ws.print_title_rows = f"{self.row}:{self.row}"

    def end_table(self) -> None:
        """The autofilter covers the header and the rows so far (not a total row written after)."""
        if self._header_row:
            self.ws.auto_filter.ref = f"A{self._header_row}:{_ref(self.width, self.row)}"

    def finish(self) -> None:
        if self._header_row and not self.ws.auto_filter.ref:
            self.end_table()


def _ref(col: int, row: int) -> str:
    from openpyxl.utils import get_column_letter

    return f"{get_column_letter(col)}{row}"


@lru_cache(maxsize=1 << 16)  # the same unit names, labels and notes recur on thousands of rows
def _line_height(text: str, width_chars: float, points: float = 15.0) -> float:
    """Rough height of wrapped text: LibreOffice keeps the default height of streamed rows, so wrapped
    cells would be cut off in print without it."""
    # Times New Roman at 12 pt: about 1.2 lower-case letters per width unit, fewer in upper case.
    per_line = max(int(width_chars * (0.95 if text.isupper() else 1.2)), 4)
    lines = 0
    for part in text.split("\n"):
        length = 0
        lines += 1
        for word in part.split(" "):
            if length and length + 1 + len(word) > per_line:
                lines += 1
                length = len(word)
            else:
                length += len(word) + (1 if length else 0)
    return lines * points + 3


def _row_height(cells: Iterable[tuple[Any, float]]) -> float:
    """The height of a table row: its tallest wrapped text."""
    return max((_line_height(text, width) for text, width in cells if isinstance(text, str)), default=18.0)


def _document_header(
    sheet: _Sheet, header: ReportHeader, report: Report, subtitle: str, widths: Sequence[float]
) -> None:
    """The NĐ 30 block: agency left, national name and motto right, place and date; then the title."""
    split = max(1, _split_at(widths))
    halves = ((1, split), (split + 1, sheet.width))
    for line in heading_lines(header, report.as_of, f"Số:        /BC-{header.agency_short}"):
        parts = [(part[0], part[1], first, last) for part, (first, last) in zip(line, halves, strict=True) if part]
        if parts:
            sheet.spans(parts, height=18)
        else:
            sheet.blank()
    sheet.blank()
    total_width = sum(widths)
    sheet.merged("BÁO CÁO", "title", height=20)
    sheet.merged(
        f"Tình hình thực hiện {report.plan_title}",
        "subtitle",
        height=_line_height(f"Tình hình thực hiện {report.plan_title}", total_width / 1.15),
    )
    sheet.merged(subtitle, "note_line", height=_line_height(subtitle, total_width / 1.05))
    sheet.blank()


def _split_at(widths: Sequence[float]) -> int:
    """The last column of the left header half: about 40% of the printed width."""
    running = 0.0
    for index, width in enumerate(widths, 1):
        running += width
        if running >= 0.4 * sum(widths):
            return min(index, len(widths) - 1)
    return len(widths) - 1


def _scope_line(report: Report, what: str) -> str:
    return (
        f"{what} — kỳ {report.period.name}, số liệu tính đến ngày {format_date(report.as_of)} — "
        f"phạm vi: {report.scope.name}"
    )


# --- the sheets ----------------------------------------------------------------------------------

COUNT_HEADERS = ["Số ô", *(c.label for c in Category), "Tỷ lệ hoàn thành (%)"]
SUMMARY_WIDTHS = [7, 40, 8, *([12] * 7), 12]
SLOTS_COL, RATE_COL = 3, 11
"""In the summary's count tables: column of Số ô, then the seven categories in order, then the rate."""


def _category_col(category: Category) -> int:
    return SLOTS_COL + 1 + list(Category).index(category)


def _count_table(
    sheet: _Sheet, headers: tuple[str, str], rows: Sequence[CountRow], keys: Sequence[str]
) -> tuple[int, int]:
    """Counts per category and the completion rate, one row each, then a total row of formulas."""
    sheet.table_header([*headers, *COUNT_HEADERS], height=48)
    first = sheet.row + 1
    for row, key in zip(rows, keys, strict=True):
        rate = row.completion_rate
        sheet.append(
            [
                sheet.cell(key, "center"),
                sheet.cell(row.label, "text"),
                sheet.cell(row.slots, "int"),
                *(sheet.cell(row.counts[c], "int") for c in Category),
                sheet.cell(rate, "rate") if rate is not None else sheet.cell("—", "center"),
            ],
            height=_line_height(row.label, SUMMARY_WIDTHS[1]),
        )
    last = sheet.row
    total = last + 1
    sums = [
        sheet.cell(Formula(f"=SUM({_ref(col, first)}:{_ref(col, last)})"), "int_bold")
        for col in range(SLOTS_COL, RATE_COL)
    ]
    done = "+".join(_ref(_category_col(c), total) for c in Category if c.done)
    applicable = f"{_ref(SLOTS_COL, total)}-{_ref(_category_col(Category.KHONG_AP_DUNG), total)}"
    rate_formula = Formula(f'=IF({applicable}=0,"—",ROUND(100*({done})/({applicable}),1))')
    sheet.append(
        [
            sheet.cell(None, "text"),
            sheet.cell("Tổng cộng", "text_bold"),
            *sums,
            sheet.cell(rate_formula, "rate_bold"),
        ]
    )
    return first, last


def _summary_sheet(book: _Book, header: ReportHeader, report: Report) -> None:
    sheet = _Sheet(book, SHEET_SUMMARY, SUMMARY_WIDTHS)
    _document_header(sheet, header, report, _scope_line(report, "Tổng hợp"), SUMMARY_WIDTHS)

    sheet.merged("I. SỐ Ô THEO TÌNH TRẠNG", "section")
    sheet.table_header(["STT", "Tình trạng", "Số ô", "Tỷ lệ (%)"])
    first = sheet.row + 1
    totals = report.totals
    for number, category in enumerate(Category, 1):
        sheet.append(
            [
                sheet.cell(number, "center"),
                sheet.cell(category.label, f"cat:{category.value}"),
                sheet.cell(totals.counts[category], "int"),
                sheet.cell(totals.percent(category), "rate"),
            ]
        )
    last = sheet.row
    sheet.append(
        [
            sheet.cell(None, "text"),
            sheet.cell("Tổng cộng", "text_bold"),
            sheet.cell(Formula(f"=SUM(C{first}:C{last})"), "int_bold"),
            sheet.cell(Formula(f"=IF(C{last + 1}=0,0,100)"), "rate_bold"),
        ]
    )
    rate = totals.completion_rate
    shown = "—" if rate is None else format_percent(rate)
    sheet.merged(f"Tỷ lệ hoàn thành: {shown}. {COMPLETION_RULE}", "plain_bold", height=18)
    sheet.merged(f"Chữ viết tắt: {ABBREVIATIONS}", "plain")
    sheet.blank()

    if report.scope.kind == "unit":
        _unit_sheet(sheet, report)
        _chart(sheet, "Số ô theo tình trạng", "Số ô", (first, last), data_col=SLOTS_COL, label_col=2)
        sheet.finish()
        return
    numerals = iter(("II", "III", "IV"))
    if report.several:
        sheet.merged(f"{next(numerals)}. THEO BỘ THEO DÕI", "section")
        _count_table(sheet, ("STT", "Bộ theo dõi"), report.by_source, _numbers(report.by_source))
        sheet.blank()
    sheet.merged(f"{next(numerals)}. THEO NHÓM ĐƠN VỊ", "section")
    _count_table(
        sheet, ("STT", "Nhóm đơn vị"), [_with_source(r) for r in report.by_group], _numbers(report.by_group)
    )
    sheet.blank()
    sheet.merged(f"{next(numerals)}. THEO NHIỆM VỤ", "section")
    rows = _count_table(
        sheet, ("NV", "Nhiệm vụ"), [_with_source(r) for r in report.by_task], [r.key for r in report.by_task]
    )
    sheet.blank()
    _chart(
        sheet, "Tỷ lệ hoàn thành theo nhiệm vụ (%)", "%", rows, data_col=RATE_COL, label_col=1, percent=True
    )
    sheet.finish()


def _numbers(rows: Sequence[Any]) -> list[str]:
    return [str(n) for n in range(1, len(rows) + 1)]


def _with_source(row: CountRow) -> CountRow:
    """A row from one of several trackers, labelled with its tracker: 'nghe-an — Sở Tư pháp'."""
    return dataclasses.replace(row, label=f"{row.source} — {row.label}") if row.source else row


def _unit_sheet(sheet: _Sheet, report: Report) -> None:
    """The sheet a unit head signs: every task of the unit, then the signature block."""
    sheet.merged(f"II. CÁC NHIỆM VỤ CỦA {report.scope.name.upper()}", "section")
    # Eleven summary columns: evidence and note each span two of them.
    headers = [c.header for c in unit_sheet_columns(report)]
    sheet.table_header([*headers[:-1], "", headers[-1], ""])
    merges = ((8, 9), (10, 11))
    for first, last in merges:
        sheet.ws.merged_cells.add(f"{_ref(first, sheet.row)}:{_ref(last, sheet.row)}")
    for row in report.slots:
        title = report.task_titles.get(row.task, "")
        if row.source:
            title = f"[{row.source}] {title}"
        height = max(
            _line_height(title, 40),
            _line_height(row.evidence or "", 24),
            _line_height(row.note or "", 24),
            _line_height(row.category_label, 12),
        )
        sheet.append(
            [
                sheet.cell(row.task, "center"),
                sheet.cell(title, "text"),
                sheet.cell(row.period, "center"),
                sheet.cell(row.deadline, "date"),
                sheet.cell(row.status_label, "text"),
                sheet.cell(row.category_label, f"cat:{row.category}"),
                sheet.cell(row.done_on, "date"),
                sheet.cell(row.evidence, "text"),
                sheet.cell(None, "text"),
                sheet.cell(row.note, "text"),
                sheet.cell(None, "text"),
            ],
            height=height,
        )
        for first, last in merges:
            sheet.ws.merged_cells.add(f"{_ref(first, sheet.row)}:{_ref(last, sheet.row)}")
    sheet.blank()
    sheet.spans([("THỦ TRƯỞNG ĐƠN VỊ", "signature", 7, 11)])
    sheet.spans([("(Ký, ghi rõ họ tên, đóng dấu)", "signature_note", 7, 11)])


def _chart(
    sheet: _Sheet,
    title: str,
    axis_title: str,
    rows: tuple[int, int],
    data_col: int,
    label_col: int,
    percent: bool = False,
) -> None:
    """A bar chart of one column of a table just written, below it."""
    from openpyxl.chart import BarChart, Reference
    from openpyxl.worksheet.pagebreak import Break

    first, last = rows
    chart = BarChart()
    chart.type = "col"
    chart.style = 10
    chart.legend = None
    chart.title = title
    chart.y_axis.title = axis_title
    chart.y_axis.scaling.min = 0
    if percent:
        chart.y_axis.scaling.max = 100
    chart.height = 10
    chart.width = 30
    chart.add_data(Reference(sheet.ws, min_col=data_col, min_row=first, max_row=last), titles_from_data=False)
    chart.set_categories(Reference(sheet.ws, min_col=label_col, min_row=first, max_row=last))
    chart.x_axis.delete = False
    chart.y_axis.delete = False
    # The chart starts a printed page rather than being cut between two.
    sheet.ws.row_breaks.append(Break(id=sheet.row))
    sheet.ws.add_chart(chart, f"B{sheet.row + 2}")


def _matrix_sheet(book: _Book, header: ReportHeader, report: Report) -> None:
    columns = report.matrix_columns
    widths = [6, 34, *([11] * len(columns)), 8, 10, 10, 11]
    sheet = _Sheet(book, SHEET_MATRIX, widths)
    _document_header(sheet, header, report, _scope_line(report, "Ma trận đơn vị × nhiệm vụ"), widths)
    sheet.merged(
        f"Chú giải: mỗi ô là một nhiệm vụ của một đơn vị trong một kỳ; ô trống: đơn vị không có "
        f"nhiệm vụ đó. {ABBREVIATIONS}",
        "plain",
        height=18,
    )
    for category in Category:
        sheet.spans(
            [
                (SHORT_LABELS[category], f"cat:{category.value}", 2, 2),
                (category.label, "plain", 3, min(sheet.width, 6)),
            ]
        )
    sheet.blank()

    headers = [
        "STT",
        "Đơn vị",
        *(f"NV {task}\n{period}" for task, period in columns),
        "Số ô",
        "Đã hoàn thành",
        "Không áp dụng",
        "Tỷ lệ hoàn thành (%)",
    ]
    sheet.table_header(headers, height=48)
    header_row = sheet.row
    sheet.repeat_and_freeze(first_col=3)
    index = {key: i for i, key in enumerate(columns)}
    by_unit: dict[str, list[SlotRow]] = {}
    for row in report.slots:
        by_unit.setdefault(row.unit, []).append(row)
    first = header_row + 1
    for number, unit_row in enumerate(report.by_unit, 1):
        line: list[Any] = [sheet.cell(None, "text") for _ in columns]
        for slot in by_unit[unit_row.key]:
            category = Category(slot.category)
            line[index[(slot.task, slot.period)]] = sheet.cell(
                SHORT_LABELS[category], f"cat:{category.value}"
            )
        height = _row_height(
            [
                (unit_row.label, widths[1]),
                *((SHORT_LABELS[Category(slot.category)], 11) for slot in by_unit[unit_row.key]),
            ]
        )
        sheet.append(
            [
                sheet.cell(number, "center"),
                sheet.cell(unit_row.label, "text"),
                *line,
                *_matrix_counts(sheet, unit_row),
            ],
            height=height,
        )
    _matrix_total(sheet, len(columns), first)


def _matrix_counts(sheet: _Sheet, row: CountRow) -> list[StyledValue]:
    """The matrix's last four cells of a row: slots, done, not applicable, completion rate."""
    rate = row.completion_rate
    return [
        sheet.cell(row.slots, "int"),
        sheet.cell(row.done, "int"),
        sheet.cell(row.counts[Category.KHONG_AP_DUNG], "int"),
        sheet.cell(rate, "rate") if rate is not None else sheet.cell("—", "center"),
    ]


def _matrix_total(sheet: _Sheet, columns: int, first: int) -> None:
    """The matrix's total row, formulas over the rows first..last written; then the sheet is done."""
    last = sheet.row
    sheet.end_table()
    slots_col, done_col, na_col = columns + 3, columns + 4, columns + 5
    total = last + 1
    applicable = f"({_ref(slots_col, total)}-{_ref(na_col, total)})"
    sheet.append(
        [
            sheet.cell(None, "text"),
            sheet.cell("Tổng cộng", "text_bold"),
            *(sheet.cell(None, "text") for _ in range(columns)),
            *(
                sheet.cell(Formula(f"=SUM({_ref(col, first)}:{_ref(col, last)})"), "int_bold")
                for col in (slots_col, done_col, na_col)
            ),
            sheet.cell(
                Formula(f'=IF({applicable}=0,"—",ROUND(100*{_ref(done_col, total)}/{applicable},1))'),
                "rate_bold",
            ),
        ]
    )
    sheet.finish()


def _source_matrix_sheet(book: _Book, header: ReportHeader, report: Report) -> None:
    """Several trackers: one row per tracker, one column per task, each cell that task's completion rate
    in that tracker (units × tasks for 34 provinces would be thousands of rows)."""
    tasks = list(dict.fromkeys(row.task for row in report.by_source_task))
    widths = [6, 24, *([9] * len(tasks)), 10, 10, 10, 11]
    sheet = _Sheet(book, SHEET_MATRIX, widths)
    _document_header(
        sheet, header, report, _scope_line(report, "Ma trận bộ theo dõi × nhiệm vụ: tỷ lệ hoàn thành (%)"), widths
    )
    sheet.merged(
        "Chú giải: mỗi ô là tỷ lệ hoàn thành (%) của một nhiệm vụ trong một bộ theo dõi; ô trống: bộ theo dõi "
        f"không có nhiệm vụ đó; —: mọi ô của nhiệm vụ đều không áp dụng. {COMPLETION_RULE}",
        "plain",
        height=33,
    )
    sheet.blank()
    sheet.table_header(
        ["STT", "Bộ theo dõi", *(f"NV {t}" for t in tasks), "Số ô", "Đã hoàn thành", "Không áp dụng",
         "Tỷ lệ hoàn thành (%)"],
        height=48,
    )
    sheet.repeat_and_freeze(first_col=3)
    rates = {(row.source, row.task): row.completion_rate for row in report.by_source_task}
    first = sheet.row + 1
    for number, source_row in enumerate(report.by_source, 1):
        line: list[StyledValue | None] = []
        for task in tasks:
            key = (source_row.key, task)
            rate = rates.get(key)
            line.append(
                sheet.cell(None, "text") if key not in rates
                else sheet.cell(rate, "rate") if rate is not None else sheet.cell("—", "center")
            )
        sheet.append(
            [sheet.cell(number, "center"), sheet.cell(source_row.label, "text"), *line,
             *_matrix_counts(sheet, source_row)],
            height=_line_height(source_row.label, widths[1]),
        )
    _matrix_total(sheet, len(tasks), first)


def _overdue_sheet(book: _Book, header: ReportHeader, report: Report) -> None:
    source = [16] if report.several else []
    widths = [6, *source, 34, 7, 46, 10, 12, 10, 18]
    unit_width, title_width = widths[1 + len(source)], widths[3 + len(source)]
    sheet = _Sheet(book, SHEET_OVERDUE, widths)
    _document_header(
        sheet,
        header,
        report,
        _scope_line(report, f"Các ô quá hạn ({len(report.overdue)} ô), quá hạn lâu nhất trước"),
        widths,
    )
    sheet.table_header(
        ["STT", *(["Bộ theo dõi"] if source else []), "Đơn vị", "NV", "Nhiệm vụ", "Kỳ", "Hạn", "Quá hạn (ngày)",
         "Tình trạng"]
    )
    sheet.repeat_and_freeze()
    for number, row in enumerate(report.overdue, 1):
        title = report.task_titles.get(row.task, "")
        sheet.append(
            [
                sheet.cell(number, "center"),
                *([sheet.cell(row.source, "text")] if source else []),
                sheet.cell(row.unit_name, "text"),
                sheet.cell(row.task, "center"),
                sheet.cell(title, "text"),
                sheet.cell(row.period, "center"),
                sheet.cell(row.deadline, "date"),
                sheet.cell(row.days_late, "int"),
                sheet.cell(row.category_label, f"cat:{row.category}"),
            ],
            height=_row_height(
                [(row.unit_name, unit_width), (title, title_width), (row.category_label, widths[-1])]
            ),
        )
    sheet.finish()


DETAIL_COLUMNS = [
    ("STT", 6, None, "center"),
    ("NV", 7, "task", "center"),
    ("Đơn vị", 30, "unit_name", "text"),
    ("Kỳ", 10, "period", "center"),
    ("Hạn", 12, "deadline", "date"),
    ("Trạng thái", 15, "status_label", "text"),
    ("Tình trạng", 17, "category_label", "category"),
    ("Quá hạn (ngày)", 9, "days_late", "int"),
    ("Ngày hoàn thành", 12, "done_on", "date"),
    ("Căn cứ", 26, "evidence", "text"),
    ("Ghi chú", 22, "note", "text"),
    ("Đã ghi nhận", 9, "recorded", "yes_no"),
    ("Ngày ghi nhận", 12, "recorded_on", "date"),
    ("Người ghi nhận", 16, "recorded_by", "text"),
    ("Mã đơn vị", 22, "unit", "code"),
]


SOURCE_DETAIL_COLUMN = ("Bộ theo dõi", 16, "source", "text")


def _detail_sheet(book: _Book, header: ReportHeader, report: Report) -> None:
    columns = [DETAIL_COLUMNS[0], SOURCE_DETAIL_COLUMN, *DETAIL_COLUMNS[1:]] if report.several else DETAIL_COLUMNS
    widths = [w for _, w, _, _ in columns]
    sheet = _Sheet(book, SHEET_DETAIL, widths)
    what = f"Chi tiết {len(report.slots)} ô"
    if report.slots_left_out:
        what += f" đầu tiên trong {report.totals.slots} ô (các ô còn lại xem trang Thông tin)"
    _document_header(sheet, header, report, _scope_line(report, what), widths)
    sheet.table_header([h for h, _, _, _ in columns])
    sheet.repeat_and_freeze(first_col=6 if report.several else 5)
    # Styles resolved once per column: this loop writes every slot of the province.
    plain = [
        (key, sheet.book.style_id("center" if kind in ("category", "yes_no") else kind))
        for _, _, key, kind in columns
    ]
    category_ids = {c.value: sheet.book.style_id(f"cat:{c.value}") for c in Category}
    measured = [(key, width) for _, width, key, kind in columns if key and kind != "code"]
    kinds = [kind for _, _, _, kind in columns]
    for number, row in enumerate(report.slots, 1):
        line: list[StyledValue | None] = []
        for (key, style), kind in zip(plain, kinds, strict=True):
            if key is None:
                line.append((number, style))
            elif kind == "category":
                line.append((getattr(row, key), category_ids[row.category]))
            elif kind == "yes_no":
                line.append(("Có" if getattr(row, key) else "Không", style))
            else:
                line.append((getattr(row, key), style))
        sheet.append(line, height=_row_height([(getattr(row, key), width) for key, width in measured]))
    sheet.finish()


def _info_sheet(book: _Book, report: Report, provenance: Provenance) -> None:
    widths = [34, 100]
    sheet = _Sheet(book, SHEET_INFO, widths)
    sheet.merged("THÔNG TIN VỀ BÁO CÁO", "title", height=20)
    sheet.blank()
    sheet.table_header(["Mục", "Nội dung"], height=18)
    header_row = sheet.row
    items = [
        ("Kế hoạch", report.plan_title),
        ("Mã kế hoạch", report.plan_id),
        ("Phạm vi", report.scope.name),
        ("Kỳ", report.period.name),
        ("Ngày tính số liệu", report.as_of),
        ("Phiên bản dữ liệu (commit git)", provenance.data_version),
        ("Lệnh tạo báo cáo", provenance.command),
        ("Phần mềm", f"kehoach {__version__}"),
        ("Cách tính tỷ lệ hoàn thành", COMPLETION_RULE),
        (
            "Nhóm đơn vị",
            "Mỗi đơn vị được tính vào nhóm đầu tiên của đơn vị, nên tổng các nhóm bằng tổng cộng.",
        ),
        ("Chữ viết tắt", f"{ABBREVIATIONS} NV: nhiệm vụ."),
    ]
    if report.several:
        sources = ", ".join(row.key for row in report.by_source)
        items += [
            ("Bộ theo dõi", f"{len(report.by_source)} bộ theo dõi: {sources}."),
            ("Nội dung báo cáo nhiều bộ theo dõi", SEVERAL_CONTENT),
            (
                "Trang Chi tiết",
                f"Ghi {len(report.slots)} trong {report.totals.slots} ô"
                + (
                    f" (tối đa {SEVERAL_DETAIL_LIMIT} ô, theo thứ tự bộ theo dõi; {report.slots_left_out} ô "
                    "còn lại được tính trong các bảng tổng hợp và trang Quá hạn, xem chi tiết từng bộ theo "
                    "dõi bằng lệnh kehoach report --data THƯ_MỤC)."
                    if report.slots_left_out
                    else "."
                ),
            ),
        ]
    for label, value in items:
        key = "date" if isinstance(value, dt.date) else "text"
        sheet.append(
            [sheet.cell(label, "text_bold"), sheet.cell(value, key)], height=_line_height(str(value), 100)
        )
    sheet.ws.print_title_rows = f"{header_row}:{header_row}"
    sheet.finish()


# --- the workbook --------------------------------------------------------------------------------


def build_workbook(report: Report, header: ReportHeader, provenance: Provenance) -> _Book:
    from openpyxl import Workbook

    wb = Workbook(write_only=True)
    moment = dt.datetime.combine(report.as_of, dt.time(0, 0))
    wb.properties.creator = "kehoach"
    wb.properties.lastModifiedBy = "kehoach"
    wb.properties.title = report.title
    wb.properties.created = moment
    wb.properties.modified = moment
    book = _Book(wb)
    _summary_sheet(book, header, report)
    (_source_matrix_sheet if report.several else _matrix_sheet)(book, header, report)
    _overdue_sheet(book, header, report)
    _detail_sheet(book, header, report)
    _info_sheet(book, report, provenance)
    return book


def save(report: Report, header: ReportHeader, provenance: Provenance, path: Path) -> None:
    """Write the workbook beside the target and rename it into place: a reader never sees half a file."""
    from openpyxl.writer.excel import ExcelWriter

    book = build_workbook(report, header, provenance)
    stamp = (report.as_of.year, report.as_of.month, report.as_of.day, 0, 0, 0)
    # openpyxl names the sheets' parts by their position in the workbook.
    rows = {f"xl/worksheets/sheet{index}.xml": sheet.rows for index, sheet in enumerate(book.sheets, 1)}
    try:
        with replacing(path) as tmp_name:
            with StampedZip(tmp_name, stamp, rows) as archive:
                # ExcelWriter rather than save_workbook: the latter overwrites the modified time with now.
                ExcelWriter(book.wb, archive).save()
            if archive.spliced != set(rows):
                raise RuntimeError(f"rows not written into {sorted(set(rows) - archive.spliced)}")
    finally:
        for sheet in book.sheets:
            sheet.rows.close()
