"""One report over several trackers (`report --data A --data B`, or a folder of trackers).

Trackers are read one at a time: each one's records are loaded, its slots evaluated and counted, and
only its count rows, its overdue rows and (up to a bound) its slot rows are kept before the next is
read. So memory stays that of one tracker plus the counts, whatever the number of provinces: 34
provinces of ten years (~2.4 M records) fit where one does.

What the merged report holds, each row keeping its `source` (the tracker's folder name):
- totals over every tracker, and one count row per tracker (`by_source`);
- per tracker and group, per tracker and unit (units and groups are each tracker's own);
- per task: summed over trackers when they all follow the same plan (same plan id), otherwise per
  tracker and task;
- per tracker and task (`by_source_task`: the workbook's matrix of trackers × tasks);
- the overdue list across trackers, most overdue first; the slot rows, at most `keep_slots`.

Over the plans of one tracker (each plan a source) the same holds, with the plan as the source, and one
more summary: by unit across every plan (`by_unit_all_plans`), as the units are shared.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable, Sequence

from kehoach.commands.many_trackers import SourcedTracker, several_plans
from kehoach.domain.definitions import Definitions
from kehoach.domain.model import Period
from kehoach.domain.report import (
    TOTAL_KEY,
    TOTAL_LABEL,
    CountRow,
    Report,
    ReportScope,
    SlotRow,
    across_sources,
    build_report,
    collect,
    summed,
)
from kehoach.errors import Problem
from kehoach.store.records import current_records

MANY_PLANS = ("nhieu-ke-hoach", "Các kế hoạch của các bộ theo dõi")
PLANS_OF_ONE = ("nhieu-ke-hoach", "các kế hoạch của bộ theo dõi")
"""Lower case: documents write it after "Tình hình thực hiện"."""


def merged_scope(scopes: Sequence[ReportScope], count: int, plans: bool = False) -> ReportScope:
    first = scopes[0]
    what = f"{count} kế hoạch" if plans else f"{count} bộ theo dõi"
    if first.kind == "all":
        return ReportScope("all", "nhieu-ke-hoach" if plans else "nhieu-bo-theo-doi", what)
    return ReportScope(first.kind, first.id, f"{first.name} — {what}")


def merged_report(
    trackers: Sequence[SourcedTracker],
    scope_for: Callable[[Definitions], ReportScope],
    period: Period,
    as_of: dt.date,
    keep_slots: int | None = None,
    skipped: list[Problem] | None = None,
) -> Report:
    """The report across trackers, read in the order given; `scope_for` resolves --unit/--group in
    each tracker (names and ids are each tracker's own). `skipped` as in `records.current_records`."""
    same_plan = len({t.tracker.plan.id for t in trackers}) == 1
    plans = several_plans(trackers)
    scopes: list[ReportScope] = []
    by_source: list[CountRow] = []
    by_group: list[CountRow] = []
    by_unit: list[CountRow] = []
    unit_rows: list[CountRow] = []
    by_source_task: list[CountRow] = []
    tasks: dict[str, list[CountRow]] = {}
    overdue: list[SlotRow] = []
    slots: list[SlotRow] = []
    task_titles: dict[str, str] = {}
    task_texts: dict[str, str] = {}
    for sourced in trackers:
        tracker, source = sourced.tracker, sourced.source
        scope = scope_for(tracker.definitions)
        scopes.append(scope)
        room = None if keep_slots is None else max(keep_slots - len(slots), 0)
        # Only the period's year: records of a period of year Y live in status/Y/ (as `report` reads one tracker).
        records = current_records(tracker.status_dir, years={period.year}, skipped=skipped)
        items = collect(tracker.definitions, scope, period, as_of, records)
        part = build_report(tracker.definitions, scope, period, as_of, items, keep_slots=room)
        del items, records  # this tracker's slots and records go before the next tracker is read
        by_source.append(part.totals._replace(key=source, label=source))
        by_group += [row.sourced(source) for row in part.by_group]
        by_unit += [row.sourced(source) for row in part.by_unit]
        unit_rows += part.by_unit
        for row in part.by_task:
            by_source_task.append(row._replace(source=source, task=row.key))
            if same_plan:
                tasks.setdefault(row.key, []).append(row)
            else:
                tasks[f"{source}/{row.key}"] = [row._replace(source=source)]
        overdue += [row._replace(source=source) for row in part.overdue]
        slots += [row._replace(source=source) for row in part.slots]
        for task, title in part.task_titles.items():
            task_titles.setdefault(task if same_plan else f"{source}/{task}", title)
        for task, text in part.task_texts.items():
            task_texts.setdefault(task if same_plan else f"{source}/{task}", text)

    by_task = [CountRow(rows[0].key if same_plan else key, rows[0].label, summed(rows), rows[0].source)
               for key, rows in tasks.items()]
    # Stable: equally overdue slots keep tracker order, then each tracker's own order.
    overdue.sort(key=lambda row: (-row.days_late, row.deadline))
    first = trackers[0].tracker.plan
    plan_id, plan_title = (first.id, first.title) if same_plan else PLANS_OF_ONE if plans else MANY_PLANS
    registry = trackers[0].tracker.registry
    return Report(
        plan_id=plan_id,
        plan_title=plan_title,
        scope=merged_scope(scopes, len(trackers), plans),
        period=period,
        as_of=as_of,
        slots=slots,
        totals=CountRow(TOTAL_KEY, TOTAL_LABEL, summed(by_source)),
        by_group=by_group,
        by_task=by_task,
        by_unit=by_unit,
        overdue=overdue,
        task_titles=task_titles,
        matrix_columns=[],
        by_source=by_source,
        by_source_task=by_source_task,
        task_texts=task_texts,
        plan_citation=first.citation() if same_plan else "",
        source_heading="Kế hoạch" if plans else "Bộ theo dõi",
        by_unit_all_plans=across_sources(unit_rows, list(registry.units)) if plans else [],
    )
