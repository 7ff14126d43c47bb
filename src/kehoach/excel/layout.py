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
from kehoach.render.official import FONT as FONT
from kehoach.render.official import MARGINS_MM, MOTTO, NATION
from kehoach.render.official import SIGNATURE_NOTE as SIGNATURE_NOTE
from kehoach.render.official import head_title as head_title
from kehoach.render.official import place_and_date as place_and_date

PAPER_A4 = "9"  # the OOXML paperSize code of A4
MM_PER_INCH = 25.4

HeadingPart = tuple[str, str] | None
"""A text and its role (agency_parent, agency, nation, motto, number, place_date), or nothing."""


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
