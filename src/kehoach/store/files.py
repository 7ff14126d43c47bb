"""Writing files so that nothing is ever half-written, one writer at a time, and derived files.

- `atomic_write` / `replacing`: write to a temporary file, fsync, rename over the target; a reader or a
  crash sees the old file or the new one, never half of one. Every file kehoach writes goes through
  here, and a failure of the disk comes out as a Vietnamese `DiskError` naming the file.
- `write_lock`: one writer at a time across the kehoach processes that share a tracker; the others
  wait (up to LOCK_TIMEOUT_S) instead of failing.
- `write_derived` / `read_derived`: the files of `.kehoach-cache/`, a version number and a value in
  marshal (never pickle: loading a file found on a shared drive must never run code), behind a
  checksum of their bytes. Any failure to write leaves the old file or none; a missing, damaged,
  tampered or other-version file reads as None.

kehoach's own files (the lock, the temporary files of the tracker's writes, the caches) live in
`.kehoach-cache/`, which carries a `.gitignore` of `*`, as pytest's and ruff's caches do: git never
sees them, in a tracker made by `kehoach init` or by hand.
"""

from __future__ import annotations

import contextlib
import errno
import fcntl
import hashlib
import marshal
import os
import tempfile
import time
from collections.abc import Iterator
from pathlib import Path
from typing import Any

from kehoach.errors import KehoachError, os_error_message
from kehoach.store.layout import CACHE_DIR, cache_dir, display_path

LOCK_NAME = "write.lock"
LOCK_TIMEOUT_S = 60.0
SCRATCH_DIR = "tmp"
"""The temporary files of the tracker's own writes, renamed into place on the same disk."""
OWN_FOLDER_IGNORE = "# Tệp do kehoach tự tạo lại; git không theo dõi thư mục này.\n*\n"

_DERIVED_MAGIC = b"KHC1"
_DIGEST_SIZE = 16


class DiskError(KehoachError):
    """The disk or the folder refused a write: full, read-only, a file where a folder should be."""


class LockTimeout(KehoachError):
    """Another kehoach process kept the tracker's write lock longer than we wait."""


def own_folder(data_dir: Path) -> Path:
    """`.kehoach-cache/` of a tracker, created with its `.gitignore` the first time it is needed."""
    folder = cache_dir(data_dir)
    _ensure_ignored(folder)
    return folder


def _ensure_ignored(folder: Path) -> None:
    folder.mkdir(parents=True, exist_ok=True)
    ignore = folder / ".gitignore"
    if not ignore.exists():
        with contextlib.suppress(OSError):
            ignore.write_text(OWN_FOLDER_IGNORE, encoding="utf-8")


def scratch_dir(data_dir: Path) -> Path:
    return own_folder(data_dir) / SCRATCH_DIR


@contextlib.contextmanager
def replacing(path: Path, scratch: Path | None = None) -> Iterator[str]:
    """A temporary file for the caller to fill, beside `path` or in `scratch` (a folder on the same
    disk); renamed over `path` when the block ends without an error, removed otherwise. Keeps the mode
    of the file it replaces (0644 for a new one). An OSError becomes a DiskError naming `path`."""
    tmp_name = None
    try:
        path.parent.mkdir(parents=True, exist_ok=True)
        folder = scratch if scratch is not None else path.parent
        folder.mkdir(parents=True, exist_ok=True)
        fd, tmp_name = tempfile.mkstemp(prefix=f".{path.name}.", suffix=".tmp", dir=folder)
        os.close(fd)
        yield tmp_name
        with open(tmp_name, "rb+") as handle:
            os.fsync(handle.fileno())
        mode = path.stat().st_mode & 0o777 if path.exists() else 0o644
        os.chmod(tmp_name, mode)
        os.replace(tmp_name, path)
        tmp_name = None
        dir_fd = os.open(path.parent, os.O_RDONLY)
        try:
            os.fsync(dir_fd)
        finally:
            os.close(dir_fd)
    except OSError as exc:
        if exc.errno == errno.EEXIST:  # a file stands where a folder of the path should be
            exc = OSError(errno.ENOTDIR, "not a directory")
        raise DiskError(os_error_message(exc, display_path(path))) from None
    finally:
        if tmp_name is not None:
            with contextlib.suppress(OSError):
                os.unlink(tmp_name)


def atomic_write(path: Path, content: str | bytes, scratch: Path | None = None) -> None:
    """Text is written as UTF-8 with LF line ends; bytes (a workbook) as they are."""
    data = content.encode("utf-8") if isinstance(content, str) else content
    with replacing(path, scratch) as tmp_name, open(tmp_name, "wb") as handle:
        handle.write(data)


def remove_file(path: Path) -> None:
    """Remove a file kehoach wrote (a status file emptied by an undo); a missing one is fine."""
    try:
        path.unlink(missing_ok=True)
    except OSError as exc:
        raise DiskError(os_error_message(exc, display_path(path))) from None


@contextlib.contextmanager
def write_lock(data_dir: Path, timeout: float | None = None) -> Iterator[None]:
    """Hold the tracker's write lock for the block: the write of its files and their commit.

    flock is released by the kernel when its holder dies, even by kill -9, so a lock never outlives
    its process."""
    timeout = LOCK_TIMEOUT_S if timeout is None else timeout
    try:
        fd = os.open(own_folder(data_dir) / LOCK_NAME, os.O_RDWR | os.O_CREAT, 0o644)
    except OSError as exc:
        raise DiskError(os_error_message(exc, display_path(cache_dir(data_dir) / LOCK_NAME))) from None
    try:
        give_up_at = time.monotonic() + timeout
        while True:
            try:
                fcntl.flock(fd, fcntl.LOCK_EX | fcntl.LOCK_NB)
                break
            except OSError as exc:
                if exc.errno not in (errno.EAGAIN, errno.EACCES) or time.monotonic() > give_up_at:
                    raise LockTimeout(
                        f"một tiến trình kehoach khác đang ghi dữ liệu vào bộ theo dõi này và chưa xong sau "
                        f"{timeout:.0f} giây; chưa ghi gì, hãy thử lại sau ít phút") from None
                time.sleep(0.02)
        yield
    finally:
        os.close(fd)


def _checked(payload: bytes) -> bytes:
    return _DERIVED_MAGIC + hashlib.blake2b(payload, digest_size=_DIGEST_SIZE).digest() + payload


def _unchecked(data: bytes) -> bytes | None:
    head = len(_DERIVED_MAGIC) + _DIGEST_SIZE
    if len(data) < head or not data.startswith(_DERIVED_MAGIC):
        return None
    payload = data[head:]
    if hashlib.blake2b(payload, digest_size=_DIGEST_SIZE).digest() != data[len(_DERIVED_MAGIC):head]:
        return None
    return payload


def write_derived(path: Path, version: int, value: Any) -> bool:
    """A derived file is a cache: when it cannot be written, the next run just derives again (False)."""
    try:
        data = _checked(marshal.dumps((version, value)))
        for folder in (path.parent, *path.parents):
            if folder.name == CACHE_DIR:
                _ensure_ignored(folder)
                break
        path.parent.mkdir(parents=True, exist_ok=True)
        fd, tmp = tempfile.mkstemp(prefix=f".{path.stem}.", suffix=".tmp", dir=path.parent)
    except (OSError, ValueError):
        return False
    try:
        with os.fdopen(fd, "wb") as handle:
            handle.write(data)
        os.replace(tmp, path)
    except OSError:
        with contextlib.suppress(OSError):
            os.unlink(tmp)
        return False
    return True


def read_derived(path: Path, version: int) -> Any:
    """The value `write_derived` stored with this version, or None when the file is missing, damaged
    (its checksum disagrees) or of another version. Callers still check its shape: a file can be
    replaced whole by one of the right checksum."""
    try:
        payload = _unchecked(path.read_bytes())
        if payload is None:
            return None
        stored = marshal.loads(payload)
    except (OSError, EOFError, ValueError, TypeError):
        return None
    if not isinstance(stored, tuple) or len(stored) != 2:
        return None
    stored_version, value = stored
    return value if stored_version == version else None


def derived_bytes(stored: Any) -> bytes:
    """The bytes `write_derived` writes for `(version, value)`: for a file that must reach the disk
    (written with `atomic_write`), and for tests that forge a well-checked entry of the wrong shape."""
    return _checked(marshal.dumps(stored))


def derived_payload(path: Path) -> Any:
    """What a derived file holds, `(version, value)`, unchecked against any version; None if damaged."""
    payload = _unchecked(path.read_bytes())
    return None if payload is None else marshal.loads(payload)
