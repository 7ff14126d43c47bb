"""Every command has help text and appears in README.md; --version and --help work."""

from __future__ import annotations

import re
import subprocess
import sys

import pytest

from kehoach import __version__
from kehoach.cli.app import app
from support.cli import run_cli
from support.paths import REPO

README = (REPO / "README.md").read_text(encoding="utf-8")
COMMANDS = sorted(c.name or c.callback.__name__ for c in app.registered_commands if not c.hidden)


def test_there_are_commands():
    assert {"validate", "tasks", "units", "show", "record", "check", "status", "log", "init"} <= set(COMMANDS)


@pytest.mark.parametrize("command", COMMANDS)
def test_every_command_has_vietnamese_help_and_is_in_readme(command: str):
    result = run_cli(command, "--help")
    assert result.exit_code == 0
    assert result.stdout.startswith(f"Cách dùng: kehoach {command} [TÙY_CHỌN]")
    assert "Tùy chọn:" in result.stdout and "Hiện hướng dẫn này rồi thoát." in result.stdout
    assert "Usage" not in result.stdout and "Options" not in result.stdout
    assert re.search(rf"^\s*kehoach {command}\b", README, re.MULTILINE), f"README lacks 'kehoach {command}'"


def test_version():
    result = run_cli("--version")
    assert (result.exit_code, result.stdout) == (0, f"kehoach {__version__}\n")


def test_console_script_and_module_entry_points():
    module = subprocess.run([sys.executable, "-m", "kehoach", "--version"], capture_output=True, text=True)
    assert (module.returncode, module.stdout) == (0, f"kehoach {__version__}\n")


def test_internal_errors_have_no_traceback(monkeypatch: pytest.MonkeyPatch):
    from kehoach.commands import validate as checks

    def broken(_data_dir, _plan=None):
        raise RuntimeError("hỏng")

    monkeypatch.setattr(checks, "validate", broken)
    result = run_cli("validate", "--data", str(REPO))
    assert result.exit_code == 3
    assert "Traceback" not in result.stderr
    assert result.stderr.startswith("Lỗi nội bộ của kehoach (RuntimeError: hỏng)")


def test_top_level_help_lists_commands_in_vietnamese():
    result = run_cli("--help")
    assert result.exit_code == 0
    assert result.stdout.startswith("Cách dùng: kehoach [TÙY_CHỌN] LỆNH [THAM_SỐ]...")
    assert "Lệnh:" in result.stdout and "record" in result.stdout


def test_readme_gives_the_two_commands_and_ci_runs_the_test_one():
    main_job = ("python3 -m venv .venv && . .venv/bin/activate && pip install . && kehoach validate && "
                "kehoach report --as-of 2026-11-27")
    tests = ("python3 -m venv .venv-test && . .venv-test/bin/activate && pip install -e '.[test]' && "
             "python -m pytest")
    assert main_job in README and tests in README
    ci = (REPO / ".ci" / "run").read_text(encoding="utf-8")
    assert "python -m pip install --quiet -e '.[test]'" in ci
    assert "\npython -m pytest\n" in ci


def test_the_main_job_runs_on_the_shipped_data(monkeypatch: pytest.MonkeyPatch):
    monkeypatch.chdir(REPO)
    assert run_cli("validate").exit_code == 0
    report = run_cli("report", "--as-of", "2026-11-27", "--format", "plain")
    assert report.exit_code == 0
    assert report.stdout.startswith("Báo cáo tình hình thực hiện Kế hoạch của Chủ tịch UBND tỉnh Thanh Hóa về "
                                    "triển khai")


def test_readme_is_for_clerks_and_short():
    """Speed figures and the developer's map live in docs/; README stays a clerk's guide."""
    assert len(README.splitlines()) <= 300
    assert "| Lệnh " not in README and "Độ dốc" not in README
    assert (REPO / "docs" / "performance.md").read_text(encoding="utf-8").count("check (ấm)") >= 3
    assert "docs/architecture.md" in README and "docs/performance.md" in README


def test_the_two_commands_use_two_fresh_environments():
    venvs = re.findall(r"python3 -m venv (\S+) && \. (\S+)/bin/activate", README)
    assert [first for first, second in venvs if first == second] == [".venv", ".venv-test"]
