"""`kehoach import`: forms made by the CLI, filled with openpyxl as units do (messy or hostile),
imported back. Exact records, exit codes, error cells; nothing written on rejection."""

from __future__ import annotations

import csv
import datetime as dt
import io
import json
import shutil
import subprocess
import zipfile
from pathlib import Path

import pytest
from openpyxl import Workbook, load_workbook

from kehoach.excel.form_writer import META_SHEET
from support.cli import run_cli
from support.files import file_snapshot
from support.forms import FORM_NAME, SHEET, cell_ref, fill, import_cli, make_form, row_of, table_rows
from support.git import git

STATUS_FILE = Path("data/status/2026/so-tu-phap.yaml")
RETURNED = f"nhan/{FORM_NAME}"

MESSY = {
    ("1", "2026"): {"status": "hoan thanh", "done_on": "10/6/2026", "evidence": "Báo cáo 12/BC-STP"},
    ("2", "2026"): {"status": "dang-thuc-hien"},
    ("3", "2026"): {"status": "Hoàn thành", "done_on": dt.datetime(2026, 5, 2, 0, 0)},
    ("9", "2026-H1"): {"status": "KHONG AP DUNG", "note": "  Không có TTHC thuộc phạm vi  "},
}

EXPECTED_YAML = """records:
- done_on: 2026-06-10
  evidence: Báo cáo 12/BC-STP
  period: '2026'
  recorded_by: Người Thử
  recorded_on: 2026-06-20
  status: hoan-thanh
  task: '1'
  unit: so-tu-phap
- period: '2026'
  recorded_by: Người Thử
  recorded_on: 2026-06-20
  status: dang-thuc-hien
  task: '2'
  unit: so-tu-phap
- done_on: 2026-05-02
  period: '2026'
  recorded_by: Người Thử
  recorded_on: 2026-06-20
  status: hoan-thanh
  task: '3'
  unit: so-tu-phap
- note: Không có TTHC thuộc phạm vi
  period: 2026-H1
  recorded_by: Người Thử
  recorded_on: 2026-06-20
  status: khong-ap-dung
  task: '9'
  unit: so-tu-phap
"""


def commits(tracker: Path) -> int:
    return int(git(tracker, "rev-list", "--count", "HEAD").strip())


def returned(tmp_path: Path, form: Path, edits: dict) -> str:  # type: ignore[type-arg]
    fill(form, tmp_path / RETURNED, edits)
    return RETURNED


# --- the round trip ----------------------------------------------------------------------------------

def test_messy_form_imported_exactly(tracker: Path, form: Path, tmp_path: Path) -> None:
    before = commits(tracker)
    result = import_cli(returned(tmp_path, form, MESSY), tracker=tracker)
    assert result.exit_code == 0, result.stderr
    assert (tracker / STATUS_FILE).read_text(encoding="utf-8") == EXPECTED_YAML
    assert result.stdout.splitlines()[0] == (f"{RETURNED} — Sở Tư pháp, kỳ 2026: 4 mới, 0 thay đổi, "
                                             "0 không đổi, 19 dòng để trống")
    assert f"Đã nhập {RETURNED}: ghi 4 bản ghi." in result.stderr
    assert commits(tracker) == before + 1
    changed = git(tracker, "show", "--stat", "--format=", "HEAD").split()[0]
    assert changed == "data/status/2026/so-tu-phap.yaml"
    message = git(tracker, "log", "-1", "--format=%B")
    assert message == (
        f"Nhập biểu mẫu {FORM_NAME}: Sở Tư pháp, kỳ 2026 (4 mới, 0 thay đổi)\n\n"
        "- Nhiệm vụ 1, kỳ 2026: Hoàn thành ngày 10/06/2026\n"
        "- Nhiệm vụ 2, kỳ 2026: Đang thực hiện\n"
        "- Nhiệm vụ 3, kỳ 2026: Hoàn thành ngày 02/05/2026\n"
        "- Nhiệm vụ 9, kỳ 2026-H1: Không áp dụng\n\n"
        f"Kehoach-Import: {FORM_NAME}\nKehoach-Unit: so-tu-phap\n"
        "Kehoach-Period: 2026\nKehoach-Period: 2026-H1\n"
        "Kehoach-Task: 1\nKehoach-Task: 2\nKehoach-Task: 3\nKehoach-Task: 9\n\n")
    trailers = git(tracker, "log", "-1", "--format=%(trailers:key=Kehoach-Import,valueonly)")
    assert trailers.strip() == FORM_NAME


def test_second_import_changes_nothing(tracker: Path, form: Path, tmp_path: Path) -> None:
    name = returned(tmp_path, form, MESSY)
    assert import_cli(name, tracker=tracker).exit_code == 0
    before, count = file_snapshot(tracker), commits(tracker)
    again = import_cli(name, tracker=tracker, as_of="2026-07-01")
    assert again.exit_code == 0, again.stderr
    assert again.stdout.splitlines()[0].endswith("0 mới, 0 thay đổi, 4 không đổi, 19 dòng để trống")
    assert f"Không có gì thay đổi từ {RETURNED}." in again.stderr
    assert file_snapshot(tracker) == before
    assert commits(tracker) == count


def test_log_shows_the_import(tracker: Path, form: Path, tmp_path: Path) -> None:
    assert import_cli(returned(tmp_path, form, MESSY), "--by", "Lê Thị Hoa", tracker=tracker).exit_code == 0
    log = run_cli("log", "--unit", "so-tu-phap", "--format", "json", "--data", str(tracker))
    assert log.exit_code == 0, log.stderr
    rows = json.loads(log.stdout)
    assert [(r["task"], r["period"], r["old_status"], r["new_status"]) for r in rows] == [
        ("1", "2026", None, "hoan-thanh"), ("2", "2026", None, "dang-thuc-hien"),
        ("3", "2026", None, "hoan-thanh"), ("9", "2026-H1", None, "khong-ap-dung")]
    assert {(r["author"], r["recorded_by"], r["source"], r["subject"]) for r in rows} == {
        ("Lê Thị Hoa", "Lê Thị Hoa", "nhap-bieu-mau",
         f"Nhập biểu mẫu {FORM_NAME}: Sở Tư pháp, kỳ 2026 (4 mới, 0 thay đổi)")}
    table = run_cli("log", "--format", "plain", "--data", str(tracker))
    assert "Lê Thị Hoa" in table.stdout and "(không có) → Không áp dụng" in table.stdout


def test_changed_rows_after_record(tracker: Path, form: Path, tmp_path: Path) -> None:
    assert import_cli(returned(tmp_path, form, MESSY), tracker=tracker).exit_code == 0
    # A new form shows what is on record; the unit changes one row and sends it back.
    second = make_form(tracker, "so-tu-phap", "-o", str(tmp_path / "lan-2"))
    name = "lan-2/tra-lai.xlsx"
    fill(second, tmp_path / name, {("2", "2026"): {"status": "Hoàn thành", "done_on": "15/6/2026"}})
    result = import_cli(name, tracker=tracker)
    assert result.exit_code == 0, result.stderr
    assert result.stdout.splitlines()[0] == ("lan-2/tra-lai.xlsx — Sở Tư pháp, kỳ 2026: 0 mới, 1 thay đổi, "
                                             "3 không đổi, 19 dòng để trống")
    row = next(line.split() for line in result.stdout.splitlines() if line.startswith("2 "))
    assert row == ["2", "2026", "Thay", "đổi", "Đang", "thực", "hiện", "Hoàn", "thành", "15/06/2026"]
    text = (tracker / STATUS_FILE).read_text(encoding="utf-8")
    assert "- done_on: 2026-06-15\n  period: '2026'\n  recorded_by: Người Thử\n  recorded_on: 2026-06-20\n" \
           "  status: hoan-thanh\n  task: '2'\n" in text


def test_dry_run_writes_nothing(tracker: Path, form: Path, tmp_path: Path) -> None:
    name = returned(tmp_path, form, MESSY)
    before = file_snapshot(tracker)
    result = import_cli(name, "--dry-run", tracker=tracker)
    assert result.exit_code == 0, result.stderr
    assert "4 mới" in result.stdout
    assert f"Chạy thử (--dry-run): không ghi gì từ {RETURNED}." in result.stderr
    assert file_snapshot(tracker) == before


def test_no_commit_writes_without_commit(tracker: Path, form: Path, tmp_path: Path) -> None:
    count = commits(tracker)
    assert import_cli(returned(tmp_path, form, MESSY), "--no-commit", tracker=tracker).exit_code == 0
    assert (tracker / STATUS_FILE).read_text(encoding="utf-8") == EXPECTED_YAML
    assert commits(tracker) == count


def test_without_git(plain_tracker: Path, tmp_path: Path) -> None:
    form = make_form(plain_tracker)
    result = import_cli(returned(tmp_path, form, MESSY), tracker=plain_tracker)
    assert result.exit_code == 0, result.stderr
    assert "Cảnh báo: thư mục dữ liệu không nằm trong kho git" in result.stderr
    assert (plain_tracker / STATUS_FILE).read_text(encoding="utf-8").replace("Người Thử", "X") == \
        EXPECTED_YAML.replace("Người Thử", "X")


# --- what people do to spreadsheets ------------------------------------------------------------------

def test_resorted_rows_and_blank_rows(tracker: Path, form: Path, tmp_path: Path) -> None:
    workbook = load_workbook(form)
    sheet = workbook[SHEET]
    first, last = 11, table_rows(sheet)[-1]
    rows = [[c.value for c in sheet[r]] for r in range(first, last + 1)]
    for offset, values in enumerate(reversed(rows)):
        for col, value in enumerate(values, start=1):
            sheet.cell(first + offset, col).value = value
    # openpyxl leaves merged cells where they were when rows go in (Excel moves them): unmerge the
    # signature below the table so its texts move down with their rows.
    for merged in [r for r in sheet.merged_cells.ranges if r.min_row > last]:
        sheet.unmerge_cells(str(merged))
    sheet.insert_rows(15, 3)
    sheet.cell(last + 6, 1).value = None
    workbook.save(tmp_path / "da-sap-xep.xlsx")
    filled = fill(tmp_path / "da-sap-xep.xlsx", tmp_path / RETURNED, MESSY)
    assert row_of(load_workbook(filled)[SHEET], "III.3", "2026-H2") == 11
    result = import_cli(RETURNED, tracker=tracker)
    assert result.exit_code == 0, result.stderr
    assert (tracker / STATUS_FILE).read_text(encoding="utf-8") == EXPECTED_YAML


def test_libreoffice_resave(tracker: Path, form: Path, tmp_path: Path) -> None:
    soffice = shutil.which("soffice")
    if soffice is None:
        pytest.skip("LibreOffice (soffice) chưa được cài; CI cài nó")
    fill(form, tmp_path / "dien" / FORM_NAME, MESSY)
    subprocess.run([soffice, f"-env:UserInstallation=file://{tmp_path}/lo-profile", "--headless",
                    "--convert-to", "xlsx", "--outdir", str(tmp_path / "nhan"),
                    str(tmp_path / "dien" / FORM_NAME)],
                   check=True, capture_output=True, timeout=180)
    result = import_cli(RETURNED, tracker=tracker)
    assert result.exit_code == 0, result.stderr
    assert (tracker / STATUS_FILE).read_text(encoding="utf-8") == EXPECTED_YAML


def _csv_of(path: Path, delimiter: str = ",", bom: bool = True) -> str:
    """What Excel's "CSV UTF-8" export of the form sheet looks like: every row, dates as shown."""
    sheet = load_workbook(path)[SHEET]
    out = io.StringIO()
    writer = csv.writer(out, delimiter=delimiter, lineterminator="\r\n")
    for row in sheet.iter_rows(values_only=True):
        writer.writerow(["" if v is None else v.strftime("%d/%m/%Y") if isinstance(v, dt.datetime) else v
                         for v in row])
    return ("\ufeff" if bom else "") + out.getvalue()


@pytest.mark.parametrize("delimiter", [",", ";"])
def test_csv_export(tracker: Path, form: Path, tmp_path: Path, delimiter: str) -> None:
    filled = fill(form, tmp_path / "dien.xlsx", MESSY)
    (tmp_path / "tra-lai.csv").write_text(_csv_of(filled, delimiter), encoding="utf-8")
    result = import_cli("tra-lai.csv", tracker=tracker)
    assert result.exit_code == 0, result.stderr
    assert result.stdout.splitlines()[0] == ("tra-lai.csv — Sở Tư pháp: 4 mới, 0 thay đổi, 0 không đổi, "
                                             "19 dòng để trống")
    assert (tracker / STATUS_FILE).read_text(encoding="utf-8") == EXPECTED_YAML
    subject = git(tracker, "log", "-1", "--format=%s")
    assert subject == "Nhập biểu mẫu tra-lai.csv: Sở Tư pháp, kỳ 2026, 2026-H1 (4 mới, 0 thay đổi)\n"


def test_csv_rows_of_two_units_rejected(tracker: Path, form: Path, tmp_path: Path) -> None:
    other = {"unit": "so-noi-vu", "status": "hoàn thành", "done_on": "1/6/2026"}
    filled = fill(form, tmp_path / "dien.xlsx", {**MESSY, ("3", "2026"): other})
    (tmp_path / "tra-lai.csv").write_text(_csv_of(filled), encoding="utf-8")
    before = file_snapshot(tracker)
    result = import_cli("tra-lai.csv", tracker=tracker)
    assert result.exit_code == 1
    assert result.stderr.splitlines() == [
        "tra-lai.csv!C13: dòng ghi đơn vị 'so-noi-vu', nhưng tệp này (theo dòng đầu) là của Sở Tư pháp "
        "(so-tu-phap); mỗi đơn vị chỉ báo cáo phần của mình",
        "Đã từ chối tra-lai.csv: 1 lỗi; không ghi gì từ tệp này."]
    assert file_snapshot(tracker) == before


# --- rejected, all or nothing ------------------------------------------------------------------------

def test_every_invalid_row_reported_nothing_written(tracker: Path, form: Path, tmp_path: Path) -> None:
    edits = {
        ("1", "2026"): {"status": "Hoàn thành"},
        ("2", "2026"): {"status": "xong rồi"},
        ("3", "2026"): {"status": "Hoàn thành", "done_on": "31/02/2026"},
        ("4", "2026"): {"status": "Hoàn thành", "done_on": "1/7/2026"},
        ("5", "2026"): {"status": "Không áp dụng"},
        ("6", "2026"): {"status": "Đang thực hiện", "done_on": "1/6/2026"},
        ("7", "2026"): {"evidence": "Báo cáo 3/BC"},
        ("8", "2026"): {"status": "Đang thực hiện"},
    }
    name = returned(tmp_path, form, edits)
    before = file_snapshot(tracker)
    result = import_cli(name, tracker=tracker)
    assert result.exit_code == 1
    assert result.stdout == ""
    where = f"{RETURNED}!Biểu mẫu!"
    assert result.stderr.splitlines() == [
        f"{where}H11: trạng thái hoàn thành cần ngày hoàn thành: điền cột «Ngày hoàn thành»",
        f"{where}G12: trạng thái 'xong rồi' không hợp lệ; dùng: chua-thuc-hien (chưa thực hiện), "
        "dang-thuc-hien (đang thực hiện), hoan-thanh (hoàn thành), khong-ap-dung (không áp dụng)",
        f"{where}H13: ngày hoàn thành '31/02/2026' không tồn tại trong lịch",
        f"{where}H14: ngày hoàn thành 01/07/2026 ở sau ngày ghi nhận 20/06/2026",
        f"{where}J15: trạng thái không áp dụng cần ghi lý do ở cột «Ghi chú»",
        f"{where}H16: chỉ trạng thái hoàn thành mới có ngày hoàn thành: xóa ngày ở cột «Ngày hoàn thành»",
        f"{where}G17: thiếu trạng thái (đã điền «Căn cứ (số, ngày văn bản; đường dẫn)»); "
        "chọn trạng thái hoặc xóa các ô đã điền",
        f"Đã từ chối {RETURNED}: 7 lỗi; không ghi gì từ tệp này.",
    ]
    assert file_snapshot(tracker) == before


def test_rows_edited_to_other_unit_or_task(tracker: Path, form: Path, tmp_path: Path) -> None:
    sheet_rows = load_workbook(form)[SHEET]
    r1, r2, r3, r4 = (row_of(sheet_rows, t) for t in ("1", "2", "3", "4"))
    edits = {
        ("1", "2026"): {"unit": "so-noi-vu", "status": "Đang thực hiện"},
        ("2", "2026"): {"task": "III.2", "status": "Đang thực hiện"},
        ("3", "2026"): {"task": "99", "status": "Đang thực hiện"},
        ("4", "2026"): {"period": "2025", "status": "Đang thực hiện"},
    }
    before = file_snapshot(tracker)
    result = import_cli(returned(tmp_path, form, edits), tracker=tracker)
    assert result.exit_code == 1
    where = f"{RETURNED}!Biểu mẫu!"
    assert result.stderr.splitlines()[:4] == [
        f"{where}{cell_ref('unit', r1)}: dòng ghi đơn vị 'so-noi-vu', nhưng biểu mẫu này là của Sở Tư pháp "
        "(so-tu-phap); mỗi đơn vị chỉ báo cáo phần của mình",
        f"{where}{cell_ref('task', r2)}: Sở Tư pháp (so-tu-phap) không chịu trách nhiệm nhiệm vụ III.2 "
        "trong kỳ 2026 (tính vào hạn 14/12/2026)",
        f"{where}{cell_ref('task', r3)}: không có nhiệm vụ '99' trong kế hoạch; các nhiệm vụ: 1, 2, 3, 4, "
        "5, 6, 7, 8, 9, 10, 11, 12, 13, 14, 15, 16, 17, III.1, III.2, III.3, III.4",
        f"{where}{cell_ref('period', r4)}: kỳ 2025 không thuộc kỳ 2026 của biểu mẫu",
    ]
    assert file_snapshot(tracker) == before


def test_formula_cells_rejected(tracker: Path, form: Path, tmp_path: Path) -> None:
    edits = {("1", "2026"): {"status": "=1+1"}, ("2", "2026"): {"status": "Đang thực hiện", "note": "=A1&B1"}}
    before = file_snapshot(tracker)
    result = import_cli(returned(tmp_path, form, edits), tracker=tracker)
    assert result.exit_code == 1
    assert result.stderr.splitlines() == [
        f"{RETURNED}!Biểu mẫu!G11: cột «Trạng thái» chứa công thức '=1+1'; hãy nhập giá trị, không dùng "
        "công thức",
        f"{RETURNED}!Biểu mẫu!J12: cột «Ghi chú» chứa công thức '=A1&B1'; hãy nhập giá trị, không dùng "
        "công thức",
        f"Đã từ chối {RETURNED}: 2 lỗi; không ghi gì từ tệp này.",
    ]
    assert file_snapshot(tracker) == before


def _edit_meta(form: Path, dest: Path, key_row: int, value: str) -> None:
    workbook = load_workbook(form)
    workbook[META_SHEET].cell(key_row, 2).value = value
    dest.parent.mkdir(parents=True, exist_ok=True)
    workbook.save(dest)


def test_form_of_another_plan_rejected(tracker: Path, form: Path, tmp_path: Path) -> None:
    _edit_meta(fill(form, tmp_path / "dien.xlsx", MESSY), tmp_path / RETURNED, 3, "ct99-noi-khac")
    before = file_snapshot(tracker)
    result = import_cli(RETURNED, tracker=tracker)
    assert result.exit_code == 1
    assert result.stderr.splitlines()[0] == (
        f"{RETURNED}!kehoach!B3: biểu mẫu lập cho kế hoạch 'ct99-noi-khac', "
        "không phải kế hoạch 'ct13-thanh-hoa' của bộ theo dõi này")
    assert file_snapshot(tracker) == before


def test_plan_changed_shape_rejected(tracker: Path, form: Path, tmp_path: Path) -> None:
    fill(form, tmp_path / RETURNED, MESSY)
    plan = tracker / "data" / "plan.yaml"
    plan.write_text(plan.read_text(encoding="utf-8").replace("  cadence: hang-nam", "  cadence: 6-thang", 1),
                    encoding="utf-8")
    before = file_snapshot(tracker)
    result = import_cli(RETURNED, tracker=tracker)
    assert result.exit_code == 1
    assert result.stderr.splitlines()[0] == (
        f"{RETURNED}!kehoach!B4: danh mục nhiệm vụ hay chu kỳ của kế hoạch đã khác với khi lập biểu mẫu "
        "(hoặc biểu mẫu của bộ theo dõi khác); hãy lập lại biểu mẫu bằng: kehoach form so-tu-phap "
        "--period 2026")
    assert file_snapshot(tracker) == before


def test_rows_changed_since_form_accepted_with_warning(tracker: Path, form: Path, tmp_path: Path) -> None:
    fill(form, tmp_path / "dien.xlsx", MESSY)
    _edit_meta(tmp_path / "dien.xlsx", tmp_path / RETURNED, 7, "0" * 64)
    result = import_cli(RETURNED, tracker=tracker)
    assert result.exit_code == 0, result.stderr
    assert result.stderr.splitlines()[0] == (
        f"{RETURNED}: Cảnh báo: danh sách nhiệm vụ của Sở Tư pháp trong kỳ 2026 đã thay đổi kể từ khi "
        "lập biểu mẫu; từng dòng đã được kiểm tra lại theo kế hoạch và danh mục đơn vị hiện tại")
    assert (tracker / STATUS_FILE).read_text(encoding="utf-8") == EXPECTED_YAML


def test_workbook_that_is_not_a_form(tracker: Path, tmp_path: Path) -> None:
    workbook = Workbook()
    workbook.active["A1"] = "Mã NV"  # type: ignore[index]
    workbook.save(tmp_path / "bang-tinh.xlsx")
    result = import_cli("bang-tinh.xlsx", tracker=tracker)
    assert result.exit_code == 1
    assert result.stderr.splitlines()[0] == (
        "bang-tinh.xlsx: không tìm thấy cột «Mã NV», «Mã đơn vị», «Kỳ», «Trạng thái», «Ngày hoàn thành», "
        "«Căn cứ (số, ngày văn bản; đường dẫn)», «Ghi chú» của biểu mẫu; hãy dùng biểu mẫu lập bằng: "
        "kehoach form ĐƠN_VỊ")


def test_form_without_metadata_sheet(tracker: Path, form: Path, tmp_path: Path) -> None:
    workbook = load_workbook(form)
    del workbook[META_SHEET]
    workbook.save(tmp_path / "mat-trang.xlsx")
    result = import_cli("mat-trang.xlsx", tracker=tracker)
    assert result.exit_code == 1
    assert result.stderr.splitlines()[0] == (
        "mat-trang.xlsx: không phải biểu mẫu của kehoach (không có trang ẩn 'kehoach'); "
        "hãy dùng biểu mẫu lập bằng: kehoach form ĐƠN_VỊ")


# --- unreadable input: exit 2 --------------------------------------------------------------------------

NOT_XLSX = "không phải tệp Excel .xlsx (hay .csv của biểu mẫu); hãy gửi lại đúng tệp biểu mẫu"


def _bomb(path: Path) -> None:
    with zipfile.ZipFile(path, "w", zipfile.ZIP_DEFLATED) as archive:
        archive.writestr("xl/workbook.xml", "<workbook/>")
        archive.writestr("xl/worksheets/sheet1.xml", b"\0" * (60 * 1024 * 1024))


@pytest.mark.parametrize(("name", "content", "message"), [
    ("khong-co.xlsx", None, "khong-co.xlsx: không tìm thấy tệp"),
    ("rac.xlsx", bytes(range(256)) * 4, f"rac.xlsx: {NOT_XLSX}"),
    ("ghi-chu.xlsx", "chỉ là văn bản\n".encode(), f"ghi-chu.xlsx: {NOT_XLSX}"),
    ("cu.xls", b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1" + b"\0" * 500,
     "cu.xls: định dạng .xls cũ không được hỗ trợ; hãy lưu lại thành .xlsx"),
    ("hong.xlsx", b"PK\x03\x04" + b"\0" * 100, "hong.xlsx: tệp hỏng, không phải tệp Excel .xlsx đọc được"),
])
def test_unreadable_files(tracker: Path, tmp_path: Path, name: str, content: bytes | None,
                          message: str) -> None:
    if content is not None:
        (tmp_path / name).write_bytes(content)
    before = file_snapshot(tracker)
    result = import_cli(name, tracker=tracker)
    assert (result.exit_code, result.stdout, result.stderr) == (2, "", f"Lỗi: {message}\n")
    assert file_snapshot(tracker) == before


def test_zip_bomb_refused_before_opening(tracker: Path, tmp_path: Path) -> None:
    _bomb(tmp_path / "bom.xlsx")
    assert (tmp_path / "bom.xlsx").stat().st_size < 200_000
    result = import_cli("bom.xlsx", tracker=tracker)
    assert result.exit_code == 2
    assert result.stderr == ("Lỗi: bom.xlsx: tệp nén bất thường (2 mục, 62,914,571 byte khi giải nén từ "
                             f"{_packed(tmp_path / 'bom.xlsx'):,} byte), vượt giới hạn an toàn; không mở\n")


def _packed(path: Path) -> int:
    with zipfile.ZipFile(path) as archive:
        return sum(i.compress_size for i in archive.infolist())


def test_good_and_bad_files_in_one_run(tracker: Path, form: Path, tmp_path: Path) -> None:
    good = returned(tmp_path, form, MESSY)
    fill(form, tmp_path / "sai.xlsx", {("1", "2026"): {"status": "Hoàn thành"}})
    count = commits(tracker)
    result = import_cli("sai.xlsx", good, tracker=tracker)
    assert result.exit_code == 1
    assert "Đã từ chối sai.xlsx: 1 lỗi; không ghi gì từ tệp này." in result.stderr
    assert (tracker / STATUS_FILE).read_text(encoding="utf-8") == EXPECTED_YAML
    assert commits(tracker) == count + 1
    unreadable = import_cli("khong-co.xlsx", good, tracker=tracker)
    assert unreadable.exit_code == 2


def test_array_formula_shown_as_typed(tracker: Path, form: Path, tmp_path: Path) -> None:
    from openpyxl.worksheet.formula import ArrayFormula

    workbook = load_workbook(fill(form, tmp_path / "dien.xlsx", MESSY))
    workbook[SHEET]["J12"] = ArrayFormula("J12", "=SUM(A1:A3)")
    workbook.save(tmp_path / "mang.xlsx")
    result = import_cli("mang.xlsx", tracker=tracker)
    assert result.exit_code == 1
    assert result.stderr.splitlines() == [
        "mang.xlsx!Biểu mẫu!J12: cột «Ghi chú» chứa công thức '=SUM(A1:A3)'; hãy nhập giá trị, không dùng "
        "công thức",
        "Đã từ chối mang.xlsx: 1 lỗi; không ghi gì từ tệp này."]


def test_csv_cells_with_control_characters_rejected(tracker: Path, form: Path, tmp_path: Path) -> None:
    # openpyxl refuses these characters, so they go into the CSV text, as a hand-made CSV holds them.
    hostile = {("2", "2026"): {"status": "Đang thực hiện", "note": "GHI-CHU"},
               ("3", "2026"): {"status": "Hoàn thành", "done_on": "2/5/2026", "evidence": "CAN-CU"}}
    filled = fill(form, tmp_path / "dien.xlsx", {**MESSY, **hostile})
    text = _csv_of(filled).replace("GHI-CHU", "xem\x1b[2J\x1b]8;;http://x\x07").replace("CAN-CU", "a\ufffeb")
    (tmp_path / "tra-lai.csv").write_text(text, encoding="utf-8")
    before = file_snapshot(tracker)
    result = import_cli("tra-lai.csv", tracker=tracker)
    assert result.exit_code == 1, result.stderr
    assert result.stderr.splitlines() == [
        "tra-lai.csv!J12: cột «Ghi chú» chứa ký tự điều khiển U+001B; hãy xóa ký tự này",
        "tra-lai.csv!I13: cột «Căn cứ (số, ngày văn bản; đường dẫn)» chứa ký tự không hợp lệ U+FFFE; "
        "hãy xóa ký tự này",
        "Đã từ chối tra-lai.csv: 2 lỗi; không ghi gì từ tệp này."]
    assert file_snapshot(tracker) == before


# --- hostile files: refused or read within bounds, quickly ----------------------------------------------

def _splice_rows(form: Path, dest: Path, rows_xml: bytes) -> None:
    """The form with raw rows added at the end of its sheet, as a crafted file would hold them."""
    with zipfile.ZipFile(form) as source, zipfile.ZipFile(dest, "w", zipfile.ZIP_DEFLATED) as out:
        for info in source.infolist():
            data = source.read(info.filename)
            if info.filename == "xl/worksheets/sheet1.xml":
                data = data.replace(b"</sheetData>", rows_xml + b"</sheetData>")
            out.writestr(info.filename, data)


def test_tiny_form_with_a_far_cell_reads_its_real_rows(tracker: Path, form: Path, tmp_path: Path) -> None:
    """Before: one cell at XFD1048576 in an 11 KB form took 46 s and 3 GB, then MemoryError (exit 3)."""
    import time

    far = (b'<row r="1048576"><c r="A1048576" t="inlineStr"><is><t>x</t></is></c>'
           b'<c r="XFD1048576" t="inlineStr"><is><t>y</t></is></c></row>')
    _splice_rows(fill(form, tmp_path / "dien.xlsx", MESSY), tmp_path / "xa.xlsx", far)
    assert (tmp_path / "xa.xlsx").stat().st_size < 20_000
    started = time.monotonic()
    result = import_cli("xa.xlsx", tracker=tracker)
    assert time.monotonic() - started < 10
    assert result.exit_code == 0, result.stderr
    assert (tracker / STATUS_FILE).read_text(encoding="utf-8") == EXPECTED_YAML


def test_form_with_more_rows_than_any_unit_refused(tracker: Path, form: Path, tmp_path: Path) -> None:
    from kehoach.excel.form_reader import MAX_FORM_ROWS

    rows = "".join(f'<row r="{n}"><c r="A{n}"><v>1</v></c></row>' for n in range(40, 40 + MAX_FORM_ROWS))
    _splice_rows(form, tmp_path / "dai.xlsx", rows.encode())
    before = file_snapshot(tracker)
    result = import_cli("dai.xlsx", tracker=tracker)
    assert (result.exit_code, result.stderr) == (
        2, f"Lỗi: dai.xlsx!Biểu mẫu!A{10 + MAX_FORM_ROWS + 1}: bảng có hơn {MAX_FORM_ROWS} dòng, không phải "
           "biểu mẫu của một đơn vị; hãy gửi lại đúng tệp biểu mẫu\n")
    assert file_snapshot(tracker) == before


def test_long_csv_refused(tracker: Path, tmp_path: Path) -> None:
    from kehoach.excel.form_reader import MAX_FORM_ROWS

    header = "Mã NV,Mã đơn vị,Kỳ,Trạng thái,Ngày hoàn thành,Căn cứ (số, ngày văn bản; đường dẫn),Ghi chú\n"
    (tmp_path / "dai.csv").write_text(header.replace("(số, ngày văn bản; đường dẫn)", "")
                                      + "1,so-tu-phap,2026,,,,\n" * (MAX_FORM_ROWS + 1), encoding="utf-8")
    result = import_cli("dai.csv", tracker=tracker)
    assert (result.exit_code, result.stderr) == (
        2, f"Lỗi: dai.csv!A{MAX_FORM_ROWS + 2}: bảng có hơn {MAX_FORM_ROWS} dòng, không phải biểu mẫu của "
           "một đơn vị; hãy gửi lại đúng tệp biểu mẫu\n")


@pytest.mark.parametrize(("name", "target", "kind"), [
    ("khong.xlsx", "/dev/zero", "thiết bị"),
    ("ngau-nhien.csv", "/dev/urandom", "thiết bị"),
    ("ong.csv", None, "ống FIFO"),
])
def test_not_a_regular_file_refused_unread(tracker: Path, tmp_path: Path, name: str, target: str | None,
                                           kind: str) -> None:
    """Before: /dev/zero and /dev/urandom read until MemoryError (24 GB uncapped), a FIFO hung forever."""
    import os

    if target is None:
        os.mkfifo(tmp_path / name)
    elif not Path(target).exists():
        pytest.skip(f"{target} không có trên máy này")
    else:
        (tmp_path / name).symlink_to(target)
    result = import_cli(name, tracker=tracker)
    assert (result.exit_code, result.stdout, result.stderr) == (
        2, "", f"Lỗi: {name}: không phải tệp thường ({kind}); hãy gửi lại đúng tệp biểu mẫu\n")


def test_file_over_the_size_cap_refused_unread(tracker: Path, tmp_path: Path) -> None:
    from kehoach.excel.form_reader import MAX_FILE_BYTES

    with open(tmp_path / "to.xlsx", "wb") as handle:
        handle.truncate(MAX_FILE_BYTES + 1)  # sparse: no disk used
    result = import_cli("to.xlsx", tracker=tracker)
    assert (result.exit_code, result.stderr) == (2, "Lỗi: to.xlsx: tệp lớn hơn 20 MiB, không phải biểu mẫu\n")


def test_done_date_far_before_the_period_is_a_warning_in_the_preview(tracker: Path, form: Path,
                                                                      tmp_path: Path) -> None:
    edits = {**MESSY, ("3", "2026"): {"status": "Hoàn thành", "done_on": dt.datetime(2025, 3, 1)}}
    before = file_snapshot(tracker)
    result = import_cli(returned(tmp_path, form, edits), "--dry-run", tracker=tracker)
    assert result.exit_code == 0, result.stderr
    assert result.stderr.splitlines()[0] == (
        f"{RETURNED}!Biểu mẫu!H13: Cảnh báo: ngày hoàn thành 01/03/2025 sớm hơn nhiều so với kỳ 2026 (số "
        "liệu kỳ này tính từ 15/12/2025); hãy kiểm tra lại năm")
    assert "01/03/2025" in result.stdout
    assert file_snapshot(tracker) == before
    # Near the period's start is no warning: work done in the autumn before is usual.
    edits[("3", "2026")]["done_on"] = dt.datetime(2025, 10, 1)
    quiet = import_cli(returned(tmp_path, form, edits), "--dry-run", tracker=tracker)
    assert "Cảnh báo" not in quiet.stderr


def test_form_is_checked_against_its_own_units_file_only(tracker: Path, form: Path, tmp_path: Path) -> None:
    """The period's 185 forms in one run: each form reads its unit's file, not the whole history, so a
    damaged file of another unit neither slows nor stops it (`validate` still reports that file)."""
    other = tracker / "data/status/2025/so-noi-vu.yaml"
    other.parent.mkdir(parents=True, exist_ok=True)
    other.write_text("records: [\n", encoding="utf-8")
    git(tracker, "add", "data/status/2025/so-noi-vu.yaml")
    git(tracker, "commit", "-q", "-m", "tệp hỏng của đơn vị khác")
    count = commits(tracker)
    result = import_cli(returned(tmp_path, form, MESSY), tracker=tracker)
    assert result.exit_code == 0, result.stderr
    assert (tracker / STATUS_FILE).read_text(encoding="utf-8") == EXPECTED_YAML
    assert commits(tracker) == count + 1
    assert run_cli("validate", "--data", str(tracker)).exit_code != 0
