"""`kehoach plan import` and `kehoach init --plan` end to end: the file written, its one commit, the
summary in both formats, and nothing written for a dry run, a taken name or a bad document."""

from __future__ import annotations

import hashlib
import json
import os
import subprocess
import sys
from pathlib import Path

from kehoach.store.tracker import open_tracker
from support.cli import run_cli
from support.git import git
from support.paths import SEED
from support.plan_documents import seed_docx, to_pdf

PLAN = "data/plans/ct13.yaml"


def commits(root: Path) -> int:
    return int(git(root, "rev-list", "--count", "HEAD"))


def test_import_writes_one_plan_file_in_one_commit_naming_the_document(tracker: Path) -> None:
    before = commits(tracker)
    result = run_cli("plan", "import", str(SEED), "--name", "ct13", "--data", str(tracker), "--as-of", "1/3/2026",
                     "--format", "plain")
    assert result.exit_code == 0, result.stderr
    assert "Nhiệm vụ đọc được                    21" in result.stdout
    assert "Cụm từ trách nhiệm tìm được đơn vị   75/75" in result.stdout
    assert "9           dòng 59                 Lãnh đạo UBND tỉnh" in result.stdout
    assert "Đã ghi kế hoạch ct13 vào" in result.stderr
    written = tracker / PLAN
    assert written.read_text(encoding="utf-8").startswith("# Nhập từ văn bản ke-hoach-chi-thi-13-thanh-hoa.txt")
    assert commits(tracker) == before + 1
    assert git(tracker, "show", "--name-only", "--format=", "HEAD").split() == [PLAN]
    sha = hashlib.sha256(SEED.read_bytes()).hexdigest()
    assert git(tracker, "log", "-1", "--format=%(trailers:key=Van-ban-goc,valueonly)").strip() == SEED.name
    assert git(tracker, "log", "-1", "--format=%(trailers:key=Van-ban-goc-SHA256,valueonly)").strip() == sha
    assert git(tracker, "status", "--porcelain") == ""
    # The tracker still opens, and the written plan is the one its reader accepts (test_seed_plan proves the rest).
    assert open_tracker(tracker / "data").plan.id == "ct13-thanh-hoa"


def test_json_summary_and_dry_run_write_nothing(tracker: Path) -> None:
    before = commits(tracker)
    result = run_cli("plan", "import", str(SEED), "--dry-run", "--data", str(tracker), "--as-of", "1/3/2026",
                     "--format", "json")
    assert result.exit_code == 0, result.stderr
    summary = json.loads(result.stdout)
    assert (summary["name"], summary["tasks"], summary["phrases"], summary["phrases_resolved"], summary["dry_run"],
            summary["commit"]) == ("trien-khai-thuc-hien-chi-thi-so-13", 21, 75, 75, True, None)
    assert summary["fuzzy_matches"][0] == {"task": "9", "where": "dòng 59", "text": "Lãnh đạo UBND tỉnh",
                                           "reason": "gần đúng với «Văn phòng UBND tỉnh» (van-phong-ubnd-tinh)"}
    assert summary["time_texts"][0]["task"] == "III.1"
    assert "Chạy thử (--dry-run): không ghi gì." in result.stderr
    assert not (tracker / "data" / "plans").exists()
    assert commits(tracker) == before


def test_an_existing_name_is_refused(tracker: Path) -> None:
    assert run_cli("plan", "import", str(SEED), "--name", "ct13", "--data", str(tracker)).exit_code == 0
    before = commits(tracker)
    text = (tracker / PLAN).read_bytes()
    result = run_cli("plan", "import", str(SEED), "--name", "CT13", "--data", str(tracker))
    assert result.exit_code == 2
    assert "đã có kế hoạch tên «ct13» (" in result.stderr and "chọn tên khác bằng --name" in result.stderr
    assert (tracker / PLAN).read_bytes() == text
    assert commits(tracker) == before


def test_a_name_the_layout_cannot_hold_is_refused(tracker: Path) -> None:
    # status/2026/ is the first plan's year folder: a plan named 2026 would read another plan's records.
    before = commits(tracker)
    result = run_cli("plan", "import", str(SEED), "--name", "2026", "--data", str(tracker))
    assert result.exit_code == 2
    assert ("tên kế hoạch «2026» không dùng được; tên bắt đầu bằng chữ, gồm chữ, số và gạch nối, ví dụ "
            "kh-24-ubnd-2015") in result.stderr
    assert not (tracker / "data" / "plans").exists()
    assert commits(tracker) == before


def test_a_bad_document_exits_2_and_writes_nothing(tracker: Path, tmp_path: Path) -> None:
    bad = tmp_path / "ke-hoach.txt"
    bad.write_text("KÕ ho¹ch\n\tSTT\n\tNhiÖm vô\n\tTr¸ch nhiÖm thùc hiÖn\n", encoding="utf-8")
    before = commits(tracker)
    result = run_cli("plan", "import", str(bad), "--data", str(tracker))
    assert result.exit_code == 2
    assert "ke-hoach.txt: văn bản gõ bằng bảng mã cũ TCVN3" in result.stderr
    assert not (tracker / "data" / "plans").exists()
    assert commits(tracker) == before
    missing = run_cli("plan", "import", str(tmp_path / "khong-co.docx"), "--data", str(tracker))
    assert missing.exit_code == 2 and "không có tệp" in missing.stderr


def test_init_starts_a_tracker_from_the_document(tmp_path: Path) -> None:
    target = tmp_path / "moi"
    result = run_cli("init", str(target), "--plan", str(SEED), "--as-of", "1/3/2026")
    assert result.exit_code == 0, result.stderr
    plan = open_tracker(target / "data").plan
    assert (plan.id, len(plan.tasks)) == ("trien-khai-thuc-hien-chi-thi-so-13", 21)
    assert run_cli("validate", "--data", str(target)).exit_code == 0
    assert git(target, "log", "-1", "--format=%(trailers:key=Van-ban-goc,valueonly)").strip() == SEED.name


def test_init_with_a_bad_document_makes_nothing(tmp_path: Path) -> None:
    bad = tmp_path / "anh.docx"
    bad.write_bytes(b"\x89PNG\r\n\x1a\n" + bytes(range(32)) * 8)
    result = run_cli("init", str(tmp_path / "moi"), "--plan", str(bad))
    assert result.exit_code == 2
    assert "không phải văn bản kế hoạch" in result.stderr
    assert not (tmp_path / "moi").exists()


def test_the_examples_of_plan_import_run_as_printed(tracker: Path) -> None:
    seed_docx(tracker / "ke-hoach-24.docx")
    to_pdf(seed_docx(tracker / "ke-hoach.docx"))
    env = {**os.environ, "PATH": f"{Path(sys.executable).parent}{os.pathsep}{os.environ.get('PATH', '')}"}
    help_text = run_cli("plan", "import", "--help").stdout
    examples = [line.strip() for line in help_text.split("\nVí dụ:\n", 1)[1].splitlines()
                if line.startswith("  kehoach ")]
    assert len(examples) == 3
    for example in examples:
        done = subprocess.run(example, shell=True, cwd=tracker, env=env, capture_output=True, text=True, timeout=300)
        assert done.returncode == 0, (example, done.stderr)
    assert sorted(p.name for p in (tracker / "data" / "plans").iterdir()) == [
        "ct13-2026.yaml", "trien-khai-thuc-hien-chi-thi-so-13.yaml"]
