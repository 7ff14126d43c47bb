"""`kehoach log`: the audit history read from git, record by record, hand edits included."""

from __future__ import annotations

import json
from pathlib import Path

from support.cli import rec, run_cli
from support.git import git

STP_FILE = "data/status/2026/so-tu-phap.yaml"


def log_json(root: Path, *args: str) -> list[dict]:
    result = run_cli("log", "--data", str(root), "--format", "json", *args)
    assert result.exit_code == 0, result.stderr
    return json.loads(result.stdout)


def test_record_check_log_with_two_authors(tracker: Path):
    rec(tracker, "17", "STP", "-s", "dang-thuc-hien", "-p", "2026-H1", "--as-of", "2026-05-01",
        "--by", "Nguyễn Văn A")
    rec(tracker, "17", "STP", "-s", "done", "--done-on", "2026-06-10", "-p", "2026-H1", "--as-of", "2026-06-11",
        "--evidence", "Báo cáo số 125/BC-STP ngày 10/6/2026", "--by", "Trần Thị B")
    check = run_cli("check", "--data", str(tracker), "--as-of", "2026-06-20", "--unit", "STP", "--format", "json")
    assert check.exit_code == 1
    assert "17" not in [r["task"] for r in json.loads(check.stdout)]
    rows = log_json(tracker)
    assert [(r["author"], r["task"], r["unit"], r["period"], r["old_status"], r["new_status"], r["source"])
            for r in rows] == [
        ("Trần Thị B", "17", "so-tu-phap", "2026-H1", "dang-thuc-hien", "hoan-thanh", "kehoach"),
        ("Nguyễn Văn A", "17", "so-tu-phap", "2026-H1", None, "dang-thuc-hien", "kehoach"),
    ]
    assert rows[0]["evidence"] == "Báo cáo số 125/BC-STP ngày 10/6/2026"
    assert rows[0]["done_on"] == "2026-06-10"


def test_hand_edits_are_read_from_the_diff(tracker: Path):
    rec(tracker, "1", "STP", "-s", "dang-thuc-hien", "--as-of", "2026-05-01")
    path = tracker / STP_FILE
    path.write_text(path.read_text(encoding="utf-8").replace("status: dang-thuc-hien", "status: chua-thuc-hien"),
                    encoding="utf-8")
    git(tracker, "commit", "-qam", "sửa nhầm")
    rows = log_json(tracker)
    assert [(r["old_status"], r["new_status"], r["source"], r["author"]) for r in rows] == [
        ("dang-thuc-hien", "chua-thuc-hien", "sua-tay", "Người Thử"),
        (None, "dang-thuc-hien", "kehoach", "Người Thử"),
    ]


def test_filters(tracker: Path):
    rec(tracker, "1", "STP", "-s", "dang-thuc-hien", "--as-of", "2026-05-01")
    rec(tracker, "17", "STP", "-s", "dang-thuc-hien", "-p", "2026-H1", "--as-of", "2026-05-01")
    rec(tracker, "1", "SNV", "-s", "dang-thuc-hien", "--as-of", "2026-05-01")
    assert [r["unit"] for r in log_json(tracker, "--unit", "so noi vu")] == ["so-noi-vu"]
    assert [(r["task"], r["unit"]) for r in log_json(tracker, "--task", "1")] == [("1", "so-noi-vu"),
                                                                                   ("1", "so-tu-phap")]
    assert [r["task"] for r in log_json(tracker, "--period", "2026-H1")] == ["17"]
    assert len(log_json(tracker, "--period", "2026")) == 3
    assert log_json(tracker, "--since", "2999-01-01") == []


def test_log_table(tracker: Path):
    rec(tracker, "1", "STP", "-s", "dang-thuc-hien", "--as-of", "2026-05-01", "--by", "Lê Văn C")
    result = run_cli("log", "--data", str(tracker), "--format", "plain")
    assert result.exit_code == 0
    lines = result.stdout.splitlines()
    assert lines[0] == "Lịch sử thay đổi (1)"
    assert "Lê Văn C" in lines[4] and "(không có) → Đang thực hiện" in lines[4]
    assert lines[4].endswith("Ghi bằng kehoach")


def test_log_outside_git_is_a_clear_error(plain_tracker: Path):
    result = run_cli("log", "--data", str(plain_tracker))
    assert result.exit_code == 2
    assert "không nằm trong kho git" in result.stderr


def test_init_makes_a_tracker_with_one_commit(tmp_path: Path):
    result = run_cli("init", str(tmp_path / "moi"))
    assert result.exit_code == 0
    assert git(tmp_path / "moi", "log", "--format=%s").splitlines() == ["Khởi tạo bộ theo dõi kế hoạch"]
    files = git(tmp_path / "moi", "ls-files").split()
    assert {"data/plan.yaml", "data/units.yaml", "data/status/.gitkeep", "reports/.gitkeep", ".gitignore"} <= set(files)
    assert run_cli("validate", "--data", str(tmp_path / "moi")).exit_code == 0


def test_init_refuses_to_overwrite(tracker: Path):
    before = (tracker / "data" / "plan.yaml").read_bytes()
    result = run_cli("init", str(tracker))
    assert result.exit_code == 2
    assert "đã có dữ liệu kế hoạch; không ghi đè" in result.stderr
    assert (tracker / "data" / "plan.yaml").read_bytes() == before
