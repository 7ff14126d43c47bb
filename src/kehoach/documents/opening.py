"""Opening a plan's document: which kind it is (by its bytes, not its name), refusing what cannot be read
as a plan with what to do instead, and the text normalised (NFC) and checked for legacy encodings."""

from __future__ import annotations

import io
import unicodedata
import zipfile
from pathlib import Path

import docx
import pdfplumber
from docx.opc.exceptions import PackageNotFoundError

from kehoach.documents.blocks import Block, DocumentError, Paragraph, RawDocument, Row, Table
from kehoach.documents.docx_reader import read_docx_document
from kehoach.documents.legacy_encoding import legacy_encoding, refusal
from kehoach.documents.pdf_reader import read_pdf_document
from kehoach.documents.text_reader import read_text_document
from kehoach.errors import os_error_message

MAX_BYTES = 50 * 1024 * 1024
"""A plan's document is a few hundred kilobytes; a file this large is not one, and is not read at all."""

SAVE_AS_DOCX = "mở bằng Word hoặc LibreOffice và lưu thành .docx (Tệp > Lưu thành > Tài liệu Word .docx), rồi nhập lại"
_OLE_MAGIC = b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1"


def open_document(path: Path, shown: str) -> RawDocument:
    try:
        size = path.stat().st_size
    except FileNotFoundError:
        raise DocumentError(f"không có tệp {shown}") from None
    except OSError as exc:
        raise DocumentError(os_error_message(exc, shown)) from None
    if path.is_dir():
        raise DocumentError(f"{shown} là thư mục, không phải văn bản kế hoạch")
    if size > MAX_BYTES:
        raise DocumentError(f"{shown}: tệp lớn {size / 1024 / 1024:.0f} MB, quá giới hạn "
                            f"{MAX_BYTES // 1024 // 1024} MB "
                            "của một văn bản kế hoạch; không đọc. Hãy kiểm tra đúng tệp chưa (văn bản kế hoạch "
                            "thường dưới 5 MB), hoặc " + SAVE_AS_DOCX + " không kèm hình ảnh")
    try:
        raw = path.read_bytes()
    except OSError as exc:
        raise DocumentError(os_error_message(exc, shown)) from None
    if not raw.strip():
        raise DocumentError(f"{shown}: tệp trống, không có nội dung kế hoạch")
    document = _read(raw, shown)
    document = _normalised(document)
    encoding = legacy_encoding("\n".join(_texts(document)))
    if encoding is not None:
        raise DocumentError(refusal(encoding, shown))
    return document


def _read(raw: bytes, shown: str) -> RawDocument:
    if raw.startswith(_OLE_MAGIC):
        if "EncryptedPackage".encode("utf-16-le") in raw:
            raise DocumentError(f"{shown}: văn bản Word được đặt mật khẩu, không đọc được. Hãy mở bằng Word, bỏ "
                                "mật khẩu (Tệp > Thông tin > Bảo vệ tài liệu > Mã hóa bằng mật khẩu: xóa trống) "
                                "và lưu lại, rồi nhập lại")
        raise DocumentError(f"{shown}: đây là văn bản Word cũ (.doc, Word 97–2003), kehoach không đọc được. Hãy "
                            + SAVE_AS_DOCX)
    if raw.startswith(b"PK"):
        return _docx(raw, shown)
    if raw.startswith(b"%PDF"):
        return _pdf(raw, shown)
    if _binary(raw):
        raise DocumentError(f"{shown}: không phải văn bản kế hoạch (.docx, .pdf có lớp chữ, hoặc văn bản chép "
                            "từ Word). Hãy chọn đúng tệp, hoặc " + SAVE_AS_DOCX)
    if raw.startswith(b"{\\rtf"):
        raise DocumentError(f"{shown}: đây là tệp RTF, kehoach không đọc được. Hãy " + SAVE_AS_DOCX)
    return read_text_document(_decoded(raw, shown), shown)


def _docx(raw: bytes, shown: str) -> RawDocument:
    try:
        with zipfile.ZipFile(io.BytesIO(raw)) as archive:
            names = set(archive.namelist())
            if "word/document.xml" not in names:
                what = "bảng tính Excel" if "xl/workbook.xml" in names else \
                    "bản trình chiếu" if "ppt/presentation.xml" in names else "tệp nén"
                raise DocumentError(f"{shown}: đây là {what}, không phải văn bản Word (.docx). Hãy chọn tệp văn "
                                    "bản kế hoạch, hoặc " + SAVE_AS_DOCX)
            archive.testzip()
        document = docx.Document(io.BytesIO(raw))
    except DocumentError:
        raise
    except (zipfile.BadZipFile, PackageNotFoundError, KeyError, ValueError, EOFError, OSError) as exc:
        raise DocumentError(f"{shown}: văn bản Word bị hỏng, không mở được ({type(exc).__name__}). Hãy "
                            + SAVE_AS_DOCX) from None
    except Exception as exc:  # lxml's XMLSyntaxError and friends: a damaged part of the package
        raise DocumentError(f"{shown}: văn bản Word bị hỏng, không mở được ({type(exc).__name__}). Hãy "
                            + SAVE_AS_DOCX) from None
    return read_docx_document(document, shown)


def _pdf(raw: bytes, shown: str) -> RawDocument:
    try:
        with pdfplumber.open(io.BytesIO(raw)) as pdf:
            if not any(page.chars for page in pdf.pages):
                raise DocumentError(f"{shown}: tệp PDF không có lớp chữ (bản quét hoặc ảnh chụp), không đọc được "
                                    "nội dung. Hãy dùng bản .docx gốc của văn bản; nếu chỉ có bản quét, nhận dạng "
                                    "chữ (OCR) rồi " + SAVE_AS_DOCX)
            return read_pdf_document(pdf, shown)
    except DocumentError:
        raise
    except Exception as exc:  # pdfminer raises many kinds for a damaged or encrypted file
        raise DocumentError(f"{shown}: tệp PDF bị hỏng hoặc có mật khẩu, không đọc được ({type(exc).__name__}). "
                            "Hãy dùng bản .docx gốc của văn bản, hoặc " + SAVE_AS_DOCX) from None


def _binary(raw: bytes) -> bool:
    head = raw[:4096]
    return b"\x00" in head or sum(1 for byte in head if byte < 9 or 13 < byte < 32) > 8


def _decoded(raw: bytes, shown: str) -> str:
    if raw.startswith((b"\xff\xfe", b"\xfe\xff")):
        return raw.decode("utf-16")
    text: str | None = None
    try:
        text = raw.decode("utf-8-sig")
    except UnicodeDecodeError:
        pass
    if text is None:
        # Legacy 8-bit Vietnamese (TCVN3, VNI) saved as plain text is no UTF-8: read it byte for byte so
        # the encoding can be named in the refusal.
        latin = raw.decode("latin-1")
        encoding = legacy_encoding(latin)
        if encoding is not None:
            raise DocumentError(refusal(encoding, shown))
        raise DocumentError(f"{shown}: không đọc được chữ trong tệp (không phải văn bản Unicode UTF-8). Hãy "
                            + SAVE_AS_DOCX)
    return text


def _normalised(document: RawDocument) -> RawDocument:
    """NFC everywhere: Word on a Mac and text pasted from some sites write Vietnamese decomposed (NFD)."""
    def nfc(text: str) -> str:
        return unicodedata.normalize("NFC", text.replace("\r", ""))

    blocks: list[Block] = []
    for block in document.blocks:
        if isinstance(block, Paragraph):
            blocks.append(block._replace(text=nfc(block.text)))
        else:
            assert isinstance(block, Table)
            blocks.append(block._replace(rows=tuple(
                Row(tuple(nfc(c) for c in row.cells), row.where, row.spans_all, row.header) for row in block.rows)))
    return document._replace(blocks=tuple(blocks), footnotes=tuple(nfc(f) for f in document.footnotes))


def _texts(document: RawDocument) -> list[str]:
    out = []
    for block in document.blocks:
        if isinstance(block, Paragraph):
            out.append(block.text)
        else:
            out.extend(cell for row in block.rows for cell in row.cells)
    return out
