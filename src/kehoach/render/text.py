"""Text renderers over the row model: plain and markdown (tabulate), csv, json. No terminal code."""

from __future__ import annotations

import datetime as dt
import io
import json
import re
from collections.abc import Sequence
from enum import Enum
from typing import Any

from kehoach.domain.text import spreadsheet_safe, visible
from kehoach.render.rows import Table

_TABULATE = {"plain": "simple", "markdown": "pipe"}


def json_default(value: Any) -> Any:
    if isinstance(value, dt.date):
        return value.isoformat()
    if isinstance(value, Enum):
        return value.value
    if isinstance(value, tuple):
        return list(value)
    raise TypeError(f"không chuyển được sang JSON: {type(value).__name__}")


# json.dumps escapes C0 controls itself; these it leaves raw (ensure_ascii=False), and a terminal or a
# strict parser must not meet them: DEL and C1 controls (U+009B starts an escape sequence too), the
# halves of a broken UTF-16 pair (bytes that were not UTF-8), U+FFFE/U+FFFF.
_JSON_RAW = re.compile("[\x7f-\x9f\ud800-\udfff\ufffe\uffff]")

BYTE_ORDER_MARK = "\ufeff"
"""First in every CSV: Excel on Windows reads a CSV as UTF-8 only when it starts with one."""


def to_json(data: Any) -> str:
    text = json.dumps(data, ensure_ascii=False, indent=2, default=json_default) + "\n"
    return _JSON_RAW.sub(lambda m: f"\\u{ord(m.group()):04x}", text)


def render(tables: Sequence[Table], fmt: str) -> str:
    """The tables in a text format. No control character reaches the output (`visible`), whatever the
    data holds, and no CSV cell is a formula (`spreadsheet_safe`)."""
    if fmt == "json":
        if len(tables) == 1:
            return to_json(tables[0].rows)
        return to_json({t.title: t.rows for t in tables})
    if fmt == "csv":
        # Several tables in one file: each section starts with a row holding its title alone.
        return BYTE_ORDER_MARK + visible("\n".join(_csv(t, titled=len(tables) > 1) for t in tables))
    parts = []
    for table in tables:
        body = _tabulate(table, _TABULATE[fmt])
        if fmt == "markdown":
            title, caption = _markdown_text(table.title), _markdown_text(table.caption)
            parts.append(f"## {title}\n\n{body}\n" + (f"\n{caption}\n" if caption else ""))
        else:
            parts.append(f"{table.title}\n\n{body}\n" + (f"\n{table.caption}\n" if table.caption else ""))
    return visible("\n".join(parts))


# In a markdown table a `|` ends the cell and a line break the row; `<`, `>` and `&` would be read as
# HTML by every renderer of markdown (a note "<script>" must show as text).
_MARKDOWN_SPECIAL = re.compile(r"[|<>&\r\n]")
_MARKDOWN_ESCAPES = {"|": "\\|", "<": "&lt;", ">": "&gt;", "&": "&amp;", "\r": " ", "\n": "<br>"}


def _markdown_text(text: str) -> str:
    if _MARKDOWN_SPECIAL.search(text) is None:
        return text
    return _MARKDOWN_SPECIAL.sub(lambda m: _MARKDOWN_ESCAPES[m.group()], text)


def _visible_columns(columns: list[list[str]]) -> list[list[str]]:
    """Escaped before alignment, so a column holding an escaped control stays aligned. One test over
    all the text first: nearly every table holds none."""
    joined = "".join(map("".join, columns))
    if visible(joined) is joined:
        return columns
    return [[visible(cell) for cell in column] for column in columns]


def _tabulate(table: Table, tablefmt: str) -> str:
    if not table.rows:
        return "(không có dòng nào)"
    align = ["right" if c.numeric else "left" for c in table.columns]
    columns = _visible_columns(table.display_columns())
    if tablefmt == "pipe":
        columns = [[_markdown_text(cell) for cell in column] for column in columns]
    fast = _aligned_columns(table.headers, columns, align, tablefmt)
    if fast is not None:
        return fast
    from tabulate import tabulate

    rows = [list(row) for row in zip(*columns, strict=True)]
    return tabulate(rows, headers=table.headers, tablefmt=tablefmt, colalign=align, disable_numparse=True)


# Characters one column wide in every terminal and in tabulate's own measure (wcwidth when installed):
# printable ASCII, Latin letters with their accents, Vietnamese letters, common punctuation.
_ONE_COLUMN = re.compile("[\x20-\x7e\u00c0-\u024f\u1ea0-\u1ef9\u2013\u2014\u2018\u2019\u201c\u201d"
                         "\u2026\u00b0\u00ab\u00bb\u00b7\u2192\u2190]*")


def _aligned(headers: list[str], rows: list[list[str]], align: list[str], tablefmt: str) -> str | None:
    """What tabulate prints for the formats we use ("simple", "pipe"), made directly: tabulate spends
    most of its time guessing column types that we never ask for (2,000 rows: ~100 ms against ~5 ms).
    None when a cell holds anything but one-column characters (a line break, a wide or combining
    character): tabulate then does it, so the output is always tabulate's."""
    columns = [list(column) for column in zip(*rows, strict=True)] if rows else [[] for _ in headers]
    return _aligned_columns(headers, columns, align, tablefmt)


def _aligned_columns(headers: list[str], columns: list[list[str]], align: list[str], tablefmt: str) -> str | None:
    """`_aligned` over the cells column by column: one check, one width and one strip per column, and one
    str.format per row (a check per cell was a third of `check`'s time on the shipped plan)."""
    if tablefmt not in ("simple", "pipe"):
        return None
    match = _ONE_COLUMN.fullmatch
    # tabulate strips the cells it aligns.
    columns = [list(map(str.strip, column)) for column in columns]
    if not all(match(h) for h in headers) or not all(match("".join(column)) for column in columns):
        return None
    filled = bool(columns) and bool(columns[0])
    widths = [max([len(h) + 2, *map(len, column)]) for h, column in zip(headers, columns, strict=True)]
    lefts = [a == "left" for a in align]
    cells = ["{:" + ("<" if left else ">") + str(w) + "}" for w, left in zip(widths, lefts, strict=True)]
    if tablefmt == "simple":
        template = "  ".join(cells)
        out = [template.format(*headers).rstrip(), "  ".join("-" * w for w in widths).rstrip()]
        out += [line.rstrip() for line in map(template.format, *columns)] if filled else []
        return "\n".join(out)
    template = "| " + " | ".join(cells) + " |"
    rule = "|".join(":" + "-" * (w + 1) if left else "-" * (w + 1) + ":" for w, left in zip(widths, lefts,
                                                                                       strict=True))
    out = [template.format(*headers), f"|{rule}|"]
    out += list(map(template.format, *columns)) if filled else []
    return "\n".join(out)


def _csv(table: Table, titled: bool = False) -> str:
    import csv

    buffer = io.StringIO()
    writer = csv.writer(buffer, lineterminator="\n")
    if titled:
        writer.writerow([table.title])
    writer.writerow(table.headers)
    numeric = [column.numeric for column in table.columns]
    writer.writerows([cell if number else spreadsheet_safe(cell) for cell, number in zip(row, numeric, strict=True)]
                     for row in table.display_rows())
    return buffer.getvalue()
