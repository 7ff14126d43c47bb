"""Several trackers at once (one per province, or one clone per clerk): `--data A --data B`, or a
folder whose subfolders are trackers; and the several plans of one tracker (data/plans/NAME.yaml).
A plan of a tracker is one more Tracker (same data folder and units, its own status folder), so the
same machinery reads over plans as over trackers. Every evaluated slot keeps its `source` (the
tracker's folder name, the plan's name, or "tracker/plan" when both are several), so one table or
report still says where each row came from.

With one tracker of one plan the slots are plain EvaluatedSlot and every output stays exactly as before.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from pathlib import Path
from typing import NamedTuple

from kehoach.commands.record import find_task, recover_if_interrupted
from kehoach.domain.suggest import closest
from kehoach.domain.text import fold, matches_words
from kehoach.errors import DataNotFoundError, InputError
from kehoach.store.layout import (
    PLAN_FILE,
    display_path,
    find_data_dir,
    plan_file_of_status,
    plan_files,
    plan_name_of,
)
from kehoach.store.tracker import Tracker, open_plans


class SourcedTracker(NamedTuple):
    source: str
    tracker: Tracker


def _trackers_below(folder: Path) -> list[Path]:
    """A folder of clones: each subfolder holding data/plan.yaml (or plan.yaml) is one tracker."""
    found = []
    for sub in sorted(p for p in folder.iterdir() if p.is_dir() and not p.name.startswith(".")):
        for candidate in (sub / "data", sub):
            if plan_files(candidate):
                found.append(candidate)
                break
    return found


def find_data_dirs(values: Sequence[str] | None) -> list[Path]:
    """Each --data value is a tracker, or a folder of trackers; none given: the usual single lookup."""
    if not values:
        return [find_data_dir(None)]
    dirs: list[Path] = []
    for value in values:
        path = Path(value).expanduser()
        if path.is_dir() and not plan_files(path) and not plan_files(path / "data"):
            below = _trackers_below(path)
            if not below:
                raise DataNotFoundError(f"không tìm thấy {PLAN_FILE} hay plans/*.yaml trong '{value}', "
                                        f"'{path / 'data'}' hay các thư mục con của nó")
            dirs += below
        else:
            dirs.append(find_data_dir(value))
    unique: list[Path] = []
    for found in dirs:
        if found.resolve() not in {d.resolve() for d in unique}:
            unique.append(found)
    return unique


def source_name(data_dir: Path) -> str:
    folder = data_dir.resolve()
    return folder.parent.name if folder.name == "data" else folder.name


def open_trackers(values: Sequence[str] | None, plan: str | None = None) -> list[SourcedTracker]:
    """Every plan of every tracker named (or only the plan named by --plan, in each of them)."""
    dirs = find_data_dirs(values)
    names = [source_name(d) for d in dirs]
    # Two trackers in folders of the same name are told apart by their path.
    names = [display_path(d.resolve().parent if d.name == "data" else d) if names.count(n) > 1 else n
             for d, n in zip(dirs, names, strict=True)]
    for folder in dirs:
        recover_if_interrupted(folder)
    opened = [(name, chosen_plans(open_plans(d, plan), plan)) for name, d in zip(names, dirs, strict=True)]
    if len(opened) == 1:
        name, plans = opened[0]
        return [SourcedTracker(t.plan_name if len(plans) > 1 else name, t) for t in plans]
    return [SourcedTracker(f"{name}/{t.plan_name}" if len(plans) > 1 else name, t) for name, plans in opened
            for t in plans]


def several_plans(trackers: Sequence[SourcedTracker]) -> bool:
    """The sources are the plans of one tracker (not trackers): tables head their column "Kế hoạch"."""
    return len(trackers) > 1 and len({t.tracker.data_dir.resolve() for t in trackers}) == 1


def open_plan(data_dir: Path, plan: str | None, example: Callable[[str], str]) -> Tracker:
    """The one plan a writing command works on: the only one, or the one named by --plan; with several
    and none named, an error listing them and a command line that runs."""
    plans = open_plans(data_dir, plan)
    if plan is not None:
        return find_plan(plans, plan)
    if len(plans) == 1:
        return plans[0]
    listed = "\n".join(f"  {t.plan_name}: {t.plan.citation()}" for t in plans)
    raise InputError(f"bộ theo dõi có {len(plans)} kế hoạch; hãy chọn một bằng --plan TÊN. Các kế hoạch:\n"
                     f"{listed}\nVí dụ: {example(plans[0].plan_name)}", field="plan")


def chosen_plans(plans: list[Tracker], plan: str | None) -> list[Tracker]:
    return plans if plan is None else [find_plan(plans, plan)]


def _plan_names(tracker: Tracker) -> list[str]:
    """Every name a clerk may call a plan by: its file name, its id, its number (24/KH-UBND)."""
    plan = tracker.plan
    return [n for n in (tracker.plan_file, plan.id, plan.number) if n]


def find_plan(plans: Sequence[Tracker], wanted: str) -> Tracker:
    """The plan named by its file name, id or number, or by words of its title (with or without
    diacritics); a name matching none gets the closest ones as a suggestion."""
    key = fold(wanted).replace(" ", "")
    exact = [t for t in plans if any(fold(n).replace(" ", "") == key for n in _plan_names(t))]
    if len(exact) == 1:
        return exact[0]
    if not exact:
        exact = [t for t in plans if matches_words(wanted, t.plan.title) or matches_words(wanted, t.plan.subject or "")]
        if len(exact) == 1:
            return exact[0]
    if exact:
        names = ", ".join(t.plan_name for t in exact)
        raise InputError(f"«{wanted}» khớp nhiều kế hoạch: {names}; hãy ghi tên tệp kế hoạch, ví dụ --plan "
                         f"{exact[0].plan_name}", field="plan")
    candidates = [(name, t.plan_name) for t in plans for name in _plan_names(t)]
    # "ct13" for ct13-thanh-hoa: the start of a long name is too short for a fuzzy match to find it.
    starting = [t.plan_name for t in plans if key and any(fold(n).replace(" ", "").startswith(key)
                                                          for n in _plan_names(t))]
    near = closest(wanted, candidates) or starting
    hint = f" Có phải: {' hay '.join(near)}?" if near else ""
    listed = ", ".join(t.plan_name for t in plans)
    raise InputError(f"không có kế hoạch «{wanted}».{hint} Các kế hoạch của bộ theo dõi: {listed} "
                     "(xem bằng: kehoach plan list)", field="plan")


def task_in_some_plan(trackers: Sequence[SourcedTracker], text: str) -> str:
    """The id of the task --task names, in any of the plans read (task ids are each plan's own: "17" of
    two plans is two tasks, both shown); in none of them, the error of the first plan."""
    error: InputError | None = None
    for sourced in trackers:
        try:
            return find_task(sourced.tracker.definitions, text).id
        except InputError as exc:
            error = error or exc
    assert error is not None
    raise error


def plan_of_status_file(trackers: Sequence[SourcedTracker]) -> Callable[[str], str]:
    """A status file's path (as git lists it) -> the name of the plan it belongs to."""
    legacy = next((t.tracker.plan_name for t in trackers if t.tracker.plan_file is None), "")

    def plan_of(path: str) -> str:
        return plan_name_of(plan_file_of_status(Path(path))) or legacy

    return plan_of
