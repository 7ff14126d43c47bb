"""How a signed document words a period and its numbers: "6 tháng đầu năm 2026", "1.234", "53,9%",
"tăng 4,2 điểm phần trăm" (which period came before, and when: `domain/trend`)."""

from __future__ import annotations

from kehoach.domain.model import Period
from kehoach.render.official import count
from kehoach.render.rows import format_decimal, format_percent

ROMAN = {1: "I", 2: "II", 3: "III", 4: "IV"}


def period_phrase(period: Period) -> str:
    """"6 tháng đầu năm 2026", "quý III năm 2026", "tháng 3 năm 2026", "năm 2026"."""
    kind, year = period.kind, period.year
    if kind == "H1":
        return f"6 tháng đầu năm {year}"
    if kind == "H2":
        return f"6 tháng cuối năm {year}"
    if kind.startswith("Q"):
        return f"quý {ROMAN[int(kind[1])]} năm {year}"
    if kind.startswith("M"):
        return f"tháng {int(kind[1:])} năm {year}"
    return f"năm {year}"


def share(done: int, total: int) -> str:
    return format_percent(round(100.0 * done / total, 1)) if total else "0,0%"


def rate_text(rate: float | None) -> str:
    return "—" if rate is None else format_percent(rate)


def change_text(now: float, before: float) -> str:
    """"tăng 4,2 điểm phần trăm", "giảm 1,0 điểm phần trăm", "không thay đổi"."""
    difference = round(now - before, 1)
    if difference == 0:
        return "không thay đổi"
    word = "tăng" if difference > 0 else "giảm"
    return f"{word} {format_decimal(abs(difference))} điểm phần trăm"


__all__ = ["count", "period_phrase", "share", "rate_text", "change_text"]
