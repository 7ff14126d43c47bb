"""data/office.yaml: read and checked like every data file; each bad value located by file, line and field;
the letterhead's one rule (office.yaml, else an old plan.yaml's report: block)."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from kehoach.store.office import letterhead, load_office, read_office
from kehoach.store.tracker import open_tracker
from support.cli import run_cli


def replace(path: Path, old: str, new: str) -> None:
    text = path.read_text(encoding="utf-8")
    assert old in text
    path.write_text(text.replace(old, new, 1), encoding="utf-8")


def problems(root: Path) -> list[tuple[str, int, str, str]]:
    result = run_cli("validate", "--data", str(root), "--format", "json")
    return [(p["path"].rsplit("/", 1)[1], p["line"], p["field"], p["message"]) for p in json.loads(result.stdout)]


def test_the_shipped_office_reads_whole(plain_tracker: Path) -> None:
    office = load_office(plain_tracker / "data")
    assert (office.parent_agency, office.agency, office.agency_name, office.agency_short, office.place) == (
        "UBND TỈNH THANH HÓA", "SỞ TƯ PHÁP", "Sở Tư pháp", "STP", "Thanh Hóa")
    assert office.signer.authority == "KT. GIÁM ĐỐC" and office.letter_symbol == "STP-VP"
    assert office.report_recipients[0] == "Chủ tịch UBND tỉnh (để báo cáo)" and office.archive == "VT, VP"
    assert problems(plain_tracker) == []


@pytest.mark.parametrize(("old", "new", "line", "field", "says"), [
    ("agency: SỞ TƯ PHÁP\n", "agency: Sở Tư pháp\n", 4, "agency",
     "phải viết hoa toàn bộ như trên văn bản: 'SỞ TƯ PHÁP'"),
    ("agency_short: STP\n", "agency_short: S TP\n", 6, "agency_short", "chỉ gồm chữ in hoa và số"),
    ("drafting_unit: VP\n", "drafting_unit: vp\n", 7, "drafting_unit", "chỉ gồm chữ in hoa và số"),
    ("place: Thanh Hóa\n", "place: ''\n", 8, "place", "đang để trống"),
    ("  authority: KT. GIÁM ĐỐC\n", "  authority: KT GIÁM ĐỐC\n", 11, "signer.authority", "TM., KT., TL."),
    ("  title: PHÓ GIÁM ĐỐC\n", "  title: Phó Giám đốc\n", 12, "signer.title", "phải viết hoa toàn bộ"),
    ("  name: Nguyễn Văn A\n", "", 11, "name", "thiếu trường bắt buộc 'name'"),
    ("archive: VT, VP\n", "archive: VT, VP\nseal: có\n", 22, "seal", "trường không được biết đến 'seal'"),
    ("- Sở Nội vụ\n", "- 12\n", 17, "report_recipients", "phải là chuỗi"),
    ("letter_recipients:\n- Giám đốc Sở (để báo cáo)\n", "letter_recipients: []\n", 19, "letter_recipients",
     "ít nhất một nơi nhận"),
    ("report_to: Chủ tịch UBND tỉnh\n", "report_to: Chủ tịch UBND tỉnh\x1b[31m\n", 9, "", "lỗi cú pháp YAML"),
])
def test_a_bad_value_is_located(plain_tracker: Path, old: str, new: str, line: int, field: str, says: str) -> None:
    office = plain_tracker / "data" / "office.yaml"
    replace(office, old, new)
    found = problems(plain_tracker)
    assert len(found) == 1, found
    name, at, named, message = found[0]
    assert (name, at, named) == ("office.yaml", line, field)
    assert says in message
    result = run_cli("report", "--as-of", "2026-07-05", "--data", str(plain_tracker), "-o",
                     str(plain_tracker / "b.docx"))
    assert result.exit_code == 2 and f"office.yaml:{line}:" in result.stderr
    assert not (plain_tracker / "b.docx").exists()


def test_a_list_where_a_mapping_belongs(plain_tracker: Path) -> None:
    (plain_tracker / "data" / "office.yaml").write_text("- SỞ TƯ PHÁP\n", encoding="utf-8")
    assert [(p[0], p[1]) for p in problems(plain_tracker)] == [("office.yaml", 1)]


def test_letterhead_comes_from_office_yaml_and_else_from_an_old_plan(plain_tracker: Path) -> None:
    data = plain_tracker / "data"
    replace(data / "office.yaml", "place: Thanh Hóa\n", "place: Sầm Sơn\n")
    plan = open_tracker(data).plan
    assert plan.report is None
    assert letterhead(data, plan).place == "Sầm Sơn"
    (data / "office.yaml").unlink()
    assert read_office(data) == (None, [])
    with pytest.raises(Exception, match="office.yaml"):
        letterhead(data, plan)
    # A tracker made before office.yaml: its plan.yaml still carries the report: block.
    replace(data / "plan.yaml", "cadences:\n", "report:\n  parent_agency: UBND TỈNH THANH HÓA\n  agency: SỞ TƯ PHÁP\n"
                                               "  agency_short: STP\n  place: Thanh Hóa\ncadences:\n")
    old = open_tracker(data).plan
    assert letterhead(data, old).agency == "SỞ TƯ PHÁP"
    assert problems(plain_tracker) == []
    out = plain_tracker / "b.xlsx"
    result = run_cli("report", "--as-of", "2026-07-05", "--data", str(plain_tracker), "-o", str(out))
    assert result.exit_code == 0, result.stderr
