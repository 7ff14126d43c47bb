"""The printed form of Nghị định 30/2020/NĐ-CP that every signed page shares, whatever writes it (the
workbooks, the Word report and letters): the national name and motto, the font, the margins, the
place-and-date line, and who signs for a body."""

from __future__ import annotations

import datetime as dt

from kehoach.domain.text import fold

FONT = "Times New Roman"
NATION = "CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM"
MOTTO = "Độc lập - Tự do - Hạnh phúc"
MARGINS_MM = {"left": 30, "right": 15, "top": 20, "bottom": 20, "header": 8, "footer": 8}
"""NĐ 30: top and bottom 20 mm, left 30 mm, right 15 mm; header and footer 8 mm."""

def place_and_date(place: str, day: dt.date) -> str:
    """'Thanh Hóa, ngày 05 tháng 02 năm 2026': zero before days < 10 and months 1 and 2 (NĐ 30)."""
    month = f"{day.month:02d}" if day.month <= 2 else str(day.month)
    return f"{place}, ngày {day.day:02d} tháng {month} năm {day.year}"


# Who signs for a body, by how its name starts (folded, so "SỞ TƯ PHÁP" and "Sở Tư pháp" agree).
_HEADS = (
    (("ubnd ", "uy ban nhan dan", "lanh dao ubnd", "hoi dong", "hoi "), "CHỦ TỊCH"),
    (("so ", "dai ", "cong an "), "GIÁM ĐỐC"),
    (("van phong ",), "CHÁNH VĂN PHÒNG"),
    (("thanh tra ",), "CHÁNH THANH TRA"),
    (("ban ",), "TRƯỞNG BAN"),
    (("bao ",), "TỔNG BIÊN TẬP"),
)
_HEAD_BY_LEVEL = {"xa": "CHỦ TỊCH", "huyen": "CHỦ TỊCH"}
SIGNATURE_NOTE = "(Ký, ghi rõ họ tên, đóng dấu)"


def head_title(name: str, level: str | None = None) -> str:
    """The title that signs a body's documents: a commune's or a district's UBND is signed by its
    CHỦ TỊCH, a department (Sở) by its GIÁM ĐỐC, Thanh tra by its CHÁNH THANH TRA; a body of no known
    kind by THỦ TRƯỞNG ĐƠN VỊ."""
    folded = fold(name) + " "
    for starts, title in _HEADS:
        if folded.startswith(starts):
            return title
    return _HEAD_BY_LEVEL.get(level or "", "THỦ TRƯỞNG ĐƠN VỊ")


_IN_A_SENTENCE = {"CHỦ TỊCH": "Chủ tịch", "GIÁM ĐỐC": "Giám đốc", "CHÁNH VĂN PHÒNG": "Chánh",
                  "CHÁNH THANH TRA": "Chánh", "TRƯỞNG BAN": "Trưởng", "TỔNG BIÊN TẬP": "Tổng Biên tập",
                  "THỦ TRƯỞNG ĐƠN VỊ": "Thủ trưởng"}
"""The head's title before the body's name: "Chánh" + "Văn phòng UBND tỉnh" already says which office."""


def addressee(name: str, level: str | None = None) -> str:
    """Whom a letter to a body is addressed to: its head, by title (Giám đốc Sở Tư pháp, Chủ tịch UBND xã
    Hoằng Hóa, Chánh Thanh tra tỉnh, Thủ trưởng Cục Thống kê tỉnh)."""
    return f"{_IN_A_SENTENCE[head_title(name, level)]} {name}"


def count(value: int) -> str:
    """A whole number as Vietnamese documents write it: 1.234 (a dot between thousands)."""
    return f"{value:,}".replace(",", ".")
