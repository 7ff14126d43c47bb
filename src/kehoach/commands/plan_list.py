"""`plan list`: the plans a tracker follows, each with its document, its tasks and how far it stands."""

from __future__ import annotations

import datetime as dt
from collections.abc import Sequence
from typing import Any, NamedTuple

from kehoach.commands.evaluate import index_once_a_tracker, tally_one
from kehoach.commands.many_trackers import SourcedTracker
from kehoach.domain.report import CountRow
from kehoach.domain.slots import Scope
from kehoach.errors import Problem
from kehoach.store.layout import PLAN_FILE, display_path, plan_path


class PlanSummary(NamedTuple):
    name: str
    """How --plan names it: its file name in plans/, or the id of data/plan.yaml."""
    file: str
    plan_id: str
    number: str | None
    issued_on: dt.date | None
    issuer: str
    title: str
    tasks: int
    tracking_start: dt.date
    counted: CountRow
    """Every slot due on or before the as-of date (from the tracking start), by category."""

    def as_json(self) -> dict[str, Any]:
        return {"name": self.name, "file": self.file, "id": self.plan_id, "number": self.number,
                "issued_on": self.issued_on, "issuer": self.issuer, "title": self.title, "tasks": self.tasks,
                "tracking_start": self.tracking_start, "slots_due": self.counted.slots,
                "done": self.counted.done, "applicable": self.counted.applicable,
                "completion_rate": self.counted.completion_rate}


def plan_summaries(trackers: Sequence[SourcedTracker], as_of: dt.date,
                   skipped: list[Problem] | None = None) -> list[PlanSummary]:
    """One summary a plan, in the order the tracker lists them (data/plan.yaml first, then by file name).
    The completion rate is that of the slots due by the as-of date (those `check --within 0` counts, from
    the slot index: twenty plans stay instant); a plan not yet begun has none."""
    found = []
    content_ids = index_once_a_tracker()
    for sourced in trackers:
        tracker = sourced.tracker
        plan = tracker.plan
        counts = CountRow.of(tracker.plan_name, plan.title, [])
        if as_of >= plan.tracking_start:
            counted = tally_one(tracker, Scope(last=as_of), as_of, skipped, content_ids)
            counts = CountRow(tracker.plan_name, plan.title, counted.counts)
        path = plan_path(tracker.data_dir, tracker.plan_file) if tracker.plan_file else tracker.data_dir / PLAN_FILE
        found.append(PlanSummary(tracker.plan_name, display_path(path), plan.id, plan.number, plan.issued_on,
                                 plan.issuer, plan.title, len(plan.tasks), plan.tracking_start, counts))
    return found
