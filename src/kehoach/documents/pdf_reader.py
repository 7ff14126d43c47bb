"""A PDF with a text layer, read with pdfplumber: its ruled tables, and the lines outside them as
paragraphs, page by page from the top. A PDF with no text (a scan) is refused by `opening`."""

from __future__ import annotations

from typing import Any

from kehoach.documents.blocks import Block, Paragraph, RawDocument, Row, Table


def read_pdf_document(pdf: Any, shown: str) -> RawDocument:
    """`pdf` is an open pdfplumber.PDF."""
    blocks: list[Block] = []
    for page_number, page in enumerate(pdf.pages, start=1):
        found = page.find_tables()
        placed: list[tuple[float, Block]] = []
        for index, table in enumerate(found, start=1):
            rows = []
            for row_index, cells in enumerate(table.extract(), start=1):
                texts = tuple(" ".join((cell or "").split()) for cell in cells)
                filled = [t for t in texts if t]
                spans_all = len(filled) == 1 and sum(1 for c in cells if c is not None) == 1 and len(cells) > 1
                rows.append(Row(texts, f"trang {page_number}, bảng {index}, hàng {row_index}", spans_all))
            placed.append((table.bbox[1], Table(tuple(rows), f"trang {page_number}, bảng {index}")))
        boxes = [table.bbox for table in found]

        def outside(obj: dict[str, Any], boxes: list[tuple[float, float, float, float]] = boxes) -> bool:
            middle_x = (obj["x0"] + obj["x1"]) / 2
            middle_y = (obj["top"] + obj["bottom"]) / 2
            return not any(x0 <= middle_x <= x1 and top <= middle_y <= bottom for x0, top, x1, bottom in boxes)

        for line in page.filter(outside).extract_text_lines():
            text = line["text"].strip()
            if text:
                placed.append((line["top"], Paragraph(text, f"trang {page_number}")))
        for _, block in sorted(placed, key=lambda item: item[0]):
            previous = blocks[-1] if blocks else None
            if isinstance(block, Paragraph) and isinstance(previous, Paragraph) and _continues(previous, block):
                blocks[-1] = previous._replace(text=f"{previous.text} {block.text}")
            else:
                blocks.append(block)
    return RawDocument(tuple(blocks), (), shown, "pdf")


def _continues(previous: Paragraph, line: Paragraph) -> bool:
    """A PDF breaks a paragraph into lines: a line that opens in lower case after one that did not end a
    sentence carries the same paragraph on."""
    return previous.text[-1:] not in ".:;" and line.text[:1].islower()
