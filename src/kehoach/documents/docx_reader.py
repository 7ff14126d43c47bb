"""A .docx read with python-docx: paragraphs and tables in body order, footnotes from their own part.

python-docx returns a cell merged across grid columns once per column; it is kept once, in its first
column, so a merged "Trách nhiệm" cell is not read as two responsibilities. A cell merged down several
rows (vMerge) is the same cell in each: each row reads its text, as the plan means it for each task.
"""

from __future__ import annotations

from typing import Any

from docx.table import Table as DocxTable
from docx.text.paragraph import Paragraph as DocxParagraph
from lxml import etree

from kehoach.documents.blocks import Block, Paragraph, RawDocument, Row, Table

_W = "{http://schemas.openxmlformats.org/wordprocessingml/2006/main}"


def read_docx_document(document: Any, shown: str) -> RawDocument:
    """`document` is a python-docx Document (opened by `opening`, which words its failures)."""
    blocks: list[Block] = []
    paragraph_number = 0
    table_number = 0
    body = document.element.body
    for element in body.iterchildren():
        if element.tag == f"{_W}p":
            paragraph_number += 1
            text = DocxParagraph(element, document).text
            if text.strip():
                blocks.append(Paragraph(text.strip(), f"đoạn {paragraph_number}"))
        elif element.tag == f"{_W}tbl":
            table_number += 1
            blocks.append(_table(DocxTable(element, document), table_number))
    return RawDocument(tuple(blocks), _footnotes(document), shown, "docx")


def _table(table: Any, number: int) -> Table:
    rows = []
    for index, row in enumerate(table.rows, start=1):
        cells: list[str] = []
        seen: list[Any] = []
        for cell in row.cells:
            if any(cell._tc is tc for tc in seen):
                cells.append("")
                continue
            seen.append(cell._tc)
            cells.append("\n".join(p.text.strip() for p in cell.paragraphs if p.text.strip()))
        header = row._tr.trPr is not None and row._tr.trPr.find(f"{_W}tblHeader") is not None
        spans_all = len(seen) == 1 and len(cells) > 1
        rows.append(Row(tuple(cells), f"bảng {number}, hàng {index}", spans_all, header))
    return Table(tuple(rows), f"bảng {number}")


def _footnotes(document: Any) -> tuple[str, ...]:
    """The footnotes' texts, in order; Word's own separator notes (ids -1 and 0) left out."""
    part = document.part
    for rel in part.rels.values():
        if rel.reltype.endswith("/footnotes"):
            root = etree.fromstring(rel.target_part.blob)
            notes = []
            for note in root.iter(f"{_W}footnote"):
                if note.get(f"{_W}type") in ("separator", "continuationSeparator", "continuationNotice"):
                    continue
                text = "".join(t.text or "" for t in note.iter(f"{_W}t")).strip()
                if text:
                    notes.append(text)
            return tuple(notes)
    return ()
