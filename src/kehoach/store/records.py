"""Loading status records. The YAML in git is the source of truth; this is the one door to it.

Parsing 70,000 records of YAML takes seconds; a derived cache of the parsed records, one entry per
status file, brings a warm load down to milliseconds. The cache lives in
`<data_dir>/.kehoach-cache/records/YEAR.marshal` (git ignores it) and is never trusted blindly:

- every file a command reads is read and hashed (SHA-256, which the CPU computes in hardware: ~11 ms
  for the 17 MB of a ten-year province); an entry is used only when size, mtime and content hash all
  match, so an edit that keeps size and mtime (a `git checkout`, a restored backup, a clock set back)
  is still seen. A stat-only key would be cheaper but trusts the file system's clocks;
- the question "is this the data I saw before?" (`Snapshot.year_fingerprints`, which the slot index
  asks before reading any file) is answered from each file's git blob id: remembered from the last
  read while the file's stat data are exactly as they were then (`known_ids`, the way git trusts its
  index), else, where many files are new and the command passes `content_ids` (git's index, see
  `git.fingerprint`), taken from git, else read and hashed here. All give the same bytes for the same
  files, so the answer never depends on which way was asked; a file `known_ids` vouches for whose
  cache entry has its hash is not even opened;
- it is versioned (FORMAT): a different version, an unreadable or corrupt file is ignored and rebuilt;
- it is written atomically (temporary file, rename) and only when something changed;
- deleting it changes no result, only the time the next run takes.

Layout, chosen for what commands read and write. One file per year folder, so a command about one
year or one unit reads only that year's entries, and the `check` after a `record` rewrites only the
year it changed (one file of ~1 MB, not the ~10 MB of a ten-year province). An entry
holds its records as columns (task, unit, period, status, done_on) and keeps the long text fields
(evidence, note, who, when, line) in one more blob, unpacked only when whole records are wanted:
`tally` counts slots from the columns alone.

Parsing runs with the garbage collector paused: the YAML composer makes millions of short-lived
objects and the collector's passes over them cost more than the parse itself.
"""

from __future__ import annotations

import contextlib
import functools
import gc
import hashlib
import marshal
import os
import re
import sys
from collections.abc import Callable, Collection, Iterator
from pathlib import Path
from typing import Any, NamedTuple

from kehoach.domain.model import Record
from kehoach.errors import DataFileError, Problem
from kehoach.store.files import read_derived, write_derived
from kehoach.store.known_ids import Ids, KnownIds, clock_ns
from kehoach.store.layout import display_path, status_cache_dir
from kehoach.store.pool import may_start_workers, pool_options, usable_cores
from kehoach.store.progress import PARSING_PROGRESS
from kehoach.store.record_rows import Row, from_rows, to_row
from kehoach.store.status_files import parse_status_text
from kehoach.store.yaml_fast import decode_text

RECORDS_DIR = "records"
LEGACY_FILE = "records.marshal"
"""The one-file layout of kehoach 0.1.0, removed when a run has read every year."""
FORMAT = 4
"""Bump whenever the entry layout, Record/Problem fields or the parsing rules change."""

_YEAR_DIR = re.compile(r"^\d{4}$")

ASK_GIT_FROM = 64
"""Files new to `known_ids` above which git's index is asked for their ids rather than each read."""

SLOW_PARSE = 200
"""Files parsed before the run counts as slow and starts telling `progress.PARSING_PROGRESS`."""

# One entry per file: (size, mtime_ns, digest, columns, problems). Columns are tuples of builtins
# (marshal handles nothing else): tasks, units, periods, statuses, done_on as ordinals (0 = none), and
# `details`, the marshalled tuple of (evidence, note, recorded_on ordinal, recorded_by, line, col).
Columns = tuple[tuple[str, ...], tuple[str, ...], tuple[str, ...], tuple[str, ...], tuple[int, ...], bytes]
_Entry = tuple[int, int, bytes, Columns, list[tuple[Any, ...]]]


def records_dir(status_dir: Path) -> Path:
    return status_cache_dir(status_dir) / RECORDS_DIR


def cache_path(status_dir: Path, year: str) -> Path:
    """The cache file of one year folder (its name matches `_YEAR_DIR`: four digits)."""
    return records_dir(status_dir) / f"{year}.marshal"


class StoredFile(NamedTuple):
    """One status file as the cache knows it: where it is, its records as columns, its problems."""

    key: str
    """`YEAR/UNIT.yaml`, the same on every machine."""
    shown: str
    """The path printed in messages (relative to the current folder)."""
    columns: Columns
    problems: list[Problem]

    def records(self) -> list[Record]:
        return from_rows(self.rows(), self.shown)

    def rows(self, wanted: Collection[int] | None = None) -> list[Row]:
        """Whole records as `record_rows` rows (all of them, or those at the `wanted` positions)."""
        tasks, units, periods, statuses, dones, details = self.columns
        extra = marshal.loads(details)
        picked = range(len(tasks)) if wanted is None else sorted(wanted)
        return [(tasks[i], units[i], periods[i], statuses[i], dones[i], *extra[i]) for i in picked]


class _Read(NamedTuple):
    """A status file read and hashed in this run."""

    key: str
    raw: bytes
    info: os.stat_result
    """Its stat data, taken on the open file."""
    read_at: int
    """The clock before the file was opened (`known_ids.remember`)."""
    ids: Ids

    @property
    def mtime_ns(self) -> int:
        return self.info.st_mtime_ns

    @property
    def digest(self) -> bytes:
        return self.ids.sha256


ContentIds = Callable[[Path], "dict[str, bytes] | None"]
"""For a status folder: `YEAR/NAME.yaml` -> the git blob id (`blob_id`) of each file whose current
bytes someone already knows (git's index: `git.fingerprint.index_content_ids`); None: nobody does."""


def blob_id(raw: bytes) -> bytes:
    """git's content id of these bytes (SHA-1 over "blob SIZE\\0" and the bytes), so a file hashed here
    and a file git vouches for give the same fingerprint."""
    digest = hashlib.sha1(b"blob %d\0" % len(raw), usedforsecurity=False)
    digest.update(raw)
    return digest.digest()


class Snapshot:
    """Every status file of the tracker (or of some years and units), as it is in this run.

    `year_fingerprints` answer "is this the data I saw before?" from every file's content id (git's
    where `content_ids` knows it, else by reading and hashing the file); `files` gives the parsed
    files, unpacked from the cache or parsed where a file changed."""

    def __init__(self, status_dir: Path, years: Collection[int | str] | None = None,
                 units: Collection[str] | None = None, content_ids: ContentIds | None = None,
                 known: KnownIds | None = None) -> None:
        """`known`: another snapshot's `known` of the same folder, so a run loads it once."""
        self.status_dir = status_dir
        if known is not None:
            self.known = known
        self._content_ids = content_ids
        self._complete = years is None and units is None
        self._units = units
        self._listed = _list_files(status_dir, years, units)
        self._files: list[StoredFile] | None = None
        self._resolved: dict[str, bytes] = {}

    @functools.cached_property
    def known(self) -> KnownIds:
        return KnownIds(self.status_dir)

    @functools.cached_property
    def year_fingerprints(self) -> dict[str, bytes]:
        """Year folder -> one hash over its files' names and bytes: equal fingerprints, equal data."""
        return self._fingerprints()

    def resolved_year_fingerprints(self) -> dict[str, bytes]:
        """`year_fingerprints` of the bytes `files` parsed: what is derived from `files` belongs to the
        years where the two agree (a file edited during the run makes its year belong to neither)."""
        self.files()
        return self._resolved

    def _fingerprints(self) -> dict[str, bytes]:
        """One hash a year over its files' names and content ids. A file is read only when nobody
        vouches for its id: not `known_ids` (unchanged since this tracker last read it), nor git's
        index, asked only when many files are new to `known_ids` (a fresh clone), as asking costs
        what reading a few hundred files does."""
        known = self.known
        oids: dict[str, bytes] = {}
        unknown = []
        for year, name, path in self._listed:
            key = f"{year}/{name}"
            ids = known.vouched(key, path)
            if ids is None:
                unknown.append((key, path))
            else:
                oids[key] = ids.blob
        from_git = ((self._content_ids(self.status_dir) if self._content_ids is not None
                     and len(unknown) > ASK_GIT_FROM else None) or {})
        for key, path in unknown:
            oid = from_git.get(key)
            if oid is not None:
                # git checked these very stat data against its blob (`git.fingerprint`); the records
                # cache's hash is still unknown, so `files` reads the file once.
                with contextlib.suppress(OSError):
                    known.remember(key, os.lstat(path), Ids(oid, b""), clock_ns())
            else:
                read = _read(key, path)
                if read is None:
                    continue  # vanished since listed: as if it had not been listed
                oid = read.ids.blob
                known.remember(key, read.info, read.ids, read.read_at)
            oids[key] = oid
        if self._complete:
            known.keep_only(set(oids))
        known.save()
        # The bytes `_resolve` hashes file by file, joined: one update a year.
        hashed: dict[str, list[bytes]] = {}
        for year, name, _path in self._listed:
            oid = oids.get(f"{year}/{name}")
            if oid is not None:
                hashed.setdefault(year, []).extend((_fingerprint_name(year, name), oid))
        fingerprints = {}
        for year, parts in hashed.items():
            digest = _fingerprint_hash()
            digest.update(b"".join(parts))
            fingerprints[year] = digest.digest()
        return fingerprints

    def files(self) -> list[StoredFile]:
        if self._files is None:
            self._files = self._resolve()
        return self._files

    def _resolve(self) -> list[StoredFile]:
        store = _Store(records_dir(self.status_dir), complete=self._complete)
        known = self.known
        base = display_path(self.status_dir)
        found: list[tuple[str, str, str, str, bytes]] = []  # (year, name, key, shown, blob) a file listed
        entries: list[_Entry | None] = []  # aligned with `found`; None until the file is parsed
        unparsed: list[_Unparsed] = []
        with _gc_paused():
            for year, name, path in self._listed:
                key = f"{year}/{name}"
                shown = key if base == "." else os.path.join(base, key)
                cached = store.cached(year, name)
                ids = known.vouched(key, path)
                if ids is not None and cached is not None and cached[2] == ids.sha256:
                    found.append((year, name, key, shown, ids.blob))  # unchanged since read
                    entries.append(cached)
                    continue
                read = _read(key, path)
                if read is None:  # vanished between listing and reading: as if it had not been listed
                    continue
                known.remember(key, read.info, read.ids, read.read_at)
                found.append((year, name, key, shown, read.ids.blob))
                if cached is not None and cached[:3] == (len(read.raw), read.mtime_ns, read.digest):
                    entries.append(cached)  # the same bytes as cached
                else:
                    unparsed.append((len(entries), read.raw, read.mtime_ns, read.digest, shown))
                    entries.append(None)
            for at, parsed in _parse_all(unparsed, len(found)):
                entries[at] = parsed
            result = []
            digests: dict[str, Any] = {}  # of the bytes read here, as `_fingerprints` hashes them
            for (year, name, key, shown, blob), entry in zip(found, entries, strict=True):
                assert entry is not None
                digest = digests.get(year)
                if digest is None:
                    digest = digests[year] = _fingerprint_hash()
                digest.update(_fingerprint_name(year, name))
                digest.update(blob)
                store.keep(year, name, entry, complete_year=self._units is None)
                _size, _mtime, _digest, columns, problems = entry
                result.append(StoredFile(key, shown, columns, [Problem(shown, *p) for p in problems]))
        store.save()
        known.save()
        self._resolved = {year: digest.digest() for year, digest in digests.items()}
        return result


_Unparsed = tuple[int, bytes, int, bytes, str]
"""A file to parse: its place in the listing, its bytes, mtime_ns, content hash, and shown path."""

PARSE_ON_EVERY_CORE = 400
"""Files to parse from which a first run parses them on every core: below it, starting the workers
costs more than it saves."""


def _parse_all(unparsed: list[_Unparsed], listed: int) -> Iterator[tuple[int, _Entry]]:
    """(place, entry) of each file to parse, in the order given, telling `progress.PARSING_PROGRESS` as they
    come when the run is slow: (files done, files listed), the files found in the cache counted done."""
    tell = PARSING_PROGRESS.get()
    done = listed - len(unparsed)
    workers = usable_cores() if len(unparsed) >= PARSE_ON_EVERY_CORE else 1
    if workers >= 2 and may_start_workers():
        from concurrent.futures import ProcessPoolExecutor  # not imported by a run with nothing to parse

        # A few batches a worker: an even share of the work, and a bar that moves.
        size = -(-len(unparsed) // (4 * workers))
        batches = [unparsed[i:i + size] for i in range(0, len(unparsed), size)]
        with ProcessPoolExecutor(workers, **pool_options()) as pool:
            for batch, entries in zip(batches, pool.map(_parse_batch, batches), strict=True):
                yield from zip((item[0] for item in batch), map(_interned, entries), strict=True)
                done += len(batch)
                if tell is not None:
                    tell(done, listed)
        return
    for parsed, item in enumerate(unparsed, 1):
        yield item[0], _parse_entry(item)
        done += 1
        if tell is not None and parsed >= SLOW_PARSE and (parsed % 50 == 0 or parsed == len(unparsed)):
            tell(done, listed)


def _parse_batch(batch: list[_Unparsed]) -> list[_Entry]:
    with _gc_paused():
        return [_parse_entry(item) for item in batch]


def _interned(entry: _Entry) -> _Entry:
    """An entry made in a worker with its ids interned here, as `_columns` does: strings come back from
    a worker as copies, and the cache would store each copy in full."""
    size, mtime_ns, digest, (tasks, units, periods, statuses, dones, details), problems = entry
    intern = sys.intern
    return (size, mtime_ns, digest, (tuple(map(intern, tasks)), tuple(map(intern, units)),
                                     tuple(map(intern, periods)), tuple(map(intern, statuses)), dones, details),
            problems)


def _parse_entry(item: _Unparsed) -> _Entry:
    _at, raw, mtime_ns, digest, shown = item
    found, bad = _parse(raw, shown)
    return (len(raw), mtime_ns, digest, _columns(found), [(p.line, p.col, p.message, p.field) for p in bad])


def _fingerprint_hash() -> Any:
    return hashlib.sha256(FORMAT.to_bytes(2, "big") + b"git-blob")


def _fingerprint_name(year: str, name: str) -> bytes:
    return f"\0{year}/{name}\0".encode()


def load_records(status_dir: Path, years: Collection[int] | None = None,
                 units: Collection[str] | None = None, skip_broken: bool = False,
                 ) -> tuple[list[Record], list[Problem]]:
    """Records and problems of the status files, or only of the files of these years and units.
    With `skip_broken`, a file with problems gives no record at all (its problems are still returned):
    half of a broken file is worse than none of it.

    A unit's records live in status/YEAR/UNIT.yaml and nowhere else (`validate` reports one that
    does not), so a command about one unit or one year reads only those files."""
    records: list[Record] = []
    problems: list[Problem] = []
    with _gc_paused():
        for stored in Snapshot(status_dir, years, units).files():
            if not (skip_broken and stored.problems):
                records += stored.records()
            problems += stored.problems
    # These objects live as long as the command: move them out of the collector's sight, so that the
    # slots built from them next do not pay for walking them again and again.
    gc.freeze()
    return records, problems


def current_records(status_dir: Path, years: Collection[int] | None = None,
                    units: Collection[str] | None = None, skipped: list[Problem] | None = None,
                    ) -> dict[tuple[str, str, str], Record]:
    """Every record by (task, unit, period), or those of the files of some years and units (records of
    a period of year Y for unit U live in status/Y/U.yaml; `validate` reports one found elsewhere).

    A broken status file stops a command that writes (`skipped` is None): it must not build on half
    the data. A command that only reads passes a list: the broken files are left out and their
    problems added to it, for the command to say which files it skipped."""
    records, problems = load_records(status_dir, years, units, skip_broken=skipped is not None)
    if problems:
        if skipped is None:
            raise DataFileError(*problems)
        skipped += problems
    return {r.key: r for r in records}


def _list_files(status_dir: Path, years: Collection[int | str] | None,
                units: Collection[str] | None) -> list[tuple[str, str, str]]:
    """(year folder, file name, path) of the status files, in the order of `statusfiles.status_files`.
    Paths stay strings: a Path object per file costs more than reading the file."""
    wanted_years = None if years is None else {str(y) for y in years}
    wanted_names = None if units is None else {f"{u}.yaml" for u in units}
    found = []
    for year in _names(str(status_dir), folders=True):
        if _YEAR_DIR.match(year) is None or (wanted_years is not None and year not in wanted_years):
            continue
        folder = f"{status_dir}/{year}"
        found += [(year, name, f"{folder}/{name}") for name in _names(folder, folders=False)
                  if name.endswith(".yaml") and (wanted_names is None or name in wanted_names)]
    return found


def _names(folder: str, folders: bool) -> list[str]:
    """Sorted names of the sub-folders (or files) of a folder; scandir tells them apart without a stat
    call per entry."""
    try:
        with os.scandir(folder) as entries:
            return sorted(e.name for e in entries if (e.is_dir() if folders else e.is_file()))
    except (FileNotFoundError, NotADirectoryError):
        return []


def _read(key: str, path: str) -> _Read | None:
    read_at = clock_ns()
    try:
        fd = os.open(path, os.O_RDONLY)
    except FileNotFoundError:
        return None
    try:
        info = os.fstat(fd)
        raw = _read_all(fd, info.st_size)
    finally:
        os.close(fd)
    return _Read(key, raw, info, read_at, Ids(blob_id(raw), hashlib.sha256(raw).digest()))


def _read_all(fd: int, size: int) -> bytes:
    """One read for a file of the size fstat gave (the rule); more only if it grew meanwhile."""
    first = os.read(fd, size + 1)
    if len(first) == size:
        return first
    chunks = [first]
    while chunk := os.read(fd, 65536):
        chunks.append(chunk)
    return b"".join(chunks)


def _parse(raw: bytes, shown: str) -> tuple[list[Record], list[Problem]]:
    try:
        text = decode_text(raw, shown)
    except DataFileError as exc:
        return [], list(exc.problems)
    return parse_status_text(text, shown)


def _columns(records: list[Record]) -> Columns:
    # Interned strings are written once and referred to after, so the repeated ids cost nothing to load.
    intern = sys.intern
    rows = [to_row(r) for r in records]
    return (tuple(intern(r[0]) for r in rows), tuple(intern(r[1]) for r in rows),
            tuple(intern(r[2]) for r in rows), tuple(intern(r[3]) for r in rows), tuple(r[4] for r in rows),
            marshal.dumps(tuple(r[5:] for r in rows)))


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


class _Store:
    """The cache files: one per year folder, {file name: entry}, read when the year is first asked.

    What a run read replaces what the cache held: every year's file when every file was listed (years
    gone from disk lose theirs), a year's file when that year was listed, single entries when only
    some units' files were."""

    def __init__(self, folder: Path, complete: bool) -> None:
        self.folder = folder
        self.complete = complete
        self.old: dict[str, dict[str, _Entry]] = {}
        self.stored: set[str] = set()  # years whose file was read whole and valid
        self.new: dict[str, dict[str, _Entry]] = {}
        self.partial: set[str] = set()

    def cached(self, year: str, name: str) -> _Entry | None:
        if year not in self.old:
            entries = _read_year(self.folder / f"{year}.marshal")
            if entries is not None:
                self.stored.add(year)
            self.old[year] = entries or {}
        entry = self.old[year].get(name)
        # Only an entry of the right shape is compared with the file (a damaged one is parsed again).
        return entry if type(entry) is tuple and len(entry) == 5 else None

    def keep(self, year: str, name: str, entry: _Entry, complete_year: bool) -> None:
        self.new.setdefault(year, {})[name] = entry
        if not complete_year:
            self.partial.add(year)

    def save(self) -> None:
        for year, entries in self.new.items():
            old = self.old[year]
            if year in self.partial:
                entries = {**old, **entries}
            # Unchanged entries are the very objects read, so this comparison is cheap.
            if entries != old or year not in self.stored:
                write_derived(self.folder / f"{year}.marshal", FORMAT, dict(sorted(entries.items())))
        if self.complete:
            self._forget_others()

    def _forget_others(self) -> None:
        """Years no longer on disk, and the cache of the old one-file layout."""
        with contextlib.suppress(OSError):
            for path in self.folder.iterdir():
                if path.suffix == ".marshal" and path.stem not in self.new:
                    path.unlink()
        with contextlib.suppress(OSError):
            (self.folder.parent / LEGACY_FILE).unlink()


def _read_year(path: Path) -> dict[str, _Entry] | None:
    """A year's cached entries, or None when the file is missing, of another format, or damaged."""
    entries = read_derived(path, FORMAT)
    return entries if isinstance(entries, dict) else None
