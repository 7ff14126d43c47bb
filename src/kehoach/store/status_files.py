"""Status records on disk: data/status/YEAR/UNIT.yaml, one file per year and unit.

Clerks updating different units never touch the same file. Reading keeps every record's file
and line; writing is atomic (temporary file, fsync, rename), serialised by a lock, and in one
stable form, so that one update changes only that record's lines.
"""

from __future__ import annotations

import contextlib
import datetime as dt
import errno
import fcntl
import os
import re
import time
from collections.abc import Collection, Iterator
from pathlib import Path
from typing import TYPE_CHECKING, Any

from kehoach.domain.model import Period, Record, Source, Status, Task, Unit
from kehoach.domain.periods import deadline, fits, parse_period
from kehoach.domain.text import is_nfc
from kehoach.errors import DataFileError, KehoachError, Problem
from kehoach.store.tracker import Tracker, display_path

if TYPE_CHECKING:
    from kehoach.store.yamlio import YMap

# The YAML modules are imported where a file is parsed or written: a command answered from the
# derived caches never needs them (importing PyYAML costs ~12 ms).

RECORD_FIELDS = ("task", "unit", "period", "status", "done_on", "evidence", "note", "recorded_on", "recorded_by")
LOCK_NAME = ".lock"
LOCK_TIMEOUT_S = 15.0
_YEAR_DIR = re.compile(r"^\d{4}$")


def status_path(tracker: Tracker, unit_id: str, year: int) -> Path:
    return tracker.status_dir / str(year) / f"{unit_id}.yaml"


def status_files(status_dir: Path) -> list[Path]:
    if not status_dir.is_dir():
        return []
    files = []
    for year_dir in sorted(status_dir.iterdir()):
        if year_dir.is_dir() and _YEAR_DIR.match(year_dir.name):
            files.extend(sorted(p for p in year_dir.iterdir() if p.suffix == ".yaml" and p.is_file()))
    return files


# --- reading ----------------------------------------------------------------------------------------

def parse_status_text(text: str, shown: str) -> tuple[list[Record], list[Problem]]:
    """Records of one file and the problems of its form (the plan is not consulted here)."""
    fast = _parse_fast(text, shown)
    if fast is not None:
        return fast, []
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
    from kehoach.store.yamlio import fast_load, resolves_as_non_string

    if "_on: '" in text or '_on: "' in text:
        return None  # yaml-rs reads a quoted '2026-06-10' as a date; YAML (and PyYAML) as text
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
    done_on, recorded_on = item.get("done_on"), item.get("recorded_on")
    for day in (done_on, recorded_on):
        if day is not None and type(day) is not dt.date:
            return None
    texts = (item.get("evidence"), item.get("note"), item.get("recorded_by"))
    for text in texts:
        if text is not None and (type(text) is not str or typed(text) or not is_nfc(text)):
            return None
    return Record(task, unit, period, status, done_on, texts[0], texts[1], recorded_on, texts[2], source)


def _record_from_map(item: YMap) -> tuple[Record | None, list[Problem]]:
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
            bad(key, f"trường '{key}' phải là chuỗi, đang là {value!r}")
        else:
            values[key] = value
    for key in ("done_on", "recorded_on"):
        value = item.get(key)
        if value is not None and (not isinstance(value, dt.date) or isinstance(value, dt.datetime)):
            bad(key, f"trường '{key}' phải là ngày dạng YYYY-MM-DD, đang là {value!r}")
        else:
            values[key] = value
    for key in ("evidence", "note", "recorded_by"):
        value = item.get(key)
        if value is not None and not isinstance(value, str):
            bad(key, f"trường '{key}' phải là chuỗi, đang là {value!r}")
        elif value is not None and not is_nfc(value):
            bad(key, "văn bản không ở dạng chuẩn NFC (dấu tiếng Việt tổ hợp)")
        else:
            values[key] = value
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


def load_records(tracker: Tracker, years: Collection[int] | None = None,
                 units: Collection[str] | None = None) -> tuple[list[Record], list[Problem]]:
    from kehoach.store.records import load_records as load

    return load(tracker.status_dir, years, units)


def current_records(tracker: Tracker, years: Collection[int] | None = None,
                    units: Collection[str] | None = None) -> dict[tuple[str, str, str], Record]:
    """Every record by (task, unit, period), or those of the files of some years and units (records of
    a period of year Y for unit U live in status/Y/U.yaml; `validate` reports one found elsewhere).
    Refuses to go on when a status file read is broken."""
    records, problems = load_records(tracker, years, units)
    if problems:
        raise DataFileError(*problems)
    return {r.key: r for r in records}


# --- checking records against the plan -----------------------------------------------------------

def check_status_files(tracker: Tracker) -> list[Problem]:
    records, problems = load_records(tracker)
    seen: dict[tuple[str, str, str], Record] = {}
    rules: dict[tuple[str, str], _SlotRules] = {}
    for record in records:
        problems += record_problems(tracker, record, rules)
        first = seen.get(record.key)
        if first is not None:
            src = record.source or Source("?")
            where = first.source.path + ":" + str(first.source.line) if first.source else "?"
            problems.append(Problem(src.path, src.line, src.col,
                                    f"bản ghi trùng cho nhiệm vụ {record.task}, đơn vị {record.unit}, kỳ "
                                    f"{record.period} (đã có ở {where})"))
        else:
            seen[record.key] = record
    return problems


# What the plan says about one (task, period), whoever recorded it: the task, or why it is wrong; the
# period, or why it is wrong; the units responsible for it. A ten-year province has 72,000 records
# but ~400 of these, so `validate` works each out once.
_SlotRules = tuple[Task | None, Period | None, str, dict[str, Unit]]


def _slot_rules(tracker: Tracker, task_id: str, period_name: str) -> _SlotRules:
    task = tracker.plan.task(task_id)
    if task is None:
        return None, None, "", {}
    try:
        period = parse_period(period_name)
    except KehoachError as exc:
        return task, None, str(exc), {}
    if period.name != period_name:
        return task, None, f"kỳ phải viết là '{period.name}'", {}
    if not fits(task, period):
        return task, None, f"kỳ {period.name} không thuộc chu kỳ '{task.cadence.label}' của nhiệm vụ {task.id}", {}
    return task, period, "", tracker.registry.responsible_by_id(task, deadline(task, period))


def record_problems(tracker: Tracker, record: Record, rules: dict[tuple[str, str], _SlotRules]) -> list[Problem]:
    """A stored record that points nowhere, or sits in the wrong file, is a problem, not silence.
    `rules` remembers what the plan says about each (task, period) across calls."""
    src = record.source or Source("?")

    def problem(message: str, field: str) -> Problem:
        return Problem(src.path, src.line, src.col, message, field)

    known = rules.get((record.task, record.period))
    if known is None:
        known = rules[(record.task, record.period)] = _slot_rules(tracker, record.task, record.period)
    task, period, wrong_period, responsible = known
    if task is None:
        return [problem(f"nhiệm vụ '{record.task}' không có trong kế hoạch", "task")]
    unit = tracker.registry.units.get(record.unit)
    if unit is None:
        return [problem(f"đơn vị '{record.unit}' không có trong danh mục đơn vị", "unit")]
    if period is None:
        return [problem(wrong_period, "period")]
    found = []
    expected = f"{period.year}/{unit.id}.yaml"
    if not src.path.replace(os.sep, "/").endswith(expected):
        found.append(problem(f"bản ghi phải nằm trong tệp status/{expected}", "unit"))
    if unit.id not in responsible:
        found.append(problem(f"đơn vị {unit.id} không chịu trách nhiệm nhiệm vụ {task.id} trong kỳ {period.name}",
                             "unit"))
    if record.status is Status.HOAN_THANH and record.done_on is None:
        found.append(problem("trạng thái hoàn thành phải có ngày hoàn thành 'done_on'", "done_on"))
    if record.status is not Status.HOAN_THANH and record.done_on is not None:
        found.append(problem("chỉ trạng thái hoàn thành mới có ngày hoàn thành 'done_on'", "done_on"))
    if record.status is Status.KHONG_AP_DUNG and not record.note:
        found.append(problem("trạng thái không áp dụng phải ghi lý do trong 'note'", "note"))
    if record.done_on and record.recorded_on and record.done_on > record.recorded_on:
        found.append(problem("ngày hoàn thành sau ngày ghi nhận", "done_on"))
    return found


# --- writing ----------------------------------------------------------------------------------------

def record_sort_key(tracker: Tracker, record: Record) -> tuple[int, str, str]:
    task = tracker.plan.task(record.task)
    return (task.order if task else 10**6, record.task, record.period)


def render_status_file(records: list[Record], order: Any) -> str:
    from kehoach.store.yamlio import dump_text

    return dump_text({"records": [r.as_yaml() for r in sorted(records, key=order)]})


@contextlib.contextmanager
def write_lock(status_dir: Path, timeout: float | None = None) -> Iterator[None]:
    """One writer at a time across kehoach processes sharing this tracker."""
    timeout = LOCK_TIMEOUT_S if timeout is None else timeout
    status_dir.mkdir(parents=True, exist_ok=True)
    fd = os.open(status_dir / LOCK_NAME, os.O_RDWR | os.O_CREAT, 0o644)
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


def atomic_write(path: Path, content: str | bytes) -> None:
    """Write beside the target, fsync, rename over it: a reader or a crash sees old or new, never half.

    Text is written as UTF-8 with LF line ends; bytes (a workbook) as they are."""
    path.parent.mkdir(parents=True, exist_ok=True)
    import tempfile

    fd, tmp_name = tempfile.mkstemp(prefix=f".{path.name}.", suffix=".tmp", dir=path.parent)
    data = content.encode("utf-8") if isinstance(content, str) else content
    try:
        with os.fdopen(fd, "wb") as handle:
            handle.write(data)
            handle.flush()
            os.fsync(handle.fileno())
        if path.exists():
            os.chmod(tmp_name, path.stat().st_mode & 0o777)
        else:
            os.chmod(tmp_name, 0o644)
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
