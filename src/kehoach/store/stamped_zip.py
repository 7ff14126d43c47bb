"""The one zip archive kehoach writes (.xlsx, .docx): every member carries one fixed time, so equal
documents are equal files byte for byte."""

from __future__ import annotations

import io
import zipfile
from typing import IO, Any


class StampedZip(zipfile.ZipFile):
    def __init__(self, file: str | IO[bytes], stamp: tuple[int, ...]) -> None:
        super().__init__(file, "w", zipfile.ZIP_DEFLATED, allowZip64=True)
        self._stamp = stamp

    def _entry(self, name: str, level: int | None = None) -> zipfile.ZipInfo:
        """A member's header; `level`: its deflate level (None: zlib's default, 6)."""
        entry = zipfile.ZipInfo(name, date_time=self._stamp)  # type: ignore[arg-type]
        entry.compress_type = zipfile.ZIP_DEFLATED
        entry.external_attr = 0o600 << 16
        if level is not None:
            # Public as `compress_level` from Python 3.13, which keeps this name as its alias.
            setattr(entry, "_compresslevel", level)  # noqa: B010
        return entry

    def writestr(
        self, zinfo_or_arcname: Any, data: Any, compress_type: Any = None, compresslevel: Any = None
    ) -> None:
        if isinstance(zinfo_or_arcname, str):
            zinfo_or_arcname = self._entry(zinfo_or_arcname)
        super().writestr(zinfo_or_arcname, data, compress_type, compresslevel)


def restamped(archive: bytes, stamp: tuple[int, ...]) -> bytes:
    """A zip a library wrote with the clock in every member, written again with `stamp` instead."""
    out = io.BytesIO()
    with zipfile.ZipFile(io.BytesIO(archive)) as source, StampedZip(out, stamp) as target:
        for member in source.infolist():
            target.writestr(member.filename, source.read(member))
    return out.getvalue()
