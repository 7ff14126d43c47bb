"""The write path of `record` and `import`: all or nothing. A record is written and committed under
the tracker's lock, signed by exactly the person recorded, or nothing is written or staged at all."""

from __future__ import annotations

import json
import os
import shutil
import subprocess
import sys
from pathlib import Path

import pytest

from support.cli import run_cli
from support.files import file_snapshot, write
from support.git import git

STP_FILE = Path("data/status/2026/so-tu-phap.yaml")


def record(root: Path, *args: str):
    return run_cli("record", "--data", str(root), *args)


def untouched(root: Path) -> tuple[str, dict[str, bytes], str]:
    """HEAD, every data file, and git's view of the work tree and the index."""
    return (git(root, "rev-parse", "HEAD"), file_snapshot(root),
            git(root, "status", "--porcelain", "--untracked-files=all"))


@pytest.mark.parametrize(("by", "message"), [
    ("<a@b>", "Lỗi: tên người ghi nhận (--by) không được chứa ký tự < >\n"),
    (" ", "Lỗi: tên người ghi nhận (--by) trống\n"),
    ("Nguyễn\nVăn A", "Lỗi: người ghi nhận chứa ký tự điều khiển U+000A, không được phép\n"),
    ("...", "Lỗi: tên người ghi nhận (--by) chỉ gồm dấu câu; hãy ghi họ tên\n"),
    ("A\x1b[2JB", "Lỗi: người ghi nhận chứa ký tự điều khiển U+001B, không được phép\n"),
])
def test_a_name_git_would_change_or_refuse_is_rejected_before_anything_is_written(tracker: Path, by: str,
                                                                                   message: str):
    before = untouched(tracker)
    result = record(tracker, "1", "STP", "-s", "doing", "--as-of", "2026-06-01", "--by", by)
    assert (result.exit_code, result.stderr) == (2, message)
    assert untouched(tracker) == before


def test_the_git_author_is_exactly_the_person_recorded(tracker: Path):
    assert record(tracker, "1", "STP", "-s", "doing", "--as-of", "2026-06-01", "--by", "Trần Thị Bình").exit_code == 0
    assert git(tracker, "log", "-1", "--format=%an|%ae").strip() == "Trần Thị Bình|thu@example.vn"
    assert "recorded_by: Trần Thị Bình\n" in (tracker / STP_FILE).read_text(encoding="utf-8")


def test_without_by_the_recorder_is_the_name_git_signs_with(tracker: Path):
    assert record(tracker, "1", "STP", "-s", "doing", "--as-of", "2026-06-01").exit_code == 0
    assert git(tracker, "log", "-1", "--format=%an").strip() == "Người Thử"
    assert "recorded_by: Người Thử\n" in (tracker / STP_FILE).read_text(encoding="utf-8")


def test_the_output_speaks_of_the_change_log_not_of_commits(tracker: Path):
    result = record(tracker, "1", "STP", "-s", "doing", "--as-of", "2026-06-01")
    short = git(tracker, "rev-parse", "--short=10", "HEAD").strip()
    assert result.stderr.splitlines()[-1] == f"Đã lưu vào lịch sử thay đổi (mã {short})."
    assert "commit" not in result.stderr


def test_a_stale_index_lock_is_explained_and_nothing_is_written(tracker: Path):
    (tracker / ".git" / "index.lock").write_bytes(b"")
    before = untouched(tracker)
    result = record(tracker, "1", "STP", "-s", "doing", "--as-of", "2026-06-01")
    assert result.exit_code == 2
    assert result.stderr == (
        "Lỗi: kho git của bộ theo dõi đang bị khóa (có tệp .git/index.lock): một lệnh git đang chạy, hoặc "
        "đã bị ngắt giữa chừng và để sót tệp khóa. Chưa ghi gì. Nếu chắc không còn lệnh git nào chạy (kể cả "
        "trình soạn thảo hay phần mềm đồng bộ), hãy xóa tệp đó (.git/index.lock) rồi chạy lại lệnh.\n")
    assert untouched(tracker) == before


def test_a_stale_head_lock_is_explained_too(tracker: Path):
    (tracker / ".git" / "refs" / "heads" / "main.lock").write_bytes(b"")
    before = untouched(tracker)
    result = record(tracker, "1", "STP", "-s", "doing", "--as-of", "2026-06-01")
    assert result.exit_code == 2
    assert "(có tệp .git/refs/heads/main.lock)" in result.stderr
    assert untouched(tracker) == before


def test_a_failing_commit_puts_back_the_previous_file_and_index(tracker: Path, monkeypatch: pytest.MonkeyPatch):
    assert record(tracker, "1", "STP", "-s", "doing", "--as-of", "2026-06-01").exit_code == 0
    before = untouched(tracker)
    monkeypatch.setenv("GIT_COMMITTER_DATE", "không phải ngày")  # git add succeeds, git commit refuses
    result = record(tracker, "2", "STP", "-s", "doing", "--as-of", "2026-06-01")
    assert result.exit_code == 2
    assert result.stderr == ("Lỗi: git không ghi được thay đổi vào nhật ký (mã lỗi 128); chưa ghi gì, tệp đã "
                             "trả lại như cũ\n")
    assert untouched(tracker) == before
    monkeypatch.delenv("GIT_COMMITTER_DATE")
    assert record(tracker, "3", "STP", "-s", "doing", "--as-of", "2026-06-01").exit_code == 0
    assert git(tracker, "show", "--format=", "HEAD").count("\n+- ") == 1  # task 3 alone, not task 2 too


def test_a_new_file_is_removed_again_when_its_commit_fails(tracker: Path, monkeypatch: pytest.MonkeyPatch):
    before = untouched(tracker)
    monkeypatch.setenv("GIT_COMMITTER_DATE", "không phải ngày")
    assert record(tracker, "1", "STP", "-s", "doing", "--as-of", "2026-06-01").exit_code == 2
    assert untouched(tracker) == before
    assert not (tracker / STP_FILE).exists()


def test_a_full_disk_at_the_write_is_a_vietnamese_error_and_nothing_is_left(tracker: Path,
                                                                            monkeypatch: pytest.MonkeyPatch):
    """ENOSPC injected at the one atomic write (a tmpfs cannot be mounted in every CI): honest about
    where it strikes, and it strikes where a real full disk would, at the rename or the write."""
    from kehoach.store import files

    real_replace = os.replace

    def full_disk(src: str, dst: str) -> None:
        if str(dst).endswith(".yaml"):
            raise OSError(28, "No space left on device")
        real_replace(src, dst)

    before = untouched(tracker)
    monkeypatch.setattr(files.os, "replace", full_disk)
    result = record(tracker, "1", "STP", "-s", "doing", "--as-of", "2026-06-01")
    assert (result.exit_code, result.stderr) == (
        2, "Lỗi: không ghi hoặc đọc được theo-doi/data/status/2026/so-tu-phap.yaml: ổ đĩa đã đầy\n")
    assert untouched(tracker) == before
    assert list((tracker / "data" / ".kehoach-cache" / "tmp").iterdir()) == []


def test_uncommitted_changes_to_the_file_are_not_swept_into_another_record(tracker: Path):
    assert record(tracker, "1", "STP", "-s", "doing", "--as-of", "2026-06-01", "--no-commit").exit_code == 0
    before = untouched(tracker)
    result = record(tracker, "2", "STP", "-s", "doing", "--as-of", "2026-06-01")
    assert result.exit_code == 2
    assert result.stderr == ("Lỗi: tệp data/status/2026/so-tu-phap.yaml có thay đổi chưa ghi vào nhật ký (ghi "
                             "bằng --no-commit hoặc sửa tay); chưa ghi gì. Ghi các thay đổi đó trước bằng: "
                             "kehoach commit\n")
    assert untouched(tracker) == before


TWO_VERSIONS = """records:
- period: '2026'
  recorded_on: 2026-05-01
  status: dang-thuc-hien
  task: '1'
  unit: so-tu-phap
- period: '2026'
  recorded_on: 2026-05-02
  status: chua-thuc-hien
  task: '1'
  unit: so-tu-phap
"""


@pytest.mark.parametrize("command", ["record", "import"])
def test_a_file_holding_one_record_twice_is_refused_naming_both_lines(tracker: Path, command: str):
    write(tracker / STP_FILE, TWO_VERSIONS)
    git(tracker, "add", "-A")
    git(tracker, "commit", "-q", "-m", "sửa tay")
    before = untouched(tracker)
    if command == "record":
        result = record(tracker, "2", "STP", "-s", "doing", "--as-of", "2026-06-01")
    else:
        made = run_cli("form", "--data", str(tracker), "STP", "--as-of", "2026-06-01", "-o", str(tracker.parent))
        assert made.exit_code == 0, made.stderr
        before = untouched(tracker)
        result = run_cli("import", "--data", str(tracker), *map(str, tracker.parent.glob("*.xlsx")),
                         "--as-of", "2026-06-01")
    assert result.exit_code == 2
    assert ("data/status/2026/so-tu-phap.yaml:7:3: nhiệm vụ 1, đơn vị so-tu-phap, kỳ 2026 được ghi hai lần "
            "(dòng 2 và dòng 7); hãy giữ một bản rồi xóa bản kia, chưa ghi gì") in result.stderr
    assert untouched(tracker) == before


def test_fifteen_concurrent_records_on_one_file_make_fifteen_commits_each_signed_by_its_recorder(tracker: Path):
    start = git(tracker, "rev-parse", "HEAD").strip()
    env = {**os.environ, "PYTHONPATH": os.pathsep.join(sys.path)}
    children = [subprocess.Popen([sys.executable, "-m", "kehoach", "record", str(task), "STP", "-s", "doing",
                                  "--as-of", "2026-06-01", "--by", f"Cán bộ {task}", "--data", str(tracker)],
                                 env=env, stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True)
                for task in range(1, 16)]
    outputs = [child.communicate(timeout=120) for child in children]
    assert [child.returncode for child in children] == [0] * 15, [err for _, err in outputs]
    assert all("Đã lưu vào lịch sử thay đổi" in err and "git" not in err for _, err in outputs)
    log = git(tracker, "log", "--format=%an|%(trailers:key=Kehoach-Task,valueonly,separator=)",
              f"{start}..HEAD").splitlines()
    assert sorted(log, key=lambda line: int(line.split("|")[1])) == [f"Cán bộ {t}|{t}" for t in range(1, 16)]
    assert git(tracker, "status", "--porcelain", "--untracked-files=all") == ""
    text = (tracker / STP_FILE).read_text(encoding="utf-8")
    assert [line for line in text.splitlines() if line.startswith("  recorded_by")] == [
        f"  recorded_by: Cán bộ {t}" for t in range(1, 16)]
    for task in range(1, 16):
        shown = git(tracker, "log", "-1", "--format=%an", f"--grep=Kehoach-Task: {task}$", start + "..HEAD")
        assert shown.strip() == f"Cán bộ {task}"


KILLED_AT_COMMIT = """
import os, sys
from pathlib import Path
from kehoach.cli.app import main
from kehoach.git import run as gitio

real_git = gitio.git
def dying_git(args, cwd, **kw):
    if "commit" in args:
        (gitio.git_dirs(cwd)[0] / "index.lock").write_bytes(b"")  # as git's own, mid-commit
        os.kill(os.getpid(), 9)
    return real_git(args, cwd, **kw)
gitio.git = dying_git
main(sys.argv[1:])
"""


def test_a_record_killed_mid_commit_is_undone_by_the_next_writer(tracker: Path):
    assert record(tracker, "1", "STP", "-s", "doing", "--as-of", "2026-06-01").exit_code == 0
    before = git(tracker, "rev-parse", "HEAD"), (tracker / STP_FILE).read_bytes()
    env = {**os.environ, "PYTHONPATH": os.pathsep.join(sys.path)}
    killed = subprocess.run([sys.executable, "-c", KILLED_AT_COMMIT, "record", "2", "STP", "-s", "doing",
                             "--as-of", "2026-06-01", "--data", str(tracker)], env=env, capture_output=True)
    assert killed.returncode == -9
    assert "task: '2'" in (tracker / STP_FILE).read_text(encoding="utf-8")  # written, staged, not committed
    assert (tracker / ".git" / "index.lock").exists()
    result = record(tracker, "3", "STP", "-s", "doing", "--as-of", "2026-06-01")
    assert result.exit_code == 0, result.stderr
    assert git(tracker, "rev-parse", "HEAD^").strip() == before[0].strip()
    text = (tracker / STP_FILE).read_text(encoding="utf-8")
    assert "task: '2'" not in text and "task: '3'" in text
    assert git(tracker, "status", "--porcelain", "--untracked-files=all") == ""
    assert not (tracker / "data" / ".kehoach-cache" / "journal").exists()


def test_a_hand_made_tracker_stays_clean_after_every_command(tmp_path: Path, tracker: Path):
    """`git init`, copy data/, commit: kehoach's own files (cache, lock, temporary files) never show."""
    office = tmp_path / "van-phong"
    office.mkdir()
    shutil.copytree(tracker / "data", office / "data", ignore=shutil.ignore_patterns(".kehoach-cache"))
    git(office, "init", "-q", "-b", "main")
    git(office, "add", "data")
    git(office, "commit", "-q", "-m", "dữ liệu")
    for args in (["record", "1", "STP", "-s", "doing", "--as-of", "2026-06-01"], ["status"], ["check"],
                 ["log"], ["validate"], ["report", "--as-of", "2026-06-01"]):
        result = run_cli(*args, "--data", str(office))
        assert result.exit_code in (0, 1), result.stderr
        assert git(office, "status", "--porcelain", "--untracked-files=all", "--ignored=no") == "", args
    assert (office / "data" / ".kehoach-cache" / ".gitignore").read_text(encoding="utf-8").splitlines()[-1] == "*"


@pytest.mark.parametrize("target", ["under-a-file", "proc"])
@pytest.mark.parametrize("command", ["report", "form"])
def test_an_output_that_cannot_be_written_is_a_vietnamese_error(tracker: Path, target: str, command: str):
    blocker = write(tracker.parent / "mot-tep", "tệp thường")
    where = blocker / "ra" if target == "under-a-file" else Path("/proc/kehoach-thu")
    name = where / "bao-cao.xlsx" if command == "report" else where
    before = untouched(tracker)
    args = ["report", "-o", str(name)] if command == "report" else ["form", "STP", "-o", str(name)]
    result = run_cli(*args, "--as-of", "2026-06-01", "--data", str(tracker))
    assert result.exit_code == 2, result.stderr
    assert result.stderr.startswith("Lỗi: không ghi hoặc đọc được ")
    reason = "một phần của đường dẫn là tệp, không phải thư mục" if target == "under-a-file" else None
    if reason:
        assert result.stderr.rstrip().endswith(reason)
    assert "Errno" not in result.stderr and "Traceback" not in result.stderr
    assert untouched(tracker) == before
    assert blocker.read_text(encoding="utf-8") == "tệp thường"


@pytest.fixture
def small_disk(tmp_path: Path):
    """A real tmpfs of 2 MB, when this machine lets the tests mount one (root with CAP_SYS_ADMIN)."""
    folder = tmp_path / "o-dia-nho"
    folder.mkdir()
    mounted = subprocess.run(["mount", "-t", "tmpfs", "-o", "size=2m", "tmpfs", str(folder)], capture_output=True)
    if mounted.returncode != 0:
        pytest.skip("cannot mount a small tmpfs here (needs root with CAP_SYS_ADMIN): the injected ENOSPC "
                    "test covers the write")
    try:
        yield folder
    finally:
        subprocess.run(["umount", "-l", str(folder)], capture_output=True)


def fill_up(folder: Path) -> None:
    """Leave no free byte on the disk of `folder`."""
    fd = os.open(folder / "day-o-dia", os.O_WRONLY | os.O_CREAT, 0o644)
    try:
        for size in (65536, 1):
            try:
                while os.write(fd, b"\0" * size):
                    pass
            except OSError:
                pass
    finally:
        os.close(fd)


def test_a_really_full_disk_rejects_the_record_and_leaves_the_tracker_as_it_was(small_disk: Path, tracker: Path):
    moved = small_disk / "theo-doi"
    shutil.copytree(tracker, moved, symlinks=True)
    assert run_cli("status", "--data", str(moved)).exit_code == 0  # the caches exist before the disk fills
    before = untouched(moved)
    fill_up(small_disk)
    result = record(moved, "1", "STP", "-s", "doing", "--as-of", "2026-06-01")
    assert result.exit_code == 2, result.stderr
    assert result.stderr.startswith("Lỗi: ")
    assert "ổ đĩa đã đầy" in result.stderr and "Errno" not in result.stderr
    (small_disk / "day-o-dia").unlink()
    assert untouched(moved) == before


def output_args(command: str, target: Path) -> list[str]:
    """A report or the forms written into `target`."""
    return ["report", "-o", str(target / "bao-cao.xlsx")] if command == "report" else ["form", "STP", "-o", str(target)]


@pytest.mark.parametrize("command", ["report", "form"])
def test_a_really_full_disk_for_an_output_is_a_vietnamese_error(small_disk: Path, tracker: Path, command: str):
    fill_up(small_disk)
    target = small_disk / "ra"
    result = run_cli(*output_args(command, target), "--as-of", "2026-06-01", "--data", str(tracker))
    assert result.exit_code == 2, result.stderr
    assert result.stderr.startswith("Lỗi: không ghi hoặc đọc được ")
    assert result.stderr.rstrip().endswith("ổ đĩa đã đầy")
    assert not any(p.is_file() for p in target.rglob("*")) if target.exists() else True


def test_a_rolled_back_write_leaves_no_journal_to_undo_later_work(tracker: Path, monkeypatch: pytest.MonkeyPatch):
    monkeypatch.setenv("GIT_COMMITTER_DATE", "không phải ngày")
    assert record(tracker, "1", "STP", "-s", "doing", "--as-of", "2026-06-01").exit_code == 2
    assert not (tracker / "data" / ".kehoach-cache" / "journal").exists()
    monkeypatch.delenv("GIT_COMMITTER_DATE")
    assert record(tracker, "2", "STP", "-s", "doing", "--as-of", "2026-06-01", "--no-commit").exit_code == 0
    assert record(tracker, "3", "so-tai-chinh", "-s", "doing", "--as-of", "2026-06-01").exit_code == 0
    assert "task: '2'" in (tracker / STP_FILE).read_text(encoding="utf-8")


def test_any_command_after_a_killed_write_first_puts_the_files_back(tracker: Path):
    """Even a reader, or a record with nothing to change, sees the tracker as the last commit has it."""
    assert record(tracker, "1", "STP", "-s", "doing", "--as-of", "2026-06-01").exit_code == 0
    env = {**os.environ, "PYTHONPATH": os.pathsep.join(sys.path)}
    killed = subprocess.run([sys.executable, "-c", KILLED_AT_COMMIT, "record", "2", "STP", "-s", "doing",
                             "--as-of", "2026-06-01", "--data", str(tracker)], env=env, capture_output=True)
    assert killed.returncode == -9
    shown = run_cli("status", "--data", str(tracker), "-f", "json", "--as-of", "2026-06-01")
    assert shown.exit_code in (0, 1)
    assert git(tracker, "status", "--porcelain", "--untracked-files=all") == ""
    assert "task: '2'" not in (tracker / STP_FILE).read_text(encoding="utf-8")
    assert not (tracker / ".git" / "index.lock").exists()


@pytest.fixture
def read_only_disk(small_disk: Path) -> Path:
    """The small tmpfs, remounted read-only (EROFS), as a CD or a share mounted without write access."""
    done = subprocess.run(["mount", "-o", "remount,ro", str(small_disk)], capture_output=True)
    if done.returncode != 0:
        pytest.skip("cannot remount the tmpfs read-only here")
    return small_disk


def test_a_read_only_disk_rejects_a_record_in_vietnamese_and_still_reads(small_disk: Path, tracker: Path):
    moved = small_disk / "theo-doi"
    shutil.copytree(tracker, moved, symlinks=True)
    assert subprocess.run(["mount", "-o", "remount,ro", str(small_disk)], capture_output=True).returncode == 0
    result = record(moved, "1", "STP", "-s", "doing", "--as-of", "2026-06-01")
    assert result.exit_code == 2, result.stderr
    assert result.stderr.startswith("Lỗi: ") and "chỉ cho đọc" in result.stderr and "Errno" not in result.stderr
    shown = run_cli("status", "--data", str(moved), "--unit", "STP", "--as-of", "2026-06-01", "-f", "json")
    assert shown.exit_code == 0 and json.loads(shown.stdout)


@pytest.mark.parametrize("command", ["report", "form"])
def test_an_output_on_a_read_only_disk_is_a_vietnamese_error(read_only_disk: Path, tracker: Path, command: str):
    result = run_cli(*output_args(command, read_only_disk / "ra"), "--as-of", "2026-06-01", "--data", str(tracker))
    assert result.exit_code == 2, result.stderr
    assert result.stderr.startswith("Lỗi: không ghi hoặc đọc được ")
    assert result.stderr.rstrip().endswith("ổ đĩa hoặc thư mục chỉ cho đọc")
