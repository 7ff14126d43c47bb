"""Records as rows of builtins: the one form the derived caches keep them in (marshal stores nothing
else). A row is (task, unit, period, status, done_on, evidence, note, recorded_on, recorded_by, line,
col), dates as ordinals and 0 for none."""

from __future__ import annotations

import datetime as dt
from typing import Any

from kehoach.domain.model import Record, Source, Status

Row = tuple[Any, ...]

_STATUS = {s.value: s for s in Status}
_NO_SOURCE = Source("")


def to_row(record: Record) -> Row:
    src = record.source or _NO_SOURCE
    return (record.task, record.unit, record.period, record.status.value,
            record.done_on.toordinal() if record.done_on else 0, record.evidence, record.note,
            record.recorded_on.toordinal() if record.recorded_on else 0, record.recorded_by, src.line, src.col)


def from_rows(rows: list[Row], shown: str | None) -> list[Record]:
    """The records of one file's rows; `shown` is the path their messages print (None: no source, as
    for the versions of a file read from git's history)."""
    day = dt.date.fromordinal
    # Built as the tuples they are: NamedTuple's own __new__ (and `_make`) are Python functions, a third
    # of the time of turning thousands of cached rows into records.
    new = tuple.__new__
    return [new(Record, (task, unit, period, _STATUS[status], day(done) if done else None, evidence, note,
                         day(recorded) if recorded else None, by,
                         new(Source, (shown, line, col)) if shown is not None else None))
            for task, unit, period, status, done, evidence, note, recorded, by, line, col in rows]
