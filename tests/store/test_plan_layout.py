"""Where each plan of a tracker keeps its records and caches, and which names a plan file may have."""

from __future__ import annotations

from pathlib import Path

import pytest

from kehoach.store.layout import (
    PLAN_NAME,
    plan_file_of_status,
    plan_files,
    plan_name_of,
    status_cache_dir,
    status_dir,
    status_path,
)
from kehoach.store.tracker import plan_name_problems

DATA = Path("/bo-theo-doi/data")


def test_the_plan_of_plan_yaml_keeps_the_old_layout_and_a_named_plan_its_own_folder():
    assert status_dir(DATA) == DATA / "status"
    assert status_dir(DATA, "thpl-2026") == DATA / "status" / "thpl-2026"
    assert status_path(status_dir(DATA), "so-tu-phap", 2026) == DATA / "status/2026/so-tu-phap.yaml"
    assert status_path(status_dir(DATA, "b"), "so-tu-phap", 2026) == DATA / "status/b/2026/so-tu-phap.yaml"
    assert status_cache_dir(status_dir(DATA)) == DATA / ".kehoach-cache"
    assert status_cache_dir(status_dir(DATA, "b")) == DATA / ".kehoach-cache/plans/b"


@pytest.mark.parametrize(("status_file", "plan_file"), [
    ("status/2026/so-tu-phap.yaml", "plan.yaml"),
    ("status/thpl-2026/2026/so-tu-phap.yaml", "plans/thpl-2026.yaml"),
])
def test_a_status_file_names_its_plan(status_file: str, plan_file: str):
    found = plan_file_of_status(DATA / status_file)
    assert found == DATA / plan_file
    assert plan_name_of(found) == (None if plan_file == "plan.yaml" else "thpl-2026")


@pytest.mark.parametrize(("name", "fit"), [("thpl-2026", True), ("a", True), ("2026", False), ("status", False),
                                           ("Ke-hoach", False), ("kế-hoạch", False), ("-a", False),
                                           ("statuses", True)])
def test_plan_names(name: str, fit: bool):
    assert (PLAN_NAME.match(name) is not None) == fit


def test_plan_files_lists_plan_yaml_first_then_plans_by_name(tmp_path: Path):
    (tmp_path / "plans").mkdir()
    for name in ("b.yaml", "a.yaml", ".an.yaml", "ghi-chu.txt"):
        (tmp_path / "plans" / name).write_text("", encoding="utf-8")
    assert plan_files(tmp_path) == [tmp_path / "plans/a.yaml", tmp_path / "plans/b.yaml"]
    (tmp_path / "plan.yaml").write_text("", encoding="utf-8")
    assert plan_files(tmp_path)[0] == tmp_path / "plan.yaml"


def test_names_and_ids_are_unique_and_fit_for_a_folder():
    problems = plan_name_problems([("data/plan.yaml", None, "ct13"), ("data/plans/ct13.yaml", "ct13", "khac"),
                                   ("data/plans/x.yaml", "x", "khac"), ("data/plans/status.yaml", "status", "s")])
    assert [(p.path, p.message.split(";")[0].split(" không")[0]) for p in problems] == [
        ("data/plans/ct13.yaml", "tên hoặc mã kế hoạch «ct13» trùng với kế hoạch trong data/plan.yaml"),
        ("data/plans/x.yaml", "tên hoặc mã kế hoạch «khac» trùng với kế hoạch trong data/plans/ct13.yaml"),
        ("data/plans/status.yaml", "tên tệp kế hoạch «status»"),
    ]
