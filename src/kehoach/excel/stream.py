"""Rows of a streamed worksheet, written as XML text by kehoach and spliced into openpyxl's sheet.

openpyxl's write-only mode still builds a cell object and an XML element for every cell (about
20 µs each): most of the time of a province's workbook, and more than twice the time of a plain
dump of the same rows. Here a row is one formatted string whose cells carry a style index decided
once per style; openpyxl writes everything else (columns, views, merges, filters, print setup,
charts, styles) around an empty `sheetData`, into which `StampedZip` streams the rows.

Text is always an inline string, so a text that looks like a formula (`=HYPERLINK(...)`) can never
become one; only `Formula` values are written as formulas. Every text any kehoach workbook holds goes
through `safe_text` first.
"""

from __future__ import annotations

import datetime as dt
import re
import tempfile
from collections.abc import Sequence
from functools import lru_cache
from typing import IO, Any

from kehoach.domain.text import visible
from kehoach.store import stamped_zip

ROWS_PER_FLUSH = 2000
STREAMED_LEVEL = 3
"""Deflate level of the streamed sheets: a ministry's 36 MB of rows in 0.13 s instead of 0.31 s at
zlib's default, for a file 17% larger (3.4 MB instead of 2.9)."""
EXCEL_EPOCH = dt.date(1899, 12, 30)
EMPTY_SHEET_DATA = re.compile(rb"<sheetData\s*/>|<sheetData>\s*</sheetData>")

StyledValue = tuple[Any, int]
"""A cell: its value and the workbook's index of its style (`s` attribute)."""


class Formula(str):
    """A formula written on purpose ('=SUM(C5:C9)'); every other text stays text."""


def column_letter(index: int) -> str:
    """1 -> A, 27 -> AA."""
    letters = ""
    while index:
        index, rest = divmod(index - 1, 26)
        letters = chr(65 + rest) + letters
    return letters


_LETTERS = [column_letter(i) for i in range(1, 257)]


def safe_text(text: str) -> str:
    """Text as a workbook may hold it: a control character or a non-character (ESC, U+FFFE, which XML
    1.0 cannot carry and which would make the file unreadable) is shown as its code (\\x1b, \\ufffe),
    by the rule `domain.text` keeps for terminals, so nothing breaks the file and nothing vanishes
    unseen. Refusing such text is the job of input; this is the last guard for what got in anyway."""
    return visible(text)


def _escape(text: str) -> str:
    if "&" in text:
        text = text.replace("&", "&amp;")
    if "<" in text:
        text = text.replace("<", "&lt;")
    if ">" in text:
        text = text.replace(">", "&gt;")
    return text


def cell_xml(ref: str, value: Any, style: int) -> str:
    """One `<c>` element: text as an inline string, numbers, dates as serial numbers, formulas."""
    kind = type(value)
    if kind is not int and kind is not dt.date:  # the numbers and dates of long tables skip these tests
        if value is None or value == "":
            return f'<c r="{ref}" s="{style}"/>'
        if isinstance(value, Formula):
            return f'<c r="{ref}" s="{style}"><f>{_escape(value[1:])}</f><v/></c>'
        if isinstance(value, str):
            return f'<c r="{ref}"{_text_cell_rest(value, style)}'
        if isinstance(value, bool):
            return f'<c r="{ref}" s="{style}" t="b"><v>{int(value)}</v></c>'
        if isinstance(value, float):
            return f'<c r="{ref}" s="{style}" t="n"><v>{value:.16g}</v></c>'
        if isinstance(value, dt.datetime):
            from openpyxl.utils.datetime import to_excel

            return f'<c r="{ref}" s="{style}" t="n"><v>{to_excel(value):.16g}</v></c>'
    if isinstance(value, int):
        return f'<c r="{ref}" s="{style}" t="n"><v>{value}</v></c>'
    if isinstance(value, dt.date):
        return f'<c r="{ref}" s="{style}" t="n"><v>{(value - EXCEL_EPOCH).days}</v></c>'
    return cell_xml(ref, str(value), style)


@lru_cache(maxsize=1 << 16)  # unit names, labels, statuses and notes recur on thousands of rows
def _text_cell_rest(value: str, style: int) -> str:
    """A text cell's XML after its reference: made safe and escaped once a distinct text and style."""
    value = safe_text(value)
    stripped = value.strip()
    space = ' xml:space="preserve"' if stripped and stripped != value else ""
    return f' s="{style}" t="inlineStr"><is><t{space}>{_escape(value)}</t></is></c>'


class SheetRows:
    """The rows of one sheet, in order, kept in a temporary file until the workbook is zipped."""

    def __init__(self) -> None:
        self.count = 0
        self._pending: list[str] = []
        self._file: IO[bytes] = tempfile.TemporaryFile()

    def append(self, cells: Sequence[StyledValue | None], height: float | None = None) -> int:
        """Row number `count + 1`; None leaves a cell out (no value, no style)."""
        self.count += 1
        n = self.count
        attributes = f' ht="{height:g}" customHeight="1"' if height is not None else ""
        parts = [f'<row r="{n}"{attributes}>']
        number = str(n)
        for letter, cell in zip(_LETTERS, cells, strict=False):
            if cell is None:
                continue
            value, style = cell
            if type(value) is str and value:  # most cells: the path of cell_xml for text, without the call
                parts.append(f'<c r="{letter}{number}"{_text_cell_rest(value, style)}')
            else:
                parts.append(cell_xml(letter + number, value, style))
        parts.append("</row>")
        self._pending.append("".join(parts))
        if len(self._pending) >= ROWS_PER_FLUSH:
            self._flush()
        return n

    def _flush(self) -> None:
        self._file.write("".join(self._pending).encode("utf-8"))
        self._pending.clear()

    def copy_to(self, out: IO[bytes]) -> None:
        self._flush()
        self._file.seek(0)
        while chunk := self._file.read(1 << 20):
            out.write(chunk)

    def close(self) -> None:
        self._file.close()


class StampedZip(stamped_zip.StampedZip):
    """The .xlsx archive (one fixed time in every member, `store/stamped_zip`); the sheets named in `rows`
    get their rows streamed into their empty sheetData."""

    def __init__(self, file: str | IO[bytes], stamp: tuple[int, ...],
                 rows: dict[str, SheetRows] | None = None) -> None:
        super().__init__(file, stamp)
        self._rows = rows or {}
        self.spliced: set[str] = set()

    def write(
        self, filename: Any, arcname: Any = None, compress_type: Any = None, compresslevel: Any = None
    ) -> None:
        name = arcname or filename.rsplit("/", 1)[-1]
        with open(filename, "rb") as handle:
            data = handle.read()
        rows = self._rows.get(name)
        if rows is None:
            self.writestr(name, data)
            return
        match = EMPTY_SHEET_DATA.search(data)
        if match is None:
            raise RuntimeError(f"{name}: openpyxl did not leave an empty sheetData to fill")
        with self.open(self._entry(name, STREAMED_LEVEL), "w", force_zip64=True) as out:
            out.write(data[: match.start()])
            out.write(b"<sheetData>")
            rows.copy_to(out)
            out.write(b"</sheetData>")
            out.write(data[match.end():])
        self.spliced.add(name)
