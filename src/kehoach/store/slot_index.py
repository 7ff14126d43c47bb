"""The slot index: status records grouped by (task, period), what `tally` counts from.

Per group: the units that recorded, a one-letter status code per unit, done_on ordinals, and the whole
record row only for the open ones. It lives in `.kehoach-cache/slots.marshal`, one part per year
folder keyed on the fingerprint of that folder's files (read and hashed in each run, see `records`),
so it is never stale: a `record` changes one file, and the next `check` rebuilds only that year's
part from that year's files. Deleting it changes no result.
"""

from __future__ import annotations

import os
from array import array
from pathlib import Path

from kehoach.domain.model import Record
from kehoach.domain.tally import Groups, OpenRecord, ReadOpen
from kehoach.store.files import read_derived, write_derived
from kehoach.store.layout import display_path, status_cache_dir
from kehoach.store.record_rows import from_rows
from kehoach.store.records import Snapshot, StoredFile

INDEX_FILE = "slots.marshal"
FORMAT = 3
"""Bump whenever the index layout changes."""

_CODES = {"chua-thuc-hien": "c", "dang-thuc-hien": "d", "hoan-thanh": "h", "khong-ap-dung": "k"}
_OPEN = {"chua-thuc-hien", "dang-thuc-hien"}


def index_path(status_dir: Path) -> Path:
    return status_cache_dir(status_dir) / INDEX_FILE


def slot_groups(snap: Snapshot) -> Groups | None:
    """The groups of the data this snapshot read; None when a file has problems (commands refuse it).

    Stored by year folder: the parts of the years whose files are unchanged are reused, the others
    are built from their own files. Groups are keyed by (task, period) and a period's records live in
    its year's folder, so the parts do not overlap; when they do (a record filed under another year),
    the whole index is built from every file, in file order, as before."""
    path = index_path(snap.status_dir)
    wanted = snap.year_fingerprints
    stored = _read_index(path)
    parts = {year: stored[year][1] for year, fingerprint in wanted.items()
             if year in stored and stored[year][0] == fingerprint}
    changed = sorted(set(wanted) - set(parts))
    if changed:
        part = Snapshot(snap.status_dir, years=changed, known=snap.known)
        by_year: dict[str, list[StoredFile]] = {year: [] for year in changed}
        for stored_file in part.files():
            by_year[stored_file.key.partition("/")[0]].append(stored_file)
        if part.resolved_year_fingerprints() != {year: wanted[year] for year in changed}:
            return _whole(snap)  # a file changed while we read it: derive from what this run saw
        for year in changed:
            files = by_year[year]
            parts[year] = None if any(f.problems for f in files) else _build(files)
        write_derived(path, FORMAT, {year: (wanted[year], parts[year]) for year in wanted})
    groups: Groups = {}
    for year in sorted(parts):
        found = parts[year]
        if found is None:
            return None
        if not groups.keys().isdisjoint(found):
            return _whole(snap)
        groups.update(found)
    return groups


def _whole(snap: Snapshot) -> Groups | None:
    files = snap.files()
    return None if any(f.problems for f in files) else _build(files)


def _read_index(path: Path) -> dict[str, tuple[bytes, Groups | None]]:
    parts = read_derived(path, FORMAT)
    if not isinstance(parts, dict):
        return {}
    return {year: part for year, part in parts.items() if isinstance(year, str) and isinstance(part, tuple)
            and len(part) == 2 and isinstance(part[0], bytes) and (part[1] is None or isinstance(part[1], dict))}


def _build(files: list[StoredFile]) -> Groups:
    # (task, period) -> unit -> (status, done_on ordinal, file position, record position). A later record
    # for the same slot replaces an earlier one, as `records.current_records` does.
    found: dict[tuple[str, str], dict[str, tuple[str, int, int, int]]] = {}
    wanted: dict[int, set[int]] = {}  # positions of open records, by file: their whole rows are kept
    for at, stored in enumerate(files):
        tasks, units, periods, statuses, dones, _ = stored.columns
        columns = zip(range(len(tasks)), tasks, units, periods, statuses, dones, strict=True)
        for i, task, unit, period, status, done in columns:
            group = found.get((task, period))
            if group is None:
                group = found[(task, period)] = {}
            group[unit] = (status, done, at, i)
            if status in _OPEN:
                wanted.setdefault(at, set()).add(i)
    rows = {at: dict(zip(sorted(picked), files[at].rows(picked), strict=True)) for at, picked in wanted.items()}
    groups: Groups = {}
    for key, group in found.items():
        values = list(group.values())
        groups[key] = (
            tuple(group),
            "".join([_CODES[v[0]] for v in values]),
            array("i", [v[1] for v in values]).tobytes(),
            array("i", sorted([v[1] for v in values if v[0] == "hoan-thanh"])).tobytes(),
            {unit: (files[at].key, rows[at][i]) for unit, (status, _, at, i) in group.items() if status in _OPEN},
        )
    return groups


def open_record_reader(status_dir: Path) -> ReadOpen:
    """Whole records of open slots from the index's rows, with the path `records` shows for their
    file, so messages and --format json agree whichever path counted."""
    base = display_path(status_dir)
    shown: dict[str, str] = {}

    def read(opened: OpenRecord) -> Record:
        key, row = opened
        path = shown.get(key)
        if path is None:
            path = shown[key] = key if base == "." else os.path.join(base, key)
        return from_rows([row], path)[0]

    return read
