"""`kehoach import`: read the forms units send back, check every row with the rules of `record`,
show what would change, then write each file all or nothing, one commit per file.

Reading is defensive: the file is looked at as bytes before any parser sees it (an old .xls, an
.ods, random bytes, a zip bomb are refused up front), formulas are refused cell by cell, and a form
made for another plan, or whose plan changed shape since, is refused as a whole.

Identification: an .xlsx form carries a hidden sheet (see `forms.py`). A .csv export cannot, so a
CSV is identified by its own columns: every row names its unit ("Mã đơn vị") and period ("Kỳ"),
all rows must name the same unit, and each row is checked against the current plan.

Plan changes: if the plan's task ids or cadences changed since the form was made (plan hash
differs), the form is refused: its rows may mean something else now. If only the rows the unit
should report changed (e.g. units.yaml was edited), the form is accepted with a warning and every
row is re-checked against the current plan and units, so a row that no longer belongs is an error.
"""

from __future__ import annotations

import csv
import datetime as dt
import io
import zipfile
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from kehoach.commands.record import Update, prepare
from kehoach.domain.model import Period, Unit
from kehoach.domain.periods import format_date, parse_date, parse_period
from kehoach.domain.slots import period_contains
from kehoach.domain.text import fold
from kehoach.errors import EXIT_REJECTED, InputError, KehoachError
from kehoach.excel.form_writer import (
    COLUMNS,
    FORM_FORMAT,
    FORM_VERSION,
    META_SHEET,
    SHEET_TITLE,
    form_items,
    plan_hash,
    rows_fingerprint,
    slot_keys,
)
from kehoach.render.rows import Column, Table
from kehoach.store.tracker import Tracker, display_path

# Limits checked on the zip's own directory before openpyxl opens anything. A real form is ~15 KB
# (60 KB unpacked); these leave room for forms of thousands of rows and nothing like a bomb.
MAX_FILE_BYTES = 20 * 1024 * 1024
MAX_UNPACKED_BYTES = 50 * 1024 * 1024
MAX_ENTRIES = 500
MAX_RATIO = 200
HEADER_SCAN_ROWS = 40
FILL_KEYS = ("status", "done_on", "evidence", "note")
READ_KEYS = ("task", "unit", "period", *FILL_KEYS)
_OLE2_MAGIC = b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1"
_HEADERS = {fold(c.header): c.key for c in COLUMNS}
# `prepare` speaks to the command line; in a sheet the hint is the column, not the option.
_SHEET_WORDING = (
    (": thêm --done-on NGÀY", ": điền cột «Ngày hoàn thành»"),
    ("mới có --done-on", "mới có ngày hoàn thành"),
    (': thêm --note "lý do"', " ở cột «Ghi chú»"),
)


class UnreadableFileError(KehoachError):
    """Not a file we can read at all (missing, not a workbook, .xls, a zip bomb): exit 2."""

    exit_code = EXIT_REJECTED


# --- reading ------------------------------------------------------------------------------------------

@dataclass(frozen=True)
class Cell:
    ref: str
    value: Any
    formula: bool = False

    @property
    def blank(self) -> bool:
        return self.value is None or (isinstance(self.value, str) and not self.value.strip())


@dataclass(frozen=True)
class SheetRow:
    number: int
    cells: dict[str, Cell]

    @property
    def blank(self) -> bool:
        return all(c.blank and not c.formula for c in self.cells.values())


@dataclass
class FormFile:
    path: Path
    shown: str
    kind: str
    """xlsx or csv"""
    sheet: str | None
    meta: dict[str, Cell] | None
    header_ref: str
    missing: list[str]
    """Headers of needed columns not found."""
    rows: list[SheetRow]

    def where(self, ref: str = "") -> str:
        parts = [self.shown] + ([self.sheet] if self.sheet and ref else []) + ([ref] if ref else [])
        return "!".join(parts)


def read_form(path: Path) -> FormFile:
    shown = display_path(path)
    try:
        data = path.read_bytes() if path.stat().st_size <= MAX_FILE_BYTES else None
    except FileNotFoundError:
        raise UnreadableFileError(f"{shown}: không tìm thấy tệp") from None
    except IsADirectoryError:
        raise UnreadableFileError(f"{shown}: là thư mục, không phải tệp") from None
    except OSError as exc:
        raise UnreadableFileError(f"{shown}: không đọc được tệp ({exc.strerror})") from None
    if data is None:
        raise UnreadableFileError(f"{shown}: tệp lớn hơn {MAX_FILE_BYTES // (1024 * 1024)} MiB, không phải "
                                  "biểu mẫu")
    if data.startswith(_OLE2_MAGIC):
        raise UnreadableFileError(f"{shown}: định dạng .xls cũ không được hỗ trợ; hãy lưu lại thành .xlsx")
    if data.startswith(b"PK"):
        return _read_xlsx(path, shown, data)
    if path.suffix.lower() == ".csv":
        return _read_csv(path, shown, data)
    if path.suffix.lower() == ".xls":
        raise UnreadableFileError(f"{shown}: định dạng .xls cũ không được hỗ trợ; hãy lưu lại thành .xlsx")
    raise UnreadableFileError(f"{shown}: không phải tệp Excel .xlsx (hay .csv của biểu mẫu); "
                              "hãy gửi lại đúng tệp biểu mẫu")


def check_zip(shown: str, data: bytes) -> None:
    """Refuse before unpacking: too many entries, too large unpacked, or packed too tightly.

    Python's zipfile stops reading an entry at its declared size (and fails its CRC check if the
    entry holds more), so checking the declared sizes bounds what openpyxl can unpack."""
    try:
        with zipfile.ZipFile(io.BytesIO(data)) as archive:
            infos = archive.infolist()
            names = {i.filename for i in infos}
            small = "mimetype" in names and len(infos) < MAX_ENTRIES
            mimetype = archive.read("mimetype")[:100] if small else b""
    except (zipfile.BadZipFile, OSError, EOFError, ValueError):
        raise UnreadableFileError(f"{shown}: tệp hỏng, không phải tệp Excel .xlsx đọc được") from None
    if b"opendocument" in mimetype:
        raise UnreadableFileError(f"{shown}: định dạng OpenDocument (.ods) không được hỗ trợ; "
                                  "hãy lưu lại thành .xlsx")
    total = sum(i.file_size for i in infos)
    packed = sum(i.compress_size for i in infos)
    if len(infos) > MAX_ENTRIES or total > MAX_UNPACKED_BYTES or (total > 1024 * 1024
                                                                   and total > MAX_RATIO * max(packed, 1)):
        raise UnreadableFileError(
            f"{shown}: tệp nén bất thường ({len(infos)} mục, {total:,} byte khi giải nén từ "
            f"{packed:,} byte), vượt giới hạn an toàn; không mở")
    if "xl/workbook.xml" not in names:
        raise UnreadableFileError(f"{shown}: không phải tệp Excel .xlsx (thiếu xl/workbook.xml)")


def _read_xlsx(path: Path, shown: str, data: bytes) -> FormFile:
    check_zip(shown, data)
    from openpyxl import load_workbook

    try:
        # From bytes, not the path: openpyxl judges by the file name's extension, we judged by content.
        workbook = load_workbook(io.BytesIO(data), data_only=False, keep_links=False)
    except Exception:  # noqa: BLE001 - openpyxl raises many kinds for a broken file; all mean the same here
        raise UnreadableFileError(f"{shown}: tệp hỏng, không phải tệp Excel .xlsx đọc được") from None
    meta = None
    if META_SHEET in workbook.sheetnames:
        meta_sheet = workbook[META_SHEET]
        meta = {}
        for row in meta_sheet.iter_rows(min_row=1, max_row=50, max_col=2):
            key, value = row[0].value, row[1]
            if isinstance(key, str):
                meta[key.strip()] = Cell(f"{META_SHEET}!{value.coordinate}", value.value,
                                         value.data_type == "f")
    candidates = [workbook[SHEET_TITLE]] if SHEET_TITLE in workbook.sheetnames else []
    candidates += [ws for ws in workbook.worksheets if ws.title not in (SHEET_TITLE, META_SHEET)]
    for sheet in candidates:
        grid = [[(c.coordinate, c.value, c.data_type == "f") for c in row]
                for row in sheet.iter_rows(max_col=max(sheet.max_column, len(COLUMNS)))]
        found = _table_from_grid(path, shown, "xlsx", sheet.title, meta, grid)
        if found is not None:
            return found
    return FormFile(path, shown, "xlsx", SHEET_TITLE, meta, "", _needed_headers(), [])


def _read_csv(path: Path, shown: str, data: bytes) -> FormFile:
    try:
        text = data.decode("utf-8-sig")
    except UnicodeDecodeError:
        # Excel's plain "CSV" on a Vietnamese Windows writes the ANSI code page.
        text = data.decode("cp1258", errors="replace")
    if "\x00" in text:
        raise UnreadableFileError(f"{shown}: không phải tệp văn bản CSV")
    from kehoach.domain.text import nfc

    text = nfc(text)
    # Excel writes ";" where the decimal mark is a comma (Vietnamese Windows); the sniffer in the csv
    # module guesses badly on such short files, so try each and keep the one that finds the header row.
    best = None
    for delimiter in (",", ";", "\t"):
        try:
            lines = list(csv.reader(io.StringIO(text), delimiter=delimiter))
        except csv.Error as exc:
            raise UnreadableFileError(f"{shown}: tệp CSV hỏng ({exc})") from None
        grid = [[(f"{_column_letter(col)}{number}", value, False) for col, value in enumerate(line, start=1)]
                for number, line in enumerate(lines, start=1)]
        found = _table_from_grid(path, shown, "csv", None, None, grid)
        if found is not None and (best is None or len(found.missing) < len(best.missing)):
            best = found
    return best or FormFile(path, shown, "csv", None, None, "", _needed_headers(), [])


def _needed_headers() -> list[str]:
    return [c.header for c in COLUMNS if c.key in READ_KEYS]


def _column_letter(index: int) -> str:
    from openpyxl.utils import get_column_letter

    return get_column_letter(index)


def _header_key(value: Any) -> str | None:
    if not isinstance(value, str):
        return None
    text = fold(value).replace("(dien)", "").strip()
    return _HEADERS.get(text)


def _table_from_grid(path: Path, shown: str, kind: str, sheet: str | None, meta: dict[str, Cell] | None,
                     grid: list[list[tuple[str, Any, bool]]]) -> FormFile | None:
    """Find the header row by its texts (so moved rows or columns still read), then every row below."""
    for index, line in enumerate(grid[:HEADER_SCAN_ROWS]):
        positions: dict[str, int] = {}
        for col, (_, value, _) in enumerate(line):
            key = _header_key(value)
            if key is not None:
                positions.setdefault(key, col)
        if "task" not in positions or "status" not in positions:
            continue
        missing = [c.header for c in COLUMNS if c.key in READ_KEYS and c.key not in positions]
        rows = []
        for offset, cells in enumerate(grid[index + 1:], start=index + 2):
            row = {}
            for key, col in positions.items():
                if col < len(cells):
                    ref, value, formula = cells[col]
                else:
                    ref, value, formula = f"{_column_letter(col + 1)}{offset}", None, False
                row[key] = Cell(ref, value, formula)
            rows.append(SheetRow(offset, row))
        header_ref = line[positions["task"]][0]
        return FormFile(path, shown, kind, sheet, meta, header_ref, missing, rows)
    return None


# --- checking -----------------------------------------------------------------------------------------

@dataclass
class FileCheck:
    form: FormFile
    unit: Unit | None = None
    period: Period | None = None
    updates: list[Update] = field(default_factory=list)
    problems: list[str] = field(default_factory=list)
    warnings: list[str] = field(default_factory=list)
    blank_rows: int = 0

    @property
    def ok(self) -> bool:
        return not self.problems

    def counts(self) -> dict[str, int]:
        counts = {"moi": 0, "thay-doi": 0, "khong-doi": 0}
        for update in self.updates:
            counts[change_kind(update)] += 1
        return counts


def change_kind(update: Update) -> str:
    if update.previous is None:
        return "moi"
    return "thay-doi" if update.changed else "khong-doi"


CHANGE_LABELS = {"moi": "Mới", "thay-doi": "Thay đổi", "khong-doi": "Không đổi"}


def check_form(tracker: Tracker, form: FormFile, as_of: dt.date, by: str | None) -> FileCheck:
    """Every problem of the file, or the updates it asks for; nothing is written here."""
    result = FileCheck(form)
    if form.missing:
        where = form.where(form.header_ref) if form.header_ref else form.where()
        missing = ", ".join(f"«{m}»" for m in form.missing)
        result.problems.append(f"{where}: không tìm thấy cột {missing} của biểu mẫu; "
                               "hãy dùng biểu mẫu lập bằng: kehoach form ĐƠN_VỊ")
        return result
    if form.kind == "xlsx":
        _check_meta(tracker, form, as_of, result)
        if result.problems:
            return result
    seen: dict[tuple[str, str], int] = {}
    for row in form.rows:
        _check_row(tracker, form, row, as_of, by, result, seen)
    if form.kind == "csv" and result.unit is None and not result.problems:
        result.problems.append(f"{form.where()}: tệp CSV không có dòng nào có mã đơn vị; "
                               "không biết của đơn vị nào")
    return result


def _check_meta(tracker: Tracker, form: FormFile, as_of: dt.date, result: FileCheck) -> None:
    meta = form.meta
    if meta is None:
        result.problems.append(f"{form.where()}: không phải biểu mẫu của kehoach (không có trang ẩn "
                               f"'{META_SHEET}'); hãy dùng biểu mẫu lập bằng: kehoach form ĐƠN_VỊ")
        return

    def value(key: str) -> str:
        cell = meta.get(key)
        return "" if cell is None or cell.value is None else str(cell.value).strip()

    def problem(key: str, message: str) -> None:
        cell = meta.get(key)
        where = f"{form.shown}!{cell.ref}" if cell else f"{form.shown}!{META_SHEET}"
        result.problems.append(f"{where}: {message}")

    if value("format") != FORM_FORMAT:
        problem("format", f"trang '{META_SHEET}' không mang dấu biểu mẫu '{FORM_FORMAT}'; "
                          "không phải biểu mẫu của kehoach")
        return
    if value("version") != str(FORM_VERSION):
        problem("version", f"biểu mẫu phiên bản '{value('version')}' không được hỗ trợ (phiên bản hiện tại "
                           f"{FORM_VERSION}); hãy lập lại biểu mẫu")
        return
    if value("plan") != tracker.plan.id:
        problem("plan", f"biểu mẫu lập cho kế hoạch '{value('plan')}', không phải kế hoạch "
                        f"'{tracker.plan.id}' của bộ theo dõi này")
        return
    if value("plan_hash") != plan_hash(tracker.plan):
        problem("plan_hash", "danh mục nhiệm vụ hay chu kỳ của kế hoạch đã khác với khi lập biểu mẫu "
                             "(hoặc biểu mẫu của bộ theo dõi khác); hãy lập lại biểu mẫu bằng: "
                             f"kehoach form {value('unit')} --period {value('period')}")
        return
    unit = tracker.registry.units.get(value("unit"))
    if unit is None:
        problem("unit", f"đơn vị '{value('unit')}' của biểu mẫu không có trong danh mục đơn vị")
        return
    try:
        period = parse_period(value("period"))
    except InputError as exc:
        problem("period", str(exc))
        return
    result.unit, result.period = unit, period
    from kehoach.store.status_files import current_records

    expected = form_items(tracker, unit, period, current_records(tracker), as_of)
    if rows_fingerprint(slot_keys(expected)) != value("rows_sha256"):
        result.warnings.append(
            f"{form.where()}: Cảnh báo: danh sách nhiệm vụ của {unit.name} trong kỳ {period.name} "
            "đã thay đổi kể từ khi lập biểu mẫu; từng dòng đã được kiểm tra lại theo kế hoạch và "
            "danh mục đơn vị hiện tại")


def cell_text(value: Any) -> str | None:
    """What a person sees in the cell, as text; numbers typed into text columns stay as typed."""
    if value is None:
        return None
    if isinstance(value, dt.datetime):
        return format_date(value.date())
    if isinstance(value, dt.date):
        return format_date(value)
    if isinstance(value, float) and value.is_integer():
        return str(int(value))
    text = str(value).strip()
    return text or None


def cell_date(cell: Cell) -> dt.date | None:
    value = cell.value
    if cell.blank:
        return None
    if isinstance(value, dt.datetime):
        return value.date()
    if isinstance(value, dt.date):
        return value
    if isinstance(value, (int, float)) and not isinstance(value, bool):
        from openpyxl.utils.datetime import from_excel

        # A date cell whose format was lost shows Excel's day number.
        if 1 <= value <= 2958465:
            return from_excel(value).date()
    return parse_date(str(value), "ngày hoàn thành")


def _check_row(tracker: Tracker, form: FormFile, row: SheetRow, as_of: dt.date, by: str | None,
               result: FileCheck, seen: dict[tuple[str, str], int]) -> None:
    if row.blank:
        return
    cells = row.cells

    def problem(key: str, message: str) -> None:
        result.problems.append(f"{form.where(cells[key].ref)}: {message}")

    formulas = [k for k in READ_KEYS if cells[k].formula or (form.kind == "csv" and k in FILL_KEYS
                                                             and str(cells[k].value or "").startswith("="))]
    for key in formulas:
        problem(key, f"ô chứa công thức '{cells[key].value}'; hãy nhập giá trị, không dùng công thức")
    if formulas:
        return
    task_text = cell_text(cells["task"].value)
    filled = [k for k in FILL_KEYS if not cells[k].blank]
    if task_text is None:
        if filled:
            problem("task", "dòng có nội dung điền nhưng thiếu mã nhiệm vụ")
        return
    if cells["status"].blank:
        if filled:
            names = ", ".join(f"«{c.header}»" for c in COLUMNS if c.key in filled)
            problem("status", f"thiếu trạng thái (đã điền {names}); chọn trạng thái hoặc xóa các ô đã điền")
        else:
            result.blank_rows += 1
        return
    unit = _row_unit(tracker, form, row, result, problem)
    period = _row_period(form, row, result, problem)
    if unit is None or period is None:
        return
    slot_key = (task_text, period.name)
    if slot_key in seen:
        problem("task", f"dòng trùng với dòng {seen[slot_key]} (cùng nhiệm vụ {task_text}, kỳ {period.name})")
        return
    seen[slot_key] = row.number
    try:
        done_on = cell_date(cells["done_on"])
    except InputError as exc:
        problem("done_on", str(exc))
        return
    try:
        update = prepare(tracker, task=task_text, unit=unit.id, status=str(cells["status"].value),
                         period=period.name, done_on=done_on, evidence=cell_text(cells["evidence"].value),
                         note=cell_text(cells["note"].value), by=by, as_of=as_of)
    except InputError as exc:
        # A task the unit is not responsible for is a wrong row: point at its task id.
        column = exc.field if exc.field in cells and exc.field != "unit" else "task"
        problem(column, sheet_wording(str(exc)))
        return
    result.updates.append(update)


def sheet_wording(message: str) -> str:
    for old, new in _SHEET_WORDING:
        message = message.replace(old, new)
    return message


def _row_unit(tracker: Tracker, form: FormFile, row: SheetRow, result: FileCheck,
              problem: Callable[[str, str], None]) -> Unit | None:
    text = cell_text(row.cells["unit"].value)
    if text is None:
        if result.unit is None:
            problem("unit", "thiếu mã đơn vị")
        return result.unit
    try:
        unit = tracker.registry.find_unit(text)
    except InputError as exc:
        problem("unit", str(exc))
        return None
    if result.unit is None:
        result.unit = unit
    elif unit.id != result.unit.id:
        whose = "biểu mẫu này" if form.kind == "xlsx" else "tệp này (theo dòng đầu)"
        problem("unit", f"dòng ghi đơn vị '{text}', nhưng {whose} là của {result.unit.name} "
                        f"({result.unit.id}); mỗi đơn vị chỉ báo cáo phần của mình")
        return None
    return unit


def _row_period(form: FormFile, row: SheetRow, result: FileCheck,
                problem: Callable[[str, str], None]) -> Period | None:
    text = cell_text(row.cells["period"].value)
    if text is None:
        problem("period", "thiếu kỳ")
        return None
    try:
        period = parse_period(text)
    except InputError as exc:
        problem("period", str(exc))
        return None
    if result.period is not None and not period_contains(result.period, period):
        problem("period", f"kỳ {period.name} không thuộc kỳ {result.period.name} của biểu mẫu")
        return None
    return period


# --- showing and writing ------------------------------------------------------------------------------

def preview_table(check: FileCheck) -> Table:
    rows = []
    for update in check.updates:
        before, after = update.previous, update.record
        rows.append({
            "task": after.task,
            "period": after.period,
            "kind": change_kind(update),
            "kind_label": CHANGE_LABELS[change_kind(update)],
            "old_status": before.status.label if before else "",
            "new_status": after.status.label,
            "done_on": after.done_on,
            "evidence": after.evidence,
            "note": after.note,
        })
    counts = check.counts()
    unit = check.unit.name if check.unit else "?"
    where = f", kỳ {check.period.name}" if check.period else ""
    title = (f"{check.form.shown} — {unit}{where}: {counts['moi']} mới, {counts['thay-doi']} thay đổi, "
             f"{counts['khong-doi']} không đổi, {check.blank_rows} dòng để trống")
    return Table(title, [
        Column("task", "NV"),
        Column("period", "Kỳ"),
        Column("kind_label", "Thay đổi"),
        Column("old_status", "Trạng thái cũ"),
        Column("new_status", "Trạng thái mới"),
        Column("done_on", "Ngày hoàn thành"),
        Column("evidence", "Căn cứ"),
        Column("note", "Ghi chú"),
    ], rows)


def import_message(check: FileCheck, changed: list[Update]) -> str:
    counts = check.counts()
    unit = check.unit
    assert unit is not None
    periods = sorted({u.record.period for u in changed})
    subject = (f"Nhập biểu mẫu {check.form.path.name}: {unit.name}, kỳ "
               f"{check.period.name if check.period else ', '.join(periods)} "
               f"({counts['moi']} mới, {counts['thay-doi']} thay đổi)")
    body = []
    for update in changed:
        record = update.record
        done = f" ngày {format_date(record.done_on)}" if record.done_on else ""
        body.append(f"- Nhiệm vụ {record.task}, kỳ {record.period}: {record.status.label}{done}")
    trailers = [f"Kehoach-Import: {check.form.path.name}", f"Kehoach-Unit: {unit.id}"]
    trailers += [f"Kehoach-Period: {p}" for p in periods]
    trailers += [f"Kehoach-Task: {t}" for t in dict.fromkeys(u.record.task for u in changed)]
    return "\n\n".join([subject, "\n".join(body), "\n".join(trailers)]) + "\n"


@dataclass(frozen=True)
class ImportOutcome:
    written: list[Path]
    commit: str | None
    in_git: bool


def apply_import(tracker: Tracker, check: FileCheck, commit: bool, author: str | None) -> ImportOutcome:
    """Write the file's changed records in one locked, atomic step and, inside git, one commit."""
    from kehoach.commands.record import apply_updates
    from kehoach.git import run as gitio

    if not check.ok:
        raise KehoachError(f"{check.form.shown}: tệp có lỗi, không ghi")
    changed = [u for u in check.updates if u.changed]
    written = apply_updates(tracker, changed) if changed else []
    root = gitio.work_tree_root(tracker.data_dir)
    commit_id = None
    if written and root is not None and commit:
        commit_id = gitio.commit_paths(root, written, import_message(check, changed), author)
    return ImportOutcome(written, commit_id, root is not None)
