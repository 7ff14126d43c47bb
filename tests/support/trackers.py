"""Trackers made once and copied: `kehoach init` (a git repository with one commit) is the setup of
most tests, and every init gives the same files, so the session makes one and each test copies it;
so too the tracker with the report tests' sample records."""

from __future__ import annotations

import shutil
import subprocess
from collections.abc import Callable
from pathlib import Path

import pytest

from support.cli import run_cli
from support.git import GIT_ENV

CACHE_DIR = ".kehoach-cache"


def init_template(root: Path, identity: bool = True, then: Callable[[Path], object] | None = None) -> Path:
    """`kehoach init root` (then `then(root)`) in an environment like each test's (see
    conftest._isolated_env). Without `identity` no git identity is set, as for the clerks' office,
    where kehoach names the committer. The derived caches are dropped (machine-local, safe to delete:
    each copy rebuilds its own), so that nothing copied names the template's folder."""
    with pytest.MonkeyPatch.context() as mp:
        for key, value in GIT_ENV.items():
            mp.setenv(key, value)
        if not identity:
            for key in ("GIT_AUTHOR_NAME", "GIT_AUTHOR_EMAIL", "GIT_COMMITTER_NAME", "GIT_COMMITTER_EMAIL"):
                mp.delenv(key, raising=False)
        mp.delenv("KEHOACH_DATA", raising=False)
        mp.chdir(root.parent)
        result = run_cli("init", str(root))
        assert result.exit_code == 0, result.stderr
        if then is not None:
            then(root)
    for cache in sorted(root.rglob(CACHE_DIR)):
        shutil.rmtree(cache)
    assert_no_absolute_path(root)
    return root


def assert_no_absolute_path(root: Path) -> None:
    """A copy must not point back at the template: no file of it (.git included) and no commit names
    its folder."""
    log = subprocess.run(["git", "log", "--all", "--format=%an %ae %cn %ce%n%B"], cwd=root, check=True,
                         capture_output=True).stdout
    for path in {root, root.resolve()}:
        needle = str(path).encode()
        named = [str(p.relative_to(root)) for p in sorted(root.rglob("*")) if p.is_file() and needle in p.read_bytes()]
        assert named == [] and needle not in log, f"the template's folder {path} is named in {named or 'git log'}"


def copy_tracker(template: Path, dest: Path) -> Path:
    """A copy of the template as if made in dest: the same files, the same commits."""
    shutil.copytree(template, dest, symlinks=True)
    # The index remembers each file's inode and change time; let git see the copies as unchanged.
    subprocess.run(["git", "update-index", "-q", "--refresh"], cwd=dest, check=True, capture_output=True)
    return dest
