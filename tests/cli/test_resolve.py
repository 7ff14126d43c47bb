"""`kehoach resolve`: settle a sync conflict record by record, without git; the last choice commits
the merge, naming every choice, and `log` shows it as a resolution."""

from __future__ import annotations

import json
import subprocess
from pathlib import Path

from support.cli import rec, run_cli
from support.files import file_snapshot
from support.git import git

STP_FILE = Path("data/status/2026/so-tu-phap.yaml")


def conflicted(tracker: Path) -> None:
    """Tasks 16 and 17 of STP changed differently on a branch and on the main line, then merged."""
    rec(tracker, "17", "STP", "-s", "chua-thuc-hien", "-p", "2026-H1", "--as-of", "2026-05-01")
    rec(tracker, "16", "STP", "-s", "chua-thuc-hien", "--as-of", "2026-05-01")
    git(tracker, "checkout", "-qb", "nhanh")
    rec(tracker, "17", "STP", "-s", "doing", "-p", "2026-H1", "--as-of", "2026-05-02", "-e", "Nhánh")
    rec(tracker, "16", "STP", "-s", "doing", "--as-of", "2026-05-02")
    git(tracker, "checkout", "-q", "main")
    rec(tracker, "17", "STP", "-s", "done", "--done-on", "2026-05-02", "-p", "2026-H1", "--as-of", "2026-05-02")
    rec(tracker, "16", "STP", "-s", "n/a", "-n", "lý do", "--as-of", "2026-05-02")
    stopped = subprocess.run(["git", "merge", "-q", "--no-ff", "-m", "Đồng bộ: gộp thay đổi từ origin/main", "nhanh"],
                             cwd=tracker, capture_output=True, text=True)
    assert stopped.returncode == 1
    assert (tracker / STP_FILE).read_text(encoding="utf-8").count("<<<<<<< bản ở máy này") == 2


def resolve(tracker: Path, *args: str):
    return run_cli("resolve", *args, "--data", str(tracker))


def test_two_choices_settle_the_conflict_and_commit_the_merge(tracker: Path):
    conflicted(tracker)
    first = resolve(tracker, "17", "STP", "-p", "2026-H1", "--keep", "theirs")
    assert first.exit_code == 0, first.stderr
    assert first.stderr.splitlines()[-2:] == ["Còn xung đột cần giải quyết:",
                                              "  - theo-doi/data/status/2026/so-tu-phap.yaml: nhiệm vụ 16, đơn vị "
                                              "so-tu-phap, kỳ 2026"]
    assert git(tracker, "rev-parse", "-q", "--verify", "MERGE_HEAD").strip()
    second = resolve(tracker, "16", "STP", "--keep", "đang thực hiện", "--as-of", "2026-05-03", "--by", "Lan")
    assert second.exit_code == 0, second.stderr
    assert second.stderr.splitlines()[-1] == "Đã giải quyết hết xung đột; chạy kehoach sync để gửi lên kho chung."
    assert len(git(tracker, "log", "-1", "--format=%P").split()) == 2
    body = git(tracker, "log", "-1", "--format=%an|%B")
    assert body.startswith("Lan|Đồng bộ: gộp thay đổi từ origin/main\n\nGiải quyết xung đột:\n"
                           "- Nhiệm vụ 17, đơn vị so-tu-phap, kỳ 2026-H1: giữ bản được gộp vào (trạng thái «Đang "
                           "thực hiện»; căn cứ: Nhánh;")
    assert "Kehoach-Task: 17\nKehoach-Task: 16\nKehoach-Unit: so-tu-phap\n" in body
    assert body.rstrip().endswith("Kehoach-Action: giai-quyet-xung-dot")
    text = (tracker / STP_FILE).read_text(encoding="utf-8")
    assert "<<<<<<<" not in text and "evidence: Nhánh" in text and "recorded_by: Lan" in text
    assert git(tracker, "status", "--porcelain", "--untracked-files=all") == ""
    rows = json.loads(run_cli("log", "--data", str(tracker), "-f", "json").stdout)
    assert [(r["task"], r["new_status"], r["source"]) for r in rows[:2]] == [
        ("16", "dang-thuc-hien", "giai-quyet-xung-dot"), ("17", "dang-thuc-hien", "giai-quyet-xung-dot")]
    assert run_cli("validate", "--data", str(tracker)).exit_code == 0


def test_keep_mine_keeps_this_machines_version(tracker: Path):
    conflicted(tracker)
    assert resolve(tracker, "16", "STP", "--keep", "mine").exit_code == 0
    assert resolve(tracker, "17", "STP", "-p", "2026-H1", "--keep", "mine").exit_code == 0
    text = (tracker / STP_FILE).read_text(encoding="utf-8")
    assert "status: khong-ap-dung" in text and "status: hoan-thanh" in text


def test_a_record_without_conflict_is_refused_and_nothing_changes(tracker: Path):
    conflicted(tracker)
    before = file_snapshot(tracker)
    result = resolve(tracker, "1", "STP", "--keep", "mine")
    assert (result.exit_code, result.stderr) == (
        2, "Lỗi: không có xung đột nào của nhiệm vụ 1, Sở Tư pháp, kỳ 2026 trong theo-doi/data/status/2026/"
           "so-tu-phap.yaml\n")
    result = resolve(tracker, "16", "STP", "--keep", "hoàn thành")
    assert (result.exit_code, result.stderr) == (
        2, "Lỗi: trạng thái hoàn thành cần ngày hoàn thành: thêm --done-on NGÀY\n")
    assert file_snapshot(tracker) == before


def test_record_during_an_unsettled_merge_points_to_resolve(tracker: Path):
    conflicted(tracker)
    before = file_snapshot(tracker)
    result = run_cli("record", "1", "so-tai-chinh", "-s", "doing", "--as-of", "2026-06-01", "--data", str(tracker))
    assert result.exit_code == 2
    assert result.stderr == ("Lỗi: đang dở một lần đồng bộ có bản ghi xung đột; chưa ghi gì. Giải quyết từng bản "
                             "ghi bằng kehoach resolve (cách dùng: kehoach resolve --help)\n")
    assert file_snapshot(tracker) == before
