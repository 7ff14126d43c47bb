"""`validate`: every problem in every data file, in one run, sorted. Never writes."""

from __future__ import annotations

from pathlib import Path

from kehoach.domain.definitions import Definitions
from kehoach.domain.validation import ambiguous_names, stored_record_problems
from kehoach.errors import Problem
from kehoach.store.layout import status_dir
from kehoach.store.office import office_problems
from kehoach.store.records import load_records
from kehoach.store.tracker import load_definitions
from kehoach.store.urgings import urging_problems


def validate(data_dir: Path) -> list[Problem]:
    plan, registry, problems = load_definitions(data_dir)
    if registry is not None:
        problems += ambiguous_names(registry)
    problems += office_problems(data_dir) + urging_problems(data_dir)
    if plan is not None and registry is not None and not problems:
        records, problems = load_records(status_dir(data_dir))
        problems += stored_record_problems(Definitions(plan, registry), records)
    return sorted(set(problems))
