"""Finding a unit twice by the same abbreviation gives the same unit (the lookup index is not consumed)."""

from __future__ import annotations

from pathlib import Path

from kehoach.store.tracker import open_tracker


def test_find_unit_by_abbreviation_twice(tracker: Path) -> None:
    registry = open_tracker(tracker / "data").registry
    assert registry.find_unit("STP").id == "so-tu-phap"
    assert registry.find_unit("stp").id == "so-tu-phap"
    assert registry.find_unit("Sở Tư pháp").id == "so-tu-phap"
    assert registry.find_unit("so tu phap").id == "so-tu-phap"
