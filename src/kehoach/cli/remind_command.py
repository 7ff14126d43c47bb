"""`kehoach remind`: parse the options, write the urging letters, show who was urged."""

from __future__ import annotations

from typing import Annotated

import typer

from kehoach.cli import console
from kehoach.cli.options import (
    AsOfOpt,
    DataOpt,
    GroupOpt,
    UnitOpt,
    as_of_date,
    open_data,
    unit_choice,
)
from kehoach.cli.wording import examples


@examples(
    ("kehoach remind", "công văn đôn đốc mọi đơn vị có việc quá hạn hôm nay, vào reports/don-doc/"),
    ("kehoach remind --as-of 20/7/2026 --group cac-so --within 7 --reply-by 31/7/2026",
     "các sở: việc quá hạn và đến hạn trong 7 ngày, đề nghị báo cáo trước 31/7/2026"),
    ("kehoach remind --merge -o cong-van.docx", "mọi công văn trong một tệp, mỗi công văn một trang, để in một lần"),
)
def remind(
    as_of: AsOfOpt = None,
    unit: UnitOpt = None,
    group: GroupOpt = None,
    within: Annotated[int | None, typer.Option(
        "--within", "-w", min=0, metavar="SỐ_NGÀY", help="Đôn đốc cả việc đến hạn trong số ngày tới.")] = None,
    reply_by: Annotated[str | None, typer.Option(
        "--reply-by", metavar="NGÀY", help="Hạn đơn vị báo cáo lại. Mặc định: 10 ngày sau ngày công văn.")] = None,
    merge: Annotated[bool, typer.Option(
        "--merge", help="Mọi công văn trong một tệp .docx, mỗi công văn bắt đầu một trang.")] = False,
    output: Annotated[str | None, typer.Option(
        "--output", "-o", metavar="THƯ_MỤC",
        help="Thư mục ghi công văn (với --merge: có thể là tệp .docx). Mặc định: reports/don-doc/.")] = None,
    data: DataOpt = None,
) -> None:
    """Công văn đôn đốc (Nghị định 30/2020) gửi từng đơn vị có việc quá hạn; ghi nhận ngày đôn đốc vào lịch sử."""
    from kehoach.commands.remind import RemindRequest
    from kehoach.commands.remind import remind as make_letters
    from kehoach.domain.periods import format_date, parse_date
    from kehoach.render.remind_view import remind_table
    from kehoach.store.layout import display_path

    day = as_of_date(as_of)
    tracker = open_data(data)
    request = RemindRequest(day, unit_choice(unit, group), within,
                            parse_date(reply_by, "hạn báo cáo lại --reply-by") if reply_by else None, merge, output)
    with console.steps("Đang soạn công văn đôn đốc") as step:
        done = make_letters(tracker, request, progress=step)
    console.print_tables([remind_table([(u.unit, u.rows, u.longest, u.path) for u in done.urged],
                                       f"Công văn đôn đốc ngày {format_date(day)}")])
    if done.written:
        console.info(f"Đã ghi {len(done.written)} tệp công văn vào {display_path(done.written[0].parent)}")
    if done.outcome is not None and done.outcome.commit:
        console.info("Đã ghi nhận ngày đôn đốc vào lịch sử thay đổi (data/don-doc/).")
