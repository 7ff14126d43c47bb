"""Many clerks, many machines: the status-file merge driver git calls, its setup, and sync."""

from __future__ import annotations

from typing import Annotated

import typer

from kehoach.cli import console
from kehoach.cli.options import DataOpt


def merge_driver(
    base: Annotated[str, typer.Argument()],
    ours: Annotated[str, typer.Argument()],
    theirs: Annotated[str, typer.Argument()],
    path: Annotated[str, typer.Argument()],
) -> None:
    """Bộ gộp tệp trạng thái cho git (git gọi: kehoach merge-driver %O %A %B %P)."""
    from kehoach.git.merge_driver import run_driver

    raise typer.Exit(run_driver(base, ours, theirs, path, report=console.error))


def setup_git(
    data: DataOpt = None,
) -> None:
    """Cài bộ gộp tệp trạng thái theo từng bản ghi vào kho git này (.gitattributes và cấu hình git). Chạy
    một lần trong mỗi bản sao (git clone); chạy lại không thay đổi gì."""
    from kehoach.git.setup import setup_git as install
    from kehoach.store.layout import display_path, find_data_dir

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
    from kehoach.store.tracker import open_tracker

    data_dir = find_data_dir(data)
    recover_if_interrupted(data_dir)
    result = run_sync(data_dir, remote)
    console.info(sync_summary(open_tracker(data_dir).definitions, result))
