"""Reading returned forms without the CLI: refusing bad files up front, reading cells people typed."""

from __future__ import annotations

import csv
import datetime as dt
import io
import zipfile
from pathlib import Path

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from kehoach.commands.import_forms import sheet_hint
from kehoach.commands.record import option_hint
from kehoach.domain.model import Status
from kehoach.domain.rules import status_violations
from kehoach.domain.text import forbidden_character
from kehoach.errors import InputError
from kehoach.excel.form_reader import (
    Cell,
    UnreadableFileError,
    cell_date,
    cell_text,
    check_zip,
    read_form,
)


def _zip(entries: dict[str, bytes]) -> bytes:
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", zipfile.ZIP_DEFLATED) as archive:
        for name, data in entries.items():
            archive.writestr(name, data)
    return buffer.getvalue()


def test_zip_packed_too_tightly_refused() -> None:
    data = _zip({"xl/workbook.xml": b"<w/>", "xl/a.xml": b"\0" * (3 * 1024 * 1024)})
    with pytest.raises(UnreadableFileError, match=r"^f.xlsx: tệp nén bất thường \(2 mục, 3,145,732 byte"):
        check_zip("f.xlsx", data)


def test_zip_with_too_many_entries_refused() -> None:
    data = _zip({"xl/workbook.xml": b"<w/>", **{f"xl/{n}.xml": b"x" for n in range(600)}})
    with pytest.raises(UnreadableFileError, match=r"tệp nén bất thường \(601 mục"):
        check_zip("f.xlsx", data)


def test_ods_and_plain_zip_refused() -> None:
    ods = _zip({"mimetype": b"application/vnd.oasis.opendocument.spreadsheet", "content.xml": b"<x/>"})
    with pytest.raises(UnreadableFileError) as caught:
        check_zip("f.ods", ods)
    assert str(caught.value) == ("f.ods: định dạng OpenDocument (.ods) không được hỗ trợ; "
                                 "hãy lưu lại thành .xlsx")
    with pytest.raises(UnreadableFileError) as caught:
        check_zip("f.xlsx", _zip({"readme.txt": b"hello"}))
    assert str(caught.value) == "f.xlsx: không phải tệp Excel .xlsx (thiếu xl/workbook.xml)"


def test_normal_form_sized_zip_passes() -> None:
    check_zip("f.xlsx", _zip({"xl/workbook.xml": b"<w/>", "xl/worksheets/sheet1.xml": b"<row/>" * 10_000}))


def test_xls_by_extension_or_content(tmp_path: Path) -> None:
    (tmp_path / "a.xls").write_bytes(b"not really anything")
    with pytest.raises(UnreadableFileError, match=r"\.xls cũ không được hỗ trợ; hãy lưu lại thành \.xlsx$"):
        read_form(tmp_path / "a.xls")


def test_csv_without_form_columns(tmp_path: Path) -> None:
    (tmp_path / "a.csv").write_text("x,y\n1,2\n", encoding="utf-8")
    form = read_form(tmp_path / "a.csv")
    assert form.missing == ["Mã NV", "Mã đơn vị", "Kỳ", "Trạng thái", "Ngày hoàn thành",
                            "Căn cứ (số, ngày văn bản; đường dẫn)", "Ghi chú"]


def _windows_vietnamese(text: str) -> bytes:
    """cp1258 as Windows writes it: vowels with their shape marks precomposed, tone marks combining."""
    import unicodedata

    out = b""
    for char in text:
        try:
            out += char.encode("cp1258")
        except UnicodeEncodeError:
            base, *marks = unicodedata.normalize("NFD", char)
            shaped = unicodedata.normalize("NFC", base + marks[0]) if len(marks) > 1 else base
            rest = marks[1:] if len(marks) > 1 else marks
            try:
                out += shaped.encode("cp1258") + "".join(rest).encode("cp1258")
            except UnicodeEncodeError:
                out += base.encode("cp1258") + "".join(marks).encode("cp1258")
    return out


def test_csv_in_windows_code_page(tmp_path: Path) -> None:
    text = ("Mã NV;Mã đơn vị;Kỳ;Trạng thái (điền);Ngày hoàn thành (điền);"
            "\"Căn cứ (số, ngày văn bản; đường dẫn) (điền)\";Ghi chú (điền)\r\n"
            "1;so-tu-phap;2026;Hoàn thành;10/06/2026;;\r\n")
    (tmp_path / "a.csv").write_bytes(_windows_vietnamese(text))
    form = read_form(tmp_path / "a.csv")
    assert form.missing == []
    assert {k: c.value for k, c in form.rows[0].cells.items()} == {
        "task": "1", "unit": "so-tu-phap", "period": "2026", "status": "Hoàn thành", "done_on": "10/06/2026",
        "evidence": "", "note": ""}
    assert form.rows[0].cells["status"].ref == "D2"


@pytest.mark.parametrize(("value", "expected"), [
    (dt.datetime(2026, 6, 10, 14, 30), dt.date(2026, 6, 10)),
    (dt.date(2026, 6, 10), dt.date(2026, 6, 10)),
    (46183, dt.date(2026, 6, 10)),
    (46183.0, dt.date(2026, 6, 10)),
    ("10/6/2026", dt.date(2026, 6, 10)),
    (" 2026-06-10 ", dt.date(2026, 6, 10)),
    ("", None),
    (None, None),
])
def test_cell_date_accepts_what_people_type(value: object, expected: dt.date | None) -> None:
    assert cell_date(Cell("H11", value)) == expected


def test_cell_date_rejects_nonsense() -> None:
    with pytest.raises(InputError) as caught:
        cell_date(Cell("H11", "mười tháng sáu"))
    assert str(caught.value) == ("ngày hoàn thành 'mười tháng sáu' không đọc được; viết ngày trước, tháng sau, "
                                 "năm cuối: 10/6/2026, 10-6-2026, 10.6.2026, 10/06/26 hoặc 2026-06-10")


def test_cell_text() -> None:
    assert cell_text(125.0) == "125"
    assert cell_text(12.5) == "12.5"
    assert cell_text("  ") is None
    assert cell_text(dt.datetime(2026, 1, 2)) == "02/01/2026"


def test_each_input_words_the_same_rule_its_own_way() -> None:
    [missing] = status_violations(Status.HOAN_THANH, None, None, None)
    assert (missing.field, missing.message) == ("done_on", "trạng thái hoàn thành cần ngày hoàn thành")
    assert option_hint(missing) == "trạng thái hoàn thành cần ngày hoàn thành: thêm --done-on NGÀY"
    assert sheet_hint(missing) == "trạng thái hoàn thành cần ngày hoàn thành: điền cột «Ngày hoàn thành»"


# --- any cell a unit may type: a clean preview or Vietnamese problems, never another exception -----------

_CELL_TEXT = st.text(st.characters(blacklist_categories=("Cs",)), max_size=40)
_CELL_VALUES = st.one_of(
    st.none(), _CELL_TEXT, st.sampled_from(["Hoàn thành", "hoan thanh", "Đang thực hiện", "Không áp dụng",
                                            "10/6/2026", "2026-02-30", "=1+1", "  ", "HT"]),
    st.integers(-10**6, 10**7), st.floats(allow_nan=True, allow_infinity=True), st.booleans(),
    st.datetimes(min_value=dt.datetime(1900, 3, 1), max_value=dt.datetime(2100, 1, 1)),
    st.dates(min_value=dt.date(1900, 3, 1), max_value=dt.date(2100, 1, 1)))
_FILLS = st.dictionaries(st.sampled_from(["status", "done_on", "evidence", "note", "task", "period"]),
                         _CELL_VALUES, max_size=4)


def _assert_clean_outcome(tracker_dir: Path, path: Path) -> None:
    from kehoach.commands.import_forms import check_form, preview_table
    from kehoach.store.layout import display_path
    from kehoach.store.tracker import open_tracker

    try:
        form_file = read_form(path)
    except UnreadableFileError as exc:
        assert str(exc).startswith(display_path(path) + ": ")
        return
    result = check_form(open_tracker(tracker_dir / "data"), form_file, dt.date(2026, 6, 20), "Người Thử")
    for line in result.problems + result.warnings:
        assert line.startswith(form_file.shown), line
        assert "<" not in line and "object at 0x" not in line, line
        assert forbidden_character(line, one_line=True) is None, line
    if result.ok:
        preview_table(result)


@settings(max_examples=25, deadline=None)
@given(rows=st.dictionaries(st.integers(0, 22), _FILLS, max_size=5))
def test_any_typed_cells_in_a_real_form_give_a_preview_or_problems(
        tracker: Path, form: Path, tmp_path_factory: pytest.TempPathFactory,
        rows: dict[int, dict[str, object]]) -> None:
    from openpyxl import load_workbook
    from openpyxl.utils.exceptions import IllegalCharacterError

    from kehoach.excel.form_writer import COLUMN_INDEX
    from support.forms import SHEET, table_rows

    workbook = load_workbook(form)
    sheet = workbook[SHEET]
    lines = table_rows(sheet)
    for index, values in rows.items():
        for key, value in values.items():
            cell = sheet.cell(lines[index], COLUMN_INDEX[key])
            try:
                cell.value = value
            except (IllegalCharacterError, ValueError, TypeError):
                pass  # openpyxl itself refuses these (control characters): Excel would not save them either
    path = tmp_path_factory.mktemp("dien") / "tra-lai.xlsx"
    workbook.save(path)
    _assert_clean_outcome(tracker, path)


@settings(max_examples=25, deadline=None)
@given(cells=st.lists(st.lists(_CELL_TEXT, min_size=0, max_size=9), max_size=6))
def test_any_csv_rows_give_a_preview_or_problems(tracker: Path, tmp_path_factory: pytest.TempPathFactory,
                                                  cells: list[list[str]]) -> None:
    header = ["Mã NV", "Mã đơn vị", "Kỳ", "Trạng thái", "Ngày hoàn thành", "Căn cứ", "Ghi chú"]
    out = io.StringIO()
    writer = csv.writer(out)
    writer.writerow(header)
    writer.writerow(["1", "so-tu-phap", "2026", "Hoàn thành", "10/6/2026", "", ""])
    writer.writerows(cells)
    path = tmp_path_factory.mktemp("csv") / "tra-lai.csv"
    path.write_text(out.getvalue(), encoding="utf-8")
    _assert_clean_outcome(tracker, path)
