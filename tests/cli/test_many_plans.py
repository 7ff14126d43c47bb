"""Several plans in one tracker: data/plan.yaml beside data/plans/NAME.yaml, or data/plans/ alone.
Each plan keeps its records in its own status folder; reading commands cover every plan, writing
commands work on the one --plan names."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from support.cli import run_cli
from support.files import file_snapshot
from support.git import git
from support.plans import add_plan, plans_only

LEGACY_FILE = Path("data/status/2026/so-tu-phap.yaml")
SECOND_FILE = Path("data/status/thi-hanh-phap-luat/2026/so-tu-phap.yaml")


@pytest.fixture
def two_plans(tracker: Path) -> Path:
    """The shipped plan (data/plan.yaml, id ct13-thanh-hoa) and data/plans/thi-hanh-phap-luat.yaml
    (id thpl-2026, 24/KH-UBND, its first three tasks)."""
    add_plan(tracker)
    return tracker


def cli(root: Path, *args: str):
    return run_cli(*args, "--data", str(root))


def record_both(root: Path) -> None:
    for plan in ("ct13-thanh-hoa", "thi-hanh-phap-luat"):
        done = cli(root, "record", "1", "so-tu-phap", "-s", "hoan-thanh", "--done-on", "2026-03-02",
                   "--as-of", "2026-03-03", "--plan", plan)
        assert done.exit_code == 0, done.stderr


def test_a_writing_command_asks_for_a_plan_with_a_command_that_runs(two_plans: Path):
    before = file_snapshot(two_plans)
    args = ("record", "1", "so-tu-phap", "-s", "hoan-thanh", "--done-on", "2026-03-02", "--as-of", "2026-03-03",
            "--data", str(two_plans))
    asked = run_cli(*args)
    assert asked.exit_code == 2
    lines = asked.stderr.splitlines()
    assert lines[0] == "Lỗi: bộ theo dõi có 2 kế hoạch; hãy chọn một bằng --plan TÊN. Các kế hoạch:"
    assert lines[1].startswith("  ct13-thanh-hoa: Kế hoạch của Chủ tịch UBND tỉnh Thanh Hóa về triển khai")
    assert lines[2] == ("  thi-hanh-phap-luat: Kế hoạch số 24/KH-UBND ngày 15/12/2025 của Chủ tịch UBND tỉnh "
                        "Thanh Hóa về theo dõi thi hành pháp luật năm 2026")
    example = lines[3].removeprefix("Ví dụ: kehoach ").split()
    assert example == [*args[:-1], str(two_plans), "--plan", "ct13-thanh-hoa"]
    assert file_snapshot(two_plans) == before
    assert run_cli(*example).exit_code == 0  # the example runs as printed


@pytest.mark.parametrize("named", ["thi-hanh-phap-luat", "thpl-2026", "24/KH-UBND", "24/kh-ubnd",
                                   "thi hanh phap luat", "thi hành pháp luật"])
def test_a_plan_is_named_by_file_id_number_or_title_words(two_plans: Path, named: str):
    done = cli(two_plans, "record", "2", "so-tu-phap", "-s", "dang-thuc-hien", "--as-of", "2026-03-03",
               "--plan", named)
    assert done.exit_code == 0, done.stderr
    assert git(two_plans, "show", "--name-only", "--format=", "HEAD").split() == [SECOND_FILE.as_posix()]


def test_a_mistyped_plan_gets_a_suggestion(two_plans: Path):
    wrong = cli(two_plans, "record", "2", "so-tu-phap", "-s", "dang-thuc-hien", "--plan", "thi-hanh-phap-luatt")
    assert wrong.exit_code == 2
    assert wrong.stderr == ("Lỗi: không có kế hoạch «thi-hanh-phap-luatt». Có phải: thi-hanh-phap-luat? Các kế "
                            "hoạch của bộ theo dõi: ct13-thanh-hoa, thi-hanh-phap-luat (xem bằng: kehoach plan "
                            "list)\n")


def test_a_record_for_one_plan_never_touches_a_file_of_the_other(two_plans: Path):
    record_both(two_plans)
    first = (two_plans / LEGACY_FILE).read_bytes()
    before = file_snapshot(two_plans)
    done = cli(two_plans, "record", "2", "so-tu-phap", "-s", "dang-thuc-hien", "--as-of", "2026-03-04",
               "--plan", "thi-hanh-phap-luat")
    assert done.exit_code == 0, done.stderr
    assert git(two_plans, "show", "--stat", "--format=", "HEAD").splitlines()[0].split("|")[0].strip() == \
        SECOND_FILE.as_posix()
    after = file_snapshot(two_plans)
    changed = {path for path in set(before) | set(after) if before.get(path) != after.get(path)}
    assert {Path(p).as_posix() for p in changed if ".kehoach-cache" not in str(p)} == {SECOND_FILE.as_posix()}
    assert (two_plans / LEGACY_FILE).read_bytes() == first


def test_check_and_status_cover_every_plan_with_the_plan_in_each_row(two_plans: Path):
    record_both(two_plans)
    status = cli(two_plans, "status", "--unit", "so-tu-phap", "--task", "1", "--as-of", "2026-03-05",
                 "--format", "json")
    assert status.exit_code == 0, status.stderr
    rows = json.loads(status.stdout)
    assert [(r["source"], r["task"], r["status"]) for r in rows] == [
        ("ct13-thanh-hoa", "1", "hoan-thanh"), ("thi-hanh-phap-luat", "1", "hoan-thanh")]
    one = cli(two_plans, "status", "--unit", "so-tu-phap", "--task", "1", "--as-of", "2026-03-05", "--format",
              "json", "--plan", "24/KH-UBND")
    assert [(r.get("source"), r["task"]) for r in json.loads(one.stdout)] == [(None, "1")]
    late = json.loads(cli(two_plans, "check", "--unit", "so-tu-phap", "--as-of", "2027-01-20", "--format",
                          "json").stdout)
    assert {(r["source"], r["task"]) for r in late if r["source"] == "thi-hanh-phap-luat"} == {
        ("thi-hanh-phap-luat", "2"), ("thi-hanh-phap-luat", "3")}
    assert len({r["task"] for r in late if r["source"] == "ct13-thanh-hoa"}) > 3
    table = cli(two_plans, "check", "--unit", "so-tu-phap", "--as-of", "2027-01-20", "--format", "plain")
    assert table.exit_code == 1
    lines = table.stdout.splitlines()
    start = lines.index(f"Quá hạn: {len(late)} lượt báo cáo của 1 đơn vị")  # one unit, though late in two plans
    header, _rule, *rows = table.stdout[table.stdout.index(lines[start + 2]):].split("\n\n")[0].splitlines()
    assert header.split()[:2] == ["Kế", "hoạch"]
    assert {row.split()[0] for row in rows} == {"ct13-thanh-hoa", "thi-hanh-phap-luat"}


def test_the_old_one_plan_tracker_is_unchanged(tracker: Path):
    """No plans/: plan.yaml is the plan, no --plan needed, no source column, records in status/YEAR/."""
    done = cli(tracker, "record", "1", "so-tu-phap", "-s", "hoan-thanh", "--done-on", "2026-03-02",
               "--as-of", "2026-03-03")
    assert done.exit_code == 0, done.stderr
    assert (tracker / LEGACY_FILE).is_file()
    rows = json.loads(cli(tracker, "status", "--unit", "so-tu-phap", "--task", "1", "--as-of", "2026-03-05",
                          "--format", "json").stdout)
    assert "source" not in rows[0]


def test_a_tracker_of_plans_only(tracker: Path, monkeypatch: pytest.MonkeyPatch):
    plans_only(tracker)
    add_plan(tracker, name="thi-hanh-phap-luat", commit=False)
    git(tracker, "add", "data")
    git(tracker, "commit", "-q", "-m", "hai kế hoạch")
    monkeypatch.chdir(tracker)  # found from the current folder: no data/plan.yaml to find
    done = run_cli("record", "1", "so-tu-phap", "-s", "hoan-thanh", "--done-on", "2026-03-02", "--as-of",
                   "2026-03-03", "--plan", "chi-thi-13")
    assert done.exit_code == 0, done.stderr
    assert (tracker / "data/status/chi-thi-13/2026/so-tu-phap.yaml").is_file()
    assert not (tracker / "data/status/2026").exists()
    valid = run_cli("validate")
    assert valid.exit_code == 0, valid.stdout + valid.stderr
