"""`known_ids`: a status file unchanged since this tracker last read it is not opened again, and every
change is still seen (one that keeps size and mtime too), with the same fingerprints and records as a
run with no cache at all."""

from __future__ import annotations

import os
import time
from pathlib import Path

import pytest

from kehoach.store import known_ids
from kehoach.store.files import derived_bytes
from kehoach.store.known_ids import IDS_FILE, KnownIds
from kehoach.store.layout import status_cache_dir
from kehoach.store.records import Snapshot
from support.files import write
from support.opens import yaml_opened

FILES = {"2025/so-tu-phap.yaml": "records: []\n",
         "2026/so-tu-phap.yaml": "records:\n- period: 2026-H1\n  status: dang-thuc-hien\n  task: '17'\n"
                                 "  unit: so-tu-phap\n",
         "2026/so-noi-vu.yaml": "records:\n- period: '2026'\n  status: chua-thuc-hien\n  task: '1'\n"
                                "  unit: so-noi-vu\n"}

def opened_by(status_dir: Path, work: str) -> tuple[list[str], object]:
    """The status files a snapshot opens for `work` ("fingerprints" or "files"), and what it gave."""
    snap = Snapshot(status_dir)
    return yaml_opened(status_dir, lambda: snap.year_fingerprints if work == "fingerprints"
                       else [(f.key, f.columns) for f in snap.files()])


def no_cache_answer(status_dir: Path, work: str) -> object:
    """The same question with every cache of the folder gone (then put back)."""
    ids = status_cache_dir(status_dir) / IDS_FILE
    kept = ids.read_bytes() if ids.exists() else None
    ids.unlink(missing_ok=True)
    try:
        return opened_by(status_dir, work)[1]
    finally:
        if kept is not None:
            ids.write_bytes(kept)


@pytest.fixture
def status_dir(plain_tracker: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    """Files written just now: the racy-file rule is lowered to nothing for these tests (the last test
    keeps it, with a real second of waiting)."""
    monkeypatch.setattr(known_ids, "RACY_NS", 0)
    status = plain_tracker / "data" / "status"
    for name, text in FILES.items():
        write(status / name, text)
    return status


@pytest.mark.parametrize("work", ["fingerprints", "files"])
def test_unchanged_files_are_not_opened_and_answers_are_those_of_no_cache(status_dir: Path, work: str) -> None:
    first_opened, first = opened_by(status_dir, work)
    assert first_opened == sorted(FILES)
    assert (status_cache_dir(status_dir) / IDS_FILE).is_file()
    again_opened, again = opened_by(status_dir, work)
    assert again_opened == []
    assert again == first == no_cache_answer(status_dir, work)


@pytest.mark.parametrize("work", ["fingerprints", "files"])
def test_an_edit_keeping_size_and_mtime_is_opened_and_seen(status_dir: Path, work: str) -> None:
    _, before = opened_by(status_dir, work)
    path = status_dir / "2026/so-noi-vu.yaml"
    info = path.stat()
    path.write_text(FILES["2026/so-noi-vu.yaml"].replace("chua-thuc-hien", "dang-thuc-hien"), encoding="utf-8")
    os.utime(path, ns=(info.st_atime_ns, info.st_mtime_ns))
    assert (path.stat().st_size, path.stat().st_mtime_ns) == (info.st_size, info.st_mtime_ns)
    opened, after = opened_by(status_dir, work)
    assert opened == ["2026/so-noi-vu.yaml"]
    assert after != before and after == no_cache_answer(status_dir, work)


def test_added_and_removed_files_are_seen(status_dir: Path) -> None:
    opened_by(status_dir, "fingerprints")
    (status_dir / "2025/so-tu-phap.yaml").unlink()
    write(status_dir / "2027/so-y-te.yaml", "records: []\n")
    opened, found = opened_by(status_dir, "fingerprints")
    assert opened == ["2027/so-y-te.yaml"]
    assert set(found) == {"2026", "2027"}  # type: ignore[arg-type]
    assert found == no_cache_answer(status_dir, "fingerprints")
    assert "2025/so-tu-phap.yaml" not in KnownIds(status_dir)._known


@pytest.mark.parametrize("junk", [b"", b"\x00garbage\xff" * 20,
                                  derived_bytes((known_ids.FORMAT + 1, {})),
                                  derived_bytes((known_ids.FORMAT, ["not", "a", "dict"])),
                                  derived_bytes((known_ids.FORMAT, {"2026/so-noi-vu.yaml": (1, 2, 3),
                                                                    "2026/so-tu-phap.yaml": ("a",) * 6}))])
def test_damaged_or_foreign_entries_are_ignored(status_dir: Path, junk: bytes) -> None:
    truth = no_cache_answer(status_dir, "fingerprints")
    path = status_cache_dir(status_dir) / IDS_FILE
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_bytes(junk)
    opened, found = opened_by(status_dir, "fingerprints")
    assert opened == sorted(FILES) and found == truth


def test_the_remembered_id_is_what_an_unchanged_file_counts_with(status_dir: Path) -> None:
    """The fingerprint of an unchanged file comes from the cache, not from a read (a forged id shows
    it): which is why ids are remembered only from bytes read, in a checksummed file."""
    opened_by(status_dir, "fingerprints")
    known = KnownIds(status_dir)
    key = "2025/so-tu-phap.yaml"
    entry = known._known[key]
    known._known[key] = (*entry[:4], b"\x01" * 20, entry[5])
    known._changed = True
    known.save()
    assert opened_by(status_dir, "fingerprints")[1] != no_cache_answer(status_dir, "fingerprints")


def test_a_file_read_within_a_second_of_its_last_write_is_read_again(plain_tracker: Path) -> None:
    """The racy-file rule, at its real value: a write in the tick of the read could keep every stat."""
    status = plain_tracker / "data" / "status"
    write(status / "2026/so-tu-phap.yaml", FILES["2026/so-tu-phap.yaml"])
    assert opened_by(status, "fingerprints")[0] == ["2026/so-tu-phap.yaml"]
    assert opened_by(status, "fingerprints")[0] == ["2026/so-tu-phap.yaml"]  # still too fresh to trust
    time.sleep(known_ids.RACY_NS / 1e9 + 0.05)
    assert opened_by(status, "fingerprints")[0] == ["2026/so-tu-phap.yaml"]  # read now, old enough
    assert opened_by(status, "fingerprints")[0] == []
