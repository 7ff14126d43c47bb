"""A synthetic province for the benchmark: the real plan and units, seeded random records over N
years, realistic Vietnamese evidence and notes, and a real git history built with `git fast-import`.

    python bench/generate.py /tmp/tinh --years 10            # ~67,000 records, ~5,000 commits
    python bench/generate.py /tmp/tinh --years 1 --plan real # the shipped plan exactly as it is

Records are made only for slots that really exist (slots.build_slots: a unit answers for a period
only if it exists on the period's deadline), so `kehoach validate` passes on the result.

Size. The shipped plan gives each unit only the tasks it carries: about 2,300 slots a year, 23,000
in ten years. The issue's reference size (185 units × 21 tasks × 1–2 periods ≈ 70,000 records in
ten years) assumes every unit carries every task; `--plan wide` (the default) makes it so: every task
gains one responsibility phrase naming every unit, the six-monthly tasks become quarterly and six
annual tasks six-monthly: about 7,200 slots a year, ~70,000 records in ten years (2% of slots are
left unreported, as in life).
"""

from __future__ import annotations

import argparse
import datetime as dt
import random
import shutil
import subprocess
import sys
import time
from pathlib import Path
from typing import Any

REPO = Path(__file__).resolve().parent.parent
WIDE_PHRASE = "Các cơ quan, đơn vị trong tỉnh (mở rộng để đo tải)"
DEFAULT_FIRST_YEAR = 2026
COMMITS_PER_YEAR = 500
WIDE_HALF_YEARLY = 6

FAMILY = ["Nguyễn", "Trần", "Lê", "Phạm", "Hoàng", "Vũ", "Đặng", "Bùi", "Đỗ", "Hồ", "Ngô", "Dương", "Lý"]
MIDDLE = ["Văn", "Thị", "Đức", "Minh", "Thu", "Hữu", "Ngọc", "Thanh", "Quang", "Thùy"]
GIVEN = ["An", "Bình", "Chi", "Dũng", "Giang", "Hà", "Hải", "Hạnh", "Hiếu", "Hoa", "Hùng", "Hương", "Lan",
         "Linh", "Long", "Mai", "Nam", "Nga", "Phong", "Phương", "Quân", "Sơn", "Thảo", "Trang", "Tuấn",
         "Yến"]
DOC_KINDS = [("Báo cáo", "BC"), ("Công văn", "CV"), ("Kế hoạch", "KH"), ("Quyết định", "QĐ")]
NOTES_DONE = [
    "Đã gửi báo cáo qua Hệ thống quản lý văn bản và điều hành.",
    "Đã niêm yết công khai tại Bộ phận Một cửa.",
    "Đã tổ chức hội nghị đối thoại với cá nhân, tổ chức.",
    "Kết quả rà soát: đề xuất cắt giảm 3 thủ tục hành chính.",
    "Đã cập nhật lên Cổng Dịch vụ công quốc gia.",
]
NOTES_DOING = [
    "Đang tổng hợp số liệu từ các phòng chuyên môn.",
    "Chờ ý kiến thẩm định của Sở Tư pháp.",
    "Đang hoàn thiện dự thảo, dự kiến trình trong tháng tới.",
    "Thiếu cán bộ đầu mối, đã đề nghị bổ sung.",
]
NOTES_NA = [
    "Đơn vị không có thủ tục hành chính thuộc phạm vi nhiệm vụ.",
    "Nhiệm vụ không phát sinh trong kỳ.",
    "Đơn vị đã sáp nhập, nhiệm vụ do đơn vị kế thừa thực hiện.",
]


def bench_as_of(last_year: int) -> dt.date:
    """The day the province is looked at: late in its last year, the year-end deadlines still ahead."""
    return dt.date(last_year, 11, 27)


def widen_plan(plan_text: str, unit_ids: list[str], group_ids: list[str], grouped: set[str]) -> str:
    """Every task carried by every unit, and more periods a year (see the module doc)."""
    import yaml

    from kehoach.store.yamlio import dump_text

    plan = yaml.safe_load(plan_text)
    refs = sorted(group_ids) + sorted(u for u in unit_ids if u not in grouped)
    annual_made_half_yearly = 0
    for task in plan["tasks"]:
        task["responsibility"] = task["responsibility"].rstrip() + " " + WIDE_PHRASE + "."
        task["who"].append({"phrase": WIDE_PHRASE, "role": "thuc-hien", "refs": refs})
        if task["cadence"] == "6-thang":
            task["cadence"] = "hang-quy"
            task.pop("due", None)
        elif task["cadence"] == "hang-nam" and annual_made_half_yearly < WIDE_HALF_YEARLY:
            task["cadence"] = "6-thang"
            task.pop("due", None)
            annual_made_half_yearly += 1
    header = "# Kế hoạch mở rộng để đo tải (bench/generate.py --plan wide).\n"
    return header + dump_text(plan)


def person(rng: random.Random) -> str:
    return f"{rng.choice(FAMILY)} {rng.choice(MIDDLE)} {rng.choice(GIVEN)}"


def abbreviation(unit: Any) -> str:
    for short in unit.short:
        if short.isupper() and " " not in short:
            return short
    return "UBND" if unit.level == "xa" else "VP"


def vn_date(day: dt.date) -> str:
    return f"{day.day}/{day.month}/{day.year}"


def make_record(rng: random.Random, item: Any, as_of: dt.date) -> Any:
    """One record for one slot, or None (a slot nobody reported on). Shapes follow real reporting:
    periods more than a year old are almost all closed; the recent ones are still moving."""
    from kehoach.domain.model import Record, Status

    slot = item.slot
    due = slot.deadline
    old = due < as_of - dt.timedelta(days=365)
    # Cumulative odds of: unreported, done, in progress, not started (the rest: not applicable).
    odds = (0.003, 0.975, 0.983, 0.988) if old else (0.02, 0.78, 0.90, 0.97)
    roll = rng.random()
    if roll < odds[0]:
        return None
    by = person(rng)
    if roll < odds[1]:
        done = due - dt.timedelta(days=rng.randint(0, 75)) if rng.random() < 0.85 else \
            due + dt.timedelta(days=rng.randint(1, 45))
        done = min(max(done, slot.window_start), as_of)
        recorded = min(done + dt.timedelta(days=rng.randint(0, 10)), as_of)
        kind, code = rng.choice(DOC_KINDS)
        number = rng.randint(1, 480)
        evidence = f"{kind} số {number}/{code}-{abbreviation(slot.unit)} ngày {vn_date(done)}"
        note = rng.choice(NOTES_DONE) if rng.random() < 0.3 else None
        return Record(slot.task.id, slot.unit.id, slot.period.name, Status.HOAN_THANH, done, evidence, note,
                      recorded, by)
    recorded = min(max(due - dt.timedelta(days=rng.randint(0, 60)), slot.window_start), as_of)
    if roll < odds[2]:
        return Record(slot.task.id, slot.unit.id, slot.period.name, Status.DANG_THUC_HIEN, None, None,
                      rng.choice(NOTES_DOING), recorded, by)
    if roll < odds[3]:
        return Record(slot.task.id, slot.unit.id, slot.period.name, Status.CHUA_THUC_HIEN, None, None, None,
                      recorded, by)
    return Record(slot.task.id, slot.unit.id, slot.period.name, Status.KHONG_AP_DUNG, None, None,
                  rng.choice(NOTES_NA), recorded, by)


def generate(target: Path, years: int, first_year: int = DEFAULT_FIRST_YEAR, seed: int = 13,
             plan_kind: str = "wide", commits: int | None = None,
             commit_graph: bool = True) -> dict[str, Any]:
    """Build the tracker at target (which must not exist); returns what was made."""
    from kehoach.domain.rules import record_order
    from kehoach.domain.slots import Scope, build_slots
    from kehoach.store.status_files import render_status_file
    from kehoach.store.tracker import open_tracker

    started = time.perf_counter()
    if target.exists():
        raise SystemExit(f"'{target}' đã tồn tại; chọn thư mục khác")
    data = target / "data"
    (data / "status").mkdir(parents=True)
    (target / "reports").mkdir()
    (target / "reports" / ".gitkeep").write_bytes(b"")
    (data / "status" / ".gitkeep").write_bytes(b"")
    from kehoach.commands.init import GITIGNORE  # the tracker `kehoach init` makes ignores the same files

    (target / ".gitignore").write_text(GITIGNORE, encoding="utf-8")
    for name in ("units.yaml", "office.yaml"):
        shutil.copy(REPO / "data" / name, data / name)
    plan_text = (REPO / "data" / "plan.yaml").read_text(encoding="utf-8")
    plan_text = plan_text.replace("tracking_start: 2026-01-01", f"tracking_start: {first_year}-01-01")
    if plan_kind == "wide":
        base = open_tracker(REPO / "data")
        grouped = {u.id for u in base.registry.units.values() if u.groups}
        plan_text = widen_plan(plan_text, list(base.registry.units), list(base.registry.groups), grouped)
    (data / "plan.yaml").write_text(plan_text, encoding="utf-8")

    tracker = open_tracker(data)
    last_year = first_year + years - 1
    as_of = bench_as_of(last_year)
    scope = Scope(first=dt.date(first_year, 1, 1), last=dt.date(last_year, 12, 31))
    rng = random.Random(seed)
    by_file: dict[tuple[int, str], list[Any]] = {}
    for item in build_slots(tracker.definitions, scope, {}, as_of):
        record = make_record(rng, item, as_of)
        if record is not None:
            by_file.setdefault((item.slot.period.year, item.slot.unit.id), []).append(record)
    n_records = sum(len(v) for v in by_file.values())

    order = record_order(tracker.definitions.task_positions())

    # History: each file grows in a few batches (one commit each), in date order across the province.
    wanted = commits if commits is not None else COMMITS_PER_YEAR * years
    per_file = max(1, round(wanted / max(1, len(by_file))))
    batches: list[tuple[dt.date, tuple[int, str], list[Any], int]] = []
    for (year, unit_id), records in by_file.items():
        records.sort(key=lambda r: (r.recorded_on, r.task, r.period))
        k = min(per_file, len(records))
        size = -(-len(records) // k)
        for index in range(0, len(records), size):
            chunk_end = min(len(records), index + size)
            batches.append((records[chunk_end - 1].recorded_on, (year, unit_id), records, chunk_end))
    batches.sort(key=lambda b: (b[0], b[1]))
    stream = _fast_import_stream(tracker, target, batches, order, rng)
    _git(target, "init", "--quiet", "--initial-branch=main")
    subprocess.run(["git", "fast-import", "--quiet"], cwd=target, input=stream, check=True)
    _git(target, "reset", "--quiet", "--hard", "main")
    if commit_graph:
        _git(target, "commit-graph", "write", "--reachable", "--changed-paths")
    # The work tree must hold exactly what the last commit holds.
    for (year, unit_id), records in by_file.items():
        path = data / "status" / str(year) / f"{unit_id}.yaml"
        assert path.read_text(encoding="utf-8") == render_status_file(records, order), path
    return {"records": n_records, "files": len(by_file), "commits": len(batches) + 1, "as_of": as_of,
            "first_year": first_year, "last_year": last_year, "seconds": time.perf_counter() - started,
            "data": data}


def _git(cwd: Path, *args: str) -> str:
    return subprocess.run(["git", *args], cwd=cwd, check=True, capture_output=True, text=True).stdout


def _fast_import_stream(tracker: Any, target: Path, batches: list[Any], order: Any,
                        rng: random.Random) -> bytes:
    from kehoach.store.status_files import render_status_file

    out: list[bytes] = []

    def data(payload: bytes) -> None:
        out.append(b"data %d\n" % len(payload))
        out.append(payload)
        out.append(b"\n")

    def commit(when: dt.datetime, author: str, message: str, files: dict[str, bytes]) -> None:
        stamp = int(when.timestamp())
        out.append(b"commit refs/heads/main\n")
        out.append(f"author {author} {stamp} +0700\n".encode())
        out.append(f"committer {author} {stamp} +0700\n".encode())
        data(message.encode())
        for path, payload in files.items():
            out.append(f"M 100644 inline {path}\n".encode())
            data(payload)

    first = min((b[0] for b in batches), default=dt.date(2026, 1, 1))
    start = dt.datetime.combine(first - dt.timedelta(days=30), dt.time(8, 0))
    names = ("data/office.yaml", "data/plan.yaml", "data/units.yaml", "data/status/.gitkeep", "reports/.gitkeep",
             ".gitignore")
    initial = {name: (target / name).read_bytes() for name in names}
    commit(start, "Quản trị <quan-tri@stp.thanhhoa.gov.vn>", "Khởi tạo bộ theo dõi kế hoạch\n", initial)
    for day, (year, unit_id), records, end in batches:
        unit = tracker.registry.units[unit_id]
        when = dt.datetime.combine(day, dt.time(rng.randint(7, 17), rng.randint(0, 59)))
        who = records[end - 1].recorded_by or "kehoach"
        message = (f"Ghi nhận {end} bản ghi của {unit.name}, năm {year}\n\n"
                   f"Kehoach-Unit: {unit_id}\nKehoach-Year: {year}\n")
        text = render_status_file(records[:end], order).encode()
        commit(when, f"{who} <can-bo@thanhhoa.gov.vn>", message, {f"data/status/{year}/{unit_id}.yaml": text})
    return b"".join(out)


def add_plans(target: Path, count: int) -> list[str]:
    """A tracker of `count` plans from a generated one: data/plan.yaml and count - 1 more in data/plans/
    (the same tasks under another id), each plan's status files a copy (hard links) of the first plan's,
    in status/NAME/, committed. The names of the added plans."""
    data = target / "data"
    plan_text = (data / "plan.yaml").read_text(encoding="utf-8")
    (data / "plans").mkdir(exist_ok=True)
    names = [f"ke-hoach-{index:02d}" for index in range(2, count + 1)]
    years = sorted(p.name for p in (data / "status").iterdir() if p.is_dir() and p.name.isdigit())
    for name in names:
        text = plan_text.replace("id: ct13-thanh-hoa", f"id: {name}", 1)
        (data / "plans" / f"{name}.yaml").write_text(text, encoding="utf-8")
        (data / "status" / name).mkdir()
        for year in years:
            subprocess.run(["cp", "-al", str(data / "status" / year), str(data / "status" / name / year)],
                           check=True)
    _git(target, "add", "data")
    _git(target, "commit", "--quiet", "-m", f"{count} kế hoạch")
    return names


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description="Sinh một tỉnh giả lập để đo tốc độ kehoach.")
    parser.add_argument("target", type=Path, help="thư mục mới của bộ theo dõi")
    parser.add_argument("--years", type=int, default=10)
    parser.add_argument("--first-year", type=int, default=DEFAULT_FIRST_YEAR)
    parser.add_argument("--seed", type=int, default=13)
    parser.add_argument("--plan", choices=("wide", "real"), default="wide")
    parser.add_argument("--commits", type=int, default=None, help=f"mặc định {COMMITS_PER_YEAR} × số năm")
    parser.add_argument("--no-commit-graph", action="store_true")
    parser.add_argument("--json", action="store_true", help="in kết quả dạng JSON (cho bench/run)")
    parser.add_argument("--plans", type=int, default=1, help="số kế hoạch trong bộ theo dõi (data/plans/)")
    args = parser.parse_args(argv)
    made = generate(args.target, args.years, args.first_year, args.seed, args.plan, args.commits,
                    not args.no_commit_graph)
    if args.plans > 1:
        made["plans"] = add_plans(args.target, args.plans)
        made["records"] *= args.plans
        made["files"] *= args.plans
    if args.json:
        import json

        print(json.dumps({**made, "as_of": made["as_of"].isoformat(), "data": str(made["data"])}))
        return 0
    print(f"{made['records']} bản ghi, {made['files']} tệp, {made['commits']} commit, "
          f"{made['first_year']}–{made['last_year']}, {made['seconds']:.1f} giây: {made['data']}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
