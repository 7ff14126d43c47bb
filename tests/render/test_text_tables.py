"""Plain and markdown tables: made directly for the common case, always exactly what tabulate prints."""

from __future__ import annotations

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st
from tabulate import tabulate

from kehoach.domain.text import visible
from kehoach.render.rows import Column, Table
from kehoach.render.text import _ONE_COLUMN, _aligned, render

LETTERS = ("aăâbcdđeêghiklmnoôơpqrstuưvxyAĂÂĐÔƠƯ áàảãạắằẳẵặấầẩẫậéèẻẽẹếềểễệíìỉĩịóòỏõọốồổỗộớờởỡợúùủũụứừửữựý"
           "ỳỷỹỵ0123456789/-.,:;()«»–—…“”' ")


def tabulated(headers: list[str], rows: list[list[str]], align: list[str], fmt: str) -> str:
    return tabulate(rows, headers=headers, tablefmt=fmt, colalign=align, disable_numparse=True)


@st.composite
def vietnamese_tables(draw: st.DrawFn) -> tuple[list[str], list[list[str]], list[str]]:
    """Headers, 1 to 6 rows and the alignment of a table of 1 to 7 columns, cells of Vietnamese letters."""
    width = draw(st.integers(1, 7))
    headers = draw(st.lists(st.text(LETTERS, max_size=12), min_size=width, max_size=width))
    rows = draw(st.lists(st.lists(st.text(LETTERS, max_size=30), min_size=width, max_size=width),
                         min_size=1, max_size=6))
    align = draw(st.lists(st.sampled_from(["left", "right"]), min_size=width, max_size=width))
    return headers, rows, align


@pytest.mark.parametrize("fmt", ["simple", "pipe"])
@settings(max_examples=150, deadline=None)
@given(table=vietnamese_tables())
def test_same_as_tabulate_on_random_vietnamese_tables(fmt: str,
                                                      table: tuple[list[str], list[list[str]], list[str]]) -> None:
    headers, rows, align = table
    mine = _aligned(headers, rows, align, fmt)
    assert mine is not None
    assert mine == tabulated(headers, rows, align, fmt)


@pytest.mark.parametrize("cell", ["hai\ndòng", "漢字", "e\u0301", "tab\there", "\x1b[31mđỏ\x1b[0m", "😀"])
def test_anything_else_goes_to_tabulate(cell: str) -> None:
    assert _aligned(["A", "B"], [[cell, "x"]], ["left", "right"], "simple") is None
    table = Table("T", [Column("a", "A"), Column("b", "B", numeric=True)], [{"a": cell, "b": "x"}])
    # Controls are shown as their codes (\x1b) before the columns are aligned.
    assert render([table], "plain") == "T\n\n" + tabulated(["A", "B"], [[visible(cell), "x"]], ["left", "right"],
                                                          "simple") + "\n"


def test_one_column_characters_are_one_column_wide() -> None:
    wcwidth = pytest.importorskip("wcwidth")
    wide = [hex(c) for c in range(0x20, 0x2200) if _ONE_COLUMN.fullmatch(chr(c)) and wcwidth.wcwidth(chr(c)) != 1]
    assert wide == []


def test_rendered_table_keeps_its_title_and_alignment() -> None:
    table = Table("Quá hạn", [Column("unit", "Đơn vị"), Column("days", "Quá hạn (ngày)", numeric=True)],
                  [{"unit": "Sở Tư pháp", "days": 12}, {"unit": " UBND xã Đông Tiến ", "days": 1234}])
    assert render([table], "plain") == (
        "Quá hạn\n\n"
        "Đơn vị               Quá hạn (ngày)\n"
        "-----------------  ----------------\n"
        "Sở Tư pháp                       12\n"
        "UBND xã Đông Tiến              1234\n")
    assert render([table], "markdown").splitlines()[2:4] == [
        "| Đơn vị            |   Quá hạn (ngày) |", "|:------------------|-----------------:|"]


def test_each_kind_of_cell_shows_as_vietnamese_documents_write_it() -> None:
    import datetime as dt

    from kehoach.domain.model import Status
    from kehoach.render.rows import display_value

    assert [display_value(v) for v in (
        "Sở Tư pháp", None, True, False, 166, dt.date(2026, 6, 4), dt.datetime(2026, 6, 4, 9, 30), 91.25,
        ("9", "III.1"), Status.HOAN_THANH)] == [
        "Sở Tư pháp", "", "Có", "Không", "166", "04/06/2026", "04/06/2026", "91,2", "9, III.1", "hoan-thanh"]
