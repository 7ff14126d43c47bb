"""A shared remote and clerks' clones for the sync tests: a real bare repository and real `git clone`s,
each clone with its own git identity and the merge driver installed by `kehoach setup-git`."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

from support.cli import Result, run_cli
from support.git import git

AS_OF = "2026-11-27"


class Office:
    """One shared tracker (bare remote) and the clerks working on it."""

    def __init__(self, tmp_path: Path, clerks: list[str], seed: Path) -> None:
        """seed: a tracker as `kehoach init` made it (the office_template fixture), cloned as the remote."""
        self.remote = tmp_path / "kho-chung.git"
        git(tmp_path, "clone", "--quiet", "--bare", str(seed), str(self.remote))
        self.clones: dict[str, Path] = {}
        for name in clerks:
            self.clones[name] = self.clone(tmp_path / f"may-{len(self.clones) + 1}", name)

    def clone(self, folder: Path, clerk: str) -> Path:
        git(folder.parent, "clone", "--quiet", str(self.remote), str(folder))
        git(folder, "config", "user.name", clerk)
        git(folder, "config", "user.email", f"{len(self.clones) + 1}@tuphap.thanhhoa.gov.vn")
        result = run_cli("setup-git", "--data", str(folder))
        assert result.exit_code == 0, result.stderr
        return folder

    def record(self, clerk: str, task: str, unit: str, period: str, *extra: str) -> Result:
        status = () if "--status" in extra else ("--status", "dang-thuc-hien")
        result = run_cli("record", task, unit, "--period", period, "--as-of", AS_OF,
                         "--data", str(self.clones[clerk]), *status, *extra)
        assert result.exit_code == 0, result.stderr
        return result

    def sync(self, clerk: str) -> Result:
        return run_cli("sync", "--data", str(self.clones[clerk]))

    def log(self, clerk: str) -> list[dict[str, Any]]:
        result = run_cli("log", "--format", "json", "--data", str(self.clones[clerk]))
        assert result.exit_code == 0, result.stderr
        return json.loads(result.stdout)

    def records(self, clerk: str) -> list[dict[str, Any]]:
        """Every recorded slot of 2026 in this clone (task, unit, period, status, evidence, by)."""
        result = run_cli("status", "--period", "2026", "--as-of", AS_OF, "--format", "json",
                         "--data", str(self.clones[clerk]))
        assert result.exit_code == 0, result.stderr
        return [{k: r[k] for k in ("task", "unit", "period", "status", "evidence", "recorded_by")}
                for r in json.loads(result.stdout) if r["recorded"]]

    def data_files(self, clerk: str) -> dict[str, bytes]:
        """The shared data of a clone, byte for byte: the writers' lock and the derived record cache
        are each machine's own, not data."""
        root = self.clones[clerk] / "data"
        return {str(p.relative_to(root)): p.read_bytes() for p in sorted(root.rglob("*"))
                if p.is_file() and p.name != ".lock" and ".kehoach-cache" not in p.relative_to(root).parts}

    def head(self, clerk: str) -> str:
        return git(self.clones[clerk], "rev-parse", "HEAD").strip()
