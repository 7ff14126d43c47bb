"""The heading of `check` names the periods it counts."""

from __future__ import annotations

import datetime as dt

from kehoach.render.slot_view import counted_periods


def test_a_few_periods_are_named_and_many_are_a_range() -> None:
    horizon = dt.date(2026, 12, 27)
    assert counted_periods([], horizon) == "chưa có kỳ nào có hạn đến 27/12/2026"
    assert counted_periods(["2026"], horizon) == "kỳ 2026"
    assert counted_periods(["2026-H1", "2026-H2", "2026"], horizon) == "các kỳ 2026-H1, 2026-H2, 2026"
    years = [f"{y}-{k}" for y in range(2026, 2036) for k in ("H1", "H2")]
    assert counted_periods(years, horizon) == "20 kỳ, từ 2026-H1 đến 2035-H2"
