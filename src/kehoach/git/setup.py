"""Installing the status-file merge driver in a clone: a `.gitattributes` line (shared through the
repository) and the driver command in the clone's own git config (git never shares config, so
every clone runs this once: `kehoach init` and `kehoach setup-git` do it, `kehoach sync` checks it).

The driver command names the current Python interpreter by absolute path, so it works for git
even when the `kehoach` script is not on PATH.
"""

from __future__ import annotations

import shlex
import sys
from dataclasses import dataclass
from pathlib import Path

from kehoach.errors import KehoachError
from kehoach.git import run as gitio
from kehoach.store.layout import CACHE_DIR

DRIVER_NAME = "kehoach"
DRIVER_TITLE = "kehoach: gộp tệp trạng thái theo từng bản ghi"
ATTRIBUTES_FILE = ".gitattributes"
IGNORE_FILE = ".gitignore"


@dataclass(frozen=True)
class GitSetup:
    root: Path
    attributes_line: str
    attributes_written: bool
    """.gitattributes (and .gitignore for kehoach's own files) had to be changed."""
    config_written: bool
    commit: str | None
    forgotten: tuple[str, ...] = ()
    """kehoach's own files that had been committed (a cache, the lock): no longer shared, kept on disk."""


def driver_command() -> str:
    return f"{shlex.quote(sys.executable)} -m kehoach merge-driver %O %A %B %P"


def _status_prefix(root: Path, data_dir: Path) -> str:
    return (data_dir.resolve() / "status").relative_to(root.resolve()).as_posix() + "/"


def attributes_line(root: Path, data_dir: Path) -> str:
    return f"{_status_prefix(root, data_dir)}**/*.yaml merge={DRIVER_NAME}"


# Where kehoach kept its lock before the lock moved into .kehoach-cache/: trackers made then still hold
# one, and it is still no data to share.
LEGACY_LOCK_NAME = ".lock"


def lock_ignore_line(root: Path, data_dir: Path) -> str:
    """The old lock is no data: ignored, `git add data` never commits it into every clone."""
    return "/" + _status_prefix(root, data_dir) + LEGACY_LOCK_NAME


def ignore_lines(root: Path, data_dir: Path) -> list[tuple[str, str]]:
    """kehoach's own files besides the lock, each machine's and never shared: the derived caches (binary:
    two clones would conflict in them) and the half-written `.NAME.*.tmp` an interrupted write leaves.
    Each as (the .gitignore line, a path it must ignore)."""
    data = data_dir.resolve().relative_to(root.resolve()).as_posix()
    data = "" if data == "." else data + "/"
    return [(f"/{data}{CACHE_DIR}/", f"{data}{CACHE_DIR}/log.marshal"),
            (".*.tmp", f"{data}status/2026/.don-vi.yaml.x1y2.tmp")]


def _ignored(root: Path, path: str) -> bool:
    return gitio.git(["check-ignore", "--quiet", "--no-index", path], cwd=root, check=False).returncode == 0


def is_kehoach_own(path: str) -> bool:
    """A path (relative to the work tree) that is one of kehoach's own files, not data."""
    parts = path.split("/")
    name = parts[-1]
    return (CACHE_DIR in parts[:-1] or name == CACHE_DIR or name == LEGACY_LOCK_NAME
            or (name.startswith(".") and name.endswith(".tmp")))


def driver_configured(root: Path) -> bool:
    """This clone's git config names the status-file merge driver (`git clone` never copies it)."""
    return gitio.config_value(root, f"merge.{DRIVER_NAME}.driver") is not None


def require_root(data_dir: Path) -> Path:
    root = gitio.work_tree_root(data_dir.resolve())
    if root is None:
        raise KehoachError(f"thư mục dữ liệu '{data_dir}' không nằm trong kho git; tạo bộ theo dõi có "
                           "git bằng: kehoach init THƯ_MỤC, hoặc sao bộ theo dõi chung về bằng: "
                           "git clone ĐỊA_CHỈ")
    return root


def ensure_line(path: Path, line: str) -> bool:
    """Add the line to the file unless it is already there; True when the file changed."""
    text = path.read_text(encoding="utf-8") if path.exists() else ""
    if line in text.splitlines():
        return False
    if text and not text.endswith("\n"):
        text += "\n"
    path.write_text(text + line + "\n", encoding="utf-8", newline="\n")
    return True


def configure_driver(root: Path) -> bool:
    """Set merge.kehoach.* in the clone's config; True when something changed."""
    changed = False
    for key, value in ((f"merge.{DRIVER_NAME}.name", DRIVER_TITLE),
                       (f"merge.{DRIVER_NAME}.driver", driver_command())):
        if gitio.config_value(root, key) != value:
            gitio.git(["config", "--local", key, value], cwd=root)
            changed = True
    return changed


def setup_git(data_dir: Path, commit: bool = True) -> GitSetup:
    """Idempotent: a second run changes nothing. Commits .gitattributes when it had to be written."""
    root = require_root(data_dir)
    line = attributes_line(root, data_dir)
    changed = [root / ATTRIBUTES_FILE] if ensure_line(root / ATTRIBUTES_FILE, line) else []
    # The lock's line always stands at the top (`kehoach init` commits that .gitignore); the others only
    # where git does not already ignore those files, so a clone of an init-made tracker gains no commit.
    if ensure_line(root / IGNORE_FILE, lock_ignore_line(root, data_dir)):
        changed.append(root / IGNORE_FILE)
    missing = [text for text, sample in ignore_lines(root, data_dir) if not _ignored(root, sample)]
    for text in missing:
        if ensure_line(root / IGNORE_FILE, text) and root / IGNORE_FILE not in changed:
            changed.append(root / IGNORE_FILE)
    configured = configure_driver(root)
    commit_id = None
    forgotten: tuple[str, ...] = ()
    if commit and gitio.head_commit(root) is not None:
        forgotten = tuple(_tracked_own_files(root, data_dir))
        if forgotten and _nothing_staged(root):
            commit_id = _forget(root, forgotten, changed)
        elif changed:
            forgotten = ()
            commit_id = gitio.commit_paths(root, changed,
                                           "Cài bộ gộp tệp trạng thái theo từng bản ghi (kehoach setup-git)\n")
        else:
            forgotten = ()
    return GitSetup(root, line, bool(changed), configured, commit_id, forgotten)


def _tracked_own_files(root: Path, data_dir: Path) -> list[str]:
    rel = data_dir.resolve().relative_to(root.resolve()).as_posix()
    listed = gitio.git(["ls-files", "-z", "--", rel], cwd=root).stdout.split("\0")
    return [path for path in listed if path and is_kehoach_own(path)]


def _nothing_staged(root: Path) -> bool:
    return gitio.git(["diff", "--cached", "--quiet"], cwd=root, check=False).returncode == 0


def _forget(root: Path, own: tuple[str, ...], changed: list[Path]) -> str:
    """A tracker whose caches were committed (by `git add data` in a tracker made by hand): two clones
    would conflict in those binary files at every sync. Stop sharing them in one commit, with the
    .gitignore lines that keep them out; each machine keeps and rebuilds its own."""
    gitio.git(["rm", "--cached", "--quiet", "-r", "--", *own], cwd=root)
    if changed:
        gitio.git(["add", "--", *(p.name for p in changed)], cwd=root)
    message = ("Bỏ các tệp riêng của kehoach (bộ nhớ đệm, khóa, tệp tạm) khỏi kho chung (kehoach setup-git)\n\n"
               + "\n".join(own) + "\n")
    gitio.git([*gitio.identity_args(root), "commit", "--quiet", "--no-verify", "-F", "-"], cwd=root,
              input_text=message)
    return gitio.git(["rev-parse", "HEAD"], cwd=root).stdout.strip()


def check_out_shared_branch(folder: Path) -> str | None:
    """A clone made from a shared repository whose HEAD names no branch (`git init --bare` on a git
    whose default is `master`, then `main` pushed) is empty: check out the branch the remote has.
    Returns the branch checked out, or None when there was nothing to do."""
    existing = next((f for f in (folder, *folder.parents) if f.is_dir()), None)
    root = gitio.work_tree_root(existing.resolve()) if existing else None
    if root is None or gitio.head_commit(root) is not None:
        return None
    listed = gitio.git(["for-each-ref", "--format=%(refname:strip=3)", "refs/remotes/origin/"], cwd=root)
    branches = [b for b in listed.stdout.split() if b != "HEAD"]
    if not branches:
        return None
    branch = "main" if "main" in branches else branches[0]
    gitio.git(["checkout", "--quiet", "-B", branch, "--track", f"origin/{branch}"], cwd=root)
    return branch
