"""Work spread over the cores this process may use: the one way kehoach starts worker processes, for
reading the status files of a first run and for computing the report parts of many trackers.

Workers are forked (they start with kehoach imported; spawning would import it again in each one),
draw no progress bar (the parent's bar is the parent's), and start no pool of their own."""

from __future__ import annotations

import os
import threading
from typing import Any

from kehoach.store.progress import PARSING_PROGRESS

_in_worker = False


def usable_cores() -> int:
    """The cores this process may run on (a container or `taskset` may allow fewer than the machine has)."""
    try:
        return len(os.sched_getaffinity(0))
    except AttributeError:  # not on Linux
        return os.cpu_count() or 1


def may_start_workers() -> bool:
    """False inside a worker (its parent already uses every core) and off the main thread (forking
    while other threads run could copy a lock some thread holds)."""
    return not _in_worker and threading.current_thread() is threading.main_thread()


def pool_options() -> dict[str, Any]:
    """What `ProcessPoolExecutor(workers, **pool_options())` needs to start kehoach's workers."""
    import multiprocessing  # only where workers start: ~10 ms of imports a warm run does without

    methods = multiprocessing.get_all_start_methods()
    return {"mp_context": multiprocessing.get_context("fork" if "fork" in methods else None),
            "initializer": _start_worker}


def _start_worker() -> None:
    global _in_worker
    _in_worker = True
    PARSING_PROGRESS.set(None)
