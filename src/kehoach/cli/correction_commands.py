"""Corrections without git: take back one's last change, and record the changes kept aside."""

from __future__ import annotations

from typing import Annotated

import typer

from kehoach.cli import console
from kehoach.cli.options import AsOfOpt, DataOpt, PeriodOpt, PlanOpt, as_of_date, open_data, recorder, say_written
from kehoach.cli.wording import examples

ByOpt = Annotated[str | None, typer.Option("--by", help="Người ghi nhận. Mặc định: tên người dùng của git.")]


@examples(
    ("kehoach undo", "hoàn tác thay đổi gần nhất của mình (tên lấy từ git)"),
    ("kehoach undo --by \"Nguyễn Văn A\"", "hoàn tác thay đổi gần nhất do Nguyễn Văn A ghi"),
)
def undo(by: ByOpt = None, data: DataOpt = None, plan: PlanOpt = None) -> None:
    """Hoàn tác thay đổi gần nhất trong nhật ký khi đó là thay đổi của chính mình (ghi bằng record,
    import hay commit), bằng một thay đổi mới: nhật ký vẫn giữ cả hai. Từ chối khi thay đổi gần nhất
    là của người khác, là một lần đồng bộ, hay đã là một lần hoàn tác."""
    from kehoach.commands.corrections import undo as undo_last
    from kehoach.commands.record import author_for

    tracker = open_data(data, plan)
    who = recorder(tracker, by) or ""
    done = undo_last(tracker, who, author_for(tracker, who))
    console.info(f"Đã hoàn tác thay đổi {done.change.short} «{done.change.subject}» "
                 f"(tệp {', '.join(done.records)}).")
    say_written(done.outcome.commit, done.outcome.in_git)


@examples(
    ("kehoach commit", "lưu các tệp đã ghi bằng record --no-commit vào lịch sử thay đổi"),
    ("kehoach commit --by \"Nguyễn Văn A\"", "như trên, ghi tên người lưu"),
)
def commit(by: ByOpt = None, data: DataOpt = None, plan: PlanOpt = None) -> None:
    """Ghi vào nhật ký thay đổi các tệp trạng thái đã ghi bằng --no-commit (hay sửa tay): kiểm tra
    từng tệp như lệnh record rồi ghi tất cả trong một lần."""
    from kehoach.commands.corrections import commit_pending_changes
    from kehoach.commands.record import author_for
    from kehoach.store.layout import display_path

    tracker = open_data(data, plan)
    pending, outcome = commit_pending_changes(tracker, author_for(tracker, recorder(tracker, by)))
    console.info(f"Đã ghi các thay đổi của {len(pending)} tệp: "
                 f"{', '.join(display_path(p.path) for p in pending)}.")
    say_written(outcome.commit, outcome.in_git)


@examples(
    ("kehoach resolve 17 STP -p 2026-H1 --keep mine", "giữ bản ở máy này"),
    ("kehoach resolve 17 STP -p 2026-H1 --keep theirs", "giữ bản được gộp vào từ kho chung"),
    ("kehoach resolve 17 STP -p 2026-H1 --keep xong --done-on 10/6/2026", "ghi trạng thái mới: hoàn thành"),
)
def resolve(
    task: Annotated[str, typer.Argument(metavar="NHIỆM_VỤ", help="Mã nhiệm vụ của bản ghi bị xung đột.")],
    unit: Annotated[str, typer.Argument(metavar="ĐƠN_VỊ", help="Đơn vị: mã, tên hoặc tên viết tắt.")],
    keep: Annotated[str, typer.Option("--keep", "-k", help="Bản giữ lại: mine (bản ở máy này), theirs (bản được "
                                      "gộp vào), hoặc một trạng thái mới như 'hoàn thành', 'đang thực hiện'.",
                                      show_default=False)],
    period: PeriodOpt = None,
    done_on: Annotated[str | None, typer.Option("--done-on", help="Ngày hoàn thành, khi --keep là 'hoàn thành'.")]
    = None,
    by: ByOpt = None,
    as_of: AsOfOpt = None,
    data: DataOpt = None,
    plan: PlanOpt = None,
) -> None:
    """Giải quyết một bản ghi bị xung đột sau kehoach sync: giữ bản ở máy này, bản được gộp vào, hay
    ghi một trạng thái mới. Khi đó là xung đột cuối cùng, lần gộp được ghi vào nhật ký thay đổi, nêu
    từng lựa chọn; sau đó chạy lại kehoach sync."""
    from kehoach.commands.corrections import resolve as settle
    from kehoach.commands.record import author_for
    from kehoach.domain.periods import parse_date

    tracker = open_data(data, plan)
    who = recorder(tracker, by)
    done = settle(tracker, task=task, unit=unit, period=period, keep=keep,
                  done_on=parse_date(done_on, "ngày hoàn thành --done-on") if done_on else None,
                  as_of=as_of_date(as_of), who=who, author=author_for(tracker, who))
    console.info(f"Đã chọn: {done.how}.")
    if done.remaining:
        console.info("Còn xung đột cần giải quyết:\n" + "\n".join(f"  - {r}" for r in done.remaining))
        return
    assert done.outcome is not None
    say_written(done.outcome.commit, done.outcome.in_git)
    console.info("Đã giải quyết hết xung đột; chạy kehoach sync để gửi lên kho chung.")
