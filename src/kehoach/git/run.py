"""The one module that runs git: one function that runs a command and raises a clear error."""

from __future__ import annotations

import os
import subprocess
from functools import cache
from pathlib import Path

from kehoach.errors import GitError

# Commit dates and messages must not depend on the clerk's locale or pager. A question such as `git status`
# never takes the index lock to refresh it in passing (GIT_OPTIONAL_LOCKS=0): on a full disk, or beside a
# writer, that refresh fails or blocks a command that only asked.
_ENV_OVERRIDES = {"LC_ALL": "C.UTF-8", "GIT_PAGER": "cat", "GIT_TERMINAL_PROMPT": "0", "GIT_OPTIONAL_LOCKS": "0"}


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
    if config_value(root, "user.name") is None and "GIT_COMMITTER_NAME" not in os.environ:
        args += ["-c", "user.name=kehoach"]
    if config_value(root, "user.email") is None and "GIT_COMMITTER_EMAIL" not in os.environ:
        args += ["-c", "user.email=kehoach@localhost"]
    return args


Author = tuple[str, str]
"""A git author: the name exactly as recorded (`recorded_by`), and an email (may be empty)."""

# git silently drops these from a name (and refuses a name made only of them), so a name holding one
# would reach the history other than as recorded.
_GIT_DROPS = "<>"
_GIT_CRUD = ".,:;<>\"'\\ \t"


def author_problem(name: str) -> str | None:
    """Why git would not sign a change with exactly this name, in Vietnamese; None when it would."""
    if not name.strip():
        return "tên người ghi nhận (--by) trống"
    dropped = sorted({c for c in name if c in _GIT_DROPS})
    if dropped:
        shown = " ".join(repr(c)[1:-1] for c in dropped)
        return f"tên người ghi nhận (--by) không được chứa ký tự {shown}"
    if not name.strip(_GIT_CRUD):
        return "tên người ghi nhận (--by) chỉ gồm dấu câu; hãy ghi họ tên"
    return None


@cache
def author_identity(root: Path) -> Author | None:
    """The identity git would sign with here (its environment, then its config), or None. Asked once a
    run: who recorded and who signs are the same question, and each asking starts a git process."""
    proc = git(["var", "GIT_AUTHOR_IDENT"], cwd=root, check=False)
    ident = proc.stdout.strip()
    if proc.returncode != 0 or "<" not in ident:
        return None
    name, _, rest = ident.partition("<")
    return name.strip(), rest.partition(">")[0]


class CommitFailed(GitError):
    """git would not record a change; the message says why in Vietnamese, never git's own words."""


@cache
def git_dirs(root: Path) -> tuple[Path, Path]:
    """The repository folder of this work tree, and the one it shares with other work trees."""
    lines = git(["rev-parse", "--absolute-git-dir", "--git-common-dir"], cwd=root).stdout.splitlines()
    common = Path(lines[1])
    return Path(lines[0]), common if common.is_absolute() else (root / common).resolve()


def _branch_ref(git_dir: Path) -> str | None:
    try:
        head = (git_dir / "HEAD").read_text(encoding="utf-8", errors="replace").strip()
    except OSError:
        return None
    return head[len("ref: "):] if head.startswith("ref: ") else None


def lock_files(root: Path) -> list[Path]:
    """The lock files git leaves while it writes the index, HEAD or the branch: present ones only."""
    own, common = git_dirs(root)
    candidates = [own / "index.lock", own / "HEAD.lock"]
    branch = _branch_ref(own)
    if branch:
        candidates.append(common / f"{branch}.lock")
    return [p for p in candidates if p.exists()]


def lock_message(root: Path, locks: list[Path]) -> str:
    names = ", ".join(str(p.relative_to(root)) if p.is_relative_to(root) else str(p) for p in locks)
    return (f"kho git của bộ theo dõi đang bị khóa (có tệp {names}): một lệnh git đang chạy, hoặc đã bị ngắt "
            "giữa chừng và để sót tệp khóa. Chưa ghi gì. Nếu chắc không còn lệnh git nào chạy (kể cả "
            f"trình soạn thảo hay phần mềm đồng bộ), hãy xóa tệp đó ({names}) rồi chạy lại lệnh.")


def pending_paths(root: Path, paths: list[Path]) -> list[str]:
    """Of these paths, those whose file differs from the last commit (or the index): uncommitted work."""
    rel = _relative(root, paths)
    out = git(["status", "--porcelain=v1", "-z", "--untracked-files=all", "--", *rel], cwd=root).stdout
    return sorted(entry[3:] for entry in out.split("\0") if len(entry) > 3)


def _relative(root: Path, paths: list[Path]) -> list[str]:
    return [str(p.resolve().relative_to(root.resolve())) for p in paths]


def _commit_failure(proc: subprocess.CompletedProcess[str]) -> str:
    said = (proc.stderr + proc.stdout).lower()
    if "index.lock" in said or ".lock" in said and "exists" in said:
        return ("kho git đang bị một lệnh git khác khóa; chưa ghi gì, hãy thử lại (nếu vẫn bị, xem tệp "
                ".git/index.lock)")
    if "ident" in said or "disallowed characters" in said:
        return "git không chấp nhận tên hoặc email người ghi nhận; chưa ghi gì, hãy sửa --by hoặc user.name"
    if "no space" in said:
        return "ổ đĩa đã đầy nên git không ghi được nhật ký; chưa ghi gì, hãy giải phóng dung lượng rồi thử lại"
    if "read-only" in said or "permission denied" in said:
        return "không có quyền ghi vào kho git của bộ theo dõi; chưa ghi gì"
    return f"git không ghi được thay đổi vào nhật ký (mã lỗi {proc.returncode}); chưa ghi gì, tệp đã trả lại như cũ"


def unstage(root: Path, paths: list[Path]) -> None:
    """Put the index of these paths back as the last commit has them (after a failed commit)."""
    rel = _relative(root, paths)
    if head_commit(root) is None:
        git(["rm", "--cached", "--quiet", "--ignore-unmatch", "--", *rel], cwd=root, check=False)
    else:
        git(["reset", "--quiet", "--", *rel], cwd=root, check=False)


def commit_paths(root: Path, paths: list[Path], message: str, author: Author | None = None) -> str:
    """Commit exactly these paths, never other staged or unstaged work; returns the new commit id.

    On failure the index of these paths is put back and CommitFailed says why; the files are the
    caller's to restore. Once git has committed, nothing raises: the change is recorded."""
    rel = _relative(root, paths)
    env = {"GIT_AUTHOR_NAME": author[0], "GIT_AUTHOR_EMAIL": author[1]} if author else None
    proc = git(["add", "-A", "--", *rel], cwd=root, check=False)
    if proc.returncode == 0:
        args = [*identity_args(root), "commit", "--quiet", "--no-verify", "-F", "-", "--only", "--", *rel]
        proc = git(args, cwd=root, input_text=message, env=env, check=False)
    if proc.returncode != 0:
        unstage(root, paths)
        raise CommitFailed(_commit_failure(proc))
    return head_commit(root) or ""


def unmerged_paths(root: Path) -> list[str]:
    out = git(["diff", "--name-only", "-z", "--diff-filter=U"], cwd=root).stdout
    return sorted(set(filter(None, out.split("\0"))))


def merge_message(root: Path) -> str | None:
    """The subject git prepared for the merge in progress, or None when no merge is in progress."""
    own, _ = git_dirs(root)
    if not (own / "MERGE_HEAD").exists():
        return None
    try:
        text = (own / "MERGE_MSG").read_text(encoding="utf-8", errors="replace")
    except OSError:
        return ""
    return next((line for line in text.splitlines() if line and not line.startswith("#")), "")


def commit_merge(root: Path, message: str, author: Author | None = None) -> str:
    """Commit the merge in progress (or, with none, what is staged), every conflict settled."""
    env = {"GIT_AUTHOR_NAME": author[0], "GIT_AUTHOR_EMAIL": author[1]} if author else None
    proc = git([*identity_args(root), "commit", "--quiet", "--no-verify", "-F", "-"], cwd=root, input_text=message,
               env=env, check=False)
    if proc.returncode != 0:
        raise CommitFailed(_commit_failure(proc))
    return head_commit(root) or ""


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
