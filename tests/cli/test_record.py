"""`kehoach record`: validate everything, then one atomic write and one commit of exactly that file."""

from __future__ import annotations

import subprocess
import sys
import time
from pathlib import Path

import pytest

from support.cli import run_cli
from support.files import file_snapshot, status_file_paths, write
from support.git import git

STP_FILE = Path("data/status/2026/so-tu-phap.yaml")


def record(root: Path, *args: str):
    return run_cli("record", "--data", str(root), *args)


def head(root: Path) -> str:
    return git(root, "rev-parse", "HEAD").strip()


def test_record_writes_the_canonical_file_and_commits_it(tracker: Path):
    result = record(tracker, "17", "so tu phap", "--status", "hoàn thành", "--done-on", "10/6/2026",
                    "--period", "2026-H1", "--evidence", "Báo cáo số 125/BC-STP ngày 10/6/2026",
                    "--as-of", "2026-06-12", "--by", "Nguyễn Văn A")
    assert result.exit_code == 0, result.stderr
    assert result.stderr.splitlines()[0] == ("Đã ghi nhận nhiệm vụ 17, Sở Tư pháp, kỳ 2026-H1: Hoàn thành ngày "
                                             "10/06/2026.")
    assert (tracker / STP_FILE).read_text(encoding="utf-8") == (
        "records:\n"
        "- done_on: 2026-06-10\n"
        "  evidence: Báo cáo số 125/BC-STP ngày 10/6/2026\n"
        "  period: 2026-H1\n"
        "  recorded_by: Nguyễn Văn A\n"
        "  recorded_on: 2026-06-12\n"
        "  status: hoan-thanh\n"
        "  task: '17'\n"
        "  unit: so-tu-phap\n")
    message = git(tracker, "log", "-1", "--format=%an|%B")
    assert message == (
        "Nguyễn Văn A|Ghi nhận nhiệm vụ 17, Sở Tư pháp, kỳ 2026-H1: Hoàn thành ngày 10/06/2026\n\n"
        "Căn cứ: Báo cáo số 125/BC-STP ngày 10/6/2026\n\n"
        "Kehoach-Task: 17\nKehoach-Unit: so-tu-phap\nKehoach-Period: 2026-H1\nKehoach-Status: hoan-thanh\n\n")
    assert git(tracker, "show", "--name-only", "--format=", "HEAD").split() == [STP_FILE.as_posix()]
    assert git(tracker, "status", "--porcelain") == ""


def test_record_never_commits_other_work(tracker: Path):
    write(tracker / "data" / "status" / "2026" / "so-noi-vu.yaml", "records: []\n")
    git(tracker, "add", "data/status/2026/so-noi-vu.yaml")
    write(tracker / "ghi-chu.txt", "việc riêng\n")
    assert record(tracker, "17", "STP", "-s", "dang-thuc-hien", "-p", "2026-H2", "--as-of", "2026-11-27"
                  ).exit_code == 0
    assert git(tracker, "show", "--name-only", "--format=", "HEAD").split() == [STP_FILE.as_posix()]
    assert git(tracker, "status", "--porcelain").splitlines() == ["A  data/status/2026/so-noi-vu.yaml",
                                                                  "?? ghi-chu.txt"]


def test_same_values_again_change_nothing(tracker: Path):
    args = ("17", "STP", "-s", "done", "--done-on", "2026-06-10", "-p", "2026-H1", "--as-of", "2026-06-12")
    assert record(tracker, *args).exit_code == 0
    before, commit = file_snapshot(tracker), head(tracker)
    again = record(tracker, *args[:-1], "2026-06-20", "--by", "Người khác")
    assert again.exit_code == 0
    assert again.stderr == "Không có gì thay đổi: nhiệm vụ 17, Sở Tư pháp, kỳ 2026-H1 đã là «Hoàn thành».\n"
    assert file_snapshot(tracker) == before and head(tracker) == commit


def test_one_update_changes_only_that_records_lines(tracker: Path):
    assert record(tracker, "1", "STP", "-s", "dang-thuc-hien", "--as-of", "2026-05-01").exit_code == 0
    assert record(tracker, "17", "STP", "-s", "dang-thuc-hien", "-p", "2026-H1", "--as-of", "2026-05-01"
                  ).exit_code == 0
    assert record(tracker, "1", "STP", "-s", "hoan-thanh", "--done-on", "2026-05-02", "--as-of", "2026-05-03"
                  ).exit_code == 0
    diff = git(tracker, "show", "--format=", "--unified=0", "HEAD")
    changed = [line for line in diff.splitlines() if line[:1] in "+-" and not line.startswith(("+++", "---"))]
    assert changed == ["-- period: '2026'", "+- done_on: 2026-05-02", "+  period: '2026'",
                       "-  recorded_on: 2026-05-01", "-  status: dang-thuc-hien", "+  recorded_on: 2026-05-03",
                       "+  status: hoan-thanh"]


def test_period_defaults_to_the_one_holding_the_as_of_date(tracker: Path):
    assert record(tracker, "17", "STP", "-s", "dang-thuc-hien", "--as-of", "2026-06-15").exit_code == 0
    assert "period: 2026-H2" in (tracker / STP_FILE).read_text(encoding="utf-8")


def test_english_and_unaccented_status_words(tracker: Path):
    assert record(tracker, "1", "STP", "-s", "in-progress", "--as-of", "2026-05-01").exit_code == 0
    assert record(tracker, "2", "STP", "-s", "khong ap dung", "-n", "Không có TTHC", "--as-of", "2026-05-01"
                  ).exit_code == 0
    assert record(tracker, "3", "STP", "-s", "N/A", "-n", "Không có", "--as-of", "2026-05-01").exit_code == 0
    text = (tracker / STP_FILE).read_text(encoding="utf-8")
    assert text.count("status: khong-ap-dung") == 2 and text.count("status: dang-thuc-hien") == 1


def test_nfd_text_is_stored_as_nfc(tracker: Path):
    assert record(tracker, "1", "STP", "-s", "dang-thuc-hien", "-n", "Đang tri\u0300nh", "--as-of", "2026-05-01"
                  ).exit_code == 0
    assert "note: Đang trình\n" in (tracker / STP_FILE).read_text(encoding="utf-8")


@pytest.mark.parametrize(("args", "message"), [
    (("99", "STP", "-s", "done"), "không có nhiệm vụ '99' trong kế hoạch"),
    (("1", "Sở Vũ trụ", "-s", "done"), "không tìm thấy đơn vị 'Sở Vũ trụ'"),
    (("III.2", "STP", "-s", "dang-thuc-hien"),
     "Sở Tư pháp (so-tu-phap) không chịu trách nhiệm nhiệm vụ III.2 trong kỳ 2026 (tính vào hạn 14/12/2026)"),
    (("1", "ubnd-huyen-nga-son", "-s", "dang-thuc-hien"),
     "UBND huyện Nga Sơn (ubnd-huyen-nga-son) không tồn tại vào hạn 14/12/2026 của kỳ 2026 (có đến 30/06/2025)"),
    (("17", "STP", "-s", "dang-thuc-hien", "-p", "2026"),
     "kỳ 2026 không thuộc chu kỳ 'Định kỳ 6 tháng' của nhiệm vụ 17 (các kỳ: H1, H2)"),
    (("1", "STP", "-s", "dang-thuc-hien", "-p", "2026-H1"),
     "kỳ 2026-H1 không thuộc chu kỳ 'Hằng năm' của nhiệm vụ 1 (các kỳ: Y)"),
    (("1", "STP", "-s", "done"), "trạng thái hoàn thành cần ngày hoàn thành: thêm --done-on NGÀY"),
    (("1", "STP", "-s", "done", "--done-on", "2026-07-01"),
     "ngày hoàn thành 01/07/2026 ở sau ngày ghi nhận 01/06/2026"),
    (("1", "STP", "-s", "done", "--done-on", "2026/6/1"),
     "ngày hoàn thành --done-on '2026/6/1' không đọc được; viết ngày trước, tháng sau, năm cuối: 10/6/2026, "
     "10-6-2026, 10.6.2026, 10/06/26 hoặc 2026-06-10"),
    (("1", "STP", "-s", "dang-thuc-hien", "--done-on", "2026-05-01"),
     "chỉ trạng thái hoàn thành mới có ngày hoàn thành: bỏ --done-on"),
    (("1", "STP", "-s", "xong"), "trạng thái 'xong' không hợp lệ"),
    (("1", "STP", "-s", "n/a"), "trạng thái không áp dụng cần ghi lý do: thêm --note \"lý do\""),
    (("1", "STP", "-s", "done", "-p", "2026-H5"), "kỳ '2026-H5' không hợp lệ"),
])
def test_rejected_input_changes_no_file(tracker: Path, args: tuple[str, ...], message: str):
    before, commit = file_snapshot(tracker), head(tracker)
    result = record(tracker, *args, "--as-of", "2026-06-01")
    assert result.exit_code == 2
    assert result.stderr.startswith("Lỗi: ") and message in result.stderr, result.stderr
    assert file_snapshot(tracker) == before and head(tracker) == commit


def test_bad_as_of_date(tracker: Path):
    result = record(tracker, "1", "STP", "-s", "dang-thuc-hien", "--as-of", "32/1/2026")
    assert (result.exit_code, result.stderr) == (2, "Lỗi: ngày tính --as-of '32/1/2026' không tồn tại trong lịch\n")


def test_status_file_broken_by_hand_is_refused(tracker: Path):
    write(tracker / STP_FILE, "records:\n- task: '1'\n  status: [\n")
    before = file_snapshot(tracker)
    result = record(tracker, "1", "STP", "-s", "dang-thuc-hien", "--as-of", "2026-06-01")
    assert result.exit_code == 2
    assert "data/status/2026/so-tu-phap.yaml:4:1: lỗi cú pháp YAML" in result.stderr
    assert file_snapshot(tracker) == before


def test_outside_git_it_writes_and_warns(plain_tracker: Path):
    result = record(plain_tracker, "1", "STP", "-s", "dang-thuc-hien", "--as-of", "2026-06-01")
    assert result.exit_code == 0
    assert result.stderr.count("không nằm trong kho git") == 1
    assert (plain_tracker / STP_FILE).is_file()


def test_no_commit_leaves_the_change_uncommitted(tracker: Path):
    commit = head(tracker)
    assert record(tracker, "1", "STP", "-s", "dang-thuc-hien", "--as-of", "2026-06-01", "--no-commit"
                  ).exit_code == 0
    assert head(tracker) == commit
    assert git(tracker, "status", "--porcelain").splitlines() == ["?? data/status/2026/"]


def test_a_second_writer_waits_then_gives_up_clearly(tracker: Path, monkeypatch: pytest.MonkeyPatch):
    from kehoach.store import files

    monkeypatch.setattr(files, "LOCK_TIMEOUT_S", 0.3)
    holder = subprocess.Popen([sys.executable, "-c", (
        "import fcntl, os, sys, time\n"
        "os.makedirs(os.path.dirname(sys.argv[1]), exist_ok=True)\n"
        "fd = os.open(sys.argv[1], os.O_RDWR | os.O_CREAT)\n"
        "fcntl.flock(fd, fcntl.LOCK_EX)\nprint('held', flush=True)\ntime.sleep(30)\n"),
        str(tracker / "data" / ".kehoach-cache" / "write.lock")], stdout=subprocess.PIPE, text=True)
    try:
        assert holder.stdout is not None and holder.stdout.readline() == "held\n"
        before = file_snapshot(tracker)
        result = record(tracker, "1", "STP", "-s", "dang-thuc-hien", "--as-of", "2026-06-01")
        assert result.exit_code == 2
        assert "một tiến trình kehoach khác đang ghi dữ liệu" in result.stderr
        assert file_snapshot(tracker) == before
    finally:
        holder.kill()
        holder.wait()


def test_a_killed_write_leaves_the_old_file_whole(tmp_path: Path):
    target = write(tmp_path / "status" / "2026" / "so-tu-phap.yaml", "records: []\n")
    child = subprocess.Popen([sys.executable, "-c", (
        "import sys\nfrom pathlib import Path\nfrom kehoach.store.files import atomic_write\n"
        "atomic_write(Path(sys.argv[1]), 'records:\\n' + '- note: ' + 'x' * 400_000_000 + '\\n')\n"),
        str(target)])
    deadline = time.monotonic() + 20
    writing = False
    while time.monotonic() < deadline and not writing:
        temps = list(target.parent.glob(".so-tu-phap.yaml.*.tmp"))
        writing = bool(temps) and temps[0].stat().st_size > 1_000_000
        time.sleep(0.01)
    child.kill()
    child.wait()
    assert writing, "the child never got to write: the test would prove nothing"
    assert target.read_text() == "records: []\n"
    assert status_file_paths(tmp_path / "status") == [target]
