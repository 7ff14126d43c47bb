"""Trackers made once and copied: `kehoach init` (a git repository with one commit) is the setup of
most tests, and every init gives the same files, so the session makes one and each test copies it;
so too the trackers that tests fill with the same records before they start."""

from __future__ import annotations

import contextlib
import shutil
import subprocess
from collections.abc import Callable, Iterator
from pathlib import Path

import pytest

from support.cli import run_cli
from support.git import GIT_ENV

CACHE_DIR = ".kehoach-cache"


@contextlib.contextmanager
def isolated_environment(cwd: Path, identity: bool = True) -> Iterator[None]:
    """The environment of each test (see conftest._isolated_env), for fixtures wider than one test.
    Without `identity` no git identity is set, as for the clerks' office, where kehoach names the
    committer."""
    with pytest.MonkeyPatch.context() as mp:
        for key, value in GIT_ENV.items():
            mp.setenv(key, value)
        if not identity:
            for key in ("GIT_AUTHOR_NAME", "GIT_AUTHOR_EMAIL", "GIT_COMMITTER_NAME", "GIT_COMMITTER_EMAIL"):
                mp.delenv(key, raising=False)
        mp.delenv("KEHOACH_DATA", raising=False)
        mp.chdir(cwd)
        yield


def make_template(root: Path, build: Callable[[Path], object]) -> Path:
    """build(root) in the test environment, then ready to be copied: the derived caches dropped
    (machine-local, safe to delete, rebuilt by each copy) and nothing naming root's folder."""
    with isolated_environment(root.parent):
        build(root)
    for cache in sorted(root.rglob(CACHE_DIR)):
        shutil.rmtree(cache)
    assert_no_absolute_path(root)
    return root


def init_template(root: Path, identity: bool = True, then: Callable[[Path], object] | None = None) -> Path:
    """A template made by `kehoach init root`, then `then(root)`."""
    def build(root: Path) -> None:
        with isolated_environment(root.parent, identity):
            result = run_cli("init", str(root))
            assert result.exit_code == 0, result.stderr
            if then is not None:
                then(root)

    return make_template(root, build)


def repositories(root: Path) -> list[Path]:
    return sorted(git_dir.parent for git_dir in root.rglob(".git"))


def assert_no_absolute_path(root: Path) -> None:
    """A copy must not point back at the template: no file below root (.git included) and no commit
    names root's folder."""
    logs = b"".join(subprocess.run(["git", "log", "--all", "--format=%an %ae %cn %ce%n%B"], cwd=repo,
                                   check=True, capture_output=True).stdout for repo in repositories(root))
    for path in {root, root.resolve()}:
        needle = str(path).encode()
        named = [str(p.relative_to(root)) for p in sorted(root.rglob("*")) if p.is_file() and needle in p.read_bytes()]
        assert named == [] and needle not in logs, f"the template's folder {path} is named in {named or 'git log'}"


def copy_tracker(template: Path, dest: Path) -> Path:
    """A copy of a template (a tracker, or a folder of trackers) as if made in dest: the same files,
    the same commits."""
    shutil.copytree(template, dest, symlinks=True)
    for repo in repositories(dest):
        # The index remembers each file's inode and change time; let git see the copies as unchanged.
        subprocess.run(["git", "update-index", "-q", "--refresh"], cwd=repo, check=True, capture_output=True)
    return dest


def provinces_template(root: Path, tracker_template: Path, recorded: dict[str, list[tuple[str, ...]]],
                       as_of: str) -> Path:
    """A folder of trackers (one per province) at root, each a copy of tracker_template with its own
    records (`kehoach record ARGS --as-of AS_OF`), ready to be copied."""
    def build(folder: Path) -> None:
        for name, records in recorded.items():
            copy_tracker(tracker_template, folder / name)
            for args in records:
                result = run_cli("record", *args, "--as-of", as_of, "--data", str(folder / name))
                assert result.exit_code == 0, result.stderr

    return make_template(root, build)
