"""The remembered git history behind `log`: the same answer as asking git afresh, after records, hand
edits, branches and merges; extended with only the new commits when history moved forward in a line."""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest

from conftest import git, rec, run_cli, write
from kehoach import gitio, logcache

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


@pytest.mark.parametrize("query", [(), ("--unit", "so-tu-phap"), ("--task", "17")])
def test_cached_log_equals_fresh_log_through_lines_branches_and_merges(tracker: Path, query: tuple[str, ...],
                                                                        monkeypatch: pytest.MonkeyPatch) -> None:
    calls: list[list[str]] = []
    real_git = gitio.git

    def counting_git(args: list[str], *rest, **kwargs):  # type: ignore[no-untyped-def]
        calls.append(args)
        return real_git(args, *rest, **kwargs)

    monkeypatch.setattr(gitio, "git", counting_git)
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
