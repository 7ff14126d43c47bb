"""Loading every status record. The YAML in git is the source of truth; this is the one door to it."""

from __future__ import annotations

from pathlib import Path

from kehoach.errors import Problem
from kehoach.model import Record


def load_all_records(status_dir: Path) -> tuple[list[Record], list[Problem]]:
    from kehoach.statusfiles import read_status_file, status_files

    records: list[Record] = []
    problems: list[Problem] = []
    for path in status_files(status_dir):
        found, bad = read_status_file(path)
        records += found
        problems += bad
    return records, problems
