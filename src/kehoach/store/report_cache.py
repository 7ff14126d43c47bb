"""One source's part of a report over several (its count rows, overdue rows and slot rows), remembered
for the data it was computed from, so an unchanged province of 34 costs a lookup instead of a read of
its records and an evaluation of its 7,000 slots.

An entry lives in `.kehoach-cache/reports/` of the plan's status folder (`layout.status_cache_dir`), one
file a question (period, as-of day, scope), named by a hash of the question, and holds the data key
it was computed from: a hash of the plan and units files, of the fingerprint of the period's year
folder (`records.Snapshot.year_fingerprints`: git's content ids, or every file hashed) and of the
source of the modules that compute a report. A part is used only when the key is equal, so a record
added, a plan edited or a new kehoach version computes it again; a missing, damaged or
other-version file reads as no entry (`files.read_derived`), and an entry of the wrong shape is
ignored. Deleting the folder changes no output. At most KEEP questions are kept a plan (the oldest
go first): a clerk's daily run asks a new as-of day each day.

Slot rows are stored in chunks (CHUNK rows, each marshalled on its own), so a report that shows
none (the terminal) or a bounded number (the workbook's Chi tiết) unpacks only what it shows.
"""

from __future__ import annotations

import contextlib
import datetime as dt
import functools
import hashlib
import marshal
from collections.abc import Iterator
from pathlib import Path
from typing import Any, NamedTuple

from kehoach.domain.model import Category, Period
from kehoach.domain.report import CountRow, Report, ReportScope, SlotRow
from kehoach.store.files import read_derived, write_derived
from kehoach.store.layout import status_cache_dir

REPORTS_DIR = "reports"
FORMAT = 1
"""Bump whenever the entry layout changes."""
KEEP = 24
CHUNK = 1000

_DATES = (4, 11, 14)
"""Positions of deadline, done_on and recorded_on in a SlotRow: stored as ordinals (0: none)."""
_SLOT_WIDTH = len(SlotRow._fields) - 1
"""A stored slot row has every field but `source` (a part is one source's; the merge sets it)."""
_CATEGORIES = tuple(Category)


class Question(NamedTuple):
    """What a part answers, besides the data: the period, the as-of day and the scope."""

    period: Period
    as_of: dt.date
    scope: ReportScope

    def file_name(self) -> str:
        text = "\0".join((self.period.name, self.as_of.isoformat(), self.scope.kind, self.scope.id,
                          self.scope.name))
        return hashlib.blake2b(text.encode(), digest_size=16).hexdigest() + ".marshal"


class Stored(NamedTuple):
    """A part read back: its rows without the slot rows, and the slot rows still packed."""

    part: Report
    slot_chunks: tuple[bytes, ...]
    slot_count: int

    def with_slots(self, limit: int | None) -> Report:
        """The part with its first `limit` slot rows (None: all), unpacking only the chunks they are in."""
        wanted = self.slot_count if limit is None else min(max(limit, 0), self.slot_count)
        rows: list[SlotRow] = []
        for chunk in self.slot_chunks:
            if len(rows) >= wanted:
                break
            rows += [_slot(row) for row in marshal.loads(chunk)]
        self.part.slots = rows[:wanted]
        return self.part


def entry_path(status_dir: Path, question: Question) -> Path:
    return status_cache_dir(status_dir) / REPORTS_DIR / question.file_name()


def data_key(definition_files: list[bytes], year_fingerprints: dict[str, bytes]) -> bytes | None:
    """The key of the data a part is computed from; None when kehoach's source cannot be read (a zipped
    install): then nothing is cached."""
    try:
        version = _code_version()
    except OSError:
        return None
    digest = hashlib.sha256(FORMAT.to_bytes(2, "big") + version)
    for raw in definition_files:
        digest.update(hashlib.sha256(raw).digest())
    for year, fingerprint in sorted(year_fingerprints.items()):
        digest.update(f"\0{year}\0".encode() + fingerprint)
    return digest.digest()


@functools.cache
def _code_version() -> bytes:
    """The source of every module of the layers a part is computed in (domain: the rules, slots and
    counts; store: reading the records): a changed rule never meets a part of the old one."""
    package = Path(__file__).resolve().parent.parent
    digest = hashlib.sha256()
    for layer in ("domain", "store"):
        for path in sorted((package / layer).glob("*.py")):
            digest.update(path.name.encode() + b"\0" + path.read_bytes())
    return digest.digest()


def load(status_dir: Path, question: Question, key: bytes) -> Stored | None:
    """The part stored for this question from the data of this key; None when there is none, it was
    computed from other data, or the file is damaged or of the wrong shape."""
    value = read_derived(entry_path(status_dir, question), FORMAT)
    try:
        stored_key, head, chunks, count = value
        if stored_key != key or not isinstance(chunks, tuple) or not all(type(c) is bytes for c in chunks):
            return None
        part = _part(head, question)
        if type(count) is not int:
            return None
    except (TypeError, ValueError, IndexError, KeyError, AttributeError, EOFError):
        return None
    return Stored(part, chunks, count)


def save(status_dir: Path, question: Question, key: bytes, part: Report) -> None:
    """Remember one source's whole part (every slot row) for this question and data key."""
    path = entry_path(status_dir, question)
    rows = [_slot_value(row) for row in part.slots]
    chunks = tuple(marshal.dumps(tuple(rows[i:i + CHUNK])) for i in range(0, len(rows), CHUNK))
    if write_derived(path, FORMAT, (key, _head(part), chunks, len(rows))):
        _forget_oldest(path.parent)


def _forget_oldest(folder: Path) -> None:
    with contextlib.suppress(OSError):
        entries = sorted(folder.glob("*.marshal"), key=lambda p: p.stat().st_mtime_ns)
        for old in entries[:-KEEP]:
            old.unlink()


def _head(part: Report) -> tuple[Any, ...]:
    return (part.plan_id, part.plan_title, part.plan_citation, _count_value(part.totals),
            tuple(_count_value(r) for r in part.by_group), tuple(_count_value(r) for r in part.by_task),
            tuple(_count_value(r) for r in part.by_unit), tuple(_slot_value(r) for r in part.overdue),
            part.task_titles, tuple(part.matrix_columns), part.task_texts)


def _part(head: tuple[Any, ...], question: Question) -> Report:
    (plan_id, plan_title, citation, totals, by_group, by_task, by_unit, overdue, titles, columns, texts) = head
    if not all(type(v) is str for v in (plan_id, plan_title, citation)):
        raise TypeError("plan")
    if type(titles) is not dict or type(texts) is not dict:
        raise TypeError("titles")
    return Report(
        plan_id=plan_id, plan_title=plan_title, scope=question.scope, period=question.period,
        as_of=question.as_of, slots=[], totals=_count(totals), by_group=[_count(r) for r in by_group],
        by_task=[_count(r) for r in by_task], by_unit=[_count(r) for r in by_unit],
        overdue=[_slot(r) for r in overdue], task_titles=titles,
        matrix_columns=[(task, name) for task, name in columns], task_texts=texts, plan_citation=citation)


def _count_value(row: CountRow) -> tuple[Any, ...]:
    return (row.key, row.label, tuple(row.counts[c] for c in _CATEGORIES), row.source, row.task)


def _count(value: tuple[Any, ...]) -> CountRow:
    key, label, counts, source, task = value
    if len(counts) != len(_CATEGORIES) or not all(type(n) is int for n in counts):
        raise ValueError("counts")
    return CountRow(key, label, dict(zip(_CATEGORIES, counts, strict=True)), source, task)


def _slot_value(row: SlotRow) -> tuple[Any, ...]:
    values: list[Any] = list(row[:_SLOT_WIDTH])
    for at in _DATES:
        day = values[at]
        values[at] = day.toordinal() if day is not None else 0
    return tuple(values)


_from_ordinal = functools.lru_cache(maxsize=4096)(dt.date.fromordinal)
"""A few hundred distinct days among tens of thousands of rows: one date object each."""


def _slot(value: tuple[Any, ...]) -> SlotRow:
    if len(value) != _SLOT_WIDTH:
        raise ValueError("slot")
    values = list(value)
    for at in _DATES:
        day = values[at]
        values[at] = _from_ordinal(day) if day else None
    return SlotRow(*values)


def slots_of(stored: Stored) -> Iterator[SlotRow]:
    """Every slot row of a stored part, chunk by chunk (for output written as it goes)."""
    for chunk in stored.slot_chunks:
        for row in marshal.loads(chunk):
            yield _slot(row)
