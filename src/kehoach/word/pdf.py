"""A Word document printed to PDF by LibreOffice (`soffice`), when the machine has it."""

from __future__ import annotations

import shutil
import subprocess
import tempfile
from pathlib import Path

from kehoach.errors import InputError
from kehoach.store.files import DiskError, atomic_write
from kehoach.store.layout import display_path

TIMEOUT_S = 180


def require_soffice() -> str:
    """soffice's path, or a clear refusal before anything is written."""
    found = shutil.which("soffice") or shutil.which("libreoffice")
    if found is None:
        raise InputError("không tìm thấy LibreOffice (lệnh soffice) trên máy nên không xuất được PDF; cài "
                         "LibreOffice rồi chạy lại, hoặc bỏ --pdf, mở tệp .docx bằng Word và lưu thành PDF")
    return found


def to_pdf(soffice: str, docx: Path) -> Path:
    """docx → the PDF beside it. LibreOffice runs with a profile of its own, so two runs never meet."""
    target = docx.with_suffix(".pdf")
    with tempfile.TemporaryDirectory(prefix="kehoach-pdf-") as scratch:
        profile = Path(scratch, "profile").as_uri()
        try:
            subprocess.run([soffice, f"-env:UserInstallation={profile}", "--headless", "--convert-to", "pdf",
                            "--outdir", scratch, str(docx)], check=True, capture_output=True, timeout=TIMEOUT_S)
        except (subprocess.CalledProcessError, subprocess.TimeoutExpired, OSError):
            raise DiskError(f"LibreOffice không chuyển được {display_path(docx)} sang PDF") from None
        made = Path(scratch, docx.with_suffix(".pdf").name)
        if not made.exists():
            raise DiskError(f"LibreOffice không chuyển được {display_path(docx)} sang PDF")
        atomic_write(target, made.read_bytes())
    return target
