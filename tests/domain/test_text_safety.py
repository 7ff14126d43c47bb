"""The one rule for characters data may not carry, and the escapes every output uses."""

import errno

from kehoach.domain.text import forbidden_character, spreadsheet_safe, visible
from kehoach.errors import os_error_message


def test_forbidden_character_names_the_first_control():
    assert forbidden_character("đã xong\x1b[2J") == "ký tự điều khiển U+001B"
    assert forbidden_character("x\ufffey") == "ký tự không hợp lệ U+FFFE"
    assert forbidden_character("ghi chú\x1fsau") == "ký tự điều khiển U+001F"
    assert forbidden_character("\x85") == "ký tự điều khiển U+0085"
    assert forbidden_character("a\ud800") == "ký tự không hợp lệ U+D800"


def test_tab_and_line_feed_are_allowed_unless_one_line():
    assert forbidden_character("dòng 1\ndòng 2\tcột") is None
    assert forbidden_character("dòng 1\ndòng 2", one_line=True) == "ký tự điều khiển U+000A"
    assert forbidden_character("Sở Tư pháp") is None


def test_visible_shows_codes_instead_of_running_them():
    assert visible("\x1b]8;;http://x\x07RED\x1b[0m") == "\\x1b]8;;http://x\\x07RED\\x1b[0m"
    assert visible("a\rb\x08c") == "a\\x0db\\x08c"
    assert visible("hai\ndòng") == "hai\ndòng"
    assert visible("x\ufffey") == "x\\ufffey"


def test_spreadsheet_safe_neutralises_formula_starts():
    for text in ("=1+1", "+cmd|' /C calc'!A0", "-1+1", "@SUM(A1)", "\t=1", "\r=1"):
        assert spreadsheet_safe(text) == "'" + text
    assert spreadsheet_safe("Sở Tư pháp") == "Sở Tư pháp"
    assert spreadsheet_safe("") == ""


def test_os_error_message_in_vietnamese():
    full = OSError(errno.ENOSPC, "No space left on device", "/data/x.yaml")
    assert os_error_message(full) == "không ghi hoặc đọc được /data/x.yaml: ổ đĩa đã đầy"
    assert os_error_message(OSError(errno.EROFS, "Read-only"), "báo cáo.xlsx") == (
        "không ghi hoặc đọc được báo cáo.xlsx: ổ đĩa hoặc thư mục chỉ cho đọc")
