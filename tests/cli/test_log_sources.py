"""`kehoach log`: every commit read whatever its message holds, how each change was made in the office's
words (record, import of a named form, a hand edit, a settled conflict), long texts cut on the terminal
only."""

from __future__ import annotations

import json
import time
from pathlib import Path

from support.cli import rec, run_cli
from support.forms import fill, import_cli
from support.git import git

STP_FILE = "data/status/2026/so-tu-phap.yaml"


def log_json(root: Path) -> list[dict]:
    result = run_cli("log", "--data", str(root), "--format", "json")
    assert result.exit_code == 0, result.stderr
    return json.loads(result.stdout)


def test_separator_characters_in_a_commit_message_hide_no_record(tracker: Path) -> None:
    rec(tracker, "1", "STP", "-s", "dang-thuc-hien", "--as-of", "2026-05-01")
    path = tracker / STP_FILE
    path.write_text(path.read_text(encoding="utf-8").replace("status: dang-thuc-hien", "status: hoan-thanh\n"
                                                             "  done_on: 2026-04-30"), encoding="utf-8")
    git(tracker, "commit", "-qa", "-m", "sửa\x1etay\x1f", "-m", "ghi chú\x1f\x1e\x1f giữa dòng\x1e")
    rows = log_json(tracker)
    assert [(r["old_status"], r["new_status"], r["source"], r["subject"]) for r in rows] == [
        ("dang-thuc-hien", "hoan-thanh", "sua-tay", "sửa\x1etay\x1f"),
        (None, "dang-thuc-hien", "kehoach", "Ghi nhận nhiệm vụ 1, Sở Tư pháp, kỳ 2026: Đang thực hiện"),
    ]
    assert rows[0]["done_on"] == "2026-04-30"


def test_how_each_change_was_made_is_named(tracker: Path, form: Path, tmp_path: Path) -> None:
    rec(tracker, "17", "STP", "-s", "dang-thuc-hien", "-p", "2026-H1", "--as-of", "2026-05-01", "--by", "Lê Văn C")
    fill(form, tmp_path / "tra-lai-stp.xlsx", {("2", "2026"): {"status": "Đang thực hiện"}})
    assert import_cli("tra-lai-stp.xlsx", "--by", "Lê Thị Hoa", tracker=tracker).exit_code == 0
    path = tracker / STP_FILE
    path.write_text(path.read_text(encoding="utf-8").replace("status: dang-thuc-hien", "status: chua-thuc-hien",
                                                             1), encoding="utf-8")
    git(tracker, "commit", "-qam", "sửa nhầm")
    rows = log_json(tracker)
    assert [(r["task"], r["source"], r["form_file"]) for r in rows] == [
        ("2", "sua-tay", None), ("2", "nhap-bieu-mau", "tra-lai-stp.xlsx"), ("17", "kehoach", None)]
    plain = run_cli("log", "--data", str(tracker), "--format", "plain").stdout.splitlines()
    assert [line.rsplit("  ", 1)[-1].strip() for line in plain[4:7]] == [
        "Sửa trực tiếp tệp", "Nhập biểu mẫu tra-lai-stp.xlsx", "Ghi bằng kehoach"]
    assert plain[2].split()[-2:] == ["Cách", "sửa"]


def test_a_long_evidence_is_cut_on_the_terminal_only_and_fast(tracker: Path) -> None:
    evidence = "Công văn số 1/STP; " * 6500  # ~120 KB: the terminal table used to take 10–18 s
    rec(tracker, "17", "STP", "-s", "dang-thuc-hien", "-p", "2026-H1", "--as-of", "2026-05-01",
        "--evidence", evidence)
    started = time.perf_counter()
    table = run_cli("log", "--data", str(tracker), "--format", "table")
    took = time.perf_counter() - started
    assert table.exit_code == 0, table.stderr
    assert "Công văn số 1/STP; " * 3 in table.stdout and len(table.stdout) < 5000 and "…" in table.stdout
    assert took < 3, f"log on the terminal took {took:.1f} s"
    assert log_json(tracker)[0]["evidence"] == evidence.strip()
    plain = run_cli("log", "--data", str(tracker), "--format", "csv")
    assert evidence.strip() in plain.stdout


def test_kehoach_corrections_are_named_by_their_trailer(tracker: Path) -> None:
    """The commits of `record --delete`, `undo` and `commit` carry Kehoach-Action / Kehoach-Undo
    trailers (made here by hand, as those commands write them)."""
    rec(tracker, "1", "STP", "-s", "dang-thuc-hien", "--as-of", "2026-05-01")
    path = tracker / STP_FILE
    recorded = path.read_text(encoding="utf-8")
    for body, text in (("Kehoach-Task: 1\nKehoach-Action: xoa", "records: []\n"),
                       ("Kehoach-Task: 1\nKehoach-Undo: 0123456789abcdef", recorded),
                       ("Kehoach-Task: 1\nKehoach-Action: ghi-thay-doi-cho",
                        recorded.replace("dang-thuc-hien", "chua-thuc-hien"))):
        path.write_text(text, encoding="utf-8")
        git(tracker, "commit", "-qa", "-m", "sửa bằng kehoach", "-m", body)
    rows = log_json(tracker)
    assert [(r["source"], r["action"]) for r in rows] == [
        ("kehoach", "ghi-thay-doi-cho"), ("kehoach", "hoan-tac"), ("kehoach", "xoa"), ("kehoach", None)]
    plain = run_cli("log", "--data", str(tracker), "--format", "csv").stdout.splitlines()
    assert [line.rsplit(",", 1)[-1] for line in plain[1:5]] == [
        "Ghi thay đổi chờ (kehoach commit)", "Hoàn tác (kehoach undo)", "Xóa bản ghi (kehoach record --delete)",
        "Ghi bằng kehoach"]
