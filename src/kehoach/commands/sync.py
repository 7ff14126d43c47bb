"""`kehoach sync`: exchange work with the shared remote (`git.sync`), checking merged data with `validate`."""

from __future__ import annotations

from pathlib import Path

from kehoach.commands.validate import validate
from kehoach.git.sync import SyncResult
from kehoach.git.sync import sync as exchange


def sync(data_dir: Path, remote: str = "origin") -> SyncResult:
    return exchange(data_dir, validate, remote)
