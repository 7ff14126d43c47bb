"""The test plumbing itself: the `tracker`, `recorded` and `form` fixtures, copies of templates made
once, are what `kehoach init`, the sample's records and `kehoach form` make."""

from __future__ import annotations

from pathlib import Path

from support.cli import run_cli
from support.files import file_snapshot
from support.forms import make_form
from support.git import git
from support.report_sample import record_sample
from support.trackers import copy_tracker


def test_the_copied_tracker_is_what_init_makes(tmp_path: Path, tracker: Path, tracker_template: Path) -> None:
    fresh = tmp_path / "moi"
    assert run_cli("init", str(fresh)).exit_code == 0
    assert file_snapshot(tracker) == file_snapshot(fresh)
    for args in (("ls-files", "--stage"), ("log", "--format=%an <%ae>|%cn <%ce>|%s|%T"), ("status", "--porcelain"),
                 ("config", "--local", "--list"), ("rev-parse", "--abbrev-ref", "HEAD")):
        assert git(tracker, *args) == git(fresh, *args), args
    assert git(tracker, "rev-list", "--count", "HEAD") == "1\n"
    assert str(tracker_template.parent) not in (tracker / ".git" / "config").read_text(encoding="utf-8")


def test_the_recorded_copy_is_what_record_sample_makes(tmp_path: Path, recorded: Path,
                                                       tracker_template: Path) -> None:
    fresh = record_sample(copy_tracker(tracker_template, tmp_path / "moi"))
    assert file_snapshot(recorded) == file_snapshot(fresh)
    for args in (("ls-files", "--stage"), ("log", "--format=%an <%ae>|%s|%T"), ("status", "--porcelain")):
        assert git(recorded, *args) == git(fresh, *args), args


def test_the_form_copy_is_what_make_form_makes(tmp_path: Path, tracker: Path, form: Path,
                                              tracker_template: Path) -> None:
    fresh = copy_tracker(tracker_template, tmp_path / "moi")
    made = make_form(fresh)
    assert made.resolve() == (fresh / form.relative_to(tracker)).resolve()
    assert file_snapshot(fresh) == file_snapshot(tracker)  # the same form, nothing else written
