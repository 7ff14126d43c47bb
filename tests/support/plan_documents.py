"""Plan documents built in tests the way provincial offices lay them out: the header block (agency |
motto) as a borderless table, the title, "Căn cứ …" paragraphs, Roman sections, and the task table —
with real python-docx merges, repeated header rows and group rows. The seed plan's text is parsed here
into its table rows so the same content can be laid into a .docx."""

from __future__ import annotations

import shutil
import subprocess
from collections.abc import Sequence
from pathlib import Path

import docx
import pytest
from docx.opc.constants import RELATIONSHIP_TYPE
from docx.opc.packuri import PackURI
from docx.opc.part import Part
from docx.oxml import OxmlElement
from docx.oxml.ns import qn

from support.paths import SEED


def seed_parts() -> tuple[list[str], list[list[str]], list[str]]:
    """The seed text as (paragraphs before the table, table rows with the header first, paragraphs after)."""
    before: list[str] = []
    rows: list[list[str]] = []
    after: list[str] = []
    row: list[str] = []
    for line in SEED.read_text(encoding="utf-8").splitlines():
        if line.startswith("\t"):
            row.append(line[1:].strip())
        elif not line.strip():
            if row:
                rows.append(row)
                row = []
        else:
            (after if rows else before).append(line.strip())
    return before, rows, after


def seed_docx(path: Path) -> Path:
    """The seed plan laid into a .docx: its paragraphs, then its table, then the rest."""
    before, rows, after = seed_parts()
    document = docx.Document()
    for text in before:
        document.add_paragraph(text)
    add_table(document, rows)
    for text in after:
        document.add_paragraph(text)
    return save(document, path)


def header_block(document: docx.document.Document, agency: Sequence[str], number: str, place_date: str) -> None:
    table = document.add_table(rows=2, cols=2)
    table.cell(0, 0).text = "\n".join(agency)
    table.cell(0, 1).text = "CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM\nĐộc lập - Tự do - Hạnh phúc"
    table.cell(1, 0).text = f"Số: {number}"
    table.cell(1, 1).text = place_date


def repeat_as_header(row: object) -> None:
    """Word's "Repeat as header row at the top of each page" on a table row."""
    tr_pr = row._tr.get_or_add_trPr()  # type: ignore[attr-defined]
    mark = OxmlElement("w:tblHeader")
    mark.set(qn("w:val"), "true")
    tr_pr.append(mark)


def add_table(document: docx.document.Document, rows: Sequence[Sequence[str]],
              group_rows: Sequence[int] = (), header_rows: Sequence[int] = (0,)) -> object:
    """A table of `rows`; rows at `group_rows` are one cell merged across the table."""
    width = len(rows[0])
    table = document.add_table(rows=0, cols=width)
    table.style = "Table Grid"  # ruled, as plans print it (a PDF reader finds a table by its lines)
    for index, cells in enumerate(rows):
        row = table.add_row()
        if index in group_rows:
            merged = row.cells[0].merge(row.cells[width - 1])
            merged.text = cells[0]
        else:
            for cell, text in zip(row.cells, cells, strict=True):
                cell.text = text
        if index in header_rows:
            repeat_as_header(row)
    return table


def save(document: docx.document.Document, path: Path) -> Path:
    document.save(str(path))
    return path


def to_pdf(docx_path: Path) -> Path:
    """The .docx printed to PDF by LibreOffice, or the test skipped saying why."""
    return converted(docx_path, "pdf")


def converted(docx_path: Path, kind: str) -> Path:
    """The .docx saved by LibreOffice as `kind` (pdf, doc), or the test skipped saying why."""
    soffice = shutil.which("soffice") or shutil.which("libreoffice")
    if soffice is None:
        pytest.skip("LibreOffice (soffice) không có trên máy: không tạo được PDF để thử")
    out = docx_path.parent
    subprocess.run([soffice, "--headless", f"-env:UserInstallation=file://{out}/lo-profile", "--convert-to", kind,
                    "--outdir", str(out), str(docx_path)], check=True, capture_output=True, timeout=180)
    return docx_path.with_suffix(f".{kind}")


FOOTNOTES_XML = ('<w:footnotes xmlns:w="http://schemas.openxmlformats.org/wordprocessingml/2006/main">'
                 '<w:footnote w:type="separator" w:id="-1"><w:p><w:r><w:separator/></w:r></w:p></w:footnote>'
                 '<w:footnote w:type="continuationSeparator" w:id="0"><w:p><w:r><w:continuationSeparator/></w:r>'
                 '</w:p></w:footnote>{notes}</w:footnotes>')


def add_footnotes(document: docx.document.Document, notes: Sequence[str]) -> None:
    """A footnotes part as Word writes one (python-docx makes none): notes 1..n."""
    body = "".join(f'<w:footnote w:id="{i}"><w:p><w:r><w:t>{text}</w:t></w:r></w:p></w:footnote>'
                   for i, text in enumerate(notes, start=1))
    part = Part(PackURI("/word/footnotes.xml"),
                "application/vnd.openxmlformats-officedocument.wordprocessingml.footnotes+xml",
                FOOTNOTES_XML.format(notes=body).encode("utf-8"), document.part.package)
    document.part.relate_to(part, RELATIONSHIP_TYPE.FOOTNOTES)


def footnote_mark(paragraph: object, number: int) -> None:
    """The superscript reference to footnote `number` at the end of a paragraph."""
    run = paragraph.add_run()  # type: ignore[attr-defined]
    reference = OxmlElement("w:footnoteReference")
    reference.set(qn("w:id"), str(number))
    run._r.append(reference)
