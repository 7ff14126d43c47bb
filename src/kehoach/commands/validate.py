"""`validate`: every problem in every data file, in one run, sorted. Never writes.

A tracker of several plans has each plan file checked (with the units), its name and id unique, and
each plan's status files checked against that plan."""

from __future__ import annotations

from pathlib import Path

from kehoach.commands.many_trackers import find_plan
from kehoach.domain.definitions import Definitions
from kehoach.domain.validation import ambiguous_names, stored_record_problems
from kehoach.errors import Problem
from kehoach.store.layout import display_path, plan_files, plan_name_of, status_dir
from kehoach.store.office import office_problems
from kehoach.store.records import load_records
from kehoach.store.tracker import Tracker, load_definitions, plan_name_problems
from kehoach.store.urgings import urging_problems


def validate(data_dir: Path, plan: str | None = None) -> list[Problem]:
    """Every problem of the tracker; with `plan` (as --plan names it), the status files of that plan only
    (every plan file is still checked: a plan is found among them)."""
    problems: list[Problem] = []
    named: list[tuple[Path, str | None, Definitions]] = []
    files = plan_files(data_dir) or [data_dir / "plan.yaml"]
    for index, path in enumerate(files):
        read, registry, found = load_definitions(data_dir, path)
        if index == 0 and registry is not None:
            found += ambiguous_names(registry)  # the units are shared: said once
        problems += found
        if read is not None and registry is not None and not found:
            named.append((path, plan_name_of(path), Definitions(read, registry)))
    problems += plan_name_problems([(display_path(path), name, d.plan.id) for path, name, d in named])
    problems += office_problems(data_dir) + urging_problems(data_dir)
    if not problems:
        if plan is not None:
            chosen = find_plan([Tracker(data_dir, d, name) for _path, name, d in named], plan)
            named = [n for n in named if n[1] == chosen.plan_file]
        for _path, name, definitions in named:
            records, found = load_records(status_dir(data_dir, name))
            problems += found + stored_record_problems(definitions, records)
    return sorted(set(problems))
