"""Rows of the audit log for the terminal and text formats."""

from __future__ import annotations

from collections.abc import Callable

from kehoach.domain.definitions import Definitions
from kehoach.domain.model import Status
from kehoach.git.history import Change
from kehoach.render.rows import Column, Table


def _label(value: str | None) -> str:
    return Status(value).label if value else "(không có)"


def how_made(change: Change) -> str:
    """«Cách sửa» in the office's words."""
    if change.resolution:
        return "Giải quyết xung đột"
    if change.form_file is not None:
        return f"Nhập biểu mẫu {change.form_file}"
    if not change.by_kehoach:
        return "Sửa trực tiếp tệp"
    return _ACTIONS.get(change.action or "", "Ghi bằng kehoach")


# The corrections kehoach commits (their `Kehoach-Action:` trailer), by the command a clerk ran.
_ACTIONS = {
    "hoan-tac": "Hoàn tác (kehoach undo)",
    "xoa": "Xóa bản ghi (kehoach record --delete)",
    "ghi-thay-doi-cho": "Ghi thay đổi chờ (kehoach commit)",
    "giai-quyet-xung-dot": "Giải quyết xung đột",
}


def log_table(definitions: Definitions, changes: list[Change], plan_of: Callable[[str], str] | None = None) -> Table:
    """A long evidence or note stays whole here: the terminal cuts every cell (render/terminal.CELL_LIMIT),
    every other format keeps it. Over several plans (`plan_of`: a status file's plan), a plan column first."""
    rows = []
    for change in changes:
        row = change.as_row()
        if plan_of is not None:
            row["plan"] = plan_of(change.path)
        unit = definitions.registry.units.get(row["unit"])
        row["unit_name"] = unit.name if unit else row["unit"]
        row["when"] = change.when.strftime("%d/%m/%Y %H:%M")
        row["change"] = f"{_label(row['old_status'])} → {_label(row['new_status'])}"
        row["source_label"] = how_made(change)
        rows.append(row)
    return Table(
        f"Lịch sử thay đổi ({len(rows)})",
        [
            *([Column("plan", "Kế hoạch")] if plan_of is not None else []),
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
