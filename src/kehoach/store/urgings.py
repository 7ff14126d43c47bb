"""data/don-doc/YEAR.yaml: which unit was sent an urging letter on which day, kept in git with the data.

A small file of its own rather than commit trailers: a report reads it without walking the history,
it travels with every copy and clone of the data, and a clerk can read it. One line a unit and day,
units in order, so two clerks urging different units rarely touch the same lines.

    so-tu-phap:
    - 2026-07-05
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable
from pathlib import Path

from kehoach.errors import DataFileError, Problem
from kehoach.store.layout import URGINGS_DIR, display_path

HEADER = "# Công văn đôn đốc đã gửi: mã đơn vị, rồi các ngày gửi (kehoach remind ghi; không cần sửa tay)\n"


def urgings_path(data_dir: Path, year: int) -> Path:
    return data_dir / URGINGS_DIR / f"{year}.yaml"


def read_urgings(path: Path) -> tuple[dict[str, list[dt.date]], list[Problem]]:
    """Unit id -> the days it was urged; problems with their line for a file edited by hand."""
    from kehoach.store.yamlio import YList, YMap, load_file

    if not path.exists():
        return {}, []
    shown = display_path(path)
    try:
        root, problems = load_file(path, shown)
    except DataFileError as exc:
        return {}, list(exc.problems)
    if problems or root is None:
        return {}, problems
    if not isinstance(root, YMap):
        return {}, [Problem(shown, 1, 1, "tệp đôn đốc phải là bảng: mã đơn vị, rồi danh sách ngày")]
    found: dict[str, list[dt.date]] = {}
    for unit, days in root.items():
        line, col = root.pos(unit)
        if not isinstance(days, YList) or not all(isinstance(d, dt.date) for d in days):
            problems.append(Problem(shown, line, col, f"đơn vị '{unit}': cần danh sách ngày dạng YYYY-MM-DD", unit))
            continue
        found[unit] = sorted(days)
    return found, problems


def load_urgings(path: Path) -> dict[str, list[dt.date]]:
    found, problems = read_urgings(path)
    if problems:
        raise DataFileError(*problems)
    return found


def urging_problems(data_dir: Path) -> list[Problem]:
    """What `validate` says of the urging files."""
    folder = data_dir / URGINGS_DIR
    if not folder.is_dir():
        return []
    return [p for path in sorted(folder.glob("*.yaml")) for p in read_urgings(path)[1]]


def times_urged(data_dir: Path, first: dt.date, last: dt.date) -> dict[str, int]:
    """How many letters each unit was sent between two days (both counted)."""
    counted: dict[str, int] = {}
    for year in range(first.year, last.year + 1):
        for unit, days in load_urgings(urgings_path(data_dir, year)).items():
            n = sum(1 for day in days if first <= day <= last)
            if n:
                counted[unit] = counted.get(unit, 0) + n
    return counted


def with_urgings(current: dict[str, list[dt.date]], units: Iterable[str], day: dt.date) -> str:
    """The file's text with `units` urged on `day` (once a day each), in the one stable form."""
    from kehoach.store.yamlio import dump_text

    updated = {unit: list(days) for unit, days in current.items()}
    for unit in units:
        updated[unit] = sorted(set(updated.get(unit, [])) | {day})
    return HEADER + dump_text(updated)
