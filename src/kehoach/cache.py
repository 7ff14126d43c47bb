"""Loading every status record. The YAML in git is the source of truth; this is the one door to it.

Parsing 70,000 records of YAML takes seconds; a derived cache of the parsed records, one entry per
status file, brings a warm load down to a few tens of milliseconds. The cache lives in
`<data_dir>/.kehoach-cache/` (git ignores it) and is never trusted blindly:

- every run reads every status file and hashes its bytes (BLAKE2b); an entry is used only when
  size, mtime and content hash all match, so an edit that keeps size and mtime (a `git checkout`, a
  restored backup, a clock set back) is still seen. Reading and hashing 1,850 files (15 MB) costs
  ~35 ms, a price worth paying for never showing stale data: a stat-only key (size, mtime, inode)
  would save that but trusts the file system's clocks.
- it is versioned (FORMAT): a different version, an unreadable or corrupt file is ignored and rebuilt;
- it is written atomically (temporary file, rename) and only when something changed;
- deleting it changes no result, only the time the next run takes.

Parsing runs with the garbage collector paused: the YAML composer makes millions of short-lived
objects and the collector's passes over them cost more than the parse itself.
"""

from __future__ import annotations

import contextlib
import gc
import hashlib
import marshal
import os
import tempfile
from collections.abc import Iterator
from pathlib import Path
from typing import Any

from kehoach.errors import Problem
from kehoach.model import Record, Source, Status

CACHE_DIR = ".kehoach-cache"
CACHE_FILE = "records.marshal"
FORMAT = 1
"""Bump whenever the entry layout, Record/Problem fields or the parsing rules change."""

# One entry per file: (size, mtime_ns, digest, records, problems), records and problems as plain tuples
# (marshal handles only builtins: dates travel as ordinals, a record's file is its entry's key).
_Entry = tuple[int, int, bytes, list[tuple[Any, ...]], list[tuple[Any, ...]]]
_STATUS = {s.value: s for s in Status}


def cache_path(status_dir: Path) -> Path:
    return status_dir.parent / CACHE_DIR / CACHE_FILE


def load_all_records(status_dir: Path) -> tuple[list[Record], list[Problem]]:
    from kehoach.statusfiles import status_files

    path = cache_path(status_dir)
    old = _read_cache(path)
    new: dict[str, _Entry] = {}
    records: list[Record] = []
    problems: list[Problem] = []
    base = _display_base(status_dir)
    with _gc_paused():
        for file in status_files(status_dir):
            key = f"{file.parent.name}/{file.name}"
            shown = key if base == "." else os.path.join(base, key)
            entry = _entry(file, shown, old.get(key))
            if entry is None:  # vanished between listing and reading: as if it had not been listed
                continue
            new[key] = entry
            records += _records(entry[3], shown)
            problems += [Problem(shown, *p) for p in entry[4]]
    if new != old:
        _write_cache(path, new)
    # These objects live as long as the command: move them out of the collector's sight, so that the
    # slots built from them next do not pay for walking them again and again.
    gc.freeze()
    return records, problems


def _display_base(status_dir: Path) -> str:
    from kehoach.tracker import display_path

    return display_path(status_dir)


def _entry(file: Path, shown: str, cached: _Entry | None) -> _Entry | None:
    try:
        fd = os.open(file, os.O_RDONLY)
    except FileNotFoundError:
        return None
    try:
        info = os.fstat(fd)
        raw = _read_all(fd, info.st_size)
    finally:
        os.close(fd)
    digest = hashlib.blake2b(raw, digest_size=16).digest()
    if cached is not None and cached[0] == len(raw) and cached[1] == info.st_mtime_ns and cached[2] == digest:
        return cached
    found, bad = _parse(raw, shown)
    return (len(raw), info.st_mtime_ns, digest, [_record_tuple(r) for r in found],
            [(p.line, p.col, p.message, p.field) for p in bad])


def _read_all(fd: int, size_hint: int) -> bytes:
    chunks: list[bytes] = []
    while True:
        chunk = os.read(fd, max(size_hint, 65536) + 1)
        if not chunk:
            return b"".join(chunks)
        chunks.append(chunk)


def _parse(raw: bytes, shown: str) -> tuple[list[Record], list[Problem]]:
    from kehoach.errors import DataFileError
    from kehoach.statusfiles import parse_status_text
    from kehoach.yamlio import decode_text

    try:
        text = decode_text(raw, shown)
    except DataFileError as exc:
        return [], list(exc.problems)
    return parse_status_text(text, shown)


def _record_tuple(r: Record) -> tuple[Any, ...]:
    src = r.source or Source("")
    return (r.task, r.unit, r.period, r.status.value, r.done_on.toordinal() if r.done_on else 0, r.evidence,
            r.note, r.recorded_on.toordinal() if r.recorded_on else 0, r.recorded_by, src.line, src.col)


def _records(rows: list[tuple[Any, ...]], shown: str) -> list[Record]:
    import datetime as dt

    day = dt.date.fromordinal
    return [Record(task, unit, period, _STATUS[status], day(done) if done else None, evidence, note,
                   day(recorded) if recorded else None, by, Source(shown, line, col))
            for task, unit, period, status, done, evidence, note, recorded, by, line, col in rows]


@contextlib.contextmanager
def _gc_paused() -> Iterator[None]:
    """Nothing built while loading becomes garbage, so the collector's passes are pure cost."""
    enabled = gc.isenabled()
    gc.disable()
    try:
        yield
    finally:
        if enabled:
            gc.enable()


def _read_cache(path: Path) -> dict[str, _Entry]:
    """The cached entries, or none at all when the file is missing, of another format, or damaged."""
    try:
        raw = path.read_bytes()
    except OSError:
        return {}
    try:
        with _gc_paused():
            version, entries = marshal.loads(raw)
    except (EOFError, ValueError, TypeError):
        return {}
    if version != FORMAT or not isinstance(entries, dict):
        return {}
    return entries


def _write_cache(path: Path, entries: dict[str, _Entry]) -> None:
    """Atomic: a reader sees the old cache or the new one. A tracker on read-only media just has none."""
    try:
        path.parent.mkdir(exist_ok=True)
        fd, tmp = tempfile.mkstemp(prefix=".records.", suffix=".tmp", dir=path.parent)
    except OSError:
        return
    try:
        with os.fdopen(fd, "wb") as handle:
            marshal.dump((FORMAT, entries), handle)
        os.replace(tmp, path)
    except OSError:
        with contextlib.suppress(OSError):
            os.unlink(tmp)
