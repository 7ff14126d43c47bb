"""Recording what a unit reported: validate everything first, then one atomic write and one commit."""

from __future__ import annotations

import datetime as dt
from pathlib import Path
from typing import NamedTuple

from kehoach.domain.model import Period, Record, Status, Task, Unit
from kehoach.domain.periods import fits, format_date, parse_period, period_containing
from kehoach.domain.text import fold, nfc
from kehoach.errors import InputError
from kehoach.store.tracker import Tracker

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


def find_task(tracker: Tracker, text: str) -> Task:
    wanted = text.strip()
    task = tracker.plan.task(wanted) or tracker.plan.task(wanted.upper())
    if task is None:
        known = ", ".join(t.id for t in tracker.plan.tasks)
        raise InputError(f"không có nhiệm vụ '{text}' trong kế hoạch; các nhiệm vụ: {known}", "task")
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


def check_slot(tracker: Tracker, task: Task, unit: Unit, period: Period) -> None:
    from kehoach.domain.slots import responsible_for

    if not fits(task, period):
        kinds = ", ".join(r.kind for r in task.cadence.periods)
        raise InputError(f"kỳ {period.name} không thuộc chu kỳ '{task.cadence.label}' của nhiệm vụ {task.id} "
                         f"(các kỳ: {kinds})", "period")
    if not responsible_for(tracker, task, unit, period):
        from kehoach.domain.periods import deadline

        due = format_date(deadline(task, period))
        raise InputError(f"{unit.name} ({unit.id}) không chịu trách nhiệm nhiệm vụ {task.id} trong kỳ "
                         f"{period.name} (tính vào hạn {due})", "unit")


def file_records(tracker: Tracker, unit_id: str, year: int) -> dict[tuple[str, str, str], Record]:
    """The records of one status file: `record` needs only these, not the whole history."""
    from kehoach.errors import DataFileError
    from kehoach.store.status_files import read_status_file, status_path

    path = status_path(tracker, unit_id, year)
    if not path.exists():
        return {}
    records, problems = read_status_file(path)
    if problems:
        raise DataFileError(*problems)
    return {r.key: r for r in records}


def prepare(tracker: Tracker, *, task: str, unit: str, status: str,
            period: str | None, done_on: dt.date | None, evidence: str | None, note: str | None,
            by: str | None, as_of: dt.date) -> Update:
    found_task = find_task(tracker, task)
    found_unit = tracker.registry.find_unit(unit)
    chosen = parse_period(period) if period else period_containing(found_task, as_of)
    check_slot(tracker, found_task, found_unit, chosen)
    state = parse_status(status)
    if state is Status.HOAN_THANH and done_on is None:
        raise InputError("trạng thái hoàn thành cần ngày hoàn thành: thêm --done-on NGÀY", "done_on")
    if state is not Status.HOAN_THANH and done_on is not None:
        raise InputError("chỉ trạng thái hoàn thành mới có --done-on", "done_on")
    if done_on is not None and done_on > as_of:
        raise InputError(f"ngày hoàn thành {format_date(done_on)} ở sau ngày tính {format_date(as_of)}",
                         "done_on")
    note = clean_text(note)
    if state is Status.KHONG_AP_DUNG and not note:
        raise InputError("trạng thái không áp dụng cần ghi lý do: thêm --note \"lý do\"", "note")
    record = Record(found_task.id, found_unit.id, chosen.name, state, done_on, clean_text(evidence), note,
                    as_of, clean_text(by))
    previous = file_records(tracker, found_unit.id, chosen.year).get(record.key)
    if previous is not None and previous.same_values(record):
        record = previous
    return Update(found_task, found_unit, chosen, record, previous)


def apply_updates(tracker: Tracker, updates: list[Update]) -> list[Path]:
    """Write the changed records, one atomic rewrite per touched file, under the tracker's lock.

    Each file is re-read inside the lock, so a record written meanwhile by another process is kept."""
    from kehoach.store.status_files import (
        atomic_write,
        read_status_file,
        record_sort_key,
        render_status_file,
        status_path,
        write_lock,
    )

    changed = [u for u in updates if u.changed]
    by_file: dict[Path, list[Update]] = {}
    for update in changed:
        by_file.setdefault(status_path(tracker, update.unit.id, update.period.year), []).append(update)
    written = []
    with write_lock(tracker.status_dir):
        for path, items in sorted(by_file.items()):
            current, problems = read_status_file(path) if path.exists() else ([], [])
            if problems:
                from kehoach.errors import DataFileError

                raise DataFileError(*problems)
            records = {r.key: r.without_source() for r in current}
            for update in items:
                records[update.record.key] = update.record
            text = render_status_file(list(records.values()), lambda r: record_sort_key(tracker, r))
            old_text = path.read_text(encoding="utf-8") if path.exists() else None
            if text != old_text:
                atomic_write(path, text)
                written.append(path)
    return written


def commit_message(update: Update, tracker: Tracker) -> str:
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


class Outcome(NamedTuple):
    update: Update
    written: list[Path]
    commit: str | None
    in_git: bool


def record(tracker: Tracker, update: Update, commit: bool, author: str | None) -> Outcome:
    """Write one update and, inside git, commit exactly the file it changed."""
    from kehoach.git import run as gitio

    written = apply_updates(tracker, [update])
    root = gitio.work_tree_root(tracker.data_dir)
    commit_id = None
    if written and root is not None and commit:
        commit_id = gitio.commit_paths(root, written, commit_message(update, tracker), author)
    return Outcome(update, written, commit_id, root is not None)


def author_for(tracker: Tracker, by: str | None) -> str | None:
    """git wants 'Name <email>'; a clerk named with --by keeps the configured email, if any."""
    from kehoach.git import run as gitio

    if by is None:
        return None
    root = gitio.work_tree_root(tracker.data_dir)
    email = gitio.config_value(root, "user.email") if root else None
    return f"{nfc(by).strip()} <{email or ''}>"
