"""Row builders for the plan's own views: tasks, units, one task in full."""

from __future__ import annotations

import datetime as dt
from typing import Any

from kehoach.domain.definitions import Definitions
from kehoach.domain.model import LEVEL_LABELS, ROLE_LABELS, Task, Unit
from kehoach.domain.periods import format_date, next_deadline
from kehoach.render.rows import Column, Table

MAX_SNIPPET = 90
_KIND_LABELS = {"Y": "cả năm", "H1": "6 tháng đầu năm", "H2": "6 tháng cuối năm", "Q1": "quý I", "Q2": "quý II",
                "Q3": "quý III", "Q4": "quý IV"}


def _day_month(month_day: str) -> str:
    month, day = month_day.split("-")
    return f"{day}/{month}"


def snippet(text: str, limit: int = MAX_SNIPPET) -> str:
    return text if len(text) <= limit else text[: limit - 1].rstrip() + "…"


def tasks_table(definitions: Definitions, as_of: dt.date, unit: Unit | None = None) -> Table:
    rows: list[dict[str, Any]] = []
    for task in definitions.plan.tasks:
        if unit is not None and unit.id not in {u.id for u in definitions.registry.responsible(task, as_of)}:
            continue
        period, due = next_deadline(task, as_of)
        rows.append({
            "id": task.id,
            "section": task.section,
            "content": task.content,
            "responsibility": task.responsibility,
            "time": task.time,
            "cadence": task.cadence.id,
            "cadence_label": task.cadence.label,
            "next_period": period.name,
            "next_deadline": due,
            "condition": task.condition.text if task.condition else None,
        })
    title = f"Nhiệm vụ của {unit.name}" if unit else f"Nhiệm vụ của kế hoạch ({len(rows)})"
    return Table(
        title=f"{title} — tính đến {format_date(as_of)}",
        columns=[
            Column("id", "STT"),
            Column("content", "Nhiệm vụ", display=lambda r: snippet(r["content"])),
            Column("cadence_label", "Chu kỳ"),
            Column("next_period", "Kỳ tới"),
            Column("next_deadline", "Hạn tới"),
        ],
        rows=rows,
    )


def units_table(definitions: Definitions, as_of: dt.date, group: str | None, search: str | None,
                include_all: bool = False) -> Table:
    registry = definitions.registry
    if search:
        units = registry.search(search)
    else:
        units = list(registry.units.values())
    if group:
        units = [u for u in units if group in u.groups]
    if not include_all:
        units = [u for u in units if u.exists_on(as_of)]
    units.sort(key=lambda u: (("tinh", "khac", "huyen", "xa").index(u.level), u.id))
    rows = [unit_row(definitions, u) for u in units]
    scope = f" thuộc nhóm {registry.groups[group].name}" if group else ""
    return Table(
        title=f"Đơn vị{scope} — tính đến {format_date(as_of)} ({len(rows)})",
        columns=[
            Column("id", "Mã"),
            Column("name", "Tên đơn vị"),
            Column("short", "Viết tắt"),
            Column("level_label", "Cấp"),
            Column("group_names", "Nhóm"),
        ],
        rows=rows,
    )


def unit_row(definitions: Definitions, unit: Unit) -> dict[str, Any]:
    return {
        "id": unit.id,
        "name": unit.name,
        "short": list(unit.short),
        "level": unit.level,
        "level_label": LEVEL_LABELS[unit.level],
        "groups": list(unit.groups),
        "group_names": definitions.registry.group_names(unit),
        "parent": unit.parent,
        "from": unit.start,
        "until": unit.until,
        "successors": list(unit.successors),
        "code": unit.code,
    }


def task_detail(definitions: Definitions, task: Task, as_of: dt.date) -> dict[str, Any]:
    registry = definitions.registry
    units = registry.responsible(task, as_of)
    period, due = next_deadline(task, as_of)
    return {
        "id": task.id,
        "section": task.section,
        "content": task.content,
        "responsibility": task.responsibility,
        "time": task.time,
        "cadence": task.cadence.id,
        "cadence_label": task.cadence.label,
        "deadlines": {rule.kind: str(task.due_rule(rule.kind)) for rule in task.cadence.periods},
        "next_period": period.name,
        "next_deadline": due,
        "condition": None if task.condition is None else {
            "text": task.condition.text,
            "applies_to": task.condition.applies_to,
            "met_on": task.condition.met_on,
        },
        "note": task.note,
        "as_of": as_of,
        "who": [
            {
                "phrase": w.phrase,
                "role": w.role,
                "refs": list(w.refs),
                "units": [u.id for ref in w.refs for u in registry.resolve(ref, as_of)],
            }
            for w in task.who
        ],
        "lead": list(task.lead),
        "partners": list(task.partners),
        "units": [u.id for u in units],
    }


def task_detail_text(definitions: Definitions, detail: dict[str, Any]) -> str:
    """One task in full, as readable text; the terminal and plain formats both use it."""
    registry = definitions.registry
    lines = [
        f"Nhiệm vụ {detail['id']} (mục {detail['section']})",
        "",
        "Nội dung:",
        f"  {detail['content']}",
        "",
        "Trách nhiệm thực hiện:",
        f"  {detail['responsibility']}",
        "",
        f"Thời gian thực hiện: {detail['time'] or '(văn bản không ghi)'}",
        f"Chu kỳ: {detail['cadence_label']}",
        "Hạn theo kỳ: " + ", ".join(f"{_KIND_LABELS.get(kind, kind)}: {_day_month(day)}"
                                    for kind, day in detail["deadlines"].items()),
        f"Kỳ tới: {detail['next_period']}, hạn {format_date(detail['next_deadline'])}",
    ]
    if detail["condition"]:
        cond = detail["condition"]
        met = format_date(cond["met_on"]) if cond["met_on"] else "chưa"
        lines.append(f"Điều kiện: «{cond['applies_to']}» {cond['text']} (đã đáp ứng: {met})")
    if detail["note"]:
        lines.append(f"Ghi chú: {detail['note']}")
    lines += ["", f"Phân công (tính đến {format_date(detail['as_of'])}):"]
    for who in detail["who"]:
        role = ROLE_LABELS[who["role"]]
        resolved = ", ".join(registry.units[u].name for u in who["units"]) or "(không có đơn vị nào vào ngày này)"
        if len(who["units"]) > 6:
            resolved = f"{len(who['units'])} đơn vị"
        lines.append(f"  - {who['phrase']} [{role}]: {resolved}")
    lines += ["", f"Đơn vị chịu trách nhiệm: {len(detail['units'])}"]
    return "\n".join(lines) + "\n"
