"""One error family and the problem record; the CLI turns them into exit codes in one place."""

from __future__ import annotations

import errno
from typing import NamedTuple

EXIT_OK = 0
EXIT_PROBLEMS = 1
EXIT_REJECTED = 2
EXIT_INTERNAL = 3


class Problem(NamedTuple):
    """One thing wrong in a data file, where an editor can jump to it. Sorts by file, line, column."""

    path: str
    line: int
    col: int
    message: str
    field: str = ""

    def __str__(self) -> str:
        where = self.path if self.line <= 0 else f"{self.path}:{self.line}:{self.col}"
        field = f" [{self.field}]" if self.field else ""
        return f"{where}: {self.message}{field}"

    def as_dict(self) -> dict[str, object]:
        return {
            "path": self.path,
            "line": self.line,
            "col": self.col,
            "field": self.field,
            "message": self.message,
        }


class KehoachError(Exception):
    """Base of every error a user can cause; carries its exit code."""

    exit_code = EXIT_REJECTED

    def __init__(self, message: str) -> None:
        super().__init__(message)
        self.message = message

    def __str__(self) -> str:
        return self.message


class InputError(KehoachError):
    """A rejected command line value: unknown task, bad date, wrong period...

    `field` names the record field at fault (task, unit, period, status, done_on, note) when one
    is, so a spreadsheet import can point at the right cell."""

    exit_code = EXIT_REJECTED

    def __init__(self, message: str, field: str = "") -> None:
        super().__init__(message)
        self.field = field


class DataFileError(KehoachError):
    """A data file that cannot be used; carries every problem found."""

    exit_code = EXIT_REJECTED

    def __init__(self, *problems: Problem) -> None:
        self.problems = sorted(problems)
        super().__init__("\n".join(str(p) for p in self.problems))


class DataNotFoundError(KehoachError):
    exit_code = EXIT_REJECTED


class GitError(KehoachError):
    """A git command failed; names the command, its exit code and what it said."""

    exit_code = EXIT_REJECTED


_OS_PROBLEMS = {
    errno.ENOSPC: "ổ đĩa đã đầy",
    errno.EDQUOT: "đã hết dung lượng được phép trên ổ đĩa",
    errno.EROFS: "ổ đĩa hoặc thư mục chỉ cho đọc",
    errno.EACCES: "không có quyền ghi hoặc đọc",
    errno.EPERM: "không được phép thao tác",
    errno.ENOTDIR: "một phần của đường dẫn là tệp, không phải thư mục",
    errno.EISDIR: "đường dẫn là một thư mục, không phải tệp",
    errno.ENOENT: "không tìm thấy tệp hoặc thư mục",
    errno.ENAMETOOLONG: "tên tệp quá dài",
    errno.EIO: "lỗi đọc ghi của ổ đĩa",
}


def os_error_message(exc: OSError, path: object = None) -> str:
    """A Vietnamese sentence for a failure of the disk or the folder, naming the path."""
    reason = _OS_PROBLEMS.get(exc.errno or 0, exc.strerror or "lỗi hệ thống")
    where = path if path is not None else exc.filename
    return f"không ghi hoặc đọc được {where}: {reason}" if where else f"lỗi ổ đĩa: {reason}"
