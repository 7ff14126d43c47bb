"""Many clerks, many machines: the status-file merge driver git calls, its setup, and sync."""

from __future__ import annotations

from typing import Annotated

import typer

from kehoach.cli import console
from kehoach.cli.options import DataOpt
from kehoach.cli.wording import examples


def merge_driver(
    base: Annotated[str, typer.Argument()],
    ours: Annotated[str, typer.Argument()],
    theirs: Annotated[str, typer.Argument()],
    path: Annotated[str, typer.Argument()],
) -> None:
    """Bộ gộp tệp trạng thái cho git (git gọi: kehoach merge-driver %O %A %B %P)."""
    from kehoach.git.merge_driver import run_driver

    raise typer.Exit(run_driver(base, ours, theirs, path, report=console.error))


@examples(
    ("kehoach setup-git", "cài cho bản sao ở thư mục hiện tại; chạy một lần sau git clone"),
    ("kehoach setup-git --data ../ban-sao-khac", "cài cho một bản sao ở thư mục khác"),
)
def setup_git(
    data: DataOpt = None,
) -> None:
    """Cài bộ gộp tệp trạng thái theo từng bản ghi vào kho git này (.gitattributes và cấu hình git). Chạy
    một lần trong mỗi bản sao (git clone); chạy lại không thay đổi gì."""
    from pathlib import Path

    from kehoach.git.setup import check_out_shared_branch
    from kehoach.git.setup import setup_git as install
    from kehoach.store.layout import display_path, find_data_dir

    fetched = check_out_shared_branch(Path(data).expanduser() if data else Path.cwd())
    if fetched:
        console.info(f"Bản sao còn trống: đã lấy nhánh {fetched} từ kho chung về.")
    done = install(find_data_dir(data))
    where = display_path(done.root)
    if not done.attributes_written and not done.config_written and not done.forgotten:
        console.info(f"Bộ gộp tệp trạng thái đã được cài sẵn trong {where}; không thay đổi gì.")
        return
    if done.forgotten:
        console.info(f"Đã bỏ {len(done.forgotten)} tệp riêng của kehoach (bộ nhớ đệm, khóa) khỏi kho chung "
                     f"(lần ghi {done.commit[:10] if done.commit else ''}); các tệp vẫn còn trên máy này.")
    elif done.attributes_written:
        console.info(f"Đã thêm dòng «{done.attributes_line}» vào {where}/.gitattributes"
                     + (f" (lần ghi {done.commit[:10]})." if done.commit else "."))
    if done.config_written:
        console.info(f"Đã cấu hình git trong {where} để gộp tệp trạng thái theo từng bản ghi.")


@examples(
    ("kehoach sync", "lấy về việc người khác đã ghi, gộp theo từng bản ghi, kiểm tra, rồi đẩy việc của máy này lên"),
    ("kehoach sync --remote tinh", "đồng bộ với kho chung tên «tinh» thay cho origin"),
)
def sync(
    remote: Annotated[str, typer.Option("--remote", help="Tên kho chung (remote) của git.")] = "origin",
    data: DataOpt = None,
) -> None:
    """Đồng bộ với kho chung: lấy về, gộp theo từng bản ghi, kiểm tra dữ liệu, rồi đẩy lên. Mã thoát 1 khi
    có xung đột hoặc dữ liệu lỗi (cần người quyết định), 2 khi không kết nối được kho chung."""
    from kehoach.commands.record import recover_if_interrupted
    from kehoach.commands.sync import sync as run_sync
    from kehoach.render.sync_view import sync_summary
    from kehoach.store.layout import find_data_dir
    from kehoach.store.tracker import open_plans

    data_dir = find_data_dir(data)
    recover_if_interrupted(data_dir)
    result = run_sync(data_dir, remote)
    # The lines name units, which every plan shares.
    console.info(sync_summary(open_plans(data_dir)[0].definitions, result))
