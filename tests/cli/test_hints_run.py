"""Every command line kehoach suggests runs as printed, in a shell: the hints after `init`, the ones in
error messages, and the examples of each command's help. `init` inside another git repository asks
for --force."""

from __future__ import annotations

import os
import re
import shutil
import subprocess
import sys
from pathlib import Path

import pytest

from support.cli import run_cli
from support.git import git

# A command line in a message: after "Thử:" on its own indented line, or after ": " up to "?" or the end.
HINT = re.compile(r"(?:^  |: )(kehoach [^\n?]+)", re.MULTILINE)


def hints(text: str) -> list[str]:
    return HINT.findall(text)


def in_shell(command: str, cwd: Path) -> subprocess.CompletedProcess[str]:
    """The command as a clerk would paste it into a shell, with the kehoach this test runs on PATH."""
    env = {**os.environ, "PATH": f"{Path(sys.executable).parent}{os.pathsep}{os.environ.get('PATH', '')}"}
    return subprocess.run(command, shell=True, cwd=cwd, env=env, capture_output=True, text=True, timeout=300)


def assert_runs(command: str, cwd: Path) -> None:
    done = in_shell(command, cwd)
    # `check` exits 1 when work is overdue: it ran and found it.
    allowed = {0, 1} if command.startswith("kehoach check") else {0}
    assert done.returncode in allowed and "Lỗi" not in done.stderr, (command, done.returncode, done.stderr)


def test_init_prints_hints_that_run_as_printed(tmp_path: Path) -> None:
    result = run_cli("init", "bo theo doi")
    assert result.exit_code == 0
    assert result.stderr == ("Đã tạo bộ theo dõi tại bo theo doi. Thử:\n"
                             "  kehoach check --data 'bo theo doi'\n"
                             "  kehoach status --data 'bo theo doi'\n")
    assert hints(result.stderr) == ["kehoach check --data 'bo theo doi'", "kehoach status --data 'bo theo doi'"]
    for hint in hints(result.stderr):
        assert_runs(hint, tmp_path)


def test_init_inside_a_git_repository_needs_force(tmp_path: Path) -> None:
    git(tmp_path, "init", "--quiet", "kho")
    result = run_cli("init", "kho/theo-doi")
    assert result.exit_code == 2
    assert result.stderr == (f"Lỗi: 'kho/theo-doi' nằm trong kho git đã có ({tmp_path / 'kho'}): lịch sử thay đổi "
                             "của bộ theo dõi sẽ ghi lẫn vào kho đó. Chọn một thư mục ngoài kho git, hoặc nếu đúng "
                             "là muốn vậy, chạy lại với --force: kehoach init kho/theo-doi --force\n")
    assert sorted(p.name for p in (tmp_path / "kho").iterdir()) == [".git"]
    assert hints(result.stderr) == ["kehoach init kho/theo-doi --force"]
    assert_runs(hints(result.stderr)[0], tmp_path)
    assert git(tmp_path / "kho", "log", "--format=%s").splitlines() == ["Khởi tạo bộ theo dõi kế hoạch"]


def test_init_in_the_root_of_an_existing_repository_needs_force_too(tmp_path: Path) -> None:
    git(tmp_path, "init", "--quiet", "kho")
    assert run_cli("init", "kho").exit_code == 2
    assert run_cli("init", "kho", "--force").exit_code == 0


@pytest.mark.parametrize("args", [
    ("reprot",),
    ("status", "--unit", "so tu phapp"),
    ("check", "--within", "-1"),
    ("tasks", "--unit", "khong co don vi nay"),
])
def test_hints_in_error_messages_run_as_printed(tracker: Path, args: tuple[str, ...],
                                                monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.chdir(tracker)
    result = run_cli(*args)
    assert result.exit_code == 2
    found = hints(result.stderr)
    assert found, result.stderr
    for hint in found:
        assert_runs(hint, tracker)


def help_examples(command: str) -> list[str]:
    text = run_cli(command, "--help").stdout
    return [line.strip() for line in text.split("\nVí dụ:\n", 1)[1].splitlines() if line.startswith("  kehoach ")]


@pytest.mark.parametrize("command", ["validate", "tasks", "units", "show", "check", "status", "log", "report"])
def test_the_examples_of_each_help_run_as_printed(command: str, tracker: Path) -> None:
    shutil.copytree(tracker, tracker.parent / "bo-theo-doi-khac")  # the other tracker of validate's example
    for example in help_examples(command):
        assert_runs(example, tracker)


def test_the_examples_of_init_run_as_printed(tmp_path: Path) -> None:
    git(tmp_path, "init", "--quiet", "kho-chung")  # "inside an existing git repository", as the example says
    for example in help_examples("init"):
        assert_runs(example, tmp_path)


def test_the_examples_of_form_then_import_run_as_printed(tracker: Path) -> None:
    """form's examples make the forms import's examples read back (blank forms import as nothing new)."""
    for example in help_examples("form") + help_examples("import"):
        assert_runs(example, tracker)
    assert list((tracker / "reports" / "bieu-mau").glob("*.xlsx"))
