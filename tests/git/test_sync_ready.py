"""`git.sync.check_ready`: kehoach's own files never count as uncommitted data, even where no
.gitignore line hides them from git (a tracker whose .gitignore was lost)."""

from __future__ import annotations

from pathlib import Path

import pytest

from kehoach.errors import KehoachError
from kehoach.git.sync import check_ready
from support.files import write
from support.git import git


def test_own_files_are_not_data_but_a_status_file_is(tracker: Path) -> None:
    git(tracker, "rm", "--quiet", ".gitignore")
    git(tracker, "commit", "--quiet", "-m", "mất .gitignore")
    data = tracker / "data"
    write(data / ".kehoach-cache" / "records" / "2026.marshal", "x")
    write(data / "status" / ".lock", "")
    write(data / "status" / "2026" / ".so-tu-phap.yaml.a1b2.tmp", "records:\n")
    assert ".kehoach-cache" in git(tracker, "status", "--porcelain", "--untracked-files=all")
    check_ready(tracker, data)
    write(data / "status" / "2026" / "so-tu-phap.yaml", "records: []\n")
    with pytest.raises(KehoachError) as refused:
        check_ready(tracker, data)
    assert str(refused.value).splitlines()[:2] == [
        "có thay đổi trong dữ liệu chưa được ghi vào lịch sử, chưa đồng bộ được:",
        "  ?? data/status/2026/so-tu-phap.yaml"]
