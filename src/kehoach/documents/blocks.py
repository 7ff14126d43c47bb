"""What every reader returns: a document's paragraphs and tables in body order, each with where it sits.

The readers of .docx, text and PDF differ in how they find cells; the plan is read from these blocks
once (`plan_document`), whatever the file was.
"""

from __future__ import annotations

from typing import NamedTuple

from kehoach.errors import KehoachError


class DocumentError(KehoachError):
    """A document kehoach cannot read as a plan: the message says which file and what to do."""


class Paragraph(NamedTuple):
    text: str
    where: str
    """For a message: "dòng 12" (text), "đoạn 12" (Word), "trang 2" (PDF)."""


class Row(NamedTuple):
    cells: tuple[str, ...]
    """One text a grid column; a cell merged across columns gives its text once, in its first column."""
    where: str
    spans_all: bool = False
    """One merged cell across the whole row (a group row such as "I. CÔNG TÁC CHỈ ĐẠO")."""
    header: bool = False
    """Marked as a header row repeated on each page (Word's "Repeat as header row")."""


class Table(NamedTuple):
    rows: tuple[Row, ...]
    where: str


Block = Paragraph | Table


class RawDocument(NamedTuple):
    blocks: tuple[Block, ...]
    footnotes: tuple[str, ...]
    shown: str
    """The file as messages name it."""
    kind: str
    """"docx", "text" or "pdf"."""
