"""Tables on an 80- and a 60-column terminal: wrapped at spaces, never inside a date, number or code;
columns dropped (and said) before a token breaks; a cell cut at CELL_LIMIT characters on screen only."""

from __future__ import annotations

import re
from pathlib import Path

import pytest
from rich.cells import cell_len
from rich.console import Console

from kehoach.domain.model import Category
from kehoach.domain.report import CountRow
from kehoach.render.report_view import count_columns
from kehoach.render.rows import Column, Table
from kehoach.render.terminal import CELL_LIMIT, print_tables, to_rich
from support.cli import rec, run_cli

EVIDENCE = "Báo cáo số 125/BC-STP ngày 14/06/2026 của Sở Tư pháp về kết quả thực hiện nhiệm vụ"
LONG_NOTE = "Đã tổ chức " + "hội nghị tập huấn cho cán bộ, " * 20


def sample() -> Table:
    columns = [Column("task", "Nhiệm vụ"), Column("unit", "Đơn vị"), Column("due", "Hạn"),
               Column("late", "Quá hạn (ngày)", numeric=True), Column("evidence", "Căn cứ"),
               Column("note", "Ghi chú")]
    rows = [{"task": "III.3", "unit": "Ban Quản lý Khu kinh tế Nghi Sơn và các Khu công nghiệp", "due": "14/06/2026",
             "late": 123456, "evidence": EVIDENCE, "note": LONG_NOTE},
            {"task": "17", "unit": "Sở Tư pháp", "due": "31/12/2026", "late": 0, "evidence": "", "note": ""}]
    return Table("Quá hạn — tính đến 20/06/2026", columns, rows)


def on_screen(table: Table, width: int) -> str:
    console = Console(width=width, record=True, markup=False, color_system=None)
    print_tables(console, [table])
    return console.export_text()


def whole_tokens(text: str) -> set[str]:
    return set(text.split())


@pytest.mark.parametrize("width", [80, 60])
def test_no_line_is_wider_than_the_terminal_and_no_token_with_a_digit_breaks(width: int) -> None:
    text = on_screen(sample(), width)
    assert max(cell_len(line) for line in text.splitlines()) <= width
    for token in ("14/06/2026", "31/12/2026", "123456", "III.3", "Nhiệm"):
        assert token in whole_tokens(text.replace("│", " ").replace("┃", " ")), (token, text)
    assert not re.search(r"14/06/20\d?\s*[│┃]", text)


def test_at_80_columns_the_evidence_keeps_its_document_number_whole() -> None:
    text = on_screen(sample(), 80)
    assert "125/BC-STP" in whole_tokens(text.replace("│", " "))
    assert "Sơn" in text and "công" in text  # a long unit name wraps at spaces, shown in full


def test_columns_are_dropped_from_the_right_before_a_token_breaks_and_the_caption_says_so() -> None:
    dates = ["due", "done", "recorded", "checked"]
    columns = [Column("task", "NV"), *(Column(key, f"Ngày {key}") for key in dates),
               Column("evidence", "Căn cứ")]
    row = {"task": "III.3", **dict.fromkeys(dates, "14/06/2026"), "evidence": "125/BC-STP"}
    text = on_screen(Table("Ngày tháng", columns, [row]), 60)
    assert max(cell_len(line) for line in text.splitlines()) <= 60
    grid, below = text.split("└", 1)
    assert grid.count("14/06/2026") == 3 and "checked" not in grid and "Căn cứ" not in grid
    caption = " ".join(below.split("\n", 1)[1].split())
    assert caption == ("Màn hình hẹp: ẩn cột «Ngày checked», «Căn cứ»; xem đủ bằng --format plain hoặc trên màn "
                       "hình rộng hơn.")


def test_a_cell_shows_at_most_the_limit_with_an_ellipsis() -> None:
    note_cell = to_rich(sample(), 80).columns[-1]._cells[0]
    assert len(LONG_NOTE) > CELL_LIMIT
    assert note_cell.plain == LONG_NOTE[: CELL_LIMIT - 1] + "…"


def test_status_on_an_80_column_terminal_through_the_real_cli(tracker: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    rec(tracker, "17", "STP", "-s", "done", "--done-on", "14/06/2026", "-p", "2026-H1", "--as-of", "15/06/2026",
        "-e", f"{EVIDENCE}. {LONG_NOTE}")
    monkeypatch.setenv("COLUMNS", "80")
    result = run_cli("status", "--data", str(tracker), "--unit", "STP", "--as-of", "20/06/2026", "-f", "table")
    assert result.exit_code == 0
    lines = result.stdout.splitlines()
    assert max(cell_len(line) for line in lines) <= 80
    tokens = whole_tokens(result.stdout.replace("│", " ").replace("┃", " "))
    assert {"14/06/2026", "14/12/2026", "2026-H1", "III.3"} <= tokens
    # The states read a few words a line («Chưa thực hiện» whole), so the evidence makes way, said below.
    assert "Chưa thực hiện" in result.stdout
    assert "Màn hình hẹp: ẩn cột «Căn cứ»" in " ".join(result.stdout.split())
    # A wider terminal shows the evidence, its number whole and the long text cut.
    monkeypatch.setenv("COLUMNS", "120")
    wide = run_cli("status", "--data", str(tracker), "--unit", "STP", "--as-of", "20/06/2026", "-f", "table")
    assert max(cell_len(line) for line in wide.stdout.splitlines()) <= 120
    assert "125/BC-STP" in whole_tokens(wide.stdout.replace("│", " ").replace("┃", " "))
    assert "…" in wide.stdout
    # machine formats keep the whole text
    csv = run_cli("status", "--data", str(tracker), "--unit", "STP", "--as-of", "20/06/2026", "-f", "csv")
    assert f"{EVIDENCE}. {LONG_NOTE}".strip() in csv.stdout


def test_columns_saying_nothing_go_first_and_the_completion_rate_stays() -> None:
    counts = dict.fromkeys(Category, 0)
    counts[Category.HOAN_THANH_DUNG_HAN] = 3
    counts[Category.CHUA_THUC_HIEN_QUA_HAN] = 1
    row = CountRow("so-tu-phap", "Sở Tư pháp", counts).as_json()
    table = Table("Theo đơn vị", count_columns("Đơn vị"), [row])
    # 66: the unit's name at a readable width, the silent columns dropped, nothing else.
    text = on_screen(table, 66)
    grid, below = text.split("└", 1)
    assert max(cell_len(line) for line in text.splitlines()) <= 66
    assert "████████░░  75,0%" in grid and "(75,0%)" in grid and "(25,0%)" in grid
    hidden = " ".join(below.split("\n", 1)[1].split())
    assert hidden.startswith("Màn hình hẹp: ẩn cột «")
    shown_headers = {c.header for c in table.columns if c.header.split()[0] in grid}
    assert "Tỷ lệ hoàn thành" in shown_headers
    for column in table.columns:
        if f"«{column.header}»" in hidden:
            assert row.get(column.key) in (0, None), column.header  # only silent columns were dropped
