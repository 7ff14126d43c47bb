"""The command line: parses options, calls one core function, hands its rows to a renderer, maps
errors to exit codes. The only module that imports typer; the clock is read only here."""

from __future__ import annotations

import datetime as dt
import os
import re
import sys
from enum import StrEnum
from typing import TYPE_CHECKING, Annotated, Any

import typer

from kehoach import __version__
from kehoach.cli import console
from kehoach.errors import EXIT_INTERNAL, EXIT_OK, EXIT_PROBLEMS, EXIT_REJECTED, KehoachError

if TYPE_CHECKING:
    from kehoach.render.rows import Table
    from kehoach.store.tracker import Tracker

# Typer vendors its own click; reach its UsageError through a public class rather than a private module.
UsageError: type[Exception] = next(c for c in typer.BadParameter.__mro__ if c.__name__ == "UsageError")

_APP_SETTINGS: dict[str, Any] = {
    "name": "kehoach",
    "help": "kehoach — theo dõi thực hiện kế hoạch: từng nhiệm vụ, từng đơn vị, từng kỳ.",
    "no_args_is_help": True,
    "add_completion": False,
    "pretty_exceptions_enable": False,
    "rich_markup_mode": None,
    "context_settings": {"help_option_names": ["-h", "--help"]},
}
app = typer.Typer(**_APP_SETTINGS)


class Format(StrEnum):
    table = "table"
    plain = "plain"
    markdown = "markdown"
    csv = "csv"
    json = "json"


DataOpt = Annotated[
    str | None,
    typer.Option("--data", help="Thư mục dữ liệu (chứa plan.yaml) hoặc thư mục bộ theo dõi. Mặc định: "
                                "biến KEHOACH_DATA, rồi data/plan.yaml gần nhất từ thư mục hiện tại trở lên."),
]
DataListOpt = Annotated[
    list[str] | None,
    typer.Option("--data", help="Thư mục dữ liệu hoặc thư mục bộ theo dõi; lặp lại --data để xem "
                                "nhiều bộ theo dõi cùng lúc (mỗi dòng ghi rõ bộ theo dõi nguồn), hoặc "
                                "một thư mục chứa nhiều bộ theo dõi. Mặc định: như các lệnh khác."),
]
AsOfOpt = Annotated[
    str | None,
    typer.Option("--as-of", help="Ngày tính (2026-06-10 hoặc 10/6/2026). Mặc định: hôm nay."),
]
FormatOpt = Annotated[
    Format | None,
    typer.Option("--format", "-f", help="Định dạng: table (bảng trên màn hình), plain, markdown, csv, json. "
                                        "Mặc định: table trên màn hình, plain khi chuyển qua ống/tệp."),
]
UnitOpt = Annotated[str | None, typer.Option("--unit", "-u", help="Đơn vị: mã, tên hoặc tên viết tắt, có dấu hay "
                                                                   "không dấu.")]
GroupOpt = Annotated[str | None, typer.Option("--group", "-g", help="Nhóm đơn vị: mã hoặc tên.")]


def _version(value: bool) -> None:
    if value:
        console.write(f"kehoach {__version__}\n")
        raise typer.Exit(0)


@app.callback()
def _root(
    version: Annotated[bool, typer.Option("--version", callback=_version, is_eager=True,
                                          help="In phiên bản rồi thoát.")] = False,
) -> None:
    """kehoach — theo dõi thực hiện kế hoạch: từng nhiệm vụ, từng đơn vị, từng kỳ."""


# --- shared plumbing -------------------------------------------------------------------------------

def _as_of(value: str | None) -> dt.date:
    from kehoach.domain.periods import parse_date

    return parse_date(value, "ngày tính --as-of") if value else dt.date.today()


def _tracker(data: str | None) -> Tracker:
    from kehoach.store.tracker import find_data_dir, open_tracker

    return open_tracker(find_data_dir(data))


def _format(fmt: Format | None) -> str:
    if fmt is not None:
        return fmt.value
    return "table" if sys.stdout.isatty() else "plain"


def _emit(tables: list[Table], fmt: str) -> None:
    if fmt == "table":
        console.print_tables(tables)
    else:
        from kehoach.render.text import render

        console.write(render(tables, fmt))


# --- plan and units --------------------------------------------------------------------------------

@app.command()
def validate(
    data: DataOpt = None,
    fmt: FormatOpt = None,
) -> None:
    """Kiểm tra toàn bộ tệp dữ liệu (kế hoạch, đơn vị, trạng thái); liệt kê mọi lỗi. Không ghi gì."""
    from kehoach.commands.validate import validate as run_checks
    from kehoach.store.tracker import display_path, find_data_dir

    data_dir = find_data_dir(data)
    problems = run_checks(data_dir)
    chosen = _format(fmt)
    if chosen == "json":
        from kehoach.render.text import to_json

        console.write(to_json([p.as_dict() for p in problems]))
    else:
        for problem in problems:
            console.write(f"{problem}\n")
        if problems:
            console.error(f"Có {len(problems)} lỗi trong dữ liệu ở {display_path(data_dir)}.")
        else:
            console.info(f"Dữ liệu hợp lệ: {display_path(data_dir)}")
    raise typer.Exit(EXIT_PROBLEMS if problems else EXIT_OK)


@app.command()
def tasks(
    unit: UnitOpt = None,
    as_of: AsOfOpt = None,
    data: DataOpt = None,
    fmt: FormatOpt = None,
) -> None:
    """Liệt kê nhiệm vụ (của một đơn vị nếu có --unit) với chu kỳ và hạn tới."""
    from kehoach.render.plan_view import tasks_table

    tracker = _tracker(data)
    day = _as_of(as_of)
    chosen = tracker.registry.find_unit(unit) if unit else None
    _emit([tasks_table(tracker, day, chosen)], _format(fmt))


@app.command()
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

    tracker = _tracker(data)
    group_id = tracker.registry.find_group(group).id if group else None
    _emit([units_table(tracker, _as_of(as_of), group_id, search, include_all)], _format(fmt))


@app.command()
def show(
    task: Annotated[str, typer.Argument(metavar="NHIỆM_VỤ", help="Mã nhiệm vụ, ví dụ 1, 17, III.3.")],
    as_of: AsOfOpt = None,
    data: DataOpt = None,
    fmt: FormatOpt = None,
) -> None:
    """Một nhiệm vụ đầy đủ: nội dung, trách nhiệm, các đơn vị vào ngày tính, chu kỳ, hạn."""
    from kehoach.commands.record import find_task
    from kehoach.render.plan_view import task_detail, task_detail_text

    tracker = _tracker(data)
    found = find_task(tracker, task)
    detail = task_detail(tracker, found, _as_of(as_of))
    chosen = _format(fmt)
    if chosen == "json":
        from kehoach.render.text import to_json

        console.write(to_json(detail))
    elif chosen == "markdown":
        console.write("# " + task_detail_text(tracker, detail))
    else:
        console.write(task_detail_text(tracker, detail))


# --- recording and deadlines ----------------------------------------------------------------------

PeriodOpt = Annotated[str | None, typer.Option("--period", "-p", help="Kỳ: 2026, 2026-H1, 2026-H2...")]


def _recorder(tracker: Tracker, by: str | None) -> str | None:
    """Who recorded: --by, else git's user.name, else the login name."""
    if by:
        return by
    import getpass

    from kehoach.git import run as gitio

    root = gitio.work_tree_root(tracker.data_dir)
    name = gitio.config_value(root, "user.name") if root else None
    if name:
        return name
    try:
        return getpass.getuser()
    except (KeyError, OSError):
        return None


@app.command()
def record(
    task: Annotated[str, typer.Argument(metavar="NHIỆM_VỤ", help="Mã nhiệm vụ, ví dụ 17 hoặc III.3.")],
    unit: Annotated[str, typer.Argument(metavar="ĐƠN_VỊ",
                                        help="Đơn vị: mã, tên hoặc tên viết tắt (có dấu hay không dấu).")],
    status: Annotated[str, typer.Option("--status", "-s", help="Trạng thái: chua-thuc-hien, dang-thuc-hien, "
                                        "hoan-thanh, khong-ap-dung (hoặc 'hoàn thành', 'done', 'n/a'...).")],
    period: PeriodOpt = None,
    done_on: Annotated[str | None, typer.Option("--done-on", help="Ngày hoàn thành (bắt buộc khi hoàn thành).")]
    = None,
    evidence: Annotated[str | None, typer.Option("--evidence", "-e", help="Căn cứ: số, ngày văn bản báo cáo, "
                                                 "đường dẫn hoặc URL.")] = None,
    note: Annotated[str | None, typer.Option("--note", "-n", help="Ghi chú (lý do khi không áp dụng).")] = None,
    by: Annotated[str | None, typer.Option("--by", help="Người ghi nhận. Mặc định: user.name của git.")] = None,
    as_of: AsOfOpt = None,
    no_commit: Annotated[bool, typer.Option("--no-commit", help="Ghi tệp nhưng không tạo commit git.")] = False,
    data: DataOpt = None,
) -> None:
    """Ghi nhận trạng thái một đơn vị báo cáo cho một nhiệm vụ trong một kỳ (kiểm tra hết rồi mới ghi)."""
    from kehoach.commands.record import author_for, prepare
    from kehoach.commands.record import record as write_record
    from kehoach.domain.periods import format_date, parse_date

    tracker = _tracker(data)
    day = _as_of(as_of)
    update = prepare(tracker, task=task, unit=unit, status=status, period=period,
                     done_on=parse_date(done_on, "ngày hoàn thành --done-on") if done_on else None,
                     evidence=evidence, note=note, by=_recorder(tracker, by), as_of=day)
    where = f"nhiệm vụ {update.task.id}, {update.unit.name}, kỳ {update.period.name}"
    if not update.changed:
        console.info(f"Không có gì thay đổi: {where} đã là «{update.record.status.label}».")
        return
    # The author is looked up in git's config only when there is a commit to sign.
    outcome = write_record(tracker, update, commit=not no_commit, author=None if no_commit else author_for(tracker, by))
    done = f" ngày {format_date(update.record.done_on)}" if update.record.done_on else ""
    console.info(f"Đã ghi nhận {where}: {update.record.status.label}{done}.")
    if outcome.commit:
        console.info(f"Đã commit {outcome.commit[:10]}.")
    elif not outcome.in_git:
        console.warning("Cảnh báo: thư mục dữ liệu không nằm trong kho git, thay đổi không có lịch sử kiểm tra.")


def _scope_units(tracker: Tracker, unit: str | None, group: str | None) -> frozenset[str] | None:
    if unit and group:
        from kehoach.errors import InputError

        raise InputError("chỉ dùng một trong --unit hoặc --group")
    if unit:
        return frozenset({tracker.registry.find_unit(unit).id})
    if group:
        gid = tracker.registry.find_group(group).id
        return frozenset(u.id for u in tracker.registry.units.values() if gid in u.groups)
    return None


@app.command()
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

    from kehoach.commands.many_trackers import open_trackers, tally, with_source_column
    from kehoach.domain.slots import Scope
    from kehoach.render.slot_view import check_tables

    trackers = open_trackers(data)
    day = _as_of(as_of)
    counts, items = tally(trackers, lambda tracker: Scope(units=_scope_units(tracker, unit, group),
                                                         last=day + dt.timedelta(days=within)), day)
    tables, rows = check_tables(items, day, within, counts)
    tables = with_source_column(tables, len(trackers) > 1)
    chosen = _format(fmt)
    if chosen == "json":
        from kehoach.render.text import to_json

        console.write(to_json(rows))
    else:
        _emit(tables, chosen)
    raise typer.Exit(EXIT_PROBLEMS if any(r["kind"] == "qua-han" for r in rows) else EXIT_OK)


@app.command()
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
    from kehoach.commands.many_trackers import evaluate, open_trackers, with_source_column
    from kehoach.commands.record import find_task
    from kehoach.domain.periods import parse_period
    from kehoach.domain.slots import Scope, sort_slots
    from kehoach.render.slot_view import status_table

    trackers = open_trackers(data)
    day = _as_of(as_of)
    chosen_period = parse_period(period) if period else parse_period(str(day.year))

    def scope_for(tracker):  # type: ignore[no-untyped-def]
        tasks_in = frozenset({find_task(tracker, task).id}) if task else None
        return Scope(units=_scope_units(tracker, unit, group), tasks=tasks_in, period=chosen_period)

    items = evaluate(trackers, scope_for, day, order=sort_slots)
    tables = [status_table(items, day, f"Tình trạng kỳ {chosen_period.name}")]
    _emit(with_source_column(tables, len(trackers) > 1), _format(fmt))


@app.command()
def log(
    task: Annotated[str | None, typer.Option("--task", "-t", help="Mã nhiệm vụ.")] = None,
    unit: UnitOpt = None,
    period: PeriodOpt = None,
    since: Annotated[str | None, typer.Option("--since", help="Từ ngày (2026-06-01 hoặc 1/6/2026).")] = None,
    data: DataOpt = None,
    fmt: FormatOpt = None,
) -> None:
    """Lịch sử thay đổi đọc từ git: khi nào, ai, bản ghi nào, trạng thái cũ → mới, căn cứ, ghi chú."""
    from kehoach.commands.record import find_task
    from kehoach.domain.periods import parse_date, parse_period
    from kehoach.git.history import LogQuery, read_log
    from kehoach.render.change_view import log_table
    from kehoach.store.tracker import find_data_dir, open_tracker

    data_dir = find_data_dir(data)
    tracker = open_tracker(data_dir)
    query = LogQuery(
        task=find_task(tracker, task).id if task else None,
        unit=tracker.registry.find_unit(unit).id if unit else None,
        period=parse_period(period).name if period else None,
        since=parse_date(since, "ngày --since") if since else None,
    )
    changes = read_log(data_dir, query)
    chosen = _format(fmt)
    if chosen == "json":
        from kehoach.render.text import to_json

        console.write(to_json([c.as_row() for c in changes]))
    else:
        _emit([log_table(tracker, changes)], chosen)


@app.command()
def init(
    directory: Annotated[str, typer.Argument(metavar="THƯ_MỤC", help="Thư mục của bộ theo dõi mới.")],
) -> None:
    """Tạo bộ theo dõi mới: kế hoạch và đơn vị mặc định, thư mục trạng thái trống, kho git với commit đầu."""
    from pathlib import Path

    from kehoach.commands.init import init_tracker
    from kehoach.store.tracker import display_path

    data_dir = init_tracker(Path(directory))
    console.info(f"Đã tạo bộ theo dõi tại {display_path(data_dir.parent)}. Thử: kehoach --data "
                 f"{display_path(data_dir.parent)} check")


# --- many clerks, many machines (sync) ------------------------------------------------------------

@app.command("merge-driver", hidden=True)
def merge_driver(
    base: Annotated[str, typer.Argument()],
    ours: Annotated[str, typer.Argument()],
    theirs: Annotated[str, typer.Argument()],
    path: Annotated[str, typer.Argument()],
) -> None:
    """Bộ gộp tệp trạng thái cho git (git gọi: kehoach merge-driver %O %A %B %P)."""
    from kehoach.git.merge_driver import run_driver

    raise typer.Exit(run_driver(base, ours, theirs, path, report=console.error))


@app.command("setup-git")
def setup_git(
    data: DataOpt = None,
) -> None:
    """Cài bộ gộp tệp trạng thái theo từng bản ghi vào kho git này (.gitattributes và cấu hình git). Chạy
    một lần trong mỗi bản sao (git clone); chạy lại không thay đổi gì."""
    from kehoach.git.setup import setup_git as install
    from kehoach.store.tracker import display_path, find_data_dir

    done = install(find_data_dir(data))
    where = display_path(done.root)
    if not done.attributes_written and not done.config_written:
        console.info(f"Bộ gộp tệp trạng thái đã được cài sẵn trong {where}; không thay đổi gì.")
        return
    if done.attributes_written:
        console.info(f"Đã thêm dòng «{done.attributes_line}» vào {where}/.gitattributes"
                     + (f" (commit {done.commit[:10]})." if done.commit else "."))
    if done.config_written:
        console.info(f"Đã cấu hình git trong {where} để gộp tệp trạng thái theo từng bản ghi.")


@app.command()
def sync(
    remote: Annotated[str, typer.Option("--remote", help="Tên kho chung (remote) của git.")] = "origin",
    data: DataOpt = None,
) -> None:
    """Đồng bộ với kho chung: lấy về, gộp theo từng bản ghi, kiểm tra dữ liệu, rồi đẩy lên. Mã thoát 1 khi
    có xung đột hoặc dữ liệu lỗi (cần người quyết định), 2 khi không kết nối được kho chung."""
    from kehoach.commands.sync import sync as run_sync
    from kehoach.render.sync_view import sync_summary
    from kehoach.store.tracker import find_data_dir, open_tracker

    data_dir = find_data_dir(data)
    result = run_sync(data_dir, remote)
    console.info(sync_summary(open_tracker(data_dir), result))


# --- excel forms round trip ----------------------------------------------------------------------

@app.command()
def form(
    units: Annotated[list[str] | None, typer.Argument(
        help="Đơn vị: mã, tên hoặc tên viết tắt (một hay nhiều).", show_default=False)] = None,
    group: GroupOpt = None,
    everyone: Annotated[bool, typer.Option("--all", help="Mọi đơn vị có nhiệm vụ trong kỳ.")] = False,
    period: PeriodOpt = None,
    as_of: AsOfOpt = None,
    output: Annotated[str | None, typer.Option("--output", "-o", help="Thư mục ghi biểu mẫu. Mặc định: "
                                               "reports/bieu-mau của bộ theo dõi.")] = None,
    data: DataOpt = None,
) -> None:
    """Lập biểu mẫu Excel cho đơn vị điền và gửi lại: mỗi đơn vị một tệp, các nhiệm vụ của kỳ."""
    from pathlib import Path

    from kehoach.domain.periods import parse_period
    from kehoach.excel.form_writer import default_output_dir, default_period, make_forms, select_units
    from kehoach.store.tracker import display_path

    tracker = _tracker(data)
    day = _as_of(as_of)
    chosen_period = parse_period(period) if period else default_period(day)
    chosen, named = select_units(tracker, units or [], group, everyone)
    out_dir = Path(output) if output else default_output_dir(tracker)
    batch = make_forms(tracker, chosen, named, chosen_period, day, out_dir)
    for made in batch.made:
        console.write(f"{display_path(made.path)}\n")
    console.info(f"Đã lập {len(batch.made)} biểu mẫu kỳ {chosen_period.name} trong {display_path(out_dir)}.")
    if batch.skipped:
        console.info(f"Bỏ qua {len(batch.skipped)} đơn vị không có nhiệm vụ trong kỳ {chosen_period.name}.")


@app.command("import")
def import_forms(
    files: Annotated[list[str], typer.Argument(help="Các tệp biểu mẫu đã điền (.xlsx, hoặc .csv xuất từ biểu "
                                               "mẫu).", show_default=False)],
    dry_run: Annotated[bool, typer.Option("--dry-run", help="Chỉ kiểm tra và cho xem thay đổi, "
                                          "không ghi gì.")] = False,
    by: Annotated[str | None, typer.Option("--by", help="Người nhập. Mặc định: user.name của git.")] = None,
    no_commit: Annotated[bool, typer.Option("--no-commit", help="Ghi tệp nhưng không tạo commit "
                                            "git.")] = False,
    as_of: AsOfOpt = None,
    data: DataOpt = None,
) -> None:
    """Nhập biểu mẫu đơn vị gửi lại: kiểm tra mọi dòng như lệnh record, cho xem thay đổi rồi ghi từng tệp
    (tệp có lỗi thì không ghi gì từ tệp đó). Mã thoát 1 khi có tệp bị từ chối, 2 khi có tệp không đọc được."""
    from pathlib import Path

    from kehoach.commands.import_forms import UnreadableFileError, apply_import, check_form, preview_table, read_form
    from kehoach.commands.record import author_for

    tracker = _tracker(data)
    day = _as_of(as_of)
    recorder = _recorder(tracker, by)
    unreadable = rejected = 0
    for name in files:
        try:
            form_file = read_form(Path(name))
        except UnreadableFileError as exc:
            console.error(f"Lỗi: {exc}")
            unreadable += 1
            continue
        result = check_form(tracker, form_file, day, recorder)
        for warning in result.warnings:
            console.warning(warning)
        if not result.ok:
            for problem in result.problems:
                console.error(problem)
            console.error(f"Đã từ chối {form_file.shown}: {len(result.problems)} lỗi; "
                          "không ghi gì từ tệp này.")
            rejected += 1
            continue
        _emit([preview_table(result)], _format(None))
        if dry_run:
            console.info(f"Chạy thử (--dry-run): không ghi gì từ {form_file.shown}.")
            continue
        outcome = apply_import(tracker, result, commit=not no_commit, author=author_for(tracker, by))
        if not outcome.written:
            console.info(f"Không có gì thay đổi từ {form_file.shown}.")
            continue
        console.info(f"Đã nhập {form_file.shown}: ghi {sum(1 for u in result.updates if u.changed)} bản ghi.")
        if outcome.commit:
            console.info(f"Đã commit {outcome.commit[:10]}.")
        elif not outcome.in_git:
            console.warning("Cảnh báo: thư mục dữ liệu không nằm trong kho git, "
                            "thay đổi không có lịch sử kiểm tra.")
    if unreadable:
        raise typer.Exit(EXIT_REJECTED)
    raise typer.Exit(EXIT_PROBLEMS if rejected else EXIT_OK)


# --- reports ---------------------------------------------------------------------------------------

class ReportFormat(StrEnum):
    table = "table"
    plain = "plain"
    markdown = "markdown"
    csv = "csv"
    json = "json"
    xlsx = "xlsx"


@app.command()
def report(
    period: PeriodOpt = None,
    as_of: AsOfOpt = None,
    unit: UnitOpt = None,
    group: GroupOpt = None,
    fmt: Annotated[ReportFormat | None, typer.Option(
        "--format", "-f", help="Định dạng: table (màn hình), plain, markdown, csv, json, xlsx (Excel). "
                               "Mặc định: theo phần mở rộng của -o; table trên màn hình, plain khi chuyển "
                               "qua ống.")] = None,
    output: Annotated[str | None, typer.Option(
        "--output", "-o", help="Tệp (.xlsx .csv .md .json .txt: định dạng theo phần mở rộng) hoặc thư "
                               "mục (tên tệp tự đặt theo kế hoạch, phạm vi, kỳ, ngày tính). Mặc định với "
                               "xlsx: reports/.")] = None,
    each_unit: Annotated[bool, typer.Option(
        "--each-unit", help="Mỗi đơn vị một tệp (mặc định Excel) trong thư mục -o, trong một lần chạy.")]
    = False,
    data: DataListOpt = None,
) -> None:
    """Báo cáo tình hình thực hiện: số ô, tỷ lệ theo tình trạng, nhiệm vụ, nhóm, đơn vị; quá hạn; Excel.
    Nhiều --data (hoặc một thư mục chứa nhiều bộ theo dõi): một báo cáo chung, mỗi dòng ghi bộ theo dõi."""
    from kehoach.commands.many_trackers import open_trackers
    from kehoach.domain.periods import parse_period
    from kehoach.domain.report import ReportScope, build_report, collect, file_stem, unit_reports
    from kehoach.errors import InputError
    from kehoach.store.report_file import default_folder, resolve_target
    from kehoach.store.status_files import current_records

    if each_unit and unit:
        raise InputError("--each-unit đã ghi mỗi đơn vị một tệp; không dùng cùng --unit (dùng --group "
                         "để giới hạn các đơn vị)")
    trackers = open_trackers(data)
    if each_unit and len(trackers) > 1:
        raise InputError("--each-unit chỉ dùng với một bộ theo dõi (một --data)")
    tracker = trackers[0].tracker
    day = _as_of(as_of)
    chosen_period = parse_period(period) if period else parse_period(str(day.year))
    chosen_format = fmt.value if fmt else None
    if chosen_format is None and output is None and not each_unit:
        chosen_format = _format(None)
    target = resolve_target(output, chosen_format, default_folder(tracker.data_dir), each_unit)
    if len(trackers) > 1:
        from kehoach.commands.report_many import merged_report
        from kehoach.excel.report_workbook import SEVERAL_DETAIL_LIMIT

        # Keep only the slot rows the output shows: JSON all, the workbook a bounded Chi tiết, a unit's
        # sheet its rows; the other whole-plan formats show counts and the overdue list only.
        keep = (SEVERAL_DETAIL_LIMIT if target.fmt == "xlsx" else
                None if target.fmt == "json" or unit else 0)
        made = merged_report(trackers, lambda t: ReportScope.chosen(t, unit, group), chosen_period, day, keep)
        written = _write_report(trackers, made, target, file_stem(made))
        if written is not None:
            from kehoach.store.tracker import display_path

            console.info(f"Đã ghi báo cáo: {display_path(written)}")
        return
    scope = ReportScope.chosen(tracker, unit, group)
    records = current_records(tracker, years={chosen_period.year})  # a period's records are in its year's files
    if each_unit:
        from kehoach.render.terminal import progress
        from kehoach.store.tracker import display_path

        reports = unit_reports(tracker, scope, chosen_period, day, records)
        for made in progress(reports, "Đang ghi báo cáo từng đơn vị"):
            _write_report(trackers, made, target, file_stem(made))
        folder = target.folder or default_folder(tracker.data_dir)
        console.info(f"Đã ghi {len(reports)} tệp báo cáo vào {display_path(folder)}")
        return
    items = collect(tracker, scope, chosen_period, day, records)
    # Whole-plan text formats print counts and the overdue list, not every slot: skip building rows.
    keep = None if target.fmt in ("json", "xlsx") or scope.kind == "unit" else 0
    made = build_report(tracker, scope, chosen_period, day, items, keep_slots=keep)
    written = _write_report(trackers, made, target, file_stem(made))
    if written is not None:
        from kehoach.store.tracker import display_path

        console.info(f"Đã ghi báo cáo: {display_path(written)}")


def _write_report(trackers, made, target, stem: str):  # type: ignore[no-untyped-def]
    """One report to stdout or to its file; returns the file written, None for stdout."""
    from kehoach.domain.report import report_tables

    path = target.path_for(stem)
    fmt = target.fmt
    if fmt == "xlsx":
        from kehoach.excel.report_workbook import Provenance, save
        from kehoach.store.report_file import data_version

        assert path is not None  # xlsx always goes to a file
        if len(trackers) == 1:
            version = data_version(trackers[0].tracker.data_dir)
        else:
            version = "; ".join(f"{t.source}: {data_version(t.tracker.data_dir)}" for t in trackers)
        provenance = Provenance(version, _report_command(made, trackers))
        save(made, trackers[0].tracker.plan.report, provenance, path)
    else:
        from kehoach.render.text import render, to_json

        if path is None and fmt == "table":
            from kehoach.render.terminal import print_report

            print_report(report_tables(made))
            return None
        text = to_json(made.as_json()) if fmt == "json" else render(report_tables(made), fmt)
        if path is None:
            console.write(text)
            return None
        from kehoach.store.report_file import write_text

        write_text(path, text)
    return path


def _report_command(made, trackers) -> str:  # type: ignore[no-untyped-def]
    """A command that makes the same workbook again from the same data (the as-of date made explicit)."""
    import shlex

    from kehoach.store.tracker import display_path

    args = ["kehoach", "report", "--period", made.period.name, "--as-of", made.as_of.isoformat()]
    if made.scope.kind == "unit":
        args += ["--unit", made.scope.id]
    elif made.scope.kind == "group":
        args += ["--group", made.scope.id]
    if len(trackers) > 1:
        for sourced in trackers:
            args += ["--data", display_path(sourced.tracker.data_dir)]
    return shlex.join([*args, "--format", "xlsx"])


# --- entry point -----------------------------------------------------------------------------------

# click words these differently from one release to the next ("No such option: --x",
# "No such option '--x'."); the patterns accept both.
_CLICK_MESSAGES = [
    (re.compile(r"No such option:? '?([^'\s]+?)'?\.?(?: Did you mean|$)"), "không có tùy chọn {0}"),
    (re.compile(r"No such command:? '?([^'\s]+?)'?\.?$"), "không có lệnh '{0}'"),
    (re.compile(r"Missing argument '([^']+)'\."), "thiếu tham số {0}"),
    (re.compile(r"Missing option '(.+)'\."), "thiếu tùy chọn {0}"),
    (re.compile(r"Option '([^']+)' requires an argument\."), "tùy chọn {0} cần một giá trị"),
    (re.compile(r"Got unexpected extra arguments? \((.*)\)"), "thừa tham số: {0}"),
    (re.compile(r"Invalid value for '([^']+)': (.*)", re.S), "giá trị không hợp lệ cho {0}: {1}"),
]


def _usage_message(exc: Exception) -> str:
    text = exc.format_message()  # type: ignore[attr-defined]
    for pattern, template in _CLICK_MESSAGES:
        match = pattern.search(text)
        if match:
            text = template.format(*((g or "").replace("' / '", " / ") for g in match.groups()))
            break
    ctx = getattr(exc, "ctx", None)
    command = ctx.command_path if ctx else "kehoach"
    return f"Lỗi: {text}\nXem hướng dẫn: {command} --help"


_HELP_WORDS = [
    ("Usage: ", "Cách dùng: "),
    ("Options:", "Tùy chọn:"),
    ("Arguments:", "Tham số:"),
    ("Commands:", "Lệnh:"),
    ("Show this message and exit.", "Hiện hướng dẫn này rồi thoát."),
    ("[required]", "[bắt buộc]"),
    ("[default: ", "[mặc định: "),
    ("[OPTIONS]", "[TÙY_CHỌN]"),
    (" <str>", ""),
    (" <int>", " <số>"),
    ("COMMAND [ARGS]...", "LỆNH [THAM_SỐ]..."),
]


def _help_in_vietnamese(text: str) -> str:
    """The vendored click prints its help frame in English; clerks read Vietnamese."""
    for english, vietnamese in _HELP_WORDS:
        text = text.replace(english, vietnamese)
    return text


def _app_for(args: list[str]) -> typer.Typer:
    """The app to run these arguments: just the command named, when one is.

    On every call typer turns each registered command into a click command, reading its signature and
    evaluating its annotations: ~1 ms a command, for the one a call runs. An app holding only that
    command parses, helps and complains exactly as the whole one does, under the same name; no
    command, --version or a misspelt name get the whole app (its list of commands, its suggestions)."""
    if not args or args[0].startswith("-"):
        return app
    chosen = [c for c in app.registered_commands
              if (c.name or getattr(c.callback, "__name__", None) or "").lower().replace("_", "-") == args[0]]
    if len(chosen) != 1:
        return app
    single = typer.Typer(**_APP_SETTINGS)
    single.registered_callback = app.registered_callback
    single.registered_commands = chosen
    return single


def main(argv: list[str] | None = None) -> int:
    args = sys.argv[1:] if argv is None else argv
    wants_help = not args or "--help" in args or "-h" in args
    chosen = _app_for(args)
    try:
        if wants_help:
            import io
            from contextlib import redirect_stdout

            buffer = io.StringIO()
            with redirect_stdout(buffer):
                result = chosen(args=args, prog_name="kehoach", standalone_mode=False)
            console.write(_help_in_vietnamese(buffer.getvalue()))
        else:
            result = chosen(args=args, prog_name="kehoach", standalone_mode=False)
    except UsageError as exc:
        console.error(_usage_message(exc))
        return EXIT_REJECTED
    except typer.Abort:
        console.error("Đã hủy.")
        return EXIT_REJECTED
    except KehoachError as exc:
        console.error(f"Lỗi: {exc}")
        return exc.exit_code
    except BrokenPipeError:
        return EXIT_OK
    except Exception as exc:  # noqa: BLE001 - the last line of defence: no traceback for users
        if os.environ.get("KEHOACH_DEBUG") == "1":
            raise
        console.error(f"Lỗi nội bộ của kehoach ({type(exc).__name__}: {exc}). Chạy lại với KEHOACH_DEBUG=1 để "
                      "xem chi tiết và báo cho nhóm phát triển.")
        return EXIT_INTERNAL
    return result if isinstance(result, int) else EXIT_OK


def run() -> None:
    sys.exit(main())


if __name__ == "__main__":  # pragma: no cover
    run()

