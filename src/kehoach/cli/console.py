"""The one Console wrapper: markup off (a unit named "[Phòng A]" prints as it is), colour only on a
terminal without NO_COLOR, errors to stderr. Tables and progress bars are drawn by `render.terminal`.

rich is imported only when it has something to add: a message going to a file or a pipe is the same
plain line rich would print there, written directly (importing rich costs ~20 ms, a fifth of a
command's start-up)."""

from __future__ import annotations

import os
import sys
from collections.abc import Callable, Iterator, Sequence
from contextlib import contextmanager
from functools import cache
from typing import IO, TYPE_CHECKING, TypeVar

if TYPE_CHECKING:
    from rich.console import Console

    from kehoach.render.rows import Table

T = TypeVar("T")
Step = Callable[[int, int], None]
"""Called as `step(done, total)` after each item of a long run."""


@cache
def out() -> Console:
    from rich.console import Console

    return Console(markup=False, highlight=False, emoji=False, soft_wrap=False)


@cache
def err() -> Console:
    from rich.console import Console

    return Console(stderr=True, markup=False, highlight=False, emoji=False, soft_wrap=True)


def write(text: str) -> None:
    """Plain text to stdout, exactly as given (renderers already made it)."""
    sys.stdout.write(text)
    sys.stdout.flush()


def error(message: str) -> None:
    _message(message, "red")


def warning(message: str) -> None:
    _message(message, "yellow")


def info(message: str) -> None:
    _message(message, "")


def _message(message: str, style: str) -> None:
    """Every message passes `visible`: a name typed with an escape sequence in it is shown, not run."""
    from kehoach.domain.text import visible

    message = visible(message)
    stream = sys.stderr
    if _plain(stream, message):
        stream.write(message + "\n")
        stream.flush()
        return
    from rich.text import Text

    err().print(Text(message, style=style))


def _plain(stream: IO[str], message: str) -> bool:
    """rich would print the message unchanged: no terminal, no forced colour, nothing it rewrites
    (tabs it expands, control characters it drops)."""
    if os.environ.get("FORCE_COLOR") or os.environ.get("TTY_COMPATIBLE") or os.environ.get("TTY_INTERACTIVE"):
        return False
    try:
        if stream.isatty():
            return False
    except (AttributeError, ValueError):
        return False
    return message.replace("\n", "").isprintable()


def print_tables(tables: Sequence[Table]) -> None:
    from kehoach.render.terminal import print_tables as render

    render(out(), tables)


def progress(items: Sequence[T], description: str) -> Iterator[T]:
    """A progress bar on a terminal; plain iteration when output goes to a pipe or file."""
    if not _both_terminals():
        return iter(items)
    from kehoach.render.terminal import progress as bar

    return bar(err(), items, description)


@contextmanager
def steps(description: str) -> Iterator[Step | None]:
    """The callback a long command takes (`progress=`): a bar on a terminal, None (nothing drawn, no
    line added) when stdout or stderr goes to a pipe or a file."""
    if not _both_terminals():
        yield None
        return
    from kehoach.render.terminal import progress_steps

    with progress_steps(err(), description) as step:
        yield step


@contextmanager
def parsing_progress() -> Iterator[None]:
    """For the command's length: a bar on a terminal if the run turns out to parse many status files
    (`store.progress.PARSING_PROGRESS`), drawn only from the first report, so a quick run draws nothing."""
    if not _both_terminals():
        yield
        return
    from contextlib import ExitStack

    from kehoach.store.progress import PARSING_PROGRESS

    with ExitStack() as stack:
        drawn: list[Step] = []

        def step(done: int, total: int) -> None:
            if not drawn:
                from kehoach.render.terminal import progress_steps

                drawn.append(stack.enter_context(progress_steps(err(), "Đang đọc các tệp trạng thái")))
            drawn[0](done, total)

        token = PARSING_PROGRESS.set(step)
        try:
            yield
        finally:
            PARSING_PROGRESS.reset(token)


def _both_terminals() -> bool:
    try:
        return sys.stdout.isatty() and sys.stderr.isatty()
    except (AttributeError, ValueError):
        return False
