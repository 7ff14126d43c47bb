"""The git merge driver for status files: a three-way merge record by record, keyed on
(task, unit, period), so that two clerks who change different records of one file never conflict.

git calls `kehoach merge-driver %O %A %B %P` (base, ours, theirs, path) and expects the result
in %A and exit code 0 for a clean merge. The same record changed to different values on both
sides is a true conflict: both values stay in the file between standard conflict markers, the
exit code is 1 so git stops the merge, and a Vietnamese message names the record and both values.
A version that cannot be read (broken YAML, or bytes that are not UTF-8) is never guessed at: the
driver falls back to a textual merge with conflict markers (the whole file between markers when the
lines merged cleanly), exits 1 so git stops, and `validate` then names the markers. Bytes that are not
UTF-8 show as U+FFFD in that text; git keeps both sides exactly in its index until the merge ends.
"""

from __future__ import annotations

import tempfile
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from kehoach.domain.merge import OURS_LABEL, THEIRS_LABEL, Conflict, Key, by_key, merge_records
from kehoach.domain.model import Record
from kehoach.domain.rules import record_order
from kehoach.errors import DataFileError, KehoachError
from kehoach.git import run as gitio
from kehoach.store.files import atomic_write
from kehoach.store.layout import PLAN_FILE, plan_file_of_status, plan_files, plan_name_of
from kehoach.store.status_files import parse_status_text, render_status_file
from kehoach.store.yamlio import decode_text, dump_text, load_file

MARKER_SIZE = 7
EXIT_CLEAN = 0
EXIT_CONFLICT = 1
BASE_LABEL = "bản gốc"


@dataclass(frozen=True)
class MergeResult:
    text: str
    conflicts: list[Conflict]
    unreadable: list[str]
    """Problems that made the record merge impossible (then `text` is a textual merge)."""

    @property
    def clean(self) -> bool:
        return not self.conflicts and not self.unreadable


def _item_text(record: Record) -> str:
    return dump_text([record.as_yaml()])


def render_with_conflicts(merged: dict[Key, Record], conflicts: list[Conflict],
                          order: Callable[[Record], Any]) -> str:
    """The canonical file, with each conflicting record between markers at its sorted place."""
    if not conflicts:
        return render_status_file(list(merged.values()), order)
    entries: list[tuple[Any, str]] = [(order(r), _item_text(r)) for r in merged.values()]
    for conflict in conflicts:
        sample = conflict.ours or conflict.theirs
        assert sample is not None
        block = (f"{'<' * MARKER_SIZE} {OURS_LABEL}\n"
                 + (_item_text(conflict.ours) if conflict.ours else "")
                 + f"{'=' * MARKER_SIZE}\n"
                 + (_item_text(conflict.theirs) if conflict.theirs else "")
                 + f"{'>' * MARKER_SIZE} {THEIRS_LABEL}\n")
        entries.append((order(sample), block))
    return "records:\n" + "".join(text for _, text in sorted(entries, key=lambda e: e[0]))


def task_order(data_dir: Path | None, plan_file: Path | None = None) -> Callable[[Record], Any]:
    """The order `record` writes in (the plan's task order: data/plan.yaml, or `plan_file`), read
    leniently: a plan that cannot be read during a merge still gives a stable order (by task id)."""
    positions: dict[str, int] = {}
    path = plan_file or (data_dir / PLAN_FILE if data_dir is not None else None)
    if path is not None:
        try:
            root, _problems = load_file(path)
        except KehoachError:
            root = None
        tasks = root.get("tasks") if isinstance(root, dict) else None
        if isinstance(tasks, list):
            for index, item in enumerate(tasks):
                if isinstance(item, dict) and item.get("id") is not None:
                    positions.setdefault(str(item["id"]), index)

    return record_order(positions)


def plan_named_by(path: str, cwd: Path) -> str:
    """How --plan names the plan of a status file, in a tracker of several plans (plans/NAME.yaml: NAME;
    data/plan.yaml beside plans/: its id, read leniently); "" in a tracker of one plan."""
    plan_file = plan_file_of_status(cwd / path)
    name = plan_name_of(plan_file)
    if name is not None:
        return name
    if not any(plan_files(plan_file.parent)[1:]):
        return ""
    try:
        root, _problems = load_file(plan_file)
    except KehoachError:
        return ""
    return str(root.get("id") or "") if isinstance(root, dict) else ""


def status_file_order(path: str, cwd: Path) -> Callable[[Record], Any]:
    """The task order of the plan a status file belongs to (status/YEAR/U.yaml: data/plan.yaml;
    status/NAME/YEAR/U.yaml: data/plans/NAME.yaml; git runs drivers at the top of the work tree)."""
    return task_order(None, plan_file_of_status(cwd / path) if len(Path(path).parents) > 2 else None)


def merge_texts(base: str, ours: str, theirs: str, shown: str,
                order: Callable[[Record], Any]) -> MergeResult:
    versions = []
    unreadable: list[str] = []
    for label, text in ((BASE_LABEL, base), (OURS_LABEL, ours), (THEIRS_LABEL, theirs)):
        records, problems = parse_status_text(text, f"{shown} ({label})")
        unreadable += [str(p) for p in problems]
        versions.append(by_key(records))
    if unreadable:
        return MergeResult(_textual_merge(base, ours, theirs), [], unreadable)
    merged, conflicts = merge_records(*versions)
    return MergeResult(render_with_conflicts(merged, conflicts, order), conflicts, [])


def _textual_merge(base: str, ours: str, theirs: str) -> str:
    """What git's own line merge would write: used when a version cannot be read as records. Always
    with markers, so the file cannot be taken for merged: lines that merged cleanly still came from a
    version nobody could read."""
    with tempfile.TemporaryDirectory(prefix="kehoach-merge-") as folder:
        paths = []
        for name, text in (("ours", ours), ("base", base), ("theirs", theirs)):
            path = Path(folder) / name
            path.write_text(text, encoding="utf-8")
            paths.append(str(path))
        proc = gitio.git(["merge-file", "-L", OURS_LABEL, "-L", BASE_LABEL, "-L", THEIRS_LABEL, *paths],
                         cwd=Path(folder), check=False)
        if proc.returncode > 0:
            return Path(paths[0]).read_text(encoding="utf-8")

    def ended(text: str) -> str:
        return text if not text or text.endswith("\n") else text + "\n"
    return (f"{'<' * MARKER_SIZE} {OURS_LABEL}\n{ended(ours)}{'=' * MARKER_SIZE}\n{ended(theirs)}"
            f"{'>' * MARKER_SIZE} {THEIRS_LABEL}\n")


def merge_bytes(base: bytes, ours: bytes, theirs: bytes, shown: str, order: Callable[[Record], Any]) -> MergeResult:
    """The merge of three versions as git hands them over: a version that is not UTF-8 is unreadable."""
    texts: list[str] = []
    undecodable: list[str] = []
    for label, raw in ((BASE_LABEL, base), (OURS_LABEL, ours), (THEIRS_LABEL, theirs)):
        try:
            texts.append(decode_text(raw, f"{shown} ({label})"))
        except DataFileError as exc:
            undecodable += [str(p) for p in exc.problems]
            texts.append(raw.decode("utf-8", errors="replace"))
    if undecodable:
        return MergeResult(_textual_merge(*texts), [], undecodable)
    return merge_texts(texts[0], texts[1], texts[2], shown, order)


def conflict_report(result: MergeResult, shown: str) -> str:
    if result.unreadable:
        return (f"Không gộp được {shown} theo từng bản ghi vì có bản không đọc được:\n  "
                + "\n  ".join(result.unreadable)
                + "\nĐã gộp theo dòng văn bản; hãy mở tệp, sửa phần giữa các dấu <<<<<<< và >>>>>>>.")
    return "\n".join(c.message(shown) for c in result.conflicts)


def run_driver(base_path: str, ours_path: str, theirs_path: str, shown: str, cwd: Path | None = None,
               report: Callable[[str], None] | None = None) -> int:
    """What git calls: merge into `ours_path`; 0 when clean, 1 when a person must decide."""
    files = [Path(p) for p in (base_path, ours_path, theirs_path)]
    base, ours, theirs = (p.read_bytes() if p.exists() else b"" for p in files)
    order = status_file_order(shown, cwd or Path.cwd())
    result = merge_bytes(base, ours, theirs, shown, order)
    if result.text.encode("utf-8") != ours:
        atomic_write(Path(ours_path), result.text)
    if result.clean:
        return EXIT_CLEAN
    if report is not None:
        report(conflict_report(result, shown))
    return EXIT_CONFLICT
