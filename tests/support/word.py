"""Reading a Word document kehoach wrote back with python-docx, as a reader's Word would show it."""

from __future__ import annotations

import shutil
import subprocess
from pathlib import Path
from typing import Any

import docx
import pytest
from docx.shared import Length

needs_soffice = pytest.mark.skipif(
    shutil.which("soffice") is None or shutil.which("pdftotext") is None,
    reason="LibreOffice (soffice) and poppler-utils (pdftotext) are needed to print the document to PDF; "
           ".ci/run installs them")


def vn_count(n: int) -> str:
    """1.234: how the test expects a count to be printed (written here again, not imported)."""
    return f"{n:,}".replace(",", ".")


def vn_percent(value: float | None) -> str:
    return "—" if value is None else f"{value:.1f}%".replace(".", ",")


def open_docx(path: Path) -> Any:
    return docx.Document(str(path))


def body_texts(document: Any) -> list[str]:
    return [p.text for p in document.paragraphs]


def body_text(document: Any) -> str:
    return "\n".join(body_texts(document))


def cell_texts(table: Any) -> list[list[str]]:
    return [[cell.text for cell in row.cells] for row in table.rows]


def cell_lines(cell: Any) -> list[str]:
    return [p.text for p in cell.paragraphs]


def run_style(paragraph: Any) -> tuple[bool, bool, float | None]:
    """(bold, italic, size in points) of a paragraph's first run with text, as Word shows it: the run's own
    font, else its paragraph style's, else the style that style is based on."""
    run = next(r for r in paragraph.runs if r.text)

    def effective(name: str) -> Any:
        value = getattr(run.font, name)
        style = paragraph.style
        while value is None and style is not None:
            value, style = getattr(style.font, name), style.base_style
        return value

    size = effective("size")
    return bool(effective("bold")), bool(effective("italic")), size.pt if size is not None else None


def alignment(paragraph: Any) -> Any:
    """How a paragraph is aligned: its own setting, else its style's, else the style that one is based on."""
    value, style = paragraph.alignment, paragraph.style
    while value is None and style is not None:
        value, style = style.paragraph_format.alignment, style.base_style
    return value


def paragraph_with(cell_or_doc: Any, text: str) -> Any:
    return next(p for p in cell_or_doc.paragraphs if p.text == text)


def mm(length: Length) -> float:
    return round(length.mm, 1)


def pdf_of(docx_path: Path, tmp_path: Path) -> Path:
    subprocess.run(["soffice", "--headless", f"-env:UserInstallation=file://{tmp_path}/lo", "--convert-to", "pdf",
                    "--outdir", str(tmp_path), str(docx_path)], check=True, capture_output=True, timeout=240)
    return tmp_path / docx_path.with_suffix(".pdf").name


def pdf_page_text(pdf: Path, page: int) -> str:
    return subprocess.run(["pdftotext", "-layout", "-f", str(page), "-l", str(page), str(pdf), "-"], check=True,
                          capture_output=True, text=True).stdout
