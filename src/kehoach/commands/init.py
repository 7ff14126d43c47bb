"""`kehoach init`: a new tracker from the plan and units the package carries."""

from __future__ import annotations

import shlex
from importlib import resources
from pathlib import Path

from kehoach.errors import InputError
from kehoach.git import run as gitio
from kehoach.git.setup import ATTRIBUTES_FILE, IGNORE_FILE, setup_git
from kehoach.store.tracker import PLAN_FILE, UNITS_FILE

# The lock and a write killed half-way (its temporary file) are never data to share.
GITIGNORE = ".kehoach-cache/\nreports/*\n!reports/.gitkeep\ndata/status/.lock\ndata/status/**/.*.tmp\n"


def default_data_file(name: str) -> bytes:
    return (resources.files("kehoach") / "default_data" / name).read_bytes()


def init_tracker(target: Path, *, inside_repository: bool = False, plan_text: str | None = None,
                 message: str = "Khởi tạo bộ theo dõi kế hoạch\n") -> Path:
    """Create the tracker; refuses a folder that already holds data so nothing is overwritten, and a
    folder inside another git repository unless asked (`inside_repository`): the first commit would
    land in that repository, among someone else's history, without a word. `plan_text` is a plan read
    from its document (`kehoach init DIR --plan FILE`) in place of the shipped one."""
    data_dir = target / "data"
    if (data_dir / PLAN_FILE).exists() or (data_dir / UNITS_FILE).exists():
        raise InputError(f"'{target}' đã có dữ liệu kế hoạch; không ghi đè")
    if target.exists() and not target.is_dir():
        raise InputError(f"'{target}' không phải là thư mục")
    enclosing = gitio.work_tree_root(_nearest_existing(target.resolve()))
    if enclosing is not None and not inside_repository:
        raise InputError(f"'{target}' nằm trong kho git đã có ({enclosing}): lịch sử thay đổi của bộ theo dõi "
                         "sẽ ghi lẫn vào kho đó. Chọn một thư mục ngoài kho git, hoặc nếu đúng là muốn vậy, "
                         f"chạy lại với --force: kehoach init {shlex.quote(str(target))} --force")
    (data_dir / "status").mkdir(parents=True, exist_ok=True)
    (target / "reports").mkdir(exist_ok=True)
    for name in (PLAN_FILE, UNITS_FILE):
        (data_dir / name).write_bytes(default_data_file(name))
    if plan_text is not None:
        (data_dir / PLAN_FILE).write_text(plan_text, encoding="utf-8")
    (data_dir / "status" / ".gitkeep").write_bytes(b"")
    (target / "reports" / ".gitkeep").write_bytes(b"")
    gitignore = target / ".gitignore"
    if not gitignore.exists():
        gitignore.write_text(GITIGNORE, encoding="utf-8")
    root = gitio.work_tree_root(target.resolve())
    if root is None:
        gitio.git(["init", "--quiet", "--initial-branch=main"], cwd=target)
        root = target.resolve()
        gitio.work_tree_root.cache_clear()
    # The merge driver goes into the first commit, so every clone merges status files record by record.
    setup_git(data_dir, commit=False)
    paths = [data_dir / PLAN_FILE, data_dir / UNITS_FILE, data_dir / "status" / ".gitkeep",
             target / "reports" / ".gitkeep", gitignore, root / ATTRIBUTES_FILE, root / IGNORE_FILE]
    paths = list(dict.fromkeys(p.resolve() for p in paths))
    gitio.commit_paths(root, paths, message)
    return data_dir


def _nearest_existing(path: Path) -> Path:
    while not path.exists() and path != path.parent:
        path = path.parent
    return path
