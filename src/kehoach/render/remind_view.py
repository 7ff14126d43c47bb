"""The terminal's summary of `kehoach remind`: each unit urged, its tasks, its longest overdue, its letter."""

from __future__ import annotations

from collections.abc import Sequence
from pathlib import Path
from typing import Any

from kehoach.domain.model import Unit
from kehoach.domain.report import SlotRow
from kehoach.render.rows import Column, Table
from kehoach.store.layout import display_path

COLUMNS = (Column("unit", "Đơn vị"), Column("tasks", "Số nhiệm vụ", numeric=True),
           Column("overdue", "Quá hạn", numeric=True), Column("longest", "Quá hạn lâu nhất (ngày)", numeric=True),
           Column("file", "Công văn"))


def remind_table(urged: Sequence[tuple[Unit, Sequence[SlotRow], int, Path]], title: str) -> Table:
    rows: list[dict[str, Any]] = [
        {"unit": unit.name, "tasks": len(items), "overdue": sum(1 for i in items if i.days_late > 0),
         "longest": longest, "file": display_path(path)}
        for unit, items, longest, path in sorted(urged, key=lambda u: (-u[2], u[0].name))]
    caption = (f"{len(rows)} đơn vị, {sum(r['tasks'] for r in rows)} nhiệm vụ cần đôn đốc." if rows else
               "Không có đơn vị nào có việc quá hạn: không có công văn nào.")
    return Table(title, COLUMNS, rows, caption)
