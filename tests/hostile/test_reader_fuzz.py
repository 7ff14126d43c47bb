"""Fuzzing the readers (issue 17, "prove the rest"): the fast and the full status-file readers agree on
hostile text, a bounded raw-bytes run never raises outside the error family, and the domain's parsers of
dates, periods and what a clerk types for a unit answer every input with a value or a Vietnamese error.

KEHOACH_FUZZ_RUNS sets the size of the raw-bytes run (small by default, so CI stays fast)."""

from __future__ import annotations

import datetime as dt
import os
import random
from pathlib import Path

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from kehoach.domain.periods import FIRST_YEAR, LAST_YEAR, parse_date, parse_period, period_containing
from kehoach.errors import InputError, KehoachError
from kehoach.store import status_files as statusfiles
from kehoach.store.status_files import parse_full, parse_status_text, read_status_file
from kehoach.store.tracker import open_tracker
from support.paths import SHIPPED_DATA

pytest.importorskip("yaml_rs")

FUZZ_RUNS = int(os.environ.get("KEHOACH_FUZZ_RUNS", "200"))
CLEAN = ("records:\n"
         "- done_on: 2026-06-10\n  evidence: Báo cáo số 125/BC-STP\n  note: đã xong\n  period: 2026-H1\n"
         "  recorded_by: Nguyễn Văn A\n  recorded_on: 2026-07-01\n  status: hoan-thanh\n  task: '17'\n"
         "  unit: so-tu-phap\n"
         "- period: '2026'\n  status: dang-thuc-hien\n  task: '1'\n  unit: so-tu-phap\n")
# What a hostile hand edit or a broken disk puts in: controls raw and as YAML escapes, the byte order mark,
# the line separators of other systems, non-characters, YAML's own punctuation.
HOSTILE = ["\x01", "\x1b", "\x7f", "\x85", "\x9b", "\ufeff", "\ufffe", "\u2028", "\t", "\r", "\r\n", "\x00",
           "\\e", "\\x1f", "\\u001e", "\\uFFFE", "\\ud800", "\"", "'", ": ", "- ", "#", "&a ", "*a", "!!str ", "\n",
           "  ", "{", "[", "|", ">", "%", "@", "`", "😀", "e\u0301"]


def same(records: list) -> list[tuple]:
    return [tuple(r) for r in records]  # every value, and where it came from


@settings(max_examples=300, deadline=None)
@given(edits=st.lists(st.tuples(st.integers(0, len(CLEAN)), st.sampled_from(HOSTILE)), min_size=1, max_size=4))
def test_fast_and_full_readers_agree_on_hostile_edits(edits: list[tuple[int, str]]) -> None:
    assert_readers_agree(edits)


# What the run above found, kept: NEL and a lone CR break lines for PyYAML only; a tab in recorded_by;
# a comment after "- " moves the record's line; a tab that indents is refused by PyYAML only.
@pytest.mark.parametrize("edit", [(73, "\x85"), (0, "\r"), (115, "\t"), (11, "#"), (279, "\t"), (40, "\u2028")])
def test_what_the_fuzzing_found(edit: tuple[int, str]) -> None:
    assert_readers_agree([edit])


def assert_readers_agree(edits: list[tuple[int, str]]) -> None:
    text = CLEAN
    for position, insert in sorted(edits, reverse=True):
        text = text[:position] + insert + text[position:]
    fast = statusfiles._parse_fast(text, "x.yaml")
    full_records, full_problems = parse_full(text, "x.yaml")
    if fast is not None:  # the fast path answered: the full reader must find the very same records
        assert full_problems == [] and same(fast) == same(full_records)
    assert parse_status_text(text, "x.yaml") == (full_records, full_problems) or fast is not None


@pytest.mark.parametrize("control", ["\x01", "\x02", "\x7f", "\x9b", "\ufffe"])
def test_a_raw_control_is_refused_by_both_paths(control: str) -> None:
    text = CLEAN.replace("đã xong", f"đã{control}xong")
    assert statusfiles._parse_fast(text, "x.yaml") is None
    records, problems = parse_status_text(text, "x.yaml")
    assert records == [] and [(p.line, p.col, p.message) for p in problems] == [
        (4, 11, f"lỗi cú pháp YAML: ký tự U+{ord(control):04X} không được phép trong tệp")]


def test_raw_bytes_fuzz_of_the_status_reader(tmp_path: Path) -> None:
    """Random byte flips, insertions and cuts of a clean file: always records or problems, never another
    exception; and whenever the fast path answers, the full reader agrees."""
    seed = random.Random(17)
    path = tmp_path / "status" / "2026" / "so-tu-phap.yaml"
    path.parent.mkdir(parents=True)
    clean = CLEAN.encode()
    outcomes = {"đọc được": 0, "có lỗi": 0}
    for _ in range(FUZZ_RUNS):
        data = bytearray(clean)
        for _ in range(seed.randint(1, 6)):
            where = seed.randrange(len(data))
            action = seed.choice(("flip", "insert", "cut"))
            if action == "flip":
                data[where] ^= 1 << seed.randrange(8)
            elif action == "insert":
                data[where:where] = bytes([seed.randrange(256)])
            else:
                del data[where:where + seed.randint(1, 8)]
        path.write_bytes(bytes(data))
        records, problems = read_status_file(path)
        outcomes["có lỗi" if problems else "đọc được"] += 1
        assert all(p.line >= 0 and p.message for p in problems)
        try:
            text = bytes(data).decode("utf-8")
        except UnicodeDecodeError:
            assert problems and problems[0].message == "tệp không phải UTF-8"
            continue
        fast = statusfiles._parse_fast(text, "x.yaml")
        if fast is not None:
            assert same(fast) == same(parse_full(text, "x.yaml")[0])
    assert sum(outcomes.values()) == FUZZ_RUNS and outcomes["có lỗi"] > 0


# --- the domain's parsers ----------------------------------------------------------------------------------

@settings(max_examples=400, deadline=None)
@given(st.one_of(st.text(max_size=30),
                 st.builds(lambda y, m, d, sep: sep.join((str(y), str(m), str(d))),
                           st.integers(-10, 100_000), st.integers(-1, 14), st.integers(-1, 40),
                           st.sampled_from(["-", "/", ".", " "])),
                 st.dates().map(lambda d: d.isoformat()), st.dates().map(lambda d: f"{d.day}/{d.month}/{d.year}")))
def test_any_date_text_is_a_date_or_a_clear_error(text: str) -> None:
    try:
        day = parse_date(text)
    except InputError as exc:
        assert str(exc).startswith("ngày '")
    else:
        assert FIRST_YEAR <= day.year <= LAST_YEAR


@settings(max_examples=400, deadline=None)
@given(st.one_of(st.text(max_size=12), st.from_regex(r"\A-?\d{1,6}(-([HQMhqm]\d{1,2}|\w{0,3}))?\Z")))
def test_any_period_text_is_a_period_or_a_clear_error(text: str) -> None:
    try:
        period = parse_period(text)
    except InputError as exc:
        assert str(exc).startswith("kỳ '")
    else:
        assert FIRST_YEAR <= period.year <= LAST_YEAR and parse_period(period.name) == period


@pytest.fixture(scope="module")
def shipped():
    return open_tracker(SHIPPED_DATA).definitions


UNIT_WORDS = ["Sở", "Tư", "pháp", "so", "tu", "phap", "UBND", "tỉnh", "xã", "huyện", "Thanh", "Hóa", "các", "sở",
              "STP", "-", "  ", "đ", "Đ", "[", "]", "*", "?", "\x1b", "\udcff", "e\u0301", "ban-dan-toc"]


@settings(max_examples=300, deadline=None)
@given(words=st.lists(st.one_of(st.sampled_from(UNIT_WORDS), st.text(max_size=6)), max_size=6),
       day=st.dates(dt.date(FIRST_YEAR, 1, 1), dt.date(LAST_YEAR, 12, 31)))
def test_any_responsibility_phrase_finds_units_or_says_why(shipped, words: list[str], day: dt.date) -> None:
    """What a clerk types for a unit or a group: a unit, or an error of the family; and on any day in the
    bounds every task has its responsible units and its period, never an exception."""
    phrase = " ".join(words)
    registry = shipped.registry
    for find in (registry.find_unit, registry.find_group):
        try:
            find(phrase)
        except KehoachError as exc:
            assert str(exc)
    registry.search(phrase)
    for task in shipped.plan.tasks[:: 5]:
        registry.responsible(task, day)
        try:
            period_containing(task, day)
        except KehoachError as exc:
            assert str(exc)
