"""The plan and the units, parsed once: a derived cache of `plan.yaml` and `units.yaml`.

Every command starts by reading both files. Importing the YAML parser and building a tree that knows
every line costs ~30 ms, a third of a command's start-up, for files that change a few times a year.
A file `.kehoach-cache/definitions.marshal` keeps the parsed Plan, Units and Groups:

- the key is the content hash of both files and the source of the modules that make the objects, so
  a file edited or a new kehoach version parse again;
- the paths messages print depend on the current folder: a stored Source keeps which of the two files
  it names, and gets that file's path as this command prints it, so a clerk's terminal in the tracker's
  folder and a scheduled job elsewhere share one entry instead of each parsing again;
- only definitions without problems are kept: `validate` always parses data that has some;
- marshal, not pickle: loading a cache found on a shared drive must never run code. Objects travel
  as tuples of their fields and are rebuilt by calling their own class, from a fixed list of classes.
"""

from __future__ import annotations

import dataclasses
import datetime as dt
import functools
import hashlib
from collections.abc import Callable
from pathlib import Path
from typing import Any

from kehoach.domain import model
from kehoach.store.files import read_derived, write_derived
from kehoach.store.layout import cache_dir

CACHE_FILE = "definitions.marshal"
FORMAT = 5

_CLASSES = {cls.__name__: cls for cls in (
    model.MonthDay, model.PeriodRule, model.Cadence, model.WhoPhrase, model.Condition,
    model.Task, model.LegalBasis, model.ReportHeader, model.Plan, model.Group, model.Unit)}
_DATE = "date"
_SOURCE = "Source"
"""A Source is stored as [_SOURCE, which of the two files, line, col] (`_encode`)."""

Stored = tuple[model.Plan, dict[str, model.Unit], dict[str, model.Group]]
Shown = tuple[str, str]
"""The paths of units.yaml and of the plan's file as this command's messages print them."""


def cache_path(data_dir: Path, plan_name: str | None = None) -> Path:
    """One cache file a plan: definitions.marshal for data/plan.yaml, definitions-NAME.marshal for
    plans/NAME.yaml, so opening one plan never overwrites the entry of another."""
    return cache_dir(data_dir) / (CACHE_FILE if plan_name is None else f"definitions-{plan_name}.marshal")


def key(texts: list[bytes]) -> bytes | None:
    """None when kehoach's own source cannot be read (a zipped install): then nothing is cached."""
    try:
        version = _code_version()
    except OSError:
        return None
    digest = hashlib.sha256(FORMAT.to_bytes(2, "big"))
    for raw in texts:
        digest.update(hashlib.sha256(raw).digest())
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


_SHARED_UNITS: dict[tuple[bytes, str], tuple[Any, Any]] = {}
"""Units and groups decoded in this process, by `units_key` and the path units.yaml is shown as: the
plans of a tracker share one units.yaml, so twenty plans decode it once, not twenty times."""


def load(data_dir: Path, wanted: bytes, shown: Shown, plan_name: str | None = None,
         units_key: bytes | None = None) -> Stored | None:
    """`units_key`: `key` of units.yaml alone; its units and groups, once decoded, are those of every
    plan whose entry was made from the same file."""
    decode = _decoder(shown)
    shared_key = (units_key, shown[0]) if units_key is not None else None
    try:
        stored_key, value = read_derived(cache_path(data_dir, plan_name), FORMAT)
        if stored_key != wanted:
            return None
        plan_value, units_value, groups_value = value
        plan = decode(plan_value)
        shared = _SHARED_UNITS.get(shared_key) if shared_key is not None else None
        if shared is None:
            shared = (decode(units_value), decode(groups_value))
        units, groups = shared
    except (EOFError, ValueError, TypeError, KeyError, IndexError):
        return None
    if not isinstance(plan, model.Plan) or not isinstance(units, dict) or not isinstance(groups, dict):
        return None
    if shared_key is not None:
        _SHARED_UNITS[shared_key] = shared
    return plan, units, groups


def save(data_dir: Path, wanted: bytes, found: Stored, shown: Shown, plan_name: str | None = None) -> None:
    try:
        value = tuple(_encode(v, shown) for v in found)
    except TypeError:  # a model class this cache does not know: just no cache
        return
    write_derived(cache_path(data_dir, plan_name), FORMAT, (wanted, value))


def _encode(value: Any, shown: Shown) -> Any:
    """Objects become lists [class name, *fields] and dates ["date", ordinal]: the model holds no lists
    of its own (its sequences are tuples), so a list always means one of these. A Source keeps the
    position of its file in `shown` instead of the path."""
    kind = type(value)
    if kind is model.Source:
        if value.path not in shown:
            raise TypeError(f"a source in neither file: {value.path}")
        return [_SOURCE, shown.index(value.path), value.line, value.col]
    if _CLASSES.get(kind.__name__) is kind:
        names = kind._fields if issubclass(kind, tuple) else [f.name for f in dataclasses.fields(value)]
        return [kind.__name__, *(_encode(getattr(value, name), shown) for name in names)]
    if dataclasses.is_dataclass(value) or hasattr(value, "_fields"):
        raise TypeError(f"not a stored class: {kind.__name__}")
    if isinstance(value, dt.date):
        return [_DATE, value.toordinal()]
    if isinstance(value, tuple):
        return tuple(_encode(v, shown) for v in value)
    if isinstance(value, dict):
        return {k: _encode(v, shown) for k, v in value.items()}
    if isinstance(value, (list, set, frozenset)):
        raise TypeError(f"not a stored value: {type(value).__name__}")
    return value


def _decoder(shown: Shown) -> Callable[[Any], Any]:
    """Rebuilds what `_encode` made, each Source naming its file as `shown` says."""
    source, date, classes = model.Source, dt.date.fromordinal, _CLASSES

    def decode(value: Any) -> Any:
        kind = type(value)
        if kind is list:
            name = value[0]
            if name == _DATE:
                return date(value[1])
            if name == _SOURCE:
                return source(shown[value[1]], value[2], value[3])
            return classes[name](*[decode(v) for v in value[1:]])
        if kind is tuple:
            return tuple([decode(v) for v in value])
        if kind is dict:
            return {k: decode(v) for k, v in value.items()}
        return value

    return decode
