"""Writing files so that nothing is ever half-written, one writer at a time, and derived files.

- `atomic_write` / `replacing`: write beside the target, fsync, rename over it; a reader or a crash
  sees the old file or the new one, never half of one. Every file kehoach writes goes through here.
- `write_lock`: one writer at a time across the kehoach processes that share a tracker; the others
  wait (up to LOCK_TIMEOUT_S) instead of failing.
- `write_derived` / `read_derived`: the files of `.kehoach-cache/`, a version number and a value in
  marshal (never pickle: loading a file found on a shared drive must never run code). Any failure
  to write leaves the old file or none; a missing, damaged or other-version file reads as None.
"""

from __future__ import annotations

import contextlib
import errno
import fcntl
import marshal
import os
import tempfile
import time
from collections.abc import Iterator
from pathlib import Path
from typing import Any

from kehoach.errors import KehoachError

LOCK_NAME = ".lock"
LOCK_TIMEOUT_S = 15.0


@contextlib.contextmanager
def replacing(path: Path) -> Iterator[str]:
    """A temporary file beside `path` for the caller to fill; renamed over `path` when the block ends
    without an error, removed otherwise. Keeps the mode of the file it replaces (0644 for a new one)."""
    path.parent.mkdir(parents=True, exist_ok=True)
    fd, tmp_name = tempfile.mkstemp(prefix=f".{path.name}.", suffix=".tmp", dir=path.parent)
    os.close(fd)
    try:
        yield tmp_name
        with open(tmp_name, "rb+") as handle:
            os.fsync(handle.fileno())
        mode = path.stat().st_mode & 0o777 if path.exists() else 0o644
        os.chmod(tmp_name, mode)
        os.replace(tmp_name, path)
    except BaseException:
        with contextlib.suppress(FileNotFoundError):
            os.unlink(tmp_name)
        raise
    dir_fd = os.open(path.parent, os.O_RDONLY)
    try:
        os.fsync(dir_fd)
    finally:
        os.close(dir_fd)


def atomic_write(path: Path, content: str | bytes) -> None:
    """Text is written as UTF-8 with LF line ends; bytes (a workbook) as they are."""
    data = content.encode("utf-8") if isinstance(content, str) else content
    with replacing(path) as tmp_name, open(tmp_name, "wb") as handle:
        handle.write(data)


@contextlib.contextmanager
def write_lock(folder: Path, timeout: float | None = None) -> Iterator[None]:
    """Hold the lock file of `folder` (the tracker's status folder) for the block."""
    timeout = LOCK_TIMEOUT_S if timeout is None else timeout
    folder.mkdir(parents=True, exist_ok=True)
    fd = os.open(folder / LOCK_NAME, os.O_RDWR | os.O_CREAT, 0o644)
    try:
        give_up_at = time.monotonic() + timeout
        while True:
            try:
                fcntl.flock(fd, fcntl.LOCK_EX | fcntl.LOCK_NB)
                break
            except OSError as exc:
                if exc.errno not in (errno.EAGAIN, errno.EACCES) or time.monotonic() > give_up_at:
                    raise KehoachError(
                        "một tiến trình kehoach khác đang ghi dữ liệu; hãy thử lại sau ít phút") from None
                time.sleep(0.05)
        yield
    finally:
        os.close(fd)


def write_derived(path: Path, version: int, value: Any) -> None:
    """A derived file is a cache: when it cannot be written, the next run just derives again."""
    try:
        path.parent.mkdir(parents=True, exist_ok=True)
        fd, tmp = tempfile.mkstemp(prefix=f".{path.stem}.", suffix=".tmp", dir=path.parent)
    except OSError:
        return
    try:
        with os.fdopen(fd, "wb") as handle:
            marshal.dump((version, value), handle)
        os.replace(tmp, path)
    except (OSError, ValueError):
        with contextlib.suppress(OSError):
            os.unlink(tmp)


def read_derived(path: Path, version: int) -> Any:
    """The value `write_derived` stored with this version, or None. Callers still check its shape:
    a file of the right version can be damaged."""
    try:
        stored_version, value = marshal.loads(path.read_bytes())
    except (OSError, EOFError, ValueError, TypeError):
        return None
    return value if stored_version == version else None
