"""Recording what units report: one record at the command line, or forms sent out and read back."""

from __future__ import annotations

from typing import TYPE_CHECKING, Annotated

import typer

from kehoach.cli import console
from kehoach.cli.options import (
    AsOfOpt,
    DataOpt,
    GroupOpt,
    PeriodOpt,
    PlanOpt,
    as_of_date,
    emit,
    open_data,
    recorder,
    say_written,
    text_format,
)
from kehoach.cli.wording import examples

if TYPE_CHECKING:
    from kehoach.git.run import Author
    from kehoach.store.tracker import Tracker


@examples(
    ("kehoach record 17 \"Sở Tư pháp\" -s \"hoàn thành\" --done-on 10/6/2026 -p 2026-H1", "ghi nhận hoàn thành"),
    ("kehoach record 17 STP -p 2026-H1 --delete", "xóa bản ghi ghi nhầm (lịch sử vẫn giữ)"),
    ("kehoach record 3 STP -s dang-thuc-hien --no-commit", "ghi tệp, lưu vào lịch sử sau bằng kehoach commit"),
)
def record(
    task: Annotated[str, typer.Argument(metavar="NHIỆM_VỤ", help="Mã nhiệm vụ, ví dụ 17 hoặc III.3.")],
    unit: Annotated[str, typer.Argument(metavar="ĐƠN_VỊ",
                                        help="Đơn vị: mã, tên hoặc tên viết tắt (có dấu hay không dấu).")],
    status: Annotated[str | None, typer.Option("--status", "-s", help="Trạng thái: chua-thuc-hien, dang-thuc-hien, "
                                               "hoan-thanh, khong-ap-dung (hoặc 'hoàn thành', 'done', 'n/a'...).",
                                               show_default=False)] = None,
    period: PeriodOpt = None,
    done_on: Annotated[str | None, typer.Option("--done-on", help="Ngày hoàn thành (bắt buộc khi hoàn thành).")]
    = None,
    evidence: Annotated[str | None, typer.Option("--evidence", "-e", help="Căn cứ: số, ngày văn bản báo cáo, "
                                                 "đường dẫn hoặc URL.")] = None,
    note: Annotated[str | None, typer.Option("--note", "-n", help="Ghi chú (lý do khi không áp dụng).")] = None,
    by: Annotated[str | None, typer.Option("--by", help="Người ghi nhận. Mặc định: user.name của git.")] = None,
    as_of: AsOfOpt = None,
    no_commit: Annotated[bool, typer.Option("--no-commit", help="Ghi tệp nhưng chưa ghi vào nhật ký thay đổi; "
                                            "ghi sau bằng: kehoach commit.")] = False,
    delete: Annotated[bool, typer.Option("--delete", help="Xóa bản ghi ghi nhầm (lịch sử vẫn giữ bản đã xóa).")]
    = False,
    data: DataOpt = None,
    plan: PlanOpt = None,
) -> None:
    """Ghi nhận trạng thái một đơn vị báo cáo cho một nhiệm vụ trong một kỳ (kiểm tra hết rồi mới ghi)."""
    from kehoach.commands.record import author_for, prepare
    from kehoach.commands.record import record as write_record
    from kehoach.domain.periods import format_date, parse_date
    from kehoach.errors import InputError

    tracker = open_data(data, plan)
    who = recorder(tracker, by)
    if delete:
        if status or done_on or evidence or note:
            raise InputError("--delete xóa cả bản ghi: không dùng cùng --status, --done-on, --evidence, --note")
        _delete(tracker, task, unit, period, as_of, no_commit, author_for(tracker, who))
        return
    if status is None:
        raise InputError("thiếu tùy chọn --status (hoặc --delete để xóa bản ghi)", "status")
    # The author is checked before anything is written, and signs only a change that is committed.
    author = author_for(tracker, who)
    update = prepare(tracker, task=task, unit=unit, status=status, period=period,
                     done_on=parse_date(done_on, "ngày hoàn thành --done-on") if done_on else None,
                     evidence=evidence, note=note, by=who, as_of=as_of_date(as_of))
    where = f"nhiệm vụ {update.task.id}, {update.unit.name}, kỳ {update.period.name}"
    if not update.changed:
        console.info(f"Không có gì thay đổi: {where} đã là «{update.record.status.label}».")
        return
    outcome = write_record(tracker, update, commit=not no_commit, author=author)
    done = f" ngày {format_date(update.record.done_on)}" if update.record.done_on else ""
    console.info(f"Đã ghi nhận {where}: {update.record.status.label}{done}.")
    say_written(outcome.commit, outcome.in_git)


def _delete(tracker: Tracker, task: str, unit: str, period: str | None, as_of: str | None, no_commit: bool,
            author: Author | None) -> None:
    from kehoach.commands.corrections import delete_message, prepare_delete
    from kehoach.commands.record import write_and_commit

    update = prepare_delete(tracker, task=task, unit=unit, period=period, as_of=as_of_date(as_of))
    outcome = write_and_commit(tracker, [update], delete_message(update), not no_commit, author)
    console.info(f"Đã xóa bản ghi nhiệm vụ {update.task.id}, {update.unit.name}, kỳ {update.period.name} "
                 f"(trước đó: {update.record.status.label}).")
    say_written(outcome.commit, outcome.in_git)


@examples(
    ("kehoach form so-tu-phap", "biểu mẫu cho Sở Tư pháp, mọi kỳ của năm nay, vào reports/bieu-mau/"),
    ("kehoach form --group cac-so --period 2026-H1", "mỗi sở một biểu mẫu, kỳ 6 tháng đầu năm 2026"),
    ("kehoach form --all -o gui-don-vi", "mọi đơn vị có nhiệm vụ trong kỳ, vào thư mục gui-don-vi"),
)
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
    plan: PlanOpt = None,
) -> None:
    """Lập biểu mẫu Excel cho đơn vị điền và gửi lại: mỗi đơn vị một tệp, các nhiệm vụ của kỳ."""
    from pathlib import Path

    from kehoach.commands.form import default_output_dir, make_forms, select_units
    from kehoach.domain.periods import parse_period, year_of
    from kehoach.store.layout import display_path

    tracker = open_data(data, plan)
    day = as_of_date(as_of)
    chosen_period = parse_period(period) if period else year_of(day)
    chosen, named = select_units(tracker.definitions, units or [], group, everyone)
    out_dir = Path(output) if output else default_output_dir(tracker)
    with console.steps("Đang lập biểu mẫu") as step:
        batch = make_forms(tracker, chosen, named, chosen_period, day, out_dir, progress=step)
    for made in batch.made:
        console.write(f"{display_path(made.path)}\n")
    console.info(f"Đã lập {len(batch.made)} biểu mẫu kỳ {chosen_period.name} trong {display_path(out_dir)}.")
    if batch.skipped:
        console.info(f"Bỏ qua {len(batch.skipped)} đơn vị không có nhiệm vụ trong kỳ {chosen_period.name}.")


@examples(
    ("kehoach import --dry-run reports/bieu-mau/*.xlsx", "chỉ kiểm tra các biểu mẫu nhận về, không ghi gì"),
    ("kehoach import reports/bieu-mau/*.xlsx --by \"Nguyễn Văn A\"", "nhập các biểu mẫu, mỗi tệp một lần ghi"),
)
def import_forms(
    files: Annotated[list[str], typer.Argument(
        metavar="TỆP...", help="Các tệp biểu mẫu đã điền (.xlsx, hoặc .csv xuất từ biểu mẫu).", show_default=False)],
    dry_run: Annotated[bool, typer.Option("--dry-run", help="Chỉ kiểm tra và cho xem thay đổi, "
                                          "không ghi gì.")] = False,
    by: Annotated[str | None, typer.Option("--by", help="Người nhập. Mặc định: user.name của git.")] = None,
    no_commit: Annotated[bool, typer.Option("--no-commit", help="Ghi tệp nhưng không tạo commit "
                                            "git.")] = False,
    as_of: AsOfOpt = None,
    data: DataOpt = None,
    plan: PlanOpt = None,
) -> None:
    """Nhập biểu mẫu đơn vị gửi lại: kiểm tra mọi dòng như lệnh record, cho xem thay đổi rồi ghi từng tệp
    (tệp có lỗi thì không ghi gì từ tệp đó). Mã thoát 1 khi có tệp bị từ chối, 2 khi có tệp không đọc được."""
    from kehoach.commands.import_forms import import_exit_code, import_files, preview_table
    from kehoach.commands.record import author_for

    tracker = open_data(data, plan)
    who = recorder(tracker, by)
    author = author_for(tracker, who)
    done = []
    for result in import_files(tracker, console.progress(files, "Đang nhập biểu mẫu"), as_of_date(as_of), who,
                               dry_run=dry_run, commit=not no_commit, author=author):
        done.append(result)
        if result.error:
            console.error(f"Lỗi: {result.error}")
            continue
        check = result.check
        assert check is not None
        for warning in check.warnings:
            console.warning(warning)
        if not check.ok:
            for problem in check.problems:
                console.error(problem)
            console.error(f"Đã từ chối {result.shown}: {len(check.problems)} lỗi; không ghi gì từ tệp này.")
            continue
        emit([preview_table(check)], text_format(None))
        if result.outcome is None:
            console.info(f"Chạy thử (--dry-run): không ghi gì từ {result.shown}.")
        elif not result.outcome.written:
            console.info(f"Không có gì thay đổi từ {result.shown}.")
        else:
            console.info(f"Đã nhập {result.shown}: ghi {sum(1 for u in check.updates if u.changed)} bản ghi.")
            say_written(result.outcome.commit, result.outcome.in_git)
    raise typer.Exit(import_exit_code(done))
