"""What every printed kehoach workbook shares (the report and the unit form): the Nghị định
30/2020/NĐ-CP header block, the place-and-date line, and the page setup (A4 landscape, NĐ 30 margins,
fit to the page width, page numbers on top from page 2).

Each workbook places the block in its own grid and with its own font sizes: this module says what the
lines are and which role each text plays; the caller maps roles to fonts and cells. openpyxl is
imported inside functions only.
"""

from __future__ import annotations

import datetime as dt
from typing import Any

from kehoach.domain.model import ReportHeader
from kehoach.domain.text import fold

FONT = "Times New Roman"
NATION = "CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM"
MOTTO = "Độc lập - Tự do - Hạnh phúc"
PAPER_A4 = "9"  # the OOXML paperSize code of A4
MM_PER_INCH = 25.4
MARGINS_MM = {"left": 30, "right": 15, "top": 20, "bottom": 20, "header": 8, "footer": 8}
"""NĐ 30: top and bottom 20 mm, left 30 mm, right 15 mm; header and footer 8 mm."""

HeadingPart = tuple[str, str] | None
"""A text and its role (agency_parent, agency, nation, motto, number, place_date), or nothing."""


def place_and_date(place: str, day: dt.date) -> str:
    """'Thanh Hóa, ngày 05 tháng 02 năm 2026': zero before days < 10 and months 1 and 2 (NĐ 30)."""
    month = f"{day.month:02d}" if day.month <= 2 else str(day.month)
    return f"{place}, ngày {day.day:02d} tháng {month} năm {day.year}"


def heading_lines(
    header: ReportHeader, day: dt.date, number: str | None = None
) -> list[tuple[HeadingPart, HeadingPart]]:
    """The header block, line by line, as (left half, right half): issuing agency left, national name
    and motto right, then the document number (when given, after a blank line) and the place and date."""
    lines: list[tuple[HeadingPart, HeadingPart]] = [
        ((header.parent_agency.upper(), "agency_parent"), (NATION, "nation")),
        ((header.agency.upper(), "agency"), (MOTTO, "motto")),
    ]
    place_date = (place_and_date(header.place, day), "place_date")
    if number is None:
        lines.append((None, place_date))
    else:
        lines += [(None, None), ((number, "number"), place_date)]
    return lines


READABLE_SCALE = 67
"""Printing at 67 %: the sheets' 12 pt text comes out at 8 pt, the smallest a leader reads easily."""


def page_setup(ws: Any, page_number_size: float, scale: int | None = None) -> None:
    """A4 landscape, NĐ 30 margins, page numbers centred on top but not on page 1; fit to the page width,
    or, for a sheet too wide for that to stay readable, printed at `scale` percent across pages."""
    from openpyxl.worksheet.page import PageMargins

    ws.page_setup.orientation = "landscape"
    ws.page_setup.paperSize = PAPER_A4
    if scale is None:
        ws.page_setup.fitToWidth = 1
        ws.page_setup.fitToHeight = 0
        ws.sheet_properties.pageSetUpPr.fitToPage = True
    else:
        ws.page_setup.scale = scale
        ws.sheet_properties.pageSetUpPr.fitToPage = False
    ws.page_margins = PageMargins(**{side: mm / MM_PER_INCH for side, mm in MARGINS_MM.items()})
    ws.print_options.horizontalCentered = True
    ws.HeaderFooter.differentFirst = True
    ws.HeaderFooter.oddHeader.center.text = "&P"
    ws.HeaderFooter.oddHeader.center.font = f"{FONT},Regular"
    ws.HeaderFooter.oddHeader.center.size = page_number_size


# Who signs for a body, by how its name starts (folded, so "SỞ TƯ PHÁP" and "Sở Tư pháp" agree).
_HEADS = (
    (("ubnd ", "uy ban nhan dan", "lanh dao ubnd", "hoi dong", "hoi "), "CHỦ TỊCH"),
    (("so ", "dai ", "cong an "), "GIÁM ĐỐC"),
    (("van phong ",), "CHÁNH VĂN PHÒNG"),
    (("thanh tra ",), "CHÁNH THANH TRA"),
    (("ban ",), "TRƯỞNG BAN"),
    (("bao ",), "TỔNG BIÊN TẬP"),
)
_HEAD_BY_LEVEL = {"xa": "CHỦ TỊCH", "huyen": "CHỦ TỊCH"}
SIGNATURE_NOTE = "(Ký, ghi rõ họ tên, đóng dấu)"


def head_title(name: str, level: str | None = None) -> str:
    """The title that signs a body's documents: a commune's or a district's UBND is signed by its
    CHỦ TỊCH, a department (Sở) by its GIÁM ĐỐC, Thanh tra by its CHÁNH THANH TRA; a body of no known
    kind by THỦ TRƯỞNG ĐƠN VỊ."""
    folded = fold(name) + " "
    for starts, title in _HEADS:
        if folded.startswith(starts):
            return title
    return _HEAD_BY_LEVEL.get(level or "", "THỦ TRƯỞNG ĐƠN VỊ")
