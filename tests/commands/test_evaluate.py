"""Counting the plans of one tracker: git's index asked once for all of them, each plan answered with the
ids of its own files, exactly as asking git plan by plan."""

from __future__ import annotations

import datetime as dt
from pathlib import Path

from kehoach.commands.evaluate import index_once_a_tracker, tally, tally_one
from kehoach.commands.many_trackers import open_trackers
from kehoach.domain.slots import Scope
from kehoach.git.fingerprint import index_content_ids
from support.cli import rec
from support.plans import add_plan

AS_OF = dt.date(2026, 12, 20)


def _two_plans_with_records(tracker: Path) -> list[Path]:
    add_plan(tracker)
    add_plan(tracker, "pho-bien-2026", "pbgd-2026", "30/KH-UBND")
    for plan in ("ct13-thanh-hoa", "thi-hanh-phap-luat", "pho-bien-2026"):
        rec(tracker, "1", "so-tu-phap", "-s", "hoan-thanh", "--done-on", "2026-03-02", "--as-of", "2026-03-03",
            "--plan", plan)
        rec(tracker, "2", "so-noi-vu", "-s", "dang-thuc-hien", "--as-of", "2026-03-03", "--plan", plan)
    status = tracker / "data" / "status"
    return [status, status / "thi-hanh-phap-luat", status / "pho-bien-2026"]


def test_one_question_to_git_answers_every_plan_as_asking_plan_by_plan(tracker: Path):
    folders = _two_plans_with_records(tracker)
    # A file written since git saw it is vouched for by neither way: it is read and hashed.
    edited = folders[1] / "2026" / "so-noi-vu.yaml"
    edited.write_text(edited.read_text(encoding="utf-8") + "\n", encoding="utf-8")
    once = index_once_a_tracker()
    for folder in folders:
        alone = index_content_ids(folder)
        assert alone is not None and once(folder) == alone
    assert "2026/so-noi-vu.yaml" in once(folders[2])
    assert "2026/so-noi-vu.yaml" not in once(folders[1])
    assert sorted(once(folders[2])) == ["2026/so-noi-vu.yaml", "2026/so-tu-phap.yaml"]


def test_outside_git_nothing_is_vouched_for(plain_tracker: Path):
    assert index_once_a_tracker()(plain_tracker / "data" / "status") is None


def test_counting_every_plan_at_once_gives_each_plans_own_counts(tracker: Path):
    _two_plans_with_records(tracker)
    trackers = open_trackers([str(tracker / "data")])
    counted = tally(trackers, lambda d: Scope(last=AS_OF), AS_OF)
    alone = [tally_one(t.tracker, Scope(last=AS_OF), AS_OF) for t in trackers]
    assert counted.counts == {c: sum(a.counts[c] for a in alone) for c in counted.counts}
    assert sorted((i.source, i.slot.task.id, i.slot.unit.id, i.slot.period.name) for i in counted.open) == sorted(
        (t.source, i.slot.task.id, i.slot.unit.id, i.slot.period.name) for t, a in zip(trackers, alone, strict=True)
        for i in a.open)
    assert {i.source for i in counted.open} == {"ct13-thanh-hoa", "thi-hanh-phap-luat", "pho-bien-2026"}
