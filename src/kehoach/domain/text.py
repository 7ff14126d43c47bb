"""Vietnamese text helpers: NFC, folding for diacritic-free matching, slugs."""

from __future__ import annotations

import re
import unicodedata

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
