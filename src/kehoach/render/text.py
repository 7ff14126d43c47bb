"""Text renderers over the row model: plain and markdown (tabulate), csv, json. No terminal code."""

from __future__ import annotations

import datetime as dt
import io
import json
import re
from collections.abc import Sequence
from enum import Enum
from typing import Any

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


def to_json(data: Any) -> str:
    return json.dumps(data, ensure_ascii=False, indent=2, default=json_default) + "\n"


def render(tables: Sequence[Table], fmt: str) -> str:
    if fmt == "json":
        if len(tables) == 1:
            return to_json(tables[0].rows)
        return to_json({t.title: t.rows for t in tables})
    if fmt == "csv":
        # Several tables in one file: each section starts with a row holding its title alone.
        return "\n".join(_csv(t, titled=len(tables) > 1) for t in tables)
    parts = []
    for table in tables:
        body = _tabulate(table, _TABULATE[fmt])
        if fmt == "markdown":
            parts.append(f"## {table.title}\n\n{body}\n" + (f"\n{table.caption}\n" if table.caption else ""))
        else:
            parts.append(f"{table.title}\n\n{body}\n" + (f"\n{table.caption}\n" if table.caption else ""))
    return "\n".join(parts)


def _tabulate(table: Table, tablefmt: str) -> str:
    if not table.rows:
        return "(không có dòng nào)"
    align = ["right" if c.numeric else "left" for c in table.columns]
    cells = table.display_rows()
    fast = _aligned(table.headers, cells, align, tablefmt)
    if fast is not None:
        return fast
    from tabulate import tabulate

    return tabulate(cells, headers=table.headers, tablefmt=tablefmt, colalign=align, disable_numparse=True)


# Characters one column wide in every terminal and in tabulate's own measure (wcwidth when installed):
# printable ASCII, Latin letters with their accents, Vietnamese letters, common punctuation.
_ONE_COLUMN = re.compile("[\x20-\x7e\u00c0-\u024f\u1ea0-\u1ef9\u2013\u2014\u2018\u2019\u201c\u201d"
                         "\u2026\u00b0\u00ab\u00bb\u00b7\u2192\u2190]*")


def _aligned(headers: list[str], rows: list[list[str]], align: list[str], tablefmt: str) -> str | None:
    """What tabulate prints for the formats we use ("simple", "pipe"), made directly: tabulate spends
    most of its time guessing column types that we never ask for (2,000 rows: ~100 ms against ~5 ms).
    None when a cell holds anything but one-column characters (a line break, a wide or combining
    character): tabulate then does it, so the output is always tabulate's."""
    if tablefmt not in ("simple", "pipe"):
        return None
    match = _ONE_COLUMN.fullmatch
    # tabulate strips the cells it aligns. Column by column: one check and one width per column, and
    # one str.format per row (a check per cell was a third of `check`'s time on the shipped plan).
    rows = [[cell.strip() for cell in row] for row in rows]
    columns = list(zip(*rows, strict=True)) if rows else [() for _ in headers]
    if not all(match(h) for h in headers) or not all(match("".join(column)) for column in columns):
        return None
    widths = [max([len(h) + 2, *map(len, column)]) for h, column in zip(headers, columns, strict=True)]
    lefts = [a == "left" for a in align]
    cells = ["{:" + ("<" if left else ">") + str(w) + "}" for w, left in zip(widths, lefts, strict=True)]
    if tablefmt == "simple":
        template = "  ".join(cells)
        out = [template.format(*headers).rstrip(), "  ".join("-" * w for w in widths).rstrip()]
        out += [line.rstrip() for line in map(template.format, *columns)] if rows else []
        return "\n".join(out)
    template = "| " + " | ".join(cells) + " |"
    rule = "|".join(":" + "-" * (w + 1) if left else "-" * (w + 1) + ":" for w, left in zip(widths, lefts,
                                                                                       strict=True))
    out = [template.format(*headers), f"|{rule}|"]
    out += list(map(template.format, *columns)) if rows else []
    return "\n".join(out)


def _csv(table: Table, titled: bool = False) -> str:
    import csv

    buffer = io.StringIO()
    writer = csv.writer(buffer, lineterminator="\n")
    if titled:
        writer.writerow([table.title])
    writer.writerow(table.headers)
    writer.writerows(table.display_rows())
    return buffer.getvalue()
