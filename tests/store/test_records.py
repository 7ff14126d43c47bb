"""The derived cache of parsed records: same answers as a fresh parse, never stale, safely deletable."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

import pytest

from kehoach.store import records as cache
from kehoach.store.files import derived_bytes, derived_payload
from kehoach.store.record_rows import from_rows, to_row
from kehoach.store.status_files import parse_status_text, read_status_file
from support.cli import run_cli
from support.files import status_file_paths, write
from support.paths import REPO

STP_2026 = """records:
- done_on: 2026-06-10
  evidence: Báo cáo số 125/BC-STP ngày 10/6/2026
  period: 2026-H1
  recorded_by: Trần Thị B
  recorded_on: 2026-06-11
  status: hoan-thanh
  task: '17'
  unit: so-tu-phap
- note: Đang tổng hợp số liệu.
  period: '2026'
  status: dang-thuc-hien
  task: '1'
  unit: so-tu-phap
"""


def fresh_parse(status_dir: Path) -> tuple[list, list]:  # type: ignore[type-arg]
    records, problems = [], []
    for path in status_file_paths(status_dir):
        found, bad = read_status_file(path)
        records += found
        problems += bad
    return records, problems


def full(records: list) -> list[tuple]:  # type: ignore[type-arg]
    """Records with their source: Record equality ignores it, so compare it explicitly."""
    return [(r, r.source) for r in records]


@pytest.fixture
def status_dir(plain_tracker: Path) -> Path:
    status = plain_tracker / "data" / "status"
    write(status / "2026" / "so-tu-phap.yaml", STP_2026)
    write(status / "2025" / "so-tu-phap.yaml", "records: []\n")
    return status


def test_cache_hit_equals_fresh_parse(status_dir: Path) -> None:
    first = cache.load_records(status_dir)
    assert sorted(p.name for p in cache.records_dir(status_dir).iterdir()) == ["2025.marshal", "2026.marshal"]
    stamp = cache.cache_path(status_dir, "2026").stat().st_mtime_ns
    second = cache.load_records(status_dir)
    expected = fresh_parse(status_dir)
    assert full(first[0]) == full(second[0]) == full(expected[0])
    assert len(second[0]) == 2
    assert second[0][0].source.path == "tracker/data/status/2026/so-tu-phap.yaml"
    assert second[0][0].source.line == 2
    assert first[1] == second[1] == expected[1] == []
    # Nothing changed, so the cache was not rewritten.
    assert cache.cache_path(status_dir, "2026").stat().st_mtime_ns == stamp


def test_change_with_same_size_and_mtime_is_seen(status_dir: Path) -> None:
    path = status_dir / "2026" / "so-tu-phap.yaml"
    cache.load_records(status_dir)
    before = path.stat()
    changed = STP_2026.replace("số 125/BC-STP", "số 126/BC-STP")
    assert len(changed.encode()) == before.st_size
    path.write_text(changed, encoding="utf-8")
    os.utime(path, ns=(before.st_atime_ns, before.st_mtime_ns))
    assert path.stat().st_size == before.st_size and path.stat().st_mtime_ns == before.st_mtime_ns
    records, _ = cache.load_records(status_dir)
    assert records[0].evidence == "Báo cáo số 126/BC-STP ngày 10/6/2026"
    assert full(records) == full(fresh_parse(status_dir)[0])


def test_problems_are_cached_with_their_lines(status_dir: Path) -> None:
    bad = "records:\n- task: '1'\n  unit: so-tai-chinh\n  period: '2026'\n  status: xong\n"
    write(status_dir / "2026" / "so-tai-chinh.yaml", bad)
    first = cache.load_records(status_dir)[1]
    second = cache.load_records(status_dir)[1]
    assert first == second == fresh_parse(status_dir)[1]
    assert [(p.path, p.line, p.field) for p in second] == [
        ("tracker/data/status/2026/so-tai-chinh.yaml", 5, "status")]


def test_added_and_removed_files_are_seen(status_dir: Path) -> None:
    cache.load_records(status_dir)
    (status_dir / "2026" / "so-tu-phap.yaml").unlink()
    assert cache.load_records(status_dir) == ([], [])
    write(status_dir / "2027" / "so-tu-phap.yaml", STP_2026.replace("2026", "2027"))
    records, _ = cache.load_records(status_dir)
    assert [r.period for r in records] == ["2027-H1", "2027"]


def test_corrupt_or_foreign_cache_is_ignored_and_rebuilt(status_dir: Path) -> None:
    expected = full(fresh_parse(status_dir)[0])
    path = cache.cache_path(status_dir, "2026")
    path.parent.mkdir(parents=True)
    for junk in (b"", b"\x00garbage\xff" * 50, b"not marshal at all"):
        path.write_bytes(junk)
        assert full(cache.load_records(status_dir)[0]) == expected
        assert path.read_bytes() != junk

    path.write_bytes(derived_bytes((cache.FORMAT + 1, {})))
    assert full(cache.load_records(status_dir)[0]) == expected
    assert derived_payload(path)[0] == cache.FORMAT


def test_cache_of_wrong_shape_for_this_version_is_ignored(status_dir: Path) -> None:

    path = cache.cache_path(status_dir, "2026")
    path.parent.mkdir(parents=True)
    path.write_bytes(derived_bytes((cache.FORMAT, ["not", "a", "dict"])))
    assert full(cache.load_records(status_dir)[0]) == full(fresh_parse(status_dir)[0])
    for entry in (7, ("short",), [1, 2, 3, 4, 5]):
        path.write_bytes(derived_bytes((cache.FORMAT, {"so-tu-phap.yaml": entry})))
        assert full(cache.load_records(status_dir)[0]) == full(fresh_parse(status_dir)[0])


def test_cache_write_is_atomic(status_dir: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    """A write that dies half way leaves the previous cache whole and no temporary file behind."""
    cache.load_records(status_dir)
    path = cache.cache_path(status_dir, "2026")
    old = path.read_bytes()
    write(status_dir / "2026" / "so-tai-chinh.yaml", STP_2026.replace("so-tu-phap", "so-tai-chinh"))

    from kehoach.store import files

    def disk_full(src: object, dst: object) -> None:
        raise OSError(28, "No space left on device")

    monkeypatch.setattr(files.os, "replace", disk_full)
    records, _ = cache.load_records(status_dir)
    assert len(records) == 4
    assert path.read_bytes() == old
    assert sorted(p.name for p in path.parent.iterdir()) == ["2025.marshal", "2026.marshal"]


def test_read_only_cache_folder_still_answers(status_dir: Path) -> None:
    folder = cache.records_dir(status_dir).parent
    folder.write_text("a file where the folder should be")
    assert full(cache.load_records(status_dir)[0]) == full(fresh_parse(status_dir)[0])


def test_deleting_the_cache_changes_no_output(tracker: Path) -> None:
    status = tracker / "data" / "status"
    write(status / "2026" / "so-tu-phap.yaml", STP_2026)
    args = ("status", "--data", str(tracker), "--as-of", "2026-11-27", "--format", "json")
    cold = run_cli(*args)
    assert cold.exit_code == 0, cold.stderr
    assert (tracker / "data" / ".kehoach-cache" / "records" / "2026.marshal").is_file()
    warm = run_cli(*args)
    import shutil

    shutil.rmtree(tracker / "data" / ".kehoach-cache")
    again = run_cli(*args)
    assert cold.stdout == warm.stdout == again.stdout
    assert '"evidence": "Báo cáo số 125/BC-STP ngày 10/6/2026"' in warm.stdout
    check = [run_cli("check", "--data", str(tracker), "--as-of", "2026-11-27", "-f", "json")
             for _ in range(2)]
    assert check[0].stdout == check[1].stdout and check[0].exit_code == check[1].exit_code == 1
    # git never sees the cache: init's .gitignore keeps it out.
    assert subprocess.run(["git", "status", "--porcelain", "--ignored"], cwd=tracker, capture_output=True,
                          text=True, check=True).stdout.count(".kehoach-cache") == 1
    assert "?? " not in subprocess.run(["git", "status", "--porcelain"], cwd=tracker, capture_output=True,
                                       text=True, check=True).stdout.replace("?? data/status/2026/", "")


def test_validate_still_names_file_and_line_from_cache(tracker: Path) -> None:
    write(tracker / "data" / "status" / "2026" / "so-tu-phap.yaml",
          STP_2026.replace("status: dang-thuc-hien", "status: xong"))
    results = [run_cli("validate", "--data", str(tracker)) for _ in range(2)]
    assert results[0].stdout == results[1].stdout
    assert "status/2026/so-tu-phap.yaml:12:3: trạng thái 'xong' không hợp lệ" in results[1].stdout
    assert results[1].exit_code == 1


def test_parse_of_cached_tuple_round_trip_keeps_every_field() -> None:
    records, problems = parse_status_text(STP_2026, "x.yaml")
    assert problems == []
    rows = [to_row(r) for r in records]
    assert full(from_rows(rows, "x.yaml")) == full(records)


def test_cli_import_does_not_load_heavy_modules() -> None:
    heavy = ("('openpyxl', 'tabulate', 'kehoach.git.run', 'kehoach.git.history', 'kehoach.store.records', "
             "'kehoach.domain.slots')")
    code = f"import sys, kehoach.cli.app; print([m for m in {heavy} if m in sys.modules])"
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True, cwd=REPO)
    assert out.stdout.strip() == "[]"


def test_reading_loads_the_worker_machinery_only_when_it_starts_workers() -> None:
    code = ("import sys, kehoach.store.records; print([m for m in ('multiprocessing', 'concurrent.futures.process')"
            " if m in sys.modules])")
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True, cwd=REPO)
    assert out.stdout.strip() == "[]"


def test_a_change_rewrites_its_year_only_and_gone_years_are_forgotten(status_dir: Path) -> None:
    cache.load_records(status_dir)
    # Each write is a new file renamed into place: a new inode says the file was rewritten.
    stamps = {p.name: p.stat().st_ino for p in cache.records_dir(status_dir).iterdir()}
    legacy = cache.records_dir(status_dir).parent / cache.LEGACY_FILE
    legacy.write_bytes(b"the 0.1.0 layout")
    write(status_dir / "2026" / "so-tu-phap.yaml", STP_2026.replace("Đang tổng hợp", "Đã tổng hợp"))
    records, _ = cache.load_records(status_dir)
    assert [r.note for r in records] == [None, "Đã tổng hợp số liệu."]
    now = {p.name: p.stat().st_ino for p in cache.records_dir(status_dir).iterdir()}
    assert now["2025.marshal"] == stamps["2025.marshal"] and now["2026.marshal"] != stamps["2026.marshal"]
    assert not legacy.exists()
    # A command about one year reads and writes that year's file only.
    write(status_dir / "2025" / "so-tu-phap.yaml", "records: []\n# sửa\n")
    cache.load_records(status_dir, years=[2025])
    again = {p.name: p.stat().st_ino for p in cache.records_dir(status_dir).iterdir()}
    assert again["2026.marshal"] == now["2026.marshal"] and again["2025.marshal"] != now["2025.marshal"]
    import shutil

    shutil.rmtree(status_dir / "2025")
    cache.load_records(status_dir)
    assert sorted(p.name for p in cache.records_dir(status_dir).iterdir()) == ["2026.marshal"]


def test_readers_skip_a_broken_file_whole_and_writers_refuse_it(status_dir: Path) -> None:
    # The broken file has one good record before its bad one: none of it may be counted.
    bad = ("records:\n- task: '1'\n  unit: so-tai-chinh\n  period: '2026'\n  status: dang-thuc-hien\n"
           "- task: '2'\n  unit: so-tai-chinh\n  period: '2026'\n  status: xong\n")
    write(status_dir / "2026" / "so-tai-chinh.yaml", bad)
    skipped: list = []  # type: ignore[type-arg]
    found = cache.current_records(status_dir, skipped=skipped)
    assert sorted(found) == [("1", "so-tu-phap", "2026"), ("17", "so-tu-phap", "2026-H1")]
    assert [(p.path.endswith("2026/so-tai-chinh.yaml"), p.line, p.field) for p in skipped] == [(True, 9, "status")]
    with pytest.raises(cache.DataFileError) as refused:
        cache.current_records(status_dir)
    assert "so-tai-chinh.yaml:9" in str(refused.value)


def test_a_first_read_on_every_core_gives_what_one_core_gives(status_dir: Path, monkeypatch: pytest.MonkeyPatch,
                                                              ) -> None:
    """Many files to parse: parsed in worker processes, the records, their sources, the problems of a
    broken file, the cache and the progress told are those of a parse in this process."""
    import concurrent.futures
    from concurrent.futures import ProcessPoolExecutor

    from kehoach.store.progress import PARSING_PROGRESS

    for unit in ("so-noi-vu", "so-tai-chinh", "ubnd-tp-thanh-hoa"):
        write(status_dir / "2026" / f"{unit}.yaml", STP_2026.replace("so-tu-phap", unit))
    write(status_dir / "2027" / "so-tu-phap.yaml", "records:\n- task: '1'\n  period: '2027'\n  unit: so-tu-phap\n"
                                                    "  status: xong\n")
    pools: list[int] = []

    class CountedPool(ProcessPoolExecutor):
        def __init__(self, workers: int, **kwargs: object) -> None:
            pools.append(workers)
            super().__init__(workers, **kwargs)  # type: ignore[arg-type]

    def read(cores: int) -> tuple[list, list, list, dict]:  # type: ignore[type-arg]
        for year in cache.records_dir(status_dir).glob("*.marshal"):
            year.unlink()
        monkeypatch.setattr(cache, "usable_cores", lambda: cores)
        told: list[tuple[int, int]] = []
        token = PARSING_PROGRESS.set(lambda done, listed: told.append((done, listed)))
        try:
            snap = cache.Snapshot(status_dir)
            files = snap.files()
        finally:
            PARSING_PROGRESS.reset(token)
        stored = {p.name: derived_payload(p) for p in cache.records_dir(status_dir).glob("*.marshal")}
        return [(f.key, f.shown, full(f.records())) for f in files], [f.problems for f in files], told, stored

    monkeypatch.setattr(cache, "PARSE_ON_EVERY_CORE", 3)
    monkeypatch.setattr(cache, "SLOW_PARSE", 1)
    monkeypatch.setattr(concurrent.futures, "ProcessPoolExecutor", CountedPool)
    on_two = read(2)
    assert pools == [2]
    on_one = read(1)
    assert pools == [2]
    assert on_two[:2] == on_one[:2] and on_two[3] == on_one[3]
    keys = [key for key, _, _ in on_two[0]]
    assert keys == ["2025/so-tu-phap.yaml", "2026/so-noi-vu.yaml", "2026/so-tai-chinh.yaml",
                    "2026/so-tu-phap.yaml", "2026/ubnd-tp-thanh-hoa.yaml", "2027/so-tu-phap.yaml"]
    assert [len(records) for _, _, records in on_two[0]] == [0, 2, 2, 2, 2, 0]
    assert [[(p.path, p.line, p.field) for p in found] for found in on_two[1]][-1] == [
        ("tracker/data/status/2027/so-tu-phap.yaml", 5, "status")]
    assert on_two[2][-1] == on_one[2][-1] == (6, 6)
