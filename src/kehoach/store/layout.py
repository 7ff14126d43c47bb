"""Where a tracker keeps what: the names of its files and folders, and how paths are shown."""

from __future__ import annotations

import os
import re
from pathlib import Path

from kehoach.errors import DataNotFoundError

PLAN_FILE = "plan.yaml"
PLANS_DIR = "plans"
"""One file a plan, data/plans/NAME.yaml, in a tracker that follows several plans."""
UNITS_FILE = "units.yaml"
OFFICE_FILE = "office.yaml"
"""The office that signs the Word report and the urging letters: its name, signer and recipients."""
TEMPLATES_DIR = "templates"
"""Word templates an office puts in place of the default layout (data/templates/bao-cao.docx)."""
URGINGS_DIR = "don-doc"
"""data/don-doc/YEAR.yaml: the urging letters sent (`kehoach remind`), unit by unit."""
STATUS_DIR = "status"
CACHE_DIR = ".kehoach-cache"
"""Derived files, rebuilt from the YAML when missing; git ignores the folder."""


PLAN_NAME = re.compile(r"^(?!status$)[a-z][a-z0-9-]*$")
"""The name of a plan in plans/: lower-case ASCII letters, digits and hyphens, starting with a letter (never
four digits, so a plan's status folder status/NAME/ is never taken for a year folder status/YEAR/), and
not "status" (status/status/ would read as the status folder of data/plan.yaml)."""


def plans_dir(data_dir: Path) -> Path:
    return data_dir / PLANS_DIR


def plan_path(data_dir: Path, name: str) -> Path:
    return data_dir / PLANS_DIR / f"{name}.yaml"


def plan_files(data_dir: Path) -> list[Path]:
    """Every plan file of a tracker: data/plan.yaml (when there is one) first, then plans/*.yaml by name.
    A file in plans/ whose name is not a plan name is listed too, for `validate` to say so."""
    found = [data_dir / PLAN_FILE] if (data_dir / PLAN_FILE).is_file() else []
    try:
        found += sorted(p for p in plans_dir(data_dir).iterdir()
                        if p.suffix == ".yaml" and not p.name.startswith(".") and p.is_file())
    except (FileNotFoundError, NotADirectoryError):
        pass
    return found


def plan_name_of(plan_file: Path) -> str | None:
    """plans/NAME.yaml -> NAME; None for data/plan.yaml, the plan of the one-plan layout."""
    return None if plan_file.name == PLAN_FILE and plan_file.parent.name != PLANS_DIR else plan_file.stem


def status_dir(data_dir: Path, plan_name: str | None = None) -> Path:
    """status/ for data/plan.yaml (where its records have always been), status/NAME/ for plans/NAME.yaml:
    two clerks recording for two plans never write the same file."""
    return data_dir / STATUS_DIR if plan_name is None else data_dir / STATUS_DIR / plan_name


def status_path(status_folder: Path, unit_id: str, year: int) -> Path:
    """A unit's records of the periods of one year live in YEAR/UNIT.yaml of its plan's status folder and
    nowhere else."""
    return status_folder / str(year) / f"{unit_id}.yaml"


YEAR_FILES_GLOB = "[0-9][0-9][0-9][0-9]/*.yaml"
"""The status files of one plan, below its status folder: status/ also holds the other plans' folders."""


def plan_file_of_status(path: Path) -> Path:
    """The plan a status file belongs to: data/status/YEAR/UNIT.yaml -> data/plan.yaml,
    data/status/NAME/YEAR/UNIT.yaml -> data/plans/NAME.yaml."""
    year_folder = path.parent
    if year_folder.parent.name == STATUS_DIR:
        return year_folder.parent.parent / PLAN_FILE
    return plan_path(year_folder.parent.parent.parent, year_folder.parent.name)


def cache_dir(data_dir: Path) -> Path:
    return data_dir / CACHE_DIR


def status_cache_dir(status_folder: Path) -> Path:
    """Where the caches derived from one plan's status files live: .kehoach-cache/ for status/,
    .kehoach-cache/plans/NAME/ for status/NAME/ (so two plans never share or overwrite an entry)."""
    if status_folder.name == STATUS_DIR:
        return status_folder.parent / CACHE_DIR
    return data_dir_of(status_folder) / CACHE_DIR / PLANS_DIR / status_folder.name


def data_dir_of(status_folder: Path) -> Path:
    """The data folder a plan's status folder (status/ or status/NAME/) belongs to."""
    return status_folder.parent if status_folder.name == STATUS_DIR else status_folder.parent.parent


def _holds_plans(folder: Path) -> bool:
    if (folder / PLAN_FILE).is_file():
        return True
    try:
        return any(p.suffix == ".yaml" for p in plans_dir(folder).iterdir())
    except (FileNotFoundError, NotADirectoryError):
        return False


def find_data_dir(explicit: str | None = None, cwd: Path | None = None) -> Path:
    """--data, else KEHOACH_DATA, else the nearest data/plan.yaml (or data/plans/*.yaml) from the current
    folder upward."""
    chosen = explicit or os.environ.get("KEHOACH_DATA")
    if chosen:
        path = Path(chosen).expanduser()
        for candidate in (path, path / "data"):
            if _holds_plans(candidate):
                return candidate
        raise DataNotFoundError(f"không tìm thấy {PLAN_FILE} hay {PLANS_DIR}/*.yaml trong '{chosen}' hoặc "
                                f"'{path / 'data'}'")
    here = (cwd or Path.cwd()).resolve()
    for folder in (here, *here.parents):
        for candidate in (folder / "data", folder):
            if (candidate / UNITS_FILE).is_file() and _holds_plans(candidate):
                return candidate
    raise DataNotFoundError(
        "không tìm thấy dữ liệu kế hoạch (data/plan.yaml hay data/plans/) ở thư mục hiện tại hay các thư mục cha. "
        "Hãy chạy trong thư mục của bộ theo dõi, dùng --data THƯ_MỤC, đặt biến KEHOACH_DATA, "
        "hoặc tạo bộ theo dõi mới bằng: kehoach init THƯ_MỤC"
    )


def display_path(path: Path | str) -> str:
    """Paths in messages: relative to the current folder when below it, so they stay short."""
    try:
        return os.path.relpath(path)
    except ValueError:
        return str(path)
