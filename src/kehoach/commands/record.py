"""Recording what a unit reported: validate everything first, then, under the tracker's write lock,
one atomic write and one commit — or nothing at all."""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable
from pathlib import Path
from typing import NamedTuple

from kehoach.domain.definitions import Definitions
from kehoach.domain.merge import repeat_problem, repeated_records
from kehoach.domain.model import Period, Record, Status, Task, Unit
from kehoach.domain.periods import format_date, parse_period, period_containing
from kehoach.domain.rules import (
    Hints,
    Violation,
    record_order,
    slot_violation,
    status_violations,
    text_violations,
    worded,
)
from kehoach.domain.suggest import closest
from kehoach.domain.text import fold, nfc
from kehoach.errors import DataFileError, InputError, KehoachError, Problem
from kehoach.git import interrupted
from kehoach.git import run as gitio
from kehoach.git.run import Author
from kehoach.store.files import atomic_write, remove_file, scratch_dir, write_lock
from kehoach.store.layout import status_path
from kehoach.store.status_files import parse_status_text, read_status_file, render_status_file
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
    deleted: bool = False
    """The record is to be removed (`record --delete`); `record` is the one stored."""

    @property
    def changed(self) -> bool:
        if self.deleted:
            return True
        return self.previous is None or not self.previous.same_values(self.record)


def checked_records(path: Path) -> list[Record]:
    """The records of one status file, refused when it is damaged or holds one record twice (as a
    conflict resolved by hand can leave it): rewriting it would silently keep only one of the two."""
    return _refuse_damage(*read_status_file(path))


def checked_records_text(text: str, shown: str) -> list[Record]:
    return _refuse_damage(*parse_status_text(text, shown))


def _refuse_damage(records: list[Record], problems: list[Problem]) -> list[Record]:
    if problems:
        raise DataFileError(*problems)
    repeats = repeated_records(records)
    if repeats:
        raise DataFileError(*(repeat_problem(first, again) for first, again in repeats))
    return records


FileRecords = dict[tuple[str, int], dict[tuple[str, str, str], Record]]
"""Status files already read in this command, by (unit, year): `import` checks a form's rows against
one file, read once for the form rather than once a row."""


def file_records(tracker: Tracker, unit_id: str, year: int,
                 known: FileRecords | None = None) -> dict[tuple[str, str, str], Record]:
    """The records of one status file: `record` needs only these, not the whole history."""
    if known is not None and (unit_id, year) in known:
        return known[(unit_id, year)]
    path = status_path(tracker.status_dir, unit_id, year)
    found = {r.key: r for r in checked_records(path)} if path.exists() else {}
    if known is not None:
        known[(unit_id, year)] = found
    return found


def prepare(tracker: Tracker, *, task: str, unit: str, status: str,
            period: str | None, done_on: dt.date | None, evidence: str | None, note: str | None,
            by: str | None, as_of: dt.date, hint: Hint = option_hint, known: FileRecords | None = None) -> Update:
    """Everything checked before anything is written; `hint` words a broken rule for where the input
    came from (the command line by default); `known` keeps the status files read (see FileRecords)."""
    definitions = tracker.definitions
    found_task = find_task(definitions, task)
    found_unit = definitions.registry.find_unit(unit)
    chosen = parse_period(period) if period else period_containing(found_task, as_of)
    wrong_slot = slot_violation(definitions, found_task, found_unit, chosen)
    if wrong_slot is not None:
        raise InputError(hint(wrong_slot), wrong_slot.field)
    state = parse_status(status)
    note = clean_text(note)
    broken = text_violations(evidence, note, by) + status_violations(state, done_on, note, as_of)
    if broken:
        raise InputError(hint(broken[0]), broken[0].field)
    record = Record(found_task.id, found_unit.id, chosen.name, state, done_on, clean_text(evidence), note,
                    as_of, clean_text(by))
    previous = file_records(tracker, found_unit.id, chosen.year, known).get(record.key)
    if previous is not None and previous.same_values(record):
        record = previous
    return Update(found_task, found_unit, chosen, record, previous)


def updated_texts(tracker: Tracker, updates: list[Update]) -> dict[Path, str | None]:
    """The new text of each file the changed updates touch, read from the disk as it is now (inside
    the lock, so a record written meanwhile by another process is kept). An update whose record is
    None removes it; a file left with no record is removed (None)."""
    by_file: dict[Path, list[Update]] = {}
    for update in updates:
        if update.changed:
            by_file.setdefault(status_path(tracker.status_dir, update.unit.id, update.period.year), []).append(update)
    order = record_order(tracker.definitions.task_positions())
    texts: dict[Path, str | None] = {}
    for path, items in sorted(by_file.items()):
        current = checked_records(path) if path.exists() else []
        records = {r.key: r.without_source() for r in current}
        for update in items:
            if update.deleted:
                records.pop(update.record.key, None)
            else:
                records[update.record.key] = update.record
        texts[path] = render_status_file(list(records.values()), order) if records else None
    return texts


class Outcome(NamedTuple):
    written: list[Path]
    commit: str | None
    in_git: bool


def write_and_commit(tracker: Tracker, updates: list[Update], message: str, commit: bool,
                     author: Author | None) -> Outcome:
    """The one way records reach the disk: write the changed ones and, inside git, commit exactly the
    files written, so git history is the audit log of every change `record` and `import` make."""
    return commit_files(tracker, lambda: updated_texts(tracker, updates), message, commit, author)


def commit_files(tracker: Tracker, texts: Callable[[], dict[Path, str | None]], message: str | Callable[[], str],
                 commit: bool, author: Author | None) -> Outcome:
    """Write these status files (None: remove) and commit them, all under the write lock, or nothing.

    `texts` (and `message`, when it is a function) are called inside the lock. Before anything is
    written: a writer that died half-way is undone, git's own locks and uncommitted changes to these
    files are refused. On any failure the files get their previous bytes back and their index is
    reset; once git has committed, the command has succeeded whatever follows."""
    data_dir = tracker.data_dir
    root = gitio.work_tree_root(data_dir)
    commits = commit and root is not None
    with write_lock(data_dir):
        interrupted.recover(data_dir, root)
        wanted = texts()
        changed = {path: text for path, text in wanted.items() if _current_text(path) != text}
        if not changed:
            return Outcome([], None, root is not None)
        paths = list(changed)
        if commits:
            assert root is not None
            _refuse_git_obstacles(root, paths, tracker.plan_option)
        previous = {path: path.read_bytes() if path.exists() else None for path in paths}
        scratch = scratch_dir(data_dir)
        commit_id = None
        with interrupted.journal(data_dir, previous, commits):
            committed = False
            try:
                for path, text in changed.items():
                    if text is None:
                        remove_file(path)
                    else:
                        atomic_write(path, text, scratch)
                if commits:
                    assert root is not None
                    text = message if isinstance(message, str) else message()
                    commit_id = gitio.commit_paths(root, paths, text, author)
                committed = True
            except BaseException:
                if not committed:
                    interrupted.restore(previous, scratch)
                    if root is not None:
                        gitio.unstage(root, paths)
                    interrupted.discard(data_dir)
                raise
    return Outcome(paths, commit_id, root is not None)


def recover_if_interrupted(data_dir: Path) -> None:
    """Before any command reads or writes: finish what a writer killed half-way left (one stat when
    nothing was). A reader that cannot take the lock (a read-only copy) goes on as before."""
    if not interrupted.left_behind(data_dir):
        return
    try:
        with write_lock(data_dir):
            interrupted.recover(data_dir, gitio.work_tree_root(data_dir))
    except KehoachError:
        pass


def commit_pending(tracker: Tracker, paths: list[Path], message: str, author: Author | None) -> Outcome:
    """Commit files already written (with --no-commit, or by hand), under the same lock as a write."""
    root = gitio.work_tree_root(tracker.data_dir)
    assert root is not None
    with write_lock(tracker.data_dir):
        interrupted.recover(tracker.data_dir, root)
        _refuse_locks_and_merges(root)
        commit_id = gitio.commit_paths(root, paths, message, author)
    return Outcome(paths, commit_id, True)


def _current_text(path: Path) -> str | None:
    try:
        return path.read_text(encoding="utf-8")
    except FileNotFoundError:
        return None
    except (OSError, UnicodeDecodeError):
        return ""


def _refuse_git_obstacles(root: Path, paths: list[Path], plan_option: str = "") -> None:
    _refuse_locks_and_merges(root)
    pending = gitio.pending_paths(root, paths)
    if pending:
        raise InputError(f"tệp {', '.join(pending)} có thay đổi chưa ghi vào nhật ký (ghi bằng --no-commit "
                         f"hoặc sửa tay); chưa ghi gì. Ghi các thay đổi đó trước bằng: kehoach commit{plan_option}")


def _refuse_locks_and_merges(root: Path) -> None:
    locks = gitio.lock_files(root)
    if locks:
        raise gitio.CommitFailed(gitio.lock_message(root, locks))
    if gitio.merge_message(root) is not None:
        raise InputError("đang dở một lần đồng bộ có bản ghi xung đột; chưa ghi gì. Giải quyết từng bản ghi "
                         "bằng kehoach resolve (cách dùng: kehoach resolve --help)")


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


def record(tracker: Tracker, update: Update, commit: bool, author: Author | None) -> Outcome:
    """Write one update and, inside git, commit exactly the file it changed."""
    return write_and_commit(tracker, [update], commit_message(update), commit, author)


def author_for(tracker: Tracker, recorded_by: str | None) -> Author | None:
    """The git author of a change: exactly the name recorded (git would otherwise drop or refuse
    characters, and the history would name someone else), with the email git knows, if any.
    Checked before anything is written."""
    if recorded_by is None:
        return None
    name = nfc(recorded_by).strip()
    # The rule every typed text obeys first (one line, no control characters), then what git needs.
    for violation in text_violations(None, None, recorded_by):
        raise InputError(violation.message, violation.field)
    problem = gitio.author_problem(recorded_by)
    if problem is not None:
        raise InputError(problem, "recorded_by")
    root = gitio.work_tree_root(tracker.data_dir)
    known = gitio.author_identity(root) if root else None
    return name, known[1] if known else ""


def recorded_by(tracker: Tracker, by: str | None) -> str | None:
    """Who recorded: --by, else the name git signs with here, else the login name."""
    if by is not None:
        return by
    import getpass

    root = gitio.work_tree_root(tracker.data_dir)
    known = gitio.author_identity(root) if root else None
    if known and known[0]:
        return known[0]
    try:
        return getpass.getuser()
    except (KeyError, OSError):
        return None
