"""`kehoach report`: parse the options, make the report, show it or say where it was written."""

from __future__ import annotations

from typing import Annotated

import click
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

# The text formats every listing command has, and the report's own files: the Excel workbook and the
# leaders' page; and JSON Lines. The page only goes to a file, and only a report has rows enough to want
# JSON Lines, so both are offered here rather than with the text formats.
REPORT_FORMATS = click.Choice([*(f.value for f in ReportFormat), "html", "jsonl"])


@examples(
    ("kehoach report --period 2026-H1 --as-of 15/6/2026 -o bao-cao-6-thang.xlsx", "báo cáo 6 tháng ra tệp Excel"),
    ("kehoach report -o bao-cao.html", "trang báo cáo cho lãnh đạo: biểu đồ, xu hướng, mở bằng trình duyệt"),
    ("kehoach report --period 2026-H1 --as-of 15/6/2026 --date 20/6/2026 -o bao-cao.docx",
     "báo cáo Chủ tịch UBND tỉnh bằng Word (Nghị định 30/2020), đề ngày 20/6/2026"),
)
def report(
    files: Annotated[list[str] | None, typer.Argument(
        metavar="[TỆP_JSON...]", help="Với --from-json: các tệp báo cáo lập bằng report --format json.",
        show_default=False)] = None,
    period: PeriodOpt = None,
    as_of: AsOfOpt = None,
    unit: UnitOpt = None,
    group: GroupOpt = None,
    fmt: Annotated[str | None, typer.Option(
        "--format", "-f", click_type=REPORT_FORMATS,
        help="Định dạng: table (màn hình), plain, markdown, csv, json, jsonl (JSON Lines: mỗi dòng một hàng), xlsx "
             "(Excel), docx (Word), html (trang cho lãnh đạo). "
                               "Mặc định: theo phần mở rộng của -o; table trên màn hình, plain khi chuyển "
                               "qua ống.")] = None,
    output: Annotated[str | None, typer.Option(
        "--output", "-o", metavar="TỆP_HOẶC_THƯ_MỤC",
        help="Tệp (.xlsx .docx .html .csv .md .json .txt: định dạng theo phần mở rộng) hoặc thư mục (tên tệp tự "
             "đặt theo kế hoạch, phạm vi, kỳ, ngày tính). Mặc định với xlsx, docx, html: reports/.")] = None,
    each_unit: Annotated[bool, typer.Option(
        "--each-unit", help="Mỗi đơn vị một tệp (mặc định Excel) trong thư mục -o, trong một lần chạy.")]
    = False,
    from_json: Annotated[bool, typer.Option(
        "--from-json", help="Gộp các tệp báo cáo JSON (mỗi tệp một bộ theo dõi, lập bằng --format json, có thể "
                            "ở máy khác) thành một báo cáo; tên tệp là tên bộ theo dõi nguồn.")] = False,
    date: Annotated[str | None, typer.Option(
        "--date", metavar="NGÀY", help="Ngày ghi trên báo cáo Word («Thanh Hóa, ngày … »). Mặc định: --as-of.")]
    = None,
    pdf: Annotated[bool, typer.Option(
        "--pdf", help="Báo cáo Word: xuất thêm tệp PDF bên cạnh (cần LibreOffice).")] = False,
    data: DataListOpt = None,
    plan: PlanOpt = None,
) -> None:
    """Báo cáo tình hình thực hiện: số lượt báo cáo, tỷ lệ theo tình trạng, nhiệm vụ, nhóm, đơn vị; quá hạn; Excel.
    Nhiều --data (hoặc một thư mục chứa nhiều bộ theo dõi): một báo cáo chung, mỗi dòng ghi bộ theo dõi."""
    from kehoach.commands.many_trackers import open_trackers
    from kehoach.commands.report import ReportRequest, make_report, screen_text
    from kehoach.domain.periods import parse_date, parse_period, year_of
    from kehoach.render.report_view import report_tables
    from kehoach.store.layout import display_path

    if from_json or files:
        _from_json(files or [], from_json, fmt, output, (period, as_of, unit, group, each_unit, data))
        return
    choice = unit_choice(unit, group)
    day = as_of_date(as_of)
    trackers = open_trackers(data, plan)
    choice = on_the_day(choice, trackers, day)
    chosen_format = fmt if fmt else None if output is not None or each_unit else text_format(None)
    request = ReportRequest(parse_period(period) if period else year_of(day), day, choice, chosen_format,
                            output, each_unit, parse_date(date, "ngày ghi trên báo cáo --date") if date else None,
                            pdf)
    done = make_report(trackers, request,
                       each=lambda reports: console.progress(reports, "Đang ghi báo cáo từng đơn vị"))
    tell_skipped(done.skipped, trackers)
    if done.chunks is not None:
        for chunk in done.chunks:
            console.write(chunk)
    elif done.screen is not None:
        if done.fmt == "table":
            console.print_tables(report_tables(done.screen))
        else:
            console.write(screen_text(done.screen, done.fmt))
    elif done.folder is not None:
        console.info(f"Đã ghi {len(done.written)} tệp báo cáo vào {display_path(done.folder)}")
    else:
        console.info(f"Đã ghi báo cáo: {', '.join(display_path(p) for p in done.written)}")
    tell_skipped(done.skipped, trackers, ending=True)


def _from_json(files: list[str], asked: bool, fmt: str | None, output: str | None,
               others: tuple[object, ...]) -> None:
    from kehoach.commands.report import screen_text
    from kehoach.commands.report_from_json import report_from_json
    from kehoach.errors import InputError
    from kehoach.render.report_view import report_tables
    from kehoach.store.layout import display_path

    if not asked:
        raise InputError(f"tệp '{files[0]}': lệnh report chỉ nhận tệp khi gộp báo cáo JSON; thêm --from-json")
    if any(others):
        raise InputError("--from-json gộp các báo cáo đã lập sẵn: không dùng cùng --period, --as-of, --unit, "
                         "--group, --each-unit, --data (kỳ và ngày tính là của các tệp)")
    done = report_from_json(files, fmt if fmt else None if output is not None else text_format(None), output)
    if done.screen is None:
        console.info(f"Đã ghi báo cáo: {display_path(done.written[0])}")
    elif done.fmt == "table":
        console.print_tables(report_tables(done.screen))
    else:
        console.write(screen_text(done.screen, done.fmt))
