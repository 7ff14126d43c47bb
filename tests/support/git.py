"""git for the tests: one fixed identity, no user or system config, and git() run in a folder."""

from __future__ import annotations

import os
import subprocess
from pathlib import Path

GIT_ENV = {
    "GIT_AUTHOR_NAME": "Người Thử",
    "GIT_AUTHOR_EMAIL": "thu@example.vn",
    "GIT_COMMITTER_NAME": "Người Thử",
    "GIT_COMMITTER_EMAIL": "thu@example.vn",
    "GIT_CONFIG_GLOBAL": os.devnull,
    "GIT_CONFIG_NOSYSTEM": "1",
}


def git(cwd: Path, *args: str) -> str:
    return subprocess.run(["git", *args], cwd=cwd, check=True, capture_output=True, text=True).stdout
