"""The audit log, read from git: who changed which record, when, from what to what.

Changes are computed from the content of the status files before and after each commit, not
from commit messages, so an edit made by hand shows up exactly like one made by `record`.
All blobs are fetched through one `git cat-file --batch` process.

git's output is read with NUL framing (`-z`, every field ended by NUL): a commit message can hold any
character but NUL, so no text a clerk typed can move a field boundary or hide a record.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from kehoach.domain.model import Record
from kehoach.domain.periods import parse_period
from kehoach.errors import KehoachError
from kehoach.git import run as gitio
from kehoach.git.history_cache import blob_records, log_output, merge_touches
from kehoach.store.layout import status_dir
from kehoach.store.status_files import parse_status_text

_NULL_BLOB = "0" * 40
_HEADER = ("hash", "author", "email", "when", "subject", "body")
_IMPORT_TRAILER = "Kehoach-Import:"
_UNDO_TRAILER = "Kehoach-Undo:"
_ACTION_TRAILER = "Kehoach-Action:"
UNDO_ACTION = "hoan-tac"


def _format(*fields: str) -> str:
    """A --format that ends every field with NUL."""
    return "--format=" + "".join(f"{f}%x00" for f in fields)


@dataclass(frozen=True)
class Change:
    commit: str
    when: dt.datetime
    author: str
    email: str
    subject: str
    by_kehoach: bool
    path: str
    before: Record | None
    after: Record | None
    resolution: bool = False
    """A merge commit's choice between two different values (or a new value) for one record."""
    form_file: str | None = None
    """The returned form an import read this change from (the commit's `Kehoach-Import:` trailer)."""
    action: str | None = None
    """Which kehoach correction made it (`Kehoach-Action:` trailer, e.g. xoa; hoan-tac for an undo)."""

    @property
    def source(self) -> str:
        """How the change was made, as machine outputs name it."""
        if self.resolution:
            return "giai-quyet-xung-dot"
        if self.form_file is not None:
            return "nhap-bieu-mau"
        return "kehoach" if self.by_kehoach else "sua-tay"

    @property
    def key(self) -> tuple[str, str, str]:
        record = self.after or self.before
        assert record is not None
        return record.key

    def as_row(self) -> dict[str, Any]:
        record = self.after or self.before
        assert record is not None
        return {
            "commit": self.commit,
            "date": self.when.isoformat(),
            "author": self.author,
            "email": self.email,
            "task": record.task,
            "unit": record.unit,
            "period": record.period,
            "old_status": self.before.status.value if self.before else None,
            "new_status": self.after.status.value if self.after else None,
            "done_on": self.after.done_on if self.after else None,
            "evidence": self.after.evidence if self.after else None,
            "note": self.after.note if self.after else None,
            "recorded_by": self.after.recorded_by if self.after else None,
            "source": self.source,
            "form_file": self.form_file,
            "action": self.action,
            "path": self.path,
            "subject": self.subject,
        }


@dataclass(frozen=True)
class LogQuery:
    task: str | None = None
    unit: str | None = None
    period: str | None = None
    since: dt.date | None = None


def read_log(data_dir: Path, query: LogQuery, revisions: str | None = None,
             status_folder: Path | None = None) -> list[Change]:
    """Every record change, newest first; `revisions` (e.g. "OLD..NEW") limits it to a range. Changes of
    one plan's status folder, or of every plan of the tracker (status/ and status/NAME/) without one."""
    root = gitio.work_tree_root(data_dir)
    if root is None:
        raise KehoachError("thư mục dữ liệu không nằm trong kho git nên không có lịch sử thay đổi; "
                           "tạo bộ theo dõi có git bằng: kehoach init THƯ_MỤC")
    if gitio.head_commit(root) is None:
        return []
    folder = status_folder or status_dir(data_dir)
    status_rel = folder.resolve().relative_to(root.resolve()).as_posix()
    year = str(parse_period(query.period).year) if query.period else "*"
    unit = query.unit or "*"
    # "**/" is no folder or any: status/YEAR/U.yaml (data/plan.yaml) and status/NAME/YEAR/U.yaml alike.
    pathspec = f":(glob){status_rel}/{'' if status_folder else '**/'}{year}/{unit}.yaml"
    # --full-history: a merge that kept one side's file must not hide the other side's commits.
    # --topo-order: a merge that resolved a conflict always lists before the commits it merged,
    # even when all of them fall within the same second.
    args = ["log", "--topo-order", "--full-history", "--no-renames", "--raw", "--no-abbrev", "-z", "--date=iso-strict",
            _format("%H", "%an", "%ae", "%aI", "%s", "%b")]
    if revisions:
        output = gitio.git([*args, revisions, "--", pathspec], cwd=root).stdout
    else:
        output = log_output(root, data_dir, args, pathspec)
    commits = _parse_raw_log(output)
    wanted = {b: path for c in commits if not (query.since and c["when"].date() < query.since)
              for (path, old, new) in c["files"] for b in (old, new) if b != _NULL_BLOB}
    parsed = blob_records(data_dir, wanted, lambda ids: gitio.read_blobs(root, ids), _records)
    changes: list[Change] = []
    for commit in commits:
        if query.since and commit["when"].date() < query.since:
            continue
        for path, old, new in commit["files"]:
            before = parsed.get(old, {})
            after = parsed.get(new, {})
            for key in sorted(set(before) | set(after)):
                b, a = before.get(key), after.get(key)
                if b == a:
                    continue
                change = Change(commit["hash"], commit["when"], commit["author"], commit["email"],
                                commit["subject"], "Kehoach-" in commit["body"], path, b, a,
                                form_file=_trailer(commit["body"], _IMPORT_TRAILER),
                                action=_action(commit["body"]))
                if _matches(change, query):
                    changes.append(change)
    resolutions = [c for c in merge_resolutions(root, data_dir, pathspec, query, revisions) if _matches(c, query)]
    if resolutions:
        order = gitio.git(["rev-list", "--topo-order", revisions or "HEAD"], cwd=root).stdout.split()
        position = {commit: index for index, commit in enumerate(order)}
        changes = sorted(changes + resolutions, key=lambda c: position.get(c.commit, -1))
    return changes


def merge_resolutions(root: Path, data_dir: Path, pathspec: str, query: LogQuery,
                      revisions: str | None) -> list[Change]:
    """What merge commits decided: for a record changed differently on both sides since the merge
    base, the value the merge kept (and the one it set aside); for a record whose merged value
    matches neither side, that new value. Plain merges of different records yield nothing."""
    args = ["log", "--merges", "-z", _format("%H", "%P", "%an", "%ae", "%aI", "%s"), revisions or "HEAD"]
    found = []
    tokens = gitio.git(args, cwd=root).stdout.split("\0")
    index = 0
    while index + 6 <= len(tokens):
        if not tokens[index].strip("\n"):  # the NUL between two commits
            index += 1
            continue
        merge, parents, author, email, when, subject = tokens[index:index + 6]
        index += 6
        merge = merge.strip("\n")
        if len(parents.split()) < 2:
            continue
        if query.since and dt.datetime.fromisoformat(when).date() < query.since:
            continue
        ours, theirs = parents.split()[:2]
        found.append((merge, ours, theirs, author, email, when, subject))

    def ask(merge: tuple[str, str, str]) -> tuple[str, tuple[str, ...]]:
        _, ours, theirs = merge
        base = gitio.git(["merge-base", ours, theirs], cwd=root, check=False).stdout.strip()
        touched = [set(gitio.git(["diff", "--name-only", "--no-renames", base, side, "--", pathspec],
                                 cwd=root).stdout.split()) if base else set() for side in (ours, theirs)]
        return base, tuple(sorted(touched[0] & touched[1]))

    touches = merge_touches(data_dir, pathspec, [(m[0], m[1], m[2]) for m in found], ask)
    merges = [(merge, touches[merge][0], ours, theirs, path, author, email, when, subject)
              for merge, ours, theirs, author, email, when, subject in found for path in touches[merge][1]]
    names = {f"{rev}:{m[4]}" for m in merges for rev in m[:4]}
    blobs = gitio.read_blobs(root, names)
    changes = []
    for merge, base, ours, theirs, path, author, email, when, subject in merges:
        b, o, t, m = (_records(blobs.get(f"{rev}:{path}", ""), path) for rev in (base, ours, theirs, merge))
        for key in sorted(set(o) | set(t) | set(m)):
            kept, mine, other, old = m.get(key), o.get(key), t.get(key), b.get(key)
            conflict = _differ(mine, other) and mine != old and other != old
            if not conflict and kept in (mine, other):
                continue
            set_aside = other if kept == mine else mine
            if set_aside != kept:
                changes.append(Change(merge, dt.datetime.fromisoformat(when), author, email, subject, False,
                                      path, set_aside, kept, resolution=True))
    return changes


def _differ(a: Record | None, b: Record | None) -> bool:
    if a is None or b is None:
        return a is not b
    return not a.same_values(b)


def _matches(change: Change, query: LogQuery) -> bool:
    task, unit, period = change.key
    if query.task and task != query.task:
        return False
    if query.unit and unit != query.unit:
        return False
    if query.period:
        wanted = parse_period(query.period)
        got = parse_period(period)
        if wanted != got and not (wanted.kind == "Y" and wanted.year == got.year):
            return False
    return True


def _records(text: str, path: str) -> dict[tuple[str, str, str], Record]:
    if not text:
        return {}
    records, _problems = parse_status_text(text, path)
    # A broken version in history still shows what could be read of it.
    return {r.key: r.without_source() for r in records}


def _trailer(body: str, name: str) -> str | None:
    for line in body.splitlines():
        if line.startswith(name):
            return line[len(name):].strip() or None
    return None


def _action(body: str) -> str | None:
    if _trailer(body, _UNDO_TRAILER) is not None:
        return UNDO_ACTION
    return _trailer(body, _ACTION_TRAILER)


def _is_hash(text: str) -> bool:
    return len(text) in (40, 64) and all(c in "0123456789abcdef" for c in text)


def _parse_raw_log(output: str) -> list[dict[str, Any]]:
    """`git log -z --raw` with the header fields each ended by NUL: a commit is its six fields, then
    pairs (`:modes blobs status`, path) until the next commit's hash. Fields are taken by position, so a
    subject or body may hold any text."""
    commits: list[dict[str, Any]] = []
    tokens = output.split("\0")
    index = 0
    while index < len(tokens):
        token = tokens[index].strip("\n")
        if not token:
            index += 1
        elif token.startswith(":") and commits and index + 1 < len(tokens):
            pieces = token[1:].split()
            if len(pieces) >= 4:
                commits[-1]["files"].append((tokens[index + 1], pieces[2], pieces[3]))
            index += 2
        elif _is_hash(token) and index + len(_HEADER) <= len(tokens):
            commit: dict[str, Any] = dict(zip(_HEADER, tokens[index:index + len(_HEADER)], strict=True))
            commit["hash"] = token
            commit["when"] = dt.datetime.fromisoformat(commit["when"])
            commit["files"] = []
            commits.append(commit)
            index += len(_HEADER)
        else:
            index += 1
    return commits
