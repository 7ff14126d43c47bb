"""The one module that runs git: one function that runs a command and raises a clear error."""

from __future__ import annotations

import os
import subprocess
from functools import cache
from pathlib import Path

from kehoach.errors import GitError

# Commit dates and messages must not depend on the clerk's locale or pager.
_ENV_OVERRIDES = {"LC_ALL": "C.UTF-8", "GIT_PAGER": "cat", "GIT_TERMINAL_PROMPT": "0"}


def git(args: list[str], cwd: Path, check: bool = True, input_text: str | None = None,
        env: dict[str, str] | None = None) -> subprocess.CompletedProcess[str]:
    full_env = {**os.environ, **_ENV_OVERRIDES, **(env or {})}
    try:
        proc = subprocess.run(["git", *args], cwd=cwd, capture_output=True, text=True, encoding="utf-8",
                              errors="replace", input=input_text, env=full_env)
    except FileNotFoundError:
        raise GitError("không tìm thấy chương trình git; hãy cài git") from None
    if check and proc.returncode != 0:
        raise GitError(f"lệnh 'git {' '.join(args)}' thất bại (mã {proc.returncode}): "
                       f"{proc.stderr.strip() or proc.stdout.strip()}")
    return proc


@cache
def work_tree_root(path: Path) -> Path | None:
    """The top of the git work tree holding `path`, or None outside git."""
    if not path.exists():
        return None
    proc = git(["rev-parse", "--show-toplevel"], cwd=path, check=False)
    if proc.returncode != 0:
        return None
    return Path(proc.stdout.strip())


def config_value(root: Path, key: str) -> str | None:
    proc = git(["config", "--get", key], cwd=root, check=False)
    value = proc.stdout.strip()
    return value or None


def identity_args(root: Path) -> list[str]:
    """git refuses to commit without an identity; give it one rather than fail a clerk's record."""
    args = []
    if config_value(root, "user.name") is None:
        args += ["-c", "user.name=kehoach"]
    if config_value(root, "user.email") is None:
        args += ["-c", "user.email=kehoach@localhost"]
    return args


def commit_paths(root: Path, paths: list[Path], message: str, author: str | None = None) -> str:
    """Commit exactly these paths, never other staged or unstaged work; returns the new commit id."""
    rel = [str(p.resolve().relative_to(root.resolve())) for p in paths]
    git(["add", "--", *rel], cwd=root)
    args = [*identity_args(root), "commit", "--quiet", "--no-verify", "-F", "-"]
    if author:
        args += ["--author", author]
    args += ["--only", "--", *rel]
    git(args, cwd=root, input_text=message)
    return git(["rev-parse", "HEAD"], cwd=root).stdout.strip()


def head_commit(root: Path) -> str | None:
    proc = git(["rev-parse", "--verify", "--quiet", "HEAD"], cwd=root, check=False)
    return proc.stdout.strip() or None


def data_version(data_dir: Path) -> str:
    """The commit the data was read at, noting uncommitted edits; 'không có' outside git."""
    root = work_tree_root(data_dir.resolve())
    if root is None:
        return "không có (dữ liệu không nằm trong kho git)"
    head = head_commit(root)
    if head is None:
        return "không có (kho git chưa có commit)"
    listing = git(
        ["status", "--porcelain", "--untracked-files=all", "--", str(data_dir.resolve())], cwd=root
    ).stdout.splitlines()
    # Lock and temp files (dot names) are not data; a new status file written with --no-commit is.
    changed = [line for line in listing if not Path(line[3:].strip('"')).name.startswith(".")]
    return f"{head} (có thay đổi chưa commit)" if changed else head


def read_blobs(root: Path, blob_ids: set[str]) -> dict[str, str]:
    """The text of each blob, all through one `git cat-file --batch` process."""
    if not blob_ids:
        return {}
    ordered = sorted(blob_ids)
    try:
        proc = subprocess.run(["git", "cat-file", "--batch"], cwd=root, input=("\n".join(ordered) + "\n").encode(),
                              capture_output=True, check=True, env={**os.environ, **_ENV_OVERRIDES})
    except (OSError, subprocess.CalledProcessError) as exc:
        raise GitError(f"không đọc được nội dung lịch sử từ git: {exc}") from None
    data = proc.stdout
    result: dict[str, str] = {}
    offset = 0
    for blob in ordered:
        newline = data.index(b"\n", offset)
        header = data[offset:newline].decode()
        offset = newline + 1
        parts = header.split()
        if len(parts) < 3 or parts[1] != "blob":
            continue
        size = int(parts[2])
        result[blob] = data[offset:offset + size].decode("utf-8", errors="replace")
        offset += size + 1
    return result
