"""Text renderers over the row model: plain and markdown (tabulate), csv, json. No terminal code."""

from __future__ import annotations

import csv
import datetime as dt
import io
import json
from collections.abc import Sequence
from enum import Enum
from typing import Any

from kehoach.table import Table

TEXT_FORMATS = ("plain", "markdown", "csv", "json")
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
        return "\n".join(_csv(t) for t in tables)
    parts = []
    for table in tables:
        body = _tabulate(table, _TABULATE[fmt])
        if fmt == "markdown":
            parts.append(f"## {table.title}\n\n{body}\n" + (f"\n{table.caption}\n" if table.caption else ""))
        else:
            parts.append(f"{table.title}\n\n{body}\n" + (f"\n{table.caption}\n" if table.caption else ""))
    return "\n".join(parts)


def _tabulate(table: Table, tablefmt: str) -> str:
    from tabulate import tabulate

    if not table.rows:
        return "(không có dòng nào)"
    align = ["right" if c.numeric else "left" for c in table.columns]
    return tabulate(table.display_rows(), headers=table.headers, tablefmt=tablefmt, colalign=align,
                    disable_numparse=True)


def _csv(table: Table) -> str:
    buffer = io.StringIO()
    writer = csv.writer(buffer, lineterminator="\n")
    writer.writerow(table.headers)
    writer.writerows(table.display_rows())
    return buffer.getvalue()
