"""Corrections a clerk makes without knowing git: take back their last change (`undo`), remove a
wrong record (`record --delete`), record the changes kept aside with `--no-commit` (`commit`), and
settle a sync conflict record by record (`resolve`).

Each is one commit through the same locked write path as `record`, with the usual Kehoach-* trailers,
so `kehoach log` shows it like any other change and it can itself be seen, and undone, later."""

from __future__ import annotations

import datetime as dt
from pathlib import Path
from typing import NamedTuple

from kehoach.commands.record import (
    Outcome,
    Update,
    checked_records,
    checked_records_text,
    commit_files,
    commit_pending,
    find_task,
    option_hint,
    parse_status,
)
from kehoach.domain.merge import OURS_LABEL, THEIRS_LABEL, describe
from kehoach.domain.model import Record
from kehoach.domain.periods import parse_period, period_containing
from kehoach.domain.rules import record_order, status_violations
from kehoach.domain.text import fold
from kehoach.domain.validation import stored_record_problems
from kehoach.errors import DataFileError, InputError, KehoachError
from kehoach.git import interrupted
from kehoach.git import run as gitio
from kehoach.git.merge_driver import MARKER_SIZE
from kehoach.git.run import Author
from kehoach.store.files import atomic_write, own_folder, remove_file, scratch_dir, write_lock
from kehoach.store.layout import YEAR_FILES_GLOB, display_path, status_path
from kehoach.store.status_files import parse_status_text, render_status_file
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
    path = status_path(tracker.status_dir, found_unit.id, chosen.year)
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
    own = tracker.status_dir.resolve().relative_to(root.resolve())
    for rel in gitio.pending_paths(root, [tracker.status_dir]):
        path = root / rel
        if not rel.endswith(".yaml") or Path(rel).parent.parent != own:  # status/NAME/ is another plan's
            continue
        after = checked_records(path) if path.exists() else []
        problems = stored_record_problems(tracker.definitions, after)
        if problems:
            raise DataFileError(*problems)
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
        return self.commit[:10]


class Undone(NamedTuple):
    change: LastChange
    records: list[str]
    outcome: Outcome


def _last_change(root: Path, status_dir: Path) -> LastChange | None:
    rel = status_dir.resolve().relative_to(root.resolve()).as_posix()
    # This plan's files only: status/ of data/plan.yaml also holds the folders of the other plans.
    out = gitio.git(["log", "--first-parent", "-1", "-z", "--format=%H%x1f%P%x1f%an%x1f%s%x1f%B", "--",
                     f":(glob){rel}/{YEAR_FILES_GLOB}"], cwd=root).stdout.strip("\0")
    if not out:
        return None
    commit, parents, author, subject, body = out.split("\x1f", 4)
    if not parents.split():
        return None  # the tracker's first commit: nothing before it to go back to
    if len(parents.split()) > 1:
        raise KehoachError(f"thay đổi gần nhất ({commit[:10]}) là một lần đồng bộ (kehoach sync), không hoàn tác "
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


# --- resolve ---------------------------------------------------------------------------------

KEEP_MINE = ("mine", "cua-toi", "của tôi", "ours")
KEEP_THEIRS = ("theirs", "cua-ho", "của họ", "ban-gop", "bản được gộp vào")
_MARKS = ("<" * MARKER_SIZE, "=" * MARKER_SIZE, ">" * MARKER_SIZE)
RESOLUTIONS_NAME = "resolutions.txt"
"""The resolutions made so far in an unfinished merge, for the message of the commit that ends it."""


class Block(NamedTuple):
    """One conflict between markers: the lines it spans and each side's record (None: deleted there)."""

    start: int
    end: int
    ours: Record | None
    theirs: Record | None


def conflict_blocks(text: str, shown: str) -> list[Block]:
    lines = text.splitlines(keepends=True)
    blocks = []
    index = 0
    while index < len(lines):
        if not lines[index].startswith(_MARKS[0] + " "):
            index += 1
            continue
        start = index
        middle = next((i for i in range(start, len(lines)) if lines[i].rstrip("\n") == _MARKS[1]), None)
        end = next((i for i in range(middle or start, len(lines)) if lines[i].startswith(_MARKS[2])), None)
        if middle is None or end is None:
            raise InputError(f"{shown}: đoạn xung đột bắt đầu ở dòng {start + 1} không có dấu ======= hoặc >>>>>>>")
        sides = []
        for part in (lines[start + 1:middle], lines[middle + 1:end]):
            records, problems = parse_status_text("records:\n" + "".join(part), shown)
            sides.append(records[0].without_source() if records and not problems else None)
        blocks.append(Block(start, end + 1, sides[0], sides[1]))
        index = end + 1
    return blocks


class Resolved(NamedTuple):
    chosen: Record | None
    how: str
    remaining: list[str]
    """Conflicts still open (file: task, unit, period), in this file or in others."""
    outcome: Outcome | None


def resolve(tracker: Tracker, *, task: str, unit: str, period: str | None, keep: str, done_on: dt.date | None,
            as_of: dt.date, who: str | None, author: Author | None) -> Resolved:
    """Settle one record of a sync conflict: keep this machine's version, the incoming one, or a new
    status; when it was the last conflict, the merge is committed naming every choice made."""
    root = _require_git(tracker)
    definitions = tracker.definitions
    found_task = find_task(definitions, task)
    found_unit = definitions.registry.find_unit(unit)
    chosen_period = parse_period(period) if period else period_containing(found_task, as_of)
    key = (found_task.id, found_unit.id, chosen_period.name)
    path = status_path(tracker.status_dir, found_unit.id, chosen_period.year)
    shown = display_path(path)
    with write_lock(tracker.data_dir):
        interrupted.recover(tracker.data_dir, root)
        text = path.read_text(encoding="utf-8") if path.exists() else ""
        block = next((b for b in conflict_blocks(text, shown) if (b.ours or b.theirs)
                      and (b.ours or b.theirs).key == key), None)  # type: ignore[union-attr]
        if block is None:
            raise InputError(f"không có xung đột nào của nhiệm vụ {found_task.id}, {found_unit.name}, kỳ "
                             f"{chosen_period.name} trong {shown}", "task")
        chosen, how = _choice(block, keep, done_on, as_of, who)
        lines = text.splitlines(keepends=True)
        order = record_order(definitions.task_positions())
        middle = render_status_file([chosen], order).removeprefix("records:\n") if chosen else ""
        new_text = "".join(lines[:block.start]) + middle + "".join(lines[block.end:])
        scratch = scratch_dir(tracker.data_dir)
        note = (f"- Nhiệm vụ {key[0]}, đơn vị {key[1]}, kỳ {key[2]}: {how}\n")
        notes_path = own_folder(tracker.data_dir) / RESOLUTIONS_NAME
        notes = notes_path.read_text(encoding="utf-8") if notes_path.exists() else ""
        left_here = conflict_blocks(new_text, shown)
        if left_here:
            atomic_write(path, new_text, scratch)
            atomic_write(notes_path, notes + note, scratch)
            return Resolved(chosen, how, [_open(shown, b) for b in left_here], None)
        records = checked_records_text(new_text, shown)
        final = render_status_file(records, order) if records else None
        previous = text.encode("utf-8")
        rel = str(path.resolve().relative_to(root.resolve()))
        if final is None:
            remove_file(path)
        else:
            atomic_write(path, final, scratch)
        gitio.git(["add", "-A", "--", rel], cwd=root)
        others = [p for p in gitio.unmerged_paths(root) if p != rel]
        if others:
            atomic_write(notes_path, notes + note, scratch)
            return Resolved(chosen, how, others, None)
        message = _resolution_message(root, notes + note, [key])
        try:
            commit_id = gitio.commit_merge(root, message, author)
        except BaseException:
            atomic_write(path, previous, scratch)
            gitio.git(["checkout", "-m", "--", rel], cwd=root, check=False)
            raise
        remove_file(notes_path)
    return Resolved(chosen, how, [], Outcome([path], commit_id, True))


def _open(shown: str, block: Block) -> str:
    record = block.ours or block.theirs
    assert record is not None
    return f"{shown}: nhiệm vụ {record.task}, đơn vị {record.unit}, kỳ {record.period}"


def _choice(block: Block, keep: str, done_on: dt.date | None, as_of: dt.date,
            who: str | None) -> tuple[Record | None, str]:
    wanted = fold(keep).strip()
    if wanted in {fold(w) for w in KEEP_MINE}:
        return block.ours, f"giữ {OURS_LABEL} ({describe(block.ours)})"
    if wanted in {fold(w) for w in KEEP_THEIRS}:
        return block.theirs, f"giữ {THEIRS_LABEL} ({describe(block.theirs)})"
    status = parse_status(keep)
    sample = block.ours or block.theirs
    assert sample is not None
    broken = status_violations(status, done_on, None, as_of)
    if broken:
        raise InputError(option_hint(broken[0]), broken[0].field)
    record = Record(sample.task, sample.unit, sample.period, status, done_on, None, None, as_of, who)
    return record, f"ghi giá trị mới ({describe(record)})"


def _resolution_message(root: Path, notes: str, keys: list[tuple[str, str, str]]) -> str:
    merge_msg = gitio.merge_message(root) or "Đồng bộ: gộp thay đổi"
    keys_in_notes = [line for line in notes.splitlines() if line.startswith("- Nhiệm vụ ")]
    tasks = dict.fromkeys(line.split(",")[0].removeprefix("- Nhiệm vụ ") for line in keys_in_notes)
    units = dict.fromkeys(line.split(", đơn vị ")[1].split(",")[0] for line in keys_in_notes)
    periods = dict.fromkeys(line.split(", kỳ ")[1].split(":")[0] for line in keys_in_notes)
    trailers = [*(f"Kehoach-Task: {t}" for t in tasks), *(f"Kehoach-Unit: {u}" for u in units),
                *(f"Kehoach-Period: {p}" for p in periods), f"{ACTION_TRAILER}: giai-quyet-xung-dot"]
    return _message(merge_msg, ["Giải quyết xung đột:", notes.rstrip("\n")], trailers)
