"""`kehoach report` to the leaders' page end to end: where it goes, the same bytes twice, one page per unit
with an index, and a wrong -o refused before anything is written."""

from __future__ import annotations

from pathlib import Path

from support.cli import run_cli
from support.files import file_snapshot
from support.html_page import outside_references, parse_page
from support.report_sample import AS_OF


def report(tracker: Path, *args: str):  # type: ignore[no-untyped-def]
    return run_cli("report", "--as-of", AS_OF, "--data", str(tracker), *args)


def test_format_html_goes_to_the_reports_folder(recorded: Path) -> None:
    result = report(recorded, "--format", "html")
    assert result.exit_code == 0, result.stderr
    written = recorded / "reports" / "ct13-thanh-hoa_toan-tinh_2026_2026-12-20.html"
    assert written.is_file()
    assert "Đã ghi báo cáo: " in result.stderr and written.name in result.stderr
    assert parse_page(written).one("head").one("title").text.startswith("Báo cáo tình hình thực hiện")


def test_the_same_data_and_day_give_the_same_bytes(recorded: Path, tmp_path: Path) -> None:
    first, second = tmp_path / "a.html", tmp_path / "b.html"
    assert report(recorded, "-o", str(first)).exit_code == 0
    assert report(recorded, "-o", str(second)).exit_code == 0
    assert first.read_bytes() == second.read_bytes()
    assert first.read_bytes().startswith(b"<!DOCTYPE html>\n")


def test_a_format_that_contradicts_the_extension_writes_nothing(recorded: Path, tmp_path: Path) -> None:
    before = file_snapshot(recorded)
    result = report(recorded, "--format", "html", "-o", str(tmp_path / "x.xlsx"))
    assert result.exit_code == 2
    assert "--format html không khớp với phần mở rộng '.xlsx'" in result.stderr
    assert not (tmp_path / "x.xlsx").exists() and file_snapshot(recorded) == before


def test_an_unknown_format_is_refused_in_vietnamese(recorded: Path) -> None:
    result = report(recorded, "--format", "pdf")
    assert result.exit_code == 2
    assert "'pdf'" in result.stderr and "html" in result.stderr


def test_each_unit_gets_a_page_and_an_index_links_them(recorded: Path, tmp_path: Path) -> None:
    folder = tmp_path / "trang"
    result = report(recorded, "--group", "cac-ban-nganh", "--each-unit", "--format", "html", "-o", str(folder))
    assert result.exit_code == 0, result.stderr
    pages = sorted(p.name for p in folder.iterdir() if p.name != "index.html")
    assert len(pages) == 3 and all(p.endswith("_2026_2026-12-20.html") for p in pages)
    assert f"Đã ghi {len(pages) + 1} tệp báo cáo" in result.stderr
    index = parse_page(folder / "index.html")
    links = [a.attrs["href"] for a in index.find_all("a")]
    assert sorted(links) == pages
    names = [a.text for a in index.find_all("a")]
    for link, name in zip(links, names, strict=True):
        unit_page = parse_page(folder / link)
        assert unit_page.one(data_key="scope").text == name
        assert outside_references(unit_page) == []
        assert unit_page.find_all("svg", data_chart="xu-huong")  # each unit's own trend
    assert [r.attrs["data-row"] for r in index.one("table", data_table="don-vi").rows()] == [
        link.split("_")[1] for link in links]
