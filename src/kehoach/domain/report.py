"""The report's one row model: counts per task, group and unit, the overdue list, the unit sheet.

Every format (terminal, plain, markdown, csv, json, Excel) is made from the rows built here, so they
all show the same numbers. Rows are typed (`CountRow`, `SlotRow`); `as_json()` gives each its JSON
shape, which is also what the text tables read (`status --format json` has the slot rows' keys).

Completion rate (tỷ lệ hoàn thành) = slots done (on time or late) / (slots − slots "không áp dụng"),
as a percentage with one decimal; no rate (None) when every slot is "không áp dụng" or there is none.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass, field
from typing import Any, NamedTuple

from kehoach.domain.definitions import Definitions
from kehoach.domain.model import Category, Group, Period, Record, Status, Unit
from kehoach.domain.periods import format_date
from kehoach.domain.rates import completion_rate
from kehoach.domain.rules import UnitChoice, chosen_units
from kehoach.domain.slots import EvaluatedSlot, Scope, build_slots, count_categories, sort_slots
from kehoach.domain.text import slug
from kehoach.domain.trend import Trend

COMPLETION_RULE = (
    "Tỷ lệ hoàn thành = số lượt báo cáo đã hoàn thành (đúng hạn và quá hạn) / (tổng số lượt báo cáo − số lượt "
    "không áp dụng) × 100%."
)

SHORT_LABELS = {
    Category.HOAN_THANH_DUNG_HAN: "HT đúng hạn",
    Category.HOAN_THANH_QUA_HAN: "HT quá hạn",
    Category.DANG_THUC_HIEN_TRONG_HAN: "Đang TH",
    Category.DANG_THUC_HIEN_QUA_HAN: "Đang TH, quá hạn",
    Category.CHUA_THUC_HIEN_TRONG_HAN: "Chưa TH",
    Category.CHUA_THUC_HIEN_QUA_HAN: "Chưa TH, quá hạn",
    Category.KHONG_AP_DUNG: "Không AD",
}
"""Short forms for narrow columns and matrix cells; the legend spells them out."""

ABBREVIATIONS = "HT: hoàn thành; TH: thực hiện; AD: áp dụng."
NO_GROUP = ("khac", "Đơn vị khác (không thuộc nhóm)")
WHOLE_PLAN = ("toan-tinh", "Toàn tỉnh")
TOTAL_KEY = "tong-cong"
TOTAL_LABEL = "Tổng cộng"


def percent_key(category: Category) -> str:
    """The JSON key of a category's share of the slots, beside the key of its count (its value)."""
    return f"{category.value}_percent"


_DONE = frozenset(c for c in Category if c.done)
_OVERDUE = frozenset(c for c in Category if c.overdue)
_PERCENT_KEYS = {c: percent_key(c) for c in Category}


class CountRow(NamedTuple):
    """Slots of one task, group, unit or tracker (or all of them) by category, with the completion rate."""

    key: str
    label: str
    counts: Mapping[Category, int]
    """Every category, in Category order."""
    source: str = ""
    """The tracker the row belongs to, in a report over several; "" otherwise."""
    task: str = ""
    """The task of a per-tracker-and-task row (the workbook's matrix of trackers × tasks); "" otherwise."""

    @classmethod
    def of(cls, key: str, label: str, items: Iterable[EvaluatedSlot]) -> CountRow:
        return cls(key, label, count_categories(items))

    @property
    def slots(self) -> int:
        return sum(self.counts.values())

    @property
    def done(self) -> int:
        return sum(n for c, n in self.counts.items() if c.done)

    @property
    def applicable(self) -> int:
        return self.slots - self.counts[Category.KHONG_AP_DUNG]

    @property
    def overdue(self) -> int:
        return sum(n for c, n in self.counts.items() if c.overdue)

    @property
    def completion_rate(self) -> float | None:
        return completion_rate(self.done, self.applicable)

    def percent(self, category: Category) -> float:
        total = self.slots
        return round(100.0 * self.counts[category] / total, 1) if total else 0.0

    def sourced(self, source: str) -> CountRow:
        """This tracker's row in a report over several: its key made unique across trackers."""
        return self._replace(key=f"{source}/{self.key}", source=source)

    def as_json(self) -> dict[str, Any]:
        # The properties above, each sum taken once: a report over 20 plans writes thousands of rows.
        counts = self.counts
        total = sum(counts.values())
        done = overdue = 0
        row: dict[str, Any] = {"source": self.source} if self.source else {}
        row.update(key=self.key, label=self.label, slots=total)
        for category, n in counts.items():
            row[category.value] = n
            if category in _DONE:
                done += n
            if category in _OVERDUE:
                overdue += n
        for category, n in counts.items():
            row[_PERCENT_KEYS[category]] = round(100.0 * n / total, 1) if total else 0.0
        applicable = total - counts[Category.KHONG_AP_DUNG]
        row.update(done=done, applicable=applicable, overdue=overdue,
                   completion_rate=completion_rate(done, applicable))
        if self.task:
            row["task"] = self.task
        return row


def across_sources(rows: Iterable[CountRow], order: Sequence[str]) -> list[CountRow]:
    """Count rows of the same key from several sources as one row each, in `order` of keys (then the
    order met): a unit's rows of every plan as the unit's one row."""
    grouped: dict[str, list[CountRow]] = {}
    for row in rows:
        grouped.setdefault(row.key, []).append(row)
    position = {key: index for index, key in enumerate(order)}
    keys = sorted(grouped, key=lambda k: position.get(k, len(position)))
    return [CountRow(key, grouped[key][0].label, summed(grouped[key])) for key in keys]


def summed(rows: Iterable[CountRow]) -> dict[Category, int]:
    """The category counts of several count rows added up."""
    counts = dict.fromkeys(Category, 0)
    for row in rows:
        for category, n in row.counts.items():
            counts[category] += n
    return counts


class SlotRow(NamedTuple):
    """One slot as every output shows it: the task, the unit, the period, its standing and its record."""

    task: str
    unit: str
    unit_name: str
    period: str
    deadline: dt.date
    status: str
    status_label: str
    recorded: bool
    category: str
    category_label: str
    days_late: int
    done_on: dt.date | None
    evidence: str | None
    note: str | None
    recorded_on: dt.date | None
    recorded_by: str | None
    source: str = ""
    """The tracker the slot came from when several are read at once; "" with one tracker."""

    @classmethod
    def of(cls, item: EvaluatedSlot) -> SlotRow:
        slot, record = item.slot, item.record
        status = record.status if record is not None else Status.CHUA_THUC_HIEN
        return cls(
            slot.task.id, slot.unit.id, slot.unit.name, slot.period.name, slot.deadline, status.value,
            status.label, record is not None, item.category.value, item.category.label, item.days_late,
            record.done_on if record else None, record.evidence if record else None,
            record.note if record else None, record.recorded_on if record else None,
            record.recorded_by if record else None, item.source)

    def as_json(self, **extra: Any) -> dict[str, Any]:
        """The keys of `status --format json`, then `extra`'s; the source first when there is one."""
        row = self._asdict()
        source = row.pop("source")
        row.update(extra)
        return {"source": source, **row} if source else row


@dataclass(frozen=True)
class ReportScope:
    """What the report covers: the whole plan, one group or one unit."""

    kind: str
    """'all', 'group' or 'unit'."""
    id: str
    name: str

    @classmethod
    def chosen(cls, definitions: Definitions, choice: UnitChoice) -> ReportScope:
        """From what a clerk asked for (a unit or a group); the whole plan otherwise."""
        if choice.unit:
            return cls.of_unit(definitions.registry.find_unit(choice.unit))
        if choice.group:
            return cls.of_group(definitions.registry.find_group(choice.group))
        return cls.whole_plan()

    @classmethod
    def whole_plan(cls) -> ReportScope:
        return cls("all", *WHOLE_PLAN)

    @classmethod
    def of_unit(cls, unit: Unit) -> ReportScope:
        return cls("unit", unit.id, unit.name)

    @classmethod
    def of_group(cls, group: Group) -> ReportScope:
        return cls("group", group.id, group.name)

    def choice(self) -> UnitChoice:
        """The unit choice this scope stands for, for the rule that resolves it to units."""
        return UnitChoice(unit=self.id if self.kind == "unit" else None,
                          group=self.id if self.kind == "group" else None)


@dataclass
class Report:
    plan_id: str
    plan_title: str
    scope: ReportScope
    period: Period
    as_of: dt.date
    slots: list[SlotRow]
    """Every slot in scope, by unit, then task order, then deadline."""
    totals: CountRow
    by_group: list[CountRow]
    by_task: list[CountRow]
    by_unit: list[CountRow]
    overdue: list[SlotRow]
    """Overdue slots, most days late first."""
    task_titles: dict[str, str]
    """Task id -> a short form of its content, for the terminal and printed pages."""
    matrix_columns: list[tuple[str, str]]
    """(task id, period name) of every matrix column, in plan order then deadline."""
    by_source: list[CountRow] = field(default_factory=list)
    """Several trackers: one count row per tracker (key and label: its source name); empty for one."""
    by_source_task: list[CountRow] = field(default_factory=list)
    """Several trackers: count rows per tracker and task (`source` and `task` set), tracker order."""
    task_texts: dict[str, str] = field(default_factory=dict)
    """Task id -> its whole content, for machine outputs (JSON, CSV, Markdown): never cut."""
    plan_citation: str = ""
    """The plan as officials cite it (`Plan.citation`); "" over trackers of different plans."""
    source_heading: str = "Bộ theo dõi"
    """What the sources are, as a column heads them: "Bộ theo dõi", or "Kế hoạch" over the plans of one tracker."""
    by_unit_all_plans: list[CountRow] = field(default_factory=list)
    """Over the plans of one tracker: one count row per unit, its slots of every plan summed (what the unit
    owes this period, whatever plan it comes from); empty otherwise."""
    trend: Trend | None = None
    """The completion rate week by week (`domain/trend`), where the output shows it; None otherwise."""

    @property
    def several(self) -> bool:
        return bool(self.by_source)

    def title_of(self, task: str, source: str = "", whole: bool = False) -> str:
        """A task's text (short, or whole for machine outputs). Over sources of different plans, titles are
        kept as "source/task": task 1 of one plan is not task 1 of another."""
        titles = self.task_texts if whole else self.task_titles
        return titles.get(f"{source}/{task}", "") or titles.get(task, "") if source else titles.get(task, "")

    @property
    def slots_left_out(self) -> int:
        """Slots counted but not kept as rows (a report over many trackers keeps a bounded number)."""
        return self.totals.slots - len(self.slots)

    @property
    def title(self) -> str:
        when = format_date(self.as_of)
        what = self.plan_citation or "các kế hoạch"
        return f"Báo cáo tình hình thực hiện {what} — kỳ {self.period.name} — tính đến {when}"

    def as_json(self) -> dict[str, Any]:
        return {
            "plan": self.plan_id,
            "plan_title": self.plan_title,
            "plan_citation": self.plan_citation,
            "scope": {"kind": self.scope.kind, "id": self.scope.id, "name": self.scope.name},
            "period": self.period.name,
            "as_of": self.as_of,
            "completion_rule": COMPLETION_RULE,
            "totals": self.totals.as_json(),
            "by_group": [r.as_json() for r in self.by_group],
            "by_task": [r.as_json() for r in self.by_task],
            "by_unit": [r.as_json() for r in self.by_unit],
            "overdue": [r.as_json() for r in self.overdue],
            "slots": [r.as_json() for r in self.slots],
            **({"by_source": [r.as_json() for r in self.by_source]} if self.several else {}),
            **({"by_unit_all_plans": [r.as_json() for r in self.by_unit_all_plans]} if self.by_unit_all_plans
               else {}),
            **({"trend": self.trend.as_json()} if self.trend is not None else {}),
        }


def whole_text(text: str) -> str:
    """A task's content on one line: the plan's line breaks are layout, not meaning."""
    return " ".join(text.split())


def short_title(text: str, limit: int = 90) -> str:
    """The start of a task's content, cut at a word, so a summary row stays one or two lines."""
    flat = whole_text(text)
    if len(flat) <= limit:
        return flat
    cut = flat[:limit].rsplit(" ", 1)[0].rstrip(",;:")
    return cut + "…"


def collect(
    definitions: Definitions,
    scope: ReportScope,
    period: Period,
    as_of: dt.date,
    records: dict[tuple[str, str, str], Record],
) -> list[EvaluatedSlot]:
    """The slots a report covers: the same ones `status` shows for the same scope and period."""
    units = chosen_units(definitions, scope.choice())
    return sort_slots(build_slots(definitions, Scope(units=units, period=period), records, as_of))


def unit_reports(
    definitions: Definitions,
    scope: ReportScope,
    period: Period,
    as_of: dt.date,
    records: dict[tuple[str, str, str], Record],
) -> list[Report]:
    """One report per unit with slots in the period (all units, or a group's), from one pass over slots."""
    by_unit: dict[str, list[EvaluatedSlot]] = {}
    for item in collect(definitions, scope, period, as_of, records):
        by_unit.setdefault(item.slot.unit.id, []).append(item)
    return [
        build_report(definitions, ReportScope.of_unit(definitions.registry.units[uid]), period, as_of, items)
        for uid, items in sorted(by_unit.items())
    ]


def build_report(
    definitions: Definitions,
    scope: ReportScope,
    period: Period,
    as_of: dt.date,
    items: list[EvaluatedSlot],
    keep_slots: int | None = None,
) -> Report:
    """The report's rows from the slots `collect` gave (in its order); every slot row is kept unless
    `keep_slots` bounds them (the counts always cover every slot)."""
    registry, plan = definitions.registry, definitions.plan

    by_group: dict[str, list[EvaluatedSlot]] = {}
    by_task: dict[str, list[EvaluatedSlot]] = {}
    by_unit: dict[str, list[EvaluatedSlot]] = {}
    columns: set[tuple[int, dt.date, str, str]] = set()
    for item in items:
        slot = item.slot
        # A unit counts in its first group only, so group rows add up to the total.
        group = slot.unit.groups[0] if slot.unit.groups else NO_GROUP[0]
        by_group.setdefault(group, []).append(item)
        by_task.setdefault(slot.task.id, []).append(item)
        by_unit.setdefault(slot.unit.id, []).append(item)
        columns.add((slot.task.order, slot.deadline, slot.task.id, slot.period.name))

    def group_name(gid: str) -> str:
        return registry.groups[gid].name if gid in registry.groups else NO_GROUP[1]

    group_order = list(registry.groups)
    group_rows = [
        CountRow.of(g, group_name(g), by_group[g])
        for g in sorted(
            by_group,
            key=lambda g: (g not in registry.groups, group_order.index(g) if g in registry.groups else 0),
        )
    ]
    # The whole text: JSON, CSV and Markdown carry it; the terminal and printed pages shorten it.
    task_rows = [CountRow.of(t.id, whole_text(t.content), by_task[t.id]) for t in plan.tasks if t.id in by_task]
    unit_rows = [CountRow.of(u, registry.units[u].name, by_unit[u]) for u in by_unit]
    overdue = sorted(
        (i for i in items if i.category.overdue),
        key=lambda i: (-i.days_late, i.slot.deadline, i.slot.unit.id, i.slot.task.order),
    )
    return Report(
        plan_id=plan.id,
        plan_title=plan.title,
        scope=scope,
        period=period,
        as_of=as_of,
        slots=[SlotRow.of(i) for i in (items if keep_slots is None else items[:keep_slots])],
        totals=CountRow.of(TOTAL_KEY, TOTAL_LABEL, items),
        by_group=group_rows,
        by_task=task_rows,
        by_unit=unit_rows,
        overdue=[SlotRow.of(i) for i in overdue],
        task_titles={t.id: short_title(t.content) for t in plan.tasks},
        matrix_columns=[(task, name) for _, _, task, name in sorted(columns)],
        task_texts={t.id: whole_text(t.content) for t in plan.tasks},
        plan_citation=plan.citation(),
    )


def file_stem(report: Report) -> str:
    """plan_scope_period_asof, ASCII: a name that says what the file holds and sorts by date."""
    return "_".join(
        (slug(report.plan_id), slug(report.scope.id), slug(report.period.name), report.as_of.isoformat())
    )
