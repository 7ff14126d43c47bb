"""Type-confused data and out-of-range values (issue 17.11, 17.12): every one a Vietnamese problem with its
file, line and field and exit 1 or 2, for every command; never "Lỗi nội bộ" (exit 3)."""

from __future__ import annotations

import os
import shutil
from pathlib import Path

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from support.cli import run_cli
from support.files import write
from support.paths import SHIPPED_DATA

AS_OF = "2026-11-27"
COMMANDS = [("validate",), ("check", "--as-of", AS_OF), ("status", "--as-of", AS_OF), ("report", "--as-of", AS_OF),
            ("tasks",), ("units",), ("form", "STP", "--as-of", AS_OF)]
FIRST_UNIT = "- groups:\n  - cac-ban-nganh\n  id: ban-dan-toc\n"


def replaced(path: Path, old: str, new: str) -> None:
    text = path.read_text(encoding="utf-8")
    assert old in text
    path.write_text(text.replace(old, new, 1), encoding="utf-8")


def line_of(path: Path, text: str) -> int:
    return path.read_text(encoding="utf-8").split(text, 1)[0].count("\n") + 1


@pytest.mark.parametrize("command", COMMANDS, ids=lambda c: c[0])
@pytest.mark.parametrize(("value", "shown"), [("[x]", "[x]"), ("{a: 1}", "{a: 1}"), ("2026-01-01", "2026-01-01"),
                                              ("17", "17"), ("true", "true")])
def test_unit_id_of_another_type(plain_tracker: Path, command: tuple[str, ...], value: str, shown: str) -> None:
    units = plain_tracker / "data" / "units.yaml"
    replaced(units, FIRST_UNIT, FIRST_UNIT.replace("id: ban-dan-toc", f"id: {value}"))
    line = line_of(units, f"id: {value}")
    result = run_cli(*command, "--data", str(plain_tracker))
    expected = f"tracker/data/units.yaml:{line}:3: trường 'id' phải là chuỗi, đang là {shown} [id]"
    assert result.exit_code == (1 if command[0] == "validate" else 2)
    assert expected in result.stdout + result.stderr
    assert "Lỗi nội bộ" not in result.stderr


@pytest.mark.parametrize("command", COMMANDS, ids=lambda c: c[0])
@pytest.mark.parametrize("empty", ["''", "'   '"])
def test_task_with_empty_content(plain_tracker: Path, command: tuple[str, ...], empty: str) -> None:
    plan = plain_tracker / "data" / "plan.yaml"
    text = plan.read_text(encoding="utf-8")
    first = text.index("  content: ", text.index("\ntasks:"))
    end = text.index("\n", first)
    plan.write_text(text[:first] + f"  content: {empty}" + text[end:], encoding="utf-8")
    line = text.count("\n", 0, first) + 1
    result = run_cli(*command, "--data", str(plain_tracker))
    assert result.exit_code == (1 if command[0] == "validate" else 2)
    assert f"tracker/data/plan.yaml:{line}:3: trường bắt buộc 'content' đang để trống [content]" in (
        result.stdout + result.stderr)


@pytest.mark.parametrize(("args", "message"), [
    (("check", "--as-of", "9999-12-14"), "ngày tính --as-of '9999-12-14' nằm ngoài các năm theo dõi được (1900–9000)"),
    (("check", "--as-of", "9999-12-31"), "ngày tính --as-of '9999-12-31' nằm ngoài các năm theo dõi được (1900–9000)"),
    (("status", "--as-of", "0001-01-01"), "ngày tính --as-of '0001-01-01' nằm ngoài các năm theo dõi được (1900–9000)"),
    (("status", "--period", "0000"), "kỳ '0000' nằm ngoài các năm theo dõi được (1900–9000)"),
    (("report", "--period", "9999-H2"), "kỳ '9999-H2' nằm ngoài các năm theo dõi được (1900–9000)"),
    (("record", "17", "STP", "-s", "doing", "-p", "0000"), "kỳ '0000' nằm ngoài các năm theo dõi được (1900–9000)"),
    (("record", "1", "STP", "-s", "done", "--done-on", "31/12/9999"),
     "ngày hoàn thành --done-on '31/12/9999' nằm ngoài các năm theo dõi được (1900–9000)"),
])
def test_dates_and_periods_out_of_range(plain_tracker: Path, args: tuple[str, ...], message: str) -> None:
    result = run_cli(*args, "--data", str(plain_tracker))
    assert (result.exit_code, result.stderr) == (2, f"Lỗi: {message}\n")


STATUS = "data/status/2026/so-tu-phap.yaml"
READING_EXIT = {"check": 1, "status": 0, "report": 0}


@pytest.mark.parametrize("command", COMMANDS[:4], ids=lambda c: c[0])
@pytest.mark.parametrize(("field", "value", "message"), [
    ("period", "2026-H3", "kỳ '2026-H3' không hợp lệ; dùng dạng 2026, 2026-H1, 2026-H2 hoặc 2026-Q3"),
    ("period", "'0000'", "kỳ '0000' nằm ngoài các năm theo dõi được (1900–9000)"),
    ("period", "[2026]", "trường 'period' phải là chuỗi, đang là [2026]"),
    ("status", "{a: 1}", "trường 'status' phải là chuỗi, đang là {a: 1}"),
    ("recorded_on", "9999-12-31", "ngày 'recorded_on' nằm ngoài các năm theo dõi được (1900–9000)"),
    ("recorded_on", "[x]", "trường 'recorded_on' phải là ngày dạng YYYY-MM-DD, đang là [x]"),
    ("note", "{a: [1, 2]}", "trường 'note' phải là chuỗi, đang là {a: [1, 2]}"),
])
def test_status_field_of_another_type(plain_tracker: Path, command: tuple[str, ...], field: str, value: str,
                                      message: str) -> None:
    values = {"period": "2026-H2", "status": "dang-thuc-hien", "task": "'17'", "unit": "so-tu-phap", field: value}
    text = "records:\n- " + "\n  ".join(f"{k}: {v}" for k, v in sorted(values.items())) + "\n"
    write(plain_tracker / STATUS, text)
    line = line_of(plain_tracker / STATUS, f"{field}: ")
    result = run_cli(*command, "--data", str(plain_tracker))
    # validate finds the problem (1); reading commands leave the broken file out, say so and keep their
    # own exit code (check: 1, overdue work in the shipped plan).
    assert result.exit_code == READING_EXIT.get(command[0], 1)
    if command[0] != "validate":
        assert result.stderr.startswith("Cảnh báo: đã bỏ qua 1 tệp trạng thái có lỗi")
    assert f"tracker/{STATUS}:{line}:" in result.stdout + result.stderr
    assert f"{message} [{field}]" in result.stdout + result.stderr


def test_aliases_are_reported_once_a_file(plain_tracker: Path) -> None:
    records = "".join(f"- period: *p\n  status: dang-thuc-hien\n  task: '{n}'\n  unit: so-tu-phap\n"
                      for n in range(1, 17))
    write(plain_tracker / STATUS, "x: &p 2026\nrecords:\n" + records)
    result = run_cli("check", "--as-of", AS_OF, "--data", str(plain_tracker))
    assert result.exit_code == 1  # check goes on without the file (and finds the plan's overdue work)
    assert result.stderr.count("bí danh") == 1
    assert ("tracker/data/status/2026/so-tu-phap.yaml:3:3: không dùng bí danh YAML (alias/anchor); hãy viết đầy "
            "đủ giá trị (dòng này và 15 chỗ khác trong tệp)") in result.stderr


# --- the property: no type confusion ends in an internal error ------------------------------------------------

WRONG_VALUES = ["[x]", "{a: 1}", "''", "' '", "0", "-1", "1.5", "true", "null", "2026-01-01", "9999-12-31",
                "0001-01-01", "[]", "{}", "[[1]]", "'2026-H3'", "\"\\e[31m\"", "'=1+1'", "x" * 300]


def _value_lines(text: str) -> list[int]:
    """Lines holding `key: value` (a value to replace) in a YAML file."""
    return [i for i, line in enumerate(text.splitlines()) if ": " in line and not line.lstrip().startswith("#")]


@pytest.fixture(scope="module")
def shipped_texts() -> dict[str, str]:
    return {name: (SHIPPED_DATA / name).read_text(encoding="utf-8") for name in ("plan.yaml", "units.yaml")}


STATUS_TEXT = ("records:\n"
               "- evidence: Báo cáo 1\n  period: 2026-H2\n  recorded_on: 2026-07-01\n  status: dang-thuc-hien\n"
               "  task: '17'\n  unit: so-tu-phap\n"
               "- done_on: 2026-06-01\n  period: '2026'\n  status: hoan-thanh\n  task: '1'\n  unit: so-tu-phap\n")


# KEHOACH_FUZZ_RUNS raises the count for a long run (the default keeps CI fast).
@settings(max_examples=max(40, int(os.environ.get("KEHOACH_FUZZ_RUNS", "0")) // 5), deadline=None)
@given(data=st.data())
def test_no_type_confusion_is_an_internal_error(tmp_path_factory: pytest.TempPathFactory,
                                                shipped_texts: dict[str, str], data: st.DataObject) -> None:
    root = tmp_path_factory.mktemp("nham-kieu")
    (root / "data" / "status" / "2026").mkdir(parents=True)
    texts = {**shipped_texts, "status/2026/so-tu-phap.yaml": STATUS_TEXT}
    name = data.draw(st.sampled_from(sorted(texts)), "file")
    lines = texts[name].splitlines()
    for _ in range(data.draw(st.integers(1, 3), "changes")):
        index = data.draw(st.sampled_from(_value_lines("\n".join(lines))), "line")
        key = lines[index].split(": ", 1)[0]
        lines[index] = f"{key}: {data.draw(st.sampled_from(WRONG_VALUES), 'value')}"
    texts[name] = "\n".join(lines) + "\n"
    for relative, text in texts.items():
        (root / "data" / relative).write_text(text, encoding="utf-8")
    command = data.draw(st.sampled_from(COMMANDS[:4] + [("record", "17", "STP", "-s", "doing", "-p", "2026-H2",
                                                         "--as-of", AS_OF, "--no-commit")]), "command")
    result = run_cli(*command, "--data", str(root))
    assert result.exit_code in (0, 1, 2), result.stderr
    assert "Lỗi nội bộ" not in result.stderr
    shutil.rmtree(root)
