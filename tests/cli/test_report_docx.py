"""`kehoach report -o bao-cao.docx`: the report to the Chairman read back with python-docx: the form of
Nghị định 30/2020, the numbers of `report --format json`, the previous period, the template of the
office, the same bytes twice, and the PDF LibreOffice prints."""

from __future__ import annotations

import json
from pathlib import Path

import docx
import pytest

from support.cli import run_cli
from support.report_sample import AS_OF
from support.word import (
    alignment,
    body_text,
    body_texts,
    cell_lines,
    cell_texts,
    mm,
    needs_soffice,
    open_docx,
    paragraph_with,
    pdf_page_text,
    run_style,
    vn_count,
    vn_percent,
)


def word_report(tracker: Path, out: Path, *args: str, as_of: str = AS_OF) -> Path:
    result = run_cli("report", "--as-of", as_of, "--data", str(tracker), "-o", str(out), *args)
    assert result.exit_code == 0, result.stderr
    assert out.exists()
    return out


def json_report(tracker: Path, *args: str, as_of: str = AS_OF) -> dict:
    result = run_cli("report", "--as-of", as_of, "--data", str(tracker), "--format", "json", *args)
    assert result.exit_code == 0, result.stderr
    return json.loads(result.stdout)


def count_cells(row: dict) -> list[str]:
    """A count row as every table of the document prints it, from the JSON keys."""
    return [vn_count(row["slots"]), vn_count(row["hoan-thanh-dung-han"]), vn_count(row["hoan-thanh-qua-han"]),
            vn_count(row["dang-thuc-hien-trong-han"]), vn_count(row["chua-thuc-hien-trong-han"]),
            vn_count(row["overdue"]), vn_count(row["khong-ap-dung"]), vn_percent(row["completion_rate"])]


def test_the_page_and_the_fonts_are_those_of_nd30(recorded: Path, tmp_path: Path) -> None:
    document = open_docx(word_report(recorded, tmp_path / "bao-cao.docx", "--period", "2026"))
    first = document.sections[0]
    assert (mm(first.page_width), mm(first.page_height)) == (210.0, 297.0)
    assert (mm(first.top_margin), mm(first.bottom_margin), mm(first.left_margin), mm(first.right_margin)) == (
        20.0, 20.0, 30.0, 15.0)
    normal = document.styles["Normal"]
    assert normal.font.name == "Times New Roman" and normal.font.size.pt == 14
    assert normal.paragraph_format.alignment == docx.enum.text.WD_ALIGN_PARAGRAPH.JUSTIFY
    assert normal.paragraph_format.first_line_indent.cm == pytest.approx(1.27, abs=0.01)
    assert normal.paragraph_format.space_after.pt >= 6
    appendix = document.sections[-1]
    assert len(document.sections) == 2
    assert appendix.orientation == docx.enum.section.WD_ORIENT.LANDSCAPE
    assert (mm(appendix.page_width), mm(appendix.page_height)) == (297.0, 210.0)


def test_the_header_table_holds_agency_nation_number_and_date(recorded: Path, tmp_path: Path) -> None:
    out = word_report(recorded, tmp_path / "bao-cao.docx", "--period", "2026-H1", "--date", "5/2/2026",
                      as_of="2026-07-05")
    header = open_docx(out).tables[0]
    agency, nation = header.rows[0].cells
    assert cell_lines(agency)[:2] == ["UBND TỈNH THANH HÓA", "SỞ TƯ PHÁP"]
    assert cell_lines(nation)[:2] == ["CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM", "Độc lập - Tự do - Hạnh phúc"]
    assert run_style(paragraph_with(agency, "UBND TỈNH THANH HÓA")) == (False, False, 13)
    assert run_style(paragraph_with(agency, "SỞ TƯ PHÁP")) == (True, False, 13)
    assert run_style(paragraph_with(nation, "CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM")) == (True, False, 12)
    assert run_style(paragraph_with(nation, "Độc lập - Tự do - Hạnh phúc")) == (True, False, 13)
    # A rule under the agency and under the motto: a bordered paragraph right after each.
    for cell in (agency, nation):
        assert cell.paragraphs[2]._p.pPr.find(docx.oxml.ns.qn("w:pBdr")) is not None
    number, place = header.rows[1].cells
    assert cell_lines(number) == ["Số:      /BC-STP"]
    assert cell_lines(place) == ["Thanh Hóa, ngày 05 tháng 02 năm 2026"]  # --date, not --as-of
    assert run_style(place.paragraphs[0]) == (False, True, 14)
    assert all(not cell._tc.xpath(".//w:tcBorders") for row in header.rows for cell in row.cells)
    assert header.style is None or header.style.name != "Table Grid"


def test_the_date_line_is_the_as_of_date_by_default(recorded: Path, tmp_path: Path) -> None:
    header = open_docx(word_report(recorded, tmp_path / "b.docx", "--period", "2026-H1", as_of="2026-07-01")).tables[0]
    assert header.rows[1].cells[1].text == "Thanh Hóa, ngày 01 tháng 7 năm 2026"


def test_title_and_subject_are_bold_and_centred(recorded: Path, tmp_path: Path) -> None:
    document = open_docx(word_report(recorded, tmp_path / "b.docx", "--period", "2026-H1", as_of="2026-07-05"))
    title = paragraph_with(document, "BÁO CÁO")
    assert run_style(title)[0] and alignment(title) == docx.enum.text.WD_ALIGN_PARAGRAPH.CENTER
    subject = next(p for p in document.paragraphs if p.text.startswith("Tình hình, kết quả thực hiện Kế hoạch"))
    assert subject.text.endswith(" 6 tháng đầu năm 2026") and run_style(subject)[0]
    texts = body_texts(document)
    for heading in ("I. TÌNH HÌNH TRIỂN KHAI THỰC HIỆN", "II. KẾT QUẢ THỰC HIỆN",
                    "III. TỒN TẠI, HẠN CHẾ VÀ NGUYÊN NHÂN", "IV. NHIỆM VỤ TRỌNG TÂM KỲ TỚI VÀ ĐỀ XUẤT, KIẾN NGHỊ",
                    "PHỤ LỤC"):
        assert heading in texts
        assert run_style(paragraph_with(document, heading))[0]


def test_page_numbers_are_a_page_field_in_the_header_but_not_on_page_one(recorded: Path, tmp_path: Path) -> None:
    document = open_docx(word_report(recorded, tmp_path / "b.docx", "--period", "2026"))
    first = document.sections[0]
    assert first.different_first_page_header_footer
    assert "PAGE" in "".join(first.header._element.xpath(".//w:instrText/text()"))
    assert first.header.paragraphs[0].alignment == docx.enum.text.WD_ALIGN_PARAGRAPH.CENTER
    assert not first.first_page_header.is_linked_to_previous
    assert first.first_page_header._element.xpath(".//w:instrText") == []
    appendix = document.sections[1]
    assert not appendix.different_first_page_header_footer and appendix.header.is_linked_to_previous


def test_numbers_in_sentences_and_tables_equal_report_json(recorded: Path, tmp_path: Path) -> None:
    data = json_report(recorded, "--period", "2026")
    document = open_docx(word_report(recorded, tmp_path / "b.docx", "--period", "2026"))
    text = body_text(document)
    totals = data["totals"]
    assert (f"đã hoàn thành {vn_count(totals['done'])}/{vn_count(totals['applicable'])} lượt nhiệm vụ "
            f"({vn_percent(totals['completion_rate'])}), trong đó hoàn thành đúng hạn "
            f"{vn_count(totals['hoan-thanh-dung-han'])} lượt") in text
    assert f"với tổng số {vn_count(totals['slots'])} lượt nhiệm vụ" in text
    units, tasks = vn_count(len(data["by_unit"])), len(data["by_task"])
    assert f"có {units} cơ quan, đơn vị được giao thực hiện {tasks} nhiệm vụ" in text
    if totals["khong-ap-dung"]:
        assert f"; {totals['khong-ap-dung']} lượt không áp dụng" in text
    tables = document.tables  # the header, by task, by group, the signature, then the appendix by unit
    by_task, by_group, by_unit = (cell_texts(tables[i]) for i in (1, 2, 4))
    assert [row[2:] for row in by_task[1:]] == [count_cells(r) for r in data["by_task"]] + [count_cells(totals)]
    assert [row[1].split(". ", 1)[0] for row in by_task[1:-1]] == [r["key"] for r in data["by_task"]]
    assert [row[1:] for row in by_group[1:]] == [[r["label"], *count_cells(r)] for r in data["by_group"]] + [
        ["Tổng cộng", *count_cells(totals)]]
    assert [row[1:-1] for row in by_unit[1:]] == [[r["label"], *count_cells(r)] for r in data["by_unit"]] + [
        ["Tổng cộng", *count_cells(totals)]]
    assert totals["slots"] > 1000 and vn_count(totals["slots"]).count(".") == 1  # 2.287, not 2287


def test_section_three_names_the_units_overdue_longest_first(recorded: Path, tmp_path: Path) -> None:
    data = json_report(recorded, "--period", "2026-H1", as_of="2026-07-05")
    document = open_docx(word_report(recorded, tmp_path / "b.docx", "--period", "2026-H1", as_of="2026-07-05"))
    texts = body_texts(document)
    start = texts.index("III. TỒN TẠI, HẠN CHẾ VÀ NGUYÊN NHÂN")
    units = list(dict.fromkeys(row["unit_name"] for row in data["overdue"]))
    assert texts[start + 1] == (f"Còn {vn_count(len(data['overdue']))} lượt nhiệm vụ quá hạn của "
                                f"{vn_count(len(units))} cơ quan, đơn vị (quá hạn lâu nhất trước):")
    listed = [t for t in texts[start + 2:] if t.startswith("- ") and "lượt quá hạn" in t]
    assert [t[2:].split(":")[0] for t in listed] == units[:30]
    longest = data["overdue"][0]
    assert f"lâu nhất {longest['days_late']} ngày" in listed[0]
    assert "nhiệm vụ 17" not in next(t for t in listed if t.startswith("- Sở Tư pháp:"))  # done on 10/6/2026


def test_comparison_with_the_previous_period_in_percentage_points(recorded: Path, tmp_path: Path) -> None:
    trend = json_report(recorded, "--period", "2026-H2", as_of="2026-12-20")["trend"]
    now, before = trend["points"][-1]["completion_rate"], trend["previous"][-1]["completion_rate"]
    assert trend["previous_period"] == "2026-H1" and now is not None and before is not None and now != before
    day = trend["previous"][-1]["day"]
    shown = f"{day[8:10]}/{day[5:7]}/{day[:4]}"
    text = body_text(open_docx(word_report(recorded, tmp_path / "b.docx", "--period", "2026-H2",
                                           as_of="2026-12-20")))
    difference = f"{abs(round(now - before, 1)):.1f}".replace(".", ",")
    word = "tăng" if now > before else "giảm"
    assert (f"So với 6 tháng đầu năm 2026 (tính đến ngày {shown}, cùng thời điểm của kỳ), tỷ lệ hoàn thành "
            f"{word} {difference} điểm phần trăm ({vn_percent(before)} kỳ trước, {vn_percent(now)} kỳ này).") in text


def test_no_previous_period_before_tracking_began(recorded: Path, tmp_path: Path) -> None:
    text = body_text(open_docx(word_report(recorded, tmp_path / "b.docx", "--period", "2026-H1",
                                           as_of="2026-07-05")))
    assert "Chưa có số liệu của kỳ trước để so sánh." in text  # 2025-H2 was due before tracking began
    assert "So với" not in text


def test_a_group_report_names_the_group_in_its_subject(recorded: Path, tmp_path: Path) -> None:
    document = open_docx(word_report(recorded, tmp_path / "b.docx", "--period", "2026", "--group", "cac-so"))
    subject = next(p.text for p in document.paragraphs if p.text.startswith("Tình hình, kết quả thực hiện"))
    assert subject.endswith(" năm 2026 (Các sở)")
    data = json_report(recorded, "--period", "2026", "--group", "cac-so")
    assert len(cell_texts(document.tables[-1])) == len(data["by_unit"]) + 2  # heading and total rows


def test_signature_and_recipients(recorded: Path, tmp_path: Path) -> None:
    document = open_docx(word_report(recorded, tmp_path / "b.docx", "--period", "2026"))
    signature = document.tables[3]
    recipients, signer = signature.rows[0].cells
    lines = cell_lines(recipients)
    assert lines[0] == "Nơi nhận:" and run_style(recipients.paragraphs[0]) == (True, True, 12)
    assert lines[1:] == ["- Chủ tịch UBND tỉnh (để báo cáo);", "- Văn phòng UBND tỉnh;", "- Sở Nội vụ;",
                         "- Giám đốc Sở (để báo cáo);", "- Lưu: VT, VP."]
    assert {run_style(p)[2] for p in recipients.paragraphs[1:]} == {11}
    shown = [line for line in cell_lines(signer) if line]
    assert shown == ["KT. GIÁM ĐỐC", "PHÓ GIÁM ĐỐC", "Nguyễn Văn A"]
    assert all(run_style(p)[0] for p in signer.paragraphs if p.text)
    assert "kính báo cáo Chủ tịch UBND tỉnh xem xét, chỉ đạo./." in body_text(document)


def test_the_same_data_and_dates_give_the_same_bytes(recorded: Path, tmp_path: Path) -> None:
    first = word_report(recorded, tmp_path / "a.docx", "--period", "2026", "--date", "2026-12-22")
    second = word_report(recorded, tmp_path / "b.docx", "--period", "2026", "--date", "2026-12-22")
    assert first.read_bytes() == second.read_bytes()
    third = word_report(recorded, tmp_path / "c.docx", "--period", "2026", "--date", "2026-12-23")
    assert third.read_bytes() != first.read_bytes()


def test_format_docx_without_o_goes_into_reports(recorded: Path) -> None:
    result = run_cli("report", "--as-of", AS_OF, "--data", str(recorded), "--period", "2026", "--format", "docx")
    assert result.exit_code == 0, result.stderr
    made = sorted((recorded / "reports").glob("*.docx"))
    assert [p.name for p in made] == ["ct13-thanh-hoa_toan-tinh_2026_2026-12-20.docx"]


def test_a_template_of_the_office_replaces_the_letterhead(recorded: Path, tmp_path: Path) -> None:
    template = docx.Document()
    for line in ("{{ co_quan_chu_quan }}", "VĂN PHÒNG MẪU RIÊNG — {{ co_quan }}", "{{ so }}", "{{ dia_danh_ngay }}",
                 "{{ trich_yeu }}", "{% for d in doan %}{% if d.loai == 'heading' %}{{ d.noi_dung }}; {% endif %}"
                 "{% endfor %}", "{{ bang.by_unit.dong|length }} dòng", "{{ nguoi_ky.ho_ten }}"):
        template.add_paragraph(line)
    (recorded / "data" / "templates").mkdir()
    template.save(str(recorded / "data" / "templates" / "bao-cao.docx"))
    data = json_report(recorded, "--period", "2026")
    texts = body_texts(open_docx(word_report(recorded, tmp_path / "b.docx", "--period", "2026")))
    assert texts[:5] == ["UBND TỈNH THANH HÓA", "VĂN PHÒNG MẪU RIÊNG — SỞ TƯ PHÁP", "Số:      /BC-STP",
                         "Thanh Hóa, ngày 20 tháng 12 năm 2026",
                         "Tình hình, kết quả thực hiện Kế hoạch của Chủ tịch UBND tỉnh Thanh Hóa về triển khai thực "
                         "hiện Chỉ thị số 13/CT-TTg ngày 10/6/2015 của Thủ tướng Chính phủ về việc tăng cường trách "
                         "nhiệm của người đứng đầu cơ quan hành chính nhà nước các cấp trong công tác cải cách thủ tục "
                         "hành chính năm 2026"]
    assert texts[5].startswith("I. TÌNH HÌNH TRIỂN KHAI THỰC HIỆN; II. KẾT QUẢ THỰC HIỆN; ")
    assert texts[6:] == [f"{len(data['by_unit']) + 1} dòng", "Nguyễn Văn A"]
    again = word_report(recorded, tmp_path / "c.docx", "--period", "2026")
    assert again.read_bytes() == (tmp_path / "b.docx").read_bytes()


def refused_word_report(tracker: Path, out: Path) -> str:
    """The error of a Word report that cannot be made; no file is written."""
    result = run_cli("report", "--as-of", AS_OF, "--data", str(tracker), "-o", str(out))
    assert result.exit_code == 2
    assert not out.exists()
    return result.stderr


def test_a_template_with_an_unknown_placeholder_is_refused(recorded: Path, tmp_path: Path) -> None:
    template = docx.Document()
    template.add_paragraph("{{ ten_la }}")
    (recorded / "data" / "templates").mkdir()
    template.save(str(recorded / "data" / "templates" / "bao-cao.docx"))
    said = refused_word_report(recorded, tmp_path / "b.docx")
    assert "templates/bao-cao.docx" in said and "«ten_la»" in said and "co_quan_chu_quan" in said


def test_without_office_yaml_the_word_report_says_what_is_missing(recorded: Path, tmp_path: Path) -> None:
    (recorded / "data" / "office.yaml").unlink()
    said = refused_word_report(recorded, tmp_path / "b.docx")
    assert "office.yaml" in said and "người ký" in said and "kehoach init" in said


def test_date_and_pdf_are_for_word_only(recorded: Path, tmp_path: Path) -> None:
    for extra in (("--date", "2026-12-22"), ("--pdf",)):
        out = tmp_path / "b.xlsx"
        result = run_cli("report", "--as-of", AS_OF, "--data", str(recorded), "-o", str(out), *extra)
        assert result.exit_code == 2 and "chỉ dùng cho báo cáo Word" in result.stderr
        assert not out.exists()


def test_a_bad_date_line_is_refused(recorded: Path, tmp_path: Path) -> None:
    result = run_cli("report", "--as-of", AS_OF, "--data", str(recorded), "-o", str(tmp_path / "b.docx"),
                     "--date", "32/1/2026")
    assert result.exit_code == 2 and "--date" in result.stderr


@needs_soffice
def test_pdf_has_no_page_number_on_page_one_and_2_on_page_two(recorded: Path, tmp_path: Path) -> None:
    out = tmp_path / "bao-cao.docx"
    result = run_cli("report", "--as-of", AS_OF, "--data", str(recorded), "--period", "2026", "-o", str(out), "--pdf")
    assert result.exit_code == 0, result.stderr
    pdf = out.with_suffix(".pdf")
    assert pdf.exists() and "bao-cao.pdf" in result.stderr
    first, second = pdf_page_text(pdf, 1), pdf_page_text(pdf, 2)
    assert first.split()[:3] == ["UBND", "TỈNH", "THANH"]  # the letterhead first: no number above it
    assert second.split()[0] == "2"


def test_pdf_without_libreoffice_is_refused_before_anything_is_written(recorded: Path, tmp_path: Path,
                                                                        monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("PATH", str(tmp_path / "khong-co-gi"))
    out = tmp_path / "bao-cao.docx"
    result = run_cli("report", "--as-of", AS_OF, "--data", str(recorded), "-o", str(out), "--pdf")
    assert result.exit_code == 2
    assert "không tìm thấy LibreOffice (lệnh soffice)" in result.stderr and "bỏ --pdf" in result.stderr
    assert not out.exists()


def test_each_unit_in_word(recorded: Path, tmp_path: Path) -> None:
    out = tmp_path / "tung-don-vi"
    result = run_cli("report", "--as-of", AS_OF, "--data", str(recorded), "--group", "cac-so", "--each-unit",
                     "--format", "docx", "-o", str(out))
    assert result.exit_code == 0, result.stderr
    made = sorted(out.glob("*.docx"))
    stp = next(p for p in made if "_so-tu-phap_" in p.name)
    data = json_report(recorded, "--unit", "STP")
    by_unit = cell_texts(open_docx(stp).tables[-1])
    assert by_unit[1][1:-1] == [data["by_unit"][0]["label"], *count_cells(data["by_unit"][0])]
    assert len(made) == len(json_report(recorded, "--group", "cac-so")["by_unit"])


def test_from_json_does_not_make_a_word_report(recorded: Path, tmp_path: Path) -> None:
    made = tmp_path / "thanh-hoa.json"
    assert run_cli("report", "--as-of", AS_OF, "--data", str(recorded), "-o", str(made)).exit_code == 0
    result = run_cli("report", "--from-json", str(made), "-o", str(tmp_path / "b.docx"))
    assert result.exit_code == 2 and "--from-json chưa ghi ra Word" in result.stderr
    assert not (tmp_path / "b.docx").exists()
