"""Where a tracker keeps what: the names of its files and folders, and how paths are shown."""

from __future__ import annotations

import os
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


def plans_dir(data_dir: Path) -> Path:
    return data_dir / PLANS_DIR


def plan_path(data_dir: Path, name: str) -> Path:
    return data_dir / PLANS_DIR / f"{name}.yaml"


def status_dir(data_dir: Path) -> Path:
    return data_dir / STATUS_DIR


def status_path(data_dir: Path, unit_id: str, year: int) -> Path:
    """A unit's records of the periods of one year live in status/YEAR/UNIT.yaml and nowhere else."""
    return data_dir / STATUS_DIR / str(year) / f"{unit_id}.yaml"


def cache_dir(data_dir: Path) -> Path:
    return data_dir / CACHE_DIR


def find_data_dir(explicit: str | None = None, cwd: Path | None = None) -> Path:
    """--data, else KEHOACH_DATA, else the nearest data/plan.yaml from the current folder upward."""
    chosen = explicit or os.environ.get("KEHOACH_DATA")
    if chosen:
        path = Path(chosen).expanduser()
        for candidate in (path, path / "data"):
            if (candidate / PLAN_FILE).is_file():
                return candidate
        raise DataNotFoundError(f"không tìm thấy {PLAN_FILE} trong '{chosen}' hoặc '{path / 'data'}'")
    here = (cwd or Path.cwd()).resolve()
    for folder in (here, *here.parents):
        for candidate in (folder / "data", folder):
            if (candidate / PLAN_FILE).is_file() and (candidate / UNITS_FILE).is_file():
                return candidate
    raise DataNotFoundError(
        "không tìm thấy dữ liệu kế hoạch (data/plan.yaml) ở thư mục hiện tại hay các thư mục cha. "
        "Hãy chạy trong thư mục của bộ theo dõi, dùng --data THƯ_MỤC, đặt biến KEHOACH_DATA, "
        "hoặc tạo bộ theo dõi mới bằng: kehoach init THƯ_MỤC"
    )


def display_path(path: Path | str) -> str:
    """Paths in messages: relative to the current folder when below it, so they stay short."""
    try:
        return os.path.relpath(path)
    except ValueError:
        return str(path)
