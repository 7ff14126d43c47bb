"""`kehoach plan import FILE`: read a plan from its Word, PDF or text document into the tracker."""

from __future__ import annotations

from typing import Annotated

import typer

from kehoach.cli import console
from kehoach.cli.options import (
    AsOfOpt,
    DataOpt,
    FormatOpt,
    as_of_date,
    emit,
    emit_json,
    open_data,
    recorder,
    say_written,
    text_format,
)
from kehoach.cli.wording import command_line, examples


@examples(
    ("kehoach plan import ke-hoach-24.docx --dry-run", "chỉ đọc và cho xem kết quả, không ghi gì"),
    ("kehoach plan import ke-hoach-24.docx", "đọc kế hoạch từ văn bản Word, ghi data/plans/TÊN.yaml"),
    ("kehoach plan import ke-hoach.pdf --name ct13-2026 --format json", "từ bản PDF, đặt tên ct13-2026, kết quả "
     "dạng JSON"),
)
def plan_import(
    file: Annotated[str, typer.Argument(metavar="TỆP", help="Văn bản kế hoạch: .docx, .pdf có lớp chữ, hoặc văn "
                                        "bản chép từ Word (.txt).", show_default=False)],
    name: Annotated[str | None, typer.Option("--name", metavar="TÊN", help="Tên kế hoạch (tên tệp "
                                             "data/plans/TÊN.yaml). Mặc định: theo số hiệu văn bản, như "
                                             "kh-24-ubnd-2015.")] = None,
    dry_run: Annotated[bool, typer.Option("--dry-run", help="Chỉ đọc và cho xem kết quả, không ghi gì.")] = False,
    by: Annotated[str | None, typer.Option("--by", help="Người nhập. Mặc định: user.name của git.")] = None,
    as_of: AsOfOpt = None,
    data: DataOpt = None,
    fmt: FormatOpt = None,
) -> None:
    """Đọc kế hoạch từ văn bản (Word, PDF, văn bản chép từ Word): nhiệm vụ, trách nhiệm, thời gian; ghi thành
    một kế hoạch của bộ theo dõi và báo những chỗ cần xem lại."""
    from pathlib import Path

    from kehoach.commands.plan_import import import_plan, summary_tables
    from kehoach.commands.record import author_for
    from kehoach.store.layout import display_path

    tracker = open_data(data, any_plan=True)  # a new plan: the units and report header every plan shares
    who = recorder(tracker, by) if not dry_run else None
    author = author_for(tracker, who) if who else None
    result = import_plan(tracker, Path(file), name, as_of_date(as_of), dry_run=dry_run, author=author)
    chosen = text_format(fmt)
    if chosen == "json":
        emit_json({**result.plan.as_json(), "path": display_path(result.path), "dry_run": dry_run,
                   "commit": result.outcome.commit if result.outcome else None})
    else:
        emit(summary_tables(result.plan), chosen)
    if result.outcome is None:
        console.info(f"Chạy thử (--dry-run): không ghi gì. Kế hoạch sẽ ghi vào {display_path(result.path)}.")
        return
    console.info(f"Đã ghi kế hoạch {result.plan.name} vào {display_path(result.path)}: "
                 f"{len(result.plan.document.tasks)} nhiệm vụ.")
    say_written(result.outcome.commit, result.outcome.in_git)
    console.info(f"Xem lại: {command_line('validate', '--data', display_path(tracker.data_dir))}")
