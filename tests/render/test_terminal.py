"""The terminal report: colour always beside text, completion drawn as a bar next to its number."""

from __future__ import annotations

from rich.console import Console

from kehoach.domain.model import Category
from kehoach.domain.report import CountRow
from kehoach.render.report_view import count_columns
from kehoach.render.rows import Table
from kehoach.render.terminal import completion_bar, to_rich


def test_completion_bar_keeps_the_number() -> None:
    assert completion_bar(60.0).plain == "██████░░░░  60,0%"
    assert completion_bar(100.0).plain == "██████████ 100,0%"
    assert completion_bar(None).plain == "—"
    assert completion_bar(85.0).spans[0].style == "green"
    assert completion_bar(10.0).spans[0].style == "red"


def test_count_table_on_a_terminal() -> None:
    counts = dict.fromkeys(Category, 0)
    counts[Category.HOAN_THANH_DUNG_HAN] = counts[Category.CHUA_THUC_HIEN_QUA_HAN] = 2
    row = CountRow("x", "Sở [A]", counts).as_json()
    console = Console(record=True, width=220, color_system="truecolor", markup=False)
    console.print(to_rich(Table("Theo đơn vị", count_columns("Đơn vị"), [row])))
    text = console.export_text(clear=False)
    assert "Sở [A]" in text  # markup off: brackets print as they are
    assert "2 (50,0%)" in text and "█████░░░░░  50,0%" in text
    styled = console.export_text(styles=True)
    assert "\x1b[" in styled  # colour is there, beside the same text
