"""Documents in the shape of real provincial plans: header block, "Căn cứ …", Roman sections, and task
tables in the other column layouts, with merged cells, repeated header rows, group rows and sub-numbering."""

from __future__ import annotations

import datetime as dt
import time
from pathlib import Path

import docx
import pdfplumber

from kehoach.commands.plan_import import read_plan_file, shipped_definitions
from kehoach.documents.opening import open_document
from kehoach.documents.plan_document import read_plan_document
from support.plan_documents import add_footnotes, add_table, footnote_mark, header_block, save, seed_docx, to_pdf

TODAY = dt.date(2026, 3, 1)
HEADER = ["STT", "Nội dung công việc", "Cơ quan chủ trì", "Cơ quan phối hợp", "Thời gian hoàn thành", "Sản phẩm",
          "Ghi chú"]


def provincial_plan(path: Path, rows: list[list[str]], group_rows: tuple[int, ...] = (),
                    header_rows: tuple[int, ...] = (0,)) -> Path:
    document = docx.Document()
    header_block(document, ["UBND TỈNH THANH HÓA", "SỞ TƯ PHÁP"], "24/KH-STP", "Thanh Hóa, ngày 20 tháng 01 năm 2026")
    document.add_paragraph("KẾ HOẠCH")
    document.add_paragraph("Triển khai công tác kiểm soát thủ tục hành chính năm 2026")
    document.add_paragraph("Căn cứ Nghị định số 63/2010/NĐ-CP ngày 08/6/2010 của Chính phủ về kiểm soát thủ tục "
                           "hành chính;")
    document.add_paragraph("Sở Tư pháp ban hành Kế hoạch triển khai như sau:")
    document.add_paragraph("I. MỤC ĐÍCH, YÊU CẦU")
    document.add_paragraph("1. Mục đích")
    document.add_paragraph("- Nâng cao chất lượng kiểm soát thủ tục hành chính.")
    document.add_paragraph("2. Yêu cầu")
    document.add_paragraph("- Bám sát nhiệm vụ được giao.")
    document.add_paragraph("II. NHIỆM VỤ CỤ THỂ")
    add_table(document, rows, group_rows, header_rows)
    return save(document, path)


def test_lead_and_partner_columns_group_rows_merges_repeated_headers_and_sub_numbers(tmp_path: Path) -> None:
    rows = [
        HEADER,
        ["(1)", "(2)", "(3)", "(4)", "(5)", "(6)", "(7)"],
        ["I. CÔNG TÁC CHỈ ĐẠO", "", "", "", "", "", ""],
        ["1", "Ban hành kế hoạch kiểm soát thủ tục hành chính", "Sở Tư pháp", "Văn phòng UBND tỉnh",
         "Quý I/2026", "Kế hoạch", ""],
        ["2", "Tập huấn nghiệp vụ", "Sở Nội vụ", "Các sở", "Hằng quý", "", "Theo hướng dẫn của Bộ"],
        ["", "", "", "", "", "", ""],
        ["II. CÔNG TÁC KIỂM TRA", "", "", "", "", "", ""],
        HEADER,
        ["1", "Kiểm tra việc công khai thủ tục", "", "", "", "", ""],
        ["1.1", "Kiểm tra tại các sở", "Sở Tư pháp", "Sở Nội vụ", "Trước ngày 30/6/2026", "Báo cáo", ""],
        ["a)", "Kiểm tra tại cấp xã", "Sở Tư pháp", "Sở Không Có", "Trước ngày 15/12 hằng năm", "", ""],
        ["2", "Tổng hợp, báo cáo kết quả", "Sở Tư pháp", "", "Sau khi có hướng dẫn", "", ""],
        ["", "của các đơn vị về UBND tỉnh", "", "", "", "", ""],
    ]
    path = provincial_plan(tmp_path / "kh-24.docx", rows, group_rows=(2, 6), header_rows=(0, 7))
    plan = read_plan_document(open_document(path, "kh-24.docx"))
    assert (plan.parent_agency, plan.agency, plan.number, plan.place, plan.issued_on) == (
        "UBND TỈNH THANH HÓA", "SỞ TƯ PHÁP", "24/KH-STP", "Thanh Hóa", dt.date(2026, 1, 20))
    assert plan.title == "KẾ HOẠCH Triển khai công tác kiểm soát thủ tục hành chính năm 2026"
    assert plan.issuer == "Sở Tư pháp"
    assert plan.purposes == ("Nâng cao chất lượng kiểm soát thủ tục hành chính.",)
    assert plan.requirements == ("Bám sát nhiệm vụ được giao.",)
    assert [(b.kind, b.number, b.date) for b in plan.legal_bases] == [
        ("Nghị định", "63/2010/NĐ-CP", dt.date(2010, 6, 8))]
    assert [(t.task_id, t.section, t.content, t.lead, t.partners, t.time, t.product, t.note) for t in plan.tasks] == [
        ("I.1", "I", "Ban hành kế hoạch kiểm soát thủ tục hành chính", "Sở Tư pháp", "Văn phòng UBND tỉnh",
         "Quý I/2026", "Kế hoạch", None),
        ("I.2", "I", "Tập huấn nghiệp vụ", "Sở Nội vụ", "Các sở", "Hằng quý", None, "Theo hướng dẫn của Bộ"),
        ("II.1.1", "II", "Kiểm tra tại các sở", "Sở Tư pháp", "Sở Nội vụ", "Trước ngày 30/6/2026", "Báo cáo", None),
        ("II.1.1.a", "II", "Kiểm tra tại cấp xã", "Sở Tư pháp", "Sở Không Có", "Trước ngày 15/12 hằng năm", None,
         None),
        ("II.2", "II", "Tổng hợp, báo cáo kết quả của các đơn vị về UBND tỉnh", "Sở Tư pháp", None,
         "Sau khi có hướng dẫn", None, None),
    ]
    assert [(s.number, s.title) for s in plan.sections if s.number in ("I", "II")][-2:] == [
        ("I", "CÔNG TÁC CHỈ ĐẠO"), ("II", "CÔNG TÁC KIỂM TRA")]
    assert ("1", "Kiểm tra việc công khai thủ tục") in [(s.number, s.title) for s in plan.sections]

    registry, shipped = shipped_definitions()
    result = read_plan_file(path, None, registry, shipped.report, shipped.cadences, TODAY)
    assert result.name == "kh-24-stp-2026"
    assert [(r.task, r.text) for r in result.unresolved] == [("II.1.1.a", "Sở Không Có")]
    assert [(r.task, r.text, r.reason) for r in result.times] == [
        ("I.1", "Quý I/2026", "hạn một lần (31/03/2026); theo dõi hằng năm với hạn ngày đó"),
        ("II.1.1", "Trước ngày 30/6/2026", "hạn một lần (30/06/2026); theo dõi hằng năm với hạn ngày đó"),
        ("II.2", "Sau khi có hướng dẫn", "không đọc được thời gian; tạm theo dõi hằng năm")]
    assert "- id: I.2\n  section: I\n  content: Tập huấn nghiệp vụ\n  responsibility: 'Chủ trì: Sở Nội vụ; Phối " \
           "hợp: Các sở'\n  time: Hằng quý\n  cadence: hang-quy\n  who:\n  - phrase: Sở Nội vụ\n    role: chu-tri\n" \
           "    refs:\n    - so-noi-vu\n  - phrase: Các sở\n    role: phoi-hop\n    refs:\n    - cac-so\n" \
           "  note: 'Ghi chú: Theo hướng dẫn của Bộ'\n" in result.text
    assert "- id: II.1.1.a\n" in result.text and "  due:\n    Y: 12-15\n" in result.text


def test_a_cell_merged_across_columns_is_read_once(tmp_path: Path) -> None:
    document = docx.Document()
    document.add_paragraph("KẾ HOẠCH")
    document.add_paragraph("TRIỂN KHAI NĂM 2026")
    table = add_table(document, [["STT", "Nhiệm vụ", "Trách nhiệm thực hiện", "Thời gian thực hiện"],
                                 ["1", "Rà soát thủ tục", "Sở Tư pháp", "Hằng năm"]])
    row = table.rows[1]  # type: ignore[attr-defined]
    merged = row.cells[2].merge(row.cells[3])
    merged.text = "Sở Tư pháp, Sở Nội vụ"
    path = save(document, tmp_path / "merged.docx")
    [task] = read_plan_document(open_document(path, "merged.docx")).tasks
    assert (task.responsibility, task.time) == ("Sở Tư pháp, Sở Nội vụ", None)


def big_plan(path: Path, count: int) -> Path:
    rows = [["STT", "Nhiệm vụ", "Trách nhiệm thực hiện", "Thời gian thực hiện"]]
    units = ["Sở Tư pháp chủ trì, phối hợp với Sở Nội vụ", "Sở Tài chính", "Giám đốc các sở, Chủ tịch UBND cấp xã"]
    times = ["Hằng năm", "Định kỳ 6 tháng", "Hằng quý", "Trước ngày 15/12 hằng năm"]
    for n in range(1, count + 1):
        rows.append([str(n), f"Nhiệm vụ số {n} của kế hoạch", units[n % 3], times[n % 4]])
    document = docx.Document()
    document.add_paragraph("KẾ HOẠCH")
    document.add_paragraph("THỰC HIỆN NHIỀU NHIỆM VỤ")
    add_table(document, rows)
    return save(document, path)


def test_a_200_row_plan_reads_every_task_within_two_seconds(tmp_path: Path) -> None:
    path = big_plan(tmp_path / "200.docx", 200)
    registry, shipped = shipped_definitions()
    started = time.perf_counter()
    result = read_plan_file(path, None, registry, shipped.report, shipped.cadences, TODAY)
    elapsed = time.perf_counter() - started
    tasks = result.document.tasks
    assert [t.task_id for t in tasks] == [str(n) for n in range(1, 201)]
    assert tasks[199].content == "Nhiệm vụ số 200 của kế hoạch"
    assert (result.phrases, result.resolved, result.unresolved) == (67 * 2 + 67 + 66 * 2, 333, ())
    assert elapsed <= 2.0, f"{elapsed:.2f} s"


def test_a_pdf_printed_from_the_docx_imports(tmp_path: Path) -> None:
    pdf = to_pdf(big_plan(tmp_path / "ke-hoach.docx", 30))
    with pdfplumber.open(pdf) as opened:
        assert len(opened.pages) >= 1
    registry, shipped = shipped_definitions()
    result = read_plan_file(pdf, None, registry, shipped.report, shipped.cadences, TODAY)
    tasks = result.document.tasks
    assert [t.task_id for t in tasks] == [str(n) for n in range(1, 31)]
    assert [(t.content, t.responsibility, t.time) for t in tasks[:2]] == [
        ("Nhiệm vụ số 1 của kế hoạch", "Sở Tài chính", "Định kỳ 6 tháng"),
        ("Nhiệm vụ số 2 của kế hoạch", "Giám đốc các sở, Chủ tịch UBND cấp xã", "Hằng quý")]
    assert result.document.title == "KẾ HOẠCH THỰC HIỆN NHIỀU NHIỆM VỤ"


def test_the_seed_printed_to_pdf_keeps_every_task_across_page_breaks(tmp_path: Path) -> None:
    """LibreOffice repeats the header row on each page and breaks task 1 across pages 1 and 2: the
    import reads the header once and the two halves of the row as one task. A PDF keeps no
    no-break spaces, so texts are compared with their spaces made plain."""
    pdf = to_pdf(seed_docx(tmp_path / "ct13.docx"))
    with pdfplumber.open(pdf) as opened:
        second_page = opened.pages[1].extract_tables()[0]
    assert second_page[0][0] == "STT" and second_page[1][0] == ""  # the repeated header, then task 1 carried on
    registry, shipped = shipped_definitions()
    result = read_plan_file(pdf, None, registry, shipped.report, shipped.cadences, TODAY)
    def plain(text: str | None) -> str:
        return " ".join((text or "").split())

    assert [t.task_id for t in result.document.tasks] == [t.id for t in shipped.tasks]
    for got in result.document.tasks:
        want = shipped.task(got.task_id)
        assert want is not None
        assert (plain(got.content), plain(got.responsibility), plain(got.time)) == (
            plain(want.content), plain(want.responsibility), plain(want.time)), got.task_id
    assert result.document.title == shipped.title
    assert result.document.legal_bases == shipped.legal_bases
    assert (result.phrases, result.resolved) == (75, 75)


def test_a_cell_merged_down_several_rows_and_footnotes(tmp_path: Path) -> None:
    """A "Thời gian" cell merged down three rows holds for each of them; a footnote mark in a cell
    does not enter its text, and the footnotes' texts are kept for the plan's note."""
    document = docx.Document()
    document.add_paragraph("KẾ HOẠCH")
    document.add_paragraph("CẢI CÁCH HÀNH CHÍNH NĂM 2026")
    table = add_table(document, [["STT", "Nhiệm vụ", "Trách nhiệm thực hiện", "Thời gian thực hiện"],
                                 ["1", "Rà soát thủ tục", "Sở Tư pháp", "Hằng quý"],
                                 ["2", "Công khai thủ tục", "Sở Nội vụ", ""],
                                 ["3", "Đối thoại doanh nghiệp", "Sở Tài chính", ""]])
    cells = table.columns[3].cells  # type: ignore[attr-defined]
    cells[1].merge(cells[3])
    footnote_mark(table.rows[2].cells[1].paragraphs[0], 1)  # type: ignore[attr-defined]
    add_footnotes(document, ["Theo Nghị định số 63/2010/NĐ-CP."])
    path = save(document, tmp_path / "gop-doc.docx")
    plan = read_plan_document(open_document(path, "gop-doc.docx"))
    assert [(t.task_id, t.content, t.responsibility, t.time) for t in plan.tasks] == [
        ("1", "Rà soát thủ tục", "Sở Tư pháp", "Hằng quý"),
        ("2", "Công khai thủ tục", "Sở Nội vụ", "Hằng quý"),
        ("3", "Đối thoại doanh nghiệp", "Sở Tài chính", "Hằng quý")]
    assert plan.footnotes == ("Theo Nghị định số 63/2010/NĐ-CP.",)
    registry, shipped = shipped_definitions()
    result = read_plan_file(path, "gop", registry, shipped.report, shipped.cadences, TODAY)
    assert "note: 'Chú thích cuối trang của văn bản: (1) Theo Nghị định số 63/2010/NĐ-CP.'\n" in result.text


def test_the_letterhead_of_a_pdf_side_by_side_and_wrapped(tmp_path: Path) -> None:
    """A PDF puts the letterhead's two columns on one line ("SỞ TƯ PHÁP VIỆT NAM") and wraps the date."""
    rows = [HEADER, ["1", "Ban hành kế hoạch", "Sở Tư pháp", "Văn phòng UBND tỉnh", "Quý I/2026", "Kế hoạch", ""]]
    pdf = to_pdf(provincial_plan(tmp_path / "kh-24.docx", rows))
    plan = read_plan_document(open_document(pdf, "kh-24.pdf"))
    assert (plan.parent_agency, plan.agency, plan.number, plan.place, plan.issued_on, plan.title, plan.issuer) == (
        "UBND TỈNH THANH HÓA", "SỞ TƯ PHÁP", "24/KH-STP", "Thanh Hóa", dt.date(2026, 1, 20),
        "KẾ HOẠCH Triển khai công tác kiểm soát thủ tục hành chính năm 2026", "Sở Tư pháp")
    assert [(t.task_id, t.lead, t.partners, t.time, t.product) for t in plan.tasks] == [
        ("1", "Sở Tư pháp", "Văn phòng UBND tỉnh", "Quý I/2026", "Kế hoạch")]


def test_an_agency_written_on_two_lines_in_copied_text(tmp_path: Path) -> None:
    path = tmp_path / "ubnd.txt"
    path.write_text("ỦY BAN NHÂN DÂN\nTỈNH THANH HÓA\nSố: 24/KH-UBND\nCỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM\n"
                    "Độc lập - Tự do - Hạnh phúc\nThanh Hóa, ngày 20 tháng 8 năm 2015\nKẾ HOẠCH\n"
                    "TRIỂN KHAI CHỈ THỊ SỐ 13/CT-TTG\n\tSTT\n\tNhiệm vụ\n\tTrách nhiệm thực hiện\n\n\t1\n\tRà soát\n"
                    "\tSở Tư pháp\n", encoding="utf-8")
    plan = read_plan_document(open_document(path, "ubnd.txt"))
    assert (plan.parent_agency, plan.agency, plan.number, plan.place, plan.issued_on, plan.issuer) == (
        None, "ỦY BAN NHÂN DÂN TỈNH THANH HÓA", "24/KH-UBND", "Thanh Hóa", dt.date(2015, 8, 20),
        "ỦY BAN NHÂN DÂN TỈNH THANH HÓA")
    registry, shipped = shipped_definitions()
    result = read_plan_file(path, None, registry, shipped.report, shipped.cadences, TODAY)
    assert result.name == "kh-24-ubnd-2015"
    assert "number: 24/KH-UBND\nissued_on: 2015-08-20\n" in result.text


def test_a_two_row_header_with_lead_and_partners_under_a_merged_cell(tmp_path: Path) -> None:
    document = docx.Document()
    document.add_paragraph("KẾ HOẠCH")
    document.add_paragraph("PHỔ BIẾN PHÁP LUẬT NĂM 2026")
    table = add_table(document, [["STT", "Nội dung", "Cơ quan thực hiện", "", "Thời gian thực hiện"],
                                 ["", "", "Chủ trì", "Phối hợp", ""],
                                 ["1", "Tổ chức hội nghị", "Sở Tư pháp", "Sở Nội vụ và Sở Tài chính", "Quý II/2026"],
                                 ["2", "Biên soạn tài liệu", "Sở Nội vụ", "", "Hằng năm"]], header_rows=(0, 1))
    rows = table.rows  # type: ignore[attr-defined]
    rows[0].cells[2].merge(rows[0].cells[3]).text = "Cơ quan thực hiện"
    for column in (0, 1, 4):
        text = rows[0].cells[column].text
        rows[0].cells[column].merge(rows[1].cells[column]).text = text
    plan = read_plan_document(open_document(save(document, tmp_path / "hai-dong.docx"), "hai-dong.docx"))
    assert [(t.task_id, t.content, t.responsibility, t.lead, t.partners, t.time) for t in plan.tasks] == [
        ("1", "Tổ chức hội nghị", "Chủ trì: Sở Tư pháp; Phối hợp: Sở Nội vụ và Sở Tài chính", "Sở Tư pháp",
         "Sở Nội vụ và Sở Tài chính", "Quý II/2026"),
        ("2", "Biên soạn tài liệu", "Chủ trì: Sở Nội vụ", "Sở Nội vụ", None, "Hằng năm")]


def test_copied_text_with_a_row_on_each_line(tmp_path: Path) -> None:
    path = tmp_path / "dong.txt"
    path.write_text("KẾ HOẠCH\nRÀ SOÁT NĂM 2026\nII. NHIỆM VỤ\nSTT\tNhiệm vụ\tTrách nhiệm thực hiện\tThời gian\n"
                    "1\tRà soát thủ tục\tSở Tư pháp\tHằng quý\n\n2\tCông khai thủ tục\tSở Nội vụ\tQuý II/2026\n"
                    "III. TỔ CHỨC THỰC HIỆN\n1. Sở Tư pháp theo dõi, đôn đốc./.\n", encoding="utf-8")
    plan = read_plan_document(open_document(path, "dong.txt"))
    assert [(t.task_id, t.section, t.content, t.responsibility, t.time, t.where) for t in plan.tasks] == [
        ("1", "II", "Rà soát thủ tục", "Sở Tư pháp", "Hằng quý", "dòng 5"),
        ("2", "II", "Công khai thủ tục", "Sở Nội vụ", "Quý II/2026", "dòng 7"),
        ("III.1", "III", "Sở Tư pháp theo dõi, đôn đốc.", "Sở Tư pháp", None, "dòng 9")]


def test_numbers_repeating_without_roman_sections_are_renumbered_and_said(tmp_path: Path) -> None:
    path = tmp_path / "lap.txt"
    path.write_text("KẾ HOẠCH\nNĂM 2026\nSTT\tNhiệm vụ\tTrách nhiệm thực hiện\tThời gian\nA\tPHẦN MỘT\t\t\n"
                    "1\tRà soát\tSở Tư pháp\tHằng năm\nB\tPHẦN HAI\t\t\n1\tCông khai\tSở Nội vụ\tHằng năm\n",
                    encoding="utf-8")
    registry, shipped = shipped_definitions()
    result = read_plan_file(path, None, registry, shipped.report, shipped.cadences, TODAY)
    assert [(t.task_id, t.number, t.content) for t in result.document.tasks] == [
        ("1", "1", "Rà soát"), ("2", "1", "Công khai")]
    assert [r.reason for r in result.others] == [
        "số thứ tự nhiệm vụ trong văn bản lặp lại nên mã nhiệm vụ được đánh lại 1, 2, 3…; số in trong văn bản ghi "
        "ở ghi chú của từng nhiệm vụ", "không xác định được cơ quan ban hành; điền trường issuer"]
    assert "  note: 'STT trong văn bản: 1.'\n" in result.text
    assert [(s.number, s.title) for s in result.document.sections] == [("A", "PHẦN MỘT"), ("B", "PHẦN HAI")]
