"""`kehoach plan list`: the plans of the tracker, their documents and how far each stands."""

from __future__ import annotations

from kehoach.cli.options import (
    AsOfOpt,
    DataOpt,
    FormatOpt,
    as_of_date,
    emit,
    emit_json,
    tell_skipped,
    text_format,
)
from kehoach.cli.wording import examples
from kehoach.errors import Problem


@examples(
    ("kehoach plan list", "các kế hoạch, số và ngày văn bản, số nhiệm vụ, tỷ lệ hoàn thành đến hôm nay"),
    ("kehoach plan list --as-of 30/6/2026", "tỷ lệ hoàn thành tính đến ngày 30/6/2026"),
    ("kehoach plan list --format json", "dạng JSON"),
)
def plan_list(
    as_of: AsOfOpt = None,
    data: DataOpt = None,
    fmt: FormatOpt = None,
) -> None:
    """Các kế hoạch của bộ theo dõi: tên dùng cho --plan, số và ngày văn bản, cơ quan ban hành, số nhiệm vụ, ngày bắt
    đầu theo dõi, tỷ lệ hoàn thành các lượt báo cáo đã đến hạn vào ngày tính."""
    from kehoach.commands.many_trackers import open_trackers
    from kehoach.commands.plan_list import plan_summaries
    from kehoach.render.plans_view import plans_table

    trackers = open_trackers([data] if data else None)
    day = as_of_date(as_of)
    skipped: list[Problem] = []
    rows = [summary.as_json() for summary in plan_summaries(trackers, day, skipped)]
    tell_skipped(skipped, trackers)
    chosen = text_format(fmt)
    if chosen == "json":
        emit_json(rows)
    else:
        emit([plans_table(rows, day)], chosen)
    tell_skipped(skipped, trackers, ending=True)
