"""Corrections without git: `undo`, `record --delete`, `record --no-commit` then `commit`. Each is one
commit with the Kehoach-* trailers, shown by `kehoach log`."""

from __future__ import annotations

import json
from pathlib import Path

from support.cli import run_cli
from support.files import file_snapshot
from support.git import git

STP_FILE = Path("data/status/2026/so-tu-phap.yaml")


def kehoach(root: Path, *args: str):
    return run_cli(*args, "--data", str(root))


def ok(root: Path, *args: str) -> str:
    result = kehoach(root, *args)
    assert result.exit_code == 0, result.stderr
    return result.stderr


def short_head(root: Path) -> str:
    return git(root, "rev-parse", "HEAD").strip()[:10]


def untouched(root: Path) -> tuple[str, dict[str, bytes], str]:
    return (git(root, "rev-parse", "HEAD"), file_snapshot(root),
            git(root, "status", "--porcelain", "--untracked-files=all"))


def log_rows(root: Path) -> list[tuple[str, str | None, str | None, str]]:
    rows = json.loads(kehoach(root, "log", "-f", "json").stdout)
    return [(r["task"], r["old_status"], r["new_status"], r["author"]) for r in rows]


def test_undo_takes_back_my_last_change_as_a_new_commit(tracker: Path):
    ok(tracker, "record", "1", "STP", "-s", "doing", "--as-of", "2026-06-01", "--by", "Lan")
    before = (tracker / STP_FILE).read_bytes()
    ok(tracker, "record", "1", "STP", "-s", "done", "--done-on", "2026-05-30", "--as-of", "2026-06-01", "--by", "Lan")
    undone = short_head(tracker)
    said = ok(tracker, "undo", "--by", "Lan")
    assert said == (f"Đã hoàn tác thay đổi {undone} «Ghi nhận nhiệm vụ 1, Sở Tư pháp, kỳ 2026: Hoàn thành ngày "
                    "30/05/2026» (tệp theo-doi/data/status/2026/so-tu-phap.yaml).\n"
                    f"Đã lưu vào lịch sử thay đổi (mã {short_head(tracker)[:10]}).\n")
    assert (tracker / STP_FILE).read_bytes() == before
    body = git(tracker, "log", "-1", "--format=%an|%B")
    assert body.startswith("Lan|Hoàn tác: Ghi nhận nhiệm vụ 1, Sở Tư pháp, kỳ 2026: Hoàn thành ngày 30/05/2026\n")
    assert "Kehoach-Task: 1\nKehoach-Unit: so-tu-phap\nKehoach-Period: 2026\nKehoach-Undo: " in body
    assert log_rows(tracker)[0] == ("1", "hoan-thanh", "dang-thuc-hien", "Lan")
    assert git(tracker, "status", "--porcelain", "--untracked-files=all") == ""


def test_undo_of_a_first_record_removes_its_new_file(tracker: Path):
    ok(tracker, "record", "1", "STP", "-s", "doing", "--as-of", "2026-06-01", "--by", "Lan")
    ok(tracker, "undo", "--by", "Lan")
    assert not (tracker / STP_FILE).exists()
    assert log_rows(tracker)[0] == ("1", "dang-thuc-hien", None, "Lan")


def test_undo_refuses_someone_elses_change(tracker: Path):
    ok(tracker, "record", "1", "STP", "-s", "doing", "--as-of", "2026-06-01", "--by", "Lan")
    last = short_head(tracker)
    before = untouched(tracker)
    result = kehoach(tracker, "undo", "--by", "Minh")
    assert (result.exit_code, result.stderr) == (2, (
        f"Lỗi: thay đổi gần nhất ({last}, «Ghi nhận nhiệm vụ 1, Sở Tư pháp, kỳ 2026: Đang thực hiện») do Lan "
        "ghi, không phải Minh; chỉ hoàn tác được thay đổi gần nhất của chính mình\n"))
    assert untouched(tracker) == before


def test_undo_refuses_to_undo_an_undo_or_nothing(tracker: Path):
    result = kehoach(tracker, "undo", "--by", "Lan")
    assert (result.exit_code, result.stderr) == (2, "Lỗi: chưa có thay đổi nào do kehoach ghi để hoàn tác\n")
    ok(tracker, "record", "1", "STP", "-s", "doing", "--as-of", "2026-06-01", "--by", "Lan")
    ok(tracker, "undo", "--by", "Lan")
    before = untouched(tracker)
    result = kehoach(tracker, "undo", "--by", "Lan")
    assert result.exit_code == 2
    assert result.stderr.endswith("đã là một lần hoàn tác; không hoàn tác tiếp\n")
    assert untouched(tracker) == before


def test_delete_removes_a_wrong_record_with_history(tracker: Path):
    ok(tracker, "record", "1", "STP", "-s", "doing", "--as-of", "2026-06-01")
    ok(tracker, "record", "2", "STP", "-s", "doing", "--as-of", "2026-06-01")
    said = ok(tracker, "record", "1", "STP", "-p", "2026", "--delete")
    assert said.splitlines()[0] == "Đã xóa bản ghi nhiệm vụ 1, Sở Tư pháp, kỳ 2026 (trước đó: Đang thực hiện)."
    text = (tracker / STP_FILE).read_text(encoding="utf-8")
    assert "task: '1'" not in text and "task: '2'" in text
    body = git(tracker, "log", "-1", "--format=%B")
    assert body.startswith("Xóa bản ghi nhiệm vụ 1, Sở Tư pháp, kỳ 2026\n")
    assert "Kehoach-Task: 1\nKehoach-Unit: so-tu-phap\nKehoach-Period: 2026\nKehoach-Action: xoa" in body
    assert log_rows(tracker)[0] == ("1", "dang-thuc-hien", None, "Người Thử")
    assert git(tracker, "status", "--porcelain", "--untracked-files=all") == ""


def test_delete_of_a_missing_record_is_refused(tracker: Path):
    before = untouched(tracker)
    result = kehoach(tracker, "record", "1", "STP", "-p", "2026", "--delete")
    assert (result.exit_code, result.stderr) == (
        2, "Lỗi: không có bản ghi nào của nhiệm vụ 1, Sở Tư pháp, kỳ 2026 để xóa\n")
    result = kehoach(tracker, "record", "1", "STP", "-p", "2026", "--delete", "-s", "doing")
    assert result.exit_code == 2
    assert untouched(tracker) == before


def test_record_without_status_or_delete_says_what_is_missing(tracker: Path):
    result = kehoach(tracker, "record", "1", "STP")
    assert (result.exit_code, result.stderr) == (2, "Lỗi: thiếu tùy chọn --status (hoặc --delete để xóa bản ghi)\n")


def test_commit_records_the_changes_kept_aside_with_no_commit(tracker: Path):
    start = git(tracker, "rev-parse", "HEAD")
    ok(tracker, "record", "1", "STP", "-s", "doing", "--as-of", "2026-06-01", "--no-commit")
    ok(tracker, "record", "2", "STP", "-s", "doing", "--as-of", "2026-06-01", "--no-commit")
    assert git(tracker, "rev-parse", "HEAD") == start
    said = ok(tracker, "commit", "--by", "Lan")
    assert said == ("Đã ghi các thay đổi của 1 tệp: theo-doi/data/status/2026/so-tu-phap.yaml.\n"
                    f"Đã lưu vào lịch sử thay đổi (mã {short_head(tracker)[:10]}).\n")
    assert git(tracker, "log", "-1", "--format=%an|%B") == (
        "Lan|Ghi nhận 2 thay đổi đã ghi bằng --no-commit\n\n"
        "- Nhiệm vụ 1, đơn vị so-tu-phap, kỳ 2026: Đang thực hiện\n"
        "- Nhiệm vụ 2, đơn vị so-tu-phap, kỳ 2026: Đang thực hiện\n\n"
        "Kehoach-Task: 1\nKehoach-Task: 2\nKehoach-Unit: so-tu-phap\nKehoach-Period: 2026\n"
        "Kehoach-Action: ghi-thay-doi-cho\n\n")
    assert [row[:3] for row in log_rows(tracker)] == [("1", None, "dang-thuc-hien"), ("2", None, "dang-thuc-hien")]
    assert git(tracker, "status", "--porcelain", "--untracked-files=all") == ""


def test_commit_with_nothing_pending_says_so(tracker: Path):
    result = kehoach(tracker, "commit")
    assert (result.exit_code, result.stderr) == (2, "Lỗi: không có thay đổi nào chờ ghi vào nhật ký\n")


def test_every_correction_has_help_with_examples():
    for command in ("undo", "commit", "resolve", "record"):
        shown = run_cli(command, "--help").stdout
        block = shown.split("\n\nVí dụ:\n", 1)[1]
        assert 2 <= sum(line.startswith(f"  kehoach {command} ") or line == f"  kehoach {command}"
                        for line in block.splitlines()) <= 3, command


def test_commit_refuses_a_pending_file_that_breaks_a_rule(tracker: Path):
    ok(tracker, "record", "1", "STP", "-s", "doing", "--as-of", "2026-06-01", "--no-commit")
    path = tracker / STP_FILE
    path.write_text(path.read_text(encoding="utf-8").replace("dang-thuc-hien", "hoan-thanh"), encoding="utf-8")
    before = untouched(tracker)
    result = kehoach(tracker, "commit")
    assert result.exit_code == 2
    assert result.stderr.startswith("Lỗi: theo-doi/data/status/2026/so-tu-phap.yaml:")
    assert "done_on" in result.stderr
    assert untouched(tracker) == before
