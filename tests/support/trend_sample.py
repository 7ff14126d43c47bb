"""Sở Tư pháp's four six-monthly tasks recorded with known done dates in 2026-H1 and 2026-H2: the trend
tests' tracker, whose week-by-week rates are worked out by hand."""

from __future__ import annotations

from pathlib import Path

from support.cli import rec

SO_TU_PHAP = [  # (task, period, status, done on)
    ("9", "2026-H1", "done", "10/1/2026"), ("17", "2026-H1", "done", "20/2/2026"),
    ("III.1", "2026-H1", "n/a", None),
    ("9", "2026-H2", "done", "3/7/2026"), ("17", "2026-H2", "done", "14/7/2026"),
    ("III.1", "2026-H2", "done", "30/8/2026"), ("III.3", "2026-H2", "dang-thuc-hien", None),
]


def record_dated(tracker: Path) -> Path:
    for task, period, status, done_on in SO_TU_PHAP:
        extra = ["--done-on", done_on] if done_on else []
        if status == "n/a":
            extra = ["--note", "Không thuộc chức năng"]
        rec(tracker, task, "STP", "--status", status, "--period", period, "--as-of", "2026-12-01", *extra)
    return tracker
