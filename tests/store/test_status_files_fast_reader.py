"""The fast reader of status files (yaml-rs) always agrees with the full one (PyYAML with positions)."""

from __future__ import annotations

import datetime as dt
import unicodedata

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from kehoach.domain.model import Record, Status
from kehoach.store import status_files as statusfiles
from kehoach.store.status_files import parse_status_text, render_status_file

pytest.importorskip("yaml_rs")


def full(text: str):
    from kehoach.store.yamlio import YMap, parse_text

    root, problems = parse_text(text, "x.yaml")
    assert problems == [] and isinstance(root, YMap)
    return [statusfiles._record_from_map(item)[0] for item in root["records"]]


def as_tuples(records):
    return [tuple(r) for r in records]  # every value, the source (file, line, column) included


WORDS = ["Báo cáo số 125/BC-STP ngày 10/6/2026", "yes", "null", "12", "2026-06-10", "- gạch đầu dòng",
         "a: b", "'trích dẫn'", "\"ngoặc kép\"", "#không phải chú thích", "Đã xong", "on", "~", "1e3", "  cách  ",
         "dòng một\ndòng hai", "tab\tở giữa", "* sao", "& và", "! chấm than", "[ngoặc]", "{ngoặc}", "@người", "%"]


@st.composite
def status_records(draw: st.DrawFn) -> list[Record]:
    """1 to 12 records of one unit's file, with any status, the awkward texts of WORDS or any text as
    `record` stores it (NFC, no control characters or non-characters: `record` refuses them)."""
    words = st.one_of(st.sampled_from([None, *WORDS]),
                      st.text(st.characters(exclude_categories=["Cs", "Cc"], exclude_characters="\ufffe\uffff"),
                              min_size=1, max_size=20)
                      .map(lambda text: unicodedata.normalize("NFC", text)))
    records = []
    for index in range(draw(st.integers(1, 12))):
        status = draw(st.sampled_from(list(Status)))
        records.append(Record(
            task=str(index + 1), unit="so-tu-phap", period=draw(st.sampled_from(["2026", "2026-H1", "2026-H2"])),
            status=status,
            done_on=dt.date(2026, 6, draw(st.integers(1, 28))) if status is Status.HOAN_THANH else None,
            evidence=draw(words), note=draw(words), recorded_on=dt.date(2026, 7, 1),
            recorded_by=draw(st.sampled_from([None, "Nguyễn Văn A", "yes", "Lê: Thị"]))))
    return records


@settings(max_examples=50, deadline=None)
@given(status_records())
def test_fast_and_full_readers_agree_on_files_kehoach_writes(written: list[Record]):
    text = render_status_file(written, lambda r: int(r.task))
    fast = statusfiles._parse_fast(text, "x.yaml")
    expected = full(text)
    if fast is not None:
        assert as_tuples(fast) == as_tuples(expected)
    records, problems = parse_status_text(text, "x.yaml")
    assert problems == [] and as_tuples(records) == as_tuples(expected)


def test_a_clean_file_takes_the_fast_path_with_full_positions():
    text = ("records:\n- done_on: 2026-06-10\n  period: 2026-H1\n  status: hoan-thanh\n  task: '17'\n"
            "  unit: so-tu-phap\n- period: '2026'\n  status: dang-thuc-hien\n  task: '1'\n  unit: so-tu-phap\n")
    fast = statusfiles._parse_fast(text, "x.yaml")
    assert fast is not None
    assert [(r.task, r.period, r.source.line, r.source.col) for r in fast] == [("17", "2026-H1", 2, 3),
                                                                              ("1", "2026", 7, 3)]


@pytest.mark.parametrize("text", [
    "records:\n- note: yes\n  period: '2026'\n  status: dang-thuc-hien\n  task: '1'\n  unit: so-tu-phap\n",
    "records:\n- period: '2026'\n  status: xong\n  task: '1'\n  unit: so-tu-phap\n",
    "records:\n- &a\n  period: '2026'\n  status: dang-thuc-hien\n  task: '1'\n  unit: so-tu-phap\n- *a\n",
    "records:\n- period: '2026'\n  period: '2027'\n  status: dang-thuc-hien\n  task: '1'\n  unit: so-tu-phap\n",
    "records:\n  - period: '2026'\n    status: dang-thuc-hien\n    task: '1'\n    unit: so-tu-phap\n",
    "records:\n- done_on: '2026-06-10'\n  period: '2026'\n  status: hoan-thanh\n  task: '1'\n  unit: so-tu-phap\n",
    "records:\n- period: 2026\n  status: dang-thuc-hien\n  task: 0o17\n  unit: so-tu-phap\n",
    "records:\n- period: '2026'\n  status: dang-thuc-hien\n  task: '1'\n  unit: so-tu-phap\n  note: 'on'\n"
    "  recorded_by: no\n",
])
def test_anything_doubtful_goes_to_the_full_reader(text: str):
    assert statusfiles._parse_fast(text, "x.yaml") is None


@pytest.mark.parametrize("text", ["", "- a\n", "x\n- a\n- b\n", "records:\n- a\n  - b\n- c\n", "- a\n\n\n- b"])
def test_item_lines(text: str):
    expected = [n for n, line in enumerate(text.split("\n"), start=1) if line.startswith("- ")]
    assert statusfiles._item_lines(text) == expected
