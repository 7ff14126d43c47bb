"""Saves what a fixed list of commands prints and writes, so a change meant to move code without changing
behaviour can prove it did not: run it before the change, run it after, and compare.

    python tools/snapshot_outputs.py /tmp/before            # on the old code
    python tools/snapshot_outputs.py /tmp/after --compare /tmp/before

Two trackers: the shipped plan after `kehoach init` with a few records, and a one-year `bench/generate.py`
province. Every command runs with a fixed `--as-of`. Workbooks are compared by their cells' values and
styles (their zip bytes carry no clock, but the comparison should not depend on that). Prints every
difference and exits 1 when there is one.
"""

from __future__ import annotations

import argparse
import json
import os
import shutil
import subprocess
import sys
from pathlib import Path

REPO = Path(__file__).resolve().parent.parent
AS_OF = "2026-11-27"

SHIPPED_RECORDS = [
    ["record", "1", "so-tu-phap", "-s", "hoan-thanh", "--done-on", "2026-03-01", "-p", "2026",
     "-e", "Báo cáo số 12/BC-STP", "--by", "Lê Văn An"],
    ["record", "2", "so-noi-vu", "-s", "dang-thuc-hien", "-p", "2026", "--by", "Trần Thị Bình"],
    ["record", "3", "ban-quan-ly-khu-kinh-te-nghi-son-va-cac-khu-cong-nghiep", "-s", "n/a", "--note",
     "Không có thủ tục", "-p", "2026", "--by", "Lê Văn An"],
]

# (file name, arguments); {xlsx} is replaced by a path inside the output folder.
COMMANDS: list[tuple[str, list[str]]] = [
    ("validate.json", ["validate", "--format", "json"]),
    ("check.txt", ["check", "--format", "plain"]),
    ("check.json", ["check", "--format", "json"]),
    ("status.plain", ["status", "--format", "plain"]),
    ("status.csv", ["status", "--format", "csv"]),
    ("status.json", ["status", "--format", "json"]),
    ("status-unit.plain", ["status", "--unit", "so-tu-phap", "--format", "plain"]),
    ("report.plain", ["report", "--format", "plain"]),
    ("report.markdown", ["report", "--format", "markdown"]),
    ("report.csv", ["report", "--format", "csv"]),
    ("report.json", ["report", "--format", "json"]),
    ("report-unit.json", ["report", "--unit", "so-tu-phap", "--format", "json"]),
    ("report-h1.json", ["report", "--period", "2026-H1", "--format", "json"]),
    ("report.xlsx.out", ["report", "-o", "{out}/report.xlsx"]),
    ("form.out", ["form", "so-tu-phap", "--period", "2026", "-o", "{out}/forms"]),
    ("log.plain", ["log", "--format", "plain"]),
    ("log.json", ["log", "--format", "json"]),
    ("tasks.plain", ["tasks", "--format", "plain"]),
    ("units.plain", ["units", "--format", "plain"]),
    ("show.plain", ["show", "1", "--format", "plain"]),
]

NO_AS_OF = {"validate", "log", "tasks", "show"}


def kehoach(args: list[str], cwd: Path, env: dict[str, str]) -> subprocess.CompletedProcess[str]:
    return subprocess.run([sys.executable, "-m", "kehoach", *args], cwd=cwd, env=env, capture_output=True,
                          text=True)


def git_env(home: Path) -> dict[str, str]:
    env = dict(os.environ, HOME=str(home), GIT_CONFIG_NOSYSTEM="1", COLUMNS="200", NO_COLOR="1",
               GIT_AUTHOR_DATE="2026-11-20T08:00:00+07:00", GIT_COMMITTER_DATE="2026-11-20T08:00:00+07:00")
    env.pop("KEHOACH_DATA", None)
    return env


def make_trackers(work: Path, env: dict[str, str]) -> dict[str, Path]:
    shipped = work / "shipped"
    subprocess.run([sys.executable, "-m", "kehoach", "init", str(shipped)], env=env, check=True,
                   capture_output=True)
    for args in SHIPPED_RECORDS:
        done = kehoach(args, shipped, env)
        if done.returncode != 0:
            raise SystemExit(f"{args}: {done.stderr}")
    province = work / "province"
    subprocess.run([sys.executable, str(REPO / "bench" / "generate.py"), str(province), "--years", "1",
                    "--commits", "40"], env=env, check=True, capture_output=True)
    return {"shipped": shipped, "province": province}


def workbook_fingerprint(path: Path) -> list[object]:
    import openpyxl

    book = openpyxl.load_workbook(path)
    sheets: list[object] = []
    for sheet in book.worksheets:
        cells = [[c.coordinate, c.value if not hasattr(c.value, "isoformat") else c.value.isoformat(),
                  c.font.b, c.font.i, c.font.sz, c.number_format, c.alignment.horizontal, c.alignment.wrap_text,
                  c.fill.fgColor.rgb if c.fill and c.fill.fill_type else None]
                 for row in sheet.iter_rows() for c in row if c.value is not None or c.has_style]
        sheets.append([sheet.title, sheet.sheet_state, sorted(str(r) for r in sheet.merged_cells.ranges),
                       str(sheet.print_title_rows), cells])
    return sheets


def snapshot(out: Path) -> None:
    if out.exists():
        shutil.rmtree(out)
    out.mkdir(parents=True)
    work = out / "_work"
    work.mkdir()
    env = git_env(work)
    for name, tracker in make_trackers(work, env).items():
        target = out / name
        target.mkdir()
        for file_name, args in COMMANDS:
            files = target / "files"
            args = [a.replace("{out}", str(files)) for a in args]
            if args[0] not in NO_AS_OF:
                args = [*args, "--as-of", AS_OF]
            done = kehoach(args, tracker, env)
            text = done.stdout.replace(str(files), "OUT").replace(str(tracker), "TRACKER")
            stderr = done.stderr.replace(str(files), "OUT").replace(str(tracker), "TRACKER")
            (target / file_name).write_text(f"exit {done.returncode}\n{text}\n--- stderr\n{stderr}",
                                            encoding="utf-8")
        for book in sorted((target / "files").rglob("*.xlsx")):
            fingerprint = workbook_fingerprint(book)
            relative = book.relative_to(target / "files")
            (target / (str(relative).replace("/", "__") + ".cells.json")).write_text(
                json.dumps(fingerprint, ensure_ascii=False, indent=0, default=str), encoding="utf-8")
        shutil.rmtree(target / "files", ignore_errors=True)
    shutil.rmtree(work)


def compare(after: Path, before: Path) -> int:
    names = sorted({p.relative_to(before) for p in before.rglob("*") if p.is_file()}
                   | {p.relative_to(after) for p in after.rglob("*") if p.is_file()})
    differing = [n for n in names if not (before / n).exists() or not (after / n).exists()
                 or (before / n).read_bytes() != (after / n).read_bytes()]
    for name in differing:
        print(f"khác: {name}")
    print(f"{len(names) - len(differing)}/{len(names)} tệp giống hệt")
    return 1 if differing else 0


def main() -> int:
    parser = argparse.ArgumentParser(description="Lưu kết quả của một danh sách lệnh cố định để so sánh.")
    parser.add_argument("out", type=Path)
    parser.add_argument("--compare", type=Path, help="thư mục kết quả đã lưu trước đó")
    args = parser.parse_args()
    snapshot(args.out)
    return compare(args.out, args.compare) if args.compare else 0


if __name__ == "__main__":
    sys.exit(main())
