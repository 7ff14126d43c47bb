"""Where a long read tells how far it is: a module of its own, with no imports of ours, so that the command
line can listen on every run without loading the readers for a command that needs none."""

from __future__ import annotations

from collections.abc import Callable
from contextvars import ContextVar

PARSING_PROGRESS: ContextVar[Callable[[int, int], None] | None] = ContextVar("parsing_progress", default=None)
"""Told `(files done, files listed)` while a run parses many status files (the first run on a big
tracker, or after the cache is deleted); a run answered from the cache never calls it. The command
line sets it to draw a bar on a terminal."""
