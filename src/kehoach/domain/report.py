"""The report's one row model: counts per task, group and unit, the overdue list, the unit sheet.

Every format (terminal, plain, markdown, csv, json, Excel) is made from the rows built here, so they
all show the same numbers. Slot rows are `statusview.slot_row` rows: the keys of `status --format json`.

Completion rate (tỷ lệ hoàn thành) = slots done (on time or late) / (slots − slots "không áp dụng"),
as a percentage with one decimal; no rate (None) when every slot is "không áp dụng" or there is none.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass, field
from typing import Any

from kehoach.commands.many_trackers import SOURCE_COLUMN
from kehoach.domain.model import Category, Group, Period, Record, Unit
from kehoach.domain.periods import format_date
from kehoach.domain.slots import EvaluatedSlot, Scope, build_slots, count_categories, sort_slots
from kehoach.domain.text import slug
from kehoach.errors import InputError
from kehoach.render.rows import Column, Table, format_percent
from kehoach.render.slot_view import CATEGORY_STYLES, OVERDUE_COLUMNS, slot_row
from kehoach.store.tracker import Tracker

COMPLETION_RULE = (
    "Tỷ lệ hoàn thành = số ô đã hoàn thành (đúng hạn và quá hạn) / (tổng số ô − số ô không áp dụng) × 100%."
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


@dataclass(frozen=True)
class ReportScope:
    """What the report covers: the whole plan, one group or one unit."""

    kind: str
    """'all', 'group' or 'unit'."""
    id: str
    name: str

    @classmethod
    def chosen(cls, tracker: Tracker, unit: str | None, group: str | None) -> ReportScope:
        """From what a clerk typed for --unit or --group (one at most); the whole plan otherwise."""
        if unit and group:
            raise InputError("chỉ dùng một trong --unit hoặc --group")
        if unit:
            return cls.of_unit(tracker.registry.find_unit(unit))
        if group:
            return cls.of_group(tracker.registry.find_group(group))
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


@dataclass
class Report:
    plan_id: str
    plan_title: str
    scope: ReportScope
    period: Period
    as_of: dt.date
    slots: list[dict[str, Any]]
    """Every slot in scope (slot rows), by unit, then task order, then deadline."""
    totals: dict[str, Any]
    by_group: list[dict[str, Any]]
    by_task: list[dict[str, Any]]
    by_unit: list[dict[str, Any]]
    overdue: list[dict[str, Any]]
    """Overdue slot rows, most days late first."""
    task_titles: dict[str, str]
    """Task id -> a short form of its content, for tables a person reads."""
    matrix_columns: list[tuple[str, str]]
    """(task id, period name) of every matrix column, in plan order then deadline."""
    by_source: list[dict[str, Any]] = field(default_factory=list)
    """Several trackers: one count row per tracker (key and label: its source name); empty for one."""
    by_source_task: list[dict[str, Any]] = field(default_factory=list)
    """Several trackers: count rows per tracker and task (keys `source` and `task`), tracker order."""

    @property
    def several(self) -> bool:
        return bool(self.by_source)

    @property
    def slots_left_out(self) -> int:
        """Slots counted but not kept as rows (a report over many trackers keeps a bounded number)."""
        return self.totals["slots"] - len(self.slots)

    @property
    def title(self) -> str:
        when = format_date(self.as_of)
        return f"Báo cáo tình hình thực hiện kế hoạch — kỳ {self.period.name} — tính đến {when}"

    def as_json(self) -> dict[str, Any]:
        return {
            "plan": self.plan_id,
            "plan_title": self.plan_title,
            "scope": {"kind": self.scope.kind, "id": self.scope.id, "name": self.scope.name},
            "period": self.period.name,
            "as_of": self.as_of,
            "completion_rule": COMPLETION_RULE,
            "totals": self.totals,
            "by_group": self.by_group,
            "by_task": self.by_task,
            "by_unit": self.by_unit,
            "overdue": self.overdue,
            "slots": self.slots,
            **({"by_source": self.by_source} if self.several else {}),
        }


def completion_rate(done: int, applicable: int) -> float | None:
    return round(100.0 * done / applicable, 1) if applicable else None


def count_row(key: str, label: str, items: Iterable[EvaluatedSlot]) -> dict[str, Any]:
    """Counts and percentages of each category, and the completion rate, for one set of slots."""
    return counts_row(key, label, count_categories(items))


def counts_row(key: str, label: str, counts: Mapping[Category, int]) -> dict[str, Any]:
    """The count row of `count_row` from the counts themselves (as summed over several trackers)."""
    total = sum(counts.values())
    row: dict[str, Any] = {"key": key, "label": label, "slots": total}
    for category, n in counts.items():
        row[category.value] = n
    for category, n in counts.items():
        row[f"{category.value}_percent"] = round(100.0 * n / total, 1) if total else 0.0
    done = sum(n for c, n in counts.items() if c.done)
    applicable = total - counts[Category.KHONG_AP_DUNG]
    row.update(
        done=done,
        applicable=applicable,
        overdue=sum(n for c, n in counts.items() if c.overdue),
        completion_rate=completion_rate(done, applicable),
    )
    return row


def short_title(text: str, limit: int = 90) -> str:
    """The start of a task's content, cut at a word, so a summary row stays one or two lines."""
    flat = " ".join(text.split())
    if len(flat) <= limit:
        return flat
    cut = flat[:limit].rsplit(" ", 1)[0].rstrip(",;:")
    return cut + "…"


def collect(
    tracker: Tracker,
    scope: ReportScope,
    period: Period,
    as_of: dt.date,
    records: dict[tuple[str, str, str], Record],
) -> list[EvaluatedSlot]:
    """The slots a report covers: the same ones `status` shows for the same scope and period."""
    units = _scope_units(tracker, scope)
    return sort_slots(build_slots(tracker, Scope(units=units, period=period), records, as_of))


def unit_reports(
    tracker: Tracker,
    scope: ReportScope,
    period: Period,
    as_of: dt.date,
    records: dict[tuple[str, str, str], Record],
) -> list[Report]:
    """One report per unit with slots in the period (all units, or a group's), from one pass over slots."""
    by_unit: dict[str, list[EvaluatedSlot]] = {}
    for item in collect(tracker, scope, period, as_of, records):
        by_unit.setdefault(item.slot.unit.id, []).append(item)
    return [
        build_report(tracker, ReportScope.of_unit(tracker.registry.units[uid]), period, as_of, items)
        for uid, items in sorted(by_unit.items())
    ]


def build_report(
    tracker: Tracker,
    scope: ReportScope,
    period: Period,
    as_of: dt.date,
    items: list[EvaluatedSlot],
    keep_slots: int | None = None,
) -> Report:
    """The report's rows from the slots `collect` gave (in its order); every slot row is kept unless
    `keep_slots` bounds them (the counts always cover every slot)."""
    registry, plan = tracker.registry, tracker.plan

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
        count_row(g, group_name(g), by_group[g])
        for g in sorted(
            by_group,
            key=lambda g: (g not in registry.groups, group_order.index(g) if g in registry.groups else 0),
        )
    ]
    task_rows = [
        count_row(t.id, short_title(t.content), by_task[t.id]) for t in plan.tasks if t.id in by_task
    ]
    unit_rows = [count_row(u, registry.units[u].name, by_unit[u]) for u in by_unit]
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
        slots=[slot_row(i) for i in (items if keep_slots is None else items[:keep_slots])],
        totals=count_row(TOTAL_KEY, "Tổng cộng", items),
        by_group=group_rows,
        by_task=task_rows,
        by_unit=unit_rows,
        overdue=[slot_row(i) for i in overdue],
        task_titles={t.id: short_title(t.content) for t in plan.tasks},
        matrix_columns=[(task, name) for _, _, task, name in sorted(columns)],
    )


def _scope_units(tracker: Tracker, scope: ReportScope) -> frozenset[str] | None:
    if scope.kind == "unit":
        return frozenset({scope.id})
    if scope.kind == "group":
        return frozenset(u.id for u in tracker.registry.units.values() if scope.id in u.groups)
    return None


def file_stem(report: Report) -> str:
    """plan_scope_period_asof, ASCII: a name that says what the file holds and sorts by date."""
    return "_".join(
        (slug(report.plan_id), slug(report.scope.id), slug(report.period.name), report.as_of.isoformat())
    )


# --- tables for the text and terminal formats ------------------------------------------------------


def _count_cell(category: Category) -> Column:
    def show(row: dict[str, Any]) -> str:
        n = row[category.value]
        return f"{n} ({format_percent(row[category.value + '_percent'])})" if n else "0"

    return Column(category.value, SHORT_LABELS[category], display=show, numeric=True)


def _rate(row: dict[str, Any]) -> str:
    rate = row["completion_rate"]
    return "—" if rate is None else format_percent(rate)


def _task_key(row: dict[str, Any]) -> str:
    return "" if row["key"] == TOTAL_KEY else row["key"]


def count_columns(label_header: str) -> list[Column]:
    return [
        Column("label", label_header),
        Column("slots", "Số ô", numeric=True),
        *(_count_cell(c) for c in Category),
        Column("completion_rate", "Tỷ lệ hoàn thành", display=_rate, numeric=True),
    ]


SUMMARY_COLUMNS = [
    Column("category_label", "Tình trạng"),
    Column("count", "Số ô", numeric=True),
    Column("percent", "Tỷ lệ %", numeric=True),
]


def unit_sheet_columns(report: Report) -> list[Column]:
    """The sheet a unit head signs: each task with its status, deadline, done date, evidence, note."""
    return [
        Column("task", "NV"),
        Column("task_title", "Nhiệm vụ", display=lambda r: report.task_titles.get(r["task"], "")),
        Column("period", "Kỳ"),
        Column("deadline", "Hạn"),
        Column("status_label", "Trạng thái"),
        Column("category_label", "Tình trạng"),
        Column("done_on", "Ngày hoàn thành"),
        Column("evidence", "Căn cứ"),
        Column("note", "Ghi chú"),
    ]


def category_style(row: dict[str, Any], key: str) -> str | None:
    """Terminal hint: the category's colour on the cell that names it (colour always beside text)."""
    if key != "category_label" or row.get("category") not in _CATEGORY_VALUES:
        return None
    return CATEGORY_STYLES[Category(row["category"])] or None


_CATEGORY_VALUES = frozenset(c.value for c in Category)


def report_tables(report: Report) -> list[Table]:
    """The report as tables of the one row model, in reading order."""
    caption = f"Tỷ lệ hoàn thành: {_rate(report.totals)}. {COMPLETION_RULE} {ABBREVIATIONS}"
    summary = Table(
        f"{report.title} — {report.scope.name}",
        SUMMARY_COLUMNS,
        _summary_rows(report.totals),
        caption=caption,
        styler=category_style,
    )
    if report.scope.kind == "unit":
        return [
            summary,
            Table(
                f"Các nhiệm vụ của {report.scope.name}, kỳ {report.period.name} ({len(report.slots)} ô)",
                _sourced_columns(report.slots, unit_sheet_columns(report)),
                report.slots,
                styler=category_style,
            ),
        ]
    by_source = (
        [Table("Theo bộ theo dõi", count_columns("Bộ theo dõi"), [*report.by_source, report.totals])]
        if report.several
        else []
    )
    return [
        summary,
        *by_source,
        Table(
            "Theo nhóm đơn vị",
            _sourced_columns(report.by_group, count_columns("Nhóm đơn vị")),
            [*report.by_group, report.totals],
        ),
        Table(
            "Theo nhiệm vụ",
            _sourced_columns(report.by_task, [Column("key", "NV", display=_task_key), *count_columns("Nhiệm vụ")]),
            [*report.by_task, report.totals],
        ),
        Table(
            "Theo đơn vị",
            _sourced_columns(report.by_unit, count_columns("Đơn vị")),
            [*report.by_unit, report.totals],
        ),
        Table(
            f"Quá hạn: {len(report.overdue)} ô, quá hạn lâu nhất trước",
            _sourced_columns(report.overdue, OVERDUE_COLUMNS),
            report.overdue,
            styler=category_style,
        ),
    ]


def _sourced_columns(rows: Sequence[dict[str, Any]], columns: Sequence[Column]) -> list[Column]:
    """Rows from several trackers say which one each came from, in a first column."""
    return [SOURCE_COLUMN, *columns] if rows and "source" in rows[0] else list(columns)


def _summary_rows(totals: dict[str, Any]) -> list[dict[str, Any]]:
    """The category/count/percent rows `check` shows, computed from the same totals row."""
    rows = [
        {
            "category": c.value,
            "category_label": c.label,
            "count": totals[c.value],
            "percent": totals[f"{c.value}_percent"],
        }
        for c in Category
    ]
    rows.append(
        {
            "category": "tong-cong",
            "category_label": "Tổng cộng",
            "count": totals["slots"],
            "percent": 100.0 if totals["slots"] else 0.0,
        }
    )
    return rows
