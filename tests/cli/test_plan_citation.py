"""The plan's number, issue date and subject in plan.yaml: read, checked, and cited as officials do in
every report heading."""

from __future__ import annotations

import json
from pathlib import Path

import openpyxl
import pytest

from support.cli import run_cli
from support.files import file_snapshot

SUBJECT = ("triển khai thực hiện Chỉ thị số 13/CT-TTg ngày 10/6/2015 của Thủ tướng Chính phủ về việc tăng cường "
           "trách nhiệm của người đứng đầu cơ quan hành chính nhà nước các cấp trong công tác cải cách thủ tục "
           "hành chính")


def edit(path: Path, old: str, new: str) -> None:
    text = path.read_text(encoding="utf-8")
    assert old in text, f"{old!r} not in {path.name}"
    path.write_text(text.replace(old, new, 1), encoding="utf-8")


def numbered(tracker: Path) -> None:
    edit(tracker / "data" / "plan.yaml", "number: null\nissued_on: null\n",
         "number: 24/KH-UBND\nissued_on: 2015-08-05\n")


def report_json(tracker: Path) -> dict:
    result = run_cli("report", "--data", str(tracker), "--period", "2026", "--as-of", "2026-11-27",
                     "--format", "json")
    assert result.exit_code == 0, result.stderr
    return json.loads(result.stdout)


def test_a_plan_with_its_number_is_cited_as_officials_do(plain_tracker: Path, tmp_path: Path) -> None:
    numbered(plain_tracker)
    cited = f"Kế hoạch số 24/KH-UBND ngày 05/08/2015 của Chủ tịch UBND tỉnh Thanh Hóa về {SUBJECT}"
    assert report_json(plain_tracker)["plan_citation"] == cited
    plain = run_cli("report", "--data", str(plain_tracker), "--period", "2026", "--as-of", "2026-11-27",
                    "--format", "plain").stdout
    assert plain.splitlines()[0] == (f"Báo cáo tình hình thực hiện {cited} — kỳ 2026 — tính đến 27/11/2026 — "
                                     "Toàn tỉnh")
    out = tmp_path / "r.xlsx"
    assert run_cli("report", "--data", str(plain_tracker), "--period", "2026", "--as-of", "2026-11-27",
                   "-o", str(out)).exit_code == 0
    cells = [c for row in openpyxl.load_workbook(out).worksheets[0].iter_rows(max_row=12, values_only=True)
             for c in row if c]
    assert f"Tình hình thực hiện {cited}" in cells
    assert not any("CHỈ THỊ SỐ" in str(c) or "TTG" in str(c) for c in cells)


def test_the_shipped_plan_without_number_is_cited_without_guessing_one(plain_tracker: Path) -> None:
    assert report_json(plain_tracker)["plan_citation"] == f"Kế hoạch của Chủ tịch UBND tỉnh Thanh Hóa về {SUBJECT}"


@pytest.mark.parametrize(("old", "new", "message"), [
    ("number: null", "number: 24 / KH-UBND",
     "số hiệu kế hoạch '24 / KH-UBND' phải viết liền như 24/KH-UBND (số/loại văn bản-cơ quan ban hành) [number]"),
    ("issued_on: null", "issued_on: 5/8/2015", "trường 'issued_on' phải là ngày (YYYY-MM-DD), đang là '5/8/2015' "
                                               "[issued_on]"),
    ("issued_on: null", "issued_on: 2026-03-01",
     "ngày ban hành 01/03/2026 ở sau ngày bắt đầu theo dõi 01/01/2026 [issued_on]"),
    ("subject: triển khai", "subject: về triển khai",
     "trường 'subject' bắt đầu sau chữ «về» (lời trích dẫn tự thêm «về») [subject]"),
    (f"subject: {SUBJECT}", f"subject: {SUBJECT.upper()}",
     "trường 'subject' viết như trong câu văn (chữ thường, viết hoa tên riêng và số hiệu), không viết hoa toàn "
     "bộ [subject]"),
])
def test_a_wrong_citation_field_is_named_with_its_line(plain_tracker: Path, old: str, new: str,
                                                       message: str) -> None:
    plan = plain_tracker / "data" / "plan.yaml"
    edit(plan, old, new)
    line = next(n for n, text in enumerate(plan.read_text(encoding="utf-8").splitlines(), 1) if new in text)
    before = file_snapshot(plain_tracker)
    result = run_cli("validate", "--data", str(plain_tracker))
    assert result.exit_code == 1
    assert result.stdout.splitlines() == [f"tracker/data/plan.yaml:{line}:1: {message}"]
    assert file_snapshot(plain_tracker) == before
