"""The one zip kehoach writes: every member carries the stamp, whatever clock the library used."""

from __future__ import annotations

import io
import zipfile

from kehoach.store.stamped_zip import restamped


def test_restamped_keeps_members_and_fixes_their_time() -> None:
    made = io.BytesIO()
    with zipfile.ZipFile(made, "w") as archive:
        archive.writestr(zipfile.ZipInfo("b.xml", date_time=(2031, 5, 6, 7, 8, 10)), b"<b/>")
        archive.writestr(zipfile.ZipInfo("a.xml", date_time=(2030, 1, 2, 3, 4, 6)), b"<a/>")
    again = restamped(made.getvalue(), (2026, 7, 5, 0, 0, 0))
    with zipfile.ZipFile(io.BytesIO(again)) as archive:
        assert [(m.filename, m.date_time) for m in archive.infolist()] == [
            ("b.xml", (2026, 7, 5, 0, 0, 0)), ("a.xml", (2026, 7, 5, 0, 0, 0))]
        assert archive.read("a.xml") == b"<a/>"
    assert restamped(made.getvalue(), (2026, 7, 5, 0, 0, 0)) == again
