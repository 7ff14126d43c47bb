"""Text copied out of Word: paragraphs one a line; a table's cells each on its own line after a tab, a
blank line closing each row (the layout of the seed plan in tests/fixtures) — or a row on one line, its
cells between tabs."""

from __future__ import annotations

from kehoach.documents.blocks import Block, Paragraph, RawDocument, Row, Table


def read_text_document(text: str, shown: str) -> RawDocument:
    blocks: list[Block] = []
    rows: list[Row] = []
    cells: list[str] = []
    row_line = 0
    table_line = 0

    def end_row() -> None:
        nonlocal cells
        if cells:
            rows.append(Row(tuple(cells), f"dòng {row_line}"))
            cells = []

    def end_table() -> None:
        nonlocal rows
        end_row()
        if rows:
            blocks.append(Table(tuple(rows), f"bảng ở dòng {table_line}"))
            rows = []

    previous_was_cell = False
    for number, line in enumerate(text.splitlines(), start=1):
        if not line.startswith("\t") and line.count("\t") >= 2:
            # A row on one line, its cells between tabs (a table pasted into a plain editor).
            end_row()
            if not rows:
                table_line = number
            rows.append(Row(tuple(cell.strip() for cell in line.split("\t")), f"dòng {number}"))
            previous_was_cell = False
        elif line.startswith("\t"):
            if not rows and not cells:
                table_line = number
            if not cells:
                row_line = number
            cells.append(line[1:].strip())
            previous_was_cell = True
        elif not line.strip():
            end_row()
            previous_was_cell = False
        elif previous_was_cell and cells:
            # A cell of several paragraphs: Word puts the tab before the first one only.
            cells[-1] = f"{cells[-1]}\n{line.strip()}"
        else:
            end_table()
            blocks.append(Paragraph(line.strip(), f"dòng {number}"))
            previous_was_cell = False
    end_table()
    return RawDocument(tuple(blocks), (), shown, "text")
