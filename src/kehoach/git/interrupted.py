"""A write interrupted half-way (kill -9, a power cut) is undone by the next writer.

Before a writer touches a status file it saves, in `.kehoach-cache/journal`, the previous bytes of
every file it is about to write and whether it will commit them; it removes the journal when the
files are written and committed, or put back. A journal found by the next writer (which holds the
write lock, so its owner is gone) means that owner died in between: where its commit landed, the
journal is dropped; otherwise the previous bytes are put back and the index of those files reset, so
nothing stays half-written or staged. A git lock file the dead owner's git left is removed, since no
other writer can hold it while we hold the tracker's lock.
"""

from __future__ import annotations

import contextlib
import os
import time
from collections.abc import Iterator
from pathlib import Path

from kehoach.errors import KehoachError
from kehoach.git import run as gitio
from kehoach.store.files import atomic_write, derived_bytes, own_folder, read_derived, remove_file
from kehoach.store.layout import cache_dir

JOURNAL_NAME = "journal"
FORMAT = 1
# A git still running after its kehoach was killed (only the parent was) finishes within moments.
_GIT_GRACE_S = 2.0


def journal_path(data_dir: Path) -> Path:
    return own_folder(data_dir) / JOURNAL_NAME


def left_behind(data_dir: Path) -> bool:
    """A writer's journal is there (without creating kehoach's folder to look)."""
    return (cache_dir(data_dir) / JOURNAL_NAME).exists()


@contextlib.contextmanager
def journal(data_dir: Path, previous: dict[Path, bytes | None], commits: bool) -> Iterator[None]:
    """Keep the previous bytes of the files for the block; the caller puts them back on an error, then
    discards the journal (left behind when putting back failed, for the next writer to finish)."""
    path = journal_path(data_dir)
    entry = {"pid": os.getpid(), "started": time.time(), "commits": commits,
             "files": {str(p.resolve()): data for p, data in previous.items()}}
    atomic_write(path, derived_bytes((FORMAT, entry)))
    yield
    discard(data_dir)


def discard(data_dir: Path) -> None:
    """The write is done, or undone: the journal has nothing left to say. After a recorded change, a
    journal that cannot be removed is dropped by the next writer (its files match the last commit),
    never a failure of the command that saved its record."""
    with contextlib.suppress(KehoachError):
        remove_file(journal_path(data_dir))


def restore(previous: dict[Path, bytes | None], scratch: Path) -> None:
    for path, data in previous.items():
        if data is None:
            remove_file(path)
        else:
            atomic_write(path, data, scratch)


def recover(data_dir: Path, root: Path | None) -> bool:
    """Finish what a dead writer left (call with the write lock held); True when there was something."""
    path = journal_path(data_dir)
    if not path.exists():
        return False
    entry = read_derived(path, FORMAT)
    if not isinstance(entry, dict) or not isinstance(entry.get("files"), dict):
        remove_file(path)
        return True
    previous = {Path(name): data for name, data in entry["files"].items()}
    if root is not None:
        _clear_dead_git_locks(root, float(entry.get("started", 0)))
    landed = (root is not None and bool(entry.get("commits"))
              and not gitio.pending_paths(root, list(previous)))
    if not landed:
        restore(previous, own_folder(data_dir) / "tmp")
        if root is not None:
            gitio.unstage(root, list(previous))
    remove_file(path)
    return True


def _clear_dead_git_locks(root: Path, started: float) -> None:
    give_up_at = time.monotonic() + _GIT_GRACE_S
    while (locks := gitio.lock_files(root)) and time.monotonic() < give_up_at:
        time.sleep(0.05)
    for lock in locks:
        with contextlib.suppress(OSError):
            # Only a lock made after the dead writer started is its git's; an older one is someone else's.
            if lock.stat().st_mtime >= started - 1:
                lock.unlink()
