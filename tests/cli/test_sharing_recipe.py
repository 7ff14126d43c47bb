"""The shared-tracker recipe of docs/sharing.md, run line by line in a shell as a clerk would: two
machines (two home folders), one shared folder, on a git with no `init.defaultBranch` (so `git init`
alone would make `master`), the installed `kehoach` script on PATH."""

from __future__ import annotations

import json
import os
import re
import subprocess
import sys
from pathlib import Path

import pytest

from support.paths import REPO

SHARED_FOLDER = "/mnt/chia-se"


def recipe(name: str, text: str | None = None) -> str:
    """The shell lines under `<!-- recipe: NAME -->` in docs/sharing.md."""
    text = text if text is not None else (REPO / "docs" / "sharing.md").read_text(encoding="utf-8")
    found = re.search(rf"<!-- recipe: {re.escape(name)} -->\n```sh\n(.*?)```", text, re.S)
    assert found, f"docs/sharing.md has no recipe {name}"
    return found.group(1)


class Machine:
    def __init__(self, tmp_path: Path, name: str, shared: Path) -> None:
        self.home = tmp_path / name
        self.home.mkdir()
        self.shared = shared
        global_config = tmp_path / "gitconfig-khong-co-init-defaultBranch"
        global_config.write_text("", encoding="utf-8")
        kept = {k: v for k, v in os.environ.items()
                if not k.startswith(("GIT_", "KEHOACH_")) and k not in ("HOME", "PATH")}
        self.env = {**kept, "HOME": str(self.home), "GIT_CONFIG_GLOBAL": str(global_config),
                    "GIT_CONFIG_NOSYSTEM": "1", "NO_COLOR": "1",
                    "PATH": f"{Path(sys.executable).parent}{os.pathsep}{os.environ.get('PATH', '')}"}

    def run(self, lines: str) -> subprocess.CompletedProcess[str]:
        script = "set -e\n" + lines.replace(SHARED_FOLDER, str(self.shared))
        return subprocess.run(["bash", "-c", script], cwd=self.home, env=self.env, capture_output=True,
                              text=True, timeout=120)


@pytest.fixture
def machines(tmp_path: Path) -> tuple[Machine, Machine]:
    if not (Path(sys.executable).parent / "kehoach").exists():
        pytest.skip("không có tệp chạy kehoach cạnh trình thông dịch (chưa cài bằng pip install -e .)")
    shared = tmp_path / "chia-se"
    shared.mkdir()
    probe = subprocess.run(["git", "config", "--global", "init.defaultBranch"], capture_output=True, text=True,
                           env=Machine(tmp_path, "thu", shared).env)
    assert probe.stdout == ""
    return Machine(tmp_path, "may-1", shared), Machine(tmp_path, "may-2", shared)


def _done(proc: subprocess.CompletedProcess[str]) -> subprocess.CompletedProcess[str]:
    assert proc.returncode == 0, proc.stdout + proc.stderr
    return proc


def _log(machine: Machine) -> list[dict[str, object]]:
    proc = _done(machine.run("cd ~/theo-doi-ct13\nkehoach log --format json\n"))
    return json.loads(proc.stdout)


def test_the_recipe_as_written_shares_one_record_both_ways(machines: tuple[Machine, Machine]) -> None:
    first, second = machines
    started = _done(first.run(recipe("may-1")))
    assert "Đã đẩy 1 lần ghi lên kho chung origin (nhánh main)." in started.stderr
    cloned = _done(second.run(recipe("may-2")))
    assert "warning" not in cloned.stderr
    assert "Nhận về" not in cloned.stderr and "Đã đẩy 1 lần ghi lên kho chung origin (nhánh main)." in cloned.stderr
    received = _done(first.run(recipe("may-1-lan-2")))
    assert ("Nhận về 1 thay đổi bản ghi (1 bản ghi mới, 0 sửa hoặc xóa):\n"
            "  - nhiệm vụ 17, Sở Tư pháp, kỳ 2026-H1: thêm «Hoàn thành» ngày 10/06/2026 — Trần Thị Bình"
            ) in received.stderr
    assert [(c["task"], c["unit"], c["period"], c["new_status"], c["author"]) for c in _log(first)] == [
        ("17", "so-tu-phap", "2026-H1", "hoan-thanh", "Trần Thị Bình")]
    assert first.run("cd ~/theo-doi-ct13\ngit rev-parse HEAD\n").stdout == \
        second.run("cd ~/theo-doi-ct13\ngit rev-parse HEAD\n").stdout


def test_a_shared_folder_made_without_b_main_still_works(machines: tuple[Machine, Machine]) -> None:
    """The old recipe (`git init --bare` names `master` on this git): the first sync points the shared
    folder's HEAD at `main`, so the next clone is not empty."""
    first, second = machines
    old = recipe("may-1").replace("git init --bare -b main", "git init --bare")
    _done(first.run(old))
    assert (first.shared / "theo-doi-ct13.git" / "HEAD").read_text(encoding="utf-8") == "ref: refs/heads/main\n"
    _done(second.run(recipe("may-2")))
    _done(first.run(recipe("may-1-lan-2")))
    assert [c["author"] for c in _log(first)] == ["Trần Thị Bình"]


def test_setup_git_in_an_empty_clone_checks_out_the_shared_branch(machines: tuple[Machine, Machine]) -> None:
    """A shared folder whose HEAD still names `master` (pushed to by an older kehoach): git clone
    warns and checks out nothing; setup-git takes the branch the shared repository has."""
    first, second = machines
    _done(first.run(recipe("may-1")))
    bare = first.shared / "theo-doi-ct13.git"
    (bare / "HEAD").write_text("ref: refs/heads/master\n", encoding="utf-8")
    proc = _done(second.run(recipe("may-2")))
    assert "Bản sao còn trống: đã lấy nhánh main từ kho chung về." in proc.stderr
    _done(first.run(recipe("may-1-lan-2")))
    assert [c["author"] for c in _log(first)] == ["Trần Thị Bình"]


@pytest.mark.parametrize("name", ["may-1", "may-2", "may-1-lan-2"])
def test_readme_gives_the_same_recipe(name: str) -> None:
    """README shows the recipe this file runs, word for word."""
    assert recipe(name, (REPO / "README.md").read_text(encoding="utf-8")) == recipe(name)
