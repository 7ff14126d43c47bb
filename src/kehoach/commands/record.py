"""Recording what a unit reported: validate everything first, then one atomic write and one commit."""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable
from pathlib import Path
from typing import NamedTuple

from kehoach.domain.definitions import Definitions
from kehoach.domain.model import Period, Record, Status, Task, Unit
from kehoach.domain.periods import format_date, parse_period, period_containing
from kehoach.domain.rules import Hints, Violation, record_order, slot_violation, status_violations, worded
from kehoach.domain.suggest import closest
from kehoach.domain.text import fold, nfc
from kehoach.errors import DataFileError, InputError
from kehoach.git import run as gitio
from kehoach.store.files import atomic_write, write_lock
from kehoach.store.layout import status_path
from kehoach.store.status_files import read_status_file, render_status_file
from kehoach.store.tracker import Tracker

Hint = Callable[[Violation], str]
"""How a broken rule is told where its input came from: an option to add, a column to fill."""

_OPTION_HINTS: Hints = {
    ("done_on", "give"): ": thêm --done-on NGÀY",
    ("done_on", "drop"): ": bỏ --done-on",
    ("note", "give"): ': thêm --note "lý do"',
}


def option_hint(violation: Violation) -> str:
    """At the command line a value is given with its option."""
    return worded(violation, _OPTION_HINTS)

_STATUS_WORDS: dict[str, Status] = {}
for _status, _words in {
    Status.CHUA_THUC_HIEN: ("chua-thuc-hien", "chưa thực hiện", "not-started", "not started", "todo"),
    Status.DANG_THUC_HIEN: ("dang-thuc-hien", "đang thực hiện", "in-progress", "in progress", "doing"),
    Status.HOAN_THANH: ("hoan-thanh", "hoàn thành", "done", "completed", "complete"),
    Status.KHONG_AP_DUNG: ("khong-ap-dung", "không áp dụng", "n/a", "na", "not-applicable"),
}.items():
    for _word in _words:
        _STATUS_WORDS[fold(_word).replace("-", " ")] = _status


def parse_status(text: str) -> Status:
    status = _STATUS_WORDS.get(fold(text).replace("-", " "))
    if status is None:
        raise InputError(f"trạng thái '{text}' không hợp lệ; dùng: chua-thuc-hien (chưa thực hiện), "
                         "dang-thuc-hien (đang thực hiện), hoan-thanh (hoàn thành), "
                         "khong-ap-dung (không áp dụng)", "status")
    return status


def find_task(definitions: Definitions, text: str) -> Task:
    wanted = text.strip()
    task = definitions.plan.task(wanted) or definitions.plan.task(wanted.upper())
    if task is None:
        known = ", ".join(t.id for t in definitions.plan.tasks)
        meant = closest(wanted, [(t.id, t.id) for t in definitions.plan.tasks], limit=1)
        guess = f" (có phải {meant[0]}?)" if meant else ""
        raise InputError(f"không có nhiệm vụ '{text}' trong kế hoạch{guess}; các nhiệm vụ: {known}", "task")
    return task


def clean_text(value: str | None) -> str | None:
    """Trim, NFC-normalise, and treat an empty value as absent."""
    if value is None:
        return None
    value = nfc(value).strip()
    return value or None


class Update(NamedTuple):
    """A validated change, ready to write."""

    task: Task
    unit: Unit
    period: Period
    record: Record
    previous: Record | None

    @property
    def changed(self) -> bool:
        return self.previous is None or not self.previous.same_values(self.record)


def file_records(tracker: Tracker, unit_id: str, year: int) -> dict[tuple[str, str, str], Record]:
    """The records of one status file: `record` needs only these, not the whole history."""
    path = status_path(tracker.data_dir, unit_id, year)
    if not path.exists():
        return {}
    records, problems = read_status_file(path)
    if problems:
        raise DataFileError(*problems)
    return {r.key: r for r in records}


def prepare(tracker: Tracker, *, task: str, unit: str, status: str,
            period: str | None, done_on: dt.date | None, evidence: str | None, note: str | None,
            by: str | None, as_of: dt.date, hint: Hint = option_hint) -> Update:
    """Everything checked before anything is written; `hint` words a broken rule for where the input
    came from (the command line by default)."""
    definitions = tracker.definitions
    found_task = find_task(definitions, task)
    found_unit = definitions.registry.find_unit(unit)
    chosen = parse_period(period) if period else period_containing(found_task, as_of)
    wrong_slot = slot_violation(definitions, found_task, found_unit, chosen)
    if wrong_slot is not None:
        raise InputError(hint(wrong_slot), wrong_slot.field)
    state = parse_status(status)
    note = clean_text(note)
    broken = status_violations(state, done_on, note, as_of)
    if broken:
        raise InputError(hint(broken[0]), broken[0].field)
    record = Record(found_task.id, found_unit.id, chosen.name, state, done_on, clean_text(evidence), note,
                    as_of, clean_text(by))
    previous = file_records(tracker, found_unit.id, chosen.year).get(record.key)
    if previous is not None and previous.same_values(record):
        record = previous
    return Update(found_task, found_unit, chosen, record, previous)


def apply_updates(tracker: Tracker, updates: list[Update]) -> list[Path]:
    """Write the changed records, one atomic rewrite per touched file, under the tracker's lock.

    Each file is re-read inside the lock, so a record written meanwhile by another process is kept."""
    changed = [u for u in updates if u.changed]
    by_file: dict[Path, list[Update]] = {}
    for update in changed:
        by_file.setdefault(status_path(tracker.data_dir, update.unit.id, update.period.year), []).append(update)
    order = record_order(tracker.definitions.task_positions())
    written = []
    with write_lock(tracker.status_dir):
        for path, items in sorted(by_file.items()):
            current, problems = read_status_file(path) if path.exists() else ([], [])
            if problems:
                raise DataFileError(*problems)
            records = {r.key: r.without_source() for r in current}
            for update in items:
                records[update.record.key] = update.record
            text = render_status_file(list(records.values()), order)
            old_text = path.read_text(encoding="utf-8") if path.exists() else None
            if text != old_text:
                atomic_write(path, text)
                written.append(path)
    return written


class Outcome(NamedTuple):
    written: list[Path]
    commit: str | None
    in_git: bool


def write_and_commit(tracker: Tracker, updates: list[Update], message: str, commit: bool,
                     author: str | None) -> Outcome:
    """The one way records reach the disk: write the changed ones and, inside git, commit exactly the
    files written, so git history is the audit log of every change `record` and `import` make."""
    written = apply_updates(tracker, updates)
    root = gitio.work_tree_root(tracker.data_dir)
    commit_id = None
    if written and root is not None and commit:
        commit_id = gitio.commit_paths(root, written, message, author)
    return Outcome(written, commit_id, root is not None)


def commit_message(update: Update) -> str:
    record = update.record
    subject = (f"Ghi nhận nhiệm vụ {record.task}, {update.unit.name}, kỳ {record.period}: "
               f"{record.status.label}")
    if record.done_on:
        subject += f" ngày {format_date(record.done_on)}"
    body = []
    if record.evidence:
        body.append(f"Căn cứ: {record.evidence}")
    if record.note:
        body.append(f"Ghi chú: {record.note}")
    trailers = [
        f"Kehoach-Task: {record.task}",
        f"Kehoach-Unit: {record.unit}",
        f"Kehoach-Period: {record.period}",
        f"Kehoach-Status: {record.status.value}",
    ]
    parts = [subject]
    if body:
        parts.append("\n".join(body))
    parts.append("\n".join(trailers))
    return "\n\n".join(parts) + "\n"


def record(tracker: Tracker, update: Update, commit: bool, author: str | None) -> Outcome:
    """Write one update and, inside git, commit exactly the file it changed."""
    return write_and_commit(tracker, [update], commit_message(update), commit, author)


def author_for(tracker: Tracker, by: str | None) -> str | None:
    """git wants 'Name <email>'; a clerk named with --by keeps the configured email, if any."""
    if by is None:
        return None
    root = gitio.work_tree_root(tracker.data_dir)
    email = gitio.config_value(root, "user.email") if root else None
    return f"{nfc(by).strip()} <{email or ''}>"
