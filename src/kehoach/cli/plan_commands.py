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
    PlanOpt,
    UnitOpt,
    as_of_date,
    emit,
    emit_json,
    open_data,
    text_format,
)
from kehoach.cli.wording import command_line, examples
from kehoach.errors import EXIT_OK, EXIT_PROBLEMS


@examples(
    ("kehoach validate", "kiểm tra bộ theo dõi ở thư mục hiện tại"),
    ("kehoach validate --data ../bo-theo-doi-khac", "kiểm tra một bộ theo dõi khác"),
    ("kehoach validate --format json", "danh sách lỗi dạng JSON (tệp, dòng, trường)"),
)
def validate(
    data: DataOpt = None,
    plan: PlanOpt = None,
    fmt: FormatOpt = None,
) -> None:
    """Kiểm tra toàn bộ tệp dữ liệu (kế hoạch, đơn vị, trạng thái); liệt kê mọi lỗi. Không ghi gì."""
    from kehoach.commands.validate import validate as run_checks
    from kehoach.store.layout import display_path, find_data_dir

    data_dir = find_data_dir(data)
    problems = run_checks(data_dir, plan)
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


@examples(
    ("kehoach tasks", "mọi nhiệm vụ của kế hoạch, chu kỳ và hạn tới"),
    ("kehoach tasks --unit \"so tu phap\"", "các nhiệm vụ của Sở Tư pháp (gõ không dấu cũng được)"),
    ("kehoach tasks --as-of 1/7/2026", "hạn tới tính từ ngày 1/7/2026"),
)
def tasks(
    unit: UnitOpt = None,
    as_of: AsOfOpt = None,
    data: DataOpt = None,
    plan: PlanOpt = None,
    fmt: FormatOpt = None,
) -> None:
    """Liệt kê nhiệm vụ (của một đơn vị nếu có --unit) với chu kỳ và hạn tới."""
    from kehoach.render.plan_view import tasks_table

    tracker = open_data(data, plan)
    day = as_of_date(as_of)
    found = tracker.registry.find_unit_on(unit, day) if unit else None
    if found is not None and found.note:
        console.info(found.note)
    emit([tasks_table(tracker.definitions, day, found.unit if found else None)], text_format(fmt))


@examples(
    ("kehoach units", "các đơn vị đang tồn tại hôm nay"),
    ("kehoach units --search \"tu phap\"", "tìm đơn vị theo tên, có dấu hay không dấu"),
    ("kehoach units --group cac-so --all", "các sở, cả đơn vị đã giải thể hoặc sáp nhập"),
)
def units(
    group: GroupOpt = None,
    search: Annotated[str | None, typer.Option("--search", "-s", help="Tìm theo mã, tên, tên viết tắt.")] = None,
    include_all: Annotated[bool, typer.Option("--all", help="Cả các đơn vị không còn tồn tại vào ngày tính.")] = False,
    as_of: AsOfOpt = None,
    data: DataOpt = None,
    plan: PlanOpt = None,
    fmt: FormatOpt = None,
) -> None:
    """Liệt kê đơn vị tồn tại vào ngày tính (lọc theo nhóm hoặc tìm theo tên)."""
    from kehoach.commands.many_trackers import open_trackers
    from kehoach.domain.registry import did_you_mean
    from kehoach.render.plan_view import units_table

    # The units are shared by every plan: any plan opens them.
    tracker = open_trackers([data] if data else None, plan)[0].tracker
    group_id = tracker.registry.find_group(group).id if group else None
    table = units_table(tracker.definitions, as_of_date(as_of), group_id, search, include_all)
    emit([table], text_format(fmt))
    if search and not table.rows:
        # Nothing found is said, with the units meant, rather than an empty table and success.
        if not include_all and tracker.registry.search(search):
            everyone = command_line("units", "--search", search, "--all")
            hint = f" Có đơn vị khớp nhưng không tồn tại vào ngày tính; xem bằng: {everyone}"
        else:
            hint = did_you_mean(tracker.registry.closest_units(search))
        console.error(f"Không có đơn vị nào khớp «{search}».{hint}")
        raise typer.Exit(EXIT_PROBLEMS)


@examples(
    ("kehoach show 17", "nhiệm vụ 17: nội dung, đơn vị thực hiện, chu kỳ, hạn"),
    ("kehoach show 17 --as-of 1/1/2027", "các đơn vị thực hiện vào ngày 1/1/2027"),
    ("kehoach show 17 --format json", "dạng JSON"),
)
def show(
    task: Annotated[str, typer.Argument(metavar="NHIỆM_VỤ", help="Mã nhiệm vụ, ví dụ 1, 17, III.3.")],
    as_of: AsOfOpt = None,
    data: DataOpt = None,
    plan: PlanOpt = None,
    fmt: FormatOpt = None,
) -> None:
    """Một nhiệm vụ đầy đủ: nội dung, trách nhiệm, các đơn vị vào ngày tính, chu kỳ, hạn."""
    from kehoach.commands.record import find_task
    from kehoach.render.plan_view import task_detail, task_detail_text

    definitions = open_data(data, plan).definitions
    detail = task_detail(definitions, find_task(definitions, task), as_of_date(as_of))
    chosen = text_format(fmt)
    if chosen == "json":
        emit_json(detail)
    elif chosen == "markdown":
        console.write("# " + task_detail_text(definitions, detail))
    else:
        console.write(task_detail_text(definitions, detail))


@examples(
    ("kehoach init bo-theo-doi", "tạo bộ theo dõi mới trong thư mục bo-theo-doi"),
    ("kehoach init kho-chung/bo-theo-doi --force", "tạo bên trong một kho git đã có, lịch sử ghi vào kho đó"),
)
def init(
    directory: Annotated[str, typer.Argument(metavar="THƯ_MỤC", help="Thư mục của bộ theo dõi mới.")],
    force: Annotated[bool, typer.Option(
        "--force", help="Vẫn tạo khi thư mục nằm trong một kho git đã có (lịch sử thay đổi ghi vào kho đó).")] = False,
    plan: Annotated[str | None, typer.Option(
        "--plan", metavar="TỆP",
        help="Đọc kế hoạch từ văn bản (.docx, .pdf, .txt) thay cho kế hoạch mặc định.")] = None,
    as_of: AsOfOpt = None,
) -> None:
    """Tạo bộ theo dõi mới: kế hoạch và đơn vị mặc định, thư mục trạng thái trống, kho git giữ lịch sử thay đổi."""
    from pathlib import Path

    from kehoach.commands.init import init_tracker
    from kehoach.store.layout import display_path

    if plan is None:
        data_dir = init_tracker(Path(directory), inside_repository=force)
    else:
        from kehoach.commands.plan_import import read_for_init

        text, message = read_for_init(Path(plan), as_of_date(as_of))
        data_dir = init_tracker(Path(directory), inside_repository=force, plan_text=text, message=message)
    where = display_path(data_dir.parent)
    console.info(f"Đã tạo bộ theo dõi tại {where}. Thử:\n  {command_line('check', '--data', where)}\n"
                 f"  {command_line('status', '--data', where)}")
