"""Start-up: a command builds only its own click command and imports only what it uses."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

import pytest

from kehoach.cli import app as cli
from kehoach.cli import status_commands
from support.cli import run_cli

CALLS = [
    ("check", "--help"), ("check", "--bogus"), ("status", "--unit"), ("record", "17"), ("chek",), ("--help",),
    ("--version",), ("import", "--help"), ("setup-git", "--help"), ("merge-driver",), ("log", "--task"),
]


@pytest.mark.parametrize("args", CALLS)
def test_one_command_app_answers_as_the_whole_app(args: tuple[str, ...], monkeypatch: pytest.MonkeyPatch) -> None:
    alone = run_cli(*args)
    monkeypatch.setattr(cli, "_app_for", lambda argv: cli.app)
    whole = run_cli(*args)
    assert (alone.exit_code, alone.stdout, alone.stderr) == (whole.exit_code, whole.stdout, whole.stderr)


def test_a_command_builds_just_itself() -> None:
    assert [c.callback for c in cli._app_for(["check", "--as-of", "2026-06-01"]).registered_commands] == [
        status_commands.check]
    assert [c.name for c in cli._app_for(["import", "x.xlsx"]).registered_commands] == ["import"]
    assert cli._app_for(["--version"]) is cli.app
    assert cli._app_for(["khong-co-lenh"]) is cli.app


def test_warm_check_imports_no_yaml_rich_or_tabulate(plain_tracker: Path) -> None:
    """With the derived caches in place, `check` to a pipe needs none of the heavy libraries."""
    args = ["check", "--data", str(plain_tracker), "--as-of", "2026-12-31", "-f", "plain"]
    assert run_cli(*args).exit_code == 1
    code = (f"import sys; from kehoach.cli.app import main; code = main({args!r}); "
            "sys.stderr.write(repr(sorted(({m.split('.')[0] for m in sys.modules} | set(sys.modules)) & "
            "{'yaml', 'rich', 'tabulate', 'openpyxl', 'kehoach.store.plan_reader'})))")
    # From the same folder: messages print paths relative to it, and the caches are keyed on them.
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, cwd=Path.cwd())
    assert out.stderr == "[]"
    assert "Quá hạn:" in out.stdout
