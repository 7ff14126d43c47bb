"""Everything the command line says before a command runs is Vietnamese: help, placeholders, defaults,
the examples block, unknown commands and options, refused values, missing arguments."""

from __future__ import annotations

import re

import click
import pytest
import typer
from typer.models import ArgumentInfo
from typer.utils import get_params_from_function

from kehoach.cli.app import app
from kehoach.cli.wording import KehoachCommand
from support.cli import run_cli

COMMANDS = [c.name for c in app.registered_commands if c.name]
# The commands of cli/plan_commands, status_commands and report_command, which carry examples today.
WITH_EXAMPLES = ["validate", "tasks", "units", "show", "check", "status", "log", "init", "report", "form",
                 "import", "record", "undo", "commit", "resolve", "setup-git", "sync"]
# Words of click's English frame and placeholders; option values (table, csv, json…) are names, not English.
ENGLISH = re.compile(r"\b(Usage|Options?|Arguments?|Commands?|Positional|Show this message|TEXT|INTEGER|RANGE|"
                     r"FLOAT|PATH|FILES?|DIRECTORY|BOOLEAN|default|required|env var|Did you mean|Invalid|"
                     r"Missing|No such|Error|Try)\b|x>=|x<=|\[OPTIONS\]|COMMAND|ARGS")


def click_command(name: str) -> click.Command:
    group = typer.main.get_command(app)
    assert isinstance(group, click.Group)
    command = group.commands[name]
    return command


def declared_arguments(name: str) -> dict[str, ArgumentInfo]:
    """The arguments of a command's function as its code declares them, help included."""
    callback = next(c.callback for c in app.registered_commands if c.name == name)
    return {key: meta.default for key, meta in get_params_from_function(callback).items()
            if isinstance(meta.default, ArgumentInfo)}


def flat(text: str) -> str:
    return " ".join(text.split())


@pytest.mark.parametrize("name", COMMANDS)
def test_every_help_is_vietnamese_and_shows_each_argument_help(name: str) -> None:
    result = run_cli(name, "--help")
    assert (result.exit_code, result.stderr) == (0, "")
    assert ENGLISH.search(result.stdout) is None, ENGLISH.search(result.stdout)
    assert isinstance(click_command(name), KehoachCommand)
    if name == "merge-driver":  # git calls it; it has no arguments a clerk types
        return
    for argument, declared in declared_arguments(name).items():
        assert declared.help, f"{name}: {argument} has no help"
        assert flat(declared.help) in flat(result.stdout)


def test_show_prints_its_argument_with_its_meaning() -> None:
    assert "\nTham số:\n  NHIỆM_VỤ  Mã nhiệm vụ, ví dụ 1, 17, III.3.  [bắt buộc]\n" in run_cli("show", "--help").stdout


def test_defaults_and_ranges_are_in_vietnamese() -> None:
    help_text = run_cli("check", "--help").stdout
    assert "  -w, --within SỐ_NGÀY" in help_text
    assert "[mặc định: 30; tối thiểu 0]" in flat(help_text)


@pytest.mark.parametrize("name", [c.name for c in app.registered_commands if c.name and not c.hidden])
def test_every_command_ends_with_two_or_three_examples_shown_verbatim(name: str) -> None:
    help_text = run_cli(name, "--help").stdout
    if name not in WITH_EXAMPLES and "\n\nVí dụ:\n" not in help_text:
        pytest.skip(f"kehoach {name}: its examples are still to be added with @examples in its cli module")
    assert "\n\nVí dụ:\n" in help_text
    block = help_text.split("\n\nVí dụ:\n", 1)[1]
    commands = [line for line in block.splitlines() if line.startswith("  kehoach ")]
    assert 2 <= len(commands) <= 3
    assert all(line.startswith(f"  kehoach {name}") for line in commands)
    meanings = [line for line in block.splitlines() if line.startswith("      ")]
    assert len(meanings) == len(commands)


def test_kehoach_alone_prints_the_vietnamese_help_and_succeeds() -> None:
    result = run_cli()
    assert result.exit_code == 0
    assert result.stdout.startswith("Cách dùng: kehoach [TÙY_CHỌN] LỆNH [THAM_SỐ]...\n")
    assert "\nLệnh:\n" in result.stdout and "  -h, --help  Hiện hướng dẫn này rồi thoát.\n" in result.stdout
    assert ENGLISH.search(result.stdout) is None
    assert "merge-driver" not in result.stdout


@pytest.mark.parametrize(("args", "message"), [
    (("reprot",), "Lỗi: không có lệnh 'reprot'. Có phải: kehoach report?\nXem hướng dẫn: kehoach --help\n"),
    (("chek", "--as-of", "1/6/2026"), "Lỗi: không có lệnh 'chek'. Có phải: kehoach check?\n"
                                      "Xem hướng dẫn: kehoach --help\n"),
    (("xyz",), "Lỗi: không có lệnh 'xyz'\nXem hướng dẫn: kehoach --help\n"),
    (("check", "--within", "-1"), "Lỗi: giá trị không hợp lệ cho --within / -w: không nhận -1, chỉ nhận số từ 0 "
                                  "trở lên\nXem hướng dẫn: kehoach check --help\n"),
    (("check", "--within", "ba"), "Lỗi: giá trị không hợp lệ cho --within / -w: 'ba' không phải là số nguyên\n"
                                  "Xem hướng dẫn: kehoach check --help\n"),
    (("report", "--format", "pdf"), "Lỗi: giá trị không hợp lệ cho --format / -f: 'pdf' không phải là một trong: "
                                    "table, plain, markdown, csv, json, xlsx, docx, html, jsonl\n"
                                    "Xem hướng dẫn: kehoach report --help\n"),
    (("show",), "Lỗi: thiếu tham số NHIỆM_VỤ\nXem hướng dẫn: kehoach show --help\n"),
    (("check", "--bogus"), "Lỗi: không có tùy chọn --bogus\nXem hướng dẫn: kehoach check --help\n"),
    (("check", "--withn", "3"), "Lỗi: không có tùy chọn --withn. Có phải: --within?\n"
                                "Xem hướng dẫn: kehoach check --help\n"),
    (("--verison",), "Lỗi: không có tùy chọn --verison. Có phải: --version?\nXem hướng dẫn: kehoach --help\n"),
    (("check", "--as-of"), "Lỗi: tùy chọn --as-of cần một giá trị\nXem hướng dẫn: kehoach check --help\n"),
    (("show", "1", "2"), "Lỗi: thừa tham số: 2\nXem hướng dẫn: kehoach show --help\n"),
])
def test_mistakes_get_one_vietnamese_message(args: tuple[str, ...], message: str) -> None:
    result = run_cli(*args)
    assert (result.exit_code, result.stdout, result.stderr) == (2, "", message)


def test_a_saved_record_is_reported_in_the_offices_words(tracker) -> None:
    result = run_cli("record", "17", "STP", "-s", "dang-thuc-hien", "-p", "2026-H1", "--as-of", "1/6/2026",
                     "--data", str(tracker))
    assert result.exit_code == 0
    assert "commit" not in result.stderr.lower()
    assert re.search(r"^Đã lưu vào lịch sử thay đổi \(mã [0-9a-f]{10}\)\.$", result.stderr, re.MULTILINE)
