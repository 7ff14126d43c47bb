"""`kehoach sync`: fetch the shared remote, merge its work with the local commits, validate, push.

Integration is a merge (`git merge --no-edit`), not a rebase: every clerk's commit keeps its id,
author and date exactly as made, the status-file merge driver sees "ours" as this machine and
"theirs" as the remote (a rebase swaps them and would stop once per replayed commit), and a
conflict is settled once, in one merge commit that names who settled it — which `kehoach log`
shows. When the histories did not diverge the merge is a fast-forward and adds no commit.

A fetch or push that fails for network or access reasons changes no local file or commit. A push
refused because the remote moved on meanwhile is retried (fetch, merge, validate, push), bounded.
"""

from __future__ import annotations

import os
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path

from kehoach.errors import EXIT_PROBLEMS, EXIT_REJECTED, KehoachError, Problem
from kehoach.git import run as gitio
from kehoach.git.history import Change, LogQuery, read_log
from kehoach.git.merge_driver import conflict_report, merge_texts, plan_named_by, status_file_order
from kehoach.git.setup import GitSetup, driver_configured, is_kehoach_own, require_root, setup_git

MAX_TRIES = 5
SSH_CONNECT_TIMEOUT_S = 10
"""A host that does not answer must not hang `sync`: ssh gives up after this many seconds."""


class SyncNetworkError(KehoachError):
    """The remote could not be reached or refused us: nothing local was changed."""

    exit_code = EXIT_REJECTED


class SyncStopped(KehoachError):
    """A person must act: a true conflict, invalid data, or a merge left unfinished."""

    exit_code = EXIT_PROBLEMS


@dataclass
class SyncResult:
    remote: str
    branch: str
    incoming: list[Change] = field(default_factory=list)
    pushed_commits: int = 0
    tries: int = 1
    merged: bool = False
    setup: GitSetup | None = None


@dataclass(frozen=True)
class Conflicts:
    """What a stopped merge tells the clerk: a message for each file, and for each conflicting record
    the command that settles it."""

    messages: list[str]
    records: list[tuple[str, str, str, str]]
    """(task, unit, period, the plan's name when the tracker has several plans, else "")."""
    by_hand: list[str]
    """Files that could not be merged record by record: the clerk edits them."""

    def advice(self) -> str:
        steps = ["Cách giải quyết:"]
        if self.records:
            # One runnable line a choice, never "mine|theirs": a clerk pastes what is printed.
            steps[0] += (" với mỗi bản ghi, chạy một trong hai lệnh: giữ bản của máy này (mine) hoặc bản "
                         "trên kho chung (theirs):")
            steps += [f"  kehoach resolve {task} {unit} --period {period}{f' --plan {plan}' if plan else ''} "
                      f"--keep {side}" for task, unit, period, plan in self.records for side in ("mine", "theirs")]
        if self.by_hand:
            # No kehoach command settles a file that is not records: the clerk edits it, and git ends
            # the merge (kehoach commit refuses while a merge is under way).
            steps.append("Các tệp sau không gộp được theo từng bản ghi; mở từng tệp, giữ lại nội dung đúng "
                         "giữa các dòng <<<<<<< và >>>>>>> (xóa các dòng đánh dấu), chạy kehoach validate, rồi "
                         "ghi lần gộp vào lịch sử:")
            steps += [f"  {path}" for path in self.by_hand]
            steps.append("  git add " + " ".join(self.by_hand) + " && git commit --no-edit")
        steps.append("Sau đó chạy lại: kehoach sync")
        return "\n".join(steps)


def _status_lines(root: Path, rel: str) -> list[str]:
    """Uncommitted changes to data, as `XY path`; kehoach's own files (lock, caches, temporary files)
    are each machine's and never a reason to refuse."""
    output = gitio.git(["status", "--porcelain", "-z", "--no-renames", "--untracked-files=all", "--", rel],
                       cwd=root).stdout
    entries = [entry for entry in output.split("\0") if len(entry) > 3]
    return [entry for entry in entries if not is_kehoach_own(entry[3:])]


def _unmerged_paths(root: Path) -> list[str]:
    output = gitio.git(["diff", "--name-only", "--diff-filter=U"], cwd=root).stdout
    return sorted(set(output.split()))


def _resolve(root: Path, ref: str) -> str | None:
    proc = gitio.git(["rev-parse", "--verify", "--quiet", ref], cwd=root, check=False)
    return proc.stdout.strip() or None


def _merging(root: Path) -> bool:
    return _resolve(root, "MERGE_HEAD") is not None


def _data_rel(root: Path, data_dir: Path) -> str:
    rel = data_dir.resolve().relative_to(root.resolve()).as_posix()
    return rel or "."


def check_ready(root: Path, data_dir: Path) -> None:
    """Refuse to start over unfinished work: a merge in progress or uncommitted data files."""
    if _merging(root):
        unmerged = _unmerged_paths(root)
        if unmerged:
            raise SyncStopped("còn xung đột chưa giải quyết trong: " + ", ".join(unmerged) + "\n"
                              + conflicts_of(root, unmerged).advice())
        # Only a merge finished by hand gets here (kehoach resolve ends the merge itself).
        raise SyncStopped("đã giải quyết xong các xung đột nhưng lần gộp chưa được ghi vào lịch sử; chạy: "
                          "git commit --no-edit rồi kehoach sync")
    changed = _status_lines(root, _data_rel(root, data_dir))
    if changed:
        shown = "\n  ".join(changed[:10]) + ("\n  ..." if len(changed) > 10 else "")
        raise KehoachError("có thay đổi trong dữ liệu chưa được ghi vào lịch sử, chưa đồng bộ được:\n  " + shown
                           + "\nHãy kiểm tra bằng kehoach validate, ghi vào lịch sử bằng kehoach commit, rồi "
                           "chạy lại kehoach sync.")


def check_driver(root: Path) -> None:
    """A clone made by `git clone` lacks the driver in its own config: without it git would merge status
    files line by line, and conflicts would no longer be named record by record."""
    if not driver_configured(root):
        raise KehoachError("bản sao này chưa cài bộ gộp tệp trạng thái theo từng bản ghi (git clone không "
                           "mang theo cấu hình này); chạy một lần: kehoach setup-git, rồi chạy lại kehoach "
                           "sync. Chưa có gì bị thay đổi.")


def current_branch(root: Path) -> str:
    proc = gitio.git(["symbolic-ref", "--quiet", "--short", "HEAD"], cwd=root, check=False)
    if proc.returncode != 0:
        raise KehoachError("kho git không ở trên một nhánh (detached HEAD); chuyển về nhánh chính: "
                           "git checkout main")
    return proc.stdout.strip()


def _remote_url(root: Path, remote: str) -> str:
    proc = gitio.git(["remote", "get-url", remote], cwd=root, check=False)
    if proc.returncode != 0:
        raise KehoachError(f"kho git chưa có kho chung tên '{remote}'; thêm bằng: git remote add {remote} "
                           "ĐỊA_CHỈ (ví dụ: git remote add origin /mnt/may-chu/theo-doi.git)")
    return proc.stdout.strip()


# What ssh and git say when the shared repository cannot be reached, in the clerk's words.
_NETWORK_REASONS = (
    ("timed out", "máy chủ không trả lời (quá {timeout} giây)"),
    ("Could not resolve hostname", "không tìm thấy máy chủ theo tên đã cho"),
    ("Connection refused", "máy chủ từ chối kết nối (sai cổng, hoặc dịch vụ git/ssh chưa chạy)"),
    ("Host key verification failed", "máy này chưa tin khóa của máy chủ; chạy một lần: ssh ĐỊA_CHỈ_MÁY_CHỦ "
     "rồi trả lời yes"),
    ("Permission denied", "máy chủ không nhận khóa ssh hay tài khoản của máy này"),
    ("does not appear to be a git repository", "đường dẫn không phải kho git"),
    ("not found", "không tìm thấy kho chung theo đường dẫn đã cho"),
    ("Authentication failed", "sai tài khoản hoặc mật khẩu (mã truy cập)"),
    ("terminal prompts disabled", "máy chủ đòi mật khẩu; lưu mật khẩu bằng trình quản lý mật khẩu của git"),
)


def _network_reason(detail: str) -> str | None:
    for clue, reason in _NETWORK_REASONS:
        if clue in detail:
            return reason.format(timeout=SSH_CONNECT_TIMEOUT_S)
    return None


def _network_error(action: str, remote: str, url: str, detail: str) -> SyncNetworkError:
    reason = _network_reason(detail)
    return SyncNetworkError(
        f"không {action} kho chung '{remote}' ({url})" + (f": {reason}" if reason else "") + ". Dữ liệu và lịch "
        "sử thay đổi trên máy này không bị đụng tới; hãy kiểm tra mạng, đường dẫn và quyền truy cập rồi chạy lại "
        f"kehoach sync.\nChi tiết từ git: {detail}")


def network_env(root: Path) -> dict[str, str]:
    """ssh without a time limit waits minutes for a host that does not answer, and may ask for a password
    nobody sees: bound it and never ask, unless the clerk chose their own ssh command."""
    if os.environ.get("GIT_SSH_COMMAND") or os.environ.get("GIT_SSH") or gitio.config_value(
            root, "core.sshCommand"):
        return {}
    return {"GIT_SSH_COMMAND": f"ssh -o ConnectTimeout={SSH_CONNECT_TIMEOUT_S} -o BatchMode=yes"}


def _fetch(root: Path, remote: str, url: str, branch: str) -> str | None:
    proc = gitio.git(["fetch", "--quiet", remote], cwd=root, check=False, env=network_env(root))
    if proc.returncode != 0:
        raise _network_error("lấy được dữ liệu từ", remote, url, proc.stderr.strip() or proc.stdout.strip())
    return _resolve(root, f"refs/remotes/{remote}/{branch}")


def _is_ancestor(root: Path, older: str, newer: str) -> bool:
    return gitio.git(["merge-base", "--is-ancestor", older, newer], cwd=root, check=False).returncode == 0


def conflicts_of(root: Path, paths: list[str]) -> Conflicts:
    """The driver's Vietnamese message for each conflicted status file, rebuilt from git's index
    stages (1 base, 2 ours, 3 theirs) so it does not depend on what git printed."""
    messages: list[str] = []
    records: list[tuple[str, str, str, str]] = []
    by_hand: list[str] = []
    for path in paths:
        stages = []
        for stage in (1, 2, 3):
            proc = gitio.git(["show", f":{stage}:{path}"], cwd=root, check=False)
            stages.append(proc.stdout if proc.returncode == 0 else "")
        if path.endswith(".yaml") and "/status/" in f"/{path}":
            base, ours, theirs = stages
            result = merge_texts(base, ours, theirs, path, status_file_order(path, root))
            if not result.clean:
                messages.append(conflict_report(result, path))
                plan = plan_named_by(path, root)
                records += [(*c.key, plan) for c in result.conflicts]
                if result.unreadable:
                    by_hand.append(path)
                continue
        messages.append(f"Xung đột ở {path}: tệp bị sửa khác nhau ở hai nơi.")
        by_hand.append(path)
    return Conflicts(messages, records, by_hand)


def _merge(root: Path, remote: str, branch: str, upstream: str) -> None:
    message = f"Đồng bộ: gộp thay đổi từ {remote}/{branch}"
    proc = gitio.git([*gitio.identity_args(root), "merge", "--no-edit", "-m", message, upstream], cwd=root,
                     check=False)
    if proc.returncode == 0:
        return
    unmerged = _unmerged_paths(root)
    if unmerged:
        found = conflicts_of(root, unmerged)
        raise SyncStopped("đồng bộ dừng lại vì có bản ghi bị sửa khác nhau ở máy này và ở kho chung:\n"
                          + "\n".join(found.messages) + "\n" + found.advice())
    if _merging(root):
        gitio.git(["merge", "--abort"], cwd=root, check=False)
    raise KehoachError("không gộp được thay đổi từ kho chung; dữ liệu trên máy này giữ nguyên.\n"
                       "Chi tiết từ git: " + (proc.stderr.strip() or proc.stdout.strip()))


Check = Callable[[Path], list[Problem]]
"""Every problem of the data in a folder (`validate`): merged data is checked before it is pushed."""


def _validate(data_dir: Path, check: Check) -> None:
    problems = check(data_dir)
    if problems:
        raise SyncStopped("dữ liệu sau khi gộp có lỗi nên chưa đẩy lên kho chung; sửa các lỗi sau, ghi "
                          "vào lịch sử bằng kehoach commit, rồi chạy lại kehoach sync:\n"
                          + "\n".join(str(p) for p in problems))


def _push(root: Path, remote: str, branch: str) -> tuple[bool, str]:
    args = ["push", "--porcelain"]
    if gitio.config_value(root, f"branch.{branch}.remote") is None:
        args.append("--set-upstream")
    proc = gitio.git([*args, remote, f"refs/heads/{branch}:refs/heads/{branch}"], cwd=root, check=False,
                     env=network_env(root))
    return proc.returncode == 0, (proc.stderr.strip() or proc.stdout.strip())


def point_remote_head(root: Path, url: str, branch: str) -> None:
    """A shared repository made with `git init --bare` on a git whose default branch is `master` keeps
    HEAD on that branch, which never exists: the next `git clone` checks out nothing. When the shared
    repository is a folder (a file server), point its HEAD at the branch just pushed; a server (Gitea,
    GitLab) picks its default branch itself."""
    folder = Path(url.removeprefix("file://")).expanduser()
    if not folder.is_absolute():
        folder = root / folder
    if not (folder.is_dir() and (folder / "HEAD").is_file()):
        return
    head = gitio.git(["symbolic-ref", "--quiet", "HEAD"], cwd=folder, check=False).stdout.strip()
    if head and _resolve(folder, head) is None:
        gitio.git(["symbolic-ref", "HEAD", f"refs/heads/{branch}"], cwd=folder, check=False)


def _count(root: Path, since: str | None) -> int:
    revisions = f"{since}..HEAD" if since else "HEAD"
    return int(gitio.git(["rev-list", "--count", revisions], cwd=root).stdout.strip() or 0)


def sync(data_dir: Path, check: Check, remote: str = "origin", max_tries: int = MAX_TRIES) -> SyncResult:
    root = require_root(data_dir)
    url = _remote_url(root, remote)
    branch = current_branch(root)
    check_ready(root, data_dir)
    check_driver(root)
    # A tracker older than the driver lacks its .gitattributes line: add it (one commit, shared).
    setup = setup_git(data_dir)
    start = gitio.head_commit(root)
    result = SyncResult(remote, branch, setup=setup)
    previous: str | None = None
    detail = ""
    for attempt in range(1, max_tries + 1):
        result.tries = attempt
        upstream = _fetch(root, remote, url, branch)
        if attempt > 1 and upstream == previous:
            # The push failed but the remote did not move: not a race, a real refusal.
            raise _network_error("đẩy được dữ liệu lên", remote, url, detail)
        head = gitio.head_commit(root)
        if upstream and head and not _is_ancestor(root, upstream, head):
            _merge(root, remote, branch, upstream)
            result.merged = True
        _validate(data_dir, check)
        head = gitio.head_commit(root)
        if head is None or head == upstream:
            break
        ahead = _count(root, upstream)
        pushed, detail = _push(root, remote, branch)
        if pushed:
            result.pushed_commits = ahead
            point_remote_head(root, url, branch)
            break
        previous = upstream
    else:
        raise SyncStopped(f"kho chung liên tục thay đổi; đã thử {max_tries} lần mà chưa đẩy được. Dữ liệu "
                          "đã gộp vẫn nằm trên máy này; hãy chạy lại kehoach sync.")
    new_head = gitio.head_commit(root)
    if new_head and new_head != start:
        result.incoming = read_log(data_dir, LogQuery(), f"{start}..{new_head}" if start else new_head)
    return result
