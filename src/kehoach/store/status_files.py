"""Status records on disk: data/status/YEAR/UNIT.yaml, one file per year and unit.

Clerks updating different units never touch the same file. Reading keeps every record's file and
line; a file is written in one stable form (`render_status_file`), so that one update changes only
that record's lines. `store.files` writes it; `store.records` loads many at once through its cache.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable
from pathlib import Path
from typing import TYPE_CHECKING, Any

from kehoach.domain.model import Record, Source, Status
from kehoach.domain.periods import FIRST_YEAR, LAST_YEAR, parse_period
from kehoach.domain.rules import text_violations
from kehoach.domain.text import is_nfc
from kehoach.errors import DataFileError, InputError, Problem
from kehoach.store.layout import display_path
from kehoach.store.yaml_fast import fast_load, resolves_as_non_string

if TYPE_CHECKING:
    from kehoach.store.yamlio import YMap

# PyYAML (`yamlio`) is imported where a file needs the full reader or is written: a command answered
# from the derived caches, or reading a file kehoach wrote (`yaml_fast`), never needs it (~24 ms).

RECORD_FIELDS = ("task", "unit", "period", "status", "done_on", "evidence", "note", "recorded_on", "recorded_by")


# --- reading ----------------------------------------------------------------------------------------

def parse_status_text(text: str, shown: str) -> tuple[list[Record], list[Problem]]:
    """Records of one file and the problems of its form (the plan is not consulted here)."""
    fast = _parse_fast(text, shown)
    if fast is not None:
        return fast, []
    return parse_full(text, shown)


def parse_full(text: str, shown: str) -> tuple[list[Record], list[Problem]]:
    """The full reader (PyYAML, positions of every value): what `parse_status_text` gives whenever the
    fast path has any doubt, and what the fast path must always agree with."""
    from kehoach.store.yamlio import YMap, parse_text

    root, problems = parse_text(text, shown)
    if problems:
        return [], problems
    if root is None:
        return [], []
    if not isinstance(root, YMap) or not isinstance(root.get("records"), list):
        return [], [Problem(shown, 1, 1, "tệp trạng thái phải có dạng 'records:' và một danh sách bản ghi")]
    extra = [k for k in root if k != "records"]
    problems += [Problem(shown, *root.pos(k), f"trường không được biết đến '{k}'", k) for k in extra]
    records = []
    for index, item in enumerate(root["records"]):
        if not isinstance(item, YMap):
            line, col = root["records"].item_pos[index]
            problems.append(Problem(shown, line, col, "bản ghi phải là bảng khóa-giá trị"))
            continue
        record, found = _record_from_map(item)
        problems += found
        if record is not None:
            records.append(record)
    return records, problems


def _parse_fast(text: str, shown: str) -> list[Record] | None:
    """Records of a clean file through the fast parser, or None to let the full reader decide.

    In the form kehoach writes, each record starts on a line "- " at the left margin: that line is the
    record's position, exactly as the full reader reports it. Any doubt (another layout, a value the two
    YAML readers could read differently, any problem at all) falls back, so both paths always agree."""
    if "_on: '" in text or '_on: "' in text:
        return None  # yaml-rs reads a quoted '2026-06-10' as a date; YAML (and PyYAML) as text
    if "\t" in text:
        return None  # PyYAML refuses a tab that indents, yaml-rs does not (kehoach writes a tab as "\\t")
    if "\n- #" in text or "\n- \n" in text or "\n-  " in text:
        return None  # the record's mapping then starts on a later line than its "- " (as PyYAML says)
    if "\\" in text and '"' in text:
        return None  # an escape ("\\e", "\\x1f") in a double-quoted value: the full reader checks what it makes
    root = fast_load(text)
    if not isinstance(root, dict) or list(root) != ["records"] or not isinstance(root["records"], list):
        return None
    items = root["records"]
    starts = _item_lines(text)
    if len(starts) != len(items):
        return None
    records = []
    for item, line in zip(items, starts, strict=True):
        record = _clean_record(item, Source(shown, line, 3), resolves_as_non_string)
        if record is None:
            return None
        records.append(record)
    return records


def _item_lines(text: str) -> list[int]:
    """Line numbers of the lines that start with "- " (str.find and str.count run in C)."""
    lines = [1] if text.startswith("- ") else []
    line, previous, position = 1, 0, text.find("\n- ")
    while position != -1:
        line += text.count("\n", previous, position + 1)
        lines.append(line)
        previous = position + 1
        position = text.find("\n- ", previous)
    return lines


_REQUIRED = frozenset(("task", "unit", "period", "status"))
_ALLOWED = frozenset(RECORD_FIELDS)
_STATUSES = {s.value: s for s in Status}


# A province's files name a few dozen periods among 72,000 records: each name is parsed once.
_READABLE_PERIODS: dict[str, bool] = {}


def _period_readable(name: str) -> bool:
    """Whether the name is a period at all (`2026-H3` is not); whether the task has such periods is
    `validate`'s question. Checked on reading, so every command names the file and line."""
    known = _READABLE_PERIODS.get(name)
    if known is None:
        try:
            parse_period(name)
            known = True
        except InputError:
            known = False
        if len(_READABLE_PERIODS) < 10_000:
            _READABLE_PERIODS[name] = known
    return known


def _period_problem(name: str) -> str:
    try:
        parse_period(name)
    except InputError as exc:
        return str(exc)
    return ""  # pragma: no cover - only called for a name that does not parse


def _clean_record(item: Any, source: Source, typed: Any) -> Record | None:
    """The record when `_record_from_map` would find no problem in it, else None. Same rules, no
    positions: the hot loop of a first, uncached read at province scale."""
    if not isinstance(item, dict) or not _REQUIRED <= item.keys() or not item.keys() <= _ALLOWED:
        return None
    # A bare number (`task: 17`) is left to the full reader: YAML 1.1 and 1.2 read some numbers
    # differently (0o17), and kehoach itself always quotes them.
    task, period = item["task"], item["period"]
    unit, status = item["unit"], _STATUSES.get(item["status"]) if type(item["status"]) is str else None
    if type(task) is not str or type(period) is not str or type(unit) is not str or status is None:
        return None
    if typed(unit):
        return None
    if not _period_readable(period):
        return None
    done_on, recorded_on = item.get("done_on"), item.get("recorded_on")
    for day in (done_on, recorded_on):
        if day is not None and (type(day) is not dt.date or not FIRST_YEAR <= day.year <= LAST_YEAR):
            return None
    texts = (item.get("evidence"), item.get("note"), item.get("recorded_by"))
    for text in texts:
        if text is not None and (type(text) is not str or typed(text) or not is_nfc(text)):
            return None
    # The other characters `text_violations` refuses never reach here (fast_load leaves them, raw or
    # escaped, to the full reader); who recorded a record is also one line.
    if texts[2] is not None and ("\t" in texts[2] or "\n" in texts[2]):
        return None
    return Record(task, unit, period, status, done_on, texts[0], texts[1], recorded_on, texts[2], source)


def _record_from_map(item: YMap) -> tuple[Record | None, list[Problem]]:
    from kehoach.store.yamlio import shown_value

    problems = []

    def bad(key: str, message: str) -> None:
        line, col = item.pos(key)
        problems.append(Problem(item.path, line, col, message, key))

    for key in item:
        if key not in RECORD_FIELDS:
            bad(key, f"trường không được biết đến '{key}'")
    values: dict[str, Any] = {}
    for key in ("task", "unit", "period", "status"):
        value = item.get(key)
        if key in ("task", "period") and isinstance(value, int) and not isinstance(value, bool):
            value = str(value)  # `task: 17` and `period: 2026` typed by hand mean the same as quoted
        if value is None:
            bad(key, f"thiếu trường bắt buộc '{key}'")
        elif not isinstance(value, str):
            bad(key, f"trường '{key}' phải là chuỗi, đang là {shown_value(value)}")
        elif key == "period" and not _period_readable(value):
            bad(key, _period_problem(value))
        else:
            values[key] = value
    for key in ("done_on", "recorded_on"):
        value = item.get(key)
        if value is not None and (not isinstance(value, dt.date) or isinstance(value, dt.datetime)):
            bad(key, f"trường '{key}' phải là ngày dạng YYYY-MM-DD, đang là {shown_value(value)}")
        elif value is not None and not FIRST_YEAR <= value.year <= LAST_YEAR:
            bad(key, f"ngày '{key}' nằm ngoài các năm theo dõi được ({FIRST_YEAR}–{LAST_YEAR})")
        else:
            values[key] = value
    for key in ("evidence", "note", "recorded_by"):
        value = item.get(key)
        if value is not None and not isinstance(value, str):
            bad(key, f"trường '{key}' phải là chuỗi, đang là {shown_value(value)}")
        elif value is not None and not is_nfc(value):
            bad(key, "văn bản không ở dạng chuẩn NFC (dấu tiếng Việt tổ hợp)")
        else:
            values[key] = value
    # The rule `record` and `import` apply to typed text, applied to a hand edit: a workbook cannot hold
    # U+FFFE or ESC, so such a record is refused here, before any command shows or writes it.
    for broken in text_violations(values.get("evidence"), values.get("note"), values.get("recorded_by")):
        del values[broken.field]
        bad(broken.field, broken.message)
    status = None
    if "status" in values:
        try:
            status = Status(values["status"])
        except ValueError:
            bad("status", f"trạng thái '{values['status']}' không hợp lệ; dùng một trong: "
                          + ", ".join(s.value for s in Status))
    if problems or status is None:
        return None, problems
    record = Record(values["task"], values["unit"], values["period"], status, values.get("done_on"),
                    values.get("evidence"), values.get("note"), values.get("recorded_on"),
                    values.get("recorded_by"), Source(item.path, item.line, item.col))
    return record, problems


def read_status_file(path: Path) -> tuple[list[Record], list[Problem]]:
    shown = display_path(path)
    try:
        from kehoach.store.yamlio import read_text

        text = read_text(path, shown)
    except DataFileError as exc:
        return [], list(exc.problems)
    return parse_status_text(text, shown)


# --- writing ----------------------------------------------------------------------------------------

def render_status_file(records: list[Record], order: Callable[[Record], Any]) -> str:
    """One status file in the one stable form, records sorted by `rules.record_order`."""
    from kehoach.store.yamlio import dump_text

    return dump_text({"records": [r.as_yaml() for r in sorted(records, key=order)]})
