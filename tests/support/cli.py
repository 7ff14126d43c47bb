"""The real CLI entry point, in-process: exit code, stdout and stderr as a user sees them."""

from __future__ import annotations

import io
from contextlib import redirect_stderr, redirect_stdout
from dataclasses import dataclass
from pathlib import Path

from kehoach.cli.app import main


@dataclass
class Result:
    exit_code: int
    stdout: str
    stderr: str


def clear_caches() -> None:
    """What one process would not remember from a previous run: the consoles and the git root lookup."""
    from kehoach.cli import console
    from kehoach.git import run as gitio

    console.out.cache_clear()
    console.err.cache_clear()
    gitio.work_tree_root.cache_clear()
    gitio.author_identity.cache_clear()


def run_cli(*args: str) -> Result:
    """The real entry point, in-process: exit code, stdout and stderr as a user sees them."""
    clear_caches()
    out, err = io.StringIO(), io.StringIO()
    with redirect_stdout(out), redirect_stderr(err):
        code = main(list(args))
    return Result(code, out.getvalue(), err.getvalue())


def rec(root: Path, *args: str) -> None:
    """`kehoach record` on a tracker, which must succeed: the setup step of many tests."""
    result = run_cli("record", "--data", str(root), *args)
    assert result.exit_code == 0, result.stderr
