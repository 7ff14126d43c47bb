"""The one Console wrapper: markup off (a unit named "[Phòng A]" prints as it is), colour only on a
terminal without NO_COLOR, errors to stderr. Renders the row model as rich tables."""

from __future__ import annotations

import sys
from collections.abc import Sequence
from functools import cache

from rich.console import Console
from rich.table import Table as RichTable
from rich.text import Text

from kehoach.table import Table


@cache
def out() -> Console:
    return Console(markup=False, highlight=False, emoji=False, soft_wrap=False)


@cache
def err() -> Console:
    return Console(stderr=True, markup=False, highlight=False, emoji=False, soft_wrap=True)


def write(text: str) -> None:
    """Plain text to stdout, exactly as given (renderers already made it)."""
    sys.stdout.write(text)
    sys.stdout.flush()


def error(message: str) -> None:
    err().print(Text(message, style="red"))


def warning(message: str) -> None:
    err().print(Text(message, style="yellow"))


def info(message: str) -> None:
    err().print(Text(message))


def print_tables(tables: Sequence[Table]) -> None:
    console = out()
    for index, table in enumerate(tables):
        if index:
            console.print()
        console.print(to_rich(table))


def to_rich(table: Table) -> RichTable:
    rich_table = RichTable(title=table.title, caption=table.caption or None, show_lines=False,
                           title_justify="left", caption_justify="left")
    for column in table.columns:
        rich_table.add_column(column.header, justify="right" if column.numeric else "left", overflow="fold")
    for row, shown in zip(table.rows, table.display_rows(), strict=True):
        cells = []
        for column, value in zip(table.columns, shown, strict=True):
            style = table.styler(row, column.key) if table.styler else None
            cells.append(Text(value, style=style or ""))
        rich_table.add_row(*cells)
    return rich_table
