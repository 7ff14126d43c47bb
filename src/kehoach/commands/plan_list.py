"""`plan list`: the plans a tracker follows, each with its document, its tasks and how far it stands."""

from __future__ import annotations

import datetime as dt
from collections.abc import Sequence
from typing import Any, NamedTuple

from kehoach.commands.evaluate import tally_one
from kehoach.commands.many_trackers import SourcedTracker
from kehoach.domain.periods import year_of
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
    year: str
    """The year of the as-of date, whose slots are counted: what `kehoach report` counts by default."""
    counted: CountRow
    """Every slot of that year's periods, by category, as on the as-of date."""

    def as_json(self) -> dict[str, Any]:
        return {"name": self.name, "file": self.file, "id": self.plan_id, "number": self.number,
                "issued_on": self.issued_on, "issuer": self.issuer, "title": self.title, "tasks": self.tasks,
                "tracking_start": self.tracking_start, "year": self.year, "slots": self.counted.slots,
                "done": self.counted.done, "applicable": self.counted.applicable,
                "completion_rate": self.counted.completion_rate}


def plan_summaries(trackers: Sequence[SourcedTracker], as_of: dt.date,
                   skipped: list[Problem] | None = None) -> list[PlanSummary]:
    """One summary a plan, in the order the tracker lists them (data/plan.yaml first, then by file name).
    The completion rate is that of `kehoach report --plan NAME` on the as-of date (the periods of its year):
    the same number wherever a clerk reads it."""
    found = []
    year = year_of(as_of)
    for sourced in trackers:
        tracker = sourced.tracker
        plan = tracker.plan
        counted = tally_one(tracker, Scope(period=year), as_of, skipped)
        counts = CountRow(tracker.plan_name, plan.title, counted.counts)
        path = plan_path(tracker.data_dir, tracker.plan_file) if tracker.plan_file else tracker.data_dir / PLAN_FILE
        found.append(PlanSummary(tracker.plan_name, display_path(path), plan.id, plan.number, plan.issued_on,
                                 plan.issuer, plan.title, len(plan.tasks), plan.tracking_start, year.name, counts))
    return found
