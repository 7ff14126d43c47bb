"""Vietnamese typed in the legacy 8-bit font encodings (TCVN3/ABC with .VnTime fonts, VNI with VNI-Times)
looks like Latin-1 gibberish once read as Unicode ("KÕ ho¹ch", "Keá hoaïch"). Read as it is, it would
become a plan nobody can search; it is recognised here and refused with what to do about it.
"""

from __future__ import annotations

import re

# Characters TCVN3 uses for Vietnamese letters that are not letters of Vietnamese in Unicode.
_TCVN3_ONLY = set("µ¸¶·¹¨»¾¼½Æ©ÇËÐÎÏªÖ×ØÜÞß«æç¬®§¡¢£¤¥¦÷þ\xad")
# VNI writes a letter and then its marks as Latin-1 characters no Vietnamese word holds after a vowel.
_VNI_PAIR = re.compile(r"[aeiouyAEIOUY][øûïëäåüö]|[ñÑ](?=[a-zA-Z ])")


def legacy_encoding(text: str) -> str | None:
    """"TCVN3" or "VNI" when the text is written in that encoding, else None."""
    letters = sum(1 for ch in text if ch.isalpha()) or 1
    tcvn3 = sum(1 for ch in text if ch in _TCVN3_ONLY)
    vni = len(_VNI_PAIR.findall(text))
    threshold = max(3, letters // 200)
    if tcvn3 >= threshold and tcvn3 >= vni:
        return "TCVN3"
    if vni >= threshold:
        return "VNI"
    return None


def refusal(encoding: str, shown: str) -> str:
    font = ".VnTime (TCVN3, bảng mã ABC)" if encoding == "TCVN3" else "VNI-Times (bảng mã VNI)"
    return (f"{shown}: văn bản gõ bằng bảng mã cũ {encoding} (phông {font}), không phải Unicode; đọc như hiện "
            "tại chữ sẽ bị sai dấu. Hãy chuyển mã sang Unicode (Unikey: Công cụ chuyển mã, chọn nguồn "
            f"{encoding}, đích Unicode) hoặc mở bằng Word hoặc LibreOffice, đổi sang phông Unicode (Times New "
            "Roman) và lưu thành .docx, rồi nhập lại")
