"""The cache of each tracker's part of a report over several (`store/report_cache`): derived only (deleting
it changes no output), never stale (a record added, an edit that keeps size and mtime), a damaged or
forged entry ignored and rebuilt; and the parts computed on every core give the very bytes of the
parts computed one after another."""

from __future__ import annotations

import os
import shutil
from concurrent.futures import ProcessPoolExecutor
from pathlib import Path

import openpyxl
import pytest

from kehoach.commands import report_many
from kehoach.store import report_cache
from kehoach.store.files import derived_bytes, read_derived
from support.cli import rec, run_cli
from support.trackers import copy_tracker
from support.trackers import provinces_template as provinces_template_of

AS_OF = "2026-11-27"
NAMES = ("thanh-hoa", "nghe-an", "ha-tinh")


@pytest.fixture(scope="module")
def provinces_template(tmp_path_factory: pytest.TempPathFactory, tracker_template: Path) -> Path:
    recorded = {
        "thanh-hoa": [("1", "STP", "-s", "done", "--done-on", "10/6/2026", "--period", "2026")],
        "nghe-an": [("2", "STP", "-s", "n/a", "--period", "2026", "--note", "Không thuộc chức năng")],
        "ha-tinh": [("3", "STP", "-s", "dang-thuc-hien", "--period", "2026", "--evidence", "CV 12/STP")],
    }
    return provinces_template_of(tmp_path_factory.mktemp("mau") / "cac-tinh", tracker_template, recorded, AS_OF)


@pytest.fixture
def provinces(tmp_path: Path, provinces_template: Path) -> Path:
    return copy_tracker(provinces_template, tmp_path / "cac-tinh")


def datas(folder: Path) -> list[str]:
    return [arg for name in NAMES for arg in ("--data", str(folder / name))]


def report(folder: Path, *args: str) -> str:
    result = run_cli("report", *datas(folder), "--as-of", AS_OF, *args)
    assert result.exit_code == 0, result.stderr
    return result.stdout


def entries(folder: Path) -> list[Path]:
    return sorted((folder / "data" / ".kehoach-cache" / report_cache.REPORTS_DIR).glob("*.marshal"))


def drop_report_caches(folder: Path) -> None:
    for name in NAMES:
        shutil.rmtree(folder / name / "data" / ".kehoach-cache" / report_cache.REPORTS_DIR, ignore_errors=True)


def computed(monkeypatch: pytest.MonkeyPatch) -> list[str]:
    """The status folders whose part is computed (not found in the cache) from now on, in this process."""
    seen: list[str] = []
    real = report_many._compute

    def spy(tracker, *args):  # type: ignore[no-untyped-def]
        seen.append(tracker.data_dir.parent.name)
        return real(tracker, *args)

    monkeypatch.setattr(report_many, "_compute", spy)
    monkeypatch.setattr(report_many, "usable_cores", lambda: 1)
    return seen


@pytest.mark.parametrize("fmt", ["json", "plain", "csv"])
def test_deleting_the_caches_changes_no_output(provinces: Path, fmt: str) -> None:
    cold = report(provinces, "--format", fmt)
    assert all(len(entries(provinces / name)) == 1 for name in NAMES)
    assert report(provinces, "--format", fmt) == cold  # answered from the caches
    drop_report_caches(provinces)
    assert report(provinces, "--format", fmt) == cold
    shutil.rmtree(provinces / "nghe-an" / "data" / ".kehoach-cache")  # every cache of one tracker
    assert report(provinces, "--format", fmt) == cold


def test_an_unchanged_tracker_is_a_lookup_and_a_changed_one_is_computed_again(
        provinces: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    report(provinces, "--format", "json")
    seen = computed(monkeypatch)
    report(provinces, "--format", "json")
    assert seen == []
    rec(provinces / "nghe-an", "4", "STP", "-s", "dang-thuc-hien", "--period", "2026", "--as-of", AS_OF)
    after = report(provinces, "--format", "json")
    assert seen == ["nghe-an"]
    assert '"dang-thuc-hien-trong-han": 2' in after  # ha-tinh's and the new one, in the totals
    drop_report_caches(provinces)
    assert report(provinces, "--format", "json") == after


def test_another_question_is_another_entry(provinces: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    report(provinces, "--format", "plain")
    seen = computed(monkeypatch)
    run_cli("report", *datas(provinces), "--as-of", "2026-11-28", "--format", "plain")
    run_cli("report", *datas(provinces), "--as-of", AS_OF, "--group", "cac-so", "--format", "plain")
    assert seen == list(NAMES) * 2
    assert len(entries(provinces / "thanh-hoa")) == 3


@pytest.mark.parametrize("in_git", [True, False])
def test_an_edit_keeping_size_and_mtime_is_seen(provinces: Path, in_git: bool) -> None:
    """Inside git (its index vouches only for a file not written since it looked) and outside (every
    file hashed)."""
    if not in_git:
        for name in NAMES:
            shutil.rmtree(provinces / name / ".git")
    before = report(provinces, "--format", "json")
    status = provinces / "thanh-hoa" / "data" / "status" / "2026" / "so-tu-phap.yaml"
    text = status.read_text(encoding="utf-8")
    info = status.stat()
    edited = text.replace("done_on: 2026-06-10", "done_on: 2026-06-11")
    assert len(edited.encode()) == len(text.encode()) and edited != text
    status.write_text(edited, encoding="utf-8")
    os.utime(status, ns=(info.st_atime_ns, info.st_mtime_ns))
    after = report(provinces, "--format", "json")
    assert after != before and '"done_on": "2026-06-11"' in after
    drop_report_caches(provinces)
    assert report(provinces, "--format", "json") == after


def test_a_damaged_or_forged_entry_is_ignored_and_rebuilt(provinces: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    cold = report(provinces, "--format", "json")
    damaged, forged = entries(provinces / "thanh-hoa")[0], entries(provinces / "nghe-an")[0]
    damaged.write_bytes(damaged.read_bytes()[:-40] + b"x" * 40)
    key = read_derived(forged, report_cache.FORMAT)[0]
    forged.write_bytes(derived_bytes((report_cache.FORMAT, (key, ("bad",), (), 0))))
    seen = computed(monkeypatch)
    assert report(provinces, "--format", "json") == cold
    assert seen == ["thanh-hoa", "nghe-an"]
    for path in (damaged, forged):  # rebuilt whole
        assert read_derived(path, report_cache.FORMAT)[3] > 0
    seen.clear()
    assert report(provinces, "--format", "json") == cold
    assert seen == []


@pytest.mark.parametrize("fmt", ["json", "plain", "markdown"])
def test_every_core_gives_the_bytes_of_one_core(provinces: Path, monkeypatch: pytest.MonkeyPatch, fmt: str) -> None:
    pools: list[int] = []

    class CountedPool(ProcessPoolExecutor):
        def __init__(self, workers: int, **kwargs: object) -> None:
            pools.append(workers)
            super().__init__(workers, **kwargs)  # type: ignore[arg-type]

    monkeypatch.setattr(report_many, "ProcessPoolExecutor", CountedPool)
    monkeypatch.setattr(report_many, "usable_cores", lambda: 2)
    in_pool = report(provinces, "--format", fmt)
    assert pools == [2]
    assert all(len(entries(provinces / name)) == 1 for name in NAMES)  # the workers filled the caches
    drop_report_caches(provinces)
    monkeypatch.setattr(report_many, "usable_cores", lambda: 1)
    assert report(provinces, "--format", fmt) == in_pool
    assert pools == [2]


def test_workbook_from_the_caches_equals_the_workbook_computed(provinces: Path, tmp_path: Path) -> None:
    def sheets(path: Path) -> dict[str, list[tuple[object, ...]]]:
        book = openpyxl.load_workbook(path)
        return {ws.title: list(ws.iter_rows(values_only=True)) for ws in book.worksheets}

    cold, warm = tmp_path / "lanh.xlsx", tmp_path / "am.xlsx"
    report(provinces, "-o", str(cold))
    report(provinces, "-o", str(warm))
    assert sheets(warm) == sheets(cold)
    assert cold.read_bytes() == warm.read_bytes()
