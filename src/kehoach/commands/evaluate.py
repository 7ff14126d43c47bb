"""`status` and `check`: the slots in scope, evaluated on the as-of date, over one tracker or several.

With more than one tracker each slot carries its tracker's `source`; the scope is resolved per
tracker (`scope_for`), since units and groups are each tracker's own.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable, Sequence

from kehoach.commands.many_trackers import SourcedTracker
from kehoach.domain.definitions import Definitions
from kehoach.domain.model import Category
from kehoach.domain.slots import EvaluatedSlot, Scope, build_slots
from kehoach.domain.tally import Tally, Unusual, count_groups, from_slots
from kehoach.errors import DataFileError
from kehoach.store.records import Snapshot, current_records
from kehoach.store.slot_index import open_record_reader, slot_groups
from kehoach.store.tracker import Tracker

ScopeFor = Callable[[Definitions], Scope]


def evaluate(trackers: Sequence[SourcedTracker], scope_for: ScopeFor, as_of: dt.date,
             order: Callable[[list[EvaluatedSlot]], list[EvaluatedSlot]] | None = None) -> list[EvaluatedSlot]:
    """Every tracker's slots in scope, tracker by tracker in the order given (each sorted by `order`)."""
    result: list[EvaluatedSlot] = []
    for sourced in trackers:
        tracker = sourced.tracker
        scope = scope_for(tracker.definitions)
        # Only the files that can hold a record in scope: a period's year, the units asked for.
        years = None if scope.period is None else {scope.period.year}
        items = build_slots(tracker.definitions, scope, current_records(tracker.status_dir, years, scope.units),
                            as_of)
        if order is not None:
            items = order(items)
        if len(trackers) > 1:
            items = _sourced(items, sourced.source)
        result += items
    return result


def tally(trackers: Sequence[SourcedTracker], scope_for: ScopeFor, as_of: dt.date,
          ) -> tuple[dict[Category, int], list[EvaluatedSlot]]:
    """`evaluate` for `check`: the counts of every slot in scope, summed over trackers, and the open
    slots only, sourced as `evaluate` sources them."""
    counts = dict.fromkeys(Category, 0)
    items: list[EvaluatedSlot] = []
    for sourced in trackers:
        found = tally_one(sourced.tracker, scope_for(sourced.tracker.definitions), as_of)
        for category, n in found.counts.items():
            counts[category] += n
        items += _sourced(found.open, sourced.source) if len(trackers) > 1 else found.open
    return counts, items


def tally_one(tracker: Tracker, scope: Scope, as_of: dt.date) -> Tally:
    """The counts of `build_slots` over every record and its open slots: from the slot index when it
    can answer, else from every slot built (both give the same; tests compare them)."""
    snap = Snapshot(tracker.status_dir)
    groups = slot_groups(snap)
    if groups is not None and scope.period is None:
        try:
            return count_groups(tracker.definitions, scope, as_of, groups, open_record_reader(tracker.status_dir))
        except Unusual:
            pass
    files = snap.files()
    problems = [p for f in files for p in f.problems]
    if problems:
        raise DataFileError(*problems)
    return from_slots(tracker.definitions, scope, as_of, {r.key: r for f in files for r in f.records()})


def _sourced(items: list[EvaluatedSlot], source: str) -> list[EvaluatedSlot]:
    return [item._replace(source=source) for item in items]
