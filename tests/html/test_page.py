"""The leaders' page read back with html.parser: self-contained, and every figure, cell and chart mark equal
to `report --format json` of the same data and as-of date."""

from __future__ import annotations

import json
import shutil
from pathlib import Path

import pytest

from kehoach.domain.model import Category
from kehoach.html.page import CATEGORY_COLOURS, OVERDUE_SHOWN
from support.cli import rec, run_cli
from support.html_page import Node, number, outside_references, parse_page
from support.report_sample import AS_OF
from support.trend_sample import record_dated

IN_TIME = (Category.DANG_THUC_HIEN_TRONG_HAN.value, Category.CHUA_THUC_HIEN_TRONG_HAN.value)


def made(tracker: Path, *args: str, as_of: str = AS_OF) -> tuple[Node, dict, Path]:
    """The page and the JSON report of the same options."""
    out = tracker.parent / "trang.html"
    result = run_cli("report", "--as-of", as_of, "--data", str(tracker), *args, "-o", str(out))
    assert result.exit_code == 0, result.stderr
    data = run_cli("report", "--as-of", as_of, "--data", str(tracker), *args, "--format", "json")
    assert data.exit_code == 0, data.stderr
    return parse_page(out), json.loads(data.stdout), out


def rate_shown(rate: float | None) -> str:
    return "—" if rate is None else f"{rate:.1f}%".replace(".", ",")


def cells(row: Node) -> dict[str, str]:
    return {td.attrs["data-key"]: td.text for td in row.find_all("td") if "data-key" in td.attrs}


def expected_cells(row: dict) -> dict[str, str]:
    def n(value: int) -> str:
        return f"{value:,}".replace(",", ".")

    return {"slots": n(row["slots"]), "hoan-thanh-dung-han": n(row["hoan-thanh-dung-han"]),
            "hoan-thanh-qua-han": n(row["hoan-thanh-qua-han"]), "trong-han": n(sum(row[c] for c in IN_TIME)),
            "overdue": n(row["overdue"]), "khong-ap-dung": n(row["khong-ap-dung"]),
            "completion_rate": rate_shown(row["completion_rate"])}


@pytest.fixture
def whole(recorded: Path) -> tuple[Node, dict, Path]:
    return made(recorded)


def test_nothing_is_fetched_from_any_other_file_or_host(whole: tuple[Node, dict, Path]) -> None:
    page, _, path = whole
    assert outside_references(page) == []
    assert not page.find_all("script") and not page.find_all("link") and not page.find_all("img")
    text = path.read_text(encoding="utf-8")
    assert "http://" not in text and "https://" not in text and "//" not in text.replace("<!DOCTYPE", "")


def test_the_reference_check_itself_finds_what_it_must() -> None:
    page = parse_page('<div style="background:url(a.png)"><img src="x.png"><a href="#top">t</a>'
                      '<style>@import "x.css"; b{background:url( "https://h/x" )}</style></div>')
    assert outside_references(page) == ["url(a.png)", "<img src='x.png'>", "url(https://h/x)", "@import"]


def test_title_citation_scope_period_and_as_of(whole: tuple[Node, dict, Path]) -> None:
    page, data, _ = whole
    assert page.one("head").one("title").text == (f"Báo cáo tình hình thực hiện {data['plan_citation']} — kỳ 2026 — "
                                      "tính đến 20/12/2026")
    assert page.one("p", **{"class": "citation"}).text == data["plan_citation"]
    assert page.one(data_key="scope").text == "Toàn tỉnh"
    assert page.one(data_key="period").text == "2026"
    assert page.one(data_key="as_of").text == "20/12/2026"
    assert page.one("html").attrs["lang"] == "vi"


def test_headline_figures_equal_the_json_totals(whole: tuple[Node, dict, Path]) -> None:
    page, data, _ = whole
    totals = data["totals"]
    headline = page.one("section", **{"class": "headline"})
    shown = {f.attrs["data-key"]: f for f in headline.find_all("div") if "data-key" in f.attrs}
    for key, value in (("slots", totals["slots"]), ("hoan-thanh-dung-han", totals["hoan-thanh-dung-han"]),
                       ("hoan-thanh-qua-han", totals["hoan-thanh-qua-han"]), ("overdue", totals["overdue"]),
                       ("trong-han", sum(totals[c] for c in IN_TIME))):
        figure = shown[key]
        assert int(figure.attrs["data-value"]) == value
        assert number(figure.one("span", **{"class": "value"}).text) == value
    assert totals["slots"] == 2287 and shown["slots"].one("span", **{"class": "value"}).text == "2.287"
    rate = shown["completion_rate"]
    assert rate.one("span", **{"class": "value"}).text == rate_shown(totals["completion_rate"])
    assert float(rate.attrs["data-value"]) == totals["completion_rate"]


def test_the_category_chart_carries_the_json_counts(whole: tuple[Node, dict, Path]) -> None:
    page, data, _ = whole
    chart = page.one("svg", data_chart="tinh-trang")
    bars = chart.find_all("rect", **{"class": "bar"})
    assert [b.attrs["data-category"] for b in bars] == [c.value for c in Category]
    for bar in bars:
        category = bar.attrs["data-category"]
        assert int(bar.attrs["data-count"]) == data["totals"][category]
        assert float(bar.attrs["data-percent"]) == data["totals"][f"{category}_percent"]
        count = f"{data['totals'][category]:,}".replace(",", ".")
        assert bar.one("title").text == f"{Category(category).label}: {count} lượt " \
            f"({rate_shown(data['totals'][f'{category}_percent'])})"


def test_every_colour_has_its_text_beside_it(whole: tuple[Node, dict, Path]) -> None:
    page, data, _ = whole
    labels = [n.text for n in page.find_all("text", **{"class": "label"})]
    for chart in page.find_all("svg"):
        texts = [n.text for n in chart.find_all("text")]
        for bar in chart.find_all("rect", **{"class": "bar"}):
            label = bar.one("title").text.split(": ")[0]
            assert label in texts or label.startswith(tuple(t.rstrip("…") for t in texts)), label
    assert set(labels) >= {c.label for c in Category}
    for chip in page.find_all("span", **{"class": "chip"}):
        assert chip.text == Category(chip.attrs["data-category"]).label
    for figure in page.find_all("div", **{"class": "figure"}):
        assert figure.one("span", **{"class": "label"}).text
    # each series of the trend is named in its legend, its dash and its point shape tell them apart in grey
    legend = [n.text for n in page.one("svg", data_chart="xu-huong").find_all("text", **{"class": "legend"})]
    assert legend == [f"Kỳ 2026: {rate_shown(data['totals']['completion_rate'])}", "Kỳ trước (2025): không có số liệu"]
    colours = tuple(CATEGORY_COLOURS.values())
    coloured = [n for n in page.walk() if (n.attrs.get("fill", "") + n.attrs.get("style", "")).endswith(colours)
                or any(f"background:{c}" in n.attrs.get("style", "") for c in colours)]
    # bars (label beside each), chips' swatches, headline figures, and the trend's points (named by the legend)
    assert {(n.tag, n.attrs.get("class")) for n in coloured} == {
        ("rect", "bar"), ("i", None), ("div", "figure"), ("circle", "point")}
    chips = page.find_all("span", **{"class": "chip"})
    assert len([n for n in coloured if n.tag == "i"]) == len(chips)  # every swatch sits in a labelled chip


def test_group_table_and_chart_equal_the_json(whole: tuple[Node, dict, Path]) -> None:
    page, data, _ = whole
    table = page.one("table", data_table="theo-nhom")
    rows = table.rows()
    assert [r.attrs["data-row"] for r in rows] == [g["key"] for g in data["by_group"]]
    for row, group in zip(rows, data["by_group"], strict=True):
        assert row.find_all("td")[1].text == group["label"]
        assert cells(row) == expected_cells(group)
    bars = page.one("svg", data_chart="theo-nhom").find_all("rect", **{"class": "bar"})
    assert [(b.attrs["data-row"], b.attrs["data-rate"], int(b.attrs["data-done"])) for b in bars] == [
        (g["key"], "" if g["completion_rate"] is None else str(g["completion_rate"]), g["done"])
        for g in data["by_group"]]


def best_first(units: list[dict]) -> list[dict]:
    rated = [u for u in units if u["completion_rate"] is not None]
    return sorted(rated, key=lambda u: (-u["completion_rate"], u["overdue"], -u["done"], u["label"]))


def test_ranking_best_and_worst_ten_and_every_unit_folded(whole: tuple[Node, dict, Path]) -> None:
    page, data, _ = whole
    order = best_first(data["by_unit"])
    assert len(order) > 20
    best = page.one("table", data_table="cao-nhat").rows()
    worst = page.one("table", data_table="thap-nhat").rows()
    assert [r.attrs["data-row"] for r in best] == [u["key"] for u in order[:10]]
    assert [r.attrs["data-row"] for r in worst] == [u["key"] for u in order[::-1][:10]]
    assert [r.find_all("td")[0].text for r in worst] == [str(len(order) - i) for i in range(10)]
    by_key = {u["key"]: u for u in data["by_unit"]}
    for row in best + worst:
        unit = by_key[row.attrs["data-row"]]
        assert {k: number(v) if k != "completion_rate" else v for k, v in cells(row).items()} == {
            "applicable": unit["applicable"], "done": unit["done"], "overdue": unit["overdue"],
            "completion_rate": rate_shown(unit["completion_rate"])}
    every = page.one("table", data_table="moi-don-vi")
    assert any(every is n for d in page.find_all("details") for n in d.walk())  # folded
    assert [r.attrs["data-row"] for r in every.rows()] == [u["key"] for u in order]
    for row in every.rows():
        assert cells(row) == expected_cells(by_key[row.attrs["data-row"]])


def overdue_rows_equal(rows: list[Node], slots: list[dict]) -> None:
    assert len(rows) == len(slots) > 0
    for row, slot in zip(rows, slots, strict=True):
        tds = row.find_all("td")
        assert (row.attrs["data-task"], row.attrs["data-unit"], row.attrs["data-period"]) == (
            slot["task"], slot["unit"], slot["period"])
        assert tds[1].text == slot["unit_name"]
        assert tds[2].text.startswith(f"{slot['task']}. ")
        assert tds[4].text == "/".join(reversed(slot["deadline"].split("-")))
        assert number(tds[5].text) == slot["days_late"]
        assert tds[6].text == slot["category_label"]


def test_overdue_list_longest_first_equals_the_json(whole: tuple[Node, dict, Path]) -> None:
    page, data, _ = whole
    assert len(data["overdue"]) > OVERDUE_SHOWN
    overdue_rows_equal(page.one("table", data_table="qua-han").rows(), data["overdue"][:OVERDUE_SHOWN])
    every = page.one("table", data_table="qua-han-tat-ca")
    assert any(every is n for d in page.find_all("details") for n in d.walk())  # folded
    overdue_rows_equal(every.rows(), data["overdue"])
    days = [int(r.one("td", data_key="days_late").attrs["data-value"]) for r in every.rows()]
    assert days == sorted(days, reverse=True)


def test_a_short_overdue_list_is_shown_whole(tracker: Path) -> None:
    page, data, _ = made(tracker, "--unit", "STP")
    assert 0 < len(data["overdue"]) <= OVERDUE_SHOWN
    overdue_rows_equal(page.one("table", data_table="qua-han").rows(), data["overdue"])
    assert not page.find_all("table", data_table="qua-han-tat-ca")


def marks_of(page: Node, series: str) -> list[tuple]:
    marks = page.one("svg", data_chart="xu-huong").find_all(**{"class": "point"})
    return [(int(m.attrs["data-week"]), m.attrs["data-day"], int(m.attrs["data-done"]), float(m.attrs["data-rate"]))
            for m in marks if m.attrs["data-series"] == series]


def points_of(points: list[dict]) -> list[tuple]:
    return [(p["week"], p["day"], p["done"], p["completion_rate"]) for p in points]


def test_trend_marks_equal_the_json_trend(whole: tuple[Node, dict, Path]) -> None:
    page, data, _ = whole
    assert marks_of(page, "nay") == points_of(data["trend"]["points"])
    assert marks_of(page, "truoc") == [] and data["trend"]["previous"] == []


def test_both_curves_carry_the_json_points(tracker: Path) -> None:
    record_dated(tracker)
    page, data, _ = made(tracker, "--unit", "STP", "--period", "2026-H2", as_of="2026-09-02")
    assert marks_of(page, "nay") == points_of(data["trend"]["points"]) and len(data["trend"]["points"]) == 10
    assert marks_of(page, "truoc") == points_of(data["trend"]["previous"]) and len(data["trend"]["previous"]) == 10
    chart = page.one("svg", data_chart="xu-huong")
    assert [n.text for n in chart.find_all("text", **{"class": "legend"})] == [
        "Kỳ 2026-H2: 75,0%", "Kỳ trước (2026-H1) cùng thời điểm: 66,7%"]
    weekly = page.one("details", **{"class": "screen-only"}).find_all("tr", data_week="9")
    assert [td.text for td in weekly[0].find_all("td")] == ["9", "01/09/2026", "75,0%", "66,7%"]


def test_a_unit_page_lists_its_tasks(recorded: Path) -> None:
    page, data, _ = made(recorded, "--unit", "STP")
    rows = page.one("table", data_table="nhiem-vu").rows()
    assert [(r.attrs["data-task"], r.attrs["data-period"]) for r in rows] == [
        (s["task"], s["period"]) for s in data["slots"]]
    assert [r.one("span", **{"class": "chip"}).text for r in rows] == [s["category_label"] for s in data["slots"]]
    assert "Công văn 12/STP" in [r.find_all("td")[6].text for r in rows]
    assert not page.find_all("table", data_table="cao-nhat")


def test_text_from_data_stays_text(tracker: Path) -> None:
    rec(tracker, "1", "STP", "--status", "dang-thuc-hien", "--period", "2026", "--as-of", AS_OF,
        "--evidence", '<script>alert("x")</script><img src=http://x>')
    page, _, path = made(tracker, "--unit", "STP")
    assert not page.find_all("script") and not page.find_all("img")
    assert '<script>alert("x")</script><img src=http://x>' in page.text
    assert outside_references(page) == []
    assert "&lt;script&gt;" in path.read_text(encoding="utf-8")


def test_several_trackers_get_a_section_each(recorded: Path) -> None:
    other = recorded.parent / "bo-thu-hai"
    shutil.copytree(recorded, other)
    rec(other, "1", "Sở Nội vụ", "--status", "done", "--done-on", "1/12/2026", "--period", "2026", "--as-of", AS_OF)
    out = recorded.parent / "chung.html"
    args = ("report", "--as-of", AS_OF, "--data", str(recorded), "--data", str(other))
    assert run_cli(*args, "-o", str(out)).exit_code == 0
    data = json.loads(run_cli(*args, "--format", "json").stdout)
    page = parse_page(out)
    rows = page.one("table", data_table="theo-nguon").rows()
    assert [r.find_all("td")[1].text for r in rows] == [s["label"] for s in data["by_source"]]
    for row, source in zip(rows, data["by_source"], strict=True):
        assert cells(row) == expected_cells(source)
    overdue = page.one("table", data_table="qua-han-tat-ca").rows()
    assert [r.find_all("td")[1].text for r in overdue] == [s["source"] for s in data["overdue"]]
    assert {s["source"] for s in data["overdue"]} == {"theo-doi", "bo-thu-hai"}
