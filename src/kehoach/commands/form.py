"""`kehoach form`: one workbook per unit for it to fill in and send back, built first, then written."""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path

from kehoach.domain.definitions import Definitions
from kehoach.domain.model import Period, Unit
from kehoach.domain.rules import group_units
from kehoach.errors import InputError
from kehoach.excel.form_writer import build_workbook, form_file_name, form_items, workbook_bytes
from kehoach.store.files import atomic_write
from kehoach.store.office import letterhead
from kehoach.store.records import current_records
from kehoach.store.tracker import Tracker

FORMS_FOLDER = ("reports", "bieu-mau")


def select_units(definitions: Definitions, names: list[str], group: str | None,
                 everyone: bool) -> tuple[list[Unit], bool]:
    """The units asked for, and whether they were named one by one (then an empty form is an error)."""
    chosen = sum([bool(names), group is not None, everyone])
    if chosen != 1:
        raise InputError("hãy chọn đúng một cách: tên đơn vị (một hay nhiều), --group NHÓM hoặc --all")
    registry = definitions.registry
    if names:
        seen: dict[str, Unit] = {}
        for name in names:
            unit = registry.find_unit(name)
            seen.setdefault(unit.id, unit)
        return list(seen.values()), True
    if group is not None:
        members = group_units(definitions, registry.find_group(group).id)
        return sorted((registry.units[uid] for uid in members), key=lambda u: u.id), False
    return sorted(registry.units.values(), key=lambda u: u.id), False


def default_output_dir(tracker: Tracker) -> Path:
    return tracker.data_dir.parent.joinpath(*FORMS_FOLDER)


@dataclass(frozen=True)
class MadeForm:
    unit: Unit
    path: Path
    rows: int


@dataclass(frozen=True)
class FormBatch:
    made: list[MadeForm]
    skipped: list[Unit]
    """Units asked for by group or --all that have nothing to report in the period."""


def make_forms(tracker: Tracker, units: list[Unit], named: bool, period: Period, as_of: dt.date,
               out_dir: Path, *, progress: Callable[[int, int], None] | None = None) -> FormBatch:
    """Build every workbook first, then write them: a unit named by hand with no rows stops everything.
    `progress(done, total)` is told after each unit (the command line draws a bar with it)."""
    records = current_records(tracker.status_dir)
    header = letterhead(tracker.data_dir, tracker.plan)
    built: list[tuple[Unit, Path, bytes, int]] = []
    skipped = []
    for done, unit in enumerate(units):
        if progress is not None:
            progress(done, len(units))
        items = form_items(tracker.definitions, unit, period, records, as_of)
        if not items:
            if named:
                raise InputError(f"{unit.name} ({unit.id}) không có nhiệm vụ nào trong kỳ {period.name}")
            skipped.append(unit)
            continue
        workbook = build_workbook(tracker.plan, header, unit, period, items, as_of)
        built.append((unit, out_dir / form_file_name(tracker.plan, unit, period),
                      workbook_bytes(workbook, as_of), len(items)))
    if progress is not None:
        progress(len(units), len(units))
    made = []
    for unit, path, data, count in built:
        atomic_write(path, data)
        made.append(MadeForm(unit, path, count))
    return FormBatch(made, skipped)
