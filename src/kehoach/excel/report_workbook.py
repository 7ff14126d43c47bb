"""The report as an Excel workbook made for printing and meetings (Nghị định 30/2020/NĐ-CP layout).

Sheets: Tổng hợp, Ma trận, Quá hạn, Chi tiết, Thông tin, all from the one `report.Report`. openpyxl is
imported inside functions only. Rows are streamed: written once, in order, as XML text
(`xlsx_stream`), so styles, widths and row heights are all decided before a row goes out; openpyxl
writes the rest of each sheet (columns, merges, charts, print titles, freeze panes, autofilter).
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from operator import attrgetter
from pathlib import Path
from typing import Any

from kehoach import __version__
from kehoach.domain.model import Category, ReportHeader
from kehoach.domain.periods import format_date
from kehoach.domain.report import ABBREVIATIONS, COMPLETION_RULE, CountRow, Report, SlotRow
from kehoach.domain.trend import Trend
from kehoach.excel.layout import SIGNATURE_NOTE, head_title
from kehoach.excel.stream import Formula, StampedZip, StyledValue
from kehoach.excel.styled_sheet import Book, Sheet, document_header, line_height, ref, row_height
from kehoach.render.report_view import unit_sheet_columns
from kehoach.render.rows import format_percent
from kehoach.store.files import replacing

SHEET_SUMMARY = "Tổng hợp"
SHEET_UNITS_ALL_PLANS = "Đơn vị, mọi kế hoạch"
"""Over the plans of one tracker only, after the summary: what each unit owes, whatever plan it comes from."""
SHEET_MATRIX = "Ma trận"
SHEET_OVERDUE = "Quá hạn"
SHEET_DETAIL = "Chi tiết"
SHEET_INFO = "Thông tin"
SHEETS = (SHEET_SUMMARY, SHEET_OVERDUE, SHEET_MATRIX, SHEET_DETAIL, SHEET_INFO)
"""In print order: a leader reads the summary and the overdue list first."""
SEVERAL_DETAIL_LIMIT = 20_000
"""A report over several trackers writes at most this many slots in Chi tiết (34 provinces hold ~245,000
slots a year): the summaries and the overdue list still count every slot; Thông tin says so."""
SEVERAL_CONTENT = (
    "Tổng hợp: số lượt báo cáo theo tình trạng của mọi bộ theo dõi, rồi theo từng bộ theo dõi, theo nhóm đơn vị và "
    "theo nhiệm vụ. Ma trận: tỷ lệ hoàn thành của từng nhiệm vụ trong từng bộ theo dõi. Quá hạn: mọi lượt báo cáo quá "
    "hạn của mọi bộ theo dõi. Mỗi dòng ghi bộ theo dõi nguồn (tên thư mục). Tiêu đề văn bản lấy theo bộ "
    "theo dõi đầu tiên."
)

@dataclass(frozen=True)
class Provenance:
    """What the Thông tin sheet says about where the numbers came from."""

    data_version: str
    """The git commit of the data (with a note when files changed since), or 'không có' outside git."""
    command: str
    """A command line that makes the same report again."""


def _document_header(sheet: Sheet, header: ReportHeader, report: Report, subtitle: str,
                     widths: Sequence[float], spaced: bool = True) -> None:
    document_header(sheet, header, report.as_of, report.plan_citation or report.plan_title, subtitle, widths,
                    spaced)


def _scope_line(report: Report, what: str) -> str:
    return (
        f"{what} — kỳ {report.period.name}, số liệu tính đến ngày {format_date(report.as_of)} — "
        f"phạm vi: {report.scope.name}"
    )


# --- the sheets ----------------------------------------------------------------------------------

COUNT_HEADERS = ["Số lượt", *(c.label for c in Category), "Tỷ lệ hoàn thành (%)"]
SUMMARY_WIDTHS = [7, 40, 8, *([12] * 7), 12]
SLOTS_COL, RATE_COL = 3, 11
"""In the summary's count tables: column of Số lượt, then the seven categories in order, then the rate."""


def _category_col(category: Category) -> int:
    return SLOTS_COL + 1 + list(Category).index(category)


def _count_table(
    sheet: Sheet, headers: tuple[str, str], rows: Sequence[CountRow], keys: Sequence[str]
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
            height=line_height(row.label, SUMMARY_WIDTHS[1]),
        )
    last = sheet.row
    total = last + 1
    sums = [
        sheet.cell(Formula(f"=SUM({ref(col, first)}:{ref(col, last)})"), "int_bold")
        for col in range(SLOTS_COL, RATE_COL)
    ]
    done = "+".join(ref(_category_col(c), total) for c in Category if c.done)
    applicable = f"{ref(SLOTS_COL, total)}-{ref(_category_col(Category.KHONG_AP_DUNG), total)}"
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


def _summary_sheet(book: Book, header: ReportHeader, report: Report) -> None:
    sheet = Sheet(book, SHEET_SUMMARY, SUMMARY_WIDTHS)
    _document_header(sheet, header, report, _scope_line(report, "Tổng hợp"), SUMMARY_WIDTHS)

    sheet.merged("I. SỐ LƯỢT BÁO CÁO THEO TÌNH TRẠNG", "section")
    sheet.table_header(["STT", "Tình trạng", "Số lượt", "Tỷ lệ (%)"])
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
        _unit_sheet(sheet, header, report)
        _chart(sheet, "Số lượt báo cáo theo tình trạng", "Số lượt", (first, last), data_col=SLOTS_COL, label_col=2)
        sheet.finish()
        return
    numerals = iter(("II", "III", "IV", "V"))
    if report.several:
        sheet.merged(f"{next(numerals)}. THEO {report.source_heading.upper()}", "section")
        _count_table(sheet, ("STT", report.source_heading), report.by_source, _numbers(report.by_source))
        sheet.blank()
    sheet.merged(f"{next(numerals)}. THEO NHÓM ĐƠN VỊ", "section")
    _count_table(
        sheet, ("STT", "Nhóm đơn vị"), [_with_source(r) for r in report.by_group], _numbers(report.by_group)
    )
    sheet.blank()
    sheet.merged(f"{next(numerals)}. THEO NHIỆM VỤ", "section")
    # A printed page may shorten a task's text (JSON and CSV carry it whole): the leader's copy stays short.
    titled = [r._replace(label=report.task_titles.get(r.key, r.label)) for r in report.by_task]
    # A task of one of several plans: its number here, its plan already leads its label.
    numbers = [r.key.removeprefix(f"{r.source}/") if r.source else r.key for r in report.by_task]
    rows = _count_table(sheet, ("NV", "Nhiệm vụ"), [_with_source(r) for r in titled], numbers)
    # The table by task is the one that runs onto the next page: its header heads every page after it.
    sheet.ws.print_title_rows = f"{rows[0] - 1}:{rows[0] - 1}"
    sheet.blank()
    if report.trend is not None and report.trend.points:
        _trend_table(sheet, report.trend, next(numerals))
        sheet.blank()
    _chart(
        sheet, "Tỷ lệ hoàn thành theo nhiệm vụ (%)", "%", rows, data_col=RATE_COL, label_col=1, percent=True
    )
    sheet.finish()


def _units_all_plans_sheet(book: Book, header: ReportHeader, report: Report) -> None:
    """One row a unit, its slots of every plan of the tracker summed (units are shared by the plans)."""
    sheet = Sheet(book, SHEET_UNITS_ALL_PLANS, SUMMARY_WIDTHS)
    _document_header(sheet, header, report, _scope_line(report, "Theo đơn vị, gộp mọi kế hoạch"), SUMMARY_WIDTHS)
    sheet.merged("SỐ LƯỢT BÁO CÁO CỦA TỪNG ĐƠN VỊ, GỘP MỌI KẾ HOẠCH", "section")
    rows = _count_table(sheet, ("STT", "Đơn vị"), report.by_unit_all_plans, _numbers(report.by_unit_all_plans))
    sheet.ws.print_title_rows = f"{rows[0] - 1}:{rows[0] - 1}"
    sheet.finish()


TREND_STEP = 4
"""The summary's trend table shows every fourth week and the as-of date: a year in 14 rows (the page and
the JSON have every week)."""


def _trend_table(sheet: Sheet, trend: Trend, numeral: str) -> None:
    """The completion rate through the period, beside the previous period as far into it (`domain/trend`)."""
    sheet.merged(f"{numeral}. XU HƯỚNG: TỶ LỆ HOÀN THÀNH THEO THỜI GIAN", "section")
    sheet.table_header(["Tuần", "Đến ngày", f"Kỳ {trend.period}", f"Kỳ {trend.previous_period}"])
    before = {p.week: p.rate for p in trend.previous}
    shown = [p for p in trend.points if p.week % TREND_STEP == 0 or p is trend.points[-1]]
    for point in shown:
        then = before.get(point.week)
        sheet.append([
            sheet.cell(point.week, "center"),
            sheet.cell(point.day, "date"),
            sheet.cell(point.rate, "rate") if point.rate is not None else sheet.cell("—", "center"),
            sheet.cell(then, "rate") if then is not None else sheet.cell("—", "center"),
        ])
    sheet.merged(f"Tỷ lệ hoàn thành (%) đến cuối mỗi {TREND_STEP} tuần tính từ đầu kỳ và đến ngày tính; kỳ "
                 f"{trend.previous_period} cùng thời điểm của kỳ. Từng tuần: báo cáo HTML, JSON.", "plain")


def _numbers(rows: Sequence[Any]) -> list[str]:
    return [str(n) for n in range(1, len(rows) + 1)]


def _with_source(row: CountRow) -> CountRow:
    """A row from one of several trackers, labelled with its tracker: 'nghe-an — Sở Tư pháp'."""
    return row._replace(label=f"{row.source} — {row.label}") if row.source else row


def _unit_sheet(sheet: Sheet, header: ReportHeader, report: Report) -> None:
    """The office's report on one unit: every task of the unit, then the office head's signature."""
    sheet.merged(f"II. CÁC NHIỆM VỤ CỦA {report.scope.name.upper()}", "section")
    # Eleven summary columns: evidence and note each span two of them.
    headers = [c.header for c in unit_sheet_columns(report)]
    sheet.table_header([*headers[:-1], "", headers[-1], ""])
    sheet.ws.print_title_rows = f"{sheet.row}:{sheet.row}"
    merges = ((8, 9), (10, 11))
    for first, last in merges:
        sheet.ws.merged_cells.add(f"{ref(first, sheet.row)}:{ref(last, sheet.row)}")
    for row in report.slots:
        title = report.title_of(row.task, row.source)
        if row.source:
            title = f"[{row.source}] {title}"
        height = max(
            line_height(title, 40),
            line_height(row.evidence or "", 24),
            line_height(row.note or "", 24),
            line_height(row.category_label, 12),
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
            sheet.ws.merged_cells.add(f"{ref(first, sheet.row)}:{ref(last, sheet.row)}")
    sheet.blank()
    # The issuing office's report about the unit: headed, numbered (/BC-STP) and signed by the office.
    sheet.spans([(head_title(header.agency), "signature", 7, 11)])
    sheet.spans([(SIGNATURE_NOTE, "signature_note", 7, 11)])


def _chart(
    sheet: Sheet,
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
    # LibreOffice's default 10 pt labels print at 6.7 pt on a page fitted to width: ask for 13 pt.
    chart.x_axis.txPr = _chart_text(CHART_TEXT_POINTS)
    chart.y_axis.txPr = _chart_text(CHART_TEXT_POINTS)
    # The chart starts a printed page rather than being cut between two.
    sheet.ws.row_breaks.append(Break(id=sheet.row))
    sheet.ws.add_chart(chart, f"B{sheet.row + 2}")


MATRIX_MARKS = {
    Category.HOAN_THANH_DUNG_HAN: "HT",
    Category.HOAN_THANH_QUA_HAN: "HQ",
    Category.DANG_THUC_HIEN_TRONG_HAN: "ĐT",
    Category.DANG_THUC_HIEN_QUA_HAN: "ĐQ",
    Category.CHUA_THUC_HIEN_TRONG_HAN: "CT",
    Category.CHUA_THUC_HIEN_QUA_HAN: "CQ",
    Category.KHONG_AP_DUNG: "KA",
}
"""The matrix's cell marks, spelled out in its legend (and told apart by their fills)."""
MATRIX_MARK_WIDTH = 3.8


CHART_TEXT_POINTS = 13


def _chart_text(points: float) -> Any:
    from openpyxl.chart.text import RichText
    from openpyxl.drawing.text import CharacterProperties, Paragraph, ParagraphProperties

    size = CharacterProperties(sz=int(points * 100))
    return RichText(p=[Paragraph(pPr=ParagraphProperties(defRPr=size), endParaRPr=size)])


def _matrix_sheet(book: Book, header: ReportHeader, report: Report) -> None:
    columns = report.matrix_columns
    # Two-letter marks in narrow columns under upright headers: a province's 185 units × 29 columns
    # print one page wide at 8 pt (the short labels needed 11 wide columns: 33 pages at that size).
    widths = [6, 24, *([MATRIX_MARK_WIDTH] * len(columns)), 6, 7, 7, 8]
    sheet = Sheet(book, SHEET_MATRIX, widths)
    _document_header(sheet, header, report, _scope_line(report, "Ma trận đơn vị × nhiệm vụ"), widths)
    sheet.merged(
        f"Chú giải: mỗi chỗ giao của một đơn vị và một nhiệm vụ trong một kỳ là một lượt báo cáo; để trống: "
        f"đơn vị không có nhiệm vụ đó. {ABBREVIATIONS}",
        "plain",
        height=18,
    )
    for category in Category:
        sheet.spans(
            [
                (MATRIX_MARKS[category], f"cat:{category.value}", 2, 2),
                (category.label, "plain", 3, min(sheet.width, 14)),
            ]
        )
    sheet.blank()

    headers = [
        "STT",
        "Đơn vị",
        *(f"NV {task} · {period}" for task, period in columns),
        "Số lượt",
        "Đã hoàn thành",
        "Không áp dụng",
        "Tỷ lệ hoàn thành (%)",
    ]
    upright = range(2, 2 + len(columns))
    sheet.append([sheet.cell(h, "header_up" if i in upright else "header") for i, h in enumerate(headers)],
                 height=96)
    header_row = sheet.row
    sheet.repeat_and_freeze(first_col=3)
    sheet.print_across_pages("A:B")
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
                MATRIX_MARKS[category], f"cat:{category.value}"
            )
        height = row_height([(unit_row.label, widths[1])])
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


def _matrix_counts(sheet: Sheet, row: CountRow) -> list[StyledValue]:
    """The matrix's last four cells of a row: slots, done, not applicable, completion rate."""
    rate = row.completion_rate
    return [
        sheet.cell(row.slots, "int"),
        sheet.cell(row.done, "int"),
        sheet.cell(row.counts[Category.KHONG_AP_DUNG], "int"),
        sheet.cell(rate, "rate") if rate is not None else sheet.cell("—", "center"),
    ]


def _matrix_total(sheet: Sheet, columns: int, first: int) -> None:
    """The matrix's total row, formulas over the rows first..last written; then the sheet is done."""
    last = sheet.row
    sheet.end_table()
    slots_col, done_col, na_col = columns + 3, columns + 4, columns + 5
    total = last + 1
    applicable = f"({ref(slots_col, total)}-{ref(na_col, total)})"
    sheet.append(
        [
            sheet.cell(None, "text"),
            sheet.cell("Tổng cộng", "text_bold"),
            *(sheet.cell(None, "text") for _ in range(columns)),
            *(
                sheet.cell(Formula(f"=SUM({ref(col, first)}:{ref(col, last)})"), "int_bold")
                for col in (slots_col, done_col, na_col)
            ),
            sheet.cell(
                Formula(f'=IF({applicable}=0,"—",ROUND(100*{ref(done_col, total)}/{applicable},1))'),
                "rate_bold",
            ),
        ]
    )
    sheet.finish()


def _source_matrix_sheet(book: Book, header: ReportHeader, report: Report) -> None:
    """Several trackers: one row per tracker, one column per task, each cell that task's completion rate
    in that tracker (units × tasks for 34 provinces would be thousands of rows)."""
    tasks = list(dict.fromkeys(row.task for row in report.by_source_task))
    widths = [6, 24, *([9] * len(tasks)), 10, 10, 10, 11]
    sheet = Sheet(book, SHEET_MATRIX, widths)
    _document_header(
        sheet, header, report, _scope_line(report, "Ma trận bộ theo dõi × nhiệm vụ: tỷ lệ hoàn thành (%)"), widths
    )
    sheet.merged(
        "Chú giải: mỗi chỗ giao là tỷ lệ hoàn thành (%) của một nhiệm vụ trong một bộ theo dõi; để trống: bộ theo "
        f"dõi không có nhiệm vụ đó; —: mọi lượt báo cáo của nhiệm vụ đều không áp dụng. {COMPLETION_RULE}",
        "plain",
        height=33,
    )
    sheet.blank()
    sheet.table_header(
        ["STT", report.source_heading, *(f"NV {t}" for t in tasks), "Số lượt", "Đã hoàn thành", "Không áp dụng",
         "Tỷ lệ hoàn thành (%)"],
        height=48,
    )
    sheet.repeat_and_freeze(first_col=3)
    sheet.print_across_pages("A:B")
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
            height=line_height(source_row.label, widths[1]),
        )
    _matrix_total(sheet, len(tasks), first)


def _overdue_sheet(book: Book, header: ReportHeader, report: Report) -> None:
    source = [16] if report.several else []
    widths = [6, *source, 34, 7, 46, 10, 12, 10, 18]
    unit_width, title_width = widths[1 + len(source)], widths[3 + len(source)]
    sheet = Sheet(book, SHEET_OVERDUE, widths)
    _document_header(
        sheet,
        header,
        report,
        _scope_line(report, f"Các lượt báo cáo quá hạn ({len(report.overdue)}), quá hạn lâu nhất trước"),
        widths,
    )
    sheet.table_header(
        ["STT", *([report.source_heading] if source else []), "Đơn vị", "NV", "Nhiệm vụ", "Kỳ", "Hạn", "Quá hạn (ngày)",
         "Tình trạng"]
    )
    sheet.repeat_and_freeze()
    # Styles resolved once: at a ministry this loop writes tens of thousands of rows.
    center, text, date, whole = (sheet.book.style_id(kind) for kind in ("center", "text", "date", "int"))
    category_ids = {c.value: sheet.book.style_id(f"cat:{c.value}") for c in Category}
    title_of = report.title_of
    fields = attrgetter("source", "unit_name", "task", "period", "deadline", "days_late", "category_label",
                        "category")
    label_width = widths[-1]
    for number, row in enumerate(report.overdue, 1):
        source_name, unit_name, task, period, deadline, days_late, label, category = fields(row)
        title = title_of(task, source_name)
        sheet.append(
            [
                (number, center),
                *([(source_name, text)] if source else []),
                (unit_name, text),
                (task, center),
                (title, text),
                (period, center),
                (deadline, date),
                (days_late, whole),
                (label, category_ids[category]),
            ],
            height=row_height(((unit_name, unit_width), (title, title_width), (label, label_width))),
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
DETAIL_PRINT_NOTE = (
    "Trang này không nằm trong bản in mặc định của báo cáo. Để in toàn bộ danh sách (cỡ chữ dễ đọc, "
    "nhiều trang), hãy xóa vùng in của trang này (Excel: Bố trí Trang › Vùng In › Xóa Vùng In; "
    "LibreOffice: Định dạng › Vùng in › Xóa) rồi in."
)


def _detail_sheet(book: Book, header: ReportHeader, report: Report) -> None:
    sourced = (report.source_heading, *SOURCE_DETAIL_COLUMN[1:])
    columns = [DETAIL_COLUMNS[0], sourced, *DETAIL_COLUMNS[1:]] if report.several else DETAIL_COLUMNS
    widths = [w for _, w, _, _ in columns]
    sheet = Sheet(book, SHEET_DETAIL, widths)
    what = f"Chi tiết {len(report.slots)} lượt báo cáo"
    if report.slots_left_out:
        what += f" đầu tiên trong {report.totals.slots} (các lượt còn lại xem trang Thông tin)"
    _document_header(sheet, header, report, _scope_line(report, what), widths, spaced=False)
    # Every slot of the province is some sixty pages even at 4.7 pt: the default print of this sheet is
    # a note saying how to print it whole (readably, across pages), not part of a leader's copy.
    note_cols = 6
    note = sheet.merged(DETAIL_PRINT_NOTE, "plain", last=note_cols,
                        height=line_height(DETAIL_PRINT_NOTE, sum(widths[:note_cols])))
    sheet.ws.print_area = f"A{note}:{ref(note_cols, note)}"
    sheet.table_header([h for h, _, _, _ in columns])
    sheet.repeat_and_freeze(first_col=6 if report.several else 5)
    sheet.print_across_pages("A:C" if report.several else "A:B")
    # Styles resolved once per column, each row's values taken in one call: this loop writes every slot
    # of the province, and twenty thousand at a ministry.
    valued = columns[1:]  # every column but STT holds a field of the row
    values_of = attrgetter(*[key for _, _, key, _ in valued if key])
    styles = [sheet.book.style_id("center" if kind in ("category", "yes_no") else kind) for _, _, _, kind in valued]
    widths_of_values = [width for _, width, _, _ in valued]
    category_at = next(i for i, (_, _, _, kind) in enumerate(valued) if kind == "category")
    yes_no_at = [i for i, (_, _, _, kind) in enumerate(valued) if kind == "yes_no"]
    number_style = sheet.book.style_id(columns[0][3])
    category_ids = {c.value: sheet.book.style_id(f"cat:{c.value}") for c in Category}
    for number, row in enumerate(report.slots, 1):
        values = list(values_of(row))
        for at in yes_no_at:
            values[at] = "Có" if values[at] else "Không"
        line: list[StyledValue | None] = [(number, number_style), *zip(values, styles, strict=True)]
        line[1 + category_at] = (values[category_at], category_ids[row.category])
        sheet.append(line, height=row_height(zip(values, widths_of_values, strict=True)))
    sheet.finish()


def _info_sheet(book: Book, report: Report, provenance: Provenance) -> None:
    widths = [34, 100]
    sheet = Sheet(book, SHEET_INFO, widths)
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
            (report.source_heading, f"{len(report.by_source)} {report.source_heading.lower()}: {sources}."),
            ("Nội dung báo cáo nhiều bộ theo dõi", SEVERAL_CONTENT),
            (
                "Trang Chi tiết",
                f"Ghi {len(report.slots)} trong {report.totals.slots} lượt báo cáo"
                + (
                    f" (tối đa {SEVERAL_DETAIL_LIMIT} lượt, theo thứ tự bộ theo dõi; {report.slots_left_out} lượt "
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
            [sheet.cell(label, "text_bold"), sheet.cell(value, key)], height=line_height(str(value), 100)
        )
    sheet.ws.print_title_rows = f"{header_row}:{header_row}"
    sheet.finish()


# --- the workbook --------------------------------------------------------------------------------


def build_workbook(report: Report, header: ReportHeader, provenance: Callable[[], Provenance]) -> Book:
    """`provenance` is asked for last, once the other sheets are built: the git questions behind it can
    run meanwhile (34 trackers: ~100 git processes)."""
    from openpyxl import Workbook

    wb = Workbook(write_only=True)
    moment = dt.datetime.combine(report.as_of, dt.time(0, 0))
    wb.properties.creator = "kehoach"
    wb.properties.lastModifiedBy = "kehoach"
    wb.properties.title = report.title
    wb.properties.created = moment
    wb.properties.modified = moment
    book = Book(wb)
    _summary_sheet(book, header, report)
    if report.by_unit_all_plans:
        _units_all_plans_sheet(book, header, report)
    _overdue_sheet(book, header, report)
    (_source_matrix_sheet if report.several else _matrix_sheet)(book, header, report)
    _detail_sheet(book, header, report)
    _info_sheet(book, report, provenance())
    return book


def save(report: Report, header: ReportHeader, provenance: Callable[[], Provenance], path: Path) -> None:
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
