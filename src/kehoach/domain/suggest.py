"""What a clerk probably meant: the closest names to a mistyped one ("so tu phapp" → Sở Tư pháp).

Names are compared folded (no diacritics, lower case, `text.fold`), so a name typed without
diacritics on a keyboard without Telex scores as well as one typed with them. rapidfuzz is imported
only when a name was not found: most commands never ask."""

from __future__ import annotations

from collections.abc import Hashable, Sequence
from typing import TypeVar

from kehoach.domain.text import fold

T = TypeVar("T", bound=Hashable)

# Similarity of whole folded names, 0-100 (rapidfuzz's normalised Indel ratio). Below CUTOFF a
# "suggestion" is a guess the clerk would not recognise; a name more than NEAR below the best one is
# not what was meant when the best one is there.
CUTOFF = 75.0
NEAR = 5.0


def closest(query: str, candidates: Sequence[tuple[str, T]], limit: int = 3, cutoff: float = CUTOFF) -> list[T]:
    """The values of the names closest to the query, best first, each value once (a unit is reached by
    its id, its name and its short names; the best of them counts); only those about as close as the
    best, so one clear answer comes alone."""
    from rapidfuzz import fuzz, process

    key = fold(query)
    if not key.strip() or not candidates:
        return []
    names = [fold(name) for name, _ in candidates]
    ranked = process.extract(key, names, scorer=fuzz.ratio, score_cutoff=cutoff, limit=None)
    # Equal scores keep the candidates' own order, so the answer never depends on rapidfuzz's tie-breaking.
    ranked.sort(key=lambda found: (-found[1], found[2]))
    chosen: list[T] = []
    for _, score, index in ranked:
        if score < ranked[0][1] - NEAR:
            break
        value = candidates[index][1]
        if value not in chosen:
            chosen.append(value)
        if len(chosen) == limit:
            break
    return chosen
