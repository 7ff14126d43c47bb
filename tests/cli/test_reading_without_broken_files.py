"""One bad hand-edited status file no longer stops every command: reading commands go on with the
other files and say, before and after their output, which file they left out and why; `validate`
stays strict and a write that would build on the broken file is refused."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from support.cli import rec, run_cli
from support.files import file_snapshot, write

AS_OF = "2026-11-27"
BROKEN = "records:\n- task: '1'\n  unit: so-tai-chinh\n  period: '2026'\n  status: dang-thuc-hien\n" \
         "- task: '2'\n  unit: so-tai-chinh\n  period: '2026'\n  status: xong\n"
PROBLEM = ("tracker/data/status/2026/so-tai-chinh.yaml:9:3: trạng thái 'xong' không hợp lệ; dùng một trong: "
           "chua-thuc-hien, dang-thuc-hien, hoan-thanh, khong-ap-dung [status]")
FIRST = ["Cảnh báo: đã bỏ qua 1 tệp trạng thái có lỗi; số liệu không gồm các bản ghi trong tệp đó:",
         f"  {PROBLEM}",
         "Sửa tệp rồi kiểm tra lại bằng: kehoach validate --data tracker/data"]
LAST = "Cảnh báo: số liệu trên không gồm 1 tệp trạng thái có lỗi: tracker/data/status/2026/so-tai-chinh.yaml"


@pytest.fixture
def broken(plain_tracker: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    monkeypatch.chdir(plain_tracker.parent)
    rec(plain_tracker, "17", "STP", "-s", "dang-thuc-hien", "-p", "2026-H2", "--as-of", AS_OF)
    write(plain_tracker / "data" / "status" / "2026" / "so-tai-chinh.yaml", BROKEN)
    return plain_tracker


def without_broken_file(tracker: Path, *args: str) -> str:
    """The same command's output once the broken file is gone: what the skipping run must print."""
    path = tracker / "data" / "status" / "2026" / "so-tai-chinh.yaml"
    path.unlink()
    try:
        result = run_cli(*args)
        return result.stdout
    finally:
        write(path, BROKEN)


@pytest.mark.parametrize(("command", "code"), [
    (("check", "--format", "json"), 1),  # overdue work in the shipped plan: check's own exit 1
    (("status", "--format", "json"), 0),
    (("report", "--format", "json"), 0),
    (("status", "--unit", "so tai chinh", "--format", "csv"), 0),
])
def test_reading_commands_go_on_and_name_the_file_before_and_after(broken: Path, command: tuple[str, ...],
                                                                     code: int) -> None:
    args = (*command, "--data", "tracker", "--as-of", AS_OF)
    result = run_cli(*args)
    assert result.exit_code == code
    lines = result.stderr.splitlines()
    assert lines[:3] == FIRST and lines[-1] == LAST
    # The good record of the broken file is not counted either: half a file is worse than none.
    assert result.stdout == without_broken_file(broken, *args)


def test_the_report_counts_every_other_record(broken: Path) -> None:
    result = run_cli("report", "--format", "json", "--data", "tracker", "--as-of", AS_OF)
    totals = json.loads(result.stdout)["totals"]
    assert (totals["slots"], totals["dang-thuc-hien-trong-han"]) == (2287, 1)  # task 17 of the Sở Tư pháp


def test_a_report_file_is_still_written_and_the_skip_said(broken: Path, tmp_path: Path) -> None:
    out = tmp_path / "bao-cao.xlsx"
    result = run_cli("report", "-o", str(out), "--data", "tracker", "--as-of", AS_OF)
    assert result.exit_code == 0 and out.is_file()
    lines = result.stderr.splitlines()
    assert lines[:3] == FIRST and lines[-1] == LAST


def test_validate_stays_strict_and_a_write_into_the_broken_file_is_refused(broken: Path) -> None:
    result = run_cli("validate", "--data", "tracker")
    assert result.exit_code == 1 and PROBLEM in result.stdout + result.stderr
    before = file_snapshot(broken)
    refused = run_cli("record", "3", "so-tai-chinh", "-s", "dang-thuc-hien", "-p", "2026", "--as-of", AS_OF,
                      "--data", "tracker")
    assert refused.exit_code == 2 and PROBLEM in refused.stderr
    assert file_snapshot(broken) == before


def test_no_warning_when_nothing_is_broken(plain_tracker: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.chdir(plain_tracker.parent)
    result = run_cli("check", "--data", "tracker", "--as-of", AS_OF, "--format", "plain")
    assert "Cảnh báo" not in result.stderr
