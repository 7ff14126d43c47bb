"""The leaders' page: one self-contained HTML file from the report's typed rows (`domain/report.Report`).

Nothing is fetched: the styles are in the page, the charts are inline SVG (`html/svg`), fonts are the
system's. Reading order is a leader's: the headline figures, the categories, the trend, the groups,
the ranking of units (best and worst ten; every unit in a folded table), the overdue list. Every number
is the report's own, written the Vietnamese way (1.234; 53,9%), and each cell or mark also carries the
machine value in a data attribute, so a test can compare the page with `report --format json`.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from html import escape
from pathlib import Path

from kehoach.domain.model import Category, ReportHeader
from kehoach.domain.periods import format_date
from kehoach.domain.report import ABBREVIATIONS, COMPLETION_RULE, CountRow, Report, SlotRow
from kehoach.domain.trend import Trend
from kehoach.html.style import STYLE
from kehoach.html.svg import Bar, bar_chart, safe, trend_chart
from kehoach.render.rows import format_count, format_percent

CATEGORY_COLOURS = {
    Category.HOAN_THANH_DUNG_HAN: "#2e7d32",
    Category.HOAN_THANH_QUA_HAN: "#ef6c00",
    Category.DANG_THUC_HIEN_TRONG_HAN: "#1565c0",
    Category.DANG_THUC_HIEN_QUA_HAN: "#c62828",
    Category.CHUA_THUC_HIEN_TRONG_HAN: "#64b5f6",
    Category.CHUA_THUC_HIEN_QUA_HAN: "#ef9a9a",
    Category.KHONG_AP_DUNG: "#bdbdbd",
}
"""Green done on time, orange done late, blue still in time, red overdue (lighter: not begun), grey."""
RATE_COLOUR = "#2e7d32"
RANKED = 10
OVERDUE_SHOWN = 30
IN_TIME = (Category.DANG_THUC_HIEN_TRONG_HAN, Category.CHUA_THUC_HIEN_TRONG_HAN)


def rate_text(rate: float | None) -> str:
    return "—" if rate is None else format_percent(rate)


def rate_data(rate: float | None) -> str:
    return "" if rate is None else str(rate)


def page(report: Report, header: ReportHeader) -> str:
    """The whole page of a report, as text (UTF-8 when written)."""
    body = [_heading(report, header), _headline(report.totals), _categories(report.totals)]
    if report.trend is not None:
        body.append(_trend(report.trend))
    if report.several:
        # The sources are trackers (--data) or the plans of one tracker: the report says which.
        heading = report.source_heading
        body.append(_count_section("theo-nguon", f"Theo {heading.lower()}", heading, report.by_source,
                                   f"Tỷ lệ hoàn thành theo {heading.lower()}"))
    if report.scope.kind == "unit":
        body.append(_unit_tasks(report))
    else:
        body.append(_count_section("theo-nhom", "Tỷ lệ hoàn thành theo nhóm đơn vị", "Nhóm đơn vị",
                                   report.by_group, "Tỷ lệ hoàn thành theo nhóm đơn vị"))
        body.append(_ranking(report.by_unit))
    body.append(_overdue(report.overdue, report))
    body.append(f'<footer><p>{escape(COMPLETION_RULE)}</p><p>Chữ viết tắt: {escape(ABBREVIATIONS)}</p></footer>')
    return _document(report.title, "".join(body))


def _document(title: str, body: str) -> str:
    return (f'<!DOCTYPE html>\n<html lang="vi">\n<head>\n<meta charset="utf-8">\n'
            f'<meta name="viewport" content="width=device-width, initial-scale=1">\n<title>{safe(title)}</title>\n'
            f"<style>{STYLE}</style>\n</head>\n<body>\n<main>\n{body}\n</main>\n</body>\n</html>\n")


def _heading(report: Report, header: ReportHeader) -> str:
    citation = report.plan_citation or report.plan_title
    return (f'<header><p class="agency">{safe(header.parent_agency)}<br><strong>{safe(header.agency)}</strong></p>'
            f"<h1>Báo cáo tình hình thực hiện</h1>"
            f'<p class="citation">{safe(citation)}</p>'
            f'<p class="meta"><span>Phạm vi: <strong data-key="scope">{safe(report.scope.name)}</strong></span>'
            f'<span>Kỳ: <strong data-key="period">{safe(report.period.name)}</strong></span>'
            f'<span>Số liệu tính đến ngày <strong data-key="as_of" data-value="{report.as_of.isoformat()}">'
            f"{format_date(report.as_of)}</strong></span></p></header>\n")


def _figure(key: str, label: str, value: int, colour: str | None = None, note: str = "") -> str:
    swatch = f' style="border-color:{colour}"' if colour else ""
    extra = f'<span class="note">{escape(note)}</span>' if note else ""
    return (f'<div class="figure" data-key="{key}" data-value="{value}"{swatch}>'
            f'<span class="value">{format_count(value)}</span><span class="label">{escape(label)}</span>{extra}</div>')


def _headline(totals: CountRow) -> str:
    counts = totals.counts
    in_time = sum(counts[c] for c in IN_TIME)
    rate = totals.completion_rate
    figures = [
        _figure("slots", "Lượt báo cáo phải thực hiện", totals.slots,
                note=f"trong đó {format_count(counts[Category.KHONG_AP_DUNG])} không áp dụng"),
        _figure(Category.HOAN_THANH_DUNG_HAN.value, "Hoàn thành đúng hạn", counts[Category.HOAN_THANH_DUNG_HAN],
                CATEGORY_COLOURS[Category.HOAN_THANH_DUNG_HAN]),
        _figure(Category.HOAN_THANH_QUA_HAN.value, "Hoàn thành quá hạn", counts[Category.HOAN_THANH_QUA_HAN],
                CATEGORY_COLOURS[Category.HOAN_THANH_QUA_HAN]),
        _figure("trong-han", "Đang thực hiện, còn trong hạn", in_time,
                CATEGORY_COLOURS[Category.DANG_THUC_HIEN_TRONG_HAN], note="kể cả chưa bắt đầu"),
        _figure("overdue", "Quá hạn, chưa hoàn thành", totals.overdue,
                CATEGORY_COLOURS[Category.DANG_THUC_HIEN_QUA_HAN]),
    ]
    rate_figure = (f'<div class="figure rate" data-key="completion_rate" data-value="{rate_data(rate)}">'
                   f'<span class="value">{rate_text(rate)}</span><span class="label">Tỷ lệ hoàn thành</span>'
                   f'<span class="note">{format_count(totals.done)}/{format_count(totals.applicable)} lượt áp dụng'
                   "</span></div>")
    return f'<section class="headline" aria-label="Số liệu chính">{rate_figure}{"".join(figures)}</section>\n'


def _categories(totals: CountRow) -> str:
    most = max(totals.counts.values()) or 1
    bars = [Bar(c.label, totals.counts[c] / most,
                f"{format_count(totals.counts[c])} lượt ({format_percent(totals.percent(c))})", CATEGORY_COLOURS[c],
                {"category": c.value, "count": str(totals.counts[c]), "percent": str(totals.percent(c))})
            for c in Category]
    return ('<section class="block"><h2>Số lượt báo cáo theo tình trạng</h2>'
            f'{bar_chart("tinh-trang", "Số lượt báo cáo theo tình trạng", bars)}</section>\n')


def _trend(trend: Trend) -> str:
    if not trend.points:
        return ('<section class="block"><h2>Xu hướng</h2><p>Kỳ báo cáo chưa bắt đầu vào ngày tính: chưa có số liệu '
                "theo tuần.</p></section>\n")
    before = {p.week: p for p in trend.previous}
    rows = "".join(
        f'<tr data-week="{p.week}"><td class="num">{p.week}</td><td>{format_date(p.day)}</td>'
        f'<td class="num" data-value="{rate_data(p.rate)}">{rate_text(p.rate)}</td>'
        f'<td class="num">{rate_text(before[p.week].rate) if p.week in before else "—"}</td></tr>'
        for p in trend.points)
    return (f'<section class="block"><h2>Xu hướng: tỷ lệ hoàn thành theo tuần</h2>{trend_chart(trend)}'
            f'<details class="screen-only"><summary>Số liệu theo tuần</summary><table><thead><tr><th>Tuần</th>'
            f"<th>Đến ngày</th><th>Kỳ {safe(trend.period)}</th><th>Kỳ {safe(trend.previous_period)}</th></tr></thead>"
            f"<tbody>{rows}</tbody></table></details></section>\n")


def _count_head(label_header: str) -> str:
    return (f"<thead><tr><th>STT</th><th>{escape(label_header)}</th><th>Số lượt</th><th>HT đúng hạn</th>"
            "<th>HT quá hạn</th><th>Trong hạn</th><th>Quá hạn</th><th>Không AD</th><th>Tỷ lệ hoàn thành</th>"
            "</tr></thead>")


def _count_cells(row: CountRow) -> str:
    counts = row.counts
    cells = [("slots", row.slots), (Category.HOAN_THANH_DUNG_HAN.value, counts[Category.HOAN_THANH_DUNG_HAN]),
             (Category.HOAN_THANH_QUA_HAN.value, counts[Category.HOAN_THANH_QUA_HAN]),
             ("trong-han", sum(counts[c] for c in IN_TIME)), ("overdue", row.overdue),
             (Category.KHONG_AP_DUNG.value, counts[Category.KHONG_AP_DUNG])]
    shown = "".join(f'<td class="num" data-key="{key}" data-value="{n}">{format_count(n)}</td>' for key, n in cells)
    rate = row.completion_rate
    return (f'{shown}<td class="num" data-key="completion_rate" data-value="{rate_data(rate)}">'
            f"{rate_text(rate)}</td>")


def _count_table(name: str, label_header: str, rows: Iterable[CountRow], numbers: Iterable[int]) -> str:
    body = "".join(f'<tr data-row="{escape(row.key)}"><td class="num">{n}</td><td>{safe(row.label)}</td>'
                   f"{_count_cells(row)}</tr>" for n, row in zip(numbers, rows, strict=True))
    return f'<table class="counts" data-table="{name}">{_count_head(label_header)}<tbody>{body}</tbody></table>'


def _rate_bars(rows: Sequence[CountRow]) -> list[Bar]:
    return [Bar(r.label, (r.completion_rate or 0) / 100,
                f"{rate_text(r.completion_rate)} ({format_count(r.done)}/{format_count(r.applicable)})", RATE_COLOUR,
                {"row": r.key, "rate": rate_data(r.completion_rate), "done": str(r.done),
                 "applicable": str(r.applicable)})
            for r in rows]


def _count_section(name: str, title: str, label_header: str, rows: Sequence[CountRow], caption: str) -> str:
    return (f'<section class="block"><h2>{escape(title)}</h2>{bar_chart(name, caption, _rate_bars(rows))}'
            f"{_count_table(name, label_header, rows, range(1, len(rows) + 1))}</section>\n")


def ranked(units: Sequence[CountRow]) -> list[CountRow]:
    """Units with a rate, best first: higher rate, then fewer overdue, then more done, then by name."""
    return sorted((u for u in units if u.completion_rate is not None),
                  key=lambda u: (-(u.completion_rate or 0), u.overdue, -u.done, u.label))


def _rank_table(name: str, rows: Sequence[CountRow], numbers: Iterable[int]) -> str:
    """The short form for the best and worst ten: the figures a leader compares units by."""
    body = "".join(
        f'<tr data-row="{escape(r.key)}"><td class="num">{n}</td><td>{safe(r.label)}</td>'
        f'<td class="num" data-key="applicable" data-value="{r.applicable}">{format_count(r.applicable)}</td>'
        f'<td class="num" data-key="done" data-value="{r.done}">{format_count(r.done)}</td>'
        f'<td class="num" data-key="overdue" data-value="{r.overdue}">{format_count(r.overdue)}</td>'
        f'<td class="num" data-key="completion_rate" data-value="{rate_data(r.completion_rate)}">'
        f"{rate_text(r.completion_rate)}</td></tr>"
        for n, r in zip(numbers, rows, strict=True))
    return (f'<table class="rank" data-table="{name}"><thead><tr><th>Hạng</th><th>Đơn vị</th><th>Áp dụng</th>'
            f"<th>Đã hoàn thành</th><th>Quá hạn</th><th>Tỷ lệ</th></tr></thead><tbody>{body}</tbody></table>")


def _ranking(units: Sequence[CountRow]) -> str:
    order = ranked(units)
    if not order:
        return ""
    best = order[:RANKED]
    worst = order[::-1][:RANKED]
    every = _count_table("moi-don-vi", "Đơn vị", order, range(1, len(order) + 1))
    best_table = _rank_table("cao-nhat", best, range(1, len(best) + 1))
    worst_table = _rank_table("thap-nhat", worst, range(len(order), len(order) - len(worst), -1))
    return ('<section class="block"><h2>Xếp hạng đơn vị theo tỷ lệ hoàn thành</h2><div class="pair">'
            f"<div><h3>{len(best)} đơn vị cao nhất</h3>{best_table}</div>"
            f"<div><h3>{len(worst)} đơn vị thấp nhất</h3>{worst_table}</div></div>"
            f"<details><summary>Tất cả {format_count(len(order))} đơn vị, xếp theo tỷ lệ hoàn thành (bấm để mở)"
            f"</summary>{every}</details></section>\n")


def _task(report: Report, row: SlotRow) -> str:
    return f"{safe(row.task)}. {safe(report.task_titles.get(row.task, ''))}"


def _overdue_table(name: str, rows: Sequence[SlotRow], report: Report) -> str:
    source_head = f"<th>{escape(report.source_heading)}</th>" if report.several else ""
    body = "".join(
        f'<tr data-task="{escape(r.task)}" data-unit="{escape(r.unit)}" data-period="{escape(r.period)}">'
        f'<td class="num">{n}</td>' + (f"<td>{safe(r.source)}</td>" if report.several else "")
        + f"<td>{safe(r.unit_name)}</td><td>{_task(report, r)}</td><td>{safe(r.period)}</td>"
        f'<td>{format_date(r.deadline)}</td><td class="num" data-key="days_late" data-value="{r.days_late}">'
        f"{format_count(r.days_late)}</td><td>{_category_chip(r.category, r.category_label)}</td></tr>"
        for n, r in enumerate(rows, 1))
    return (f'<table class="overdue" data-table="{name}"><thead><tr><th>STT</th>{source_head}<th>Đơn vị</th>'
            "<th>Nhiệm vụ</th><th>Kỳ</th><th>Hạn</th><th>Số ngày quá hạn</th><th>Tình trạng</th></tr></thead>"
            f"<tbody>{body}</tbody></table>")


def _overdue(rows: Sequence[SlotRow], report: Report) -> str:
    """The longest overdue first: the first OVERDUE_SHOWN on the page (and on paper), every one folded
    below when there are more (a province's list runs to thousands)."""
    if not rows:
        return '<section class="block"><h2>Quá hạn</h2><p>Không có lượt báo cáo nào quá hạn.</p></section>\n'
    shown = rows[:OVERDUE_SHOWN]
    heading = (f"Quá hạn: {format_count(len(rows))} lượt" if len(rows) == len(shown) else
               f"Quá hạn: {format_count(len(rows))} lượt; {format_count(len(shown))} lượt quá hạn lâu nhất")
    every = "" if len(rows) == len(shown) else (
        f"<details><summary>Tất cả {format_count(len(rows))} lượt quá hạn, lâu nhất trước (bấm để mở)</summary>"
        f'{_overdue_table("qua-han-tat-ca", rows, report)}</details>')
    return (f'<section class="block"><h2>{heading}</h2>{_overdue_table("qua-han", shown, report)}{every}'
            "</section>\n")


def _category_chip(category: str, label: str) -> str:
    colour = CATEGORY_COLOURS[Category(category)]
    return (f'<span class="chip" data-category="{category}"><i style="background:{colour}"></i>'
            f"{escape(label)}</span>")


def _unit_tasks(report: Report) -> str:
    body = "".join(
        f'<tr data-task="{escape(r.task)}" data-period="{escape(r.period)}"><td class="num">{n}</td>'
        f"<td>{_task(report, r)}</td><td>{safe(r.period)}</td><td>{format_date(r.deadline)}</td>"
        f"<td>{_category_chip(r.category, r.category_label)}</td><td>{format_date(r.done_on)}</td>"
        f"<td>{safe(r.evidence or '')}</td></tr>"
        for n, r in enumerate(report.slots, 1))
    return (f'<section class="block"><h2>Các nhiệm vụ của {safe(report.scope.name)}</h2>'
            '<table class="tasks" data-table="nhiem-vu"><thead><tr><th>STT</th><th>Nhiệm vụ</th><th>Kỳ</th>'
            "<th>Hạn</th><th>Tình trạng</th><th>Ngày hoàn thành</th><th>Căn cứ</th></tr></thead>"
            f"<tbody>{body}</tbody></table></section>\n")


def index_page(reports: Sequence[Report], files: Sequence[Path], header: ReportHeader) -> str:
    """The page linking every unit's page of a `--each-unit` run (relative links: the folder travels whole)."""
    first = reports[0]
    rows = "".join(
        f'<tr data-row="{escape(r.scope.id)}"><td class="num">{n}</td>'
        f'<td><a href="{escape(path.name)}">{safe(r.scope.name)}</a></td>{_count_cells(r.totals)}</tr>'
        for n, (r, path) in enumerate(zip(reports, files, strict=True), 1))
    title = f"Báo cáo từng đơn vị — kỳ {first.period.name} — tính đến {format_date(first.as_of)}"
    body = (f'<header><p class="agency">{safe(header.parent_agency)}<br><strong>{safe(header.agency)}</strong></p>'
            f"<h1>Báo cáo từng đơn vị</h1><p class=\"citation\">{safe(first.plan_citation or first.plan_title)}</p>"
            f'<p class="meta"><span>Kỳ: <strong>{safe(first.period.name)}</strong></span><span>Số liệu tính đến ngày '
            f"<strong>{format_date(first.as_of)}</strong></span></p></header>\n"
            f'<section class="block"><h2>{format_count(len(reports))} đơn vị</h2>'
            f'<table class="counts" data-table="don-vi">{_count_head("Đơn vị")}<tbody>{rows}</tbody></table>'
            "</section>\n")
    return _document(title, body)
