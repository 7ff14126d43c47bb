"""Long runs draw a progress bar on a terminal (a real pseudo-terminal here) and nothing extra in a pipe."""

from __future__ import annotations

import datetime as dt
import os
import pty
import subprocess
import sys
from pathlib import Path

from kehoach.commands.form import make_forms, select_units
from kehoach.domain.periods import parse_period
from kehoach.store.tracker import open_tracker
from support.cli import run_cli


def on_a_terminal(args: list[str], cwd: Path) -> tuple[int, str]:
    """kehoach with stdout and stderr on one pseudo-terminal, as a clerk's window: exit code, what it showed."""
    leader, follower = pty.openpty()
    env = {**os.environ, "TERM": "xterm", "COLUMNS": "100", "LINES": "40"}
    process = subprocess.Popen([sys.executable, "-m", "kehoach", *args], cwd=cwd, env=env, stdin=subprocess.DEVNULL,
                               stdout=follower, stderr=follower)
    os.close(follower)
    shown = b""
    while True:
        try:
            chunk = os.read(leader, 65536)
        except OSError:  # the terminal closes when the process ends
            break
        if not chunk:
            break
        shown += chunk
    os.close(leader)
    return process.wait(timeout=300), shown.decode("utf-8", "replace")


def test_form_draws_a_bar_on_a_terminal(tracker: Path) -> None:
    code, shown = on_a_terminal(["form", "--group", "cac-ban-nganh", "--as-of", "1/6/2026", "-o", "bieu-mau"],
                                tracker)
    assert code == 0, shown
    assert "Đang lập biểu mẫu" in shown
    assert "Đã lập" in shown


def test_import_draws_a_bar_on_a_terminal(tracker: Path) -> None:
    assert run_cli("form", "--data", str(tracker), "--group", "cac-ban-nganh", "--as-of", "1/6/2026",
                   "-o", str(tracker / "bieu-mau")).exit_code == 0
    files = sorted(str(p) for p in (tracker / "bieu-mau").iterdir())
    code, shown = on_a_terminal(["import", "--dry-run", "--as-of", "1/6/2026", *files], tracker)
    assert code == 0, shown
    assert "Đang nhập biểu mẫu" in shown


def test_nothing_extra_in_a_pipe(tracker: Path) -> None:
    result = run_cli("form", "--data", str(tracker), "--group", "cac-ban-nganh", "--as-of", "1/6/2026",
                     "-o", str(tracker / "bieu-mau"))
    assert result.exit_code == 0
    assert "Đang" not in result.stderr and "\x1b" not in result.stderr + result.stdout
    assert result.stderr.startswith("Đã lập ")
    piped = subprocess.run([sys.executable, "-m", "kehoach", "form", "--group", "cac-ban-nganh", "--as-of",
                            "1/6/2026", "-o", "bieu-mau-2"], cwd=tracker, capture_output=True, text=True)
    assert piped.returncode == 0 and "Đang" not in piped.stderr and "\x1b" not in piped.stderr


def test_make_forms_tells_its_progress_after_each_unit(tracker: Path) -> None:
    opened = open_tracker(tracker / "data")
    units, named = select_units(opened.definitions, [], "cac-ban-nganh", False)
    told: list[tuple[int, int]] = []
    batch = make_forms(opened, units, named, parse_period("2026"), dt.date(2026, 6, 1),
                       tracker / "bieu-mau", progress=lambda done, total: told.append((done, total)))
    total = len(units)
    assert total > 1 and told == [(done, total) for done in range(total + 1)]
    assert len(batch.made) + len(batch.skipped) == total


def test_the_first_read_of_a_big_tracker_draws_a_bar_and_a_warm_run_draws_nothing(plain_tracker: Path) -> None:
    from kehoach.store.records import SLOW_PARSE

    units = sorted(open_tracker(plain_tracker / "data").definitions.registry.units)
    for year in ("2026", "2027"):
        folder = plain_tracker / "data" / "status" / year
        folder.mkdir(parents=True, exist_ok=True)
        for unit in units:
            (folder / f"{unit}.yaml").write_text("records: []\n", encoding="utf-8")
    assert 2 * len(units) > SLOW_PARSE
    args = ["check", "--data", str(plain_tracker), "--as-of", "27/11/2026"]
    code, cold = on_a_terminal(args, plain_tracker.parent)
    assert code == 1 and "Đang đọc các tệp trạng thái" in cold  # check: the plan's overdue work
    code, warm = on_a_terminal(args, plain_tracker.parent)
    assert code == 1 and "Đang đọc" not in warm and "Quá hạn" in warm
