"""The report as tables of the one row model, in reading order: for the terminal and the text formats.

Machine outputs (CSV, Markdown; JSON is `Report.as_json`) carry every task's whole text, and CSV
gives each count and its percentage a column of their own; the terminal and `plain` shorten texts
and show "12 (5,0%)" in one column, to stay readable in a window."""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

from kehoach.domain.model import Category
from kehoach.domain.report import (
    ABBREVIATIONS,
    COMPLETION_RULE,
    SHORT_LABELS,
    TOTAL_KEY,
    TOTAL_LABEL,
    CountRow,
    Report,
    SlotRow,
    percent_key,
    short_title,
)
from kehoach.render.rows import Column, Table, format_decimal, format_percent
from kehoach.render.slot_view import CATEGORY_STYLES, OVERDUE_COLUMNS


def _count_cell(category: Category) -> Column:
    count_key, share_key = category.value, percent_key(category)

    def show(row: dict[str, Any]) -> str:
        n = row[count_key]
        return f"{n} ({format_percent(row[share_key])})" if n else "0"

    return Column(category.value, SHORT_LABELS[category], display=show, numeric=True)


def _rate(row: dict[str, Any]) -> str:
    rate = row["completion_rate"]
    return "—" if rate is None else format_percent(rate)


def _task_key(row: dict[str, Any]) -> str:
    """The task's number; a row of one of several plans has its plan in the column before, not here too."""
    if row["key"] == TOTAL_KEY:
        return ""
    source = row.get("source")
    return row["key"].removeprefix(f"{source}/") if source else row["key"]


WHOLE_TEXT_FORMATS = frozenset({"csv", "markdown", "json"})
"""Formats read by programs or pasted into documents: texts are never cut there."""


def _percent_cell(key: str) -> Column:
    def show(row: dict[str, Any]) -> str:
        value = row[key]
        return "" if value is None else format_decimal(value)

    return Column(key, "", display=show, numeric=True)


def count_columns(label_header: str, fmt: str = "table", label: Column | None = None) -> list[Column]:
    """A count table's columns; in CSV every count and every percentage has its own column."""
    label = label or Column("label", label_header)
    if fmt != "csv":
        return [
            label,
            Column("slots", "Số lượt", numeric=True),
            *(_count_cell(c) for c in Category),
            Column("completion_rate", "Tỷ lệ hoàn thành", display=_rate, numeric=True),
        ]
    split = []
    for category in Category:
        split.append(Column(category.value, SHORT_LABELS[category], numeric=True))
        split.append(_percent_cell(percent_key(category))._replace(header=f"{SHORT_LABELS[category]} (%)"))
    return [
        label,
        Column("slots", "Số lượt", numeric=True),
        *split,
        _percent_cell("completion_rate")._replace(header="Tỷ lệ hoàn thành (%)"),
    ]


SUMMARY_COLUMNS = [
    Column("category_label", "Tình trạng"),
    Column("count", "Số lượt", numeric=True),
    Column("percent", "Tỷ lệ %", numeric=True),
]


def _task_label(fmt: str) -> Column:
    """A task's text: whole in machine outputs, its start on the terminal."""
    if fmt in WHOLE_TEXT_FORMATS:
        return Column("label", "Nhiệm vụ")
    return Column("label", "Nhiệm vụ", display=lambda r: short_title(r["label"]))


def unit_sheet_columns(report: Report, fmt: str = "table") -> list[Column]:
    """The sheet a unit head signs: each task with its status, deadline, done date, evidence, note."""
    whole = fmt in WHOLE_TEXT_FORMATS
    return [
        Column("task", "NV"),
        Column("task_title", "Nhiệm vụ", display=lambda r: report.title_of(r["task"], r.get("source") or "", whole)),
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


def report_tables(report: Report, fmt: str = "table") -> list[Table]:
    """The report as tables of the one row model, in reading order, for the format `fmt`."""
    totals = report.totals.as_json()
    caption = f"Tỷ lệ hoàn thành: {_rate(totals)}. {COMPLETION_RULE} {ABBREVIATIONS}"
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
                f"Các nhiệm vụ của {report.scope.name}, kỳ {report.period.name} ({len(report.slots)} lượt báo cáo)",
                _sourced_columns(report.slots, unit_sheet_columns(report, fmt), report.source_heading),
                _slot_rows(report.slots),
                styler=category_style,
            ),
        ]
    heading = report.source_heading
    by_source = (
        [Table(f"Theo {heading.lower()}", count_columns(heading, fmt), _count_rows(report.by_source, report.totals))]
        if report.several
        else []
    )
    across = (
        [Table("Theo đơn vị, gộp mọi kế hoạch", count_columns("Đơn vị", fmt),
               _count_rows(report.by_unit_all_plans, report.totals))]
        if report.by_unit_all_plans
        else []
    )
    return [
        summary,
        *by_source,
        Table(
            "Theo nhóm đơn vị",
            _sourced_columns(report.by_group, count_columns("Nhóm đơn vị", fmt), heading),
            _count_rows(report.by_group, report.totals),
        ),
        Table(
            "Theo nhiệm vụ",
            _sourced_columns(report.by_task, [Column("key", "NV", display=_task_key),
                                               *count_columns("Nhiệm vụ", fmt, _task_label(fmt))], heading),
            _count_rows(report.by_task, report.totals),
        ),
        Table(
            "Theo đơn vị",
            _sourced_columns(report.by_unit, count_columns("Đơn vị", fmt), heading),
            _count_rows(report.by_unit, report.totals),
        ),
        *across,
        Table(
            f"Quá hạn: {len(report.overdue)} lượt báo cáo, quá hạn lâu nhất trước",
            _sourced_columns(report.overdue, OVERDUE_COLUMNS, heading),
            _slot_rows(report.overdue),
            styler=category_style,
        ),
    ]


def _sourced_columns(rows: Sequence[CountRow | SlotRow], columns: Sequence[Column], heading: str) -> list[Column]:
    """Rows from several trackers (or plans) say which one each came from, in a first column."""
    return [Column("source", heading), *columns] if rows and rows[0].source else list(columns)


def _count_rows(rows: Sequence[CountRow], totals: CountRow) -> list[dict[str, Any]]:
    return [row.as_json() for row in (*rows, totals)]


def _slot_rows(rows: Sequence[SlotRow]) -> list[dict[str, Any]]:
    return [row.as_json() for row in rows]


def _summary_rows(totals: CountRow) -> list[dict[str, Any]]:
    """The category/count/percent rows `check` shows, computed from the same totals row."""
    rows = [
        {"category": c.value, "category_label": c.label, "count": totals.counts[c], "percent": totals.percent(c)}
        for c in Category
    ]
    rows.append(
        {
            "category": TOTAL_KEY,
            "category_label": TOTAL_LABEL,
            "count": totals.slots,
            "percent": 100.0 if totals.slots else 0.0,
        }
    )
    return rows
