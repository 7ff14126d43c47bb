"""The parts every Word document kehoach drafts shares, in the form of Nghị định 30/2020 (Phụ lục I):
A4 and its margins, Times New Roman, the two-column header, rules under a line, the page number in
the top margin from page 2, the signature block with "Nơi nhận", tables, and the save that gives the
same bytes for the same content.

python-docx is imported inside the functions (~0.16 s): `kehoach report` on the terminal never loads it.
"""

from __future__ import annotations

import datetime as dt
import io
from collections.abc import Sequence
from pathlib import Path
from typing import Any, NamedTuple

from kehoach.domain.text import visible
from kehoach.render.official import FONT, MARGINS_MM, MOTTO, NATION, place_and_date
from kehoach.store.files import atomic_write
from kehoach.store.office import Office
from kehoach.store.stamped_zip import restamped

BODY_SIZE = 14
TABLE_SIZE = 12
FIRST_LINE_INDENT_MM = 12.7
SPACE_AFTER_PT = 6
A4_MM = (210, 297)
TEXT_WIDTH_MM = 210 - MARGINS_MM["left"] - MARGINS_MM["right"]
LEFT_HEAD_MM = 70
"""The header's left column (the agency); the right one (the national name) takes the rest."""

Doc = Any
"""A python-docx Document (its type is not exported)."""


def new_document() -> Doc:
    """A4 portrait, the margins of NĐ 30, Times New Roman 14 justified with a first-line indent."""
    from docx import Document
    from docx.enum.section import WD_ORIENT
    from docx.enum.text import WD_ALIGN_PARAGRAPH
    from docx.oxml.ns import qn
    from docx.shared import Mm, Pt

    doc = Document()
    section = doc.sections[0]
    section.orientation = WD_ORIENT.PORTRAIT
    section.page_width, section.page_height = Mm(A4_MM[0]), Mm(A4_MM[1])
    _margins(section)
    normal = doc.styles["Normal"]
    normal.font.name = FONT
    normal.font.size = Pt(BODY_SIZE)
    fonts = normal.element.get_or_add_rPr().get_or_add_rFonts()
    for attribute in ("w:ascii", "w:hAnsi", "w:eastAsia", "w:cs"):
        fonts.set(qn(attribute), FONT)
    form = normal.paragraph_format
    form.alignment = WD_ALIGN_PARAGRAPH.JUSTIFY
    form.first_line_indent = Mm(FIRST_LINE_INDENT_MM)
    form.space_before = Pt(0)
    form.space_after = Pt(SPACE_AFTER_PT)
    form.line_spacing = 1.0
    page_numbers(section)
    return doc


def _margins(section: Any) -> None:
    from docx.shared import Mm

    section.top_margin = Mm(MARGINS_MM["top"])
    section.bottom_margin = Mm(MARGINS_MM["bottom"])
    section.left_margin = Mm(MARGINS_MM["left"])
    section.right_margin = Mm(MARGINS_MM["right"])
    section.header_distance = Mm(MARGINS_MM["header"])
    section.footer_distance = Mm(MARGINS_MM["footer"])


def page_numbers(section: Any) -> None:
    """A PAGE field centred in the top margin, on every page but the first (NĐ 30, Điều 8)."""
    from docx.oxml import OxmlElement
    from docx.oxml.ns import qn
    from docx.shared import Pt

    section.different_first_page_header_footer = True
    section.first_page_header.is_linked_to_previous = False
    paragraph = section.header.paragraphs[0]
    _plain(paragraph, "center")
    run = paragraph.add_run()
    run.font.size = Pt(BODY_SIZE)
    for kind, text in (("begin", None), (None, "PAGE"), ("separate", None), (None, "2"), ("end", None)):
        if kind is not None:
            char = OxmlElement("w:fldChar")
            char.set(qn("w:fldCharType"), kind)
            run._r.append(char)
        elif text == "PAGE":
            instruction = OxmlElement("w:instrText")
            instruction.set(qn("xml:space"), "preserve")
            instruction.text = " PAGE "
            run._r.append(instruction)
        else:
            shown = OxmlElement("w:t")
            shown.text = text
            run._r.append(shown)


def landscape_section(doc: Doc) -> Any:
    """A new page turned sideways for a wide table; its page numbers continue (the header is inherited)."""
    from docx.enum.section import WD_ORIENT, WD_SECTION
    from docx.shared import Mm

    section = doc.add_section(WD_SECTION.NEW_PAGE)
    section.orientation = WD_ORIENT.LANDSCAPE
    section.page_width, section.page_height = Mm(A4_MM[1]), Mm(A4_MM[0])
    _margins(section)
    section.different_first_page_header_footer = False
    return section


def letter_section(doc: Doc) -> Any:
    """The next letter in the same file: a new page, numbered from 1, no number on its first page."""
    from docx.enum.section import WD_SECTION
    from docx.oxml import OxmlElement
    from docx.oxml.ns import qn

    section = doc.add_section(WD_SECTION.NEW_PAGE)
    section.different_first_page_header_footer = True
    numbering = section._sectPr.find(qn("w:pgNumType"))  # copied from the letter before
    if numbering is None:
        numbering = OxmlElement("w:pgNumType")
        section._sectPr.insert_element_before(numbering, "w:cols", "w:formProt", "w:vAlign", "w:noEndnote",
                                              "w:titlePg", "w:textDirection", "w:bidi", "w:rtlGutter", "w:docGrid",
                                              "w:printerSettings", "w:sectPrChange")
    numbering.set(qn("w:start"), "1")
    return section


def _plain(paragraph: Any, alignment: str = "center", after: float = 0) -> Any:
    _plain_format(paragraph.paragraph_format, alignment, after)
    return paragraph


def _plain_format(form: Any, alignment: str, after: float) -> None:
    from docx.enum.text import WD_ALIGN_PARAGRAPH
    from docx.shared import Mm, Pt

    form.alignment = {"center": WD_ALIGN_PARAGRAPH.CENTER, "left": WD_ALIGN_PARAGRAPH.LEFT}[alignment]
    form.first_line_indent = Mm(0)
    form.space_after = Pt(after)
    form.space_before = Pt(0)


def line(container: Any, text: str, size: float = BODY_SIZE, *, bold: bool = False, italic: bool = False,
         alignment: str = "center", after: float = 0, first: bool = False) -> Any:
    """One line of a header, title, signature or table cell (no indent); `first` uses the cell's empty
    paragraph. Its look is a paragraph style made once a document: a letter of 40 rows formatted line by
    line spends most of its time in python-docx's property setters."""
    paragraph = container.paragraphs[0] if first else container.add_paragraph()
    # The style's id set directly: python-docx's `paragraph.style =` scans every style of the document for
    # the default one each time (3 ms a line).
    paragraph._p.style = _line_style(container.part, size, bold, italic, alignment, after).style_id
    if text:
        paragraph.add_run(visible(text))
    return paragraph


ALIGNMENT_WORDS = {"center": "giữa", "left": "trái"}


def _line_style(part: Any, size: float, bold: bool, italic: bool, alignment: str, after: float) -> Any:
    from docx.enum.style import WD_STYLE_TYPE

    made: dict[tuple[Any, ...], Any] = part.__dict__.setdefault("_kehoach_line_styles", {})
    key = (size, bold, italic, alignment, after)
    if key not in made:
        name = " ".join(filter(None, ("kehoach", f"{size:g}", "đậm" if bold else "", "nghiêng" if italic else "",
                                      ALIGNMENT_WORDS[alignment], f"cách {after:g}")))
        style = part.styles.add_style(name, WD_STYLE_TYPE.PARAGRAPH)
        style.base_style = part.styles["Normal"]
        _plain_format(style.paragraph_format, alignment, after)
        styled(style, size, bold=bold, italic=italic)
        made[key] = style
    return made[key]


def styled(run: Any, size: float, *, bold: bool = False, italic: bool = False) -> Any:
    """A run's (or a style's) font: size, bold, italic."""
    from docx.shared import Pt

    run.font.size = Pt(size)
    run.font.bold = bold
    run.font.italic = italic
    return run


def body(doc: Doc, text: str, *, bold: bool = False, italic: bool = False, size: float = BODY_SIZE,
         indent: bool = True) -> Any:
    """A paragraph of the body: justified, first-line indent, 6 pt after."""
    from docx.shared import Mm

    paragraph = doc.add_paragraph()
    if not indent:
        paragraph.paragraph_format.first_line_indent = Mm(0)
    styled(paragraph.add_run(visible(text)), size, bold=bold, italic=italic)
    return paragraph


def draft(doc: Doc, text: str) -> Any:
    """A sentence kehoach cannot know: highlighted, for the clerk to rewrite before signing."""
    from docx.oxml import OxmlElement
    from docx.oxml.ns import qn

    paragraph = body(doc, text)
    highlight = OxmlElement("w:highlight")
    highlight.set(qn("w:val"), "yellow")
    paragraph.runs[0]._r.get_or_add_rPr().append(highlight)
    return paragraph


def rule_under(container: Any, text_chars: int, size: float, share: float) -> Any:
    """A solid rule under the line above, `share` of its length, centred: a bordered empty paragraph whose
    indents leave that width (the text's width estimated from its characters, half an em each)."""
    from docx.oxml import OxmlElement
    from docx.oxml.ns import qn
    from docx.shared import Mm

    width_mm = TEXT_WIDTH_MM
    cell_width = getattr(container, "width", None)
    if cell_width is not None:
        width_mm = cell_width.mm
    rule_mm = min(width_mm, text_chars * size * 0.5 * 0.3528 * share)
    paragraph = container.add_paragraph()
    _plain(paragraph, after=2)
    form = paragraph.paragraph_format
    form.left_indent = form.right_indent = Mm(max(0.0, (width_mm - rule_mm) / 2))
    styled(paragraph.add_run(), 2)
    borders = OxmlElement("w:pBdr")
    bottom = OxmlElement("w:bottom")
    for key, value in (("w:val", "single"), ("w:sz", "6"), ("w:space", "1"), ("w:color", "000000")):
        bottom.set(qn(key), value)
    borders.append(bottom)
    paragraph._p.get_or_add_pPr().append(borders)
    return paragraph


def borderless_table(doc: Doc, rows: int, widths_mm: Sequence[float]) -> Any:
    from docx.enum.table import WD_TABLE_ALIGNMENT

    table = doc.add_table(rows=rows, cols=len(widths_mm))
    table.alignment = WD_TABLE_ALIGNMENT.CENTER
    table.autofit = False
    widths(table, widths_mm)
    return table


def widths(table: Any, widths_mm: Sequence[float]) -> None:
    """Column widths in the table's grid (what LibreOffice reads) and in each cell (what Word reads)."""
    from docx.shared import Mm

    for column, width in zip(table.columns, widths_mm, strict=True):
        column.width = Mm(width)
    for index, cell in enumerate(cells_of(table)):
        cell.width = Mm(widths_mm[index % len(widths_mm)])


def cells_of(table: Any) -> list[Any]:
    """Every cell, row after row, found once: python-docx's `row.cells` walks the whole table each time
    (a 185-row appendix would be read 185 times over). Our tables merge no cells."""
    return list(table._cells)


class Heading(NamedTuple):
    """What the header holds besides the office: the symbol after "Số:" and, for a letter, its subject."""

    symbol: str
    """"BC-STP": printed "Số:      /BC-STP", the number left for the clerk."""
    day: dt.date
    subject: str | None = None
    """A công văn's "V/v …" under its number."""


def header(doc: Doc, office: Office, heading: Heading) -> None:
    """The two-column header of NĐ 30 (Mẫu 1.4, 1.5), borderless: agency left, nation right; the number
    under the agency and the place and date under the motto."""
    right_mm = TEXT_WIDTH_MM - LEFT_HEAD_MM + 5  # the national name on one line, into the right margin
    table = borderless_table(doc, 2, (LEFT_HEAD_MM, right_mm))
    left, right = table.rows[0].cells
    line(left, office.parent_agency.upper(), 13, first=True)
    line(left, office.agency.upper(), 13, bold=True)
    rule_under(left, len(office.agency), 13, 0.4)
    line(right, NATION, 12, bold=True, first=True)
    line(right, MOTTO, 13, bold=True)
    rule_under(right, len(MOTTO), 13, 0.9)
    number, place = table.rows[1].cells
    line(number, f"Số:      /{heading.symbol}", 13, first=True)
    if heading.subject is not None:
        line(number, f"V/v {heading.subject}", 12)
    line(place, place_and_date(office.place, heading.day), 14, italic=True, first=True)
    spacer(doc)


def spacer(doc: Doc, size: float = 6) -> Any:
    paragraph = _plain(doc.add_paragraph())
    styled(paragraph.add_run(), size)
    return paragraph


def signature(doc: Doc, office: Office, recipients: Sequence[str]) -> None:
    """Nơi nhận (bold italic 12, its list 11, "- Lưu: VT, …." last) left; the signer right (NĐ 30)."""
    spacer(doc)
    table = borderless_table(doc, 1, (TEXT_WIDTH_MM / 2, TEXT_WIDTH_MM / 2))
    left, right = table.rows[0].cells
    line(left, "Nơi nhận:", 12, bold=True, italic=True, alignment="left", first=True)
    listed = [f"- {r};" for r in recipients] + [f"- Lưu: {office.archive}."]
    for text in listed:
        line(left, text, 11, alignment="left")
    signer = office.signer
    line(right, signer.authority.upper(), 14, bold=True, first=True)
    if signer.title.upper() != signer.authority.upper():
        line(right, signer.title.upper(), 14, bold=True)
    for _ in range(4):
        line(right, "", 14)
    line(right, signer.name, 14, bold=True)


def grid(doc: Doc, headings: Sequence[str], rows: Sequence[Sequence[str]], widths_mm: Sequence[float],
         size: float = TABLE_SIZE, numeric_from: int = 2) -> Any:
    """A ruled table: a bold heading row repeated on each page, columns from `numeric_from` on centred."""
    from docx.enum.table import WD_TABLE_ALIGNMENT
    from docx.oxml import OxmlElement
    from docx.oxml.ns import qn

    table = doc.add_table(rows=1 + len(rows), cols=len(headings))
    table.style = doc.styles["Table Grid"]
    margins = OxmlElement("w:tblCellMar")  # 1 mm each side: the numbers' columns are narrow
    for side in ("left", "right"):
        margin = OxmlElement(f"w:{side}")
        margin.set(qn("w:w"), "57")
        margin.set(qn("w:type"), "dxa")
        margins.append(margin)
    table._tbl.tblPr.append(margins)
    table.alignment = WD_TABLE_ALIGNMENT.CENTER
    table.autofit = False
    repeat = OxmlElement("w:tblHeader")
    repeat.set(qn("w:val"), "true")
    table.rows[0]._tr.get_or_add_trPr().append(repeat)
    widths(table, widths_mm)
    every = cells_of(table)
    for index, texts in enumerate([headings, *rows]):
        start = index * len(headings)
        for column, (cell, text) in enumerate(zip(every[start:start + len(headings)], texts, strict=True)):
            centred = index == 0 or column >= numeric_from or column == 0
            line(cell, text, size, bold=index == 0, alignment="center" if centred else "left", first=True)
    return table


def bold_row(table: Any, index: int) -> None:
    width = len(table.columns)
    for cell in cells_of(table)[index * width:(index + 1) * width]:
        for paragraph in cell.paragraphs:
            for run in paragraph.runs:
                run.font.bold = True


def page_break(doc: Doc) -> None:
    from docx.enum.text import WD_BREAK

    doc.add_paragraph().add_run().add_break(WD_BREAK.PAGE)


def document_bytes(doc: Doc, day: dt.date, title: str, author: str) -> bytes:
    """The .docx with no clock in it: core properties and every zip member dated `day`, so the same
    content on the same day gives the same bytes."""
    stamp = dt.datetime(day.year, day.month, day.day)
    properties = doc.core_properties
    properties.created = properties.modified = properties.last_printed = stamp
    properties.author = properties.last_modified_by = author
    properties.title = title if len(title) <= 255 else title[:254] + "…"  # the format's limit
    properties.revision = 1
    out = io.BytesIO()
    doc.save(out)
    return restamped(out.getvalue(), (day.year, day.month, day.day, 0, 0, 0))


def save(doc: Doc, path: Path, day: dt.date, title: str, author: str) -> None:
    atomic_write(path, document_bytes(doc, day, title, author))
