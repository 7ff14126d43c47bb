"""Helpers for the forms tests: make a form with the real CLI, fill it as a unit would with openpyxl."""

from __future__ import annotations

from pathlib import Path
from typing import Any

from kehoach.excel.form_writer import COLUMN_INDEX, SHEET_TITLE
from support.cli import run_cli

FORM_DAY = "2026-06-10"
IMPORT_DAY = "2026-06-20"
UNIT = "so-tu-phap"
FORM_NAME = "bieu-mau_ct13-thanh-hoa_so-tu-phap_2026.xlsx"
HEADER_ROW = 10
SHEET = SHEET_TITLE


def make_form(tracker: Path, unit: str = UNIT, *extra: str) -> Path:
    result = run_cli("form", unit, "--data", str(tracker), "--as-of", FORM_DAY, *extra)
    assert result.exit_code == 0, result.stderr
    return Path.cwd() / result.stdout.strip()


def table_rows(sheet: Any) -> list[int]:
    """The sheet rows of the form's table: those below the header that name a task (the unit head's
    signature follows the table)."""
    return [row for row in range(HEADER_ROW + 1, sheet.max_row + 1) if sheet.cell(row, 1).value is not None]


def row_of(sheet: Any, task: str, period: str = "2026") -> int:
    for row in table_rows(sheet):
        found = (sheet.cell(row, COLUMN_INDEX["task"]).value, sheet.cell(row, COLUMN_INDEX["period"]).value)
        if found == (task, period):
            return row
    raise AssertionError(f"no row for task {task} period {period}")


def cell_ref(column: str, row: int) -> str:
    from openpyxl.utils import get_column_letter

    return f"{get_column_letter(COLUMN_INDEX[column])}{row}"


def fill(form: Path, dest: Path, edits: dict[tuple[str, str], dict[str, Any]]) -> Path:
    """Open the form, set cells by (task, period) and column key, save it under dest (as a unit would)."""
    from openpyxl import load_workbook

    workbook = load_workbook(form)
    sheet = workbook[SHEET]
    for (task, period), values in edits.items():
        row = row_of(sheet, task, period)
        for key, value in values.items():
            sheet.cell(row, COLUMN_INDEX[key]).value = value
    dest.parent.mkdir(parents=True, exist_ok=True)
    workbook.save(dest)
    return dest


def import_cli(*args: str, tracker: Path, as_of: str = IMPORT_DAY) -> Any:
    """The test environment has no git user.name, so the recorder is named unless a test names one."""
    by = () if "--by" in args else ("--by", "Người Thử")
    return run_cli("import", *args, *by, "--data", str(tracker), "--as-of", as_of)
