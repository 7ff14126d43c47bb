"""The plan and the units, parsed once: a derived cache of `plan.yaml` and `units.yaml`.

Every command starts by reading both files. Importing the YAML parser and building a tree that knows
every line costs ~30 ms, a third of a command's start-up, for files that change a few times a year.
A file `.kehoach-cache/definitions.marshal` keeps the parsed Plan, Units and Groups:

- the key is the content hash of both files, the paths their messages print (they depend on the
  current folder) and the source of the modules that make the objects, so a file edited, a command
  run from another folder or a new kehoach version all parse again;
- only definitions without problems are kept: `validate` always parses data that has some;
- marshal, not pickle: loading a cache found on a shared drive must never run code. Objects travel
  as tuples of their fields and are rebuilt by calling their own class, from a fixed list of classes.
"""

from __future__ import annotations

import dataclasses
import datetime as dt
import functools
import hashlib
from pathlib import Path
from typing import Any

from kehoach.domain import model
from kehoach.store.files import read_derived, write_derived
from kehoach.store.layout import cache_dir

CACHE_FILE = "definitions.marshal"
FORMAT = 4

_CLASSES = {cls.__name__: cls for cls in (
    model.Source, model.MonthDay, model.PeriodRule, model.Cadence, model.WhoPhrase, model.Condition,
    model.Task, model.LegalBasis, model.ReportHeader, model.Plan, model.Group, model.Unit)}
_DATE = "date"

Stored = tuple[model.Plan, dict[str, model.Unit], dict[str, model.Group]]


def cache_path(data_dir: Path, plan_name: str | None = None) -> Path:
    """One cache file a plan: definitions.marshal for data/plan.yaml, definitions-NAME.marshal for
    plans/NAME.yaml, so opening one plan never overwrites the entry of another."""
    return cache_dir(data_dir) / (CACHE_FILE if plan_name is None else f"definitions-{plan_name}.marshal")


def key(texts: list[bytes], shown: list[str]) -> bytes | None:
    """None when kehoach's own source cannot be read (a zipped install): then nothing is cached."""
    try:
        version = _code_version()
    except OSError:
        return None
    digest = hashlib.sha256(FORMAT.to_bytes(2, "big"))
    for raw in texts:
        digest.update(hashlib.sha256(raw).digest())
    digest.update("\0".join(shown).encode())
    digest.update(version)
    return digest.digest()


@functools.cache  # the source cannot change while a command runs
def _code_version() -> bytes:
    """The source of the modules whose objects are stored: a changed class never meets old data.
    Read as files, not imported: importing the loader would import the YAML parser this cache avoids."""
    package = Path(model.__file__ or "").parent.parent
    digest = hashlib.sha256()
    for name in ("domain/model.py", "store/plan_reader.py", "domain/registry.py", "store/definitions_cache.py"):
        digest.update((package / name).read_bytes())
    return digest.digest()


_SHARED_UNITS: dict[bytes, tuple[Any, Any]] = {}
"""Units and groups decoded in this process, by `units_key`: the plans of a tracker share one
units.yaml, so twenty plans decode it once, not twenty times."""


def load(data_dir: Path, wanted: bytes, plan_name: str | None = None, units_key: bytes | None = None,
         ) -> Stored | None:
    """`units_key`: `key` of units.yaml alone; its units and groups, once decoded, are those of every
    plan whose entry was made from the same file."""
    try:
        stored_key, value = read_derived(cache_path(data_dir, plan_name), FORMAT)
        if stored_key != wanted:
            return None
        plan_value, units_value, groups_value = value
        plan = _decode(plan_value)
        shared = _SHARED_UNITS.get(units_key) if units_key is not None else None
        if shared is None:
            shared = (_decode(units_value), _decode(groups_value))
        units, groups = shared
    except (EOFError, ValueError, TypeError, KeyError, IndexError):
        return None
    if not isinstance(plan, model.Plan) or not isinstance(units, dict) or not isinstance(groups, dict):
        return None
    if units_key is not None:
        _SHARED_UNITS[units_key] = shared
    return plan, units, groups


def save(data_dir: Path, wanted: bytes, found: Stored, plan_name: str | None = None) -> None:
    try:
        value = tuple(_encode(v) for v in found)
    except TypeError:  # a model class this cache does not know: just no cache
        return
    write_derived(cache_path(data_dir, plan_name), FORMAT, (wanted, value))


def _encode(value: Any) -> Any:
    """Objects become lists [class name, *fields] and dates ["date", ordinal]: the model holds no lists
    of its own (its sequences are tuples), so a list always means one of these."""
    kind = type(value)
    if _CLASSES.get(kind.__name__) is kind:
        names = kind._fields if issubclass(kind, tuple) else [f.name for f in dataclasses.fields(value)]
        return [kind.__name__, *(_encode(getattr(value, name)) for name in names)]
    if dataclasses.is_dataclass(value) or hasattr(value, "_fields"):
        raise TypeError(f"not a stored class: {kind.__name__}")
    if isinstance(value, dt.date):
        return [_DATE, value.toordinal()]
    if isinstance(value, tuple):
        return tuple(_encode(v) for v in value)
    if isinstance(value, dict):
        return {k: _encode(v) for k, v in value.items()}
    if isinstance(value, (list, set, frozenset)):
        raise TypeError(f"not a stored value: {type(value).__name__}")
    return value


def _decode(value: Any) -> Any:
    kind = type(value)
    if kind is list:
        if value[0] == _DATE:
            return dt.date.fromordinal(value[1])
        return _CLASSES[value[0]](*[_decode(v) for v in value[1:]])
    if kind is tuple:
        return tuple([_decode(v) for v in value])
    if kind is dict:
        return {k: _decode(v) for k, v in value.items()}
    return value
