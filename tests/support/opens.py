"""Which status files a piece of code opens: an audit hook (installed once) that counts only while asked."""

from __future__ import annotations

import sys
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import TypeVar

_opened: list[str] = []
_counting = [False]
T = TypeVar("T")


def _count_opens(event: str, args: tuple[object, ...]) -> None:
    if _counting[0] and event == "open" and isinstance(args[0], str) and args[0].endswith(".yaml"):
        _opened.append(args[0])


sys.addaudithook(_count_opens)


@contextmanager
def _counting_opens() -> Iterator[list[str]]:
    _opened.clear()
    _counting[0] = True
    try:
        yield _opened
    finally:
        _counting[0] = False


def yaml_opened(status_dir: Path, work: Callable[[], T]) -> tuple[list[str], T]:
    """The .yaml files `work` opens, relative to `status_dir` and sorted, and what it returned."""
    with _counting_opens() as opened:
        result = work()
    return sorted(Path(p).relative_to(status_dir).as_posix() for p in opened), result
