"""Documents that cannot be read as a plan: each refused with what to do, naming the file."""

from __future__ import annotations

import datetime as dt
import io
import zipfile
from pathlib import Path

import docx
import pytest
from msoffcrypto.format.ooxml import OOXMLFile

from kehoach.commands.plan_import import read_plan_file, shipped_definitions
from kehoach.documents.blocks import DocumentError
from kehoach.documents.opening import MAX_BYTES, SAVE_AS_DOCX, open_document
from kehoach.documents.plan_document import read_plan_document
from support.plan_documents import add_table, converted, save

EMPTY_PDF = (b"%PDF-1.4\n1 0 obj<</Type/Catalog/Pages 2 0 R>>endobj\n2 0 obj<</Type/Pages/Kids[3 0 R]/Count 1>>"
             b"endobj\n3 0 obj<</Type/Page/Parent 2 0 R/MediaBox[0 0 595 842]>>endobj\ntrailer<</Root 1 0 R>>\n%%EOF\n")


def refusal(path: Path) -> str:
    with pytest.raises(DocumentError) as caught:
        read_plan_document(open_document(path, path.name))
    return str(caught.value)


def a_docx(tmp_path: Path) -> Path:
    document = docx.Document()
    document.add_paragraph("KẾ HOẠCH")
    add_table(document, [["STT", "Nhiệm vụ", "Trách nhiệm thực hiện"], ["1", "Rà soát", "Sở Tư pháp"]])
    return save(document, tmp_path / "ke-hoach.docx")


def test_an_image_is_not_a_document(tmp_path: Path) -> None:
    path = tmp_path / "anh.docx"
    path.write_bytes(b"\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR" + bytes(range(256)) * 4)
    assert refusal(path) == ("anh.docx: không phải văn bản kế hoạch (.docx, .pdf có lớp chữ, hoặc văn bản chép từ "
                             f"Word). Hãy chọn đúng tệp, hoặc {SAVE_AS_DOCX}")


def test_a_corrupt_docx(tmp_path: Path) -> None:
    good = a_docx(tmp_path).read_bytes()
    path = tmp_path / "hong.docx"
    path.write_bytes(good[: len(good) // 2])
    assert refusal(path) == f"hong.docx: văn bản Word bị hỏng, không mở được (BadZipFile). Hãy {SAVE_AS_DOCX}"


def test_a_workbook_is_not_a_word_document(tmp_path: Path) -> None:
    path = tmp_path / "bang.xlsx"
    with zipfile.ZipFile(path, "w") as archive:
        archive.writestr("xl/workbook.xml", "<workbook/>")
    assert refusal(path) == ("bang.xlsx: đây là bảng tính Excel, không phải văn bản Word (.docx). Hãy chọn tệp văn "
                             f"bản kế hoạch, hoặc {SAVE_AS_DOCX}")


def test_a_password_protected_docx(tmp_path: Path) -> None:
    out = io.BytesIO()
    with a_docx(tmp_path).open("rb") as plain:
        OOXMLFile(plain).encrypt("mat-khau", out)
    path = tmp_path / "mat-khau.docx"
    path.write_bytes(out.getvalue())
    assert refusal(path) == ("mat-khau.docx: văn bản Word được đặt mật khẩu, không đọc được. Hãy mở bằng Word, bỏ "
                             "mật khẩu (Tệp > Thông tin > Bảo vệ tài liệu > Mã hóa bằng mật khẩu: xóa trống) và lưu "
                             "lại, rồi nhập lại")


def test_a_word_97_doc(tmp_path: Path) -> None:
    path = converted(a_docx(tmp_path), "doc")  # saved by LibreOffice as Word 97-2003
    assert refusal(path) == ("ke-hoach.doc: đây là văn bản Word cũ (.doc, Word 97–2003), kehoach không đọc được. "
                             f"Hãy {SAVE_AS_DOCX}")


def test_a_file_over_the_cap_is_refused_before_it_is_read(tmp_path: Path) -> None:
    path = tmp_path / "lon.docx"
    with path.open("wb") as sparse:
        sparse.truncate(MAX_BYTES + 1)  # sparse: no 50 MB is written, and none may be read
    assert refusal(path) == ("lon.docx: tệp lớn 50 MB, quá giới hạn 50 MB của một văn bản kế hoạch; không đọc. Hãy "
                             "kiểm tra đúng tệp chưa (văn bản kế hoạch thường dưới 5 MB), hoặc "
                             f"{SAVE_AS_DOCX} không kèm hình ảnh")


def test_a_document_with_no_task_table(tmp_path: Path) -> None:
    document = docx.Document()
    document.add_paragraph("KẾ HOẠCH")
    document.add_paragraph("Căn cứ Luật số 1/2020/QH14;")
    path = save(document, tmp_path / "khong-bang.docx")
    assert refusal(path) == ("khong-bang.docx: không tìm thấy bảng nhiệm vụ trong văn bản (cần một bảng có các cột "
                             "STT, Nhiệm vụ hoặc Nội dung, Trách nhiệm thực hiện, Thời gian). Nếu văn bản chép từ "
                             "Word, hãy chép cả bảng, hoặc nhập thẳng tệp .docx")


def test_a_table_with_no_recognisable_header(tmp_path: Path) -> None:
    document = docx.Document()
    document.add_paragraph("KẾ HOẠCH")
    add_table(document, [["A", "B", "C"], ["1", "Rà soát", "Sở Tư pháp"]])
    path = save(document, tmp_path / "khong-tieu-de.docx")
    assert refusal(path) == ("khong-tieu-de.docx: có bảng nhưng không nhận ra dòng tiêu đề của bảng nhiệm vụ (bảng "
                             "1). Dòng đầu bảng cần có các cột như: STT | Nhiệm vụ (hoặc Nội dung) | Trách nhiệm "
                             "thực hiện (hoặc Cơ quan chủ trì, Cơ quan phối hợp) | Thời gian thực hiện")


TCVN3 = "\tSTT\n\tNhiÖm vô\n\tTr¸ch nhiÖm thùc hiÖn\n\n\t1\n\tTæ chøc rµ so¸t thñ tôc hµnh chÝnh\n\tSë T­ ph¸p\n"


def test_tcvn3_text_is_refused_not_garbled(tmp_path: Path) -> None:
    path = tmp_path / "tcvn3.txt"
    path.write_text("KÕ ho¹ch\n" + TCVN3, encoding="utf-8")
    message = refusal(path)
    assert message.startswith("tcvn3.txt: văn bản gõ bằng bảng mã cũ TCVN3 (phông .VnTime (TCVN3, bảng mã ABC)), "
                              "không phải Unicode; đọc như hiện tại chữ sẽ bị sai dấu.")
    raw = tmp_path / "tcvn3-8bit.txt"
    raw.write_bytes(("KÕ ho¹ch\n" + TCVN3).encode("latin-1"))
    assert refusal(raw) == message.replace("tcvn3.txt", "tcvn3-8bit.txt")


def test_vni_text_is_refused(tmp_path: Path) -> None:
    path = tmp_path / "vni.txt"
    path.write_text("Keá hoaïch\n\tSTT\n\tNhieäm vuï\n\n\t1\n\tToå chöùc raø soaùt thuû tuïc haønh chính\n\tSôû Tö "
                    "phaùp\n", encoding="utf-8")
    assert refusal(path).startswith("vni.txt: văn bản gõ bằng bảng mã cũ VNI (phông VNI-Times (bảng mã VNI))")


def test_a_scanned_pdf_with_no_text_layer(tmp_path: Path) -> None:
    path = tmp_path / "ban-quet.pdf"
    path.write_bytes(EMPTY_PDF)
    assert refusal(path) == ("ban-quet.pdf: tệp PDF không có lớp chữ (bản quét hoặc ảnh chụp), không đọc được nội "
                             "dung. Hãy dùng bản .docx gốc của văn bản; nếu chỉ có bản quét, nhận dạng chữ (OCR) rồi "
                             f"{SAVE_AS_DOCX}")


def test_a_task_with_no_one_responsible_is_refused_with_its_row(tmp_path: Path) -> None:
    document = docx.Document()
    document.add_paragraph("KẾ HOẠCH")
    add_table(document, [["STT", "Nhiệm vụ", "Trách nhiệm thực hiện", "Thời gian"],
                         ["1", "Rà soát", "Sở Tư pháp", "Hằng năm"], ["2", "Công khai", "", "Hằng năm"]])
    path = save(document, tmp_path / "thieu.docx")
    registry, shipped = shipped_definitions()
    with pytest.raises(DocumentError) as caught:
        read_plan_file(path, None, registry, shipped.report, shipped.cadences, dt.date(2026, 3, 1))
    assert str(caught.value) == ("thieu.docx, bảng 1, hàng 3: nhiệm vụ 2 không ghi trách nhiệm thực hiện (cột «Trách "
                                 "nhiệm thực hiện» hoặc «Cơ quan chủ trì» trống). Hãy điền vào văn bản rồi nhập lại")
