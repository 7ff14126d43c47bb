"""Corrections a clerk makes without knowing git: take back their last change (`undo`), remove a
wrong record (`record --delete`), and record the changes kept aside with `--no-commit` (`commit`).

Each is one commit through the same locked write path as `record`, with the usual Kehoach-* trailers,
so `kehoach log` shows it like any other change and it can itself be seen, and undone, later."""

from __future__ import annotations

import datetime as dt
from pathlib import Path
from typing import NamedTuple

from kehoach.commands.record import Outcome, Update, checked_records, commit_files, commit_pending, find_task
from kehoach.domain.merge import describe
from kehoach.domain.model import Record
from kehoach.domain.periods import parse_period, period_containing
from kehoach.errors import InputError, KehoachError
from kehoach.git import run as gitio
from kehoach.git.run import Author
from kehoach.store.layout import display_path, status_path
from kehoach.store.status_files import parse_status_text
from kehoach.store.tracker import Tracker

UNDO_TRAILER = "Kehoach-Undo"
ACTION_TRAILER = "Kehoach-Action"


def _trailers(records: list[Record]) -> list[str]:
    lines = [f"Kehoach-Task: {t}" for t in dict.fromkeys(r.task for r in records)]
    lines += [f"Kehoach-Unit: {u}" for u in dict.fromkeys(r.unit for r in records)]
    lines += [f"Kehoach-Period: {p}" for p in dict.fromkeys(r.period for r in records)]
    return lines


def _message(subject: str, body: list[str], trailers: list[str]) -> str:
    parts = [subject, *(["\n".join(body)] if body else []), "\n".join(trailers)]
    return "\n\n".join(parts) + "\n"


# --- record --delete -------------------------------------------------------------------------

def prepare_delete(tracker: Tracker, *, task: str, unit: str, period: str | None, as_of: dt.date) -> Update:
    """The record to remove, found before anything is written."""
    definitions = tracker.definitions
    found_task = find_task(definitions, task)
    found_unit = definitions.registry.find_unit(unit)
    chosen = parse_period(period) if period else period_containing(found_task, as_of)
    path = status_path(tracker.data_dir, found_unit.id, chosen.year)
    stored = {r.key: r for r in checked_records(path)} if path.exists() else {}
    existing = stored.get((found_task.id, found_unit.id, chosen.name))
    if existing is None:
        raise InputError(f"không có bản ghi nào của nhiệm vụ {found_task.id}, {found_unit.name}, kỳ {chosen.name} "
                         "để xóa", "task")
    return Update(found_task, found_unit, chosen, existing, existing, deleted=True)


def delete_message(update: Update) -> str:
    record = update.record
    return _message(f"Xóa bản ghi nhiệm vụ {record.task}, {update.unit.name}, kỳ {record.period}",
                    [f"Bản ghi đã xóa: {describe(record)}"],
                    [*_trailers([record]), f"{ACTION_TRAILER}: xoa"])


# --- commit ----------------------------------------------------------------------------------

class Pending(NamedTuple):
    path: Path
    before: list[Record]
    after: list[Record]


def pending_changes(tracker: Tracker) -> list[Pending]:
    """The status files that differ from the last commit, each checked as `record` checks a file."""
    root = _require_git(tracker)
    pending = []
    for rel in gitio.pending_paths(root, [tracker.status_dir]):
        path = root / rel
        if not rel.endswith(".yaml"):
            continue
        after = checked_records(path) if path.exists() else []
        old = gitio.git(["show", f"HEAD:{rel}"], cwd=root, check=False)
        before = parse_status_text(old.stdout, rel)[0] if old.returncode == 0 else []
        pending.append(Pending(path, before, after))
    return pending


def commit_message(pending: list[Pending]) -> str:
    lines = []
    changed: list[Record] = []
    for item in pending:
        old = {r.key: r.without_source() for r in item.before}
        new = {r.key: r.without_source() for r in item.after}
        for key in sorted(set(old) | set(new)):
            a, b = old.get(key), new.get(key)
            if a == b:
                continue
            shown = b or a
            assert shown is not None
            changed.append(shown)
            what = f"{b.status.label}" if b else "xóa bản ghi"
            lines.append(f"- Nhiệm vụ {shown.task}, đơn vị {shown.unit}, kỳ {shown.period}: {what}")
    subject = f"Ghi nhận {len(changed)} thay đổi đã ghi bằng --no-commit"
    return _message(subject, lines, [*_trailers(changed), f"{ACTION_TRAILER}: ghi-thay-doi-cho"])


def commit_pending_changes(tracker: Tracker, author: Author | None) -> tuple[list[Pending], Outcome]:
    pending = pending_changes(tracker)
    if not pending:
        raise KehoachError("không có thay đổi nào chờ ghi vào nhật ký")
    outcome = commit_pending(tracker, [p.path for p in pending], commit_message(pending), author)
    return pending, outcome


# --- undo ------------------------------------------------------------------------------------

class LastChange(NamedTuple):
    commit: str
    author: str
    subject: str
    body: str

    @property
    def short(self) -> str:
        return self.commit[:7]


class Undone(NamedTuple):
    change: LastChange
    records: list[str]
    outcome: Outcome


def _last_change(root: Path, status_dir: Path) -> LastChange | None:
    rel = str(status_dir.resolve().relative_to(root.resolve()))
    out = gitio.git(["log", "--first-parent", "-1", "-z", "--format=%H%x1f%P%x1f%an%x1f%s%x1f%B", "--", rel],
                    cwd=root).stdout.strip("\0")
    if not out:
        return None
    commit, parents, author, subject, body = out.split("\x1f", 4)
    if not parents.split():
        return None  # the tracker's first commit: nothing before it to go back to
    if len(parents.split()) > 1:
        raise KehoachError(f"thay đổi gần nhất ({commit[:7]}) là một lần đồng bộ (kehoach sync), không hoàn tác "
                           "được bằng kehoach undo")
    return LastChange(commit, author, subject, body)


def _undo_texts(tracker: Tracker, root: Path, who: str) -> tuple[LastChange, dict[Path, str | None]]:
    last = _last_change(root, tracker.status_dir)
    if last is None or "Kehoach-" not in last.body:
        raise KehoachError("chưa có thay đổi nào do kehoach ghi để hoàn tác")
    if f"{UNDO_TRAILER}:" in last.body:
        raise KehoachError(f"thay đổi gần nhất ({last.short}, «{last.subject}») đã là một lần hoàn tác; không hoàn "
                           "tác tiếp")
    if last.author != who:
        raise KehoachError(f"thay đổi gần nhất ({last.short}, «{last.subject}») do {last.author} ghi, không phải "
                           f"{who}; chỉ hoàn tác được thay đổi gần nhất của chính mình")
    names = gitio.git(["diff-tree", "--no-commit-id", "--name-only", "-r", "-z", f"{last.commit}^", last.commit],
                      cwd=root).stdout.split("\0")
    texts: dict[Path, str | None] = {}
    for name in filter(None, names):
        old = gitio.git(["show", f"{last.commit}^:{name}"], cwd=root, check=False)
        texts[root / name] = old.stdout if old.returncode == 0 else None
    return last, texts


def undo(tracker: Tracker, who: str, author: Author | None) -> Undone:
    """Take back the last change to the status files, when `who` made it with kehoach, as a new commit."""
    root = _require_git(tracker)
    found: list[LastChange] = []

    def texts() -> dict[Path, str | None]:
        last, wanted = _undo_texts(tracker, root, who)
        found.append(last)
        return wanted

    def message() -> str:
        last = found[-1]
        kept = [line for line in last.body.splitlines() if line.startswith(("Kehoach-Task:", "Kehoach-Unit:",
                                                                            "Kehoach-Period:"))]
        return _message(f"Hoàn tác: {last.subject}", [f"Hoàn tác thay đổi {last.short} của {last.author}."],
                        [*kept, f"{UNDO_TRAILER}: {last.commit}"])

    outcome = commit_files(tracker, texts, message, True, author)
    last = found[-1]
    return Undone(last, [display_path(p) for p in outcome.written], outcome)


def _require_git(tracker: Tracker) -> Path:
    root = gitio.work_tree_root(tracker.data_dir)
    if root is None:
        raise KehoachError("thư mục dữ liệu không nằm trong kho git: không có nhật ký thay đổi để sửa")
    return root
