"""The fast path for status files in kehoach's own form: yaml-rs (a Rust parser, ~10x PyYAML's C
loader) and the checks that send any doubtful file to the full reader (`yamlio`, PyYAML).

Apart from `yamlio` so that reading one changed status file does not import PyYAML (~24 ms, more than
the rest of the `check` that follows a `record`): this module needs only `re`, and yaml-rs when a
file is parsed.
"""

from __future__ import annotations

import re
from typing import Any

from kehoach.domain.text import lazy_regex
from kehoach.errors import DataFileError, Problem

# Compiled when first used (lazy_regex): this module is loaded by every command, most never parse.
CONFLICT_MARKER = lazy_regex(r"^(<<<<<<<|=======|>>>>>>>|\|\|\|\|\|\|\|)(?: |$)", re.MULTILINE)


def decode_text(raw: bytes, shown: str) -> str:
    """UTF-8 or a problem naming the line of the first bad byte."""
    try:
        return raw.decode("utf-8")
    except UnicodeDecodeError as exc:
        line = raw.count(b"\n", 0, exc.start) + 1
        raise DataFileError(Problem(shown, line, 1, "tệp không phải UTF-8")) from None


# An anchor, alias or tag where a value starts: only the full reader knows how to refuse those.
_SPECIAL_VALUE = lazy_regex(r"(?:^|[:\-,\[{]\s)\s*[&*!]", re.MULTILINE)


# What the full reader must decide: characters YAML 1.1 does not allow in a stream (PyYAML refuses them
# with their line and column); the line breaks of YAML 1.1 that yaml-rs (YAML 1.2) reads as text (NEL,
# LINE SEPARATOR, PARAGRAPH SEPARATOR); and CR, a line break the fast path's line count does not see.
# Written as the characters themselves, not as "[^what is allowed]": the negated class over most of
# Unicode takes ~7 ms to compile.
_FULL_READER_DECIDES = lazy_regex("[\x00-\x08\x0b-\x1f\x7f-\x9f\u2028\u2029\ud800-\udfff\ufffe\uffff]")


def fast_load(text: str) -> Any | None:
    """The file as plain values through yaml-rs, or None whenever the full reader must decide: yaml-rs
    missing, a parse error, conflict markers, anchors, aliases or tags. Values carry no positions;
    callers that find a problem read again with `yamlio.parse_text`, which names file, line and column."""
    try:
        import yaml_rs
    except ImportError:  # pragma: no cover - a platform without its wheel: PyYAML does it all
        return None
    # Plain substring tests first: the regular expressions cost more than parsing the file.
    if ("<<<<<<<" in text or "=======" in text or ">>>>>>>" in text) and CONFLICT_MARKER.search(text):
        return None
    if ("&" in text or "*" in text or "!" in text) and _SPECIAL_VALUE.search(text):
        return None
    if _FULL_READER_DECIDES.search(text):
        return None  # yaml-rs reads a raw \x01 that YAML (and PyYAML) refuses
    try:
        return yaml_rs.loads(text)
    except Exception:  # noqa: BLE001 - any refusal means: let the full reader explain it
        return None


# The plain scalars YAML 1.1 reads as something other than text, by first character: the implicit
# resolvers of PyYAML (yaml/resolver.py, the YAML 1.1 type repository), written out here so that
# asking does not import PyYAML. tests/store/test_yaml_fast.py holds them equal to PyYAML's own.
_BOOL = ("bool", r"""^(?:yes|Yes|YES|no|No|NO
                    |true|True|TRUE|false|False|FALSE
                    |on|On|ON|off|Off|OFF)$""")
_FLOAT = ("float", r"""^(?:[-+]?(?:[0-9][0-9_]*)\.[0-9_]*(?:[eE][-+][0-9]+)?
                    |\.[0-9][0-9_]*(?:[eE][-+][0-9]+)?
                    |[-+]?[0-9][0-9_]*(?::[0-5]?[0-9])+\.[0-9_]*
                    |[-+]?\.(?:inf|Inf|INF)
                    |\.(?:nan|NaN|NAN))$""")
_INT = ("int", r"""^(?:[-+]?0b[0-1_]+
                    |[-+]?0[0-7_]+
                    |[-+]?(?:0|[1-9][0-9_]*)
                    |[-+]?0x[0-9a-fA-F_]+
                    |[-+]?[1-9][0-9_]*(?::[0-5]?[0-9])+)$""")
_MERGE = ("merge", r"^(?:<<)$")
_NULL = ("null", r"""^(?: ~
                    |null|Null|NULL
                    | )$""")
_TIMESTAMP = ("timestamp", r"""^(?:[0-9][0-9][0-9][0-9]-[0-9][0-9]-[0-9][0-9]
                    |[0-9][0-9][0-9][0-9] -[0-9][0-9]? -[0-9][0-9]?
                     (?:[Tt]|[ \t]+)[0-9][0-9]?
                     :[0-9][0-9] :[0-9][0-9] (?:\.[0-9]*)?
                     (?:[ \t]*(?:Z|[-+][0-9][0-9]?(?::[0-9][0-9])?))?)$""")
_VALUE = ("value", r"^(?:=)$")
_YAML = ("yaml", r"^(?:!|&|\*)$")

IMPLICIT_RESOLVERS: dict[str, tuple[tuple[str, str], ...]] = {
    "": (_NULL,), "~": (_NULL,), "<": (_MERGE,), "=": (_VALUE,),
    "!": (_YAML,), "&": (_YAML,), "*": (_YAML,),
    "+": (_FLOAT, _INT), "-": (_FLOAT, _INT), ".": (_FLOAT,),
    **dict.fromkeys("0123456789", (_FLOAT, _INT, _TIMESTAMP)),
    **dict.fromkeys("FOTYfoty", (_BOOL,)),
    "N": (_BOOL, _NULL), "n": (_BOOL, _NULL),
}
"""First character -> (tag, pattern) in PyYAML's order; every pattern is read in re.X mode."""

# Compiled when first asked: most values start with a letter that no pattern starts with.
_TYPED = {first: [lazy_regex(pattern, re.X) for _, pattern in resolvers]
          for first, resolvers in IMPLICIT_RESOLVERS.items()}


def resolves_as_non_string(value: str) -> bool:
    """Would PyYAML (YAML 1.1) read this plain scalar as a bool, number, null or date? yaml-rs follows
    YAML 1.2 and reads `yes` as text: such values go to the full reader so both paths agree."""
    candidates = _TYPED.get(value[:1])
    if candidates is None:
        return False
    return any(regexp.match(value) for regexp in candidates)
