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
    UnitOpt,
    as_of_date,
    emit,
    emit_json,
    text_format,
    unit_choice,
)
from kehoach.errors import EXIT_OK, EXIT_PROBLEMS


def check(
    as_of: AsOfOpt = None,
    within: Annotated[int, typer.Option("--within", "-w", min=0, help="Số ngày tới để báo sắp đến hạn.")] = 30,
    unit: UnitOpt = None,
    group: GroupOpt = None,
    data: DataListOpt = None,
    fmt: FormatOpt = None,
) -> None:
    """Việc quá hạn và sắp đến hạn, theo đơn vị, quá hạn lâu nhất trước. Mã thoát 1 khi có việc quá hạn."""
    import datetime as dt

    from kehoach.commands.evaluate import tally
    from kehoach.commands.many_trackers import open_trackers
    from kehoach.domain.rules import chosen_units
    from kehoach.domain.slots import Scope
    from kehoach.render.slot_view import check_tables, with_source_column

    choice = unit_choice(unit, group)
    trackers = open_trackers(data)
    day = as_of_date(as_of)
    last = day + dt.timedelta(days=within)
    counts, items = tally(trackers, lambda d: Scope(units=chosen_units(d, choice), last=last), day)
    tables, rows = check_tables(items, day, within, counts)
    chosen = text_format(fmt)
    if chosen == "json":
        emit_json(rows)
    else:
        emit(with_source_column(tables, len(trackers) > 1), chosen)
    raise typer.Exit(EXIT_PROBLEMS if any(r["kind"] == "qua-han" for r in rows) else EXIT_OK)


def status(
    unit: UnitOpt = None,
    task: Annotated[str | None, typer.Option("--task", "-t", help="Mã nhiệm vụ.")] = None,
    period: PeriodOpt = None,
    group: GroupOpt = None,
    as_of: AsOfOpt = None,
    data: DataListOpt = None,
    fmt: FormatOpt = None,
) -> None:
    """Các ô (nhiệm vụ, đơn vị, kỳ) với tình trạng vào ngày tính. Mặc định: các kỳ của năm của ngày tính."""
    from kehoach.commands.evaluate import evaluate
    from kehoach.commands.many_trackers import open_trackers
    from kehoach.commands.record import find_task
    from kehoach.domain.definitions import Definitions
    from kehoach.domain.periods import parse_period, year_of
    from kehoach.domain.rules import chosen_units
    from kehoach.domain.slots import Scope, sort_slots
    from kehoach.render.slot_view import status_table, with_source_column

    choice = unit_choice(unit, group)
    trackers = open_trackers(data)
    day = as_of_date(as_of)
    chosen_period = parse_period(period) if period else year_of(day)

    def scope_for(definitions: Definitions) -> Scope:
        tasks_in = frozenset({find_task(definitions, task).id}) if task else None
        return Scope(units=chosen_units(definitions, choice), tasks=tasks_in, period=chosen_period)

    items = evaluate(trackers, scope_for, day, order=sort_slots)
    tables = [status_table(items, day, f"Tình trạng kỳ {chosen_period.name}")]
    emit(with_source_column(tables, len(trackers) > 1), text_format(fmt))


def log(
    task: Annotated[str | None, typer.Option("--task", "-t", help="Mã nhiệm vụ.")] = None,
    unit: UnitOpt = None,
    period: PeriodOpt = None,
    since: Annotated[str | None, typer.Option("--since", help="Từ ngày (2026-06-01 hoặc 1/6/2026).")] = None,
    data: DataOpt = None,
    fmt: FormatOpt = None,
) -> None:
    """Lịch sử thay đổi đọc từ git: khi nào, ai, bản ghi nào, trạng thái cũ → mới, căn cứ, ghi chú."""
    from kehoach.commands.record import find_task, recover_if_interrupted
    from kehoach.domain.periods import parse_date, parse_period
    from kehoach.git.history import LogQuery, read_log
    from kehoach.render.change_view import log_table
    from kehoach.store.layout import find_data_dir
    from kehoach.store.tracker import open_tracker

    data_dir = find_data_dir(data)
    recover_if_interrupted(data_dir)
    definitions = open_tracker(data_dir).definitions
    query = LogQuery(
        task=find_task(definitions, task).id if task else None,
        unit=definitions.registry.find_unit(unit).id if unit else None,
        period=parse_period(period).name if period else None,
        since=parse_date(since, "ngày --since") if since else None,
    )
    changes = read_log(data_dir, query)
    chosen = text_format(fmt)
    if chosen == "json":
        emit_json([c.as_row() for c in changes])
    else:
        emit([log_table(definitions, changes)], chosen)
