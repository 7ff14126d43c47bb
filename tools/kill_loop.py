"""Kill kehoach with SIGKILL at random moments and prove nothing is left half-done.

    python tools/kill_loop.py --iterations 300 --seed 1

Each iteration starts one of `record`, `import`, `sync` or a cache rebuild (`status` after the cache
is deleted) in its own process group, and kills the whole group (kehoach and its git) after a random
delay: half the time anywhere from 0 to a little more than the command's own duration, half the time
in its last 40%, where it writes and commits (start-up takes most of a short command's time). Then
the next command, a `record` (run in this process, to keep the loop fast), must succeed: no lock may
block it. Afterwards:

- `kehoach validate` is clean (every file parses, every record keeps the rules);
- `git fsck` is clean;
- `git status` is clean: nothing written and left uncommitted, nothing staged, no temporary file;
- every commit made since the previous iteration changes only the records its Kehoach-Task trailers
  name (no record committed inside another's commit).

Prints the figures (runs, kills, finished before the kill, writes recovered from the journal, failures
with their reason) and exits 1 if any check failed.
"""

from __future__ import annotations

import argparse
import os
import random
import shutil
import signal
import subprocess
import sys
import tempfile
import time
from collections import Counter
from pathlib import Path

UNIT = "so-tu-phap"
OTHER_UNIT = "so-tai-chinh"
AS_OF = "2026-06-01"
STATUS_FILE = Path("data/status/2026") / f"{UNIT}.yaml"
JOURNAL = Path("data/.kehoach-cache/journal")
COMMANDS = ("record", "import", "sync", "cache")
ENV = {
    **os.environ,
    "GIT_AUTHOR_NAME": "Vòng Thử", "GIT_AUTHOR_EMAIL": "thu@example.vn",
    "GIT_COMMITTER_NAME": "Vòng Thử", "GIT_COMMITTER_EMAIL": "thu@example.vn",
    "GIT_CONFIG_GLOBAL": os.devnull, "GIT_CONFIG_NOSYSTEM": "1", "NO_COLOR": "1",
}
ENV.pop("KEHOACH_DATA", None)


def kehoach_args(*args: str) -> list[str]:
    return [sys.executable, "-m", "kehoach", *args]


def run(args: list[str], cwd: Path, check: bool = True) -> subprocess.CompletedProcess[str]:
    proc = subprocess.run(args, cwd=cwd, env=ENV, capture_output=True, text=True, timeout=180)
    if check and proc.returncode != 0:
        raise RuntimeError(f"{' '.join(args)} → {proc.returncode}: {proc.stderr}")
    return proc


def git(cwd: Path, *args: str, check: bool = True) -> str:
    return run(["git", *args], cwd, check).stdout


class World:
    """A tracker with a shared bare remote, a second clerk's clone, and two filled forms."""

    def __init__(self, base: Path) -> None:
        self.base = base
        self.main = base / "may-1"
        self.other = base / "may-2"
        remote = base / "chung.git"
        run(kehoach_args("init", str(self.main)), base)
        run(["git", "init", "-q", "--bare", "-b", "main", str(remote)], base)
        git(self.main, "remote", "add", "origin", str(remote))
        git(self.main, "push", "-q", "-u", "origin", "main")
        git(base, "clone", "-q", str(remote), str(self.other))
        run(kehoach_args("setup-git", "--data", str(self.other / "data")), base)
        self.forms = [self._form(base / f"mau-{n}", status)
                      for n, status in enumerate(("dang-thuc-hien", "hoan-thanh"))]
        self.turn = 0

    def _form(self, folder: Path, status: str) -> Path:
        from openpyxl import load_workbook

        from kehoach.excel.form_writer import COLUMN_INDEX, SHEET_TITLE

        made = run(kehoach_args("form", UNIT, "--as-of", AS_OF, "-o", str(folder), "--data", str(self.main)),
                   self.base)
        path = Path(made.stdout.strip().splitlines()[0])
        path = path if path.is_absolute() else self.base / path
        book = load_workbook(path)
        sheet = book[SHEET_TITLE]
        for row in range(1, sheet.max_row + 1):
            task = sheet.cell(row, COLUMN_INDEX["task"]).value
            if task in {"1", "2", "3", "4", "5"}:
                sheet.cell(row, COLUMN_INDEX["status"]).value = status
                if status == "hoan-thanh":
                    sheet.cell(row, COLUMN_INDEX["done_on"]).value = "01/06/2026"
        book.save(path)
        return path

    def command(self, name: str) -> list[str]:
        self.turn += 1
        data = str(self.main)
        if name == "record":
            task = str(1 + self.turn % 15)
            status = ("dang-thuc-hien", "chua-thuc-hien")[self.turn // 15 % 2]
            return kehoach_args("record", task, UNIT, "-s", status, "--as-of", AS_OF, "--by", f"Cán bộ {task}",
                                "--data", data)
        if name == "import":
            return kehoach_args("import", str(self.forms[self.turn % 2]), "--as-of", AS_OF, "--by", "Người nhập",
                                "--data", data)
        if name == "sync":
            self._other_works()
            return kehoach_args("sync", "--data", data)
        shutil.rmtree(self.main / "data" / ".kehoach-cache" / "records", ignore_errors=True)
        return kehoach_args("status", "--as-of", AS_OF, "--data", data)

    def _other_works(self) -> None:
        """The other clerk records and shares, so that the killed sync has work to fetch and merge."""
        task = str(1 + self.turn % 15)
        status = ("dang-thuc-hien", "chua-thuc-hien")[self.turn % 2]
        run(kehoach_args("record", task, OTHER_UNIT, "-s", status, "--as-of", AS_OF, "--by", "Cán bộ khác",
                         "--data", str(self.other)), self.base, check=False)
        run(kehoach_args("sync", "--data", str(self.other)), self.base, check=False)


def kill_at_random(args: list[str], cwd: Path, delay: float) -> tuple[bool, float]:
    """Run args in a new process group, SIGKILL the group after `delay`; (killed, seconds it ran)."""
    start = time.monotonic()
    child = subprocess.Popen(args, cwd=cwd, env=ENV, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL,
                             start_new_session=True)
    try:
        child.wait(timeout=delay)
        return False, time.monotonic() - start
    except subprocess.TimeoutExpired:
        os.killpg(child.pid, signal.SIGKILL)
        child.wait()
        return True, time.monotonic() - start


def changed_tasks(root: Path, commit: str) -> set[str]:
    """Tasks whose record differs between a commit and its parent, in every status file it touches."""
    from kehoach.store.status_files import parse_status_text

    names = git(root, "diff-tree", "--no-commit-id", "--name-only", "-r", "-z", f"{commit}^", commit).split("\0")
    tasks: set[str] = set()
    for name in filter(None, names):
        if "/status/" not in name:
            continue
        sides = []
        for rev in (f"{commit}^", commit):
            shown = run(["git", "show", f"{rev}:{name}"], root, check=False)
            records = parse_status_text(shown.stdout, name)[0] if shown.returncode == 0 else []
            sides.append({r.key: r.without_source() for r in records})
        before, after = sides
        tasks |= {key[0] for key in set(before) | set(after) if before.get(key) != after.get(key)}
    return tasks


def in_process(args: list[str]) -> tuple[int, str]:
    """A kehoach command run in this process, as a fresh one would run it; (exit code, its output)."""
    import io
    from contextlib import redirect_stderr, redirect_stdout

    from kehoach.cli import console
    from kehoach.cli.app import main as kehoach_main
    from kehoach.git import run as gitio

    console.out.cache_clear()
    console.err.cache_clear()
    gitio.work_tree_root.cache_clear()
    gitio.git_dirs.cache_clear()
    out = io.StringIO()
    with redirect_stdout(out), redirect_stderr(out):
        code = kehoach_main(args)
    return code, out.getvalue()


def audit(world: World, since: str) -> list[str]:
    """Every check of one iteration; returns what failed."""
    root = world.main
    failures = []
    code, said = in_process(["validate", "--data", str(root)])
    if code != 0:
        failures.append(f"validate {code}: {said[-300:]}")
    fsck = run(["git", "fsck", "--no-dangling", "--no-progress"], root, check=False)
    if fsck.returncode != 0 or fsck.stdout.strip():
        failures.append(f"fsck: {fsck.stdout[-300:]}{fsck.stderr[-300:]}")
    status = git(root, "status", "--porcelain", "--untracked-files=all")
    if status:
        failures.append(f"git status not clean: {status[:300]!r}")
    for commit in git(root, "rev-list", "--no-merges", f"{since}..HEAD").split():
        body = git(root, "log", "-1", "--format=%B", commit)
        named = {line.split(":", 1)[1].strip() for line in body.splitlines() if line.startswith("Kehoach-Task:")}
        extra = changed_tasks(root, commit) - named
        if extra:
            failures.append(f"commit {commit[:7]} changes tasks {sorted(extra)} it does not name")
    return failures


def calibrate(world: World) -> dict[str, float]:
    """Each command's own duration, unkilled: the kills are spread over that span."""
    spans = {}
    for name in COMMANDS:
        start = time.monotonic()
        run(world.command(name), world.main, check=False)
        spans[name] = time.monotonic() - start
    return spans


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--iterations", type=int, default=40)
    parser.add_argument("--seed", type=int, default=1)
    parser.add_argument("--keep", help="folder to build the trackers in (kept afterwards)")
    options = parser.parse_args(argv)
    os.environ.clear()
    os.environ.update(ENV)
    chance = random.Random(options.seed)
    base = Path(options.keep) if options.keep else Path(tempfile.mkdtemp(prefix="kehoach-kill-"))
    base.mkdir(parents=True, exist_ok=True)
    started = time.monotonic()
    world = World(base)
    spans = calibrate(world)
    runs: Counter[str] = Counter()
    kills: Counter[str] = Counter()
    recovered: Counter[str] = Counter()
    failures: list[str] = []
    for iteration in range(options.iterations):
        name = chance.choice(COMMANDS)
        since = git(world.main, "rev-parse", "HEAD").strip()
        args = world.command(name)
        span = spans[name]
        delay = chance.uniform(0, span * 1.2) if chance.random() < 0.5 else chance.uniform(0.6 * span, span)
        killed, _ = kill_at_random(args, world.main, delay)
        runs[name] += 1
        kills[name] += killed
        journal_left = (world.main / JOURNAL).exists()
        code, said = in_process(world.command("record")[3:])
        if code != 0:
            failures.append(f"#{iteration} after {name}: the next record failed ({code}): {said.strip()[-300:]}")
        elif journal_left:
            recovered[name] += 1
        failures += [f"#{iteration} after {name}: {f}" for f in audit(world, since)]
        if failures and len(failures) > 20:
            break
    elapsed = time.monotonic() - started
    print(f"kill loop: {sum(runs.values())} iterations, seed {options.seed}, {elapsed:.0f} s, in {base}")
    for name in COMMANDS:
        print(f"  {name:7} runs {runs[name]:4}  killed {kills[name]:4}  finished first {runs[name] - kills[name]:4}"
              f"  recovered from the journal {recovered[name]:4}   (own duration {spans[name]:.2f} s)")
    print(f"  failures: {len(failures)}")
    for failure in failures:
        print(f"    {failure}")
    if not options.keep and not failures:
        shutil.rmtree(base, ignore_errors=True)
    return 1 if failures else 0


if __name__ == "__main__":
    sys.exit(main())
