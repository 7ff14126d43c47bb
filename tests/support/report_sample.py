"""A tracker with a few records covering most categories, shared by the report tests."""

from __future__ import annotations

import datetime as dt
import json
from collections import Counter
from pathlib import Path

from kehoach.domain.periods import parse_period
from kehoach.domain.report import Report, ReportScope, build_report, collect
from kehoach.domain.rules import UnitChoice
from kehoach.store.records import current_records
from kehoach.store.tracker import open_tracker
from support.cli import run_cli

AS_OF = "2026-12-20"
AS_OF_DATE = dt.date(2026, 12, 20)
INJECTION = '=HYPERLINK("http://x","y")'

RECORDS = [
    (
        "17",
        "STP",
        "--status",
        "done",
        "--done-on",
        "10/6/2026",
        "--period",
        "2026-H1",
        "--as-of",
        "2026-06-12",
    ),
    ("1", "STP", "--status", "done", "--done-on", "20/12/2026", "--period", "2026", "--as-of", AS_OF),
    (
        "2",
        "Sở Nội vụ",
        "--status",
        "dang-thuc-hien",
        "--period",
        "2026",
        "--note",
        INJECTION,
        "--as-of",
        AS_OF,
    ),
    ("14", "STP", "--status", "n/a", "--period", "2026", "--note", "Không thuộc chức năng", "--as-of", AS_OF),
    (
        "3",
        "STP",
        "--status",
        "dang-thuc-hien",
        "--period",
        "2026",
        "--evidence",
        "Công văn 12/STP",
        "--as-of",
        "2026-12-01",
    ),
]


def record_sample(tracker: Path) -> Path:
    for args in RECORDS:
        result = run_cli("record", *args, "--data", str(tracker))
        assert result.exit_code == 0, result.stderr
    return tracker


def status_rows(tracker: Path, *extra: str) -> list[dict]:
    result = run_cli("status", "--as-of", AS_OF, "--format", "json", "--data", str(tracker), *extra)
    assert result.exit_code == 0, result.stderr
    return json.loads(result.stdout)


def status_counts(tracker: Path, *extra: str) -> Counter:
    return Counter(row["category"] for row in status_rows(tracker, *extra))


def build_sample_report(root: Path, unit: str | None = None, group: str | None = None) -> Report:
    """The report of the 2026 period on the sample's as-of date, made in-process."""
    tracker = open_tracker(root / "data")
    scope = ReportScope.chosen(tracker.definitions, UnitChoice(unit, group))
    period = parse_period("2026")
    items = collect(tracker.definitions, scope, period, AS_OF_DATE, current_records(tracker.status_dir))
    return build_report(tracker.definitions, scope, period, AS_OF_DATE, items)
