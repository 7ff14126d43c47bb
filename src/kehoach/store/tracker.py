"""A tracker on disk: its data folder, and its plan and units loaded and checked."""

from __future__ import annotations

from pathlib import Path
from typing import NamedTuple

from kehoach.domain.definitions import Definitions
from kehoach.domain.model import Plan
from kehoach.domain.registry import Registry
from kehoach.errors import DataFileError, Problem
from kehoach.store import definitions_cache
from kehoach.store.layout import PLAN_FILE, UNITS_FILE, display_path, status_dir

# The YAML reader is imported only when the definitions cache cannot answer: importing PyYAML costs
# ~12 ms, a tenth of a command's start-up.


class Tracker(NamedTuple):
    data_dir: Path
    definitions: Definitions

    @property
    def plan(self) -> Plan:
        return self.definitions.plan

    @property
    def registry(self) -> Registry:
        return self.definitions.registry

    @property
    def status_dir(self) -> Path:
        return status_dir(self.data_dir)


def load_definitions(data_dir: Path) -> tuple[Plan | None, Registry | None, list[Problem]]:
    """Plan and units with every problem found; nothing raised for bad content."""
    units_path = data_dir / UNITS_FILE
    plan_path = data_dir / PLAN_FILE
    units_raw, plan_raw = _raw(units_path), _raw(plan_path)
    key = None
    if units_raw is not None and plan_raw is not None:
        key = definitions_cache.key([units_raw, plan_raw], [display_path(units_path), display_path(plan_path)])
    if key is not None:
        cached = definitions_cache.load(data_dir, key)
        if cached is not None:
            cached_plan, units, groups = cached
            return cached_plan, Registry(units, groups), []
    plan, registry, problems = _parse_definitions(units_path, plan_path)
    if key is not None and not problems and plan is not None and registry is not None:
        definitions_cache.save(data_dir, key, (plan, registry.units, registry.groups))
    return plan, registry, problems


def _raw(path: Path) -> bytes | None:
    try:
        return path.read_bytes()
    except OSError:
        return None


def _parse_definitions(units_path: Path, plan_path: Path) -> tuple[Plan | None, Registry | None, list[Problem]]:
    from kehoach.store.plan_reader import read_plan, read_units

    problems: list[Problem] = []
    units_root, found = _load(units_path)
    problems += found
    units, groups, found = read_units(units_root, display_path(units_path)) if units_root is not None else ({}, {},
                                                                                                          [])
    problems += found
    plan_root, found = _load(plan_path)
    problems += found
    plan = None
    if plan_root is not None:
        known = set(units) if units_root is not None else None
        plan, found = read_plan(plan_root, display_path(plan_path), known, set(groups))
        problems += found
    registry = Registry(units, groups) if units else None
    return plan, registry, problems


def _load(path: Path) -> tuple[object, list[Problem]]:
    from kehoach.store.yamlio import load_file

    try:
        root, problems = load_file(path, display_path(path))
    except DataFileError as exc:
        return None, list(exc.problems)
    if root is None and not problems:
        problems = [Problem(display_path(path), 1, 1, "tệp rỗng")]
    return root, problems


def open_tracker(data_dir: Path) -> Tracker:
    plan, registry, problems = load_definitions(data_dir)
    if problems or plan is None or registry is None:
        raise DataFileError(*problems)
    return Tracker(data_dir, Definitions(plan, registry))
