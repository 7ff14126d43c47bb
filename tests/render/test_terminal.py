"""The terminal report: colour always beside text, completion drawn as a bar next to its number."""

from __future__ import annotations

from rich.console import Console

from kehoach.domain.report import count_columns
from kehoach.render.rows import Table
from kehoach.render.terminal import completion_bar, to_rich


def test_completion_bar_keeps_the_number() -> None:
    assert completion_bar(60.0).plain == "██████░░░░  60,0%"
    assert completion_bar(100.0).plain == "██████████ 100,0%"
    assert completion_bar(None).plain == "—"
    assert completion_bar(85.0).spans[0].style == "green"
    assert completion_bar(10.0).spans[0].style == "red"


def test_count_table_on_a_terminal() -> None:
    row = {"key": "x", "label": "Sở [A]", "slots": 4, "completion_rate": 50.0, "done": 2, "applicable": 4}
    from kehoach.domain.model import Category

    for category in Category:
        row[category.value] = 0
        row[f"{category.value}_percent"] = 0.0
    row["hoan-thanh-dung-han"], row["hoan-thanh-dung-han_percent"] = 2, 50.0
    row["chua-thuc-hien-qua-han"], row["chua-thuc-hien-qua-han_percent"] = 2, 50.0
    console = Console(record=True, width=220, color_system="truecolor", markup=False)
    console.print(to_rich(Table("Theo đơn vị", count_columns("Đơn vị"), [row])))
    text = console.export_text(clear=False)
    assert "Sở [A]" in text  # markup off: brackets print as they are
    assert "2 (50,0%)" in text and "█████░░░░░  50,0%" in text
    styled = console.export_text(styles=True)
    assert "\x1b[" in styled  # colour is there, beside the same text
