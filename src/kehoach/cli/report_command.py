"""`kehoach report`: parse the options, make the report, show it or say where it was written."""

from __future__ import annotations

from typing import Annotated

import typer

from kehoach.cli import console
from kehoach.cli.options import (
    AsOfOpt,
    DataListOpt,
    GroupOpt,
    PeriodOpt,
    PlanOpt,
    ReportFormat,
    UnitOpt,
    as_of_date,
    on_the_day,
    tell_skipped,
    text_format,
    unit_choice,
)
from kehoach.cli.wording import examples


@examples(
    ("kehoach report", "báo cáo năm nay trên màn hình"),
    ("kehoach report --period 2026-H1 --as-of 15/6/2026 -o bao-cao-6-thang.xlsx", "báo cáo 6 tháng ra tệp Excel"),
    ("kehoach report --group cac-ban-nganh --each-unit -o bao-cao-ban-nganh",
     "mỗi ban, ngành một tệp Excel trong thư mục bao-cao-ban-nganh"),
)
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
        "--output", "-o", metavar="TỆP_HOẶC_THƯ_MỤC",
        help="Tệp (.xlsx .csv .md .json .txt: định dạng theo phần mở rộng) hoặc thư mục (tên tệp tự đặt theo "
             "kế hoạch, phạm vi, kỳ, ngày tính). Mặc định với xlsx: reports/.")] = None,
    each_unit: Annotated[bool, typer.Option(
        "--each-unit", help="Mỗi đơn vị một tệp (mặc định Excel) trong thư mục -o, trong một lần chạy.")]
    = False,
    data: DataListOpt = None,
    plan: PlanOpt = None,
) -> None:
    """Báo cáo tình hình thực hiện: số lượt báo cáo, tỷ lệ theo tình trạng, nhiệm vụ, nhóm, đơn vị; quá hạn; Excel.
    Nhiều --data (hoặc một thư mục chứa nhiều bộ theo dõi): một báo cáo chung, mỗi dòng ghi bộ theo dõi."""
    from kehoach.commands.many_trackers import open_trackers
    from kehoach.commands.report import ReportRequest, make_report, screen_text
    from kehoach.domain.periods import parse_period, year_of
    from kehoach.render.report_view import report_tables
    from kehoach.store.layout import display_path

    choice = unit_choice(unit, group)
    day = as_of_date(as_of)
    trackers = open_trackers(data, plan)
    choice = on_the_day(choice, trackers, day)
    chosen_format = fmt.value if fmt else None if output is not None or each_unit else text_format(None)
    request = ReportRequest(parse_period(period) if period else year_of(day), day, choice, chosen_format,
                            output, each_unit)
    done = make_report(trackers, request,
                       each=lambda reports: console.progress(reports, "Đang ghi báo cáo từng đơn vị"))
    tell_skipped(done.skipped, trackers)
    if done.screen is not None:
        if done.fmt == "table":
            console.print_tables(report_tables(done.screen))
        else:
            console.write(screen_text(done.screen, done.fmt))
    elif done.folder is not None:
        console.info(f"Đã ghi {len(done.written)} tệp báo cáo vào {display_path(done.folder)}")
    else:
        console.info(f"Đã ghi báo cáo: {display_path(done.written[0])}")
    tell_skipped(done.skipped, trackers, ending=True)
