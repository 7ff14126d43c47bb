"""The one YAML module: positions, refusals, and a stable dump."""

from __future__ import annotations

import datetime as dt

import pytest

from kehoach.store.yamlio import YMap, dump_text, parse_text


def problems_of(text: str) -> list[str]:
    return [str(p) for p in parse_text(text, "x.yaml")[1]]


def test_positions_are_kept_for_maps_and_keys():
    root, problems = parse_text("a: 1\nb:\n  c: hai\n", "x.yaml")
    assert problems == []
    assert isinstance(root, YMap)
    assert root.pos("b") == (2, 1)
    assert root["b"].where("c") == ("x.yaml", 3, 3)


def test_scalars_get_their_types():
    root, _ = parse_text("d: 2026-06-10\nn: 3\nt: true\ns: '12-14'\nz: null\n", "x.yaml")
    assert root == {"d": dt.date(2026, 6, 10), "n": 3, "t": True, "s": "12-14", "z": None}


def test_duplicate_keys_are_reported_not_overwritten():
    assert problems_of("a: 1\nb: 2\na: 3\n") == ["x.yaml:3:1: khóa 'a' lặp lại (đã có ở dòng 1) [a]"]


def test_aliases_are_refused():
    assert problems_of("a: &x {k: 1}\nb: *x\n") == [
        "x.yaml:2:1: không dùng bí danh YAML (alias/anchor); hãy viết đầy đủ giá trị"]


def test_custom_tags_are_refused():
    assert problems_of("a: !python/name:os.system x\n") == [
        "x.yaml:1:4: không chấp nhận thẻ YAML tùy chỉnh '!python/name:os.system'"]


def test_syntax_errors_name_line_and_column():
    assert problems_of("a: [1, 2\nb: 3\n") == [
        "x.yaml:2:2: lỗi cú pháp YAML: thiếu dấu ',' hoặc dấu ngoặc đóng"]


def test_conflict_markers_are_found_with_their_lines():
    text = "records:\n<<<<<<< HEAD\n- a: 1\n=======\n- a: 2\n>>>>>>> other\n"
    assert problems_of(text) == [
        "x.yaml:2:1: còn dấu xung đột git (<<<<<<< / ======= / >>>>>>>); hãy giải quyết xung đột",
        "x.yaml:4:1: còn dấu xung đột git (<<<<<<< / ======= / >>>>>>>); hãy giải quyết xung đột",
        "x.yaml:6:1: còn dấu xung đột git (<<<<<<< / ======= / >>>>>>>); hãy giải quyết xung đột",
    ]


def test_dump_is_stable_and_round_trips():
    data = {"z": "Sở Tư pháp", "a": [{"b": dt.date(2026, 6, 10), "a": "12-14"}], "m": None}
    text = dump_text(data)
    assert text == "a:\n- a: 12-14\n  b: 2026-06-10\nm: null\nz: Sở Tư pháp\n"
    again, problems = parse_text(text, "x.yaml")
    assert problems == [] and again == data
    assert dump_text(again) == text


def test_long_text_stays_on_one_line():
    text = dump_text({"note": "từ " * 200})
    assert text.count("\n") == 1


@pytest.mark.parametrize(("text", "where", "reason"), [
    ("a: b: c\n", (1, 5), "dấu ':' không đúng chỗ: giá trị có dấu ':' phải đặt trong dấu nháy, hoặc dòng này "
                          "thụt lề sai"),
    ("records:\n- task: '1'\n unit: x\n", (3, 2), "thụt lề không đúng: dòng này lệch hàng với các trường cùng cấp"),
    ("a: 'x\n", (2, 1), "tệp kết thúc giữa chừng: thiếu dấu nháy đóng"),
    ("x:\n\t- 1\n", (2, 1), "một ký tự không được đứng đầu giá trị (tab, @, `, %): thụt lề bằng dấu cách, đặt giá "
                            "trị trong dấu nháy"),
    ("a:\n  - 1\n  b: 2\n", (3, 3), "thụt lề không đúng: thiếu dấu '-' đầu một mục, hoặc dòng này lệch hàng"),
    ("{a: 1\n", (2, 1), "thiếu dấu ',' hoặc dấu ngoặc đóng"),
    ("a: \"\\q\"\n", (1, 5), "trong dấu nháy kép có ký tự '\\' lạ; hãy dùng dấu nháy đơn"),
])
def test_syntax_errors_in_vietnamese(text: str, where: tuple[int, int], reason: str) -> None:
    """PyYAML's English ("did not find expected key") never reaches a clerk."""
    _value, problems = parse_text(text, "f.yaml")
    assert [(p.line, p.col, p.message) for p in problems] == [(*where, f"lỗi cú pháp YAML: {reason}")]


def test_every_syntax_error_is_said_in_vietnamese() -> None:
    for text in ("a: b: c\n", "a: *x\n", "--- 1\n--- 2\n", "a: [1\n", "? [\n", "a: &x\nb: *y\n"):
        _value, problems = parse_text(text, "f.yaml")
        assert problems and all(p.message.isascii() is False for p in problems), text
        assert not any(word in p.message for p in problems for word in ("found", "expected", "while", "mapping"))
