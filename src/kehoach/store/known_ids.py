"""The content ids of status files as this tracker last read them, kept with the stat data each file
had then, so the next run takes an unchanged file's ids from here without opening it.

After one `record`, `check` needs to know which of the 1,840 files of a ten-year province changed:
hashing them all costs ~40 ms, asking git's index (`git.fingerprint`) as much, and stat calls ~3 ms.

A file is taken as unchanged only when its ctime, mtime, inode and size are exactly, to the
nanosecond, those it had when it was read: any write moves its ctime, which no program can set back,
so an edit that keeps size and mtime (`touch -d`, a restored backup) is still seen. And, as git does
for its index ("racy git"), ids are remembered only for a file last changed at least RACY_NS before it
was read: a write in the same clock tick as the read could leave every stat field as it was.

Derived like every cache: missing, damaged or of another version, every file is read again.
"""

from __future__ import annotations

import os
import time
from pathlib import Path
from typing import Any, NamedTuple

from kehoach.store.files import read_derived, write_derived
from kehoach.store.layout import status_cache_dir

IDS_FILE = "ids.marshal"
FORMAT = 2
RACY_NS = 1_000_000_000
"""A file changed less than this before it was read is read again next time (timestamps are taken
from a clock that ticks every few milliseconds; a second leaves room for any file system's)."""


class Ids(NamedTuple):
    blob: bytes
    """git's content id of the bytes (`records.blob_id`), what the year fingerprints hash."""
    sha256: bytes
    """The records cache's key for the same bytes."""


def stat_key(info: os.stat_result) -> tuple[int, int, int, int]:
    return (info.st_ctime_ns, info.st_mtime_ns, info.st_ino, info.st_size)


class KnownIds:
    """`YEAR/NAME.yaml` -> its ids, for the files whose stat data are still those they were read with."""

    def __init__(self, status_dir: Path) -> None:
        self.path = status_cache_dir(status_dir) / IDS_FILE
        stored = read_derived(self.path, FORMAT)
        # Each entry's shape is checked when it is used: checking 1,840 on loading costs more than
        # the stat calls they save.
        self._known: dict[str, tuple[Any, ...]] = stored if type(stored) is dict else {}
        self._changed = False

    def vouched(self, key: str, path: str) -> Ids | None:
        """The file's ids when its stat data are exactly those remembered with them; None otherwise
        (changed, new, gone, or never read far enough from a write)."""
        known = self._known.get(key)
        if type(known) is not tuple or len(known) != 6:
            return None
        try:
            info = os.lstat(path)
        except OSError:
            return None
        if (info.st_ctime_ns, info.st_mtime_ns, info.st_ino, info.st_size) != known[:4]:
            return None
        blob, sha256 = known[4:]
        return Ids(blob, sha256) if type(blob) is bytes and type(sha256) is bytes else None

    def remember(self, key: str, info: os.stat_result, ids: Ids, read_at_ns: int) -> None:
        """Ids of bytes read from a file whose stat data (taken on the open file) were `info`, at a
        moment not earlier than `read_at_ns` (a clock read before the file was opened)."""
        if read_at_ns - max(info.st_ctime_ns, info.st_mtime_ns) < RACY_NS:
            self.forget(key)
            return
        entry = (*stat_key(info), *ids)
        if self._known.get(key) != entry:
            self._known[key] = entry
            self._changed = True

    def forget(self, key: str) -> None:
        if self._known.pop(key, None) is not None:
            self._changed = True

    def keep_only(self, keys: set[str]) -> None:
        """Forget the files no longer there (a run that listed every file knows which)."""
        for key in [k for k in self._known if k not in keys]:
            self.forget(key)

    def save(self) -> None:
        if self._changed:
            write_derived(self.path, FORMAT, dict(sorted(self._known.items())))
            self._changed = False


def clock_ns() -> int:
    """The wall clock file systems stamp files with."""
    return time.time_ns()
