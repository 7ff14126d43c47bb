"""Tables on a terminal: rich tables where each category keeps its colour beside its text and a
completion rate is drawn as a bar next to its number. Also the progress bar of long runs.

On a narrow terminal a table wraps at spaces and never inside a token that holds a digit (a date
14/06/2026, a number, a document number 125/BC-STP, a period 2026-H1): each column is at least as
wide as its longest such token, a longer word is shortened with "…" rather than folded, and when even
that does not fit, columns are dropped from the right (the caption says which) before any token is
broken. A cell shows at most CELL_LIMIT characters; machine formats keep everything."""

from __future__ import annotations

import re
from collections.abc import Callable, Iterator, Sequence
from contextlib import contextmanager
from typing import Any, TypeVar

from rich.cells import cell_len
from rich.console import Console
from rich.table import Table as RichTable
from rich.text import Text

from kehoach.domain.model import Category
from kehoach.domain.text import visible
from kehoach.render.rows import Table, format_percent
from kehoach.render.slot_view import CATEGORY_STYLES

BAR_WIDTH = 10
CELL_LIMIT = 300
# A word without a digit may be shortened to this many cells with "…" on a narrow terminal.
WORD_LIMIT = 12
# What a column costs besides its text: one space either side and one border.
COLUMN_FRAME = 3
# The narrowest a text column is still read at, a few words a line: below it columns are dropped instead.
READABLE_WIDTH = 12
_HAS_DIGIT = re.compile(r"\d")
_HAS_LETTERS_ONLY = re.compile(r"[^\W\d_]{2,}[,.;:)]?")
_NOTHING = frozenset({"", "0", "—", "0 (0,0%)", "0,0", "0,0%"})
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


def to_rich(table: Table, width: int | None = None) -> RichTable:
    """The table for a terminal `width` columns wide (None: as wide as it needs). Every text shown passes
    `visible` (before widths are measured): data can never move the cursor or clear the screen."""
    shown_rows = [[_shortened(visible(value)) for value in row] for row in table.display_rows()]
    keep = _columns_that_fit(table, shown_rows, width)
    dropped = [c.header for i, c in enumerate(table.columns) if i not in keep]
    caption = visible(table.caption)
    if dropped:
        hidden = ", ".join(f"«{header}»" for header in dropped)
        note = f"Màn hình hẹp: ẩn cột {hidden}; xem đủ bằng --format plain hoặc trên màn hình rộng hơn."
        caption = f"{caption}\n{note}" if caption else note
    rich_table = RichTable(title=visible(table.title), caption=caption or None, title_justify="left",
                           caption_justify="left")
    widths = _widths(table, shown_rows, keep, width)
    for index, fixed in zip(keep, widths, strict=True):
        column = table.columns[index]
        category = _CATEGORY_KEYS.get(column.key)
        header = Text(column.header, style=CATEGORY_STYLES[category] if category else "")
        rich_table.add_column(header, justify="right" if column.numeric else "left", overflow="ellipsis",
                              width=fixed)
    for row, shown in zip(table.rows, shown_rows, strict=True):
        rich_table.add_row(*(_cell(table, row, table.columns[i].key, shown[i]) for i in keep))
    return rich_table


def _widths(table: Table, shown_rows: list[list[str]], keep: list[int], width: int | None) -> list[int | None]:
    """Each shown column's width: as rich would choose when the table fits, else every column at its
    floor and the room left shared in proportion to what each still lacks. rich's own shrinking would
    go below a floor and break a token, so the widths are fixed here."""
    if width is None:
        return [None] * len(keep)
    floors = [_floor(table, shown_rows, i) for i in keep]
    natural = [_natural(table, shown_rows, i) for i in keep]
    natural = [max(n, f) for n, f in zip(natural, floors, strict=True)]
    room = width - 1 - COLUMN_FRAME * len(keep)
    if sum(natural) <= room:
        return [None] * len(keep)
    lacking = [n - f for n, f in zip(natural, floors, strict=True)]
    spare = room - sum(floors)
    given = [spare * lack // sum(lacking) for lack in lacking]
    for index in sorted(range(len(keep)), key=lambda i: -lacking[i])[: spare - sum(given)]:
        given[index] += 1
    return [f + g for f, g in zip(floors, given, strict=True)]


def _shortened(value: str) -> str:
    return value if len(value) <= CELL_LIMIT else value[: CELL_LIMIT - 1] + "…"


def _longest(text: str, cap: bool) -> int:
    """The widest token of a cell: in full if it holds a digit, else at most WORD_LIMIT when `cap`."""
    widest = 0
    for token in text.split():
        size = cell_len(token)
        if cap and size > WORD_LIMIT and not _HAS_DIGIT.search(token):
            size = WORD_LIMIT
        widest = max(widest, size)
    return widest


def _floor(table: Table, shown_rows: list[list[str]], index: int) -> int:
    """The narrowest a column may be without breaking a token: its longest token (words shortened)."""
    column = table.columns[index]
    if column.key == "completion_rate":
        return BAR_WIDTH + 7  # the bar and " 100,0%" on one line
    return max([_longest(column.header, cap=True)] + [_longest(row[index], cap=True) for row in shown_rows])


def _columns_that_fit(table: Table, shown_rows: list[list[str]], width: int | None) -> list[int]:
    """The columns to show: all, or on a narrow terminal all but the fewest dropped for the rest to fit
    at their floors. Dropped first, from the right: columns saying nothing (every cell empty or zero);
    then the others from the right. The first column (what a row is about) and the completion rate
    stay."""
    keep = list(range(len(table.columns)))
    if width is None:
        return keep
    # A text column squeezed to its longest token still breaks "Chưa thực hiện (trong hạn)" into a word a
    # line: it counts as fitting only at a readable width (or its whole text, when shorter).
    floors = [max(_floor(table, shown_rows, i), min(_natural(table, shown_rows, i), READABLE_WIDTH))
              if _wordy(shown_rows, i) else _floor(table, shown_rows, i) for i in keep]

    def fits() -> bool:
        return sum(floors[i] + COLUMN_FRAME for i in keep) + 1 <= width

    droppable = [i for i in reversed(keep[1:]) if table.columns[i].key != "completion_rate"]
    silent = [i for i in droppable if all(_says_nothing(row[i]) for row in shown_rows)]
    for index in silent + [i for i in droppable if i not in silent]:
        if fits():
            break
        keep.remove(index)
    return keep


def _wordy(shown_rows: list[list[str]], index: int) -> bool:
    """A column of words (names, states, notes), not of numbers, dates or counts."""
    return any(_HAS_LETTERS_ONLY.fullmatch(token) for row in shown_rows for token in row[index].split())


def _natural(table: Table, shown_rows: list[list[str]], index: int) -> int:
    """The width a column takes when nothing wraps."""
    return max([cell_len(table.columns[index].header)]
               + [max(map(cell_len, row[index].splitlines()), default=0) for row in shown_rows])


def _says_nothing(shown: str) -> bool:
    return shown.strip() in _NOTHING


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
        out.print(to_rich(table, out.width))


def progress(err: Console, items: Sequence[T], description: str) -> Iterator[T]:
    with progress_steps(err, description) as step:
        for done, item in enumerate(items, 1):
            yield item
            step(done, len(items))


@contextmanager
def progress_steps(err: Console, description: str) -> Iterator[Callable[[int, int], None]]:
    """A bar on the terminal, moved by the callback it yields: `step(done, total)`; gone when done."""
    from rich.progress import BarColumn, MofNCompleteColumn, Progress, TextColumn, TimeRemainingColumn

    with Progress(TextColumn("{task.description}"), BarColumn(), MofNCompleteColumn(), TimeRemainingColumn(),
                  console=err, transient=True) as bar:
        task = bar.add_task(description, total=None)

        def step(done: int, total: int) -> None:
            bar.update(task, completed=done, total=total)

        yield step
