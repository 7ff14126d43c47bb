"""One report over several trackers (`report --data A --data B`, or a folder of trackers).

Each tracker (or plan) gives its part: its own report, remembered in its cache for the data it was
computed from (`store.report_cache`), so an unchanged tracker costs a lookup. The parts not found are
computed, on every core when there are several (trackers are independent: a process pool sized to
the cores this process may use), else one at a time here; only each part's count rows, overdue rows
and (up to a bound) slot rows are kept before the next is merged, so memory stays that of a tracker
or two plus the counts, whatever the number of provinces. The parts are merged, in the order given, by
`merge_parts`, the one merge `report --from-json` uses too; the pool and the sequential path give the
same parts, so the same bytes (tested).

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
import threading
from collections.abc import Callable, Iterable, Iterator, Sequence
from concurrent.futures import ProcessPoolExecutor, ThreadPoolExecutor
from pathlib import Path
from typing import NamedTuple

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
    short_title,
    summed,
)
from kehoach.errors import DataFileError, InputError, Problem
from kehoach.git.fingerprint import index_content_ids
from kehoach.store import report_cache
from kehoach.store.layout import PLAN_FILE, STATUS_DIR, UNITS_FILE, plan_path
from kehoach.store.pool import pool_options, usable_cores
from kehoach.store.progress import PARSING_PROGRESS
from kehoach.store.records import ContentIds, Snapshot
from kehoach.store.report_cache import Question, Stored
from kehoach.store.tracker import Tracker

MANY_PLANS = ("nhieu-ke-hoach", "Các kế hoạch của các bộ theo dõi")
PLANS_OF_ONE = ("nhieu-ke-hoach", "các kế hoạch của bộ theo dõi")
"""Lower case: documents write it after "Tình hình thực hiện"."""


def merged_scope(scopes: Sequence[ReportScope], count: int, plans: bool = False) -> ReportScope:
    first = scopes[0]
    what = f"{count} kế hoạch" if plans else f"{count} bộ theo dõi"
    if first.kind == "all":
        return ReportScope("all", "nhieu-ke-hoach" if plans else "nhieu-bo-theo-doi", what)
    return ReportScope(first.kind, first.id, f"{first.name} — {what}")




ScopeFor = Callable[[Definitions], ReportScope]


def merged_report(
    trackers: Sequence[SourcedTracker],
    scope_for: ScopeFor,
    period: Period,
    as_of: dt.date,
    keep_slots: int | None = None,
    skipped: list[Problem] | None = None,
) -> Report:
    """The report across trackers, in the order given; `scope_for` resolves --unit/--group in each
    tracker (names and ids are each tracker's own). The problems of the broken status files left out
    go to `skipped` (a reading command's list, as in `records.current_records`)."""
    return SourceParts(trackers, scope_for, period, as_of, skipped).merged(keep_slots)


class _Lookup(NamedTuple):
    """One source's part as the cache had it (`stored`), or what computing it needs."""

    sourced: SourcedTracker
    question: Question
    key: bytes | None
    fingerprints: dict[str, bytes]
    stored: Stored | None


class SourceParts:
    """Each source's part of a report over several: looked up once in each one's cache, those not found
    computed (on every core when several are), then merged, or walked again for their slot rows."""

    def __init__(self, trackers: Sequence[SourcedTracker], scope_for: ScopeFor, period: Period, as_of: dt.date,
                 skipped: list[Problem] | None = None) -> None:
        self.trackers = trackers
        self.skipped = skipped
        content_ids = year_content_ids(period.year)
        questions = [Question(period, as_of, scope_for(sourced.tracker.definitions)) for sourced in trackers]
        # A lookup mostly waits for git and the disk: a few at once keep every core busy.
        with ThreadPoolExecutor(2 * usable_cores()) as threads:
            self.lookups = list(threads.map(lambda sourced, question: _look_up(sourced, question, content_ids),
                                            trackers, questions))

    def merged(self, keep_slots: int | None = None) -> Report:
        plans = several_plans(self.trackers)
        units = list(self.trackers[0].tracker.registry.units) if plans else []
        return merge_parts(self.parts(keep_slots), keep_slots, plans=plans, unit_order=units)

    def parts(self, keep_slots: int | None = None) -> Iterator[tuple[str, Report]]:
        """(source, part) in the order of the trackers, with as many slot rows as are still wanted."""
        taken = 0
        for lookup, computed in zip(self.lookups, self._computed(keep_slots), strict=True):
            room = None if keep_slots is None else max(keep_slots - taken, 0)
            if lookup.stored is not None:
                part = lookup.stored.with_slots(room)
            else:
                assert computed is not None
                part, problems = computed
                if self.skipped is not None:
                    self.skipped += problems
                elif problems:
                    raise DataFileError(*problems)
                if room is not None:
                    del part.slots[room:]
            taken += len(part.slots)
            yield lookup.sourced.source, part

    def slot_rows(self) -> Iterator[SlotRow]:
        """Every slot row of every source, in order, its source set: read from the caches (the parts a
        run has just merged are all there) a chunk at a time, computed again where a cache could not
        keep one. Memory holds one chunk, not the 245,000 rows of 34 provinces."""
        for lookup in self.lookups:
            source = lookup.sourced.source
            stored = lookup.stored or (report_cache.load(lookup.sourced.tracker.status_dir, lookup.question,
                                                         lookup.key) if lookup.key is not None else None)
            rows = report_cache.slots_of(stored) if stored is not None else iter(_compute(
                lookup.sourced.tracker, lookup.question, lookup.key, lookup.fingerprints, None)[0].slots)
            for row in rows:
                yield row._replace(source=source)

    def _computed(self, keep_slots: int | None) -> Iterator[tuple[Report, list[Problem]] | None]:
        """The computed part of each source not found in its cache (None for those found), in order."""
        missing = [lookup for lookup in self.lookups if lookup.stored is None]
        workers = min(len(missing), usable_cores())
        tell = PARSING_PROGRESS.get()
        if workers < 2:
            for lookup in self.lookups:
                yield None if lookup.stored is not None else _compute(
                    lookup.sourced.tracker, lookup.question, lookup.key, lookup.fingerprints, keep_slots)
            return
        asks = [(lookup.sourced.tracker, lookup.question, lookup.key, lookup.fingerprints, keep_slots)
                for lookup in missing]
        with ProcessPoolExecutor(workers, **pool_options()) as pool:
            results = pool.map(_compute_ask, asks)  # submitted at once: the workers start before any bar
            if tell is not None:
                tell(0, len(missing))
            done = 0
            for lookup in self.lookups:
                if lookup.stored is not None:
                    yield None
                    continue
                yield next(results)
                done += 1
                if tell is not None:
                    tell(done, len(missing))


def _compute_ask(ask: tuple[Tracker, Question, bytes | None, dict[str, bytes], int | None],
                 ) -> tuple[Report, list[Problem]]:
    return _compute(*ask)


def year_content_ids(year: int) -> ContentIds:
    """git's content ids of one year's status files: one question to git a tracker, its plans sharing
    it (each plan's status folder is status/NAME/, below the one of data/plan.yaml)."""
    asked: dict[Path, dict[str, bytes] | None] = {}
    # Lookups run in threads: the plans of one tracker wait for its one question, other trackers do not.
    locks: dict[Path, threading.Lock] = {}
    locking = threading.Lock()

    def content_ids(status_dir: Path) -> dict[str, bytes] | None:
        root = status_dir if status_dir.name == STATUS_DIR else status_dir.parent
        with locking:
            lock = locks.setdefault(root, threading.Lock())
        with lock:
            if root not in asked:
                asked[root] = index_content_ids(root, (str(year), f"*/{year}/*"))
            known = asked[root]
        if known is None or root == status_dir:
            return known
        prefix = status_dir.name + "/"
        return {name[len(prefix):]: oid for name, oid in known.items() if name.startswith(prefix)}

    return content_ids


def _look_up(sourced: SourcedTracker, question: Question, content_ids: ContentIds) -> _Lookup:
    tracker = sourced.tracker
    snap = Snapshot(tracker.status_dir, years={question.period.year}, content_ids=content_ids)
    fingerprints = snap.year_fingerprints
    key = _data_key(tracker, fingerprints)
    stored = report_cache.load(tracker.status_dir, question, key) if key is not None else None
    return _Lookup(sourced, question, key, fingerprints, stored)


def _data_key(tracker: Tracker, fingerprints: dict[str, bytes]) -> bytes | None:
    plan = plan_path(tracker.data_dir, tracker.plan_file) if tracker.plan_file else tracker.data_dir / PLAN_FILE
    try:
        files = [(tracker.data_dir / UNITS_FILE).read_bytes(), plan.read_bytes()]
    except OSError:
        return None
    return report_cache.data_key(files, fingerprints)


def _compute(tracker: Tracker, question: Question, key: bytes | None, fingerprints: dict[str, bytes],
             keep_slots: int | None) -> tuple[Report, list[Problem]]:
    """One source's part from its records (only the period's year: records of a period of year Y live
    in status/Y/), remembered in its cache when it was computed from the very data the key names."""
    period, as_of, scope = question
    snap = Snapshot(tracker.status_dir, years={period.year})
    files = snap.files()
    problems = [p for f in files for p in f.problems]
    records = {r.key: r for f in files if not f.problems for r in f.records()}
    items = collect(tracker.definitions, scope, period, as_of, records)
    part = build_report(tracker.definitions, scope, period, as_of, items)
    del items, records, files  # this tracker's slots and records go before the next tracker is read
    if key is not None and not problems and snap.resolved_year_fingerprints() == fingerprints:
        report_cache.save(tracker.status_dir, question, key, part)
    if keep_slots is not None:
        part.slots[keep_slots:] = []
    return part, problems


def merge_parts(parts: Iterable[tuple[str, Report]], keep_slots: int | None = None, plans: bool = False,
                unit_order: Sequence[str] = ()) -> Report:
    """The report across sources from each one's own report (source, part), in the order given: totals
    and one count row per source; per source and group, per source and unit; per task summed over the
    sources when they all follow one plan, else per source and task; the overdue rows across sources,
    most overdue first; at most `keep_slots` slot rows (None: all). Each part is let go once merged.
    `plans`: the sources are the plans of one tracker, whose units (`unit_order`) get one row each
    across plans. A part read from a JSON document has no task titles: its by-task labels stand in."""
    first: Report | None = None
    plan_ids: set[str] = set()
    scopes: list[ReportScope] = []
    by_source: list[CountRow] = []
    by_group: list[CountRow] = []
    by_unit: list[CountRow] = []
    unit_rows: list[CountRow] = []
    task_rows: list[tuple[str, CountRow]] = []
    overdue: list[SlotRow] = []
    slots: list[SlotRow] = []
    titles: list[tuple[str, dict[str, str], dict[str, str]]] = []
    for source, part in parts:
        first = first or part
        plan_ids.add(part.plan_id)
        scopes.append(part.scope)
        by_source.append(part.totals._replace(key=source, label=source))
        by_group += [row.sourced(source) for row in part.by_group]
        by_unit += [row.sourced(source) for row in part.by_unit]
        unit_rows += part.by_unit
        task_rows += [(source, row) for row in part.by_task]
        overdue += [row._replace(source=source) for row in part.overdue]
        room = len(part.slots) if keep_slots is None else max(keep_slots - len(slots), 0)
        slots += [row._replace(source=source) for row in part.slots[:room]]
        texts = part.task_texts or {row.key: row.label for row in part.by_task}  # a label is the whole text
        titles.append((source, part.task_titles or {k: short_title(t) for k, t in texts.items()}, texts))
    if first is None:
        raise InputError("--from-json cần ít nhất một tệp báo cáo JSON, ví dụ: "
                         "kehoach report --from-json thanh-hoa.json nghe-an.json")
    same_plan = len(plan_ids) == 1
    # Over one plan a task's rows are summed across sources; over several, each source's stays its own.
    tasks: dict[str, list[CountRow]] = {}
    for source, row in task_rows:
        tasks.setdefault(row.key if same_plan else f"{source}/{row.key}", []).append(
            row if same_plan else row._replace(source=source))
    by_task = [CountRow(rows[0].key if same_plan else key, rows[0].label, summed(rows), rows[0].source)
               for key, rows in tasks.items()]
    task_titles: dict[str, str] = {}
    task_texts: dict[str, str] = {}
    for source, short, whole in titles:
        for task, title in short.items():
            task_titles.setdefault(task if same_plan else f"{source}/{task}", title)
        for task, text in whole.items():
            task_texts.setdefault(task if same_plan else f"{source}/{task}", text)
    # Stable: equally overdue slots keep source order, then each source's own order.
    overdue.sort(key=lambda row: (-row.days_late, row.deadline))
    plan_id, plan_title = (first.plan_id, first.plan_title) if same_plan else PLANS_OF_ONE if plans else MANY_PLANS
    return Report(
        plan_id=plan_id,
        plan_title=plan_title,
        scope=merged_scope(scopes, len(scopes), plans),
        period=first.period,
        as_of=first.as_of,
        slots=slots,
        totals=CountRow(TOTAL_KEY, TOTAL_LABEL, summed(by_source)),
        by_group=by_group,
        by_task=by_task,
        by_unit=by_unit,
        overdue=overdue,
        task_titles=task_titles,
        matrix_columns=[],
        by_source=by_source,
        by_source_task=[row._replace(source=source, task=row.key) for source, row in task_rows],
        task_texts=task_texts,
        plan_citation=first.plan_citation if same_plan else "",
        source_heading="Kế hoạch" if plans else "Bộ theo dõi",
        by_unit_all_plans=across_sources(unit_rows, unit_order) if plans else [],
    )
