"""`kehoach report --from-json a.json b.json …`: one report from report documents made elsewhere.

A ministry whose provinces do not fit on one machine has each province compute its own report where
its clone is (`kehoach report --format json -o TINH.json`, scheduled), and merges the documents here:
no tracker is opened, only the count rows, overdue rows and slot rows each document holds are read
back and put together the way `report --data A --data B` puts trackers together, so the merged
numbers equal those of `--data` over the same trackers (tested on real trackers).

Each document names its source by its file name (`thanh-hoa.json` -> `thanh-hoa`, as `--data` names
a tracker by its folder). A document must be one tracker's report; every document must be of the same
period and as-of day. A document that cannot be read, or a field of the wrong kind, is refused with
its file and field before anything is written.
"""

from __future__ import annotations

import datetime as dt
import functools
import json
import sys
from collections.abc import Callable, Iterator, Sequence
from pathlib import Path
from typing import Any, NamedTuple

from kehoach.commands.report import FILE_FORMATS, ReportDone, keep_slot_rows, resolve_target, screen_text
from kehoach.commands.report_many import merge_parts
from kehoach.domain.model import Category
from kehoach.domain.periods import parse_period
from kehoach.domain.report import (
    CountRow,
    Report,
    ReportScope,
    SlotRow,
    file_stem,
)
from kehoach.errors import InputError
from kehoach.store.files import atomic_write
from kehoach.store.layout import display_path

_SLOT_FIELDS = tuple(f for f in SlotRow._fields if f != "source")
_DATE_FIELDS = frozenset({"deadline", "done_on", "recorded_on"})
_OPTIONAL = frozenset({"done_on", "evidence", "note", "recorded_on", "recorded_by"})
_SLOT_SPEC = tuple((name, {"recorded": bool, "days_late": int}.get(name, str), name in _OPTIONAL)
                   for name in _SLOT_FIELDS)
"""Each slot field, its JSON kind (a date is its ISO text) and whether it may be null."""
_DATE_INDEXES = tuple(i for i, name in enumerate(_SLOT_FIELDS) if name in _DATE_FIELDS)
_REPEATED_INDEXES = tuple(i for i, name in enumerate(_SLOT_FIELDS) if name in {
    "task", "unit", "unit_name", "period", "status", "status_label", "category", "category_label", "recorded_by"})
"""The texts every document repeats (ids, names, labels): the overdue rows of 340 provinces share them."""
_day = functools.lru_cache(maxsize=4096)(dt.date.fromisoformat)
"""A deadline or a done date: a few hundred distinct days among hundreds of thousands of rows."""


class Document(NamedTuple):
    """One tracker's report, read back from its JSON document."""

    source: str
    shown: str
    report: Report


class _Reader:
    """Fields of one document, each refused with the file and the field's place when it is wrong."""

    def __init__(self, shown: str) -> None:
        self.shown = shown

    def fail(self, where: str, message: str) -> InputError:
        return InputError(f"{self.shown}: trường '{where}': {message}; hãy dùng tệp do "
                          "kehoach report --format json lập ra", where.split(".")[0].split("[")[0])

    def get(self, obj: dict[str, Any], key: str, kind: type | tuple[type, ...], where: str = "",
            optional: bool = False) -> Any:
        place = f"{where}.{key}" if where else key
        if key not in obj:
            if optional:
                return None
            raise self.fail(place, "thiếu trường này")
        value = obj[key]
        if value is None and optional:
            return None
        if not isinstance(value, kind) or (kind is int and isinstance(value, bool)):
            raise self.fail(place, f"giá trị không đúng kiểu ({json.dumps(value, ensure_ascii=False)[:40]})")
        return value

    def date(self, obj: dict[str, Any], key: str, where: str = "", optional: bool = False) -> dt.date | None:
        text = self.get(obj, key, str, where, optional)
        if text is None:
            return None
        try:
            return dt.date.fromisoformat(text)
        except ValueError:
            raise self.fail(f"{where}.{key}" if where else key, f"'{text}' không phải ngày YYYY-MM-DD") from None

    def rows(self, doc: dict[str, Any], key: str, read: Callable[[dict[str, Any], str], Any],
             limit: int | None = None) -> list[Any]:
        items = self.get(doc, key, list)
        if limit is not None:
            items = items[:max(limit, 0)]
        found = []
        for index, item in enumerate(items):
            where = f"{key}[{index}]"
            if not isinstance(item, dict):
                raise self.fail(where, "mỗi dòng phải là một bảng khóa-giá trị")
            found.append(read(item, where))
        return found

    def count_row(self, row: dict[str, Any], where: str) -> CountRow:
        counts = {c: self.get(row, c.value, int, where) for c in Category}
        return CountRow(self.get(row, "key", str, where), self.get(row, "label", str, where), counts,
                        self.get(row, "source", str, where, optional=True) or "",
                        self.get(row, "task", str, where, optional=True) or "")

    def slot_row(self, row: dict[str, Any], where: str) -> SlotRow:
        try:  # the common case in one pass: every field present and of its kind
            values = [row[name] for name in _SLOT_FIELDS]
            if all(type(v) is kind or (v is None and optional) for v, (_, kind, optional) in zip(values, _SLOT_SPEC,
                                                                                              strict=True)):
                for index in _DATE_INDEXES:
                    if values[index] is not None:
                        values[index] = _day(values[index])
                for index in _REPEATED_INDEXES:  # one object per name over 340 documents, not one a row
                    if values[index] is not None:
                        values[index] = sys.intern(values[index])
                return SlotRow(*values)
        except (KeyError, ValueError):
            pass
        # Something is wrong: find the first field that is, and say where.
        found: list[Any] = []
        for name, kind, optional in _SLOT_SPEC:
            if name in _DATE_FIELDS:
                found.append(self.date(row, name, where, optional))
            else:
                found.append(self.get(row, name, kind, where, optional))
        return SlotRow(*found)  # a null left out (an optional field absent) is accepted here


def read_document(path: Path, source: str, keep_slots: int | None = None) -> Document:
    """One document, all its rows checked; of its slot rows only the first `keep_slots` (None: all)."""
    shown = display_path(path)
    try:
        text = path.read_text(encoding="utf-8")
    except FileNotFoundError:
        raise InputError(f"{shown}: không tìm thấy tệp") from None
    except UnicodeDecodeError:
        raise InputError(f"{shown}: tệp không phải UTF-8") from None
    except OSError as exc:
        raise InputError(f"{shown}: không đọc được tệp: {exc.strerror}") from None
    try:
        doc = json.loads(text)
    except json.JSONDecodeError as exc:
        raise InputError(f"{shown}, dòng {exc.lineno}, cột {exc.colno}: không phải JSON hợp lệ; hãy dùng tệp "
                         "do kehoach report --format json lập ra") from None
    read = _Reader(shown)
    if not isinstance(doc, dict):
        raise InputError(f"{shown}: không phải báo cáo của kehoach (cần một bảng khóa-giá trị có "
                         "'totals', 'by_task', ...)")
    if "by_source" in doc:
        raise InputError(f"{shown}: đây là báo cáo chung của nhiều bộ theo dõi; hãy gộp các tệp của từng "
                         "bộ theo dõi", "by_source")
    scope = read.get(doc, "scope", dict)
    try:
        period = parse_period(read.get(doc, "period", str))
    except InputError as exc:
        raise read.fail("period", str(exc)) from None
    report = Report(
        plan_id=read.get(doc, "plan", str),
        plan_title=read.get(doc, "plan_title", str),
        scope=ReportScope(read.get(scope, "kind", str, "scope"), read.get(scope, "id", str, "scope"),
                          read.get(scope, "name", str, "scope")),
        period=period,
        as_of=read.date(doc, "as_of") or dt.date.min,
        slots=read.rows(doc, "slots", read.slot_row, keep_slots),
        totals=read.count_row(read.get(doc, "totals", dict), "totals"),
        by_group=read.rows(doc, "by_group", read.count_row),
        by_task=read.rows(doc, "by_task", read.count_row),
        by_unit=read.rows(doc, "by_unit", read.count_row),
        overdue=read.rows(doc, "overdue", read.slot_row),
        task_titles={},
        matrix_columns=[],
        plan_citation=read.get(doc, "plan_citation", str, optional=True) or "",
    )
    return Document(source, shown, report)


def source_names(paths: Sequence[Path]) -> list[str]:
    """A document's source is its file name without .json; two of the same name are told apart by path."""
    names = [p.stem for p in paths]
    return [display_path(p.with_suffix("")) if names.count(n) > 1 else n for p, n in zip(paths, names, strict=True)]


def read_documents(files: Sequence[str], keep_for: Callable[[Report], int | None]) -> Iterator[Document]:
    """The documents one at a time, each checked against the first (same period, as-of day, scope), so
    memory holds one document's JSON and the merged rows, never 340 documents. Of the slot rows only as
    many are read as the output shows: `keep_for(first report)` over all documents (None: all)."""
    paths = [Path(f).expanduser() for f in files]
    first: Document | None = None
    room: int | None = None
    for path, name in zip(paths, source_names(paths), strict=True):
        doc = read_document(path, name, room)
        if first is None:
            first = doc
            room = keep_for(doc.report)
            if room is not None:
                doc.report.slots[room:] = []
        _same_kind(first, doc)
        if room is not None:
            room -= len(doc.report.slots)
        yield doc


def _same_kind(first: Document, doc: Document) -> None:
    made, was = doc.report, first.report
    if made.period != was.period:
        raise InputError(f"{doc.shown}: kỳ {made.period.name} khác kỳ {was.period.name} của "
                         f"{first.shown}; chỉ gộp các báo cáo cùng kỳ", "period")
    if made.as_of != was.as_of:
        raise InputError(f"{doc.shown}: tính đến ngày {made.as_of.isoformat()}, khác ngày "
                         f"{was.as_of.isoformat()} của {first.shown}; chỉ gộp các báo cáo cùng "
                         "ngày tính (--as-of)", "as_of")
    if made.scope.kind != was.scope.kind:
        raise InputError(f"{doc.shown}: phạm vi '{made.scope.kind}' khác phạm vi '{was.scope.kind}' của "
                         f"{first.shown}; chỉ gộp các báo cáo cùng phạm vi", "scope")


def report_from_json(files: Sequence[str], fmt: str | None, output: str | None) -> ReportDone:
    """Read and merge the documents one by one, then show the report or write it (text or JSON)."""
    target = resolve_target(output, fmt, Path("reports"))
    if target.fmt in FILE_FORMATS:
        kind = {"xlsx": "Excel", "docx": "Word", "html": "trang HTML"}[target.fmt]
        raise InputError(f"--from-json chưa ghi ra {kind}; hãy dùng --format json, csv, markdown hoặc plain "
                         "(hoặc -o TỆP.json)", "format")

    def keep_for(first: Report) -> int | None:  # the slot rows the output shows, as `report --data` keeps
        return keep_slot_rows(target.fmt, first.scope.kind == "unit", several=True)

    # The documents' slot rows are already bounded as they are read.
    made = merge_parts((d.source, d.report) for d in read_documents(files, keep_for))
    path = target.path_for(file_stem(made))
    if path is None:
        return ReportDone([], screen=made, fmt=target.fmt)
    atomic_write(path, screen_text(made, target.fmt))
    return ReportDone([path])
