"""Several trackers at once (one per province, or one clone per clerk): `--data A --data B`, or a
folder whose subfolders are trackers. Every evaluated slot keeps its `source`, the tracker's folder
name, so one table or report across provinces still says where each row came from.

With one tracker the slots are plain EvaluatedSlot and every output stays exactly as before.
"""

from __future__ import annotations

from collections.abc import Sequence
from pathlib import Path
from typing import NamedTuple

from kehoach.commands.record import recover_if_interrupted
from kehoach.errors import DataNotFoundError
from kehoach.store.layout import PLAN_FILE, display_path, find_data_dir
from kehoach.store.tracker import Tracker, open_tracker


class SourcedTracker(NamedTuple):
    source: str
    tracker: Tracker


def _trackers_below(folder: Path) -> list[Path]:
    """A folder of clones: each subfolder holding data/plan.yaml (or plan.yaml) is one tracker."""
    found = []
    for sub in sorted(p for p in folder.iterdir() if p.is_dir() and not p.name.startswith(".")):
        for candidate in (sub / "data", sub):
            if (candidate / PLAN_FILE).is_file():
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
        if path.is_dir() and not (path / PLAN_FILE).is_file() and not (path / "data" / PLAN_FILE).is_file():
            below = _trackers_below(path)
            if not below:
                raise DataNotFoundError(f"không tìm thấy {PLAN_FILE} trong '{value}', '{path / 'data'}' "
                                        "hay các thư mục con của nó")
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


def open_trackers(values: Sequence[str] | None) -> list[SourcedTracker]:
    dirs = find_data_dirs(values)
    names = [source_name(d) for d in dirs]
    # Two trackers in folders of the same name are told apart by their path.
    names = [display_path(d.resolve().parent if d.name == "data" else d) if names.count(n) > 1 else n
             for d, n in zip(dirs, names, strict=True)]
    for folder in dirs:
        recover_if_interrupted(folder)
    return [SourcedTracker(name, open_tracker(d)) for name, d in zip(names, dirs, strict=True)]
