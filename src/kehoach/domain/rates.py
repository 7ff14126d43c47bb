"""The completion rate (tỷ lệ hoàn thành): one rule for the report's rows and the trend's points."""

from __future__ import annotations


def completion_rate(done: int, applicable: int) -> float | None:
    """Slots done (on time or late) / (slots − slots "không áp dụng"), as a percentage with one decimal;
    None when no slot applies."""
    return round(100.0 * done / applicable, 1) if applicable else None
