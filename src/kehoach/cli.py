"""The command line: parses options, calls one core function, hands its rows to a renderer, maps
errors to exit codes. The only module that imports typer; the clock is read only here."""

from __future__ import annotations

import datetime as dt
import os
import re
import sys
from enum import Enum
from typing import Annotated

import typer

from kehoach import __version__, console
from kehoach.errors import EXIT_INTERNAL, EXIT_OK, EXIT_PROBLEMS, EXIT_REJECTED, KehoachError

# Typer vendors its own click; reach its UsageError through a public class rather than a private module.
UsageError: type[Exception] = next(c for c in typer.BadParameter.__mro__ if c.__name__ == "UsageError")

app = typer.Typer(
    name="kehoach",
    help="kehoach — theo dõi thực hiện kế hoạch: từng nhiệm vụ, từng đơn vị, từng kỳ.",
    no_args_is_help=True,
    add_completion=False,
    pretty_exceptions_enable=False,
    rich_markup_mode=None,
    context_settings={"help_option_names": ["-h", "--help"]},
)


class Format(str, Enum):
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
    from kehoach.periods import parse_date

    return parse_date(value, "ngày tính --as-of") if value else dt.date.today()


def _tracker(data: str | None):  # type: ignore[no-untyped-def]
    from kehoach.tracker import find_data_dir, open_tracker

    return open_tracker(find_data_dir(data))


def _format(fmt: Format | None) -> str:
    if fmt is not None:
        return fmt.value
    return "table" if sys.stdout.isatty() else "plain"


def _emit(tables: list, fmt: str) -> None:  # type: ignore[type-arg]
    if fmt == "table":
        console.print_tables(tables)
    else:
        from kehoach.render_text import render

        console.write(render(tables, fmt))


# --- plan and units --------------------------------------------------------------------------------

@app.command()
def validate(
    data: DataOpt = None,
    fmt: FormatOpt = None,
) -> None:
    """Kiểm tra toàn bộ tệp dữ liệu (kế hoạch, đơn vị, trạng thái); liệt kê mọi lỗi. Không ghi gì."""
    from kehoach.checks import validate as run_checks
    from kehoach.tracker import display_path, find_data_dir

    data_dir = find_data_dir(data)
    problems = run_checks(data_dir)
    chosen = _format(fmt)
    if chosen == "json":
        from kehoach.render_text import to_json

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
    from kehoach.listing import tasks_table

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
    from kehoach.listing import units_table

    tracker = _tracker(data)
    group_id = tracker.registry.find_group(group).id if group else None
    _emit([units_table(tracker, _as_of(as_of), group_id, search, include_all)], _format(fmt))


@app.command()
def show(
    task: Annotated[str, typer.Argument(help="Mã nhiệm vụ, ví dụ 1, 17, III.3.")],
    as_of: AsOfOpt = None,
    data: DataOpt = None,
    fmt: FormatOpt = None,
) -> None:
    """Một nhiệm vụ đầy đủ: nội dung, trách nhiệm, các đơn vị vào ngày tính, chu kỳ, hạn."""
    from kehoach.listing import task_detail, task_detail_text
    from kehoach.updates import find_task

    tracker = _tracker(data)
    found = find_task(tracker, task)
    detail = task_detail(tracker, found, _as_of(as_of))
    chosen = _format(fmt)
    if chosen == "json":
        from kehoach.render_text import to_json

        console.write(to_json(detail))
    elif chosen == "markdown":
        console.write("# " + task_detail_text(tracker, detail))
    else:
        console.write(task_detail_text(tracker, detail))


# --- entry point -----------------------------------------------------------------------------------

_CLICK_MESSAGES = [
    (re.compile(r"No such option: (\S+)(?: Did you mean (\S+)\?)?"), "không có tùy chọn {0}"),
    (re.compile(r"No such command '([^']+)'\."), "không có lệnh '{0}'"),
    (re.compile(r"Missing argument '([^']+)'\."), "thiếu tham số {0}"),
    (re.compile(r"Missing option '([^']+)'\."), "thiếu tùy chọn {0}"),
    (re.compile(r"Option '([^']+)' requires an argument\."), "tùy chọn {0} cần một giá trị"),
    (re.compile(r"Got unexpected extra arguments? \((.*)\)"), "thừa tham số: {0}"),
    (re.compile(r"Invalid value for '([^']+)': (.*)", re.S), "giá trị không hợp lệ cho {0}: {1}"),
]


def _usage_message(exc: Exception) -> str:
    text = exc.format_message()  # type: ignore[attr-defined]
    for pattern, template in _CLICK_MESSAGES:
        match = pattern.search(text)
        if match:
            text = template.format(*(g or "" for g in match.groups()))
            break
    ctx = getattr(exc, "ctx", None)
    command = ctx.command_path if ctx else "kehoach"
    return f"Lỗi: {text}\nXem hướng dẫn: {command} --help"


def _vietnamese_help() -> None:
    """Typer's help panels speak English by default; only pay for this when help is asked for."""
    from typer import rich_utils

    rich_utils.ARGUMENTS_PANEL_TITLE = "Tham số"
    rich_utils.OPTIONS_PANEL_TITLE = "Tùy chọn"
    rich_utils.COMMANDS_PANEL_TITLE = "Lệnh"
    rich_utils.REQUIRED_LONG_STRING = "[bắt buộc]"
    rich_utils.DEFAULT_STRING = "[mặc định: {}]"


def main(argv: list[str] | None = None) -> int:
    args = sys.argv[1:] if argv is None else argv
    if not args or "--help" in args or "-h" in args:
        _vietnamese_help()
    try:
        result = app(args=args, prog_name="kehoach", standalone_mode=False)
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

