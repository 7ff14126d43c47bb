"""Reading the forms units send back (.xlsx made by `form`, or a .csv exported from one) into cells
with their sheet and address, before any rule looks at them.

Reading is defensive: the file is looked at as bytes before any parser sees it (an old .xls, an
.ods, random bytes, a zip bomb are refused up front), and every cell keeps whether it held a formula,
so the importer can refuse formulas cell by cell.
"""

from __future__ import annotations

import csv
import datetime as dt
import io
import zipfile
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from kehoach.domain.periods import format_date, parse_date
from kehoach.domain.text import fold, nfc
from kehoach.errors import EXIT_REJECTED, KehoachError
from kehoach.excel.form_writer import COLUMNS, META_SHEET, SHEET_TITLE
from kehoach.store.layout import display_path

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
