"""The status-file merge driver, alone and as git runs it in a real repository."""

from __future__ import annotations

import datetime as dt
import json
import shutil
import unicodedata
from collections.abc import Callable
from pathlib import Path
from typing import Any

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from kehoach.domain.merge import Key
from kehoach.domain.model import Record, Status
from kehoach.domain.rules import record_order
from kehoach.git.merge_driver import merge_texts, task_order
from kehoach.store.status_files import parse_status_text, render_status_file
from kehoach.store.tracker import open_tracker
from support.cli import run_cli
from support.files import write
from support.git import git
from support.paths import SHIPPED_DATA

ORDER = task_order(None)
STP = "data/status/2026/so-tu-phap.yaml"


def rec(task: str, status: Status = Status.DANG_THUC_HIEN, evidence: str | None = None, by: str = "An",
        done_on: dt.date | None = None, period: str = "2026") -> Record:
    return Record(task, "so-tu-phap", period, status, done_on, evidence, None, dt.date(2026, 7, 1), by)


def text(*records: Record) -> str:
    return render_status_file(list(records), ORDER)


def test_different_records_merge_into_the_canonical_file() -> None:
    base = text(rec("1"))
    ours = text(rec("1"), rec("2", by="An"))
    done = rec("1", Status.HOAN_THANH, "BC 5", by="Bình", done_on=dt.date(2026, 6, 1))
    theirs = text(done, rec("3", by="Bình"))
    result = merge_texts(base, ours, theirs, STP, ORDER)
    assert result.clean
    assert result.text == text(done, rec("2", by="An"), rec("3", by="Bình"))


def test_deleted_on_one_side_and_unchanged_on_the_other_is_deleted() -> None:
    base, ours, theirs = text(rec("1"), rec("2")), text(rec("2")), text(rec("1"), rec("2"), rec("3"))
    result = merge_texts(base, ours, theirs, STP, ORDER)
    assert result.clean
    assert result.text == text(rec("2"), rec("3"))


def test_same_change_on_both_sides_is_no_conflict() -> None:
    same = text(rec("1", evidence="BC 1"))
    assert merge_texts(text(), same, same, STP, ORDER).text == same
    # Same report by two clerks: the earlier recording is kept, whichever side merges.
    early = Record("1", "so-tu-phap", "2026", Status.DANG_THUC_HIEN, None, "BC 1", None, dt.date(2026, 6, 1),
                   "Bình")
    one = merge_texts("", text(rec("1", evidence="BC 1")), text(early), STP, ORDER)
    other = merge_texts("", text(early), text(rec("1", evidence="BC 1")), STP, ORDER)
    assert one.clean and one.text == other.text == text(early)


def test_true_conflict_keeps_both_values_between_markers() -> None:
    base = text(rec("1"), rec("2"))
    ours = text(rec("1", evidence="BC 7/BC-STP", by="An"), rec("2"))
    theirs = text(rec("1", Status.HOAN_THANH, "BC 9/BC-STP", by="Bình", done_on=dt.date(2026, 6, 30)),
                  rec("2"))
    result = merge_texts(base, ours, theirs, STP, ORDER)
    assert not result.clean
    assert result.text == (
        "records:\n"
        "<<<<<<< bản ở máy này\n"
        "- evidence: BC 7/BC-STP\n  period: '2026'\n  recorded_by: An\n  recorded_on: 2026-07-01\n"
        "  status: dang-thuc-hien\n  task: '1'\n  unit: so-tu-phap\n"
        "=======\n"
        "- done_on: 2026-06-30\n  evidence: BC 9/BC-STP\n  period: '2026'\n  recorded_by: Bình\n"
        "  recorded_on: 2026-07-01\n  status: hoan-thanh\n  task: '1'\n  unit: so-tu-phap\n"
        ">>>>>>> bản được gộp vào\n"
        "- period: '2026'\n  recorded_by: An\n  recorded_on: 2026-07-01\n  status: dang-thuc-hien\n"
        "  task: '2'\n  unit: so-tu-phap\n")
    assert [c.key for c in result.conflicts] == [("1", "so-tu-phap", "2026")]
    message = result.conflicts[0].message(STP)
    assert message == (
        f"Xung đột ở {STP}: nhiệm vụ 1, đơn vị so-tu-phap, kỳ 2026 bị sửa khác nhau ở hai nơi.\n"
        "  - bản ở máy này: trạng thái «Đang thực hiện»; căn cứ: BC 7/BC-STP; "
        "người ghi nhận: An ngày 01/07/2026\n"
        "  - bản được gộp vào: trạng thái «Hoàn thành»; ngày hoàn thành 30/06/2026; căn cứ: BC 9/BC-STP; "
        "người ghi nhận: Bình ngày 01/07/2026")


def test_changed_on_one_side_deleted_on_the_other_is_a_conflict() -> None:
    result = merge_texts(text(rec("1")), text(), text(rec("1", evidence="BC 2")), STP, ORDER)
    assert [(c.ours, c.theirs) for c in result.conflicts] == [(None, rec("1", evidence="BC 2"))]
    assert "bản ở máy này: (đã xóa bản ghi)" in result.conflicts[0].message(STP)
    assert "- evidence: BC 2" in result.text


def test_unreadable_version_falls_back_to_a_textual_conflict() -> None:
    broken = "records:\n- task: [\n"
    result = merge_texts(text(rec("1")), broken, text(rec("1"), rec("2")), STP, ORDER)
    assert not result.clean and not result.conflicts
    assert result.unreadable and "(bản ở máy này)" in result.unreadable[0]
    assert "<<<<<<< bản ở máy này" in result.text and "- task: [" in result.text


def test_plan_order_is_the_order_record_writes(tracker: Path) -> None:
    order = task_order(tracker / "data")
    records = [rec("III.1", period="2026-H1"), rec("17", period="2026-H1"), rec("9", period="2026-H1"),
               rec("2")]
    assert [r.task for r in sorted(records, key=order)] == ["2", "9", "17", "III.1"]


# --- any two sides that change different records ----------------------------------------------------

Values = tuple[Status, dt.date | None, str | None, str | None, dt.date, str | None]

# Tasks in the plan's order (not the order of their ids as text) and one the plan does not know.
TASKS = ["1", "2", "9", "10", "17", "III.1", "III.4", "99"]
PERIODS = ["2026", "2026-H1", "2026-H2"]
TEXTS = st.one_of(st.sampled_from([None, "BC 5", "Báo cáo số 125/BC-STP ngày 10/6/2026", "yes", "a: b", "'x'"]),
                  st.text(st.characters(exclude_categories=["Cs", "Cc"], exclude_characters="\ufffe\uffff"),
                          min_size=1, max_size=12)
                  .map(lambda text: unicodedata.normalize("NFC", text)))
KEYS = st.tuples(st.sampled_from(TASKS), st.just("so-tu-phap"), st.sampled_from(PERIODS))


@st.composite
def record_values(draw: st.DrawFn) -> Values:
    """What a clerk records for one slot: done on a day of June (recorded in July), or not done."""
    status = draw(st.sampled_from(list(Status)))
    done_on = dt.date(2026, 6, draw(st.integers(1, 30))) if status is Status.HOAN_THANH else None
    return (status, done_on, draw(TEXTS), draw(TEXTS), dt.date(2026, 7, draw(st.integers(1, 31))),
            draw(st.sampled_from([None, "An", "Bình", "Nguyễn Văn A"])))


def as_record(key: Key, values: Values) -> Record:
    return Record(*key, *values)


@st.composite
def two_sides(draw: st.DrawFn) -> tuple[dict[Key, Values], dict[Key, Values], dict[Key, Values]]:
    """base, ours, theirs: each record of base is kept, changed or deleted by one side at most (or
    changed alike by both), and each side adds records of its own."""
    base = draw(st.dictionaries(KEYS, record_values(), max_size=10))
    ours, theirs = dict(base), dict(base)
    for key in sorted(base):
        fate = draw(st.sampled_from(["kept", "ours changes", "theirs changes", "ours deletes", "theirs deletes",
                                     "both change alike"]))
        if fate == "ours changes":
            ours[key] = draw(record_values())
        elif fate == "theirs changes":
            theirs[key] = draw(record_values())
        elif fate == "ours deletes":
            del ours[key]
        elif fate == "theirs deletes":
            del theirs[key]
        elif fate == "both change alike":
            ours[key] = theirs[key] = draw(record_values())
    added = draw(st.dictionaries(KEYS.filter(lambda key: key not in base), st.tuples(st.booleans(), record_values()),
                                 max_size=6))
    for key, (by_ours, values) in added.items():
        (ours if by_ours else theirs)[key] = values
    return base, ours, theirs


@pytest.fixture(scope="module")
def writer_order(tmp_path_factory: pytest.TempPathFactory) -> Callable[[Record], Any]:
    """The order `kehoach record` writes a status file in, from a tracker of the shipped plan."""
    data = tmp_path_factory.mktemp("ke-hoach") / "data"
    data.mkdir()
    for name in ("plan.yaml", "units.yaml"):
        shutil.copy(SHIPPED_DATA / name, data / name)
    tracker = open_tracker(data)
    return record_order(tracker.definitions.task_positions())


@settings(max_examples=60, deadline=None)
@given(versions=two_sides())
def test_changes_to_different_records_all_merge_into_the_file_record_writes(
        versions: tuple[dict[Key, Values], dict[Key, Values], dict[Key, Values]],
        writer_order: Callable[[Record], Any]) -> None:
    base, ours, theirs = versions
    order = task_order(SHIPPED_DATA)
    texts = [render_status_file([as_record(k, v) for k, v in side.items()], writer_order) for side in versions]
    result = merge_texts(*texts, STP, order)
    assert result.clean
    found = [r.without_source() for r in parse_status_text(result.text, STP)[0]]
    merged = {r.key: r for r in found}
    for side in (ours, theirs):
        for key, values in side.items():
            if base.get(key) != values:  # changed or added on this side
                assert merged[key] == as_record(key, values)
        for key in base.keys() - side.keys():  # deleted on this side
            assert key not in merged
    # Every record is the side that changed it, or base where neither did; and in the writer's order.
    wanted = {}
    for key in sorted(base.keys() | ours.keys() | theirs.keys()):
        if key not in base:
            wanted[key] = ours.get(key) or theirs[key]
        elif key in ours and key in theirs:
            wanted[key] = theirs[key] if ours[key] == base[key] else ours[key]
    assert found == sorted(found, key=writer_order)
    assert result.text == render_status_file([as_record(k, v) for k, v in wanted.items()], writer_order)
    assert merge_texts(texts[0], texts[2], texts[1], STP, order).text == result.text


# --- as git runs it -------------------------------------------------------------------------------

def _branches(tracker: Path) -> None:
    """main and 'khac' both record into the Sở Tư pháp file of 2026, starting from one record."""
    data = str(tracker)
    assert run_cli("record", "1", "STP", "-s", "dang-thuc-hien", "--period", "2026", "--as-of", "2026-07-01",
                   "--data", data).exit_code == 0
    git(tracker, "branch", "khac")
    assert run_cli("record", "2", "STP", "-s", "dang-thuc-hien", "--period", "2026", "--as-of", "2026-07-01",
                   "--data", data, "--evidence", "BC main").exit_code == 0
    git(tracker, "checkout", "--quiet", "khac")


def test_git_merges_different_records_of_one_file(tracker: Path) -> None:
    _branches(tracker)
    assert run_cli("record", "3", "STP", "-s", "dang-thuc-hien", "--period", "2026", "--as-of", "2026-07-01",
                   "--data", str(tracker)).exit_code == 0
    git(tracker, "checkout", "--quiet", "main")
    git(tracker, "merge", "--no-edit", "khac")
    status = run_cli("status", "--unit", "STP", "--period", "2026", "--as-of", "2026-07-01",
                     "--format", "json", "--data", str(tracker))
    recorded = sorted(r["task"] for r in json.loads(status.stdout) if r["recorded"])
    assert recorded == ["1", "2", "3"]
    assert run_cli("validate", "--data", str(tracker)).exit_code == 0


def test_git_stops_on_a_true_conflict_and_validate_points_at_it(tracker: Path) -> None:
    _branches(tracker)
    assert run_cli("record", "2", "STP", "-s", "dang-thuc-hien", "--period", "2026", "--as-of", "2026-07-01",
                   "--data", str(tracker), "--evidence", "BC khac").exit_code == 0
    git(tracker, "checkout", "--quiet", "main")
    import subprocess

    merge = subprocess.run(["git", "merge", "--no-edit", "khac"], cwd=tracker, capture_output=True, text=True)
    assert merge.returncode == 1
    assert "nhiệm vụ 2, đơn vị so-tu-phap, kỳ 2026 bị sửa khác nhau ở hai nơi" in merge.stdout + merge.stderr
    content = (tracker / STP).read_text(encoding="utf-8")
    assert "evidence: BC main" in content and "evidence: BC khac" in content
    result = run_cli("validate", "--data", str(tracker))
    assert result.exit_code == 1
    lines = content.splitlines()
    marker_lines = [i + 1 for i, line in enumerate(lines) if line[:7] in ("<<<<<<<", "=======", ">>>>>>>")]
    assert len(marker_lines) == 3
    for line in marker_lines:
        assert f"data/status/2026/so-tu-phap.yaml:{line}:1: còn dấu xung đột git" in result.stdout


def test_validate_finds_a_duplicate_left_by_a_careless_resolution(tracker: Path) -> None:
    """A clerk who deletes only the marker lines keeps both records: validate names the second one."""
    _branches(tracker)
    assert run_cli("record", "2", "STP", "-s", "dang-thuc-hien", "--period", "2026", "--as-of", "2026-07-01",
                   "--data", str(tracker), "--evidence", "BC khac").exit_code == 0
    git(tracker, "checkout", "--quiet", "main")
    import subprocess

    subprocess.run(["git", "merge", "--no-edit", "khac"], cwd=tracker, capture_output=True, text=True)
    path = tracker / STP
    kept = [line for line in path.read_text(encoding="utf-8").splitlines()
            if line[:7] not in ("<<<<<<<", "=======", ">>>>>>>")]
    write(path, "\n".join(kept) + "\n")
    second = [i + 1 for i, line in enumerate(kept) if line.startswith("- ")][2]
    result = run_cli("validate", "--data", str(tracker))
    assert result.exit_code == 1
    assert (f"data/status/2026/so-tu-phap.yaml:{second}:3: bản ghi trùng cho nhiệm vụ 2, đơn vị so-tu-phap, "
            "kỳ 2026 (đã có ở") in result.stdout


def test_records_pointing_nowhere_after_a_plan_change_in_git(tracker: Path) -> None:
    """A commit that removes a task still holding records is found by validate, file and line."""
    assert run_cli("record", "17", "STP", "-s", "dang-thuc-hien", "--period", "2026-H1",
                   "--as-of", "2026-07-01", "--data", str(tracker)).exit_code == 0
    plan = tracker / "data" / "plan.yaml"
    text_before = plan.read_text(encoding="utf-8")
    start = text_before.index("- id: '17'\n")
    end = text_before.index("- id: III.1\n")
    write(plan, text_before[:start] + text_before[end:])
    git(tracker, "commit", "--quiet", "-am", "Bỏ nhiệm vụ 17")
    result = run_cli("validate", "--data", str(tracker))
    assert result.exit_code == 1
    assert result.stdout == ("theo-doi/data/status/2026/so-tu-phap.yaml:2:3: nhiệm vụ '17' không có "
                             "trong kế hoạch [task]\n")


def test_cli_driver_writes_the_merge_into_ours(tmp_path: Path) -> None:
    base = write(tmp_path / "O", text(rec("1")))
    ours = write(tmp_path / "A", text(rec("1"), rec("2")))
    theirs = write(tmp_path / "B", text(rec("1"), rec("3")))
    result = run_cli("merge-driver", str(base), str(ours), str(theirs), STP)
    assert result.exit_code == 0
    assert ours.read_text(encoding="utf-8") == text(rec("1"), rec("2"), rec("3"))
    write(theirs, text(rec("1", evidence="khác"), rec("3")))
    write(ours, text(rec("1", evidence="của tôi")))
    result = run_cli("merge-driver", str(base), str(ours), str(theirs), STP)
    assert result.exit_code == 1
    assert "nhiệm vụ 1, đơn vị so-tu-phap, kỳ 2026 bị sửa khác nhau ở hai nơi" in result.stderr


# --- versions that cannot be read -------------------------------------------------------------------

def test_a_side_that_is_not_utf8_falls_back_to_markers_and_exit_1(tmp_path: Path) -> None:
    base = write(tmp_path / "O", text(rec("1")))
    ours = write(tmp_path / "A", text(rec("1"), rec("2", evidence="của tôi")))
    cp1258 = text(rec("1"), rec("3", evidence="Báo cáo")).encode("utf-8").replace("Báo".encode(), b"B\xe1o")
    (tmp_path / "B").write_bytes(cp1258)
    result = run_cli("merge-driver", str(base), str(ours), str(tmp_path / "B"), STP)
    assert result.exit_code == 1
    assert result.stderr.splitlines()[:2] == [
        f"Không gộp được {STP} theo từng bản ghi vì có bản không đọc được:",
        f"  {STP} (bản được gộp vào):8:1: tệp không phải UTF-8"]
    merged = ours.read_text(encoding="utf-8")
    assert [line for line in merged.splitlines() if line[:7] in ("<<<<<<<", "=======", ">>>>>>>")] == [
        "<<<<<<< bản ở máy này", "=======", ">>>>>>> bản được gộp vào"] * 2
    assert "evidence: của tôi" in merged and "evidence: B\ufffdo cáo" in merged


def test_an_unreadable_side_whose_lines_merge_cleanly_is_still_a_marked_conflict() -> None:
    broken = text(rec("1")) + "# ghi chú\n- task: [\n"
    result = merge_texts(text(rec("1")), text(rec("1")), broken, STP, ORDER)
    assert not result.clean
    assert result.text == ("<<<<<<< bản ở máy này\n" + text(rec("1")) + "=======\n" + broken
                           + ">>>>>>> bản được gộp vào\n")


def test_git_stops_on_a_non_utf8_side_and_validate_names_the_markers(tracker: Path) -> None:
    _branches(tracker)
    path = tracker / STP
    path.write_bytes(path.read_bytes().replace(b"recorded_on", b"# ghi ch\xfa\n  recorded_on"))
    git(tracker, "commit", "--quiet", "-am", "lưu bằng bảng mã khác")
    git(tracker, "checkout", "--quiet", "main")
    import subprocess

    merge = subprocess.run(["git", "merge", "--no-edit", "khac"], cwd=tracker, capture_output=True, text=True)
    assert merge.returncode == 1
    assert "tệp không phải UTF-8" in merge.stderr and "CONFLICT" in merge.stdout
    assert (tracker / ".git" / "MERGE_HEAD").exists()
    lines = path.read_text(encoding="utf-8").splitlines()
    markers = [i + 1 for i, line in enumerate(lines) if line[:7] in ("<<<<<<<", "=======", ">>>>>>>")]
    assert markers
    result = run_cli("validate", "--data", str(tracker))
    assert result.exit_code == 1
    for line in markers:
        assert f"data/status/2026/so-tu-phap.yaml:{line}:1: còn dấu xung đột git" in result.stdout


def _without_markers(text: str, keep: str) -> str:
    """The file as a clerk who keeps one side of every conflict leaves it."""
    kept, side = [], None
    for line in text.splitlines(keepends=True):
        if line.startswith("<<<<<<< "):
            side = "ours"
        elif line == "=======\n" and side:
            side = "theirs"
        elif line.startswith(">>>>>>> "):
            side = None
        elif side in (None, keep):
            kept.append(line)
    left = "".join(kept)
    return "records: []\n" if left == "records:\n" else left


@st.composite
def three_sides(draw: st.DrawFn) -> tuple[dict[Key, Values], dict[Key, Values], dict[Key, Values]]:
    """Like two_sides, and also the same record changed (or added) differently on both sides."""
    base, ours, theirs = draw(two_sides())
    for key in sorted(base):
        fate = draw(st.sampled_from(["as drawn", "both change", "ours changes, theirs deletes"]))
        if fate == "both change":
            ours[key], theirs[key] = draw(record_values()), draw(record_values())
        elif fate == "ours changes, theirs deletes":
            ours[key] = draw(record_values())
            theirs.pop(key, None)
    for key in draw(st.lists(KEYS.filter(lambda key: key not in base), max_size=3)):
        ours[key], theirs[key] = draw(record_values()), draw(record_values())
    return base, ours, theirs


@settings(max_examples=80, deadline=None)
@given(versions=three_sides())
def test_random_three_way_sets_lose_nothing_and_name_every_true_conflict(
        versions: tuple[dict[Key, Values], dict[Key, Values], dict[Key, Values]]) -> None:
    base, ours, theirs = ({k: as_record(k, v) for k, v in side.items()} for side in versions)
    texts = [text(*side.values()) for side in (base, ours, theirs)]
    result = merge_texts(*texts, STP, ORDER)
    expected: dict[Key, Record | None] = {}
    true_conflicts = set()
    for key in base.keys() | ours.keys() | theirs.keys():
        b, o, t = base.get(key), ours.get(key), theirs.get(key)
        if o == t or t == b:
            expected[key] = o
        elif o == b:
            expected[key] = t
        elif o is not None and t is not None and o.same_values(t):
            expected[key] = min(o, t, key=lambda r: (r.recorded_on, r.recorded_by or "", r.evidence or ""))
        else:
            true_conflicts.add(key)
    assert {c.key for c in result.conflicts} == true_conflicts
    assert not result.unreadable
    for c in result.conflicts:
        assert (c.ours, c.theirs) == (ours.get(c.key), theirs.get(c.key))
        assert f"nhiệm vụ {c.key[0]}, đơn vị so-tu-phap, kỳ {c.key[2]} bị sửa khác nhau" in c.message(STP)
    for keep, side in (("ours", ours), ("theirs", theirs)):
        records, problems = parse_status_text(_without_markers(result.text, keep), STP)
        assert problems == []
        wanted = {**expected, **{key: side.get(key) for key in true_conflicts}}
        assert {r.key: r.without_source() for r in records} == {k: v for k, v in wanted.items() if v is not None}
