"""The test plumbing itself: the `tracker` fixture, a copy of one template, is what `kehoach init` makes."""

from __future__ import annotations

from pathlib import Path

from support.cli import run_cli
from support.files import file_snapshot
from support.git import git


def test_the_copied_tracker_is_what_init_makes(tmp_path: Path, tracker: Path, tracker_template: Path) -> None:
    fresh = tmp_path / "moi"
    assert run_cli("init", str(fresh)).exit_code == 0
    assert file_snapshot(tracker) == file_snapshot(fresh)
    for args in (("ls-files", "--stage"), ("log", "--format=%an <%ae>|%cn <%ce>|%s|%T"), ("status", "--porcelain"),
                 ("config", "--local", "--list"), ("rev-parse", "--abbrev-ref", "HEAD")):
        assert git(tracker, *args) == git(fresh, *args), args
    assert git(tracker, "rev-list", "--count", "HEAD") == "1\n"
    assert str(tracker_template.parent) not in (tracker / ".git" / "config").read_text(encoding="utf-8")
