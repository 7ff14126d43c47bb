"""A table's cells shown column by column are exactly those shown cell by cell (`Column.show`)."""

from __future__ import annotations

import datetime as dt

from hypothesis import given, settings
from hypothesis import strategies as st

from kehoach.domain.model import Category
from kehoach.render.rows import Column, Table

VALUES = st.one_of(st.none(), st.text(max_size=8), st.integers(-5, 5000), st.booleans(),
                   st.floats(0, 100, allow_nan=False), st.dates(dt.date(2020, 1, 1), dt.date(2030, 12, 31)),
                   st.sampled_from(list(Category)), st.tuples(st.text(max_size=3), st.integers(0, 9)))


@settings(max_examples=200, deadline=None)
@given(st.lists(st.lists(VALUES, min_size=3, max_size=3), max_size=6), st.sampled_from(["a", "b", "c"]))
def test_columns_show_what_each_cell_shows(values: list[list[object]], one_kind: str) -> None:
    rows: list[dict[str, object]] = [dict(zip("abc", row, strict=True)) for row in values]
    # One column often holds one kind only (all text, all dates): the path taken then differs.
    for row in rows:
        row[one_kind] = dt.date(2026, 6, 14)
    columns = [Column("a", "A"), Column("b", "B", numeric=True), Column("c", "C", display=lambda r: f"<{r['c']}>"),
               Column("missing", "D")]
    table = Table("T", columns, rows)
    assert table.display_columns() == [[column.show(row) for row in rows] for column in columns]
    assert table.display_rows() == [[column.show(row) for column in columns] for row in rows]
