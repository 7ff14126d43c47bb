"""Shared test plumbing: the real CLI in-process, real git repositories in temp folders."""

from __future__ import annotations

import io
import os
import shutil
import subprocess
import sys
from contextlib import redirect_stderr, redirect_stdout
from dataclasses import dataclass
from pathlib import Path

import pytest

from kehoach.cli.app import main

REPO = Path(__file__).resolve().parent.parent
SHIPPED_DATA = REPO / "data"
SEED = Path(__file__).resolve().parent / "fixtures" / "ke-hoach-chi-thi-13-thanh-hoa.txt"

GIT_ENV = {
    "GIT_AUTHOR_NAME": "Người Thử",
    "GIT_AUTHOR_EMAIL": "thu@example.vn",
    "GIT_COMMITTER_NAME": "Người Thử",
    "GIT_COMMITTER_EMAIL": "thu@example.vn",
    "GIT_CONFIG_GLOBAL": os.devnull,
    "GIT_CONFIG_NOSYSTEM": "1",
}


@pytest.fixture(autouse=True)
def _isolated_env(monkeypatch: pytest.MonkeyPatch, tmp_path: Path) -> None:
    """Fixed git identity, no colour, no stray KEHOACH_DATA, a wide fixed terminal."""
    for key, value in GIT_ENV.items():
        monkeypatch.setenv(key, value)
    monkeypatch.delenv("KEHOACH_DATA", raising=False)
    monkeypatch.delenv("KEHOACH_DEBUG", raising=False)
    monkeypatch.setenv("NO_COLOR", "1")
    monkeypatch.setenv("COLUMNS", "200")
    monkeypatch.chdir(tmp_path)
    from kehoach.cli import console
    from kehoach.git import run as gitio

    console.out.cache_clear()
    console.err.cache_clear()
    gitio.work_tree_root.cache_clear()


@dataclass
class Result:
    exit_code: int
    stdout: str
    stderr: str


def run_cli(*args: str) -> Result:
    """The real entry point, in-process: exit code, stdout and stderr as a user sees them."""
    from kehoach.cli import console
    from kehoach.git import run as gitio

    console.out.cache_clear()
    console.err.cache_clear()
    gitio.work_tree_root.cache_clear()
    out, err = io.StringIO(), io.StringIO()
    with redirect_stdout(out), redirect_stderr(err):
        code = main(list(args))
    return Result(code, out.getvalue(), err.getvalue())


def rec(root: Path, *args: str) -> None:
    """`kehoach record` on a tracker, which must succeed: the setup step of many tests."""
    result = run_cli("record", "--data", str(root), *args)
    assert result.exit_code == 0, result.stderr


def git(cwd: Path, *args: str) -> str:
    return subprocess.run(["git", *args], cwd=cwd, check=True, capture_output=True, text=True).stdout


@pytest.fixture
def plain_tracker(tmp_path: Path) -> Path:
    """A copy of the shipped data outside git; returns the tracker folder."""
    root = tmp_path / "tracker"
    (root / "data" / "status").mkdir(parents=True)
    for name in ("plan.yaml", "units.yaml"):
        shutil.copy(SHIPPED_DATA / name, root / "data" / name)
    return root


@pytest.fixture
def tracker(tmp_path: Path) -> Path:
    """A new tracker made by `kehoach init`, a real git repository with one commit."""
    root = tmp_path / "theo-doi"
    result = run_cli("init", str(root))
    assert result.exit_code == 0, result.stderr
    return root


def file_snapshot(root: Path) -> dict[str, bytes]:
    """Every file below root with its bytes: to prove nothing changed. Git's internals and the derived
    record cache (machine-local, rebuilt from the YAML, safe to delete) are not the tracker's data."""
    return {str(p.relative_to(root)): p.read_bytes() for p in sorted(root.rglob("*"))
            if p.is_file() and not {".git", ".kehoach-cache"} & set(p.relative_to(root).parts)}


def write(path: Path, text: str) -> Path:
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(text, encoding="utf-8")
    return path


PYTHON = sys.executable
