"""The plan and its units: validate, tasks, units, show; and init, which makes a new tracker."""

from __future__ import annotations

from typing import Annotated

import typer

from kehoach.cli import console
from kehoach.cli.options import (
    AsOfOpt,
    DataOpt,
    FormatOpt,
    GroupOpt,
    UnitOpt,
    as_of_date,
    emit,
    emit_json,
    open_data,
    text_format,
)
from kehoach.errors import EXIT_OK, EXIT_PROBLEMS


def validate(
    data: DataOpt = None,
    fmt: FormatOpt = None,
) -> None:
    """Kiểm tra toàn bộ tệp dữ liệu (kế hoạch, đơn vị, trạng thái); liệt kê mọi lỗi. Không ghi gì."""
    from kehoach.commands.validate import validate as run_checks
    from kehoach.store.layout import display_path, find_data_dir

    data_dir = find_data_dir(data)
    problems = run_checks(data_dir)
    if text_format(fmt) == "json":
        emit_json([p.as_dict() for p in problems])
    else:
        for problem in problems:
            console.write(f"{problem}\n")
        if problems:
            console.error(f"Có {len(problems)} lỗi trong dữ liệu ở {display_path(data_dir)}.")
        else:
            console.info(f"Dữ liệu hợp lệ: {display_path(data_dir)}")
    raise typer.Exit(EXIT_PROBLEMS if problems else EXIT_OK)


def tasks(
    unit: UnitOpt = None,
    as_of: AsOfOpt = None,
    data: DataOpt = None,
    fmt: FormatOpt = None,
) -> None:
    """Liệt kê nhiệm vụ (của một đơn vị nếu có --unit) với chu kỳ và hạn tới."""
    from kehoach.render.plan_view import tasks_table

    tracker = open_data(data)
    chosen = tracker.registry.find_unit(unit) if unit else None
    emit([tasks_table(tracker.definitions, as_of_date(as_of), chosen)], text_format(fmt))


def units(
    group: GroupOpt = None,
    search: Annotated[str | None, typer.Option("--search", "-s", help="Tìm theo mã, tên, tên viết tắt.")] = None,
    include_all: Annotated[bool, typer.Option("--all", help="Cả các đơn vị không còn tồn tại vào ngày tính.")] = False,
    as_of: AsOfOpt = None,
    data: DataOpt = None,
    fmt: FormatOpt = None,
) -> None:
    """Liệt kê đơn vị tồn tại vào ngày tính (lọc theo nhóm hoặc tìm theo tên)."""
    from kehoach.render.plan_view import units_table

    tracker = open_data(data)
    group_id = tracker.registry.find_group(group).id if group else None
    emit([units_table(tracker.definitions, as_of_date(as_of), group_id, search, include_all)], text_format(fmt))


def show(
    task: Annotated[str, typer.Argument(metavar="NHIỆM_VỤ", help="Mã nhiệm vụ, ví dụ 1, 17, III.3.")],
    as_of: AsOfOpt = None,
    data: DataOpt = None,
    fmt: FormatOpt = None,
) -> None:
    """Một nhiệm vụ đầy đủ: nội dung, trách nhiệm, các đơn vị vào ngày tính, chu kỳ, hạn."""
    from kehoach.commands.record import find_task
    from kehoach.render.plan_view import task_detail, task_detail_text

    definitions = open_data(data).definitions
    detail = task_detail(definitions, find_task(definitions, task), as_of_date(as_of))
    chosen = text_format(fmt)
    if chosen == "json":
        emit_json(detail)
    elif chosen == "markdown":
        console.write("# " + task_detail_text(definitions, detail))
    else:
        console.write(task_detail_text(definitions, detail))


def init(
    directory: Annotated[str, typer.Argument(metavar="THƯ_MỤC", help="Thư mục của bộ theo dõi mới.")],
) -> None:
    """Tạo bộ theo dõi mới: kế hoạch và đơn vị mặc định, thư mục trạng thái trống, kho git với commit đầu."""
    from pathlib import Path

    from kehoach.commands.init import init_tracker
    from kehoach.store.layout import display_path

    data_dir = init_tracker(Path(directory))
    console.info(f"Đã tạo bộ theo dõi tại {display_path(data_dir.parent)}. Thử: kehoach --data "
                 f"{display_path(data_dir.parent)} check")
