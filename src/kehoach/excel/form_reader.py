"""Reading the forms units send back (.xlsx made by `form`, or a .csv exported from one) into cells
with their sheet and address, before any rule looks at them.

Reading is defensive: only a regular file is opened (a FIFO, a device such as /dev/zero, or a link to
one is refused before any byte is read), at most `MAX_FILE_BYTES` of it; the bytes are looked at before
any parser sees them (an old .xls, an .ods, random bytes, a zip bomb are refused up front); a workbook
is read in openpyxl's streaming mode, and only the first `MAX_COLUMNS` columns and `MAX_FORM_ROWS` rows
below the header, so a tiny file that claims a cell at XFD1048576 costs nothing. Every cell keeps whether
it held a formula, so the importer can refuse formulas cell by cell.
"""

from __future__ import annotations

import csv
import datetime as dt
import io
import os
import stat
import warnings
import zipfile
from collections.abc import Iterable, Iterator, Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from kehoach.domain.periods import format_date, parse_date
from kehoach.domain.text import fold, nfc
from kehoach.errors import EXIT_REJECTED, KehoachError, os_error_message
from kehoach.excel.form_writer import COLUMNS, META_SHEET, SHEET_TITLE
from kehoach.store.layout import display_path

# Limits checked on the zip's own directory before openpyxl opens anything. A real form is ~15 KB
# (60 KB unpacked); these leave room for forms of thousands of rows and nothing like a bomb.
MAX_FILE_BYTES = 20 * 1024 * 1024
MAX_UNPACKED_BYTES = 50 * 1024 * 1024
MAX_ENTRIES = 500
MAX_RATIO = 200
HEADER_SCAN_ROWS = 40
MAX_FORM_ROWS = 5_000
"""Rows read below the header row. A unit's form for a year holds a few hundred at most."""
MAX_COLUMNS = 30
"""Columns read: the form has ten; a unit may add a few of its own beside them."""
META_ROWS = 50
FILL_KEYS = ("status", "done_on", "evidence", "note")
READ_KEYS = ("task", "unit", "period", *FILL_KEYS)
_OLE2_MAGIC = b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1"
_HEADERS = {fold(c.header): c.key for c in COLUMNS}

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
    data = read_bounded(path, shown)
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


def read_bounded(path: Path, shown: str) -> bytes:
    """The bytes of a regular file of at most `MAX_FILE_BYTES`. What a device or a FIFO would give is
    never read: /dev/zero never ends and a FIFO blocks until someone writes to it."""
    try:
        info = path.stat()
    except FileNotFoundError:
        raise UnreadableFileError(f"{shown}: không tìm thấy tệp") from None
    except OSError as exc:
        raise UnreadableFileError(os_error_message(exc, shown)) from None
    if stat.S_ISDIR(info.st_mode):
        raise UnreadableFileError(f"{shown}: là thư mục, không phải tệp")
    if not stat.S_ISREG(info.st_mode):
        raise UnreadableFileError(f"{shown}: không phải tệp thường ({_special_kind(info.st_mode)}); "
                                  "hãy gửi lại đúng tệp biểu mẫu")
    too_big = UnreadableFileError(f"{shown}: tệp lớn hơn {MAX_FILE_BYTES // (1024 * 1024)} MiB, "
                                  "không phải biểu mẫu")
    if info.st_size > MAX_FILE_BYTES:
        raise too_big
    try:
        # O_NONBLOCK: should the path have become a FIFO since stat, opening it does not wait.
        descriptor = os.open(path, os.O_RDONLY | getattr(os, "O_NONBLOCK", 0))
        with os.fdopen(descriptor, "rb") as handle:
            data = handle.read(MAX_FILE_BYTES + 1)
    except OSError as exc:
        raise UnreadableFileError(os_error_message(exc, shown)) from None
    if len(data) > MAX_FILE_BYTES:
        raise too_big
    return data


def _special_kind(mode: int) -> str:
    if stat.S_ISFIFO(mode):
        return "ống FIFO"
    if stat.S_ISCHR(mode) or stat.S_ISBLK(mode):
        return "thiết bị"
    if stat.S_ISSOCK(mode):
        return "socket"
    return "tệp đặc biệt"


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

    # openpyxl warns in English (a date cell out of range, an unknown extension); what matters to the
    # clerk is said by the import's own checks.
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        try:
            # From bytes, not the path: openpyxl judges by the file name's extension, we judged by content.
            # read_only streams each sheet's XML instead of building every cell it declares.
            workbook = load_workbook(io.BytesIO(data), read_only=True, data_only=False, keep_links=False)
        except Exception:  # noqa: BLE001 - openpyxl raises many kinds for a broken file; all mean the same
            raise UnreadableFileError(f"{shown}: tệp hỏng, không phải tệp Excel .xlsx đọc được") from None
        try:
            return _read_sheets(path, shown, workbook)
        except UnreadableFileError:
            raise
        except Exception:  # noqa: BLE001 - streaming defers parsing: a broken sheet fails here, not at load
            raise UnreadableFileError(f"{shown}: tệp hỏng, không phải tệp Excel .xlsx đọc được") from None
        finally:
            workbook.close()


def _read_sheets(path: Path, shown: str, workbook: Any) -> FormFile:
    meta = None
    if META_SHEET in workbook.sheetnames:
        meta = {}
        for (_, key, _), (ref, value, formula) in _grid(
                workbook[META_SHEET].iter_rows(max_row=META_ROWS, max_col=2), 2):
            if isinstance(key, str):
                meta[key.strip()] = Cell(f"{META_SHEET}!{ref}", value, formula)
    candidates = [workbook[SHEET_TITLE]] if SHEET_TITLE in workbook.sheetnames else []
    candidates += [ws for ws in workbook.worksheets if ws.title not in (SHEET_TITLE, META_SHEET)]
    for sheet in candidates:
        if not hasattr(sheet, "iter_rows"):
            continue  # a chart sheet holds no cells
        rows = sheet.iter_rows(max_row=HEADER_SCAN_ROWS + MAX_FORM_ROWS + 1, max_col=MAX_COLUMNS)
        found = _table_from_grid(path, shown, "xlsx", sheet.title, meta, _grid(rows, MAX_COLUMNS))
        if found is not None:
            return found
    return FormFile(path, shown, "xlsx", SHEET_TITLE, meta, "", _needed_headers(), [])


GridCell = tuple[str, Any, bool]
"""A cell's address, its value, and whether it held a formula."""


def _grid(rows: Iterable[Sequence[Any]], width: int) -> Iterator[list[GridCell]]:
    """Streamed rows as addressed cells. In streaming mode a missing cell has no address of its own,
    so addresses come from the position; every row is padded to `width`."""
    letters = [_column_letter(col) for col in range(1, width + 1)]
    for number, row in enumerate(rows, start=1):
        line = []
        for col in range(width):
            cell = row[col] if col < len(row) else None
            value = getattr(cell, "value", None)
            line.append((f"{letters[col]}{number}", value, getattr(cell, "data_type", None) == "f"))
        yield line


def _read_csv(path: Path, shown: str, data: bytes) -> FormFile:
    try:
        text = data.decode("utf-8-sig")
    except UnicodeDecodeError:
        # Excel's plain "CSV" on a Vietnamese Windows writes the ANSI code page.
        text = data.decode("cp1258", errors="replace")
    if "\x00" in text:
        raise UnreadableFileError(f"{shown}: không phải tệp văn bản CSV")
    text = nfc(text)
    # Excel writes ";" where the decimal mark is a comma (Vietnamese Windows); the sniffer in the csv
    # module guesses badly on such short files, so try each and keep the one that finds the header row.
    best = None
    for delimiter in (",", ";", "\t"):
        try:
            lines = csv.reader(io.StringIO(text), delimiter=delimiter)
            grid = ([(f"{_column_letter(col)}{number}", value, False)
                     for col, value in enumerate(line[:MAX_COLUMNS], start=1)]
                    for number, line in enumerate(lines, start=1))
            found = _table_from_grid(path, shown, "csv", None, None, grid)
        except csv.Error as exc:
            raise UnreadableFileError(f"{shown}: tệp CSV hỏng ({exc})") from None
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
                     grid: Iterable[list[GridCell]]) -> FormFile | None:
    """Find the header row by its texts (so moved rows or columns still read), then every row below,
    at most `MAX_FORM_ROWS` of them: a longer table is not a form, and is refused."""
    lines = iter(grid)
    for index, line in enumerate(lines):
        if index >= HEADER_SCAN_ROWS:
            return None
        positions: dict[str, int] = {}
        for col, (_, value, _) in enumerate(line):
            key = _header_key(value)
            if key is not None:
                positions.setdefault(key, col)
        if "task" not in positions or "status" not in positions:
            continue
        missing = [c.header for c in COLUMNS if c.key in READ_KEYS and c.key not in positions]
        rows: list[SheetRow] = []
        for offset, cells in enumerate(lines, start=index + 2):
            row = {}
            for key, col in positions.items():
                if col < len(cells):
                    ref, value, formula = cells[col]
                else:
                    ref, value, formula = f"{_column_letter(col + 1)}{offset}", None, False
                row[key] = Cell(ref, value, formula)
            sheet_row = SheetRow(offset, row)
            if len(rows) == MAX_FORM_ROWS:
                if sheet_row.blank:
                    break
                where = "!".join([shown, *([sheet] if sheet else []), row["task"].ref])
                raise UnreadableFileError(f"{where}: bảng có hơn {MAX_FORM_ROWS} dòng, không phải biểu mẫu "
                                          "của một đơn vị; hãy gửi lại đúng tệp biểu mẫu")
            rows.append(sheet_row)
        # The table ends at its last task: below it the unit head signs (and a unit may write a line
        # of its own there), which is no row to import. Rows without a task inside the table still are.
        while rows and rows[-1].cells["task"].blank:
            rows.pop()
        header_ref = line[positions["task"]][0]
        return FormFile(path, shown, kind, sheet, meta, header_ref, missing, rows)
    return None


# --- checking -----------------------------------------------------------------------------------------



def formula_text(value: Any) -> str:
    """A formula as typed: an array formula ({=SUM(A1:A3)}) is an object in openpyxl, not text."""
    text = getattr(value, "text", value)
    return "" if text is None else str(text)


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
