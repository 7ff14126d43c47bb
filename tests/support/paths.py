"""Where the checkout's own files are: the repository, the shipped data, the plan's source text."""

from __future__ import annotations

from pathlib import Path

TESTS = Path(__file__).resolve().parent.parent
REPO = TESTS.parent
SHIPPED_DATA = REPO / "data"
SEED = TESTS / "fixtures" / "ke-hoach-chi-thi-13-thanh-hoa.txt"
