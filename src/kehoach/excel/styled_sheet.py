"""The building blocks of a streamed workbook: named cell styles registered once, sheets whose rows go
out in order (merges, widths and print settings recorded alongside), and row heights estimated from
the text, since LibreOffice keeps the default height of streamed rows."""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable, Sequence
from functools import lru_cache
from typing import Any

from kehoach.domain.model import Category, ReportHeader
from kehoach.excel.layout import FONT, READABLE_SCALE, heading_lines, page_setup
from kehoach.excel.stream import SheetRows, StyledValue

DATE_FORMAT = "dd/mm/yyyy"
RATE_FORMAT = "0.0"

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


# --- styles --------------------------------------------------------------------------------------


def style_spec(key: str) -> dict[str, Any]:
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
        "header_up": {
            "font": Font(name=FONT, size=12, bold=True),
            "alignment": Alignment(horizontal="center", vertical="bottom", text_rotation=90),
            "border": box,
            "fill": PatternFill("solid", fgColor="F2F2F2"),
        },
        "text": {**base, "alignment": left, "border": box},
        "text_bold": {"font": Font(name=FONT, size=12, bold=True), "alignment": left, "border": box},
        # Wrapped: a long unit id breaks at its hyphens instead of running past the border.
        "code": {**base, "alignment": Alignment(horizontal="left", vertical="top", wrap_text=True), "border": box},
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


class Book:
    """The workbook being made: its streamed sheets, and its styles, each registered once; a cell is then
    its value and the style's index, which is all a streamed row needs."""

    def __init__(self, wb: Any) -> None:
        self.wb = wb
        self.sheets: list[Sheet] = []
        self._ids: dict[str, int] = {}

    def style_id(self, key: str) -> int:
        found = self._ids.get(key)
        if found is None:
            from openpyxl.cell import WriteOnlyCell

            owner = self.wb.worksheets[0]
            template = WriteOnlyCell(owner)
            for attribute, style in style_spec(key).items():
                setattr(template, attribute, style)
            found = self._ids[key] = template.style_id
        return found

    def __call__(self, value: Any, key: str) -> StyledValue:
        return (value, self.style_id(key))


# --- sheet plumbing ------------------------------------------------------------------------------


class Sheet:
    """One streamed sheet: rows go out in order; merges and print settings are recorded alongside."""

    def __init__(self, book: Book, title: str, widths: Sequence[float]) -> None:
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
                self.ws.merged_cells.add(f"{ref(first, self.row + 1)}:{ref(last, self.row + 1)}")
        return self.append(row, height)

    def blank(self) -> int:
        return self.append([])

    def table_header(self, headers: Sequence[str], height: float = 33) -> int:
        return self.append([self.cell(h, "header") for h in headers], height)

    def repeat_and_freeze(self, first_col: int = 1) -> None:
        """The table header just written: frozen on screen, repeated on every printed page, filtered."""
        self._header_row = self.row
        self.ws.freeze_panes = ref(first_col, self.row + 1)
        self.ws.print_title_rows = f"{self.row}:{self.row}"

    def print_across_pages(self, title_cols: str) -> None:
        """Too wide to fit one page at a readable size: printed at `READABLE_SCALE` over as many pages
        as it takes, its first columns (`A:B`) repeated on each, like its header row."""
        page_setup(self.ws, page_number_size=12, scale=READABLE_SCALE)
        self.ws.print_title_cols = title_cols

    def end_table(self) -> None:
        """The autofilter covers the header and the rows so far (not a total row written after)."""
        if self._header_row:
            self.ws.auto_filter.ref = f"A{self._header_row}:{ref(self.width, self.row)}"

    def finish(self) -> None:
        if self._header_row and not self.ws.auto_filter.ref:
            self.end_table()


def ref(col: int, row: int) -> str:
    from openpyxl.utils import get_column_letter

    return f"{get_column_letter(col)}{row}"


@lru_cache(maxsize=1 << 16)  # the same unit names, labels and notes recur on thousands of rows
def line_height(text: str, width_chars: float, points: float = 15.0) -> float:
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
                length = 0
            length += len(word) + (1 if length else 0)
            # A word longer than the line (a unit id, a link) is broken across lines of its own.
            while length > per_line:
                lines += 1
                length -= per_line
    return lines * points + 3


def row_height(cells: Iterable[tuple[Any, float]]) -> float:
    """The height of a table row: its tallest wrapped text."""
    return max((line_height(text, width) for text, width in cells if isinstance(text, str)), default=18.0)


def document_header(sheet: Sheet, header: ReportHeader, as_of: dt.date, plan_title: str, subtitle: str,
                    widths: Sequence[float], spaced: bool = True) -> None:
    """The NĐ 30 block of a report: agency left, national name and motto right, place and date; then
    the title, the plan and what the sheet holds, and a blank line unless not `spaced`."""
    split = max(1, split_at(widths))
    halves = ((1, split), (split + 1, sheet.width))
    for line in heading_lines(header, as_of, f"Số:        /BC-{header.agency_short}"):
        parts = [(part[0], part[1], first, last) for part, (first, last) in zip(line, halves, strict=True) if part]
        if parts:
            sheet.spans(parts, height=18)
        else:
            sheet.blank()
    sheet.blank()
    total_width = sum(widths)
    sheet.merged("BÁO CÁO", "title", height=20)
    sheet.merged(
        f"Tình hình thực hiện {plan_title}",
        "subtitle",
        height=line_height(f"Tình hình thực hiện {plan_title}", total_width / 1.15),
    )
    sheet.merged(subtitle, "note_line", height=line_height(subtitle, total_width / 1.05))
    if spaced:
        sheet.blank()


def split_at(widths: Sequence[float]) -> int:
    """The last column of the left header half: about 40% of the printed width."""
    running = 0.0
    for index, width in enumerate(widths, 1):
        running += width
        if running >= 0.4 * sum(widths):
            return min(index, len(widths) - 1)
    return len(widths) - 1
