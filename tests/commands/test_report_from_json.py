"""`kehoach report --from-json`: report documents made on other machines, merged into one report whose
numbers equal `report --data` over the same trackers (real trackers, the real CLI)."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from kehoach.store.layout import display_path
from support.cli import run_cli
from support.files import file_snapshot
from support.trackers import copy_tracker
from support.trackers import provinces_template as make_provinces

AS_OF = "2026-11-27"
PROVINCES = ("thanh-hoa", "nghe-an", "ha-tinh")
RECORDED = {
    "thanh-hoa": [("1", "STP", "-s", "done", "--done-on", "10/6/2026", "--period", "2026"),
                  ("3", "STP", "-s", "dang-thuc-hien", "--period", "2026", "--evidence", "CV 12/STP")],
    "nghe-an": [("2", "STP", "-s", "n/a", "--period", "2026", "--note", "Không thuộc chức năng"),
                ("1", "Sở Nội vụ", "-s", "done", "--done-on", "20/11/2026", "--period", "2026")],
    "ha-tinh": [("17", "STP", "-s", "done", "--done-on", "2/3/2026", "--period", "2026-H1")],
}


@pytest.fixture(scope="module")
def provinces_template(tmp_path_factory: pytest.TempPathFactory, tracker_template: Path) -> Path:
    return make_provinces(tmp_path_factory.mktemp("mau") / "cac-tinh", tracker_template, RECORDED, AS_OF)


@pytest.fixture
def provinces(tmp_path: Path, provinces_template: Path) -> Path:
    return copy_tracker(provinces_template, tmp_path / "cac-tinh")


def documents(folder: Path, out: Path, *extra: str) -> list[str]:
    """Each province's scheduled report: `report --format json` where its clone is, named after it."""
    out.mkdir(exist_ok=True)
    made = []
    for name in PROVINCES:
        target = out / f"{name}.json"
        result = run_cli("report", "--data", str(folder / name), "--as-of", AS_OF, "-o", str(target), *extra)
        assert result.exit_code == 0, result.stderr
        made.append(str(target))
    return made


def over_data(folder: Path, *extra: str) -> str:
    args = [a for name in PROVINCES for a in ("--data", str(folder / name))]
    result = run_cli("report", *args, "--as-of", AS_OF, *extra)
    assert result.exit_code == 0, result.stderr
    return result.stdout


@pytest.mark.parametrize("fmt", ["json", "plain", "csv", "markdown"])
def test_merged_documents_equal_the_report_over_the_trackers(provinces: Path, tmp_path: Path, fmt: str) -> None:
    files = documents(provinces, tmp_path / "json")
    merged = run_cli("report", "--from-json", *files, "--format", fmt)
    assert merged.exit_code == 0, merged.stderr
    assert merged.stdout == over_data(provinces, "--format", fmt)


def test_merged_numbers(provinces: Path, tmp_path: Path) -> None:
    merged = json.loads(run_cli("report", "--from-json", *documents(provinces, tmp_path / "json"),
                                "--format", "json").stdout)
    one = json.loads(run_cli("report", "--data", str(provinces / "nghe-an"), "--as-of", AS_OF,
                             "--format", "json").stdout)
    assert [row["key"] for row in merged["by_source"]] == list(PROVINCES)
    assert merged["totals"]["slots"] == 3 * one["totals"]["slots"]
    assert merged["totals"]["hoan-thanh-dung-han"] == 3  # STP 1 and 17, Nội vụ 1: one each province
    assert merged["totals"]["khong-ap-dung"] == 1
    assert merged["scope"] == {"kind": "all", "id": "nhieu-bo-theo-doi", "name": "3 bộ theo dõi"}
    assert [r["source"] for r in merged["slots"][:1]] == ["thanh-hoa"]
    assert len(merged["slots"]) == merged["totals"]["slots"]


def test_group_scope_and_output_file(provinces: Path, tmp_path: Path) -> None:
    files = documents(provinces, tmp_path / "json", "--group", "cac-so")
    target = tmp_path / "bo" / "tong-hop.json"
    target.parent.mkdir()
    merged = run_cli("report", "--from-json", *files, "-o", str(target))
    assert merged.exit_code == 0, merged.stderr
    assert merged.stderr == f"Đã ghi báo cáo: {display_path(target)}\n"
    assert target.read_text(encoding="utf-8") == over_data(provinces, "--group", "cac-so", "--format", "json")


def test_documents_of_the_same_name_are_told_apart(provinces: Path, tmp_path: Path) -> None:
    a, b = tmp_path / "a" / "tinh.json", tmp_path / "b" / "tinh.json"
    for path, name in ((a, "thanh-hoa"), (b, "nghe-an")):
        path.parent.mkdir()
        assert run_cli("report", "--data", str(provinces / name), "--as-of", AS_OF, "-o", str(path)).exit_code == 0
    merged = json.loads(run_cli("report", "--from-json", str(a), str(b), "--format", "json").stdout)
    names = [display_path(a.with_suffix("")), display_path(b.with_suffix(""))]
    assert [row["key"] for row in merged["by_source"]] == names


def _refused(tmp_path: Path, *args: str) -> str:
    before = file_snapshot(tmp_path)
    result = run_cli("report", *args)
    assert result.exit_code == 2, result.stdout
    assert result.stdout == ""
    assert file_snapshot(tmp_path) == before
    return result.stderr


def test_bad_documents_refused_with_file_and_field(provinces: Path, tmp_path: Path) -> None:
    first, second, _ = documents(provinces, tmp_path / "json")
    out = str(tmp_path / "ra.json")
    assert _refused(tmp_path, "--from-json", first, "khong-co.json", "-o", out) == (
        "Lỗi: khong-co.json: không tìm thấy tệp\n")
    broken = tmp_path / "hong.json"
    broken.write_text('{"plan": "ct13",\n  "totals": }\n', encoding="utf-8")
    assert _refused(tmp_path, "--from-json", first, str(broken), "-o", out) == (
        f"Lỗi: {display_path(broken)}, dòng 2, cột 13: không phải JSON hợp lệ; hãy dùng tệp do kehoach "
        "report --format json lập ra\n")
    doc = json.loads(Path(second).read_text(encoding="utf-8"))
    doc["by_unit"][3]["hoan-thanh-dung-han"] = "ba"
    wrong = tmp_path / "sai.json"
    wrong.write_text(json.dumps(doc, ensure_ascii=False), encoding="utf-8")
    assert _refused(tmp_path, "--from-json", first, str(wrong), "-o", out) == (
        f"Lỗi: {display_path(wrong)}: trường 'by_unit[3].hoan-thanh-dung-han': giá trị không đúng kiểu "
        "(\"ba\"); hãy dùng tệp do kehoach report --format json lập ra\n")
    doc = json.loads(Path(second).read_text(encoding="utf-8"))
    doc["overdue"][1]["deadline"] = "hôm qua"
    del doc["overdue"][2]["note"]  # an optional field left out is as good as null
    wrong.write_text(json.dumps(doc, ensure_ascii=False), encoding="utf-8")
    assert _refused(tmp_path, "--from-json", first, str(wrong), "-o", out) == (
        f"Lỗi: {display_path(wrong)}: trường 'overdue[1].deadline': 'hôm qua' không phải ngày YYYY-MM-DD; hãy "
        "dùng tệp do kehoach report --format json lập ra\n")
    later = tmp_path / "ngay-khac.json"
    assert run_cli("report", "--data", str(provinces / "ha-tinh"), "--as-of", "2026-11-28", "-o",
                   str(later)).exit_code == 0
    assert _refused(tmp_path, "--from-json", first, str(later), "-o", out) == (
        f"Lỗi: {display_path(later)}: tính đến ngày 2026-11-28, khác ngày 2026-11-27 của "
        f"{display_path(Path(first))}; chỉ gộp các báo cáo cùng ngày tính (--as-of)\n")
    both = tmp_path / "chung.json"
    assert run_cli("report", "--from-json", first, second, "-o", str(both)).exit_code == 0
    assert _refused(tmp_path, "--from-json", first, str(both), "-o", out) == (
        f"Lỗi: {display_path(both)}: đây là báo cáo chung của nhiều bộ theo dõi; hãy gộp các tệp của từng "
        "bộ theo dõi\n")


def test_options_that_do_not_go_with_from_json(provinces: Path, tmp_path: Path) -> None:
    first = documents(provinces, tmp_path / "json")[0]
    assert _refused(tmp_path, first) == (
        f"Lỗi: tệp '{first}': lệnh report chỉ nhận tệp khi gộp báo cáo JSON; thêm --from-json\n")
    assert _refused(tmp_path, "--from-json", first, "--as-of", AS_OF) == (
        "Lỗi: --from-json gộp các báo cáo đã lập sẵn: không dùng cùng --period, --as-of, --unit, --group, "
        "--each-unit, --data (kỳ và ngày tính là của các tệp)\n")
    assert _refused(tmp_path, "--from-json", first, "-o", str(tmp_path / "x.xlsx")) == (
        "Lỗi: --from-json chưa ghi ra Excel; hãy dùng --format json, csv, markdown hoặc plain (hoặc -o TỆP.json)\n")
    assert _refused(tmp_path, "--from-json") == (
        "Lỗi: --from-json cần ít nhất một tệp báo cáo JSON, ví dụ: kehoach report --from-json thanh-hoa.json "
        "nghe-an.json\n")


@pytest.mark.parametrize("fmt", ["json", "plain"])
def test_one_unit_over_the_documents(provinces: Path, tmp_path: Path, fmt: str) -> None:
    files = documents(provinces, tmp_path / "json", "--unit", "STP")
    merged = run_cli("report", "--from-json", *files, "--format", fmt)
    assert merged.exit_code == 0, merged.stderr
    assert merged.stdout == over_data(provinces, "--unit", "STP", "--format", fmt)
