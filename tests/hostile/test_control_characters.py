"""Control characters (issue 17.3, 17.5, 17.9): refused when typed, reported where hand-edited, and never
sent to a terminal, a pipe or a file, whatever the data holds."""

from __future__ import annotations

import re
from pathlib import Path

import pytest

from support.cli import rec, run_cli
from support.files import file_snapshot, write
from support.git import git

AS_OF = "2026-11-27"
RECORD = ("record", "17", "STP", "--status", "doing", "--period", "2026-H2", "--as-of", AS_OF)
# Any control character a terminal acts on, as printed by `cat -v`-minded eyes: ESC, CSI (8-bit), BEL,
# BS, CR, the record separators, DEL; also the non-characters and lone surrogates.
RAW_CONTROL = re.compile("[\x00-\x08\x0b-\x1f\x7f-\x9f\ud800-\udfff\ufffe\uffff]")

HOSTILE = {
    "\x1b[2J\x1b[31mRED": "ký tự điều khiển U+001B",
    "\x1b]8;;http://x.vn\x07link\x1b]8;;\x07": "ký tự điều khiển U+001B",
    "xoá\rđè": "ký tự điều khiển U+000D",
    "lùi\x08": "ký tự điều khiển U+0008",
    "tách\x1ecột": "ký tự điều khiển U+001E",
    "tách\x1fdòng": "ký tự điều khiển U+001F",
    "x\ufffey": "ký tự không hợp lệ U+FFFE",
    "x\uffffy": "ký tự không hợp lệ U+FFFF",
    "csi\x9b31m": "ký tự điều khiển U+009B",
    "nul\x00": "ký tự điều khiển U+0000",
    "không phải utf-8 \udcff": "byte không phải UTF-8 (0xFF)",
}
OPTIONS = {"--evidence": "căn cứ", "--note": "ghi chú", "--by": "người ghi nhận"}


@pytest.mark.parametrize("option", list(OPTIONS))
@pytest.mark.parametrize("text", list(HOSTILE))
def test_record_refuses_a_control_character_and_writes_nothing(tracker: Path, option: str, text: str) -> None:
    before = file_snapshot(tracker)
    head = git(tracker, "rev-parse", "HEAD")
    result = run_cli(*RECORD, option, text, "--data", str(tracker))
    assert (result.exit_code, result.stdout) == (2, "")
    assert result.stderr == f"Lỗi: {OPTIONS[option]} chứa {HOSTILE[text]}, không được phép\n"
    assert file_snapshot(tracker) == before and git(tracker, "rev-parse", "HEAD") == head


def test_who_recorded_is_one_line(tracker: Path) -> None:
    result = run_cli(*RECORD, "--by", "Nguyễn\nVăn A", "--data", str(tracker))
    assert (result.exit_code, result.stderr) == (2, "Lỗi: người ghi nhận chứa ký tự điều khiển U+000A, "
                                                    "không được phép\n")
    rec(tracker, *RECORD[1:], "--note", "hai\ndòng\tvà tab")  # a note may hold lines and tabs


@pytest.mark.parametrize("args", [
    ("status", "--unit", "ST\x1b[31mP"),
    ("record", "1\x1b[2J", "STP", "--status", "doing"),
    ("status", "--period", "2026\x1b[2J"),
    ("status", "--unit", "S\udcffTP"),
    ("check", "--as-of", "2026\x1b]8;;x\x07"),
])
def test_errors_show_the_typed_controls_as_codes(tracker: Path, args: tuple[str, ...]) -> None:
    result = run_cli(*args, "--data", str(tracker))
    assert result.exit_code == 2
    assert RAW_CONTROL.search(result.stderr) is None and result.stderr.startswith("Lỗi: ")
    assert "\\x1b" in result.stderr or "\\udcff" in result.stderr


def test_unknown_unit_error_exactly(tracker: Path) -> None:
    result = run_cli("status", "--unit", "ST\x1b[31mP", "--data", str(tracker))
    assert result.stderr == "Lỗi: không tìm thấy đơn vị 'ST\\x1b[31mP'. Xem danh sách đơn vị: kehoach units\n"


HAND_EDIT = ("records:\n"
             "- evidence: \"\\e[2J\\e[31mRED\"\n"
             "  note: \"chuông\\a \\x9b31m\"\n"
             "  period: 2026-H2\n"
             "  recorded_by: \"a\\x1fb\"\n"
             "  status: dang-thuc-hien\n"
             "  task: '17'\n"
             "  unit: so-tu-phap\n")


@pytest.fixture
def hand_edited(tracker: Path) -> Path:
    """A status file edited by hand with escapes YAML turns into controls, committed as a clerk would."""
    write(tracker / "data" / "status" / "2026" / "so-tu-phap.yaml", HAND_EDIT)
    git(tracker, "add", "-A")
    git(tracker, "commit", "-qm", "sửa tay")
    return tracker


def test_validate_names_file_line_and_field_of_a_hand_edit(hand_edited: Path) -> None:
    result = run_cli("validate", "--data", str(hand_edited))
    assert result.exit_code == 1
    where = "theo-doi/data/status/2026/so-tu-phap.yaml"
    assert result.stdout.splitlines() == [
        f"{where}:2:3: căn cứ chứa ký tự điều khiển U+001B, không được phép [evidence]",
        f"{where}:3:3: ghi chú chứa ký tự điều khiển U+0007, không được phép [note]",
        f"{where}:5:3: người ghi nhận chứa ký tự điều khiển U+001F, không được phép [recorded_by]",
    ]


@pytest.mark.parametrize("args", [
    ("status", "--unit", "STP", "--format", "plain"),
    ("status", "--unit", "STP", "--format", "csv"),
    ("status", "--unit", "STP", "--format", "json"),
    ("report", "--unit", "STP", "--format", "markdown"),
    ("check", "--unit", "STP"),
])
def test_reading_commands_leave_out_a_hand_edit_holding_controls(hand_edited: Path, args: tuple[str, ...]) -> None:
    """The record is refused where the file is read, so no command shows it; reading commands go on
    without the file and name it, and the warning itself shows no control."""
    before = file_snapshot(hand_edited)
    result = run_cli(*args, "--as-of", AS_OF, "--data", str(hand_edited))
    assert result.exit_code in ((0, 1) if args[0] == "check" else (0,))
    assert result.stderr.startswith("Cảnh báo: đã bỏ qua 1 tệp trạng thái có lỗi")
    assert ("theo-doi/data/status/2026/so-tu-phap.yaml:2:3: căn cứ chứa ký tự điều khiển U+001B, không được "
            "phép [evidence]\n") in result.stderr
    assert RAW_CONTROL.search(result.stderr) is None and RAW_CONTROL.search(result.stdout) is None
    assert file_snapshot(hand_edited) == before


@pytest.mark.parametrize("args", [("report", "--unit", "STP", "-o", "bao-cao.xlsx"), ("form", "STP")])
def test_a_workbook_is_never_written_from_a_hand_edit_holding_controls(hand_edited: Path, args: tuple[str, ...],
                                                                     tmp_path: Path,
                                                                     monkeypatch: pytest.MonkeyPatch) -> None:
    """A workbook cannot hold ESC or U+FFFE (the file would be malformed XML): the report leaves the
    broken file out (and says so), the form for its unit is refused."""
    monkeypatch.chdir(tmp_path)
    before = file_snapshot(hand_edited)
    result = run_cli(*args, "--as-of", AS_OF, "--data", str(hand_edited))
    if args[0] == "form":
        assert (result.exit_code, result.stdout) == (2, "")
        assert result.stderr.startswith("Lỗi: theo-doi/data/status/2026/so-tu-phap.yaml:2:3: căn cứ chứa ký tự "
                                        "điều khiển U+001B, không được phép [evidence]\n")
        assert file_snapshot(hand_edited) == before
    else:
        assert result.exit_code == 0 and result.stderr.startswith("Cảnh báo: đã bỏ qua 1 tệp trạng thái có lỗi")
        assert (tmp_path / "bao-cao.xlsx").is_file()
    assert RAW_CONTROL.search(result.stderr) is None


@pytest.mark.parametrize("fmt", ["plain", "csv", "table"])
def test_log_shows_no_control_character(hand_edited: Path, fmt: str) -> None:
    result = run_cli("log", "--format", fmt, "--data", str(hand_edited))
    assert RAW_CONTROL.search(result.stdout) is None and RAW_CONTROL.search(result.stderr) is None


HOSTILE_ROW = {"a": "\x1b[2J\x1b[31mRED\x9b\x07\r", "b": "x\ufffey"}


@pytest.mark.parametrize("fmt", ["plain", "markdown", "csv", "json"])
def test_text_renderers_escape_whatever_reaches_them(fmt: str) -> None:
    """Data that never passed a reader (a future source, a caller's bug) is still shown, never run."""
    from kehoach.render.rows import Column, Table
    from kehoach.render.text import render

    table = Table("T\x1b[2J", [Column("a", "A"), Column("b", "B")], [HOSTILE_ROW], caption="\x1b]8;;x\x07")
    text = render([table], fmt)
    assert RAW_CONTROL.search(text) is None
    assert ("\\u001b[2J" if fmt == "json" else "\\x1b[2J\\x1b[31mRED\\x9b\\x07\\x0d") in text


def test_terminal_tables_escape_whatever_reaches_them() -> None:
    import io

    from rich.console import Console

    from kehoach.render.rows import Column, Table
    from kehoach.render.terminal import print_tables

    buffer = io.StringIO()
    table = Table("T\x1b[2J", [Column("a", "A"), Column("b", "B")], [HOSTILE_ROW], caption="\x1b]8;;x\x07")
    print_tables(Console(file=buffer, width=200, markup=False, color_system=None), [table])
    assert RAW_CONTROL.search(buffer.getvalue()) is None
    assert "\\x1b[2J\\x1b[31mRED\\x9b\\x07\\x0d" in buffer.getvalue() and "T\\x1b[2J" in buffer.getvalue()


def returned_csv(form: Path, folder: Path, evidence: str) -> Path:
    """A unit's form sent back as Excel's "CSV UTF-8" (a workbook cannot hold controls; a CSV can)."""
    import csv
    import io

    from openpyxl import load_workbook

    from support.forms import SHEET, fill

    filled = fill(form, folder / "dien.xlsx", {("1", "2026"): {"status": "dang-thuc-hien", "evidence": "DẤU"}})
    out = io.StringIO()
    writer = csv.writer(out, lineterminator="\r\n")
    for row in load_workbook(filled)[SHEET].iter_rows(values_only=True):
        writer.writerow(["" if v is None else v for v in row])
    path = folder / "tra-lai.csv"
    path.write_text("\ufeff" + out.getvalue().replace("DẤU", evidence), encoding="utf-8")
    return path


@pytest.mark.parametrize(("evidence", "what"), [("\x1b[2J\x1b[31mRED", "ký tự điều khiển U+001B"),
                                                ("x\ufffey", "ký tự không hợp lệ U+FFFE"),
                                                ("a\x1fb", "ký tự điều khiển U+001F")])
def test_import_refuses_a_returned_csv_holding_a_control_character(tracker: Path, form: Path, tmp_path: Path,
                                                                   evidence: str, what: str) -> None:
    from support.forms import import_cli

    returned = returned_csv(form, tmp_path, evidence)
    before = file_snapshot(tracker)
    result = import_cli(str(returned), tracker=tracker)
    assert (result.exit_code, result.stdout) == (1, "")  # import's "problems found": the cell is named
    assert result.stderr == (f"tra-lai.csv!I11: cột «Căn cứ (số, ngày văn bản; đường dẫn)» chứa {what}; "
                             "hãy xóa ký tự này\n"
                             "Đã từ chối tra-lai.csv: 1 lỗi; không ghi gì từ tệp này.\n")
    assert file_snapshot(tracker) == before
