"""A tracker on disk: its data folder, and one plan and the units loaded and checked.

A tracker following several plans (data/plans/NAME.yaml, and data/plan.yaml beside them) is opened as one
Tracker a plan: the same data folder and units, each plan with its own status folder."""

from __future__ import annotations

from pathlib import Path
from typing import NamedTuple

from kehoach.domain.definitions import Definitions
from kehoach.domain.model import Plan
from kehoach.domain.registry import Registry
from kehoach.errors import DataFileError, Problem
from kehoach.store import definitions_cache
from kehoach.store.layout import (
    PLAN_FILE,
    PLAN_NAME,
    UNITS_FILE,
    display_path,
    plan_files,
    plan_name_of,
    plan_path,
    status_dir,
)

# The YAML reader is imported only when the definitions cache cannot answer: importing PyYAML costs
# ~12 ms, a tenth of a command's start-up.


class Tracker(NamedTuple):
    data_dir: Path
    definitions: Definitions
    plan_file: str | None = None
    """NAME of data/plans/NAME.yaml; None for data/plan.yaml."""
    one_of_several: bool = False
    """The tracker holds other plans too: commands it suggests name this one with --plan."""

    @property
    def plan(self) -> Plan:
        return self.definitions.plan

    @property
    def registry(self) -> Registry:
        return self.definitions.registry

    @property
    def status_dir(self) -> Path:
        return status_dir(self.data_dir, self.plan_file)

    @property
    def plan_option(self) -> str:
        """" --plan NAME" for a command line suggested about this plan, when the tracker holds several."""
        return f" --plan {self.plan_name}" if self.one_of_several else ""

    @property
    def plan_name(self) -> str:
        """How commands name the plan: its file name in plans/, the id of data/plan.yaml."""
        return self.plan_file or self.plan.id


def load_definitions(data_dir: Path, plan_file: Path | None = None,
                     ) -> tuple[Plan | None, Registry | None, list[Problem]]:
    """One plan (data/plan.yaml unless another is given) and the units, with every problem found;
    nothing raised for bad content."""
    units_path = data_dir / UNITS_FILE
    plan_file = plan_file or data_dir / PLAN_FILE
    name = plan_name_of(plan_file)
    units_raw, plan_raw = _raw(units_path), _raw(plan_file)
    shown = (display_path(units_path), display_path(plan_file))
    key = None
    if units_raw is not None and plan_raw is not None:
        key = definitions_cache.key([units_raw, plan_raw])
        units_key = definitions_cache.key([units_raw])
        cached = definitions_cache.load(data_dir, key, shown, name, units_key) if key is not None else None
        if cached is not None:
            cached_plan, units, groups = cached
            return cached_plan, Registry(units, groups), []
    plan, registry, problems = _parse_definitions(units_path, plan_file)
    if key is not None and not problems and plan is not None and registry is not None:
        definitions_cache.save(data_dir, key, (plan, registry.units, registry.groups), shown, name)
    return plan, registry, problems


def _raw(path: Path) -> bytes | None:
    try:
        return path.read_bytes()
    except OSError:
        return None


def _parse_definitions(units_path: Path, plan_file: Path) -> tuple[Plan | None, Registry | None, list[Problem]]:
    from kehoach.store.plan_reader import read_plan, read_units

    problems: list[Problem] = []
    units_root, found = _load(units_path)
    problems += found
    units, groups, found = read_units(units_root, display_path(units_path)) if units_root is not None else ({}, {},
                                                                                                          [])
    problems += found
    plan_root, found = _load(plan_file)
    problems += found
    plan = None
    if plan_root is not None:
        known = set(units) if units_root is not None else None
        plan, found = read_plan(plan_root, display_path(plan_file), known, set(groups))
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


def open_tracker(data_dir: Path, plan_file: Path | None = None) -> Tracker:
    plan, registry, problems = load_definitions(data_dir, plan_file)
    if problems or plan is None or registry is None:
        raise DataFileError(*problems)
    return Tracker(data_dir, Definitions(plan, registry), plan_name_of(plan_file) if plan_file else None)


def plan_name_problems(plans: list[tuple[str, str | None, str]]) -> list[Problem]:
    """(shown path, file name or None for data/plan.yaml, plan id) of every plan: each must have a name
    fit for a folder (status/NAME/), and no two plans may share a name or an id (--plan would not know
    which one is meant)."""
    problems: list[Problem] = []
    seen: dict[str, str] = {}
    for shown, file_name, plan_id in plans:
        if file_name is not None and PLAN_NAME.match(file_name) is None:
            problems.append(Problem(shown, 0, 0, f"tên tệp kế hoạch «{file_name}» không hợp lệ: chỉ dùng chữ thường "
                                                 "không dấu, chữ số và dấu gạch ngang, bắt đầu bằng chữ (khác "
                                                 "«status»), ví dụ ke-hoach-24-2026.yaml"))
        for name in dict.fromkeys(n for n in (file_name, plan_id) if n):
            if name in seen:
                problems.append(Problem(shown, 0, 0, f"tên hoặc mã kế hoạch «{name}» trùng với kế hoạch trong "
                                                     f"{seen[name]}; mỗi kế hoạch cần tên tệp và mã riêng", "id"))
            else:
                seen[name] = shown
    return problems


def open_plans(data_dir: Path, file_name: str | None = None) -> list[Tracker]:
    """Every plan of the tracker, data/plan.yaml first, then plans/ by file name; every problem of every
    plan file raised at once. With `file_name` (a plan named by its file, as --plan mostly is), only that
    plan, when plans/FILE_NAME.yaml exists: a command on one plan of twenty reads one plan file."""
    files = plan_files(data_dir)
    if files == [data_dir / PLAN_FILE]:
        return [open_tracker(data_dir)]
    named = plan_path(data_dir, file_name) if file_name and PLAN_NAME.match(file_name) else None
    if named is not None and named in files:
        return [open_tracker(data_dir, named)._replace(one_of_several=len(files) > 1)]
    opened: list[Tracker] = []
    shown: list[str] = []
    problems: list[Problem] = []
    for path in files:
        plan, registry, found = load_definitions(data_dir, path)
        problems += found
        if not found and plan is not None and registry is not None:
            opened.append(Tracker(data_dir, Definitions(plan, registry), plan_name_of(path), len(files) > 1))
            shown.append(display_path(path))
    if not problems:
        problems = plan_name_problems([(path, t.plan_file, t.plan.id) for path, t in zip(shown, opened, strict=True)])
    if problems or not opened:
        raise DataFileError(*sorted(set(problems)))
    return opened
