"""The remembered git history behind `log`: the same answer as asking git afresh, after records, hand
edits, branches and merges; extended with only the new commits when history moved forward in a line."""

from __future__ import annotations

import json
import shutil
import subprocess
from pathlib import Path

import pytest

from kehoach.git import history_cache as logcache
from kehoach.git import run as gitio
from kehoach.store.files import derived_bytes, derived_payload
from support.cli import rec, run_cli
from support.files import write
from support.git import git

STP_FILE = "data/status/2026/so-tu-phap.yaml"


def log_both_ways(root: Path, *args: str) -> str:
    """`log` with whatever the cache holds, then with no cache: they must agree; returns the output."""
    cached = run_cli("log", "--data", str(root), "-f", "json", *args)
    shutil.rmtree(root / "data" / ".kehoach-cache", ignore_errors=True)
    fresh = run_cli("log", "--data", str(root), "-f", "json", *args)
    assert (cached.exit_code, cached.stdout) == (fresh.exit_code, fresh.stdout)
    # Fill the cache again for the next step, which then starts from it.
    run_cli("log", "--data", str(root), "-f", "json", *args)
    return cached.stdout


@pytest.fixture
def git_calls(monkeypatch: pytest.MonkeyPatch) -> list[list[str]]:
    """The arguments of every git command kehoach runs in this process, in order."""
    calls: list[list[str]] = []
    real_git = gitio.git

    def counting_git(args: list[str], *rest, **kwargs):  # type: ignore[no-untyped-def]
        calls.append(args)
        return real_git(args, *rest, **kwargs)

    monkeypatch.setattr(gitio, "git", counting_git)
    return calls


@pytest.mark.parametrize("query", [(), ("--unit", "so-tu-phap"), ("--task", "17")])
def test_cached_log_equals_fresh_log_through_lines_branches_and_merges(tracker: Path, query: tuple[str, ...],
                                                                        git_calls: list[list[str]]) -> None:
    calls = git_calls
    rec(tracker, "17", "STP", "-s", "dang-thuc-hien", "-p", "2026-H1", "--as-of", "2026-05-01")
    log_both_ways(tracker, *query)
    main_branch = git(tracker, "branch", "--show-current").strip()
    git(tracker, "checkout", "-qb", "nhanh")
    rec(tracker, "9", "SNV", "-s", "dang-thuc-hien", "-p", "2026-H1", "--as-of", "2026-05-02")
    git(tracker, "checkout", "-q", main_branch)
    rec(tracker, "9", "STP", "-s", "dang-thuc-hien", "-p", "2026-H1", "--as-of", "2026-05-03")
    git(tracker, "merge", "-q", "--no-ff", "-m", "Gộp nhánh", "nhanh")
    log_both_ways(tracker, *query)
    # A line of commits on top of a history with a merge: only the new commits are asked for.
    for day in ("2026-05-04", "2026-05-05"):
        rec(tracker, "17", "STP", "-s", "chua-thuc-hien" if day.endswith("4") else "dang-thuc-hien", "-p",
            "2026-H1", "--as-of", day)
    path = tracker / STP_FILE
    path.write_text(path.read_text(encoding="utf-8").replace("dang-thuc-hien", "chua-thuc-hien", 1),
                    encoding="utf-8")
    git(tracker, "commit", "-qam", "sửa tay")
    calls.clear()
    out = log_both_ways(tracker, *query)
    walks = [c for c in calls if c[0] == "log" and "--raw" in c]
    assert [[a for a in c if ".." in a] for c in walks][:2] == [[walks[0][-3]], []], walks  # extended, then afresh
    if not query:
        assert '"subject": "sửa tay"' in out
    # History rewritten (a reset): asked afresh, still the same answer as without cache.
    git(tracker, "reset", "-q", "--hard", "HEAD~2")
    log_both_ways(tracker, *query)


def test_damaged_cache_files_are_ignored(tracker: Path) -> None:
    rec(tracker, "17", "STP", "-s", "dang-thuc-hien", "-p", "2026-H1", "--as-of", "2026-05-01")
    fresh = run_cli("log", "--data", str(tracker), "-f", "json")
    folder = tracker / "data" / ".kehoach-cache"
    shards = list((folder / logcache.HISTORY_DIR).iterdir())
    assert shards and (folder / logcache.LOG_FILE).is_file()
    for path in [folder / logcache.LOG_FILE, *shards]:
        path.write_bytes(b"\x00hong\xff" * 30)
    again = run_cli("log", "--data", str(tracker), "-f", "json")
    assert (again.exit_code, again.stdout) == (fresh.exit_code, fresh.stdout)


def test_odd_file_names_get_a_safe_shard_name(tracker: Path) -> None:
    write(tracker / "data" / "status" / "2026" / "Tên lạ ../x.yaml", "records: []\n")
    shard = logcache._shard_path(tracker / "data", "Tên lạ ../x.yaml")
    assert shard.parent == tracker / "data" / ".kehoach-cache" / logcache.HISTORY_DIR
    assert "/" not in shard.name and ".." not in shard.stem


def conflicting_merge(tracker: Path, day: str, theirs: str, ours: str) -> None:
    """Task 17 of STP recorded differently on a branch and on the main line, merged, the conflict
    settled by keeping the branch's value: a merge that `log` shows as a resolution."""
    main_branch = git(tracker, "branch", "--show-current").strip()
    git(tracker, "checkout", "-qb", f"nhanh-{day}")
    rec(tracker, "17", "STP", "-s", theirs, "-p", "2026-H1", "--as-of", day, "-e", f"Nhánh {day}")
    git(tracker, "checkout", "-q", main_branch)
    rec(tracker, "17", "STP", "-s", ours, "-p", "2026-H1", "--as-of", day, "-e", f"Chính {day}")
    stopped = subprocess.run(["git", "merge", "-q", "--no-ff", "-m", f"Gộp {day}", f"nhanh-{day}"], cwd=tracker,
                             capture_output=True, text=True)
    assert stopped.returncode == 1 and "<<<<<<<" in (tracker / STP_FILE).read_text(encoding="utf-8")
    git(tracker, "checkout", "--theirs", "--", STP_FILE)
    git(tracker, "add", STP_FILE)
    git(tracker, "commit", "-q", "--no-edit")


def test_merges_are_asked_of_git_once(tracker: Path, git_calls: list[list[str]]) -> None:
    asked = git_calls
    rec(tracker, "17", "STP", "-s", "chua-thuc-hien", "-p", "2026-H1", "--as-of", "2026-05-01")
    conflicting_merge(tracker, "2026-05-02", "dang-thuc-hien", "chua-thuc-hien")

    def resolutions() -> list[tuple[str, str, str]]:
        asked.clear()
        out = json.loads(log_both_ways(tracker, "--unit", "so-tu-phap"))
        return [(c["old_status"], c["new_status"], c["evidence"]) for c in out if c["source"] == "giai-quyet-xung-dot"]

    def merge_bases() -> int:
        return sum(1 for args in asked if args[0] == "merge-base" and "--is-ancestor" not in args)

    assert resolutions() == [("chua-thuc-hien", "dang-thuc-hien", "Nhánh 2026-05-02")]
    # log_both_ways runs log three times: cached (filled by nothing yet), fresh, filling again.
    assert merge_bases() == 2
    asked.clear()
    cached = run_cli("log", "--data", str(tracker), "-f", "json", "--unit", "so-tu-phap")
    assert merge_bases() == 0 and cached.exit_code == 0
    # A second merge: only it is asked about, and both resolutions are shown, newest first.
    conflicting_merge(tracker, "2026-05-03", "chua-thuc-hien", "dang-thuc-hien")
    asked.clear()
    again = run_cli("log", "--data", str(tracker), "-f", "json", "--unit", "so-tu-phap")
    assert merge_bases() == 1
    shown = [(c["new_status"], c["evidence"]) for c in json.loads(again.stdout) if c["source"] == "giai-quyet-xung-dot"]
    assert shown == [("chua-thuc-hien", "Nhánh 2026-05-03"), ("dang-thuc-hien", "Nhánh 2026-05-02")]
    assert json.loads(log_both_ways(tracker, "--unit", "so-tu-phap")) == json.loads(again.stdout)


def test_damaged_merge_cache_is_ignored(tracker: Path) -> None:
    rec(tracker, "17", "STP", "-s", "chua-thuc-hien", "-p", "2026-H1", "--as-of", "2026-05-01")
    conflicting_merge(tracker, "2026-05-02", "dang-thuc-hien", "chua-thuc-hien")
    fresh = run_cli("log", "--data", str(tracker), "-f", "json")
    path = tracker / "data" / ".kehoach-cache" / logcache.MERGES_FILE
    assert path.is_file()

    merge = git(tracker, "rev-parse", "HEAD").strip()
    (query, known), = derived_payload(path)[1].items()
    assert list(known) == [merge]
    for junk in (b"\x00hong\xff" * 30, derived_bytes((logcache.FORMAT, {"x": 1})),
                 derived_bytes((logcache.FORMAT, {query: {merge: 7}})),
                 derived_bytes((logcache.FORMAT, {query: {merge: ("x", (1,))}})),
                 derived_bytes((logcache.FORMAT, {query: {merge: ("x", "data/status/2026/so-tu-phap.yaml")}}))):
        path.write_bytes(junk)
        again = run_cli("log", "--data", str(tracker), "-f", "json")
        assert (again.exit_code, again.stdout) == (fresh.exit_code, fresh.stdout)
