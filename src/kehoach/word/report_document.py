"""The report to the Chairman as a Word document, in the form of Nghị định 30/2020 (Phụ lục I, Mẫu 1.4):
the header, BÁO CÁO and its subject, sections I–IV, the signature and Nơi nhận, and the appendix by
unit on a landscape page. An office's own `data/templates/bao-cao.docx` replaces this layout
(`template.render_template`) with the same texts.
"""

from __future__ import annotations

from pathlib import Path

from kehoach.store.office import Office
from kehoach.word import page
from kehoach.word.report_text import ReportText, Table
from kehoach.word.template import render_template

PORTRAIT_WIDTHS = (9.0, 39.0, *(14.0,) * 7, 19.0)
"""Eight counts beside the task on a portrait page: 10 pt, so "100,0%" and "HT đúng hạn" fit their cells."""
LANDSCAPE_WIDTHS = (12.0, 78.0, *(17.0,) * 8, 20.0)


def report_document(text: ReportText, office: Office) -> page.Doc:
    doc = page.new_document()
    page.header(doc, office, page.Heading(text.symbol, text.day))
    page.line(doc, "BÁO CÁO", page.BODY_SIZE, bold=True)
    page.line(doc, text.subject, page.BODY_SIZE, bold=True)
    page.rule_under(doc, 24, page.BODY_SIZE, 1.0)
    page.spacer(doc)
    for paragraph in text.paragraphs:
        kind = paragraph.kind
        if kind.startswith("table:"):
            _table(doc, text.tables[kind.removeprefix("table:")], PORTRAIT_WIDTHS, 10)
        elif kind == "heading":
            page.body(doc, paragraph.text.upper(), bold=True)
        elif kind == "subheading":
            page.body(doc, paragraph.text, bold=True)
        elif kind == "draft":
            page.draft(doc, paragraph.text)
        else:
            page.body(doc, paragraph.text, italic=kind == "basis")
    page.body(doc, text.closing)
    page.signature(doc, office, office.report_recipients)
    page.landscape_section(doc)
    page.line(doc, "PHỤ LỤC", page.BODY_SIZE, bold=True)
    page.line(doc, text.appendix_title, page.BODY_SIZE, bold=True)
    page.line(doc, text.appendix_note, 13, italic=True, after=6)
    _table(doc, text.tables["by_unit"], LANDSCAPE_WIDTHS, 11)
    return doc


def _table(doc: page.Doc, table: Table, widths: tuple[float, ...], size: float) -> None:
    made = page.grid(doc, table.headings, table.rows, widths, size=size)
    if table.total:
        page.bold_row(made, len(table.rows))
    page.spacer(doc)


def write_report_document(text: ReportText, office: Office, path: Path, template: Path | None) -> None:
    """The office's template when it has one, else kehoach's layout; the same bytes for the same texts."""
    title = f"Báo cáo {text.subject}"
    if template is not None:
        doc = render_template(template, text, office)
    else:
        doc = report_document(text, office)
    page.save(doc, path, text.day, title, office.agency_name)

