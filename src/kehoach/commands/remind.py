"""`kehoach remind`: an urging letter to each unit with work overdue (and, with --within, due soon), one
.docx a unit or all in one (--merge), and the record, kept in git, that each unit was urged that day
(data/don-doc/YEAR.yaml, `store/urgings`), which the next report counts.

Everything is decided and every letter made in memory before the first file is written.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable, Sequence
from pathlib import Path
from typing import NamedTuple

from kehoach.commands.evaluate import tally_one
from kehoach.commands.record import Outcome, commit_files
from kehoach.commands.report import default_folder
from kehoach.domain.model import Unit
from kehoach.domain.periods import format_date
from kehoach.domain.report import SlotRow, short_title
from kehoach.domain.rules import UnitChoice, chosen_units
from kehoach.domain.slots import EvaluatedSlot, Scope, require_tracking_begun
from kehoach.domain.text import slug
from kehoach.errors import InputError
from kehoach.store.office import Office, load_office
from kehoach.store.tracker import Tracker
from kehoach.store.urgings import load_urgings, times_urged, urgings_path, with_urgings
from kehoach.word.letters import Letter, write_letters

REPLY_DAYS = 10
"""The default time a unit has to report back: 10 days after the letter."""
FOLDER = "don-doc"


class RemindRequest(NamedTuple):
    as_of: dt.date
    choice: UnitChoice
    within: int | None
    """Also the work due within this many days; None: overdue work only."""
    reply_by: dt.date | None
    merge: bool
    output: str | None


class Urged(NamedTuple):
    unit: Unit
    rows: list[SlotRow]
    longest: int
    """The most days late of its tasks (0: only work due soon)."""
    path: Path


class RemindDone(NamedTuple):
    urged: list[Urged]
    written: list[Path]
    folder: Path
    outcome: Outcome | None
    """The record of the urging (None when no unit had anything to urge)."""


def urged_slots(tracker: Tracker, request: RemindRequest) -> dict[str, list[EvaluatedSlot]]:
    """Each unit's open slots to urge: overdue, and with --within those due by then; most days late first.
    A broken status file stops the command: a unit is never urged for work its file may show done."""
    require_tracking_begun(tracker.plan, request.as_of)
    last = request.as_of + dt.timedelta(days=request.within or 0)
    scope = Scope(units=chosen_units(tracker.definitions, request.choice), last=last)
    found: dict[str, list[EvaluatedSlot]] = {}
    for item in tally_one(tracker, scope, request.as_of).open:
        if item.category.overdue or (request.within is not None and item.slot.deadline <= last):
            found.setdefault(item.slot.unit.id, []).append(item)
    for items in found.values():
        items.sort(key=lambda i: (-i.days_late, i.slot.deadline, i.slot.task.order))
    return dict(sorted(found.items()))


def output_folder(tracker: Tracker, output: str | None, merge: bool) -> tuple[Path, Path | None]:
    """(folder, the one merged file when -o names a .docx); -o must be a folder otherwise."""
    if output is None:
        return default_folder(tracker.data_dir) / FOLDER, None
    path = Path(output).expanduser()
    if path.suffix.lower() == ".docx":
        if not merge:
            raise InputError(f"-o '{output}' là một tệp: mỗi đơn vị một công văn cần một thư mục; muốn gộp mọi "
                             "công văn vào một tệp thì thêm --merge")
        return path.parent, path
    if path.exists() and not path.is_dir():
        raise InputError(f"'{output}' là một tệp, không phải thư mục")
    return path, None


def remind(tracker: Tracker, request: RemindRequest,
           progress: Callable[[int, int], None] | None = None) -> RemindDone:
    """`progress(done, total)` is told after each letter (the command line draws a bar with it)."""
    office = load_office(tracker.data_dir)
    folder, merged = output_folder(tracker, request.output, request.merge)
    reply_by = request.reply_by or request.as_of + dt.timedelta(days=REPLY_DAYS)
    if reply_by < request.as_of:
        raise InputError(f"hạn báo cáo lại --reply-by {format_date(reply_by)} ở trước ngày công văn "
                         f"{format_date(request.as_of)}")
    found = urged_slots(tracker, request)
    year_start = dt.date(request.as_of.year, 1, 1)
    before = times_urged(tracker.data_dir, year_start, request.as_of - dt.timedelta(days=1))
    registry = tracker.registry
    titles = {t.id: short_title(t.content, 120) for t in tracker.plan.tasks}
    urged: list[Urged] = []
    letters: list[Letter] = []
    stamp = request.as_of.isoformat()
    for unit_id, items in found.items():
        unit = registry.units[unit_id]
        rows = [SlotRow.of(item) for item in items]
        path = merged or folder / f"cong-van-don-doc_{slug(unit.id)}_{stamp}.docx"
        urged.append(Urged(unit, rows, rows[0].days_late, path))
        letters.append(Letter(unit.name, unit.level, rows, titles, tracker.plan.citation(), request.as_of, reply_by,
                              before.get(unit_id, 0)))
    if not urged:
        return RemindDone([], [], folder, None)
    if request.merge:
        path = merged or folder / f"cong-van-don-doc_{stamp}.docx"
        urged = [u._replace(path=path) for u in urged]
        write_letters(letters, office, path)
        written = [path]
    else:
        written = []
        for done, (one, letter) in enumerate(zip(urged, letters, strict=True)):
            if progress is not None:
                progress(done, len(letters))
            write_letters([letter], office, one.path)
            written.append(one.path)
        if progress is not None:
            progress(len(letters), len(letters))
    outcome = record_urgings(tracker, [u.unit for u in urged], request.as_of, office)
    return RemindDone(urged, written, folder, outcome)


def record_urgings(tracker: Tracker, units: Sequence[Unit], day: dt.date, office: Office) -> Outcome:
    """data/don-doc/YEAR.yaml gains these units on this day, written and committed under the write lock."""
    path = urgings_path(tracker.data_dir, day.year)
    subject = f"Đôn đốc {len(units)} đơn vị ngày {format_date(day)} (công văn của {office.agency_name})"
    body = "\n".join(f"- {unit.name}" for unit in units)
    trailers = "\n".join(f"Kehoach-Urged: {unit.id} {day.isoformat()}" for unit in units)
    return commit_files(tracker, lambda: {path: with_urgings(load_urgings(path), [u.id for u in units], day)},
                        f"{subject}\n\n{body}\n\n{trailers}\n", commit=True, author=None)
