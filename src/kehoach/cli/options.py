"""What every command shares: its options, read the same way everywhere, and the plumbing between
parsed values and the core (the tracker, the as-of day, the output format, the screen)."""

from __future__ import annotations

import datetime as dt
import shlex
import sys
from enum import StrEnum
from typing import TYPE_CHECKING, Annotated

import typer

from kehoach.cli import console

if TYPE_CHECKING:
    from collections.abc import Sequence

    from kehoach.commands.many_trackers import SourcedTracker
    from kehoach.domain.rules import UnitChoice
    from kehoach.errors import Problem
    from kehoach.render.rows import Table
    from kehoach.store.tracker import Tracker


class Format(StrEnum):
    table = "table"
    plain = "plain"
    markdown = "markdown"
    csv = "csv"
    json = "json"


class ReportFormat(StrEnum):
    table = "table"
    plain = "plain"
    markdown = "markdown"
    csv = "csv"
    json = "json"
    xlsx = "xlsx"
    docx = "docx"


DataOpt = Annotated[
    str | None,
    typer.Option("--data", metavar="THƯ_MỤC",
                 help="Thư mục dữ liệu (chứa plan.yaml) hoặc thư mục bộ theo dõi. Mặc định: biến KEHOACH_DATA, "
                      "rồi data/plan.yaml gần nhất từ thư mục hiện tại trở lên."),
]
DataListOpt = Annotated[
    list[str] | None,
    typer.Option("--data", metavar="THƯ_MỤC",
                 help="Thư mục dữ liệu hoặc thư mục bộ theo dõi; lặp lại --data để xem nhiều bộ theo dõi cùng "
                      "lúc (mỗi dòng ghi rõ bộ theo dõi nguồn), hoặc một thư mục chứa nhiều bộ theo dõi. Mặc "
                      "định: như các lệnh khác."),
]
PlanOpt = Annotated[
    str | None,
    typer.Option("--plan", metavar="KẾ_HOẠCH",
                 help="Kế hoạch (khi bộ theo dõi có nhiều kế hoạch): tên tệp trong data/plans, mã, số văn bản "
                      "như 24/KH-UBND, hoặc vài chữ của tên kế hoạch, có dấu hay không dấu. Xem: kehoach plan "
                      "list."),
]
AsOfOpt = Annotated[
    str | None,
    typer.Option("--as-of", metavar="NGÀY",
                 help="Ngày tính: 10/6/2026, 10-6-2026, 10.6.2026, 10/06/26 hoặc 2026-06-10. Mặc định: hôm nay."),
]
FormatOpt = Annotated[
    Format | None,
    typer.Option("--format", "-f", help="Định dạng: table (bảng trên màn hình), plain, markdown, csv, json. "
                                        "Mặc định: table trên màn hình, plain khi chuyển qua ống/tệp."),
]
UnitOpt = Annotated[str | None, typer.Option(
    "--unit", "-u", metavar="ĐƠN_VỊ", help="Đơn vị: mã, tên hoặc tên viết tắt, có dấu hay không dấu.")]
GroupOpt = Annotated[str | None, typer.Option("--group", "-g", metavar="NHÓM", help="Nhóm đơn vị: mã hoặc tên.")]
TaskOpt = Annotated[str | None, typer.Option("--task", "-t", metavar="NHIỆM_VỤ", help="Mã nhiệm vụ, ví dụ 17 hoặc "
                                                                                   "III.3.")]
PeriodOpt = Annotated[str | None, typer.Option("--period", "-p", metavar="KỲ", help="Kỳ: 2026, 2026-H1, 2026-H2...")]

def as_of_date(value: str | None) -> dt.date:
    """--as-of, else today: the only place kehoach reads the clock."""
    from kehoach.domain.periods import parse_date

    return parse_date(value, "ngày tính --as-of") if value else dt.date.today()


INVOKED: list[str] = []
"""The arguments of the running command (set by `app.main`): an error that asks for --plan shows this very
command line with --plan added, so it runs as printed."""


def open_data(data: str | None, plan: str | None = None, any_plan: bool = False) -> Tracker:
    """The tracker and the one plan a command works on: --plan, or the only one. `any_plan`: a command that
    needs only what the plans share (the units, the office's report header), for which the first will do."""
    from kehoach.cli.wording import command_line
    from kehoach.commands.many_trackers import open_plan
    from kehoach.commands.record import recover_if_interrupted
    from kehoach.store.layout import find_data_dir

    data_dir = find_data_dir(data)
    recover_if_interrupted(data_dir)
    if any_plan and plan is None:
        from kehoach.store.tracker import open_plans

        return open_plans(data_dir)[0]
    return open_plan(data_dir, plan, lambda name: command_line(*INVOKED, "--plan", name))


def text_format(fmt: Format | None) -> str:
    if fmt is not None:
        return fmt.value
    return "table" if sys.stdout.isatty() else "plain"


def emit(tables: list[Table], fmt: str) -> None:
    if fmt == "table":
        console.print_tables(tables)
    else:
        from kehoach.render.text import render

        console.write(render(tables, fmt))


def emit_json(value: object) -> None:
    from kehoach.render.text import to_json

    console.write(to_json(value))


def unit_choice(unit: str | None, group: str | None) -> UnitChoice:
    from kehoach.domain.rules import UnitChoice
    from kehoach.errors import InputError

    if unit and group:
        raise InputError("chỉ dùng một trong --unit hoặc --group")
    return UnitChoice(unit, group)


def on_the_day(choice: UnitChoice, trackers: Sequence[SourcedTracker], day: dt.date) -> UnitChoice:
    """A unit typed by a name that a dissolved unit and a living one share means the living one on the
    day: the choice then names it by id, and the clerk is told which was taken."""
    if not choice.unit or not trackers:
        return choice
    found = trackers[0].tracker.registry.find_unit_on(choice.unit, day)
    if found.note is None:
        return choice
    console.info(found.note)
    return choice._replace(unit=found.unit.id)


def recorder(tracker: Tracker, by: str | None) -> str | None:
    """Who recorded: --by, else the name git signs with here, else the login name."""
    from kehoach.commands.record import recorded_by

    return recorded_by(tracker, by)


def say_written(outcome_commit: str | None, in_git: bool) -> None:
    """After a write: the commit made, or a warning that the change has no audit history."""
    if outcome_commit:
        console.info(f"Đã lưu vào lịch sử thay đổi (mã {outcome_commit[:10]}).")
    elif not in_git:
        console.warning("Cảnh báo: thư mục dữ liệu không nằm trong kho git, thay đổi không có lịch sử kiểm tra.")


def tell_skipped(skipped: Sequence[Problem], trackers: Sequence[SourcedTracker], ending: bool = False) -> None:
    """A reading command went on without broken status files: said before its output (which files, why,
    how to check them) and after it (so a long table does not hide it)."""
    if not skipped:
        return
    from kehoach.store.layout import display_path

    files = sorted({p.path for p in skipped})
    if ending:
        console.warning(f"Cảnh báo: số liệu trên không gồm {len(files)} tệp trạng thái có lỗi: {', '.join(files)}")
        return
    # One line a tracker, however many of its plans had a broken file.
    checks = list(dict.fromkeys(f"kehoach validate --data {shlex.quote(display_path(t.tracker.data_dir))}"
                                for t in trackers if any(f.startswith(display_path(t.tracker.status_dir))
                                                         for f in files)))
    lines = [f"Cảnh báo: đã bỏ qua {len(files)} tệp trạng thái có lỗi; số liệu không gồm các bản ghi trong tệp đó:",
             *(f"  {p}" for p in skipped),
             "Sửa tệp rồi kiểm tra lại bằng: " + (" ; ".join(checks) if checks else "kehoach validate")]
    console.warning("\n".join(lines))
