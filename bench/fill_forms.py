"""Fill the forms `kehoach form --all` made, as the units would, for the import benchmark.

    python bench/fill_forms.py FORMS_DIR OUT_DIR --done-on 2035-11-20

Every task row of every form is marked done on the given day, with an evidence text. The result is a
period's returned forms: `kehoach import OUT_DIR/*.xlsx` then records every row of every form."""

from __future__ import annotations

import argparse
import datetime as dt
import sys
from pathlib import Path

from openpyxl import load_workbook

from kehoach.excel.form_writer import COLUMN_INDEX, SHEET_TITLE

HEADER_ROW = 10
DONE = "Hoàn thành"


def fill_form(form: Path, dest: Path, done_on: dt.date, number: int) -> int:
    """Mark every task row done; returns how many rows were filled."""
    workbook = load_workbook(form)
    sheet = workbook[SHEET_TITLE]
    filled = 0
    for row in range(HEADER_ROW + 1, sheet.max_row + 1):
        if sheet.cell(row, COLUMN_INDEX["task"]).value is None:
            continue
        sheet.cell(row, COLUMN_INDEX["status"]).value = DONE
        sheet.cell(row, COLUMN_INDEX["done_on"]).value = done_on
        sheet.cell(row, COLUMN_INDEX["evidence"]).value = (
            f"Báo cáo số {number}/BC-UBND ngày {done_on.day}/{done_on.month}/{done_on.year}")
        filled += 1
    workbook.save(dest)
    return filled


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description="Điền các biểu mẫu như đơn vị gửi lại (để đo lệnh import).")
    parser.add_argument("forms", type=Path)
    parser.add_argument("out", type=Path)
    parser.add_argument("--done-on", type=dt.date.fromisoformat, required=True)
    args = parser.parse_args(argv)
    args.out.mkdir(parents=True, exist_ok=True)
    rows = sum(fill_form(form, args.out / form.name, args.done_on, number)
               for number, form in enumerate(sorted(args.forms.glob("*.xlsx")), 1))
    print(rows)
    return 0


if __name__ == "__main__":
    sys.exit(main())
