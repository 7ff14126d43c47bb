"""`kehoach validate`: every bad input reported with file, line and field; exit codes; never writes."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from support.cli import run_cli
from support.files import file_snapshot, write


def edit(path: Path, old: str, new: str, count: int = 1) -> None:
    text = path.read_text(encoding="utf-8")
    assert old in text, f"{old!r} not in {path.name}"
    path.write_text(text.replace(old, new, count), encoding="utf-8")


def line_of(path: Path, needle: str) -> int:
    for number, line in enumerate(path.read_text(encoding="utf-8").splitlines(), start=1):
        if needle in line:
            return number
    raise AssertionError(needle)


def validate(root: Path, *extra: str):
    return run_cli("validate", "--data", str(root), *extra)


def test_shipped_data_is_clean(plain_tracker: Path):
    result = validate(plain_tracker)
    assert result.exit_code == 0
    assert result.stdout == ""
    assert "Dữ liệu hợp lệ" in result.stderr


def test_clean_json_is_an_empty_list(plain_tracker: Path):
    result = validate(plain_tracker, "--format", "json")
    assert (result.exit_code, json.loads(result.stdout)) == (0, [])


def test_every_problem_in_one_run_sorted_with_positions(plain_tracker: Path):
    plan = plain_tracker / "data" / "plan.yaml"
    units = plain_tracker / "data" / "units.yaml"
    edit(plan, "    - so-tu-phap\n", "    - so-tu-phapp\n")
    edit(plan, "  cadence: hang-nam\n", "  cadence: 5\n")
    edit(plan, "tracking_start: 2026-01-01", "tracking_start: ngay mai")
    edit(units, "  name: Sở Nội vụ\n", "  name: So\u031b\u0309 Nội vụ\n")
    before = file_snapshot(plain_tracker)
    result = validate(plain_tracker)
    ref_line = line_of(plan, "so-tu-phapp") - 1
    cadence_line = line_of(plan, "cadence: 5")
    nfd_line = line_of(units, "So\u031b\u0309 Nội vụ")
    assert result.exit_code == 1
    assert result.stdout.splitlines() == [
        "tracker/data/plan.yaml:37:1: trường 'tracking_start' phải là ngày (YYYY-MM-DD), đang là 'ngay mai' "
        "[tracking_start]",
        f"tracker/data/plan.yaml:{cadence_line}:3: trường 'cadence' phải là chuỗi, đang là 5 [cadence]",
        f"tracker/data/plan.yaml:{ref_line}:5: cụm từ 'Sở Tư pháp' trỏ tới đơn vị hoặc nhóm không tồn tại "
        "'so-tu-phapp' [refs]",
        f"tracker/data/units.yaml:{nfd_line}:3: văn bản không ở dạng chuẩn NFC (dấu tiếng Việt tổ hợp) [name]",
    ]
    assert "Có 4 lỗi" in result.stderr
    assert file_snapshot(plain_tracker) == before


def test_json_lists_the_same_problems(plain_tracker: Path):
    edit(plain_tracker / "data" / "units.yaml", "  id: so-tu-phap\n", "  id: so-tu-phap\n  id: so-tu-phap\n")
    result = validate(plain_tracker, "--format", "json")
    assert result.exit_code == 1
    [problem] = json.loads(result.stdout)
    assert problem["path"] == "tracker/data/units.yaml"
    assert problem["field"] == "id"
    assert problem["message"].startswith("khóa 'id' lặp lại (đã có ở dòng ")


@pytest.mark.parametrize(
    ("file", "old", "new", "message"),
    [
        ("units.yaml", "  id: so-noi-vu\n", "  id: so-tu-phap\n", "mã đơn vị 'so-tu-phap' trùng (đã có ở dòng"),
        ("units.yaml", "  - cac-so\n", "  - cac-so-xyz\n", "nhóm không tồn tại 'cac-so-xyz'"),
        ("units.yaml", "  level: tinh\n", "  level: tinh-thanh\n", "cấp 'tinh-thanh' không hợp lệ"),
        ("units.yaml", "  until: 2025-02-28\n", "  until: 28/02/2025\n", "trường 'until' phải là ngày (YYYY-MM-DD)"),
        ("plan.yaml", "- id: '2'\n", "- id: '1'\n", "mã nhiệm vụ '1' trùng (đã có ở dòng"),
        ("plan.yaml", "  cadence: hang-nam\n", "  cadence: hang-thang\n", "chu kỳ không tồn tại 'hang-thang'"),
        ("plan.yaml", "    role: thuc-hien\n", "    role: lam\n", "vai trò 'lam' không hợp lệ"),
        ("plan.yaml", "  - phrase: Giám đốc các sở\n", "  - phrase: Giám đốc các bộ\n",
         "cụm từ 'Giám đốc các bộ' không có trong trách nhiệm thực hiện"),
        ("plan.yaml", "    due: '12-14'\n", "    due: '13-40'\n", "'due' phải có dạng 'MM-DD'"),
        ("plan.yaml", "  section: II\n", "  section: II\n  owner: ai\n", "trường không được biết đến 'owner'"),
        ("plan.yaml", "issuer: Chủ tịch UBND tỉnh Thanh Hóa\n", "", "thiếu trường bắt buộc 'issuer'"),
        ("plan.yaml", "id: ct13-thanh-hoa\n", "id: &a ct13-thanh-hoa\nx: *a\n",
         "không dùng bí danh YAML (alias/anchor)"),
        ("plan.yaml", "id: ct13-thanh-hoa\n", "id: !!python/object ct13\n", "không chấp nhận thẻ YAML"),
        ("plan.yaml", "tasks:\n", "tasks: [\n", "lỗi cú pháp YAML"),
    ],
)
def test_each_bad_input_is_named(plain_tracker: Path, file: str, old: str, new: str, message: str):
    path = plain_tracker / "data" / file
    edit(path, old, new)
    result = validate(plain_tracker)
    assert result.exit_code == 1, result.stdout + result.stderr
    assert any(line.startswith(f"tracker/data/{file}:") and message in line for line in result.stdout.splitlines()), \
        result.stdout
    assert "Traceback" not in result.stderr


def test_missing_file_is_named(plain_tracker: Path):
    (plain_tracker / "data" / "units.yaml").unlink()
    result = validate(plain_tracker)
    assert result.exit_code == 1
    assert "tracker/data/units.yaml: không tìm thấy tệp" in result.stdout


def test_not_utf8_is_named(plain_tracker: Path):
    (plain_tracker / "data" / "units.yaml").write_bytes("note: Sở\n".encode("cp1258", errors="replace") + b"\xff\n")
    result = validate(plain_tracker)
    assert result.exit_code == 1
    assert "tracker/data/units.yaml:2:1: tệp không phải UTF-8" in result.stdout


def test_conflict_markers_in_a_data_file(plain_tracker: Path):
    units = plain_tracker / "data" / "units.yaml"
    edit(units, "  id: so-noi-vu\n", "<<<<<<< HEAD\n  id: so-noi-vu\n=======\n  id: so-noi-vu-2\n>>>>>>> b\n")
    result = validate(plain_tracker)
    assert result.exit_code == 1
    assert [line.split(": ", 1)[1] for line in result.stdout.splitlines()] == [
        "còn dấu xung đột git (<<<<<<< / ======= / >>>>>>>); hãy giải quyết xung đột"] * 3


def test_broken_status_file_is_found(plain_tracker: Path):
    write(plain_tracker / "data" / "status" / "2026" / "so-tu-phap.yaml",
          "records:\n- task: '17'\n  unit: so-tu-phap\n  period: 2026-H1\n  status: xong\n")
    result = validate(plain_tracker)
    assert result.exit_code == 1
    assert result.stdout == ("tracker/data/status/2026/so-tu-phap.yaml:5:3: trạng thái 'xong' không hợp lệ; dùng một "
                             "trong: chua-thuc-hien, dang-thuc-hien, hoan-thanh, khong-ap-dung [status]\n")


def test_records_pointing_nowhere_are_found(plain_tracker: Path):
    write(plain_tracker / "data" / "status" / "2026" / "so-tu-phap.yaml",
          "records:\n- period: 2026-H1\n  status: dang-thuc-hien\n  task: '99'\n  unit: so-tu-phap\n"
          "- period: 2026\n  status: dang-thuc-hien\n  task: '1'\n  unit: so-tu-phap\n"
          "- period: 2026\n  status: dang-thuc-hien\n  task: '1'\n  unit: so-tu-phap\n"
          "- period: 2026\n  status: dang-thuc-hien\n  task: '17'\n  unit: so-noi-vu\n")
    result = validate(plain_tracker)
    assert result.exit_code == 1
    assert result.stdout.splitlines() == [
        "tracker/data/status/2026/so-tu-phap.yaml:2:3: nhiệm vụ '99' không có trong kế hoạch [task]",
        "tracker/data/status/2026/so-tu-phap.yaml:10:3: bản ghi trùng cho nhiệm vụ 1, đơn vị so-tu-phap, kỳ 2026 "
        "(đã có ở tracker/data/status/2026/so-tu-phap.yaml:6)",
        "tracker/data/status/2026/so-tu-phap.yaml:14:3: kỳ 2026 không thuộc chu kỳ 'Định kỳ 6 tháng' của "
        "nhiệm vụ 17 (các kỳ: H1, H2) [period]",
    ]


def test_stored_records_break_the_same_rules_record_refuses(plain_tracker: Path):
    """The rules of `record` hold for a file edited by hand too; the message names the field to fix."""
    write(plain_tracker / "data" / "status" / "2026" / "so-tu-phap.yaml",
          "records:\n- period: 2026\n  status: hoan-thanh\n  task: '1'\n  unit: so-tu-phap\n"
          "- period: 2026\n  status: khong-ap-dung\n  task: '2'\n  unit: so-tu-phap\n"
          "- period: 2026\n  status: dang-thuc-hien\n  done_on: 2026-03-01\n  task: '3'\n  unit: so-tu-phap\n"
          "- period: 2026\n  status: hoan-thanh\n  done_on: 2026-03-01\n  recorded_on: 2026-02-01\n"
          "  task: '4'\n  unit: so-tu-phap\n")
    result = validate(plain_tracker)
    assert result.exit_code == 1
    assert result.stdout.splitlines() == [
        "tracker/data/status/2026/so-tu-phap.yaml:2:3: trạng thái hoàn thành cần ngày hoàn thành "
        "(trường 'done_on') [done_on]",
        "tracker/data/status/2026/so-tu-phap.yaml:6:3: trạng thái không áp dụng cần ghi lý do (trường 'note') [note]",
        "tracker/data/status/2026/so-tu-phap.yaml:10:3: chỉ trạng thái hoàn thành mới có ngày hoàn thành "
        "(trường 'done_on') [done_on]",
        "tracker/data/status/2026/so-tu-phap.yaml:15:3: ngày hoàn thành 01/03/2026 ở sau ngày ghi nhận 01/02/2026 "
        "[done_on]",
    ]


def test_no_data_found_is_a_clear_error(tmp_path: Path):
    result = run_cli("validate")
    assert result.exit_code == 2
    assert "không tìm thấy dữ liệu kế hoạch (data/plan.yaml hay data/plans/)" in result.stderr
    assert "--data" in result.stderr and "KEHOACH_DATA" in result.stderr


def test_data_from_environment_variable(plain_tracker: Path, monkeypatch: pytest.MonkeyPatch):
    monkeypatch.setenv("KEHOACH_DATA", str(plain_tracker / "data"))
    assert run_cli("validate").exit_code == 0


def test_data_found_from_a_subfolder(plain_tracker: Path, monkeypatch: pytest.MonkeyPatch):
    (plain_tracker / "reports").mkdir()
    monkeypatch.chdir(plain_tracker / "reports")
    assert run_cli("validate").exit_code == 0


@pytest.mark.parametrize("command", [("tasks",), ("units",), ("show", "1"), ("check",), ("status",)])
def test_other_commands_refuse_broken_data_with_exit_2(plain_tracker: Path, command: tuple[str, ...]):
    edit(plain_tracker / "data" / "plan.yaml", "  cadence: hang-nam\n", "  cadence: 5\n")
    result = run_cli(*command, "--data", str(plain_tracker))
    assert result.exit_code == 2
    assert result.stderr.startswith("Lỗi: tracker/data/plan.yaml:")
    assert "trường 'cadence' phải là chuỗi, đang là 5 [cadence]" in result.stderr
    assert "Traceback" not in result.stderr
