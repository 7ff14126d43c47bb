"""Rows of the audit log for the terminal and text formats."""

from __future__ import annotations

from kehoach.domain.definitions import Definitions
from kehoach.domain.model import Status
from kehoach.git.history import Change
from kehoach.render.rows import Column, Table


def _label(value: str | None) -> str:
    return Status(value).label if value else "(không có)"


def log_table(definitions: Definitions, changes: list[Change]) -> Table:
    rows = []
    for change in changes:
        row = change.as_row()
        unit = definitions.registry.units.get(row["unit"])
        row["unit_name"] = unit.name if unit else row["unit"]
        row["when"] = change.when.strftime("%d/%m/%Y %H:%M")
        row["change"] = f"{_label(row['old_status'])} → {_label(row['new_status'])}"
        row["source_label"] = ("giải quyết xung đột" if change.resolution else
                               "kehoach" if change.by_kehoach else "sửa tay")
        rows.append(row)
    return Table(
        f"Lịch sử thay đổi ({len(rows)})",
        [
            Column("when", "Thời điểm"),
            Column("author", "Người thực hiện"),
            Column("task", "NV"),
            Column("unit_name", "Đơn vị"),
            Column("period", "Kỳ"),
            Column("change", "Trạng thái"),
            Column("evidence", "Căn cứ"),
            Column("note", "Ghi chú"),
            Column("source_label", "Cách sửa"),
        ],
        rows,
    )
