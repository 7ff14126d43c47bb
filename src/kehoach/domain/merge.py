"""The three-way merge of status records, record by record, keyed on (task, unit, period): two clerks
who change different records never conflict; the same record changed to different values on both
sides is a conflict a person settles."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

from kehoach.domain.model import Record, Source
from kehoach.domain.periods import format_date
from kehoach.errors import Problem

Key = tuple[str, str, str]

OURS_LABEL = "bản ở máy này"
THEIRS_LABEL = "bản được gộp vào"


@dataclass(frozen=True)
class Conflict:
    """One record changed differently on both sides (or changed on one side, deleted on the other)."""

    key: Key
    ours: Record | None
    theirs: Record | None

    def message(self, path: str) -> str:
        task, unit, period = self.key
        return (f"Xung đột ở {path}: nhiệm vụ {task}, đơn vị {unit}, kỳ {period} bị sửa khác nhau "
                "ở hai nơi.\n"
                f"  - {OURS_LABEL}: {describe(self.ours)}\n"
                f"  - {THEIRS_LABEL}: {describe(self.theirs)}")


def describe(record: Record | None) -> str:
    """Every value of a record a clerk needs to choose between two versions."""
    if record is None:
        return "(đã xóa bản ghi)"
    parts = [f"trạng thái «{record.status.label}»"]
    if record.done_on:
        parts.append(f"ngày hoàn thành {format_date(record.done_on)}")
    parts.append(f"căn cứ: {record.evidence}" if record.evidence else "không có căn cứ")
    if record.note:
        parts.append(f"ghi chú: {record.note}")
    who = record.recorded_by or "không rõ"
    when = f" ngày {format_date(record.recorded_on)}" if record.recorded_on else ""
    parts.append(f"người ghi nhận: {who}{when}")
    return "; ".join(parts)


def by_key(records: list[Record]) -> dict[Key, Record]:
    return {r.key: r.without_source() for r in records}


def _same_report(a: Record, b: Record) -> bool:
    return a.same_values(b)


def _first_recorded(a: Record, b: Record) -> Record:
    """Both sides reported the same values: keep the earlier recording (git history keeps both),
    chosen the same way whichever side merges, so every clone ends with the same file."""
    return min(a, b, key=lambda r: (r.recorded_on or dt.date.max, r.recorded_by or "", r.evidence or ""))


def merge_records(base: dict[Key, Record], ours: dict[Key, Record],
                  theirs: dict[Key, Record]) -> tuple[dict[Key, Record], list[Conflict]]:
    merged: dict[Key, Record] = {}
    conflicts: list[Conflict] = []
    for key in sorted(set(base) | set(ours) | set(theirs)):
        b, o, t = base.get(key), ours.get(key), theirs.get(key)
        if o == t:
            chosen = o
        elif o == b:
            chosen = t
        elif t == b:
            chosen = o
        elif o is not None and t is not None and _same_report(o, t):
            chosen = _first_recorded(o, t)
        else:
            conflicts.append(Conflict(key, o, t))
            continue
        if chosen is not None:
            merged[key] = chosen
    return merged, conflicts


def repeated_records(records: list[Record]) -> list[tuple[Record, Record]]:
    """Each record stored again under a key already seen, with the first one: a file holding two
    versions of one record (as a conflict settled by hand can leave it)."""
    seen: dict[Key, Record] = {}
    repeats = []
    for record in records:
        first = seen.setdefault(record.key, record)
        if first is not record:
            repeats.append((first, record))
    return repeats


def repeat_problem(first: Record, again: Record) -> Problem:
    """A repeated record, told where both versions are, for the clerk to keep one."""
    src = again.source or Source("?")
    first_line = first.source.line if first.source else "?"
    return Problem(src.path, src.line, src.col,
                   f"nhiệm vụ {again.task}, đơn vị {again.unit}, kỳ {again.period} được ghi hai lần "
                   f"(dòng {first_line} và dòng {src.line}); hãy giữ một bản rồi xóa bản kia, chưa ghi gì")
