"""The page's charts as inline SVG, drawn by our own code: no script, no library, nothing fetched.

Every mark carries its number twice: as data attributes (machine values: a count, a rate with a decimal
point) and as a <title> a browser shows on hover and a screen reader reads (Vietnamese forms). Every
coloured mark has its label written beside it, so the chart reads the same in greyscale print.
Coordinates are written with one decimal, so the same numbers give the same bytes.
"""

from __future__ import annotations

from collections.abc import Sequence
from html import escape
from typing import NamedTuple

from kehoach.domain.periods import format_date
from kehoach.domain.text import visible
from kehoach.domain.trend import Trend, TrendPoint
from kehoach.render.rows import format_count, format_percent

WIDTH = 760
LABEL_WIDTH = 300
BAR_WIDTH = 300
ROW_HEIGHT = 30
LABEL_LIMIT = 40
"""Characters of a label that fit beside a bar; a longer one is cut there, whole in the bar's title."""


class Bar(NamedTuple):
    """One bar of a bar chart: its label (cut to fit, whole in its title), its length as a share of the
    whole (0..1), what is written beside it, its colour and the data attributes it carries."""

    label: str
    share: float
    shown: str
    colour: str
    data: dict[str, str]


def safe(text: str) -> str:
    """Text from data (names, task contents) as HTML: escaped, controls shown as their codes."""
    return escape(visible(text))


def _at(value: float) -> str:
    """A coordinate with one decimal: the same numbers give the same bytes."""
    return f"{value:.1f}"


def short(label: str) -> str:
    return label if len(label) <= LABEL_LIMIT else label[: LABEL_LIMIT - 1].rstrip() + "…"


def _attrs(data: dict[str, str]) -> str:
    return "".join(f' data-{key}="{escape(value)}"' for key, value in data.items())


def bar_chart(name: str, caption: str, bars: Sequence[Bar]) -> str:
    """Horizontal bars, one a row: the label on the left, the bar, then its figure."""
    height = ROW_HEIGHT * len(bars) + 10
    parts = [f'<svg class="chart" data-chart="{escape(name)}" role="img" viewBox="0 0 {WIDTH} {height}" '
             f'width="{WIDTH}" height="{height}" aria-label="{escape(caption)}">',
             f"<title>{escape(caption)}</title>"]
    for index, bar in enumerate(bars):
        y = 5 + index * ROW_HEIGHT
        length = max(bar.share, 0.0) * BAR_WIDTH
        label = safe(short(bar.label))
        parts.append(
            f'<text class="label" x="{LABEL_WIDTH - 8}" y="{_at(y + 19)}" text-anchor="end">{label}</text>'
            f'<rect class="track" x="{LABEL_WIDTH}" y="{y + 4}" width="{BAR_WIDTH}" height="20"/>'
            f'<rect class="bar" x="{LABEL_WIDTH}" y="{y + 4}" width="{_at(length)}" height="20" '
            f'fill="{bar.colour}"{_attrs(bar.data)}><title>{safe(bar.label)}: {escape(bar.shown)}</title></rect>'
            f'<text class="figure" x="{LABEL_WIDTH + BAR_WIDTH + 8}" y="{_at(y + 19)}">{escape(bar.shown)}</text>'
        )
    parts.append("</svg>")
    return "".join(parts)


TREND_HEIGHT = 280
PLOT_LEFT, PLOT_RIGHT, PLOT_TOP, PLOT_BOTTOM = 56, WIDTH - 20, 16, TREND_HEIGHT - 62
CURRENT_COLOUR = "#1565c0"
PREVIOUS_COLOUR = "#757575"


def trend_chart(trend: Trend) -> str:
    """The completion rate week by week: the period as a solid line with round points, the previous
    period dashed with square points; the weeks along the bottom, 0–100% up the side."""
    last_week = max(p.week for p in (*trend.points, *trend.previous))

    def x(week: int) -> float:
        return PLOT_LEFT + (PLOT_RIGHT - PLOT_LEFT) * (week - 1) / max(last_week - 1, 1)

    def y(rate: float) -> float:
        return PLOT_BOTTOM - (PLOT_BOTTOM - PLOT_TOP) * rate / 100

    caption = f"Tỷ lệ hoàn thành theo tuần, kỳ {trend.period} so với kỳ {trend.previous_period}"
    parts = [f'<svg class="chart" data-chart="xu-huong" role="img" viewBox="0 0 {WIDTH} {TREND_HEIGHT}" '
             f'width="{WIDTH}" height="{TREND_HEIGHT}" aria-label="{escape(caption)}">',
             f"<title>{escape(caption)}</title>"]
    for rate in (0, 25, 50, 75, 100):
        parts.append(f'<line class="grid" x1="{PLOT_LEFT}" x2="{PLOT_RIGHT}" y1="{_at(y(rate))}" y2="{_at(y(rate))}"/>'
                     f'<text class="axis" x="{PLOT_LEFT - 6}" y="{_at(y(rate) + 4)}" text-anchor="end">{rate}%</text>')
    step = max(1, -(-last_week // 13))
    for week in range(1, last_week + 1, step):
        parts.append(f'<text class="axis" x="{_at(x(week))}" y="{PLOT_BOTTOM + 16}" text-anchor="middle">{week}</text>')
    parts.append(f'<text class="axis" x="{(PLOT_LEFT + PLOT_RIGHT) // 2}" y="{PLOT_BOTTOM + 32}" '
                 'text-anchor="middle">Tuần thứ (tính từ đầu kỳ)</text>')
    for points, period, colour, kind in ((trend.previous, trend.previous_period, PREVIOUS_COLOUR, "truoc"),
                                         (trend.points, trend.period, CURRENT_COLOUR, "nay")):
        rated = [p for p in points if p.rate is not None]
        if not rated:
            continue
        line = " ".join(f"{_at(x(p.week))},{_at(y(p.rate or 0))}" for p in rated)
        dash = ' stroke-dasharray="6 4"' if kind == "truoc" else ""
        parts.append(f'<polyline class="line" data-series="{kind}" points="{line}" stroke="{colour}"{dash}/>')
        parts += [_trend_mark(p, period, colour, kind, x(p.week), y(p.rate or 0)) for p in rated]
    parts.append(_trend_legend(trend))
    parts.append("</svg>")
    return "".join(parts)


def _trend_mark(point: TrendPoint, period: str, colour: str, kind: str, cx: float, cy: float) -> str:
    data = (f' data-series="{kind}" data-week="{point.week}" data-day="{point.day.isoformat()}" '
            f'data-done="{point.done}" data-applicable="{point.applicable}" data-rate="{point.rate}"')
    title = (f"Kỳ {period}, tuần {point.week} (đến {format_date(point.day)}): {format_percent(point.rate or 0)} — "
             f"{format_count(point.done)}/{format_count(point.applicable)} lượt")
    if kind == "truoc":
        return (f'<rect class="point" x="{_at(cx - 3.5)}" y="{_at(cy - 3.5)}" width="7" height="7" fill="{colour}"'
                f"{data}><title>{escape(title)}</title></rect>")
    return (f'<circle class="point" cx="{_at(cx)}" cy="{_at(cy)}" r="4" fill="{colour}"{data}>'
            f"<title>{escape(title)}</title></circle>")


def _trend_legend(trend: Trend) -> str:
    y = TREND_HEIGHT - 12
    now = trend.points[-1] if trend.points else None
    before = trend.previous[-1] if trend.previous else None
    now_text = f"Kỳ {trend.period}" + (f": {format_percent(now.rate)}" if now and now.rate is not None else "")
    before_text = (f"Kỳ trước ({trend.previous_period}) cùng thời điểm: {format_percent(before.rate)}"
                   if before and before.rate is not None else f"Kỳ trước ({trend.previous_period}): không có số liệu")
    return (f'<line x1="{PLOT_LEFT}" x2="{PLOT_LEFT + 28}" y1="{y - 4}" y2="{y - 4}" stroke="{CURRENT_COLOUR}" '
            f'class="line"/><text class="legend" x="{PLOT_LEFT + 34}" y="{y}">{escape(now_text)}</text>'
            f'<line x1="{PLOT_LEFT + 330}" x2="{PLOT_LEFT + 358}" y1="{y - 4}" y2="{y - 4}" stroke="{PREVIOUS_COLOUR}" '
            f'stroke-dasharray="6 4" class="line"/><text class="legend" x="{PLOT_LEFT + 364}" y="{y}">'
            f"{escape(before_text)}</text>")
