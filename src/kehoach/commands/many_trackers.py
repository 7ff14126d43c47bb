"""Several trackers at once (one per province, or one clone per clerk): `--data A --data B`, or a
folder whose subfolders are trackers. Every evaluated slot keeps its `source`, the tracker's folder
name, so one table or report across provinces still says where each row came from.

With one tracker the slots are plain EvaluatedSlot and every output stays exactly as before.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable, Sequence
from pathlib import Path
from typing import NamedTuple

from kehoach.domain.model import Category
from kehoach.domain.slots import EvaluatedSlot, Scope, build_slots
from kehoach.errors import DataNotFoundError
from kehoach.render.rows import Column, Table
from kehoach.store.tracker import PLAN_FILE, Tracker, display_path, find_data_dir, open_tracker

SOURCE_COLUMN = Column("source", "Bộ theo dõi")


class SourcedTracker(NamedTuple):
    source: str
    tracker: Tracker


def _trackers_below(folder: Path) -> list[Path]:
    """A folder of clones: each subfolder holding data/plan.yaml (or plan.yaml) is one tracker."""
    found = []
    for sub in sorted(p for p in folder.iterdir() if p.is_dir() and not p.name.startswith(".")):
        for candidate in (sub / "data", sub):
            if (candidate / PLAN_FILE).is_file():
                found.append(candidate)
                break
    return found


def find_data_dirs(values: Sequence[str] | None) -> list[Path]:
    """Each --data value is a tracker, or a folder of trackers; none given: the usual single lookup."""
    if not values:
        return [find_data_dir(None)]
    dirs: list[Path] = []
    for value in values:
        path = Path(value).expanduser()
        if path.is_dir() and not (path / PLAN_FILE).is_file() and not (path / "data" / PLAN_FILE).is_file():
            below = _trackers_below(path)
            if not below:
                raise DataNotFoundError(f"không tìm thấy {PLAN_FILE} trong '{value}', '{path / 'data'}' "
                                        "hay các thư mục con của nó")
            dirs += below
        else:
            dirs.append(find_data_dir(value))
    unique: list[Path] = []
    for found in dirs:
        if found.resolve() not in {d.resolve() for d in unique}:
            unique.append(found)
    return unique


def source_name(data_dir: Path) -> str:
    folder = data_dir.resolve()
    return folder.parent.name if folder.name == "data" else folder.name


def open_trackers(values: Sequence[str] | None) -> list[SourcedTracker]:
    dirs = find_data_dirs(values)
    names = [source_name(d) for d in dirs]
    # Two trackers in folders of the same name are told apart by their path.
    names = [display_path(d.resolve().parent if d.name == "data" else d) if names.count(n) > 1 else n
             for d, n in zip(dirs, names, strict=True)]
    return [SourcedTracker(name, open_tracker(d)) for name, d in zip(names, dirs, strict=True)]


def evaluate(trackers: Sequence[SourcedTracker], scope_for: Callable[[Tracker], Scope],
             as_of: dt.date, order: Callable[[list[EvaluatedSlot]], list[EvaluatedSlot]] | None = None,
             ) -> list[EvaluatedSlot]:
    """Every tracker's slots in scope, tracker by tracker in the order given (each sorted by `order`).
    With more than one tracker each slot carries its tracker's `source`; `scope_for` resolves names per tracker,
    since units and groups are each tracker's own."""
    from kehoach.store.status_files import current_records

    result: list[EvaluatedSlot] = []
    for sourced in trackers:
        tracker = sourced.tracker
        scope = scope_for(tracker)
        # Only the files that can hold a record in scope: a period's year, the units asked for.
        years = None if scope.period is None else {scope.period.year}
        items = build_slots(tracker, scope, current_records(tracker, years, scope.units), as_of)
        if order is not None:
            items = order(items)
        if len(trackers) > 1:
            items = _sourced(items, sourced.source)
        result += items
    return result


def tally(trackers: Sequence[SourcedTracker], scope_for: Callable[[Tracker], Scope], as_of: dt.date,
          ) -> tuple[dict[Category, int], list[EvaluatedSlot]]:
    """`evaluate` for `check`: the counts of every slot in scope, summed over trackers, and the open
    slots only (see `tally`), sourced as `evaluate` sources them."""
    from kehoach.domain.tally import tally as tally_one

    counts = dict.fromkeys(Category, 0)
    items: list[EvaluatedSlot] = []
    for sourced in trackers:
        found = tally_one(sourced.tracker, scope_for(sourced.tracker), as_of)
        for category, n in found.counts.items():
            counts[category] += n
        items += _sourced(found.open, sourced.source) if len(trackers) > 1 else found.open
    return counts, items


def _sourced(items: list[EvaluatedSlot], source: str) -> list[EvaluatedSlot]:
    return [item._replace(source=source) for item in items]


def with_source_column(tables: Sequence[Table], several: bool) -> list[Table]:
    """With several trackers, every table of slots gets the source as its first column."""
    if several:
        for table in tables:
            keys = [c.key for c in table.columns]
            if "task" in keys and "source" not in keys:
                table.columns = [SOURCE_COLUMN, *table.columns]
    return list(tables)
