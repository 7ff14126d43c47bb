"""What git's index already knows about a tracker's status files: a content id for each one whose
work-tree bytes git vouches for, so the fingerprint in `store.records` need not read and hash the
1,850 files of a ten-year province on every run.

One question to git (`git ls-files --stage --modified -v --debug`, asked from the status folder): the
index gives every tracked file's blob id and the stat data git recorded when it last saw the file's
content; `--modified` names the files whose work tree differs (git compares their content whenever
its stat data cannot be trusted: a file written in the same second as the index, "racy git").

git compares ctime to the second only: an edit that keeps size and mtime, made in the second git
recorded, goes unseen by git itself (`git status` shows nothing; tests/git/test_fingerprint.py does
it). So a file is vouched for only when, on top of git's answer, its ctime, mtime, inode and size
are exactly, to the nanosecond, those git recorded: any write since moves its ctime. A file git does
not vouch for (untracked, modified, in a merge conflict, marked assume-unchanged or skip-worktree, a
link, not regular, or written since git looked) is left out: the store reads and hashes it itself,
with git's own formula (`store.records.blob_id`), so both ways give the same fingerprint for the
same bytes (tested with random edits).

An index written in the same second as the files it lists (a fresh clone, a checkout, the benchmark's
generated province) makes every one of them "racily clean": git compares their content on every
question, ~50 ms for a province instead of ~5 ms. Seeing such entries, the question refreshes the
index once (`git update-index --refresh`, what `git status` does too) under the tracker's write lock,
taken only if free, so a kehoach writer never meets git's index lock; the next question is cheap.
"""

from __future__ import annotations

import os
import re
from collections.abc import Sequence
from pathlib import Path

from kehoach.errors import GitError, KehoachError
from kehoach.git.run import git
from kehoach.store.files import write_lock
from kehoach.store.layout import data_dir_of

_ENTRY = re.compile(
    r"(?P<tag>\S) (?P<mode>\d+) (?P<oid>[0-9a-f]+) (?P<stage>\d)\t(?P<path>[^\0]*)\0"
    r"  ctime: (?P<ctime>\d+):(?P<ctime_ns>\d+)\n  mtime: (?P<mtime>\d+):(?P<mtime_ns>\d+)\n"
    r"  dev: \d+\tino: (?P<ino>\d+)\n  uid: \d+\tgid: \d+\n  size: (?P<size>\d+)\tflags: [0-9a-f]+\n")
_REGULAR_FILES = frozenset({"100644", "100755"})
_SHA1_HEX = 40
_INDEX_WIDTH = 0xFFFFFFFF
"""The index keeps inode and size in 32 bits."""


def index_content_ids(status_dir: Path, pathspecs: Sequence[str] = (".",)) -> dict[str, bytes] | None:
    """`YEAR/NAME.yaml` -> blob id (20 bytes) of each status file whose content equals git's index
    entry and which has not been written since git saw it; None when git cannot answer (no git, not
    a repository, another object format). `pathspecs` (git's, relative to the folder) narrow the
    question to some files, such as one year's (`report` reads no other)."""
    if not status_dir.is_dir():
        return None
    try:
        proc = git(["ls-files", "-z", "--stage", "--modified", "-v", "--debug", "--", *pathspecs], cwd=status_dir,
                   check=False)
    except GitError:
        return None
    if proc.returncode != 0:
        return None
    vouched: dict[str, bytes] = {}
    doubted: set[str] = set()
    stale = 0  # entries git takes for clean, but rechecks each time, or whose stat data it must update
    index_second = _index_second(status_dir)
    base = os.fspath(status_dir) + os.sep  # strings: a Path object per file costs more than its stat
    for entry in _ENTRY.finditer(proc.stdout):
        path = entry["path"]
        # `H`: cached and nothing says otherwise; `C`: modified in the work tree; lowercase: assume-unchanged
        # (git would not look); others: unmerged, skip-worktree, removed. Only `H` at stage 0 is vouched for.
        clean = entry["tag"] == "H" and entry["stage"] == "0" and entry["mode"] in _REGULAR_FILES
        unwritten = _unwritten_since(base + path, entry) if clean and len(entry["oid"]) == _SHA1_HEX else None
        if unwritten:
            vouched[path] = bytes.fromhex(entry["oid"])
            if int(entry["mtime"]) >= index_second:
                stale += 1
        else:
            if unwritten is False:
                stale += 1
            doubted.add(path)
    for path in doubted:
        vouched.pop(path, None)
    if stale and index_second:
        _refresh(status_dir)
    return vouched


def _index_second(status_dir: Path) -> int:
    """When the index was written (seconds, as git compares for racy entries); 0: not known here."""
    if "GIT_DIR" in os.environ or "GIT_INDEX_FILE" in os.environ:
        return 0
    index = _index_file(status_dir)
    try:
        return int(index.stat().st_mtime) if index is not None else 0
    except OSError:
        return 0


def _refresh(status_dir: Path) -> None:
    """git's stat data made true again, as `git status` does: files written since git looked (but equal
    to its blobs), hard-linked or copied, or as new as the index itself (git re-reads those each time)."""
    try:
        with write_lock(data_dir_of(status_dir), timeout=0):
            git(["update-index", "-q", "--refresh"], cwd=status_dir, check=False)
    except (OSError, KehoachError):
        return  # a writer is at work, or the index cannot be read: the next question tries again


def _index_file(folder: Path) -> Path | None:
    """.git/index of the repository holding this folder; None for a linked work tree or a submodule
    (their .git is a file), where the refresh is left to git."""
    folder = folder.resolve()
    for parent in (folder, *folder.parents):
        dot_git = parent / ".git"
        if dot_git.is_dir():
            return dot_git / "index"
        if dot_git.exists():
            return None
    return None


def _unwritten_since(path: str, entry: re.Match[str]) -> bool | None:
    """True: the file's stat data are exactly those git recorded with its blob id. False: they differ
    where git looks too (seconds, inode, size), which `git update-index --refresh` puts right when the
    content is the same. None: they differ only below the second, which git does not see."""
    try:
        info = os.lstat(path)
    except OSError:
        return None
    ctime, mtime = int(entry["ctime"]), int(entry["mtime"])
    if (info.st_ctime_ns == ctime * 10**9 + int(entry["ctime_ns"])
            and info.st_mtime_ns == mtime * 10**9 + int(entry["mtime_ns"])
            and info.st_ino & _INDEX_WIDTH == int(entry["ino"]) and info.st_size & _INDEX_WIDTH == int(entry["size"])):
        return True
    seconds_equal = (info.st_ctime_ns // 10**9 == ctime and info.st_mtime_ns // 10**9 == mtime
                     and info.st_ino & _INDEX_WIDTH == int(entry["ino"])
                     and info.st_size & _INDEX_WIDTH == int(entry["size"]))
    return None if seconds_equal else False
