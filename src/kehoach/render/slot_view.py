"""Rows of evaluated slots: what `status`, `check` and the reports show. One row model for all formats."""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable, Sequence
from typing import Any, NamedTuple

from kehoach.domain.model import Category
from kehoach.domain.periods import format_date
from kehoach.domain.report import SlotRow
from kehoach.domain.slots import EvaluatedSlot, count_categories
from kehoach.render.rows import Column, Table

CATEGORY_STYLES = {
    Category.HOAN_THANH_DUNG_HAN: "green",
    Category.HOAN_THANH_QUA_HAN: "dark_orange",
    Category.DANG_THUC_HIEN_TRONG_HAN: "blue",
    Category.DANG_THUC_HIEN_QUA_HAN: "red",
    Category.CHUA_THUC_HIEN_TRONG_HAN: "",
    Category.CHUA_THUC_HIEN_QUA_HAN: "bold red",
    Category.KHONG_AP_DUNG: "dim",
}


def slot_row(item: EvaluatedSlot, **extra: Any) -> dict[str, Any]:
    """The JSON shape of a slot (`SlotRow.as_json`): `status --format json` and every report use these
    keys, then `extra`'s."""
    return SlotRow.of(item).as_json(**extra)


SOURCE_HEADING = "Bộ theo dõi"
PLAN_HEADING = "Kế hoạch"
"""The source column's heading when the sources are the plans of one tracker."""
SOURCE_COLUMN = Column("source", SOURCE_HEADING)


def source_heading(plans: bool) -> str:
    return PLAN_HEADING if plans else SOURCE_HEADING


def with_source_column(tables: Sequence[Table], several: bool, heading: str = SOURCE_HEADING) -> list[Table]:
    """With several trackers (or plans), every table of slots gets the source as its first column."""
    if several:
        for table in tables:
            keys = [c.key for c in table.columns]
            if "task" in keys and "source" not in keys:
                table.columns = [Column("source", heading), *table.columns]
    return list(tables)


def _category_style(row: dict[str, Any], key: str) -> str | None:
    if key != "category_label":
        return None
    return CATEGORY_STYLES[Category(row["category"])] or None


SLOT_COLUMNS = [
    Column("task", "NV"),
    Column("unit_name", "Đơn vị"),
    Column("period", "Kỳ"),
    Column("deadline", "Hạn"),
    Column("category_label", "Tình trạng"),
    Column("done_on", "Ngày hoàn thành"),
    Column("evidence", "Căn cứ"),
    Column("note", "Ghi chú"),
]


def status_table(items: list[EvaluatedSlot], as_of: dt.date, title: str) -> Table:
    rows = [slot_row(i) for i in items]
    return Table(f"{title} — tính đến {format_date(as_of)} ({len(rows)} lượt báo cáo)", SLOT_COLUMNS, rows,
                 styler=_category_style)


def counts_table(items: Iterable[EvaluatedSlot], title: str, counts: dict[Category, int] | None = None) -> Table:
    """Slots by category: counted from `items`, or `counts` already made (see `tally`)."""
    counts = count_categories(items) if counts is None else counts
    total = sum(counts.values())
    rows = [{"category": c.value, "category_label": c.label, "count": n,
             "percent": round(100.0 * n / total, 1) if total else 0.0} for c, n in counts.items()]
    rows.append({"category": "tong-cong", "category_label": "Tổng cộng", "count": total,
                 "percent": 100.0 if total else 0.0})
    return Table(title, [Column("category_label", "Tình trạng"), Column("count", "Số lượt", numeric=True),
                         Column("percent", "Tỷ lệ %", numeric=True)], rows)


def overdue_first(items: list[EvaluatedSlot]) -> list[EvaluatedSlot]:
    """Grouped by unit, the unit with the oldest overdue slot first; within a unit most overdue first."""
    def unit_of(item: EvaluatedSlot) -> tuple[str, str]:
        return (item.source, item.slot.unit.id)

    worst: dict[tuple[str, str], int] = {}
    for item in items:
        worst[unit_of(item)] = max(worst.get(unit_of(item), 0), item.days_late)
    return sorted(items, key=lambda i: (-worst[unit_of(i)], unit_of(i), -i.days_late,
                                        i.slot.deadline, i.slot.task.order))


OVERDUE_COLUMNS = [
    Column("unit_name", "Đơn vị"),
    Column("task", "NV"),
    Column("period", "Kỳ"),
    Column("deadline", "Hạn"),
    Column("days_late", "Quá hạn (ngày)", numeric=True),
    Column("category_label", "Tình trạng"),
]

DUE_COLUMNS = [
    Column("unit_name", "Đơn vị"),
    Column("task", "NV"),
    Column("period", "Kỳ"),
    Column("deadline", "Hạn"),
    Column("days_left", "Còn (ngày)", numeric=True),
    Column("category_label", "Tình trạng"),
]


def counted_periods(periods: Sequence[str], horizon: dt.date) -> str:
    """Which periods a count covers, for its heading."""
    if not periods:
        return f"chưa có kỳ nào có hạn đến {format_date(horizon)}"
    if len(periods) > LISTED_PERIODS:  # years of quarters: the first and the last say it
        return f"{len(periods)} kỳ, từ {periods[0]} đến {periods[-1]}"
    return f"{'kỳ' if len(periods) == 1 else 'các kỳ'} {', '.join(periods)}"


LISTED_PERIODS = 8
"""A heading names up to this many periods (two years of half-years, with their years); more are a range."""


class CheckLists(NamedTuple):
    """What `check` lists: the overdue slots (`overdue_first`) and those due within the days asked for
    (soonest first)."""

    overdue: list[EvaluatedSlot]
    due_soon: list[EvaluatedSlot]
    as_of: dt.date
    horizon: dt.date

    def rows(self) -> list[dict[str, Any]]:
        """The flat list `check --format json` prints: every key of `slot_row`, with kind and days left."""
        as_of = self.as_of
        return ([slot_row(i, kind="qua-han", days_left=0) for i in self.overdue]
                + [slot_row(i, kind="sap-den-han", days_left=(i.slot.deadline - as_of).days) for i in self.due_soon])


def check_lists(items: list[EvaluatedSlot], as_of: dt.date, within: int) -> CheckLists:
    """`items` may be only the open slots: the lists need no more."""
    overdue = overdue_first([i for i in items if i.category.overdue])
    horizon = as_of + dt.timedelta(days=within)
    due_soon = sorted(
        (i for i in items
         if not i.category.overdue and not i.category.done and i.category is not Category.KHONG_AP_DUNG
         and as_of <= i.slot.deadline <= horizon),
        key=lambda i: (i.slot.deadline, i.slot.unit.id, i.slot.task.order))
    return CheckLists(overdue, due_soon, as_of, horizon)


def _listed_row(item: EvaluatedSlot, days_late: int, days_left: int) -> dict[str, Any]:
    """A row of check's tables: only the keys their columns (and the source column, and the styler) read,
    not the whole `slot_row` (thousands of rows across twenty plans)."""
    slot, category = item.slot, item.category
    return {"source": item.source, "unit": slot.unit.id, "unit_name": slot.unit.name, "task": slot.task.id,
            "period": slot.period.name, "deadline": slot.deadline, "days_late": days_late, "days_left": days_left,
            "category": category.value, "category_label": category.label}


def check_tables(lists: CheckLists, within: int, counts: dict[Category, int], periods: Sequence[str] = (),
                 units_shared: bool = False) -> list[Table]:
    """Tables for the terminal and text formats: the counts (of every slot in scope, see `tally`), the
    overdue list and the due-soon list. `periods` are the periods counted (every deadline from the
    tracking start to the horizon). `units_shared`: the sources are plans of one tracker, so a unit late
    in two plans is one unit late."""
    as_of, horizon = lists.as_of, lists.horizon
    overdue_rows = [_listed_row(i, i.days_late, 0) for i in lists.overdue]
    soon_rows = [_listed_row(i, 0, (i.slot.deadline - as_of).days) for i in lists.due_soon]
    units_late = len({(None if units_shared else r["source"] or None, r["unit"]) for r in overdue_rows})
    return [
        counts_table((), f"Lượt báo cáo theo tình trạng — {counted_periods(periods, horizon)} — tính đến "
                         f"{format_date(as_of)}", counts),
        Table(f"Quá hạn: {len(overdue_rows)} lượt báo cáo của {units_late} đơn vị", OVERDUE_COLUMNS, overdue_rows,
              styler=_category_style),
        Table(f"Sắp đến hạn trong {within} ngày (đến {format_date(horizon)}): {len(soon_rows)} lượt báo cáo",
              DUE_COLUMNS,
              soon_rows, styler=_category_style),
    ]
