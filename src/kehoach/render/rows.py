"""The one row model every renderer formats: named columns over rows of plain values.

Rows keep machine values (ISO dates, slugs, numbers) so JSON and Excel get real types; text
renderers ask each column for its display form, so every format shows the same numbers.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from typing import Any, NamedTuple

from kehoach.domain.periods import format_date


def format_decimal(value: float, width: int = 0) -> str:
    """One decimal with a decimal comma, as Vietnamese documents write numbers: 91,2."""
    return f"{value:{width}.1f}".replace(".", ",")


def format_percent(value: float, width: int = 0) -> str:
    return f"{format_decimal(value, width)}%"


def format_count(value: int) -> str:
    """A whole number with dots between thousands, as Vietnamese documents write it: 1.234."""
    return f"{value:,}".replace(",", ".")


def display_value(value: Any) -> str:
    if type(value) is str:  # most cells: answered before anything else
        return value
    show = _SHOW_BY_TYPE.get(type(value))
    if show is not None:
        return show(value)
    if isinstance(value, dt.date):  # a datetime
        return format_date(value)
    if isinstance(value, float):
        return format_decimal(value)
    if isinstance(value, (list, tuple)):
        return ", ".join(display_value(v) for v in value)
    return str(value)


def _show_none(value: None) -> str:
    return ""


def _show_bool(value: bool) -> str:
    return "Có" if value else "Không"


# The exact types of nearly every cell, looked up once per cell instead of a chain of isinstance
# tests (a whole-plan `check` shows ~14,000 cells). Subclasses fall through to the chain above.
_SHOW_BY_TYPE: dict[type, Callable[[Any], str]] = {
    type(None): _show_none, bool: _show_bool, int: str, dt.date: format_date, float: format_decimal}


class Column(NamedTuple):
    key: str
    header: str
    display: Callable[[dict[str, Any]], str] | None = None
    numeric: bool = False

    def show(self, row: dict[str, Any]) -> str:
        if self.display is not None:
            return self.display(row)
        return display_value(row.get(self.key))


@dataclass
class Table:
    title: str
    columns: Sequence[Column]
    rows: list[dict[str, Any]]
    caption: str = ""
    styler: Callable[[dict[str, Any], str], str | None] | None = field(default=None, repr=False)
    """Terminal-only hint: the rich style of a cell (row, column key); colour always sits beside text."""

    def display_rows(self) -> list[list[str]]:
        return [list(row) for row in zip(*self.display_columns(), strict=True)]

    def display_columns(self) -> list[list[str]]:
        """Every column's cells as shown (`Column.show`), column by column: a column holds one or two types
        (text, or dates, or numbers), so it is shown by one function over its values rather than a look-up
        per cell (a `check` over twenty plans shows ~67,000 cells)."""
        rows = self.rows
        columns = []
        for column in self.columns:
            if column.display is not None:
                columns.append([column.display(row) for row in rows])
                continue
            key = column.key
            values: list[Any] = [row.get(key) for row in rows]
            kinds = set(map(type, values))
            if kinds <= {str}:
                columns.append(values)
            elif kinds == {dt.date}:  # a few deadlines over thousands of rows: each written once
                shown = {day: format_date(day) for day in set(values)}
                columns.append(list(map(shown.__getitem__, values)))
            elif len(kinds) == 1 and (show := _SHOW_BY_TYPE.get(kinds.pop())) is not None:
                columns.append(list(map(show, values)))
            else:
                columns.append(list(map(display_value, values)))
        return columns

    @property
    def headers(self) -> list[str]:
        return [column.header for column in self.columns]
