"""`kehoach remind`: one urging letter a unit with overdue work, naming exactly its overdue tasks, none
for a unit with nothing overdue, --merge, --within, and the record in git that the next report counts."""

from __future__ import annotations

import json
import subprocess
from collections import defaultdict
from pathlib import Path

from support.cli import run_cli
from support.word import (
    body_text,
    body_texts,
    cell_lines,
    cell_texts,
    needs_soffice,
    open_docx,
    pdf_of,
    pdf_page_text,
)

AS_OF = "2026-07-20"


def remind(tracker: Path, *args: str, as_of: str = AS_OF):  # type: ignore[no-untyped-def]
    return run_cli("remind", "--as-of", as_of, "--data", str(tracker), *args)


def overdue_by_unit(tracker: Path, *args: str, as_of: str = AS_OF) -> dict[str, list[tuple[str, str]]]:
    """What `check --format json` says is overdue, unit by unit: (task, period)."""
    result = run_cli("check", "--as-of", as_of, "--format", "json", "--data", str(tracker), *args)
    found: dict[str, list[tuple[str, str]]] = defaultdict(list)
    for row in json.loads(result.stdout):
        if row["kind"] == "qua-han":
            found[row["unit"]].append((row["task"], row["period"]))
    return found


def letter_tasks(path: Path) -> list[tuple[str, str]]:
    table = open_docx(path).tables[1]
    return [(row[1].split(". ", 1)[0], row[2]) for row in cell_texts(table)[1:]]


PERIOD_WORDS = {"2026-H1": "6 tháng đầu năm 2026", "2026": "năm 2026", "2026-Q2": "quý II năm 2026"}


def git_log(tracker: Path) -> str:
    return subprocess.run(["git", "log", "--format=%B"], cwd=tracker, check=True, capture_output=True,
                          text=True).stdout


def test_each_overdue_unit_gets_one_letter_naming_exactly_its_overdue_tasks(recorded: Path, tmp_path: Path) -> None:
    expected = overdue_by_unit(recorded, "--group", "cac-so")
    assert len(expected) >= 5
    out = tmp_path / "cong-van"
    result = remind(recorded, "--group", "cac-so", "-o", str(out))
    assert result.exit_code == 0, result.stderr
    letters = sorted(out.glob("*.docx"))
    assert [p.name for p in letters] == sorted(f"cong-van-don-doc_{unit}_{AS_OF}.docx" for unit in expected)
    for unit, tasks in expected.items():
        found = letter_tasks(out / f"cong-van-don-doc_{unit}_{AS_OF}.docx")
        assert sorted(found) == sorted((task, PERIOD_WORDS[period]) for task, period in tasks)
    assert "Sở Tư pháp" in result.stdout and f"{len(expected)} đơn vị" in result.stdout


def test_the_letter_is_a_cong_van_of_nd30(recorded: Path, tmp_path: Path) -> None:
    out = tmp_path / "cv"
    assert remind(recorded, "--unit", "STP", "-o", str(out), "--reply-by", "31/7/2026").exit_code == 0
    document = open_docx(out / f"cong-van-don-doc_so-tu-phap_{AS_OF}.docx")
    number, place = document.tables[0].rows[1].cells
    lines = cell_lines(number)
    assert lines[0] == "Số:      /STP-VP"
    assert lines[1].startswith("V/v đôn đốc thực hiện Kế hoạch của Chủ tịch UBND tỉnh Thanh Hóa")
    assert place.text == "Thanh Hóa, ngày 20 tháng 7 năm 2026"
    texts = body_texts(document)
    assert "Kính gửi: Giám đốc Sở Tư pháp." in texts
    assert any("báo cáo kết quả về Sở Tư pháp trước ngày 31/07/2026" in t for t in texts)
    recipients = cell_lines(document.tables[-1].rows[0].cells[0])
    assert recipients == ["Nơi nhận:", "- Như trên;", "- Giám đốc Sở (để báo cáo);", "- Lưu: VT, VP."]
    heading = cell_texts(document.tables[1])[0]
    assert heading == ["STT", "Nhiệm vụ", "Kỳ báo cáo", "Hạn báo cáo", "Tình trạng", "Số ngày quá hạn"]


def test_a_commune_is_addressed_to_its_chairman(recorded: Path, tmp_path: Path) -> None:
    out = tmp_path / "cv"
    assert remind(recorded, "--unit", "ubnd-phuong-bim-son", "-o", str(out)).exit_code == 0
    (letter,) = out.glob("*.docx")
    assert "Kính gửi: Chủ tịch UBND phường Bỉm Sơn." in body_texts(open_docx(letter))


def test_a_unit_with_nothing_overdue_gets_no_letter(recorded: Path, tmp_path: Path) -> None:
    overdue = overdue_by_unit(recorded, "--unit", "STP")["so-tu-phap"]
    for task, period in overdue:
        result = run_cli("record", task, "STP", "--period", period, "--status", "done", "--done-on", "15/7/2026",
                         "--as-of", AS_OF, "--data", str(recorded))
        assert result.exit_code == 0, result.stderr
    out = tmp_path / "cv"
    result = remind(recorded, "--group", "cac-so", "-o", str(out))
    assert result.exit_code == 0, result.stderr
    names = [p.name for p in out.glob("*.docx")]
    assert names and not any("so-tu-phap" in n for n in names)
    alone = remind(recorded, "--unit", "STP", "-o", str(tmp_path / "alone"))
    assert alone.exit_code == 0 and "Không có đơn vị nào có việc quá hạn" in alone.stdout
    assert not (tmp_path / "alone").exists()


def test_within_adds_the_work_due_soon(recorded: Path, tmp_path: Path) -> None:
    # On 10/6/2026 nothing of 2026-H1 is late yet; its deadline, 14/6/2026, is four days away.
    out = tmp_path / "cv"
    nothing = remind(recorded, "--unit", "Sở Nội vụ", "-o", str(out), as_of="2026-06-10")
    assert nothing.exit_code == 0 and not out.exists()
    soon = remind(recorded, "--unit", "Sở Nội vụ", "--within", "7", "-o", str(out), as_of="2026-06-10")
    assert soon.exit_code == 0, soon.stderr
    (letter,) = out.glob("*.docx")
    rows = cell_texts(open_docx(letter).tables[1])[1:]
    assert rows and {row[5] for row in rows} == {"Sắp đến hạn"}
    assert "nhiệm vụ sắp đến hạn" in body_text(open_docx(letter))


def test_merge_puts_every_letter_in_one_file_each_on_its_own_pages(recorded: Path, tmp_path: Path) -> None:
    expected = overdue_by_unit(recorded, "--group", "cac-so")
    out = tmp_path / "tat-ca.docx"
    result = remind(recorded, "--group", "cac-so", "--merge", "-o", str(out))
    assert result.exit_code == 0, result.stderr
    assert [p.name for p in tmp_path.glob("*.docx")] == ["tat-ca.docx"]
    document = open_docx(out)
    assert len(document.sections) == len(expected)
    greetings = [t for t in body_texts(document) if t.startswith("Kính gửi:")]
    assert len(greetings) == len(expected)
    for section in document.sections[1:]:
        assert section.different_first_page_header_footer
        assert section._sectPr.xpath("./w:pgNumType/@w:start") == ["1"]


def test_o_a_file_needs_merge(recorded: Path, tmp_path: Path) -> None:
    result = remind(recorded, "-o", str(tmp_path / "x.docx"))
    assert result.exit_code == 2 and "--merge" in result.stderr
    assert not (tmp_path / "x.docx").exists()
    assert not (recorded / "data" / "don-doc").exists()


def test_urging_is_recorded_in_git_and_counted_by_the_next_report(recorded: Path, tmp_path: Path) -> None:
    assert remind(recorded, "--unit", "STP", "-o", str(tmp_path / "a")).exit_code == 0
    record = recorded / "data" / "don-doc" / "2026.yaml"
    assert record.read_text(encoding="utf-8").splitlines()[1:] == ["so-tu-phap:", f"- {AS_OF}"]
    log = git_log(recorded)
    assert "Đôn đốc 1 đơn vị ngày 20/07/2026" in log and f"Kehoach-Urged: so-tu-phap {AS_OF}" in log
    assert subprocess.run(["git", "status", "--porcelain"], cwd=recorded, capture_output=True, text=True,
                          check=True).stdout == ""
    # The same day again: nothing new to record.
    commits = log.count("Kehoach-Urged")
    assert remind(recorded, "--unit", "STP", "-o", str(tmp_path / "b")).exit_code == 0
    assert git_log(recorded).count("Kehoach-Urged") == commits
    # A second letter a week later says the first was sent; the report then counts both.
    later = remind(recorded, "--unit", "STP", "-o", str(tmp_path / "c"), as_of="2026-07-27")
    assert later.exit_code == 0, later.stderr
    (letter,) = (tmp_path / "c").glob("*.docx")
    assert "Sở Tư pháp đã có 1 văn bản đôn đốc trước đây về các nội dung này." in body_texts(open_docx(letter))
    report = tmp_path / "bao-cao.docx"
    made = run_cli("report", "--period", "2026-H1", "--as-of", "2026-07-30", "--data", str(recorded), "-o",
                   str(report))
    assert made.exit_code == 0, made.stderr
    document = open_docx(report)
    stp = next(t for t in body_texts(document) if t.startswith("- Sở Tư pháp:"))
    assert stp.endswith("; đã đôn đốc 2 lần;") or stp.endswith("; đã đôn đốc 2 lần.")
    appendix = cell_texts(document.tables[-1])
    assert next(row for row in appendix if row[1] == "Sở Tư pháp")[-1] == "2 lần"
    assert run_cli("validate", "--data", str(recorded)).exit_code == 0


def test_a_hand_broken_urging_file_is_located(recorded: Path) -> None:
    folder = recorded / "data" / "don-doc"
    folder.mkdir()
    (folder / "2026.yaml").write_text("so-tu-phap:\n- 20/7/2026\n", encoding="utf-8")
    result = run_cli("validate", "--data", str(recorded), "--format", "json")
    problems = json.loads(result.stdout)
    assert [(p["path"].rsplit("data/", 1)[1], p["line"], p["field"]) for p in problems] == [
        ("don-doc/2026.yaml", 1, "so-tu-phap")]
    assert "YYYY-MM-DD" in problems[0]["message"]


@needs_soffice
def test_merged_letters_print_each_numbered_from_its_own_second_page(recorded: Path, tmp_path: Path) -> None:
    out = tmp_path / "tat-ca.docx"
    assert remind(recorded, "--group", "cac-so", "--merge", "-o", str(out)).exit_code == 0
    pdf = pdf_of(out, tmp_path)
    pages = int(next(line.split()[1] for line in subprocess.run(
        ["pdfinfo", str(pdf)], capture_output=True, text=True, check=True).stdout.splitlines()
        if line.startswith("Pages:")))
    tops = [pdf_page_text(pdf, page).split()[0] for page in range(1, pages + 1)]
    letters = len(overdue_by_unit(recorded, "--group", "cac-so"))
    assert tops.count("UBND") == letters  # each letter opens with the letterhead, no number above it
    numbered = [top for top in tops if top != "UBND"]
    assert numbered and set(numbered) <= {"2", "3"}  # a letter's later pages count from its own first
