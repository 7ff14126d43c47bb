"""`status` and `check`: the slots in scope, evaluated on the as-of date, over one tracker or several.

With more than one tracker each slot carries its tracker's `source`; the scope is resolved per
tracker (`scope_for`), since units and groups are each tracker's own.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable, Sequence
from pathlib import Path
from typing import NamedTuple

from kehoach.commands.many_trackers import SourcedTracker
from kehoach.domain.definitions import Definitions
from kehoach.domain.model import Category, Period, Plan
from kehoach.domain.slots import (
    EvaluatedSlot,
    Scope,
    build_slots,
    require_tracked_period,
    require_tracking_begun,
    scope_periods,
)
from kehoach.domain.tally import Tally, Unusual, count_groups, from_slots
from kehoach.errors import DataFileError, InputError, Problem
from kehoach.git.fingerprint import index_content_ids
from kehoach.store.layout import STATUS_DIR
from kehoach.store.records import ContentIds, Snapshot, current_records
from kehoach.store.slot_index import open_record_reader, slot_groups
from kehoach.store.tracker import Tracker

ScopeFor = Callable[[Definitions], Scope]


def evaluate(trackers: Sequence[SourcedTracker], scope_for: ScopeFor, as_of: dt.date,
             order: Callable[[list[EvaluatedSlot]], list[EvaluatedSlot]] | None = None,
             skipped: list[Problem] | None = None) -> list[EvaluatedSlot]:
    """Every tracker's slots in scope, tracker by tracker in the order given (each sorted by `order`).
    A period asked for that no tracker's plan tracks is refused (`slots.require_tracked_period`).
    With `skipped`, broken status files are left out and their problems collected there
    (`records.current_records`)."""
    scopes = [scope_for(sourced.tracker.definitions) for sourced in trackers]
    asked = scopes[0].period
    if asked is not None:
        tracked_somewhere(trackers, asked)
    result: list[EvaluatedSlot] = []
    for sourced, scope in zip(trackers, scopes, strict=True):
        tracker = sourced.tracker
        # Only the files that can hold a record in scope: a period's year, the units asked for.
        years = None if scope.period is None else {scope.period.year}
        records = current_records(tracker.status_dir, years, scope.units, skipped=skipped)
        items = build_slots(tracker.definitions, scope, records, as_of)
        if order is not None:
            items = order(items)
        if len(trackers) > 1:
            items = _sourced(items, sourced.source)
        result += items
    return result


def tracked_somewhere(trackers: Sequence[SourcedTracker], period: Period) -> None:
    """A period must have slots in at least one tracker's plan; otherwise the first tracker's reason."""
    _in_some_plan(trackers, lambda plan: require_tracked_period(plan, period))


def begun_somewhere(trackers: Sequence[SourcedTracker], as_of: dt.date) -> None:
    """The as-of day must be on or after at least one tracker's tracking start."""
    _in_some_plan(trackers, lambda plan: require_tracking_begun(plan, as_of))


def _in_some_plan(trackers: Sequence[SourcedTracker], require: Callable[[Plan], None]) -> None:
    refusals = []
    for sourced in trackers:
        try:
            require(sourced.tracker.plan)
            return
        except InputError as exc:
            refusals.append(exc)
    raise refusals[0]


class Counted(NamedTuple):
    counts: dict[Category, int]
    """Every slot in scope by category, summed over trackers."""
    open: list[EvaluatedSlot]
    """The open slots only, sourced as `evaluate` sources them."""
    periods: list[str]
    """The names of the periods counted, in deadline order (over trackers, first seen first)."""


def tally(trackers: Sequence[SourcedTracker], scope_for: ScopeFor, as_of: dt.date,
          skipped: list[Problem] | None = None) -> Counted:
    """`evaluate` for `check`: the counts of every slot in scope and the open slots. A day before every
    tracker's tracking start is refused."""
    begun_somewhere(trackers, as_of)
    counts = dict.fromkeys(Category, 0)
    items: list[EvaluatedSlot] = []
    periods: dict[str, None] = {}
    content_ids = index_once_a_tracker()
    for sourced in trackers:
        scope = scope_for(sourced.tracker.definitions)
        found = tally_one(sourced.tracker, scope, as_of, skipped, content_ids,
                          sourced.source if len(trackers) > 1 else "")
        for category, n in found.counts.items():
            counts[category] += n
        items += found.open
        periods.update(dict.fromkeys(p.name for p in scope_periods(sourced.tracker.plan, scope, as_of)))
    return Counted(counts, items, list(periods))


def tally_one(tracker: Tracker, scope: Scope, as_of: dt.date, skipped: list[Problem] | None = None,
              content_ids: ContentIds = index_content_ids, source: str = "") -> Tally:
    """The counts of `build_slots` over every record and its open slots: from the slot index when it
    can answer, else from every slot built (both give the same; tests compare them). The index never
    answers for broken data: then the broken files are refused, or left out into `skipped`.
    `content_ids`: `index_once_a_tracker()` when several plans of a tracker are counted; `source`: what
    each open slot says it came from (see `evaluate`)."""
    # Where the tracker is a git repository, git's index stands in for reading every file to see
    # whether anything changed (git.fingerprint); elsewhere every file is hashed.
    snap = Snapshot(tracker.status_dir, content_ids=content_ids)
    groups = slot_groups(snap)
    if groups is not None and scope.period is None:
        try:
            return count_groups(tracker.definitions, scope, as_of, groups, open_record_reader(tracker.status_dir),
                                source)
        except Unusual:
            pass
    files = snap.files()
    problems = [p for f in files for p in f.problems]
    if problems:
        if skipped is None:
            raise DataFileError(*problems)
        skipped += problems
    found = from_slots(tracker.definitions, scope, as_of,
                       {r.key: r for f in files if not f.problems for r in f.records()})
    return found._replace(open=_sourced(found.open, source)) if source else found


def index_once_a_tracker() -> ContentIds:
    """`git.fingerprint.index_content_ids` for the status folders of many plans, asking git once a tracker:
    its status/ holds every plan's folder (status/NAME/, and the years of data/plan.yaml), so twenty plans
    cost one git process instead of twenty. Each folder gets what git would say of it asked alone."""
    asked: dict[Path, tuple[dict[str, bytes], dict[str, dict[str, bytes]]] | None] = {}

    def content_ids(folder: Path) -> dict[str, bytes] | None:
        root = folder if folder.name == STATUS_DIR else folder.parent
        if root not in asked:
            ids = index_content_ids(root)
            asked[root] = None if ids is None else (ids, _by_plan_folder(ids))
        found = asked[root]
        if found is None:
            return None
        ids, by_plan = found
        return ids if root == folder else by_plan.get(folder.name, {})

    return content_ids


def _by_plan_folder(ids: dict[str, bytes]) -> dict[str, dict[str, bytes]]:
    """`PLAN/YEAR/NAME.yaml` -> id, as PLAN -> `YEAR/NAME.yaml` -> id."""
    found: dict[str, dict[str, bytes]] = {}
    for path, oid in ids.items():
        folder, _, rest = path.partition("/")
        if "/" in rest:
            found.setdefault(folder, {})[rest] = oid
    return found


def _sourced(items: list[EvaluatedSlot], source: str) -> list[EvaluatedSlot]:
    new = tuple.__new__  # `_replace` costs thrice as much, on every open slot of twenty plans
    return [new(EvaluatedSlot, (slot, record, category, days_late, source))
            for slot, record, category, days_late, _ in items]
