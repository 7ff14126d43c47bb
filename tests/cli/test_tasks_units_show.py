"""`tasks`, `units`, `show` through the real entry point."""

from __future__ import annotations

import csv
import io
import json
from pathlib import Path

from support.cli import run_cli


def test_tasks_json_lists_all_21_with_next_deadlines(plain_tracker: Path):
    result = run_cli("tasks", "--data", str(plain_tracker), "--as-of", "2026-11-27", "--format", "json")
    assert result.exit_code == 0
    rows = json.loads(result.stdout)
    assert [r["id"] for r in rows] == [str(i) for i in range(1, 18)] + ["III.1", "III.2", "III.3", "III.4"]
    by_id = {r["id"]: r for r in rows}
    assert (by_id["17"]["next_period"], by_id["17"]["next_deadline"]) == ("2026-H2", "2026-12-14")
    assert (by_id["1"]["cadence_label"], by_id["1"]["next_deadline"]) == ("Hằng năm", "2026-12-14")
    assert by_id["6"]["condition"] == "ngay sau khi Bộ Tư pháp có văn bản hướng dẫn thực hiện"


def test_tasks_of_one_unit(plain_tracker: Path):
    result = run_cli("tasks", "--data", str(plain_tracker), "--unit", "so tu phap", "--as-of", "2026-11-27",
                     "--format", "csv")
    assert result.exit_code == 0
    assert result.stdout.startswith("\ufeff")  # the byte order mark Excel on Windows needs
    rows = list(csv.reader(io.StringIO(result.stdout.removeprefix("\ufeff"))))
    assert rows[0] == ["STT", "Nhiệm vụ", "Chu kỳ", "Kỳ tới", "Hạn tới"]
    ids = [r[0] for r in rows[1:]]
    assert "17" in ids and "III.3" in ids and "III.2" not in ids
    assert rows[ids.index("17") + 1][2:] == ["Định kỳ 6 tháng", "2026-H2", "14/12/2026"]


def test_commune_has_no_task_4(plain_tracker: Path):
    result = run_cli("tasks", "--data", str(plain_tracker), "--unit", "ubnd-xa-nga-son", "--as-of", "2026-11-27",
                     "--format", "json")
    ids = [r["id"] for r in json.loads(result.stdout)]
    assert ids == ["1", "2", "3", "5", "8", "9", "10", "11", "12", "13", "14"]


def test_units_on_a_date(plain_tracker: Path):
    args = ("units", "--data", str(plain_tracker), "--format", "json", "--group")
    in_2026 = json.loads(run_cli(*args, "ubnd-cap-xa", "--as-of", "2026-11-27").stdout)
    in_2024 = json.loads(run_cli(*args, "ubnd-cap-huyen", "--as-of", "2024-06-01").stdout)
    none_2026 = json.loads(run_cli(*args, "ubnd-cap-huyen", "--as-of", "2026-11-27").stdout)
    assert len(in_2026) == 166 and len(in_2024) == 27 and none_2026 == []
    assert all(set(r) >= {"id", "name", "short", "level", "groups", "from", "until", "code"} for r in in_2026)


def test_units_search_all_includes_ended_units(plain_tracker: Path):
    result = run_cli("units", "--data", str(plain_tracker), "--search", "nga son", "--all", "--format", "plain",
                     "--as-of", "2026-11-27")
    assert result.exit_code == 0
    lines = result.stdout.splitlines()
    assert lines[0] == "Đơn vị — tính đến 27/11/2026 (2)"
    assert [line.split()[0] for line in lines[4:]] == ["ubnd-huyen-nga-son", "ubnd-xa-nga-son"]


def test_markdown_format(plain_tracker: Path):
    result = run_cli("units", "--data", str(plain_tracker), "--search", "STP", "--format", "markdown",
                     "--as-of", "2026-11-27")
    assert result.stdout == (
        "## Đơn vị — tính đến 27/11/2026 (1)\n\n"
        "| Mã         | Tên đơn vị   | Viết tắt   | Cấp   | Nhóm   |\n"
        "|:-----------|:-------------|:-----------|:------|:-------|\n"
        "| so-tu-phap | Sở Tư pháp   | STP, Sở TP | Tỉnh  | Các sở |\n")


def test_show_resolves_units_on_the_date(plain_tracker: Path):
    result = run_cli("show", "6", "--data", str(plain_tracker), "--as-of", "2026-11-27", "--format", "json")
    assert result.exit_code == 0
    detail = json.loads(result.stdout)
    assert detail["id"] == "6"
    assert "so-khoa-hoc-va-cong-nghe" in detail["units"]
    assert "so-thong-tin-va-truyen-thong" not in detail["units"]
    assert len(detail["units"]) == 15
    first = detail["who"][0]
    assert (first["phrase"], first["refs"], first["units"]) == (
        "Sở Thông tin và Truyền thông", ["so-thong-tin-va-truyen-thong"], ["so-khoa-hoc-va-cong-nghe"])
    old = json.loads(run_cli("show", "6", "--data", str(plain_tracker), "--as-of", "2024-06-01",
                             "--format", "json").stdout)
    assert "so-thong-tin-va-truyen-thong" in old["units"]


def test_show_text(plain_tracker: Path):
    result = run_cli("show", "17", "--data", str(plain_tracker), "--as-of", "2026-11-27")
    assert result.exit_code == 0
    assert result.stdout.splitlines()[0] == "Nhiệm vụ 17 (mục II)"
    assert "Hạn theo kỳ: 6 tháng đầu năm: 14/06, 6 tháng cuối năm: 14/12" in result.stdout
    assert "  - Sở Tư pháp [Thực hiện]: Sở Tư pháp" in result.stdout


def test_unknown_task_exit_2(plain_tracker: Path):
    result = run_cli("show", "99", "--data", str(plain_tracker))
    assert result.exit_code == 2
    assert result.stderr.startswith("Lỗi: không có nhiệm vụ '99' trong kế hoạch; các nhiệm vụ: 1, 2, 3")


def test_unknown_group_exit_2(plain_tracker: Path):
    result = run_cli("units", "--data", str(plain_tracker), "--group", "các bộ")
    assert result.exit_code == 2
    assert "không tìm thấy nhóm 'các bộ'" in result.stderr
