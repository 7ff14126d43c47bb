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
"""

from __future__ import annotations

import os
import re
from collections.abc import Sequence
from pathlib import Path

from kehoach.errors import GitError
from kehoach.git.run import git

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
    base = os.fspath(status_dir) + os.sep  # strings: a Path object per file costs more than its stat
    for entry in _ENTRY.finditer(proc.stdout):
        path = entry["path"]
        # `H`: cached and nothing says otherwise; `C`: modified in the work tree; lowercase: assume-unchanged
        # (git would not look); others: unmerged, skip-worktree, removed. Only `H` at stage 0 is vouched for.
        if (entry["tag"] == "H" and entry["stage"] == "0" and entry["mode"] in _REGULAR_FILES
                and len(entry["oid"]) == _SHA1_HEX and _unwritten_since(base + path, entry)):
            vouched[path] = bytes.fromhex(entry["oid"])
        else:
            doubted.add(path)
    for path in doubted:
        vouched.pop(path, None)
    return vouched


def _unwritten_since(path: str, entry: re.Match[str]) -> bool:
    """The file's stat data are exactly those git recorded with its blob id."""
    try:
        info = os.lstat(path)
    except OSError:
        return False
    return (info.st_ctime_ns == int(entry["ctime"]) * 10**9 + int(entry["ctime_ns"])
            and info.st_mtime_ns == int(entry["mtime"]) * 10**9 + int(entry["mtime_ns"])
            and info.st_ino & _INDEX_WIDTH == int(entry["ino"]) and info.st_size & _INDEX_WIDTH == int(entry["size"]))
