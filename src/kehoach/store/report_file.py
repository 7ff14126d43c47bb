"""Where a report goes: the format an `-o` path asks for, the file name a folder gets, atomic writes,
and the provenance (data commit, reproducing command) the workbook records."""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

from kehoach.errors import InputError
from kehoach.git import run as gitio

FORMAT_BY_EXTENSION = {".xlsx": "xlsx", ".csv": "csv", ".md": "markdown", ".json": "json", ".txt": "plain"}
EXTENSION_BY_FORMAT = {"xlsx": ".xlsx", "csv": ".csv", "markdown": ".md", "json": ".json", "plain": ".txt"}
DEFAULT_FOLDER = "reports"


@dataclass(frozen=True)
class Target:
    """A format and where it goes: a file, a folder (the name is made from the report), or stdout (None)."""

    fmt: str
    file: Path | None = None
    folder: Path | None = None

    def path_for(self, stem: str) -> Path | None:
        if self.file is not None:
            return self.file
        if self.folder is not None:
            return self.folder / f"{stem}{EXTENSION_BY_FORMAT[self.fmt]}"
        return None


def resolve_target(
    output: str | None, fmt: str | None, default_folder: Path, each_unit: bool = False
) -> Target:
    """`-o FILE` picks the format from its extension; `-o DIR` (or --format xlsx, or --each-unit alone)
    writes into a folder; otherwise the text goes to stdout. Rejected before anything is written."""
    known = ", ".join(FORMAT_BY_EXTENSION)
    if output is None:
        if fmt == "xlsx" or each_unit:
            return Target(_file_format(fmt, each_unit), folder=default_folder)
        return Target(fmt or "table")
    path = Path(output).expanduser()
    if path.is_dir() or output.endswith(("/", "\\")) or not path.suffix:
        if path.exists() and not path.is_dir():
            raise InputError(
                f"'{output}' là một tệp không có phần mở rộng; hãy dùng tên tệp có đuôi {known} "
                "hoặc một thư mục"
            )
        return Target(_file_format(fmt, each_unit), folder=path)
    extension = path.suffix.lower()
    if extension not in FORMAT_BY_EXTENSION:
        raise InputError(
            f"không xuất được báo cáo ra '{output}': phần mở rộng '{path.suffix}' không được hỗ trợ; "
            f"dùng {known}, hoặc một thư mục"
        )
    if each_unit:
        raise InputError(
            f"--each-unit ghi mỗi đơn vị một tệp: -o phải là một thư mục, không phải tệp '{output}'"
        )
    chosen = FORMAT_BY_EXTENSION[extension]
    if fmt is not None and fmt != chosen:
        raise InputError(f"--format {fmt} không khớp với phần mở rộng '{path.suffix}' của '{output}'")
    return Target(chosen, file=path)


def _file_format(fmt: str | None, each_unit: bool) -> str:
    if fmt is None:
        return "xlsx"
    if fmt == "table":
        what = "--each-unit" if each_unit else "ghi ra thư mục"
        raise InputError(f"{what} cần định dạng tệp (xlsx, csv, markdown, json, plain), không phải table")
    return fmt


def default_folder(data_dir: Path) -> Path:
    """reports/ beside data/ in the tracker folder."""
    return data_dir.parent / DEFAULT_FOLDER


def data_version(data_dir: Path) -> str:
    """The commit the data was read at, noting uncommitted edits; 'không có' outside git."""
    root = gitio.work_tree_root(data_dir.resolve())
    if root is None:
        return "không có (dữ liệu không nằm trong kho git)"
    head = gitio.head_commit(root)
    if head is None:
        return "không có (kho git chưa có commit)"
    listing = gitio.git(
        ["status", "--porcelain", "--untracked-files=all", "--", str(data_dir.resolve())], cwd=root
    ).stdout.splitlines()
    # Lock and temp files (dot names) are not data; a new status file written with --no-commit is.
    changed = [line for line in listing if not Path(line[3:].strip('"')).name.startswith(".")]
    return f"{head} (có thay đổi chưa commit)" if changed else head


def write_text(path: Path, text: str) -> None:
    from kehoach.store.status_files import atomic_write

    atomic_write(path, text)
