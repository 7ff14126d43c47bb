"""`validate`: every problem in every data file, in one run, sorted. Never writes."""

from __future__ import annotations

import datetime as dt
from pathlib import Path

from kehoach.domain.model import Unit
from kehoach.domain.registry import Registry
from kehoach.domain.text import fold
from kehoach.errors import Problem
from kehoach.store.tracker import Tracker, load_definitions

_EPOCH = dt.date(1900, 1, 1)
_FAR = dt.date(9999, 12, 31)


def validate(data_dir: Path) -> list[Problem]:
    plan, registry, problems = load_definitions(data_dir)
    if registry is not None:
        problems += _ambiguous_names(registry)
    if plan is not None and registry is not None and not problems:
        from kehoach.store.status_files import check_status_files

        problems += check_status_files(Tracker(data_dir, plan, registry))
    return sorted(set(problems))


def _ambiguous_names(registry: Registry) -> list[Problem]:
    """Two units alive at the same time answering to the same abbreviation make lookups ambiguous."""
    problems = []
    owners: dict[str, list[Unit]] = {}
    for unit in registry.units.values():
        for short in unit.short:
            owners.setdefault(fold(short), []).append(unit)
    for units in owners.values():
        for index, first in enumerate(units):
            for second in units[index + 1:]:
                if _lifetimes_overlap(first, second):
                    src = second.source
                    problems.append(Problem(src.path, src.line, src.col,
                                            f"tên viết tắt trùng với đơn vị '{first.id}' cùng thời gian", "short"))
    return problems


def _lifetimes_overlap(a: Unit, b: Unit) -> bool:
    start = max(a.start or _EPOCH, b.start or _EPOCH)
    end = min(a.until or _FAR, b.until or _FAR)
    return start <= end
