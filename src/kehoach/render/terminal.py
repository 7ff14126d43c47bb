"""Tables on a terminal: rich tables where each category keeps its colour beside its text and a
completion rate is drawn as a bar next to its number. Also the progress bar of long runs."""

from __future__ import annotations

from collections.abc import Iterator, Sequence
from typing import Any, TypeVar

from rich.console import Console
from rich.table import Table as RichTable
from rich.text import Text

from kehoach.domain.model import Category
from kehoach.domain.text import visible
from kehoach.render.rows import Table, format_percent
from kehoach.render.slot_view import CATEGORY_STYLES

BAR_WIDTH = 10
_CATEGORY_KEYS = {c.value: c for c in Category}
T = TypeVar("T")


def completion_bar(rate: float | None) -> Text:
    """'██████░░░░  60.0%': the number is always printed, the bar and its colour only help the eye."""
    if rate is None:
        return Text("—")
    filled = round(rate / 100 * BAR_WIDTH)
    style = "green" if rate >= 80 else "yellow" if rate >= 50 else "red"
    bar = Text()
    bar.append("█" * filled, style=style)
    bar.append("░" * (BAR_WIDTH - filled), style="dim")
    bar.append(f" {format_percent(rate, 5)}")
    return bar


def to_rich(table: Table) -> RichTable:
    # Every text shown passes `visible`: data can never move the cursor or clear the screen.
    rich_table = RichTable(
        title=visible(table.title), caption=visible(table.caption) or None, title_justify="left",
        caption_justify="left"
    )
    for column in table.columns:
        category = _CATEGORY_KEYS.get(column.key)
        header = Text(column.header, style=CATEGORY_STYLES[category] if category else "")
        rich_table.add_column(header, justify="right" if column.numeric else "left", overflow="fold")
    for row, shown in zip(table.rows, table.display_rows(), strict=True):
        rich_table.add_row(
            *(
                _cell(table, row, key, visible(value))
                for key, value in zip((c.key for c in table.columns), shown, strict=True)
            )
        )
    return rich_table


def _cell(table: Table, row: dict[str, Any], key: str, shown: str) -> Text:
    if key == "completion_rate":
        return completion_bar(row.get(key))
    category = _CATEGORY_KEYS.get(key)
    if category is not None and row.get(key):
        return Text(shown, style=CATEGORY_STYLES[category])
    style = table.styler(row, key) if table.styler else None
    return Text(shown, style=style or "")


def print_tables(out: Console, tables: Sequence[Table]) -> None:
    """Tables one after another, a blank line between them."""
    for index, table in enumerate(tables):
        if index:
            out.print()
        out.print(to_rich(table))


def progress(err: Console, items: Sequence[T], description: str) -> Iterator[T]:
    from rich.progress import track

    yield from track(items, description=description, console=err, transient=True)
