"""Every `kehoach` command README.md shows runs as printed, in a shell, on a clerk's machine.

The machine: a HOME holding the trackers README names (~/theo-doi-ct13 made by the README's own
`kehoach init` line, ~/thanh-hoa and ~/nghe-an, ~/cac-tinh holding both) and the returned forms of
`nhan-ve/`. The blocks that set up git sharing (they contain `git` or `cd` lines) are run by
tests/cli/test_sharing_recipe.py, as one recipe on two machines."""

from __future__ import annotations

import os
import re
import subprocess
import sys
from pathlib import Path

import pytest

from support.paths import REPO

README = (REPO / "README.md").read_text(encoding="utf-8")
# check finds overdue work in the shipped data and says so with exit 1, as README documents.
MAY_FIND_PROBLEMS = ("kehoach check", "kehoach validate")


def readme_commands() -> list[str]:
    """The `kehoach` lines of README's sh blocks, continuation lines joined, comments dropped."""
    commands = []
    for block in re.findall(r"```sh\n(.*?)```", README, re.DOTALL):
        lines = block.replace("\\\n", " ").splitlines()
        if any(re.match(r"\s*(git|cd)\s", line) for line in lines):
            continue
        for line in lines:
            command = re.sub(r"\s+#.*$", "", line).strip()
            if command.startswith("kehoach "):
                commands.append(" ".join(command.split()))
    return commands


COMMANDS = readme_commands()


def test_readme_has_the_commands_of_a_day():
    assert len(COMMANDS) >= 30
    for needed in ("kehoach init ~/theo-doi-ct13", "kehoach form --all -o ~/gui-don-vi",
                   "kehoach report --each-unit -o reports/"):
        assert needed in COMMANDS


@pytest.fixture(scope="module")
def clerk_home(tmp_path_factory: pytest.TempPathFactory) -> dict[str, str]:
    home = tmp_path_factory.mktemp("home")
    bin_dir = Path(sys.executable).parent
    env = {"HOME": str(home), "PATH": f"{bin_dir}{os.pathsep}/usr/bin:/bin", "LANG": "C.UTF-8",
           "GIT_CONFIG_GLOBAL": str(home / ".gitconfig"), "GIT_CONFIG_NOSYSTEM": "1"}
    (home / ".gitconfig").write_text("[user]\n\tname = Cán bộ Thử\n\temail = thu@stp.example\n",
                                     encoding="utf-8")
    for name in ("thanh-hoa", "nghe-an"):
        subprocess.run(["kehoach", "init", str(home / "cac-tinh" / name)], env=env, check=True,
                       capture_output=True)
        os.symlink(home / "cac-tinh" / name, home / name)
    tracker = home / "tracker"
    subprocess.run(["kehoach", "init", str(tracker)], env=env, check=True, capture_output=True)
    subprocess.run(["kehoach", "form", "--all", "-o", str(tracker / "nhan-ve")], env=env, check=True,
                   capture_output=True, cwd=tracker)
    return {**env, "KEHOACH_TRACKER": str(tracker)}


def test_readme_commands_run_as_printed_in_order(clerk_home: dict[str, str]):
    """One clerk's session: README's lines in README's order (a correction follows the record it
    corrects, `kehoach commit` the `--no-commit` before it)."""
    tracker = clerk_home["KEHOACH_TRACKER"]
    for command in COMMANDS:
        result = subprocess.run(command, shell=True, env=clerk_home, cwd=tracker, capture_output=True,
                                text=True, timeout=300)
        allowed = {0, 1} if command.startswith(MAY_FIND_PROBLEMS) else {0}
        assert result.returncode in allowed, f"{command}\n{result.stdout[-2000:]}\n{result.stderr[-2000:]}"
        assert "Lỗi nội bộ" not in result.stderr and "Traceback" not in result.stderr, command
