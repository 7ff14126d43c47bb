"""tools/kill_loop.py at a small size: kehoach killed with SIGKILL at random moments (record, import,
sync, a cache rebuild) leaves every file whole, nothing staged, fsck clean and no lock that blocks the
next command. The full run (hundreds of iterations) is reported in docs; CI runs a bounded one."""

from __future__ import annotations

import shutil
import subprocess
import sys
from pathlib import Path

import pytest

TOOL = Path(__file__).resolve().parent.parent / "tools" / "kill_loop.py"


@pytest.mark.skipif(shutil.which("git") is None, reason="git is not installed")
def test_a_bounded_kill_loop_finds_nothing_half_done(tmp_path: Path):
    proc = subprocess.run([sys.executable, str(TOOL), "--iterations", "12", "--seed", "7", "--keep",
                           str(tmp_path / "vong")], capture_output=True, text=True, timeout=240)
    assert proc.returncode == 0, proc.stdout + proc.stderr
    assert "failures: 0" in proc.stdout
    assert proc.stdout.startswith("kill loop: 12 iterations, seed 7")
