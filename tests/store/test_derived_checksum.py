"""Derived files are trusted only when their bytes are the ones written: a checksum over them, and
any damage, tampering or decode error is a miss that rebuilds from the YAML, never a wrong answer."""

from __future__ import annotations

import random
import shutil
from pathlib import Path

from kehoach.store.files import read_derived, write_derived
from support.cli import rec, run_cli

CACHE = Path("data/.kehoach-cache")


def status_json(root: Path) -> tuple[int, str]:
    result = run_cli("status", "--data", str(root), "-f", "json", "--as-of", "2026-06-01")
    return result.exit_code, result.stdout


def uncached(root: Path) -> tuple[int, str]:
    shutil.rmtree(root / CACHE, ignore_errors=True)
    return status_json(root)


def test_a_value_replaced_inside_the_records_cache_is_not_believed(tracker: Path):
    rec(tracker, "1", "STP", "-s", "dang-thuc-hien", "--as-of", "2026-06-01")
    expected = uncached(tracker)
    assert status_json(tracker) == expected  # the cache now holds the record
    path = tracker / CACHE / "records" / "2026.marshal"
    data = path.read_bytes()
    assert b"dang-thuc-hien" in data
    path.write_bytes(data.replace(b"dang-thuc-hien", b"chua-thuc-hien"))
    assert status_json(tracker) == expected


def test_byte_flips_anywhere_in_any_cache_file_never_change_the_answer(tracker: Path):
    rec(tracker, "1", "STP", "-s", "dang-thuc-hien", "--as-of", "2026-06-01")
    rec(tracker, "2", "STP", "-s", "hoan-thanh", "--done-on", "2026-05-30", "--as-of", "2026-06-01")
    expected = uncached(tracker)
    status_json(tracker)
    files = sorted(p for p in (tracker / CACHE).rglob("*.marshal"))
    assert len(files) >= 2
    chance = random.Random(17)
    for path in files:
        good = path.read_bytes()
        for _ in range(12):
            spot = chance.randrange(len(good))
            flipped = bytearray(good)
            flipped[spot] ^= 1 << chance.randrange(8)
            path.write_bytes(bytes(flipped))
            assert status_json(tracker) == expected, (path.name, spot)
            path.write_bytes(good)


def test_the_checksum_is_over_the_bytes(tmp_path: Path):
    path = tmp_path / ".kehoach-cache" / "x.marshal"
    assert write_derived(path, 3, {"a": (1, "b")})
    assert read_derived(path, 3) == {"a": (1, "b")}
    assert read_derived(path, 4) is None
    data = path.read_bytes()
    for cut in (0, 4, 20, len(data) - 1):
        path.write_bytes(data[:cut])
        assert read_derived(path, 3) is None
    path.write_bytes(data[:-1] + bytes([data[-1] ^ 0xFF]))
    assert read_derived(path, 3) is None
    assert (tmp_path / ".kehoach-cache" / ".gitignore").read_text(encoding="utf-8").endswith("\n*\n")
