"""`kehoach form`: one Excel workbook per unit, to be filled in and sent back for `kehoach import`.

The sheet shows the unit's slots for a period with their current state, and four columns to fill
(status, done date, evidence, note). Everything else is locked. A hidden sheet identifies the form:
which plan (and which shape of it), which unit and period, and a fingerprint of the rows it was
made from, so that an import knows what it reads and whether the plan changed since.

openpyxl is imported inside the functions that need it: `kehoach --help` must stay fast.
"""

from __future__ import annotations

import datetime as dt
import hashlib
import io
from collections.abc import Iterable
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any

from kehoach.domain.definitions import Definitions
from kehoach.domain.model import STATUS_LABELS, Period, Plan, Record, ReportHeader, Unit
from kehoach.domain.report import SlotRow
from kehoach.domain.slots import EvaluatedSlot, Scope, build_slots
from kehoach.domain.text import slug, spreadsheet_safe
from kehoach.excel.layout import FONT, SIGNATURE_NOTE, head_title, heading_lines, page_setup
from kehoach.excel.stream import StampedZip, safe_text

if TYPE_CHECKING:
    from openpyxl.workbook.workbook import Workbook
    from openpyxl.worksheet.worksheet import Worksheet

FORM_FORMAT = "kehoach-bieu-mau"
FORM_VERSION = 1
SHEET_TITLE = "Biểu mẫu"
META_SHEET = "kehoach"
FILE_PREFIX = "bieu-mau"


@dataclass(frozen=True)
class FormColumn:
    key: str
    header: str
    width: float
    fill: bool
    """Filled in by the unit (unlocked, shaded yellow); the others are locked keys and context."""


COLUMNS: tuple[FormColumn, ...] = (
    FormColumn("task", "Mã NV", 7, False),
    FormColumn("content", "Nội dung nhiệm vụ", 46, False),
    FormColumn("unit", "Mã đơn vị", 14, False),
    FormColumn("period", "Kỳ", 9, False),
    FormColumn("deadline", "Hạn", 11.5, False),
    FormColumn("current", "Tình trạng hiện tại", 17, False),
    FormColumn("status", "Trạng thái", 16, True),
    FormColumn("done_on", "Ngày hoàn thành", 12.5, True),
    FormColumn("evidence", "Căn cứ (số, ngày văn bản; đường dẫn)", 24, True),
    FormColumn("note", "Ghi chú", 20, True),
)
COLUMN_INDEX = {c.key: i + 1 for i, c in enumerate(COLUMNS)}
DATE_KEYS = frozenset({"deadline", "done_on"})
HIDDEN_KEYS = frozenset({"unit"})
DATE_FORMAT = "dd/mm/yyyy"
STATUS_CHOICES = tuple(STATUS_LABELS.values())

# The metadata sheet: one key per row in column A, its value in column B. Order is part of format 1.
META_KEYS = ("format", "version", "plan", "plan_hash", "unit", "period", "rows_sha256", "rows", "made_on")

INSTRUCTIONS = (
    "Hướng dẫn: chỉ điền 4 cột nền vàng — Trạng thái (chọn trong danh sách), Ngày hoàn thành (dd/mm/yyyy, "
    "bắt buộc khi Hoàn thành), Căn cứ (số, ngày văn bản báo cáo hoặc đường dẫn), Ghi chú (bắt buộc ghi lý "
    "do khi Không áp dụng). Dòng để trống Trạng thái là chưa báo cáo. Không sửa các cột nền xám, không "
    "thêm, xóa dòng hay đổi tên trang; lưu và gửi lại đúng tệp .xlsx này."
)


# --- identity ----------------------------------------------------------------------------------------

def plan_hash(plan: Plan) -> str:
    """The shape of the plan a form depends on: task ids, their cadences and period rules."""
    lines = []
    for task in plan.tasks:
        rules = ",".join(f"{r.kind}:{r.starts}:{int(r.starts_previous_year)}:{task.due_rule(r.kind)}"
                         for r in task.cadence.periods)
        lines.append(f"{task.id}\t{task.cadence.id}\t{rules}")
    return hashlib.sha256("\n".join(lines).encode("utf-8")).hexdigest()[:16]


def rows_fingerprint(keys: Iterable[tuple[str, str, str, dt.date]]) -> str:
    """sha256 over the (task, unit, period, deadline) rows, order-free."""
    lines = sorted(f"{task}\t{unit}\t{period}\t{due.isoformat()}" for task, unit, period, due in keys)
    return hashlib.sha256("\n".join(lines).encode("utf-8")).hexdigest()


def slot_keys(items: Iterable[EvaluatedSlot]) -> list[tuple[str, str, str, dt.date]]:
    return [(i.slot.task.id, i.slot.unit.id, i.slot.period.name, i.slot.deadline) for i in items]


@dataclass(frozen=True)
class FormMeta:
    format: str
    version: int
    plan: str
    plan_hash: str
    unit: str
    period: str
    rows_sha256: str
    rows: int
    made_on: str

    def as_pairs(self) -> list[tuple[str, str]]:
        return [(key, str(getattr(self, key))) for key in META_KEYS]


# --- choosing what goes in a form --------------------------------------------------------------------

def form_items(definitions: Definitions, unit: Unit, period: Period,
               records: dict[tuple[str, str, str], Record], as_of: dt.date) -> list[EvaluatedSlot]:
    """The unit's slots for the period, in plan order then by deadline."""
    scope = Scope(units=frozenset({unit.id}), period=period)
    items = build_slots(definitions, scope, records, as_of)
    return sorted(items, key=lambda i: (i.slot.task.order, i.slot.deadline))


def form_file_name(plan: Plan, unit: Unit, period: Period) -> str:
    return f"{FILE_PREFIX}_{slug(plan.id)}_{slug(unit.id)}_{slug(period.name)}.xlsx"


# --- the workbook ------------------------------------------------------------------------------------

def write_text(cell: Any, value: str | None) -> None:
    """A text cell that stays text: never a formula, and marked as text where Excel would guess."""
    if value:
        value = safe_text(value)
    cell.value = value
    if value:
        cell.data_type = "s"
        # Text Excel would run as a formula (or a DDE call) once retyped or re-opened from CSV carries
        # Excel's quote prefix: the same test as the CSV guard, without adding a character.
        if spreadsheet_safe(value) != value:
            cell.quotePrefix = True


def build_workbook(plan: Plan, header: ReportHeader, unit: Unit, period: Period, items: list[EvaluatedSlot],
                   as_of: dt.date) -> Workbook:
    from openpyxl import Workbook

    workbook = Workbook()
    sheet = workbook.active
    assert sheet is not None
    sheet.title = SHEET_TITLE
    header_row = _write_heading(sheet, plan, header, unit, period, as_of, len(items))
    last_row = _write_table(sheet, items, header_row)
    _protect_and_validate(sheet, header_row, last_row)
    signed_to = _write_signature(sheet, unit, last_row)
    _page_setup(sheet, header_row, signed_to)
    meta = FormMeta(FORM_FORMAT, FORM_VERSION, plan.id, plan_hash(plan), unit.id, period.name,
                    rows_fingerprint(slot_keys(items)), len(items), as_of.isoformat())
    _write_meta(workbook, meta)
    return workbook


def _font(size: float = 12, bold: bool = False, italic: bool = False, underline: str | None = None) -> Any:
    from openpyxl.styles import Font

    return Font(name=FONT, size=size, bold=bold, italic=italic, underline=underline)


def _merged(sheet: Worksheet, row: int, first: int, last: int, text: str, font: Any,
            height: float | None = None, horizontal: str = "center") -> None:
    from openpyxl.styles import Alignment

    sheet.merge_cells(start_row=row, start_column=first, end_row=row, end_column=last)
    cell = sheet.cell(row=row, column=first)
    write_text(cell, text)
    cell.font = font
    cell.alignment = Alignment(horizontal=horizontal, vertical="center", wrap_text=True)
    if height:
        sheet.row_dimensions[row].height = height


def _write_heading(sheet: Worksheet, plan: Plan, header: ReportHeader, unit: Unit, period: Period, as_of: dt.date,
                   count: int) -> int:
    """NĐ 30 header block, title, the unit and period, instructions. Returns the table's header row."""
    split, last = 3, len(COLUMNS)
    fonts = {"agency_parent": _font(13), "agency": _font(13, bold=True), "nation": _font(13, bold=True),
             "motto": _font(14, bold=True, underline="single"), "place_date": _font(14, italic=True)}
    halves = ((1, split), (split + 1, last))
    for row, line in enumerate(heading_lines(header, as_of), start=1):
        for part, (first, end) in zip(line, halves, strict=True):
            if part:
                _merged(sheet, row, first, end, part[0], fonts[part[1]])
    _merged(sheet, 5, 1, last, "BIỂU MẪU BÁO CÁO TÌNH HÌNH THỰC HIỆN NHIỆM VỤ", _font(14, bold=True), 20)
    _merged(sheet, 6, 1, last, f"(Theo {plan.title})", _font(11, italic=True), 30)
    # The unit by its name: its id is for kehoach, in the hidden column and the hidden sheet.
    _merged(sheet, 7, 1, last, f"Đơn vị: {unit.name} — Kỳ báo cáo: {period.name} — Số dòng: {count}",
            _font(13, bold=True), 20)
    _merged(sheet, 8, 1, last, INSTRUCTIONS, _font(11, italic=True), 46, horizontal="left")
    return 10


def _border() -> Any:
    from openpyxl.styles import Border, Side

    thin = Side(style="thin", color="000000")
    return Border(left=thin, right=thin, top=thin, bottom=thin)


def _write_table(sheet: Worksheet, items: list[EvaluatedSlot], header_row: int) -> int:
    from openpyxl.styles import Alignment, PatternFill, Protection
    from openpyxl.utils import get_column_letter

    key_fill = PatternFill("solid", fgColor="F2F2F2")
    fill_fill = PatternFill("solid", fgColor="FFF2CC")
    border = _border()
    for index, column in enumerate(COLUMNS, start=1):
        cell = sheet.cell(row=header_row, column=index)
        write_text(cell, column.header + (" (điền)" if column.fill else ""))
        cell.font = _font(12, bold=True)
        cell.alignment = Alignment(horizontal="center", vertical="center", wrap_text=True)
        cell.border = border
        cell.fill = fill_fill if column.fill else key_fill
        sheet.column_dimensions[get_column_letter(index)].width = column.width
        # Kept for import and CSV exports, out of a person's sight.
        sheet.column_dimensions[get_column_letter(index)].hidden = column.key in HIDDEN_KEYS
    sheet.row_dimensions[header_row].height = 34
    row = header_row
    for row, item in enumerate(items, start=header_row + 1):
        values = _row_values(item)
        for index, column in enumerate(COLUMNS, start=1):
            cell = sheet.cell(row=row, column=index)
            value = values[column.key]
            if isinstance(value, dt.date):
                cell.value = value
            else:
                write_text(cell, value)
            if column.key in DATE_KEYS:
                # Also where empty: a date the unit types shows as 10/06/2026, never as 46183.
                cell.number_format = DATE_FORMAT
            cell.font = _font(12)
            cell.border = border
            wrap = column.key in ("content", "evidence", "note", "current")
            cell.alignment = Alignment(vertical="top", wrap_text=wrap,
                                       horizontal="left" if wrap or column.key == "status" else "center")
            cell.fill = fill_fill if column.fill else key_fill
            if column.fill:
                cell.protection = Protection(locked=False)
        sheet.row_dimensions[row].height = _row_height(values)
    return row


def _row_height(values: dict[str, Any]) -> float:
    """Neither Excel nor LibreOffice grows a row for wrapped text written by openpyxl: estimate it."""
    lines = 1
    for column in COLUMNS:
        value = values[column.key]
        if isinstance(value, str) and value:
            per_line = max(1, int(column.width * 1.3))
            lines = max(lines, sum(-(-len(part) // per_line) or 1 for part in value.split("\n")))
    return round(16.0 * lines + 2, 1)


def _row_values(item: EvaluatedSlot) -> dict[str, Any]:
    """The status view's row (one row model), plus the task text; fill columns show what is on record,
    so a unit corrects rather than retypes."""
    row = SlotRow.of(item)
    return {
        "task": row.task, "unit": row.unit, "period": row.period, "deadline": row.deadline,
        "done_on": row.done_on, "evidence": row.evidence, "note": row.note,
        "content": item.slot.task.content,
        "current": row.category_label,
        "status": row.status_label if row.recorded else None,
    }


def _write_signature(sheet: Worksheet, unit: Unit, last_row: int) -> int:
    """The unit head's signature under the table, right half (NĐ 30): the unit returns its own report.
    Returns the last row written."""
    first, last = COLUMN_INDEX["status"], len(COLUMNS)
    title, note = last_row + 2, last_row + 3
    _merged(sheet, title, first, last, head_title(unit.name, unit.level), _font(13, bold=True), 20)
    _merged(sheet, note, first, last, SIGNATURE_NOTE, _font(12, italic=True), 18)
    return note + 4  # room to sign


def _protect_and_validate(sheet: Worksheet, header_row: int, last_row: int) -> None:
    from openpyxl.utils import get_column_letter
    from openpyxl.worksheet.datavalidation import DataValidation

    first = header_row + 1
    status_col = get_column_letter(COLUMN_INDEX["status"])
    date_col = get_column_letter(COLUMN_INDEX["done_on"])
    choices = ", ".join(STATUS_CHOICES)
    status_rule = DataValidation(type="list", formula1='"' + ",".join(STATUS_CHOICES) + '"', allow_blank=True,
                                 showErrorMessage=True, errorStyle="stop",
                                 errorTitle="Trạng thái không hợp lệ",
                                 error=f"Chọn một trạng thái trong danh sách: {choices}.",
                                 showInputMessage=True, promptTitle="Trạng thái",
                                 prompt="Chọn trong danh sách; để trống nếu chưa báo cáo.")
    status_rule.add(f"{status_col}{first}:{status_col}{last_row}")
    date_rule = DataValidation(type="date", operator="between", formula1="DATE(2000,1,1)",
                               formula2="DATE(2100,12,31)", allow_blank=True, showErrorMessage=True,
                               errorStyle="stop", errorTitle="Ngày không hợp lệ",
                               error="Nhập ngày dạng dd/mm/yyyy, ví dụ 10/06/2026.", showInputMessage=True,
                               promptTitle="Ngày hoàn thành", prompt="dd/mm/yyyy; bắt buộc khi Hoàn thành.")
    date_rule.add(f"{date_col}{first}:{date_col}{last_row}")
    sheet.add_data_validation(status_rule)
    sheet.add_data_validation(date_rule)
    # No password: the lock prevents slips, not a determined user; import re-checks everything anyway.
    sheet.protection.sheet = True
    sheet.protection.formatColumns = False
    sheet.protection.formatRows = False


def _page_setup(sheet: Worksheet, header_row: int, last_row: int) -> None:
    from openpyxl.utils import get_column_letter

    last_col = get_column_letter(len(COLUMNS))
    sheet.freeze_panes = f"C{header_row + 1}"
    sheet.print_title_rows = f"{header_row}:{header_row}"
    sheet.print_area = f"A1:{last_col}{last_row}"
    page_setup(sheet, page_number_size=13)


def _write_meta(workbook: Workbook, meta: FormMeta) -> None:
    sheet = workbook.create_sheet(META_SHEET)
    for row, (key, value) in enumerate(meta.as_pairs(), start=1):
        write_text(sheet.cell(row=row, column=1), key)
        write_text(sheet.cell(row=row, column=2), value)
    sheet.protection.sheet = True
    sheet.sheet_state = "veryHidden"


def workbook_bytes(workbook: Workbook, as_of: dt.date) -> bytes:
    """The workbook as .xlsx bytes, stamped with the as-of date so the same input gives the same bytes."""
    from openpyxl.writer.excel import ExcelWriter

    stamp = dt.datetime(as_of.year, as_of.month, as_of.day)
    workbook.properties.created = workbook.properties.modified = stamp
    workbook.properties.creator = "kehoach"
    buffer = io.BytesIO()
    with StampedZip(buffer, stamp.timetuple()[:6]) as archive:
        # ExcelWriter.save, unlike openpyxl.save_workbook, leaves `modified` as we set it.
        ExcelWriter(workbook, archive).save()
    return buffer.getvalue()
