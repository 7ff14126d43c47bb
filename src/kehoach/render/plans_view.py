"""The table of `plan list`: one row a plan of the tracker."""

from __future__ import annotations

import datetime as dt
from collections.abc import Sequence
from typing import Any

from kehoach.domain.periods import format_date
from kehoach.render.rows import Column, Table, format_percent


def _rate(row: dict[str, Any]) -> str:
    rate = row["completion_rate"]
    return "—" if rate is None else format_percent(rate)


def plans_table(plans: Sequence[dict[str, Any]], as_of: dt.date) -> Table:
    """`plans`: the JSON rows of `commands/plan_list.PlanSummary`."""
    rows = [{**p, "issued_on": format_date(p["issued_on"]), "tracking_start": format_date(p["tracking_start"]),
             "number": p["number"] or ""} for p in plans]
    return Table(
        f"Các kế hoạch của bộ theo dõi ({len(plans)}) — tỷ lệ hoàn thành tính đến {format_date(as_of)}",
        [
            Column("name", "Tên (--plan)"),
            Column("number", "Số văn bản"),
            Column("issued_on", "Ngày ban hành"),
            Column("issuer", "Cơ quan ban hành"),
            Column("tasks", "Số nhiệm vụ", numeric=True),
            Column("tracking_start", "Bắt đầu theo dõi"),
            Column("slots_due", "Lượt đến hạn", numeric=True),
            Column("completion_rate", "Tỷ lệ hoàn thành", display=_rate, numeric=True),
        ],
        rows,
        caption="Tỷ lệ hoàn thành: số lượt báo cáo đã hoàn thành / số lượt đã đến hạn vào ngày tính, trừ không áp dụng "
                "(các lượt mà kehoach check --within 0 đếm).",
    )
