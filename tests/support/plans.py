"""A second plan in a tracker, made from the shipped data/plan.yaml: another id, number, date and title,
and only its first tasks (the tests of several plans need two plans that differ)."""

from __future__ import annotations

import re
from pathlib import Path

from support.git import git
from support.paths import SHIPPED_DATA

CONTENT_MARK = "(Kế hoạch thi hành pháp luật) "
SECOND_TITLE = "KẾ HOẠCH THEO DÕI THI HÀNH PHÁP LUẬT NĂM 2026 CỦA TỈNH THANH HÓA"


def second_plan_text(shipped: str, plan_id: str, number: str, tasks: int, title: str = SECOND_TITLE) -> str:
    """The shipped plan's text with another id, title, number and date, keeping its first `tasks` tasks."""
    text = re.sub(r"^id: .*$", f"id: {plan_id}", shipped, count=1, flags=re.M)
    text = re.sub(r"^title: .*$", f"title: {title}", text, count=1, flags=re.M)
    text = re.sub(r"^number: .*$", f"number: {number}", text, count=1, flags=re.M)
    text = re.sub(r"^issued_on: .*$", "issued_on: 2025-12-15", text, count=1, flags=re.M)
    text = re.sub(r"^subject: .*$", "subject: theo dõi thi hành pháp luật năm 2026", text, count=1, flags=re.M)
    head, body = text.split("\ntasks:\n", 1)
    starts = [m.start() for m in re.finditer(r"^- id: ", body, flags=re.M)]
    kept = body[: starts[tasks]] if tasks < len(starts) else body
    # Its own task texts, so a report mixing up task 1 of one plan with task 1 of the other shows it.
    kept = kept.replace("\n  content: ", f"\n  content: {CONTENT_MARK}")
    return f"{head}\ntasks:\n{kept}"


def add_plan(root: Path, name: str = "thi-hanh-phap-luat", plan_id: str = "thpl-2026",
             number: str = "24/KH-UBND", tasks: int = 3, commit: bool = True) -> Path:
    """data/plans/NAME.yaml beside the tracker's data/plan.yaml, committed (a tracker as a clerk keeps it)."""
    data = root / "data"
    path = data / "plans" / f"{name}.yaml"
    path.parent.mkdir(exist_ok=True)
    path.write_text(second_plan_text((SHIPPED_DATA / "plan.yaml").read_text(encoding="utf-8"), plan_id, number, tasks),
                    encoding="utf-8")
    if commit:
        git(root, "add", "data")
        git(root, "commit", "-q", "-m", f"Thêm kế hoạch {name}")
    return path


def plans_only(root: Path, first: str = "chi-thi-13") -> None:
    """A tracker holding only data/plans/: data/plan.yaml moved to data/plans/FIRST.yaml (its status files
    moved to status/FIRST/ with it), committed."""
    data = root / "data"
    (data / "plans").mkdir(exist_ok=True)
    git(root, "mv", "data/plan.yaml", f"data/plans/{first}.yaml")
    status = data / "status"
    years = [p for p in status.iterdir() if p.is_dir() and re.fullmatch(r"\d{4}", p.name)]
    if years:
        (status / first).mkdir()
        for year in years:
            git(root, "mv", f"data/status/{year.name}", f"data/status/{first}/{year.name}")
    git(root, "commit", "-q", "-m", "Chỉ giữ các kế hoạch trong data/plans")
