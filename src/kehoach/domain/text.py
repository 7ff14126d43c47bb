"""Vietnamese text helpers: NFC, folding for diacritic-free matching, slugs."""

from __future__ import annotations

import re
import unicodedata
from typing import Any

_NON_ALNUM = re.compile(r"[^a-z0-9]+")


def nfc(text: str) -> str:
    return unicodedata.normalize("NFC", text)


def is_nfc(text: str) -> bool:
    return unicodedata.is_normalized("NFC", text)


def fold(text: str) -> str:
    """Lowercase, drop diacritics, map đ to d: what a clerk without a Vietnamese keyboard types."""
    decomposed = unicodedata.normalize("NFD", text.replace("đ", "d").replace("Đ", "D"))
    stripped = "".join(ch for ch in decomposed if not unicodedata.combining(ch))
    return " ".join(stripped.lower().split())


def slug(text: str) -> str:
    return _NON_ALNUM.sub("-", fold(text)).strip("-")


def _words(text: str) -> str:
    return " " + " ".join(text.replace("-", " ").split()) + " "


def matches_words(query: str, text: str) -> bool:
    """Whole-word match, so "sở" never finds "Sơn". Typed with diacritics, diacritics count;
    typed without, they are ignored ("so tu phap" finds "Sở Tư pháp")."""
    typed = nfc(query).lower()
    plain = fold(query)
    if plain != " ".join(typed.split()):
        return _words(typed) in _words(nfc(text).lower())
    return _words(plain) in _words(fold(text))


# Characters no clerk types and no report may carry: C0 and C1 controls (ESC starts terminal escape
# sequences, the record separators split git log output), DEL, UTF-16 surrogates, and the
# non-characters U+FFFE/U+FFFF that make an .xlsx file malformed XML. Tab and line feed are the only
# controls text may hold, and only where the field allows several lines.
_FORBIDDEN = re.compile("[\x00-\x08\x0b-\x1f\x7f-\x9f\ud800-\udfff\ufffe\uffff]")
_FORBIDDEN_ON_ONE_LINE = re.compile("[\x00-\x1f\x7f-\x9f\ud800-\udfff\ufffe\uffff]")


def forbidden_character(text: str, *, one_line: bool = False) -> str | None:
    """The first character `text` may not hold, described for a clerk ("ký tự điều khiển U+001B"),
    or None when the text is clean. `one_line` also refuses tab and line feed."""
    found = (_FORBIDDEN_ON_ONE_LINE if one_line else _FORBIDDEN).search(text)
    if found is None:
        return None
    char = found.group()
    kind = "ký tự không hợp lệ" if ord(char) >= 0xD800 else "ký tự điều khiển"
    return f"{kind} U+{ord(char):04X}"


def visible(text: str) -> str:
    """Text safe to print on a terminal: every control but line feed shown as its code (\\x1b, \\r),
    so data can never move the cursor, clear the screen or open a hyperlink."""
    if _FORBIDDEN.search(text) is None and "\t" not in text:
        return text
    return _FORBIDDEN.sub(lambda m: f"\\x{ord(m.group()):02x}" if ord(m.group()) < 0x100
                          else f"\\u{ord(m.group()):04x}", text).replace("\t", " ")


_FORMULA_START = ("=", "+", "-", "@", "\t", "\r")


def spreadsheet_safe(text: str) -> str:
    """A cell a spreadsheet will never run as a formula: text starting with = + - @ tab or CR gets a
    leading apostrophe, as OWASP advises for CSV. Numbers are not text and never pass through here."""
    return "'" + text if text.startswith(_FORMULA_START) else text


class lazy_regex:  # noqa: N801 - used where re.compile was, and reads the same
    """A regular expression compiled the first time it is used. The wording tables (click's messages,
    PyYAML's reasons) are needed only when a help or an error is shown; compiling their ~45 patterns
    at import cost every command a few milliseconds of start-up."""

    def __init__(self, pattern: str, flags: int = 0) -> None:
        self.pattern, self.flags = pattern, flags

    def __getattr__(self, name: str) -> Any:
        return getattr(re.compile(self.pattern, self.flags), name)  # re keeps its own cache of compiled patterns
