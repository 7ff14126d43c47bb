"""Following up: where every slot stands (status), what is late or due soon (check), who changed what (log)."""

from __future__ import annotations

from typing import Annotated

import typer

from kehoach.cli.options import (
    AsOfOpt,
    DataListOpt,
    DataOpt,
    FormatOpt,
    GroupOpt,
    PeriodOpt,
    PlanOpt,
    TaskOpt,
    UnitOpt,
    as_of_date,
    emit,
    emit_json,
    on_the_day,
    tell_skipped,
    text_format,
    unit_choice,
)
from kehoach.cli.wording import examples
from kehoach.errors import EXIT_OK, EXIT_PROBLEMS, Problem


@examples(
    ("kehoach check", "việc quá hạn và sắp đến hạn trong 30 ngày tới, tính đến hôm nay"),
    ("kehoach check --as-of 30/6/2026 --within 7", "tính đến 30/6/2026, báo việc đến hạn trong 7 ngày"),
    ("kehoach check --unit \"Sở Tư pháp\"", "chỉ một đơn vị (gõ có dấu hay không dấu đều được)"),
)
def check(
    as_of: AsOfOpt = None,
    within: Annotated[int, typer.Option("--within", "-w", min=0, metavar="SỐ_NGÀY",
                                        help="Số ngày tới để báo sắp đến hạn.")] = 30,
    unit: UnitOpt = None,
    group: GroupOpt = None,
    data: DataListOpt = None,
    plan: PlanOpt = None,
    fmt: FormatOpt = None,
) -> None:
    """Việc quá hạn và sắp đến hạn, theo đơn vị, quá hạn lâu nhất trước. Mã thoát 1 khi có việc quá hạn."""
    import datetime as dt

    from kehoach.commands.evaluate import tally
    from kehoach.commands.many_trackers import open_trackers, several_plans
    from kehoach.domain.rules import chosen_units
    from kehoach.domain.slots import Scope
    from kehoach.render.slot_view import check_lists, check_tables, source_heading, with_source_column

    choice = unit_choice(unit, group)
    trackers = open_trackers(data, plan)
    day = as_of_date(as_of)
    choice = on_the_day(choice, trackers, day)
    last = day + dt.timedelta(days=within)
    skipped: list[Problem] = []
    counted = tally(trackers, lambda d: Scope(units=chosen_units(d, choice), last=last), day, skipped)
    plans = several_plans(trackers)
    lists = check_lists(counted.open, day, within)
    chosen = text_format(fmt)
    tell_skipped(skipped, trackers)
    if chosen == "json":
        emit_json(lists.rows())
    else:
        tables = check_tables(lists, within, counted.counts, counted.periods, units_shared=plans)
        emit(with_source_column(tables, len(trackers) > 1, source_heading(plans)), chosen)
    tell_skipped(skipped, trackers, ending=True)
    raise typer.Exit(EXIT_PROBLEMS if lists.overdue else EXIT_OK)


@examples(
    ("kehoach status --unit so-tu-phap", "tình trạng mọi nhiệm vụ của Sở Tư pháp trong năm nay"),
    ("kehoach status --task 17 --period 2026-H1", "nhiệm vụ 17, kỳ 6 tháng đầu năm 2026, mọi đơn vị"),
    ("kehoach status --group cac-so --format csv", "các sở, dạng CSV để mở bằng Excel"),
)
def status(
    unit: UnitOpt = None,
    task: TaskOpt = None,
    period: PeriodOpt = None,
    group: GroupOpt = None,
    as_of: AsOfOpt = None,
    data: DataListOpt = None,
    plan: PlanOpt = None,
    fmt: FormatOpt = None,
) -> None:
    """Từng lượt báo cáo (nhiệm vụ, đơn vị, kỳ) với tình trạng vào ngày tính. Mặc định: các kỳ của năm của ngày
    tính."""
    from kehoach.commands.evaluate import evaluate
    from kehoach.commands.many_trackers import open_trackers, several_plans, task_in_some_plan
    from kehoach.domain.definitions import Definitions
    from kehoach.domain.periods import parse_period, year_of
    from kehoach.domain.rules import chosen_units
    from kehoach.domain.slots import Scope, sort_slots
    from kehoach.render.slot_view import source_heading, status_table, with_source_column

    choice = unit_choice(unit, group)
    trackers = open_trackers(data, plan)
    day = as_of_date(as_of)
    choice = on_the_day(choice, trackers, day)
    chosen_period = parse_period(period) if period else year_of(day)

    task_id = task_in_some_plan(trackers, task) if task else None

    def scope_for(definitions: Definitions) -> Scope:
        tasks_in = frozenset({task_id} & {t.id for t in definitions.plan.tasks}) if task_id else None
        return Scope(units=chosen_units(definitions, choice), tasks=tasks_in, period=chosen_period)

    skipped: list[Problem] = []
    items = evaluate(trackers, scope_for, day, order=sort_slots, skipped=skipped)
    tables = [status_table(items, day, f"Tình trạng kỳ {chosen_period.name}")]
    tell_skipped(skipped, trackers)
    emit(with_source_column(tables, len(trackers) > 1, source_heading(several_plans(trackers))), text_format(fmt))
    tell_skipped(skipped, trackers, ending=True)


@examples(
    ("kehoach log", "mọi thay đổi đã ghi, mới nhất trước"),
    ("kehoach log --unit so-tu-phap --since 1/6/2026", "thay đổi của Sở Tư pháp từ ngày 1/6/2026"),
    ("kehoach log --task 17 --format csv", "lịch sử nhiệm vụ 17, dạng CSV"),
)
def log(
    task: TaskOpt = None,
    unit: UnitOpt = None,
    period: PeriodOpt = None,
    since: Annotated[str | None, typer.Option("--since", metavar="NGÀY",
                                              help="Từ ngày (1/6/2026 hoặc 2026-06-01).")] = None,
    data: DataOpt = None,
    plan: PlanOpt = None,
    fmt: FormatOpt = None,
) -> None:
    """Lịch sử thay đổi đọc từ git: khi nào, ai, bản ghi nào, trạng thái cũ → mới, căn cứ, ghi chú."""
    from kehoach.commands.many_trackers import open_trackers, plan_of_status_file, task_in_some_plan
    from kehoach.domain.periods import parse_date, parse_period
    from kehoach.git.history import LogQuery, read_log
    from kehoach.render.change_view import log_table

    trackers = open_trackers([data] if data else None, plan)
    first = trackers[0].tracker
    query = LogQuery(
        task=task_in_some_plan(trackers, task) if task else None,
        unit=first.registry.find_unit(unit).id if unit else None,
        period=parse_period(period).name if period else None,
        since=parse_date(since, "ngày --since") if since else None,
    )
    if len(trackers) == 1:
        changes = read_log(first.data_dir, query, status_folder=first.status_dir)
        plan_of = None
    else:  # every plan in one walk of the history; each change says its plan
        changes = read_log(first.data_dir, query)
        plan_of = plan_of_status_file(trackers)
    chosen = text_format(fmt)
    if chosen == "json":
        emit_json([c.as_row() if plan_of is None else {"plan": plan_of(c.path), **c.as_row()} for c in changes])
    else:
        emit([log_table(first.definitions, changes, plan_of)], chosen)
