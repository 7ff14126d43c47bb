"""Click's own messages and help frame in Vietnamese: clerks read Vietnamese, and the vendored click
prints English."""

from __future__ import annotations

import re

# click words these differently from one release to the next ("No such option: --x",
# "No such option '--x'."); the patterns accept both.
_CLICK_MESSAGES = [
    (re.compile(r"No such option:? '?([^'\s]+?)'?\.?(?: Did you mean|$)"), "không có tùy chọn {0}"),
    (re.compile(r"No such command:? '?([^'\s]+?)'?\.?$"), "không có lệnh '{0}'"),
    (re.compile(r"Missing argument '([^']+)'\."), "thiếu tham số {0}"),
    (re.compile(r"Missing option '(.+)'\."), "thiếu tùy chọn {0}"),
    (re.compile(r"Option '([^']+)' requires an argument\."), "tùy chọn {0} cần một giá trị"),
    (re.compile(r"Got unexpected extra arguments? \((.*)\)"), "thừa tham số: {0}"),
    (re.compile(r"Invalid value for '([^']+)': (.*)", re.S), "giá trị không hợp lệ cho {0}: {1}"),
]


def usage_message(exc: Exception) -> str:
    text = exc.format_message()  # type: ignore[attr-defined]
    for pattern, template in _CLICK_MESSAGES:
        match = pattern.search(text)
        if match:
            text = template.format(*((g or "").replace("' / '", " / ") for g in match.groups()))
            break
    ctx = getattr(exc, "ctx", None)
    command = ctx.command_path if ctx else "kehoach"
    return f"Lỗi: {text}\nXem hướng dẫn: {command} --help"


_HELP_WORDS = [
    ("Usage: ", "Cách dùng: "),
    ("Options:", "Tùy chọn:"),
    ("Arguments:", "Tham số:"),
    ("Commands:", "Lệnh:"),
    ("Show this message and exit.", "Hiện hướng dẫn này rồi thoát."),
    ("[required]", "[bắt buộc]"),
    ("[default: ", "[mặc định: "),
    ("[OPTIONS]", "[TÙY_CHỌN]"),
    (" <str>", ""),
    (" <int>", " <số>"),
    ("COMMAND [ARGS]...", "LỆNH [THAM_SỐ]..."),
]


def help_in_vietnamese(text: str) -> str:
    """The vendored click prints its help frame in English; clerks read Vietnamese."""
    for english, vietnamese in _HELP_WORDS:
        text = text.replace(english, vietnamese)
    return text
