"""Messages to a file or a pipe are written without rich, and exactly as rich writes them there."""

from __future__ import annotations

import io
import sys

import pytest
from rich.console import Console
from rich.text import Text

from kehoach.cli import console
from kehoach.domain.text import visible

MESSAGES = ["Đã ghi nhận nhiệm vụ 17, Sở Tư pháp, kỳ 2026-H1: Hoàn thành.", "[Phòng A] :smile: *đậm*",
            "hai\ndòng", "", "  thụt lề  ", "tab\tở giữa", "xuống\rdòng", "chuông\x07"]


def rich_text(message: str, style: str) -> str:
    buffer = io.StringIO()
    Console(file=buffer, markup=False, highlight=False, emoji=False, soft_wrap=True).print(Text(message, style=style))
    return buffer.getvalue()


@pytest.mark.parametrize("message", MESSAGES)
@pytest.mark.parametrize(("say", "style"), [(console.info, ""), (console.error, "red"), (console.warning, "yellow")])
def test_plain_message_is_what_rich_prints(monkeypatch: pytest.MonkeyPatch, message: str, say, style: str) -> None:
    buffer = io.StringIO()
    monkeypatch.setattr(sys, "stderr", buffer)
    console.err.cache_clear()
    say(message)
    # Controls are shown as their codes, never sent to the terminal (domain.text.visible).
    assert buffer.getvalue() == rich_text(visible(message), style)


def test_messages_do_not_import_rich() -> None:
    import subprocess

    code = ("import sys; from kehoach.cli import console; console.info('Xin chào'); "
            "print([m for m in sys.modules if m.startswith('rich')])")
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True)
    assert (out.stdout.strip(), out.stderr) == ("[]", "Xin chào\n")
