"""Reading a plan's responsibility text into who leads (chủ trì), who takes part (phối hợp) and who carries
a task out, each phrase resolved against the units and groups of units.yaml.

"Sở Tư pháp chủ trì, phối hợp với Văn phòng UBND tỉnh và Sở Nội vụ; Chủ tịch UBND cấp huyện, cấp xã"
gives Sở Tư pháp (chủ trì), Văn phòng UBND tỉnh and Sở Nội vụ (phối hợp), and "Chủ tịch UBND cấp huyện,
cấp xã" (thực hiện: the clause after a semicolon stands alone), which names two groups. A comma does not
always start a new name ("các ban, ngành, đơn vị trực thuộc UBND tỉnh" is one): a piece starts one only
when it opens as a name does (a title, an agency's kind, "các …"). Every phrase is kept verbatim (a
substring of the text, as plan.yaml requires), and one that names nothing known is returned with no refs,
for the import to list — never dropped.
"""

from __future__ import annotations

import re
from typing import NamedTuple

from kehoach.domain.registry import Registry
from kehoach.domain.suggest import closest
from kehoach.domain.text import fold

LEAD = "chu-tri"
PARTNER = "phoi-hop"
DOER = "thuc-hien"


class Match(NamedTuple):
    """How one name in a phrase was matched: `fuzzy` when it was only close to the known name."""

    said: str
    ref: str
    known_as: str
    fuzzy: bool


class ReadPhrase(NamedTuple):
    phrase: str
    role: str
    matches: tuple[Match, ...]

    @property
    def refs(self) -> tuple[str, ...]:
        return tuple(dict.fromkeys(m.ref for m in self.matches))

    @property
    def resolved(self) -> bool:
        return bool(self.matches)


# Titles of the head of an agency: "Giám đốc Sở Tư pháp" means Sở Tư pháp.
_TITLES = ("giam doc", "pho giam doc", "thu truong", "chu tich", "pho chu tich", "truong ban", "chanh van phong",
           "chanh thanh tra", "lanh dao", "nguoi dung dau", "cuc truong", "chi cuc truong", "hieu truong")
# How the name of an agency opens (folded); a piece after a comma or "và" that opens otherwise continues
# the name before it ("ngành", "đơn vị trực thuộc …", "cấp xã").
_NAME_OPENINGS = _TITLES + (
    "so ", "cac so", "van phong", "ubnd", "uy ban", "hdnd", "hoi dong", "ban ", "cac ban", "dai ", "bao ",
    "cac bao", "cac co quan", "co quan", "cac don vi", "thanh tra", "cong an", "bo chi huy", "bo doi",
    "hoi ", "cac hoi", "lien doan", "lien minh", "mat tran", "tinh doan", "doan ", "kho bac", "cuc ",
    "chi cuc", "trung tam", "truong ", "cac truong", "benh vien", "toa an", "vien kiem sat", "vien ",
    "ngan hang", "bao hiem", "to chuc", "cac to chuc", "cac dia phuong", "cac huyen", "cac xa", "cac phong",
    "phong ", "tong cong ty", "cong ty", "cac doanh nghiep", "doanh nghiep", "bo ", "cac bo", "tinh uy",
    "huyen uy", "dang uy", "ban quan ly", "hoc vien", "cac ca nhan", "ca nhan", "cac nganh",
)
_CLAUSE_ROLE = re.compile(r"^\s*(chu tri|phoi hop|thuc hien)\s*[:：]\s*")
_LEAD_SPLIT = re.compile(r"\s+(?:la co quan |lam )?chu tri(?:\s*,\s*|\s+)(?:va\s+)?(?:phoi hop(?:\s+voi)?\s*)?")
_LEAD_AT_END = re.compile(r"\s+(?:la co quan |lam )?chu tri\s*$")
_PARTNER_OPENING = re.compile(r"^\s*phoi hop(?:\s+voi)?\s+")
_PARTNER_AT_END = re.compile(r"\s+(?:cung\s+)?phoi hop(?: thuc hien)?\s*$")
_BOUNDARY = re.compile(r"\s*,\s*|\s*;\s*|\s+va\s+|\s+cung\s+")

CUTOFF = 75.0
"""Closeness (0-100, rapidfuzz's ratio on folded names) from which a name counts as meant: suggest's own."""


class UnitNames:
    """Every name a phrase may match (units' names and short names, groups' names), folded once for
    all the phrases of a plan."""

    def __init__(self, registry: Registry) -> None:
        self.candidates: list[tuple[str, tuple[str, str]]] = []
        for group in registry.groups.values():
            self.candidates.append((group.name, (group.id, group.name)))
        for unit in registry.units.values():
            for name in (unit.name, *unit.short):
                self.candidates.append((name, (unit.id, unit.name)))
        self.exact = {fold(name): value for name, value in self.candidates}
        self.exact.update({value[0]: value for _, value in self.candidates})


def read_responsibility(text: str, names: UnitNames, role: str | None = None) -> list[ReadPhrase]:
    """The phrases of `text`, each with its role and what it names. `role` gives every phrase one role
    (a "Cơ quan chủ trì" column); without it the words of the text decide."""
    body = _trimmed(text)
    phrases: list[ReadPhrase] = []
    for start, end in _clauses(body):
        clause_role = role
        offset = start
        head = _CLAUSE_ROLE.match(_folded_same_length(body[start:end]))
        if head:
            clause_role = {"chu tri": LEAD, "phoi hop": PARTNER, "thuc hien": DOER}[head.group(1)]
            offset = start + head.end()
        for span_start, span_end, span_role in _roles(body, offset, end, clause_role or DOER):
            for piece_start, piece_end in _names(body, span_start, span_end):
                phrase = body[piece_start:piece_end]
                phrases.append(ReadPhrase(phrase, span_role, _resolve(phrase, names)))
    return phrases


def _trimmed(text: str) -> str:
    """Without the full stop or the "/." that closes a document's last paragraph."""
    return re.sub(r"\s*(?:/\.|[.;,])\s*$", "", text.strip())


def _folded_same_length(text: str) -> str:
    """Folded character by character, so positions in it are positions in `text`."""
    return "".join((fold(ch) or " ")[:1] if not ch.isspace() else " " for ch in text)


def _clauses(body: str) -> list[tuple[int, int]]:
    spans = []
    start = 0
    for match in re.finditer(r";", body):
        spans.append((start, match.start()))
        start = match.end()
    spans.append((start, len(body)))
    return [(s, e) for s, e in (_strip_span(body, s, e) for s, e in spans) if s < e]


def _strip_span(body: str, start: int, end: int) -> tuple[int, int]:
    while start < end and body[start] in " ,\t\n":
        start += 1
    while end > start and body[end - 1] in " ,.\t\n":
        end -= 1
    return start, end


def _roles(body: str, start: int, end: int, role: str) -> list[tuple[int, int, str]]:
    """A clause's parts by role: "X chủ trì, phối hợp với Y" is X leading and Y taking part."""
    folded = _folded_same_length(body[start:end])
    split = _LEAD_SPLIT.search(folded)
    if split and split.end() < len(folded):
        return [(*_strip_span(body, start, start + split.start()), LEAD),
                (*_strip_span(body, start + split.end(), end), PARTNER)]
    at_end = _LEAD_AT_END.search(folded)
    if at_end:
        return [(*_strip_span(body, start, start + at_end.start()), LEAD)]
    partner = _PARTNER_OPENING.match(folded)
    if partner:
        return [(*_strip_span(body, start + partner.end(), end), PARTNER)]
    partner_at_end = _PARTNER_AT_END.search(folded)
    if partner_at_end:
        return [(*_strip_span(body, start, start + partner_at_end.start()), PARTNER)]
    return [(start, end, role)]


def _names(body: str, start: int, end: int) -> list[tuple[int, int]]:
    """The names in a span: pieces between commas and "và", joined while a piece continues a name."""
    folded = _folded_same_length(body[start:end])
    cuts = [(m.start(), m.end()) for m in _BOUNDARY.finditer(folded)]
    pieces: list[list[int]] = []
    previous_end = 0
    for cut_start, cut_end in [*cuts, (len(folded), len(folded))]:
        piece = (previous_end, cut_start)
        text = folded[piece[0]:piece[1]]
        if not pieces or _opens_name(text):
            pieces.append([piece[0], piece[1]])
        else:
            pieces[-1][1] = piece[1]
        previous_end = cut_end
    return [(start + s, start + e) for s, e in pieces if e > s]


def _opens_name(folded_piece: str) -> bool:
    piece = folded_piece.strip().lower() + " "
    return any(piece.startswith(opening) for opening in _NAME_OPENINGS)


def _without_title(folded: str) -> str:
    for title in sorted(_TITLES, key=len, reverse=True):
        if folded.startswith(title + " "):
            return folded[len(title) + 1:]
    return folded


def _resolve(phrase: str, names: UnitNames) -> tuple[Match, ...]:
    """What a phrase names: exactly (folded), else the same names distributed over "cấp huyện, cấp xã",
    else the one close name."""
    exact = names.exact
    whole = _without_title(fold(phrase))
    for key in (whole, _without_plural(whole)):
        if key in exact:
            ref, known = exact[key]
            return (Match(phrase, ref, known, False),)
    parts = _distributed(whole)
    if len(parts) > 1 and all(part in exact for part in parts):
        return tuple(Match(phrase, exact[part][0], exact[part][1], False) for part in parts)
    near = closest(whole, names.candidates, limit=2, cutoff=CUTOFF)
    if len(near) == 1:
        ref, known = near[0]
        return (Match(phrase, ref, known, True),)
    return ()


def _without_plural(folded: str) -> str:
    return folded[4:] if folded.startswith("cac ") else "cac " + folded


def _distributed(folded: str) -> list[str]:
    """"ubnd cap huyen, cap xa" → ["ubnd cap huyen", "ubnd cap xa"]: the stem before "cấp" shared."""
    pieces = [p.strip() for p in re.split(r"\s*,\s*|\s+va\s+", folded) if p.strip()]
    if len(pieces) < 2 or " cap " not in f" {pieces[0]} ":
        return pieces
    stem = pieces[0][:pieces[0].index("cap ")]
    return [pieces[0], *((stem + p) if p.startswith("cap ") else p for p in pieces[1:])]
