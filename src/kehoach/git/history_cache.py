"""git history, remembered: what `log` asks git, kept in `.kehoach-cache/` (derived, safe to delete).

A commit never changes. `git log HEAD -- PATHS` answers the same for as long as HEAD is the same
commit, and the records in a blob are the same forever. At 5,000 commits the walk costs ~0.15 s
(git 2.39 uses its Bloom filters for one literal path only, and `log --unit X` asks for
status/*/X.yaml) and parsing the YAML of every version of a unit's files ~0.1 s; both are paid once:

- `log.marshal`: the raw output of the last few queries, each with the HEAD it was read at. When HEAD
  has moved forward along a line (every new commit a descendant of the old HEAD, none a merge: what
  `record` and `import` do), git is asked only about the new commits and their output goes in front:
  in --topo-order a line of commits on top of the old HEAD comes before all of it, and below it git
  orders the old history as it did. Anything else (a merge, a reset, a rebase) asks git again.
- `history/<file name>.marshal`: the records of each blob (by its id) that held that status file.
- `merges.marshal`: for each merge commit, its merge base and the status files both sides changed
  since it (three git commands a merge to find out; a tracker shared through `sync` gains a merge
  at nearly every sync, so `log` would grow slower by ~15 ms a merge).
"""

from __future__ import annotations

import hashlib
import re
from collections.abc import Callable
from pathlib import Path
from typing import Any

from kehoach.domain.model import Record
from kehoach.git import run as gitio
from kehoach.store.files import read_derived, write_derived
from kehoach.store.layout import CACHE_DIR
from kehoach.store.record_rows import from_rows, to_row

FORMAT = 3  # 3: log output NUL-framed (-z fields)
LOG_FILE = "log.marshal"
MERGES_FILE = "merges.marshal"
HISTORY_DIR = "history"
KEPT_QUERIES = 8
_SAFE_NAME = re.compile(r"^[a-z0-9][a-z0-9.-]{0,100}$")

Records = dict[tuple[str, str, str], Record]


def log_output(root: Path, data_dir: Path, args: list[str], pathspec: str) -> str:
    """`git <args> HEAD -- <pathspec>`, from the cache when HEAD has not moved."""
    head = gitio.head_commit(root)
    path = data_dir / CACHE_DIR / LOG_FILE
    queries = _read(path)
    query = "\0".join([*args, pathspec])
    cached = queries.get(query)
    if cached is not None and cached[0] == head:
        return cached[1]
    if cached is not None and cached[0] is not None and head is not None and _moved_forward_in_a_line(
            root, cached[0], head):
        # NUL-framed output (-z): one more NUL between the two parts is an empty field the reader skips.
        output = gitio.git([*args, f"{cached[0]}..{head}", "--", pathspec], cwd=root).stdout + "\0" + cached[1]
    else:
        output = gitio.git([*args, "--", pathspec], cwd=root).stdout
    queries.pop(query, None)
    queries[query] = (head, output)
    kept = dict(list(queries.items())[-KEPT_QUERIES:])
    write_derived(path, FORMAT, kept)
    return output


def _moved_forward_in_a_line(root: Path, old: str, new: str) -> bool:
    ancestor = gitio.git(["merge-base", "--is-ancestor", old, new], cwd=root, check=False).returncode == 0
    return ancestor and not gitio.git(["rev-list", "--merges", f"{old}..{new}"], cwd=root).stdout.strip()


# One merge as `audit` reads it: (merge commit, first parent, second parent).
Merge = tuple[str, str, str]


def merge_touches(data_dir: Path, pathspec: str, merges: list[Merge],
                  ask: Callable[[Merge], tuple[str, tuple[str, ...]]]) -> dict[str, tuple[str, tuple[str, ...]]]:
    """Merge commit -> (merge base, the files under `pathspec` both sides changed since it), asked of
    git (`ask`) once per merge and pathspec: commits never change, so neither does the answer."""
    path = data_dir / CACHE_DIR / MERGES_FILE
    stored = _read(path)
    found = stored.get(pathspec)
    # Only well-formed answers are believed: anything else is asked of git again.
    known = {merge: answer for merge, answer in found.items() if _is_touch(answer)} if isinstance(found, dict) else {}
    missing = [m for m in merges if m[0] not in known]
    for merge in missing:
        known[merge[0]] = ask(merge)
    if missing:
        stored.pop(pathspec, None)
        stored[pathspec] = known
        write_derived(path, FORMAT, dict(list(stored.items())[-KEPT_QUERIES:]))
    return {m[0]: known[m[0]] for m in merges}


def _is_touch(answer: Any) -> bool:
    return (isinstance(answer, tuple) and len(answer) == 2 and isinstance(answer[0], str)
            and isinstance(answer[1], tuple) and all(isinstance(p, str) for p in answer[1]))


def _read(path: Path) -> dict[str, Any]:
    found = read_derived(path, FORMAT)
    return found if isinstance(found, dict) else {}


def blob_records(data_dir: Path, wanted: dict[str, str], fetch: Callable[[set[str]], dict[str, str]],
                 parse: Callable[[str, str], Records]) -> dict[str, Records]:
    """The records of each blob in `wanted` (blob id -> the path it was found at), parsed once ever.

    `fetch` gives the text of blobs not yet known, `parse` reads records from a text."""
    by_name: dict[str, dict[str, str]] = {}
    for blob, path in wanted.items():
        by_name.setdefault(path.rsplit("/", 1)[-1], {})[blob] = path
    result: dict[str, Records] = {}
    for name, blobs in by_name.items():
        shard = _shard_path(data_dir, name)
        known = _read_shard(shard)
        missing = set(blobs) - known.keys()
        if missing:
            texts = fetch(missing)
            for blob in missing:
                known[blob] = [to_row(r) for r in parse(texts.get(blob, ""), blobs[blob]).values()]
            write_derived(shard, FORMAT, known)
        for blob in blobs:
            result[blob] = {r.key: r for r in from_rows(known[blob], None)}
    return result


def _shard_path(data_dir: Path, name: str) -> Path:
    safe = name if _SAFE_NAME.match(name) else hashlib.sha256(name.encode()).hexdigest()[:32]
    return data_dir / CACHE_DIR / HISTORY_DIR / f"{safe}.marshal"


def _read_shard(path: Path) -> dict[str, list[tuple[Any, ...]]]:
    found = read_derived(path, FORMAT)
    return found if isinstance(found, dict) else {}
