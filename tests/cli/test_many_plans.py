"""Several plans in one tracker: data/plan.yaml beside data/plans/NAME.yaml, or data/plans/ alone.
Each plan keeps its records in its own status folder; reading commands cover every plan, writing
commands work on the one --plan names."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from support.cli import run_cli
from support.files import file_snapshot
from support.git import git
from support.plans import add_plan, plans_only

LEGACY_FILE = Path("data/status/2026/so-tu-phap.yaml")
SECOND_FILE = Path("data/status/thi-hanh-phap-luat/2026/so-tu-phap.yaml")


@pytest.fixture
def two_plans(tracker: Path) -> Path:
    """The shipped plan (data/plan.yaml, id ct13-thanh-hoa) and data/plans/thi-hanh-phap-luat.yaml
    (id thpl-2026, 24/KH-UBND, its first three tasks)."""
    add_plan(tracker)
    return tracker


def cli(root: Path, *args: str):
    return run_cli(*args, "--data", str(root))


def record_both(root: Path) -> None:
    for plan in ("ct13-thanh-hoa", "thi-hanh-phap-luat"):
        done = cli(root, "record", "1", "so-tu-phap", "-s", "hoan-thanh", "--done-on", "2026-03-02",
                   "--as-of", "2026-03-03", "--plan", plan)
        assert done.exit_code == 0, done.stderr


def test_the_start_of_a_plans_name_is_suggested_and_so_is_a_plan_command(two_plans: Path):
    short = cli(two_plans, "record", "2", "so-tu-phap", "-s", "dang-thuc-hien", "--plan", "ct13")
    assert short.exit_code == 2 and "Có phải: ct13-thanh-hoa?" in short.stderr
    typo = run_cli("plan", "lsit")
    assert typo.exit_code == 2
    assert typo.stderr.splitlines()[0] == "Lỗi: không có lệnh 'lsit'. Có phải: kehoach plan list?"


def test_a_writing_command_asks_for_a_plan_with_a_command_that_runs(two_plans: Path):
    before = file_snapshot(two_plans)
    args = ("record", "1", "so-tu-phap", "-s", "hoan-thanh", "--done-on", "2026-03-02", "--as-of", "2026-03-03",
            "--data", str(two_plans))
    asked = run_cli(*args)
    assert asked.exit_code == 2
    lines = asked.stderr.splitlines()
    assert lines[0] == "Lỗi: bộ theo dõi có 2 kế hoạch; hãy chọn một bằng --plan TÊN. Các kế hoạch:"
    assert lines[1].startswith("  ct13-thanh-hoa: Kế hoạch của Chủ tịch UBND tỉnh Thanh Hóa về triển khai")
    assert lines[2] == ("  thi-hanh-phap-luat: Kế hoạch số 24/KH-UBND ngày 15/12/2025 của Chủ tịch UBND tỉnh "
                        "Thanh Hóa về theo dõi thi hành pháp luật năm 2026")
    example = lines[3].removeprefix("Ví dụ: kehoach ").split()
    assert example == [*args[:-1], str(two_plans), "--plan", "ct13-thanh-hoa"]
    assert file_snapshot(two_plans) == before
    assert run_cli(*example).exit_code == 0  # the example runs as printed


@pytest.mark.parametrize("named", ["thi-hanh-phap-luat", "thpl-2026", "24/KH-UBND", "24/kh-ubnd",
                                   "thi hanh phap luat", "thi hành pháp luật"])
def test_a_plan_is_named_by_file_id_number_or_title_words(two_plans: Path, named: str):
    done = cli(two_plans, "record", "2", "so-tu-phap", "-s", "dang-thuc-hien", "--as-of", "2026-03-03",
               "--plan", named)
    assert done.exit_code == 0, done.stderr
    assert git(two_plans, "show", "--name-only", "--format=", "HEAD").split() == [SECOND_FILE.as_posix()]


def test_a_mistyped_plan_gets_a_suggestion(two_plans: Path):
    wrong = cli(two_plans, "record", "2", "so-tu-phap", "-s", "dang-thuc-hien", "--plan", "thi-hanh-phap-luatt")
    assert wrong.exit_code == 2
    assert wrong.stderr == ("Lỗi: không có kế hoạch «thi-hanh-phap-luatt». Có phải: thi-hanh-phap-luat? Các kế "
                            "hoạch của bộ theo dõi: ct13-thanh-hoa, thi-hanh-phap-luat (xem bằng: kehoach plan "
                            "list)\n")


def test_a_record_for_one_plan_never_touches_a_file_of_the_other(two_plans: Path):
    record_both(two_plans)
    first = (two_plans / LEGACY_FILE).read_bytes()
    before = file_snapshot(two_plans)
    done = cli(two_plans, "record", "2", "so-tu-phap", "-s", "dang-thuc-hien", "--as-of", "2026-03-04",
               "--plan", "thi-hanh-phap-luat")
    assert done.exit_code == 0, done.stderr
    assert git(two_plans, "show", "--stat", "--format=", "HEAD").splitlines()[0].split("|")[0].strip() == \
        SECOND_FILE.as_posix()
    after = file_snapshot(two_plans)
    changed = {path for path in set(before) | set(after) if before.get(path) != after.get(path)}
    assert {Path(p).as_posix() for p in changed if ".kehoach-cache" not in str(p)} == {SECOND_FILE.as_posix()}
    assert (two_plans / LEGACY_FILE).read_bytes() == first


def test_check_and_status_cover_every_plan_with_the_plan_in_each_row(two_plans: Path):
    record_both(two_plans)
    status = cli(two_plans, "status", "--unit", "so-tu-phap", "--task", "1", "--as-of", "2026-03-05",
                 "--format", "json")
    assert status.exit_code == 0, status.stderr
    rows = json.loads(status.stdout)
    assert [(r["source"], r["task"], r["status"]) for r in rows] == [
        ("ct13-thanh-hoa", "1", "hoan-thanh"), ("thi-hanh-phap-luat", "1", "hoan-thanh")]
    one = cli(two_plans, "status", "--unit", "so-tu-phap", "--task", "1", "--as-of", "2026-03-05", "--format",
              "json", "--plan", "24/KH-UBND")
    assert [(r.get("source"), r["task"]) for r in json.loads(one.stdout)] == [(None, "1")]
    late = json.loads(cli(two_plans, "check", "--unit", "so-tu-phap", "--as-of", "2027-01-20", "--format",
                          "json").stdout)
    assert {(r["source"], r["task"]) for r in late if r["source"] == "thi-hanh-phap-luat"} == {
        ("thi-hanh-phap-luat", "2"), ("thi-hanh-phap-luat", "3")}
    assert len({r["task"] for r in late if r["source"] == "ct13-thanh-hoa"}) > 3
    table = cli(two_plans, "check", "--unit", "so-tu-phap", "--as-of", "2027-01-20", "--format", "plain")
    assert table.exit_code == 1
    lines = table.stdout.splitlines()
    start = lines.index(f"Quá hạn: {len(late)} lượt báo cáo của 1 đơn vị")  # one unit, though late in two plans
    header, _rule, *rows = table.stdout[table.stdout.index(lines[start + 2]):].split("\n\n")[0].splitlines()
    assert header.split()[:2] == ["Kế", "hoạch"]
    assert {row.split()[0] for row in rows} == {"ct13-thanh-hoa", "thi-hanh-phap-luat"}


def test_the_old_one_plan_tracker_is_unchanged(tracker: Path):
    """No plans/: plan.yaml is the plan, no --plan needed, no source column, records in status/YEAR/."""
    done = cli(tracker, "record", "1", "so-tu-phap", "-s", "hoan-thanh", "--done-on", "2026-03-02",
               "--as-of", "2026-03-03")
    assert done.exit_code == 0, done.stderr
    assert (tracker / LEGACY_FILE).is_file()
    rows = json.loads(cli(tracker, "status", "--unit", "so-tu-phap", "--task", "1", "--as-of", "2026-03-05",
                          "--format", "json").stdout)
    assert "source" not in rows[0]


def test_a_tracker_of_plans_only(tracker: Path, monkeypatch: pytest.MonkeyPatch):
    plans_only(tracker)
    add_plan(tracker, name="thi-hanh-phap-luat", commit=False)
    git(tracker, "add", "data")
    git(tracker, "commit", "-q", "-m", "hai kế hoạch")
    monkeypatch.chdir(tracker)  # found from the current folder: no data/plan.yaml to find
    done = run_cli("record", "1", "so-tu-phap", "-s", "hoan-thanh", "--done-on", "2026-03-02", "--as-of",
                   "2026-03-03", "--plan", "chi-thi-13")
    assert done.exit_code == 0, done.stderr
    assert (tracker / "data/status/chi-thi-13/2026/so-tu-phap.yaml").is_file()
    assert not (tracker / "data/status/2026").exists()
    valid = run_cli("validate")
    assert valid.exit_code == 0, valid.stdout + valid.stderr
    rows = json.loads(run_cli("status", "--unit", "so-tu-phap", "--task", "1", "--as-of", "2026-03-05", "--format",
                              "json").stdout)
    assert [(r["source"], r["status"]) for r in rows] == [("chi-thi-13", "hoan-thanh"),
                                                          ("thi-hanh-phap-luat", "chua-thuc-hien")]
    listed = json.loads(run_cli("plan", "list", "--as-of", "2026-03-05", "--format", "json").stdout)
    assert [(r["name"], r["id"]) for r in listed] == [("chi-thi-13", "ct13-thanh-hoa"),
                                                      ("thi-hanh-phap-luat", "thpl-2026")]


def report_json(root: Path, *extra: str) -> dict:
    made = cli(root, "report", "--as-of", "2026-03-05", "--period", "2026", "--format", "json", *extra)
    assert made.exit_code == 0, made.stderr
    return json.loads(made.stdout)


def counts(row: dict) -> tuple[int, int, int]:
    return row["slots"], row["done"], row["applicable"]


def test_report_sums_by_plan_and_by_unit_across_plans(two_plans: Path):
    record_both(two_plans)
    made = report_json(two_plans)
    assert made["scope"]["name"] == "2 kế hoạch" and made["plan"] == "nhieu-ke-hoach"
    first, second = (report_json(two_plans, "--plan", name) for name in ("ct13-thanh-hoa", "thpl-2026"))
    assert [r["key"] for r in made["by_source"]] == ["ct13-thanh-hoa", "thi-hanh-phap-luat"]
    assert [counts(r) for r in made["by_source"]] == [counts(first["totals"]), counts(second["totals"])]
    assert counts(made["totals"]) == tuple(a + b for a, b in zip(counts(first["totals"]), counts(second["totals"]),
                                                                 strict=True))
    # Sở Tư pháp's three tasks of the second plan and 23 slots of the first, one done in each
    across = {r["key"]: r for r in made["by_unit_all_plans"]}
    assert counts(across["so-tu-phap"]) == (23 + 3, 2, 26)
    own = {r["key"]: counts(r) for r in first["by_unit"]}, {r["key"]: counts(r) for r in second["by_unit"]}
    for unit, row in across.items():
        parts = [o[unit] for o in own if unit in o]
        assert counts(row) == tuple(map(sum, zip(*parts, strict=True))), unit
    assert "by_unit_all_plans" not in first and "by_source" not in first


def test_text_report_has_a_plan_table_and_a_unit_table_across_plans(two_plans: Path):
    record_both(two_plans)
    made = cli(two_plans, "report", "--as-of", "2026-03-05", "--period", "2026", "--format", "csv")
    assert made.exit_code == 0, made.stderr
    text = made.stdout
    assert "Theo kế hoạch" in text and "Theo đơn vị, gộp mọi kế hoạch" in text
    across = text[text.index("Theo đơn vị, gộp mọi kế hoạch"):]
    assert '\n"Sở Tư pháp",26,2,' in across or "\nSở Tư pháp,26,2," in across


def test_the_leaders_page_across_plans_heads_its_sources_as_plans(two_plans: Path, tmp_path: Path):
    record_both(two_plans)
    page = tmp_path / "trang.html"
    made = cli(two_plans, "report", "--as-of", "2026-03-05", "--period", "2026", "-o", str(page))
    assert made.exit_code == 0, made.stderr
    text = page.read_text(encoding="utf-8")
    assert '<h2>Theo kế hoạch</h2>' in text and "<th>Kế hoạch</th>" in text
    assert "<th>Bộ theo dõi</th>" not in text and "Theo bộ theo dõi" not in text


def test_a_word_report_asks_for_one_plan(two_plans: Path, tmp_path: Path):
    made = cli(two_plans, "report", "--as-of", "2026-03-05", "-o", str(tmp_path / "bao-cao.docx"))
    assert made.exit_code == 2
    assert made.stderr == ("Lỗi: báo cáo Word trình ký về một kế hoạch; thêm --plan TÊN (xem các kế hoạch bằng: "
                           "kehoach plan list)\n")
    assert not (tmp_path / "bao-cao.docx").exists()
    one = cli(two_plans, "report", "--as-of", "2026-03-05", "--plan", "24/KH-UBND", "-o", str(tmp_path / "a.docx"))
    assert one.exit_code == 0, one.stderr


def test_workbook_across_plans(two_plans: Path, tmp_path: Path):
    import openpyxl

    record_both(two_plans)
    path = tmp_path / "hai-ke-hoach.xlsx"
    made = cli(two_plans, "report", "--as-of", "2026-03-05", "--period", "2026", "-o", str(path))
    assert made.exit_code == 0, made.stderr
    book = openpyxl.load_workbook(path)
    rows = [[c.value for c in row] for row in book["Tổng hợp"].iter_rows()]
    section = rows.index(["II. THEO KẾ HOẠCH", *([None] * 10)])
    assert rows[section + 1][:3] == ["STT", "Kế hoạch", "Số lượt"]
    assert [r[1] for r in rows[section + 2:section + 4]] == ["ct13-thanh-hoa", "thi-hanh-phap-luat"]
    assert ["III. THEO NHÓM ĐƠN VỊ", *([None] * 10)] in rows
    assert book.sheetnames == ["Tổng hợp", "Đơn vị, mọi kế hoạch", "Quá hạn", "Ma trận", "Chi tiết", "Thông tin"]
    units = [[c.value for c in row] for row in book["Đơn vị, mọi kế hoạch"].iter_rows()]
    top = next(i for i, r in enumerate(units) if r[0] == "STT")
    assert units[top][:3] == ["STT", "Đơn vị", "Số lượt"]
    stp = next(r for r in units[top:] if r[1] == "Sở Tư pháp")
    assert stp[2:4] == [26, 2]
    total = units[-1] if units[-1][1] == "Tổng cộng" else next(r for r in units if r[1] == "Tổng cộng")
    assert total[2] == f"=SUM(C{top + 2}:C{len(units) - 1})"
    detail = book["Chi tiết"]
    header = next(r for r in range(1, 20) if detail.cell(r, 1).value == "STT")
    assert detail.cell(header, 2).value == "Kế hoạch"
    info = {r[0]: r[1] for r in book["Thông tin"].iter_rows(values_only=True)}
    assert info["Kế hoạch"] == "2 kế hoạch: ct13-thanh-hoa, thi-hanh-phap-luat."
    assert info["Lệnh tạo báo cáo"].count("--data") == 1
    one = tmp_path / "mot-ke-hoach.xlsx"
    assert cli(two_plans, "report", "--as-of", "2026-03-05", "--period", "2026", "-o", str(one), "--plan",
               "thi hanh phap luat").exit_code == 0
    again = {r[0]: r[1] for r in openpyxl.load_workbook(one)["Thông tin"].iter_rows(values_only=True)}
    assert again["Lệnh tạo báo cáo"].endswith("--plan thi-hanh-phap-luat --format xlsx")  # makes it again


def test_log_covers_every_plan_or_the_one_named(two_plans: Path):
    record_both(two_plans)
    both = json.loads(cli(two_plans, "log", "--format", "json").stdout)
    assert [(c["plan"], c["task"], c["unit"]) for c in both] == [
        ("thi-hanh-phap-luat", "1", "so-tu-phap"), ("ct13-thanh-hoa", "1", "so-tu-phap")]
    one = json.loads(cli(two_plans, "log", "--format", "json", "--plan", "thi hanh phap luat").stdout)
    assert [(c.get("plan"), c["path"]) for c in one] == [(None, SECOND_FILE.as_posix())]
    table = cli(two_plans, "log", "--format", "plain")
    assert table.stdout.splitlines()[2].split()[:2] == ["Kế", "hoạch"]


def test_form_and_import_work_on_the_plan_named(two_plans: Path):
    import openpyxl

    from kehoach.excel.form_writer import COLUMN_INDEX
    from support.forms import SHEET, fill, table_rows

    made = cli(two_plans, "form", "so-tu-phap", "--as-of", "2026-06-10", "--plan", "thi-hanh-phap-luat")
    assert made.exit_code == 0, made.stderr
    form = Path.cwd() / made.stdout.strip()
    assert form.name == "bieu-mau_thpl-2026_so-tu-phap_2026.xlsx"
    sheet = openpyxl.load_workbook(form)[SHEET]
    assert [sheet.cell(r, COLUMN_INDEX["task"]).value for r in table_rows(sheet)] == ["1", "2", "3"]
    filled = fill(form, Path.cwd() / "nhan-ve" / form.name,
                  {("2", "2026"): {"status": "Hoàn thành", "done_on": "15/06/2026", "evidence": "Báo cáo 7/BC"}})
    before = file_snapshot(two_plans)
    asked = cli(two_plans, "import", str(filled), "--as-of", "2026-06-20")
    assert asked.exit_code == 2 and "--plan" in asked.stderr and file_snapshot(two_plans) == before
    wrong = cli(two_plans, "import", str(filled), "--as-of", "2026-06-20", "--plan", "ct13-thanh-hoa")
    assert wrong.exit_code != 0 and "thpl-2026" in wrong.stdout + wrong.stderr
    assert file_snapshot(two_plans) == before
    done = cli(two_plans, "import", str(filled), "--as-of", "2026-06-20", "--plan", "thi-hanh-phap-luat")
    assert done.exit_code == 0, done.stderr
    assert git(two_plans, "show", "--name-only", "--format=", "HEAD").split() == [SECOND_FILE.as_posix()]
    assert not (two_plans / LEGACY_FILE).exists()


def test_undo_takes_back_the_last_change_of_the_plan_named(two_plans: Path):
    record_both(two_plans)
    undone = cli(two_plans, "undo", "--plan", "ct13-thanh-hoa")
    assert undone.exit_code == 0, undone.stderr
    assert git(two_plans, "show", "--name-only", "--format=", "HEAD").split() == [LEGACY_FILE.as_posix()]
    assert (two_plans / SECOND_FILE).is_file()


def test_units_need_no_plan(two_plans: Path):
    shown = cli(two_plans, "units", "--search", "tu phap", "--format", "json")
    assert shown.exit_code == 0, shown.stderr
    assert "so-tu-phap" in shown.stdout


def test_plan_list(two_plans: Path):
    record_both(two_plans)
    listed = cli(two_plans, "plan", "list", "--as-of", "2026-03-05", "--format", "json")
    assert listed.exit_code == 0, listed.stderr
    rows = json.loads(listed.stdout)
    assert [(r["name"], r["file"].split("theo-doi/")[-1], r["id"], r["number"], r["issued_on"], r["tasks"],
             r["tracking_start"]) for r in rows] == [
        ("ct13-thanh-hoa", "data/plan.yaml", "ct13-thanh-hoa", None, None, 21, "2026-01-01"),
        ("thi-hanh-phap-luat", "data/plans/thi-hanh-phap-luat.yaml", "thpl-2026", "24/KH-UBND", "2025-12-15", 3,
         "2026-01-01")]
    late = cli(two_plans, "plan", "list", "--as-of", "2027-01-20", "--format", "json")
    second = json.loads(late.stdout)[1]
    # every slot of the second plan's three yearly tasks is due by then; Sở Tư pháp's task 1 is done
    assert second["done"] == 1 and second["slots_due"] == second["applicable"] > 1
    assert second["completion_rate"] == round(100 / second["applicable"], 1)
    counted = cli(two_plans, "check", "--as-of", "2027-01-20", "--within", "0", "--format", "plain", "--plan",
                  "thi-hanh-phap-luat").stdout.splitlines()
    assert next(line for line in counted if line.startswith("Tổng cộng")).split()[2] == str(second["slots_due"])
    plain = cli(two_plans, "plan", "list", "--as-of", "2026-03-05", "--format", "plain").stdout.splitlines()
    assert plain[0] == "Các kế hoạch của bộ theo dõi (2) — tỷ lệ hoàn thành tính đến 05/03/2026"
    assert plain[5].split()[:4] == ["thi-hanh-phap-luat", "24/KH-UBND", "15/12/2025", "Chủ"]


def test_each_plan_has_its_own_caches(two_plans: Path):
    record_both(two_plans)
    assert cli(two_plans, "check", "--as-of", "2026-03-05").exit_code in (0, 1)
    cache = two_plans / "data" / ".kehoach-cache"
    assert (cache / "definitions.marshal").is_file()
    assert (cache / "definitions-thi-hanh-phap-luat.marshal").is_file()
    assert sorted(p.name for p in (cache / "records").iterdir()) == ["2026.marshal"]
    assert sorted(p.name for p in (cache / "plans" / "thi-hanh-phap-luat" / "records").iterdir()) == ["2026.marshal"]
    # warm: the same answers from the caches as cold
    cold = report_json(two_plans)
    assert report_json(two_plans) == cold


def test_validate_checks_every_plan_file(two_plans: Path):
    second = two_plans / "data" / "plans" / "thi-hanh-phap-luat.yaml"
    second.write_text(second.read_text(encoding="utf-8").replace("cadence: hang-nam", "cadence: hang-thang", 1),
                      encoding="utf-8")
    (two_plans / "data" / "plans" / "Ban Sao.yaml").write_bytes((two_plans / "data" / "plan.yaml").read_bytes())
    found = cli(two_plans, "validate", "--format", "json")
    assert found.exit_code == 1
    problems = json.loads(found.stdout)
    where = [(p["path"].split("theo-doi/")[-1], p["field"]) for p in problems]
    assert ("data/plans/thi-hanh-phap-luat.yaml", "cadence") in where
    messages = [p["message"] for p in problems]
    assert any("tên tệp kế hoạch «Ban Sao» không hợp lệ" in m for m in messages)
    assert any("«ct13-thanh-hoa» trùng với kế hoạch trong" in m for m in messages)
    refused = cli(two_plans, "check", "--as-of", "2026-03-05")
    assert refused.exit_code == 2 and "thi-hanh-phap-luat.yaml" in refused.stderr


AN, BINH = "Nguyễn Văn An", "Trần Thị Bình"


@pytest.fixture
def office_of_plans(tracker: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch):
    """Two clerks' clones of a shared tracker of two plans (the second with its first 12 tasks)."""
    from support.clones import Office

    add_plan(tracker, tasks=12)
    for key in ("GIT_AUTHOR_NAME", "GIT_AUTHOR_EMAIL", "GIT_COMMITTER_NAME", "GIT_COMMITTER_EMAIL"):
        monkeypatch.delenv(key, raising=False)
    (tmp_path / "van-phong").mkdir()
    return Office(tmp_path / "van-phong", [AN, BINH], tracker)


def test_two_clerks_recording_for_different_plans_merge_cleanly(office_of_plans):
    office, an, binh = office_of_plans, AN, BINH
    office.record(an, "1", "STP", "2026", "--plan", "ct13-thanh-hoa")
    office.record(an, "10", "STP", "2026", "--plan", "thi-hanh-phap-luat")
    office.record(binh, "9", "STP", "2026-H1", "--plan", "thi-hanh-phap-luat")
    office.record(binh, "2", "so-noi-vu", "2026", "--plan", "ct13-thanh-hoa")
    for clerk in (an, binh, an):
        synced = office.sync(clerk)
        assert synced.exit_code == 0, synced.stderr
    assert office.data_files(an) == office.data_files(binh)
    merged = (office.clones[an] / SECOND_FILE).read_text(encoding="utf-8")
    # the merge driver writes the file in the order of the plan it belongs to (9 before 10), as record does
    assert [line.split("'")[1] for line in merged.splitlines() if line.startswith("  task:")] == ["9", "10"]
    assert "task: '1'\n" in (office.clones[an] / LEGACY_FILE).read_text(encoding="utf-8")
    log = json.loads(run_cli("log", "--format", "json", "--data", str(office.clones[binh])).stdout)
    assert sorted((c["plan"], c["task"], c["author"]) for c in log) == [
        ("ct13-thanh-hoa", "1", an), ("ct13-thanh-hoa", "2", binh),
        ("thi-hanh-phap-luat", "10", an), ("thi-hanh-phap-luat", "9", binh)]
    assert run_cli("validate", "--data", str(office.clones[binh])).exit_code == 0


def test_a_conflict_in_one_plan_is_settled_by_the_commands_printed(office_of_plans):
    office = office_of_plans
    office.record(AN, "9", "STP", "2026-H1", "--plan", "thpl-2026", "--status", "hoàn thành", "--done-on",
                  "2026-06-10")
    office.record(BINH, "9", "STP", "2026-H1", "--plan", "thpl-2026", "--status", "đang thực hiện")
    assert office.sync(AN).exit_code == 0
    stopped = office.sync(BINH)
    assert stopped.exit_code == 1
    advice = stopped.stderr.splitlines()
    assert advice[1].startswith(f"Xung đột ở {SECOND_FILE.as_posix()}: nhiệm vụ 9")
    keep = "  kehoach resolve 9 so-tu-phap --period 2026-H1 --plan thi-hanh-phap-luat --keep theirs"
    assert keep in advice
    settled = run_cli(*keep.split()[1:], "--data", str(office.clones[BINH]))
    assert settled.exit_code == 0, settled.stderr
    assert office.sync(BINH).exit_code == 0
    assert office.sync(AN).exit_code == 0
    assert office.data_files(AN) == office.data_files(BINH)


def test_a_units_report_across_plans_lists_each_plans_own_tasks(two_plans: Path, tmp_path: Path):
    import openpyxl

    from support.plans import CONTENT_MARK

    record_both(two_plans)
    made = cli(two_plans, "report", "--unit", "so-tu-phap", "--as-of", "2026-03-05", "--period", "2026",
               "--format", "csv")
    assert made.exit_code == 0, made.stderr
    rows = [line for line in made.stdout.splitlines() if line.startswith(("ct13-thanh-hoa,", "thi-hanh-phap-luat,"))]
    assert len(rows) == 26
    assert all((CONTENT_MARK in row) == row.startswith("thi-hanh-phap-luat,") for row in rows)
    path = tmp_path / "stp.xlsx"
    assert cli(two_plans, "report", "--unit", "so-tu-phap", "--as-of", "2026-03-05", "--period", "2026", "-o",
               str(path)).exit_code == 0
    cells = [str(c) for row in openpyxl.load_workbook(path)["Tổng hợp"].iter_rows(values_only=True) for c in row
             if c]
    marked = [c for c in cells if c.startswith("[thi-hanh-phap-luat]")]
    assert len(marked) == 3 and all(CONTENT_MARK in c for c in marked)
    assert not [c for c in cells if c.startswith("[ct13-thanh-hoa]") and CONTENT_MARK in c]


def test_each_unit_takes_one_plan(two_plans: Path, tmp_path: Path):
    refused = cli(two_plans, "report", "--each-unit", "-o", str(tmp_path / "don-vi"), "--as-of", "2026-03-05")
    assert refused.exit_code == 2
    assert refused.stderr == ("Lỗi: --each-unit chỉ dùng với một kế hoạch; thêm --plan TÊN (xem các kế hoạch bằng: "
                              "kehoach plan list)\n")
    done = cli(two_plans, "report", "--each-unit", "-o", str(tmp_path / "don-vi"), "--as-of", "2026-03-05",
               "--group", "cac-so", "--plan", "thi-hanh-phap-luat")
    assert done.exit_code == 0, done.stderr
    assert all("thpl-2026" in p.name for p in (tmp_path / "don-vi").iterdir())


def test_a_task_of_one_plan_only_is_shown_from_that_plan(two_plans: Path):
    rows = json.loads(cli(two_plans, "status", "--task", "17", "--as-of", "2026-07-05", "--format", "json").stdout)
    assert rows and {r["source"] for r in rows} == {"ct13-thanh-hoa"}
    unknown = cli(two_plans, "status", "--task", "99", "--as-of", "2026-07-05")
    assert unknown.exit_code == 2 and "không có nhiệm vụ '99'" in unknown.stderr


def test_validate_a_plan_named(two_plans: Path):
    broken = two_plans / "data" / "status" / "2026" / "so-tu-phap.yaml"
    broken.parent.mkdir(parents=True)
    broken.write_text("records:\n- task: '1'\n  unit: so-tu-phap\n  period: 2026\n  status: xong\n",
                      encoding="utf-8")
    assert cli(two_plans, "validate").exit_code == 1
    assert cli(two_plans, "validate", "--plan", "ct13-thanh-hoa").exit_code == 1
    other = cli(two_plans, "validate", "--plan", "24/KH-UBND")
    assert other.exit_code == 0, other.stdout


def test_a_broken_status_file_of_one_plan_leaves_the_others_counted(two_plans: Path):
    record_both(two_plans)
    (two_plans / SECOND_FILE).write_text("records: [\n", encoding="utf-8")
    rows = json.loads(cli(two_plans, "status", "--unit", "so-tu-phap", "--task", "1", "--as-of", "2026-03-05",
                          "--format", "json").stdout)
    assert [(r["source"], r["status"]) for r in rows] == [("ct13-thanh-hoa", "hoan-thanh"),
                                                          ("thi-hanh-phap-luat", "chua-thuc-hien")]
    said = cli(two_plans, "status", "--unit", "so-tu-phap", "--as-of", "2026-03-05", "--format", "json").stderr
    assert "thi-hanh-phap-luat/2026/so-tu-phap.yaml" in said
    assert said.count("kehoach validate --data") == 1


def test_a_plan_imported_from_its_document_is_one_more_plan(two_plans: Path):
    """`plan import` writes data/plans/NAME.yaml into a tracker that already has several plans; the new
    plan is then named by --plan like any other."""
    from support.paths import SEED

    imported = cli(two_plans, "plan", "import", str(SEED), "--name", "ct13-nhap", "--as-of", "1/3/2026")
    assert imported.exit_code == 0, imported.stderr
    listed = json.loads(cli(two_plans, "plan", "list", "--as-of", "2026-03-05", "--format", "json").stdout)
    assert [(r["name"], r["tasks"]) for r in listed] == [("ct13-thanh-hoa", 21), ("ct13-nhap", 21),
                                                         ("thi-hanh-phap-luat", 3)]
    done = cli(two_plans, "record", "1", "so-tu-phap", "-s", "dang-thuc-hien", "--as-of", "2026-03-05", "--plan",
               "ct13-nhap")
    assert done.exit_code == 0, done.stderr
    assert git(two_plans, "show", "--name-only", "--format=", "HEAD").split() == [
        "data/status/ct13-nhap/2026/so-tu-phap.yaml"]
    assert cli(two_plans, "validate").exit_code == 0
