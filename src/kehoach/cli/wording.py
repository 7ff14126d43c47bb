"""The command line in Vietnamese: the help frame (usage, headings, placeholders, defaults, the "Ví dụ:"
block) and click's own error messages. Clerks read Vietnamese and the click typer vendors speaks
English, so its Command and Group are subclassed here, once, rather than their strings patched where
they are printed.

A command's examples are attached with `examples(...)`, the one way every `cli/*_commands.py` module
gives them:

    @examples(("kehoach check", "việc quá hạn và sắp đến hạn hôm nay"), ...)
    def check(...): ...
"""

from __future__ import annotations

import inspect
import re
from collections.abc import Callable, Sequence
from typing import Any, TypeVar

import click
from typer.core import TyperCommand, TyperGroup

from kehoach.domain.text import lazy_regex

F = TypeVar("F", bound=Callable[..., Any])

HELP_OPTION_TEXT = "Hiện hướng dẫn này rồi thoát."
OPTIONS_METAVAR = "[TÙY_CHỌN]"
SUBCOMMAND_METAVAR = "LỆNH [THAM_SỐ]..."
_EXAMPLES_ATTRIBUTE = "__kehoach_examples__"

# The placeholder click prints for a value of each type, when a parameter names none of its own.
_TYPE_PLACEHOLDERS = [
    (lazy_regex(r"\b(?:INTEGER|FLOAT) RANGE\b"), "SỐ"),
    (lazy_regex(r"\b(?:INTEGER|FLOAT)\b"), "SỐ"),
    (lazy_regex(r"\bTEXT\b"), "CHỮ"),
    (lazy_regex(r"\b(?:FILENAME|FILE)\b"), "TỆP"),
    (lazy_regex(r"\bDIRECTORY\b"), "THƯ_MỤC"),
    (lazy_regex(r"\bPATH\b"), "ĐƯỜNG_DẪN"),
    (lazy_regex(r"\bBOOLEAN\b"), "CÓ_KHÔNG"),
]
# The bracket click appends to a parameter's help: "[default: 30; x>=0; required]".
_EXTRAS = lazy_regex(r"\s*\[([^\[\]]*(?:default: |required|env var: |x[<>]=?|[<>]=?x)[^\[\]]*)\]$")
_EXTRA_WORDS = [
    (lazy_regex(r"^default: (.*)$"), "mặc định: {0}"),
    (lazy_regex(r"^required$"), "bắt buộc"),
    (lazy_regex(r"^env var: (.*)$"), "biến môi trường: {0}"),
    (lazy_regex(r"^x>=(\S+)$"), "tối thiểu {0}"),
    (lazy_regex(r"^x<=(\S+)$"), "tối đa {0}"),
    (lazy_regex(r"^(\S+)<=x<=(\S+)$"), "từ {0} đến {1}"),
    (lazy_regex(r"^x>(\S+)$"), "lớn hơn {0}"),
    (lazy_regex(r"^x<(\S+)$"), "nhỏ hơn {0}"),
]


def command_line(*words: str) -> str:
    """A kehoach command to suggest, written so it runs as printed in a shell (words quoted if need be)."""
    import shlex

    return shlex.join(("kehoach", *words))


def examples(*pairs: tuple[str, str]) -> Callable[[F], F]:
    """Attach a command's examples: (the command line as typed, what it does). Shown verbatim under
    "Ví dụ:" at the end of its help, so each line can be copied into a shell as it stands."""

    def attach(function: F) -> F:
        setattr(function, _EXAMPLES_ATTRIBUTE, tuple(pairs))
        return function

    return attach


def examples_epilog(function: Callable[..., Any]) -> str | None:
    """The "Ví dụ:" block of a command function, for `app.command(epilog=...)`; None without examples."""
    pairs: Sequence[tuple[str, str]] = getattr(function, _EXAMPLES_ATTRIBUTE, ())
    if not pairs:
        return None
    lines = ["Ví dụ:"]
    for command, meaning in pairs:
        lines += [f"  {command}", f"      {meaning}"]
    return "\n".join(lines)


def placeholder(name: str) -> str:
    """A help line's option or argument part with click's English type placeholders in Vietnamese."""
    for pattern, vietnamese in _TYPE_PLACEHOLDERS:
        name = pattern.sub(vietnamese, name)
    return name


def help_line(text: str) -> str:
    """A parameter's help with click's trailing "[default: …; x>=0; required]" in Vietnamese."""
    match = _EXTRAS.search(text)
    if not match:
        return text
    parts = []
    for part in (p.strip() for p in match.group(1).split(";")):
        for pattern, template in _EXTRA_WORDS:
            found = pattern.match(part)
            if found:
                part = template.format(*found.groups())
                break
        parts.append(part)
    before = text[: match.start()]
    return f"{before}  [{'; '.join(parts)}]" if before else f"[{'; '.join(parts)}]"


class VietnameseHelpFormatter(click.HelpFormatter):
    def write_usage(self, prog: str, args: str = "", prefix: str | None = None) -> None:
        super().write_usage(prog, args, prefix="Cách dùng: ")


class VietnameseContext(click.Context):
    formatter_class = VietnameseHelpFormatter


def _argument_helps(callback: Callable[..., Any] | None) -> dict[str, str]:
    """Each argument's help as its function declares it. The click typer vendors drops an argument's
    help when it builds the parameter (`kehoach show --help` printed NHIỆM_VỤ without its meaning)."""
    if callback is None:
        return {}
    from typer.models import ArgumentInfo
    from typer.utils import get_params_from_function

    found = {}
    for name, meta in get_params_from_function(inspect.unwrap(callback)).items():
        if isinstance(meta.default, ArgumentInfo) and meta.default.help:
            found[name] = meta.default.help
    return found


class _VietnameseHelp:
    """What Command and Group share: the help option, the parameters' sections, the examples."""

    params: list[click.Parameter]
    epilog: str | None

    def _restore_argument_help(self, callback: Callable[..., Any] | None) -> None:
        helps = _argument_helps(callback)
        for param in self.params:
            if isinstance(param, click.Argument) and param.name in helps and not getattr(param, "help", None):
                param.help = helps[param.name]

    def get_help_option(self, ctx: click.Context) -> click.Option | None:
        option: click.Option | None = super().get_help_option(ctx)  # type: ignore[misc]
        if option is not None:
            option.help = HELP_OPTION_TEXT
        return option

    def format_arguments(self, ctx: click.Context, formatter: click.HelpFormatter) -> None:
        """Written by `format_options`, under its Vietnamese heading."""

    def format_options(self, ctx: click.Context, formatter: click.HelpFormatter) -> None:
        # Only help needs the arguments' help: reading the signature again costs every other run nothing.
        self._restore_argument_help(getattr(self, "callback", None))
        arguments: list[tuple[str, str]] = []
        options: list[tuple[str, str]] = []
        for param in self.get_params(ctx):  # type: ignore[attr-defined]
            record = param.get_help_record(ctx)
            if record is None:
                continue
            line = (placeholder(record[0]), help_line(record[1]))
            (arguments if param.param_type_name == "argument" else options).append(line)
        for heading, lines in (("Tham số", arguments), ("Tùy chọn", options)):
            if lines:
                with formatter.section(heading):
                    formatter.write_dl(lines)

    def format_epilog(self, ctx: click.Context, formatter: click.HelpFormatter) -> None:
        """The examples exactly as written: click would rewrap them into one paragraph."""
        if not self.epilog:
            return
        formatter.write_paragraph()
        for line in self.epilog.splitlines():
            formatter.write(f"{'':>{formatter.current_indent}}{line}\n" if line else "\n")


class KehoachCommand(_VietnameseHelp, TyperCommand):
    context_class = VietnameseContext

    def __init__(self, name: str | None, **attrs: Any) -> None:
        attrs["options_metavar"] = OPTIONS_METAVAR
        super().__init__(name, **attrs)

    def collect_usage_pieces(self, ctx: click.Context) -> list[str]:
        return [placeholder(piece) for piece in super().collect_usage_pieces(ctx)]

    def parse_args(self, ctx: click.Context, args: list[str]) -> list[str]:
        """click's option parser raises some errors without the command ("--as-of" with no value): give
        them this one, so the message points to this command's help."""
        try:
            return super().parse_args(ctx, args)
        except click.UsageError as exc:
            if exc.ctx is None:
                exc.ctx = ctx
            raise


class KehoachGroup(_VietnameseHelp, TyperGroup):
    context_class = VietnameseContext

    def __init__(self, **attrs: Any) -> None:
        attrs["options_metavar"] = OPTIONS_METAVAR
        attrs["subcommand_metavar"] = SUBCOMMAND_METAVAR
        super().__init__(**attrs)

    def format_options(self, ctx: click.Context, formatter: click.HelpFormatter) -> None:
        super().format_options(ctx, formatter)
        self.format_commands(ctx, formatter)

    def format_commands(self, ctx: click.Context, formatter: click.HelpFormatter) -> None:
        shown = [(name, command) for name in self.list_commands(ctx)
                 if (command := self.get_command(ctx, name)) is not None and not command.hidden]
        if not shown:
            return
        limit = formatter.width - 6 - max(len(name) for name, _ in shown)
        with formatter.section("Lệnh"):
            formatter.write_dl([(name, command.get_short_help_str(limit)) for name, command in shown])

    def resolve_command(
        self, ctx: click.Context, args: list[str]
    ) -> tuple[str | None, click.Command | None, list[str]]:
        """An unknown command name: one Vietnamese line with the one closest command, if any is close
        (click and typer would each add their own English "Did you mean")."""
        name = click.utils.make_str(args[0])
        if self.get_command(ctx, name) is None and not name.startswith("-") and not ctx.resilient_parsing:
            raise click.UsageError(unknown_command(name, self.list_commands(ctx), ctx), ctx)
        return click.Group.resolve_command(self, ctx, args)


def unknown_command(name: str, known: Sequence[str], ctx: click.Context) -> str:
    from kehoach.domain.suggest import closest

    visible = [n for n in known if (c := ctx.command.get_command(ctx, n)) is not None  # type: ignore[attr-defined]
               and not c.hidden]
    best = closest(name, [(n, n) for n in visible], limit=1)
    # ctx.command_path: "kehoach" for the commands, "kehoach plan" for those of the plan group.
    hint = f". Có phải: {ctx.command_path} {best[0]}?" if best else ""
    return f"không có lệnh '{name}'{hint}"


# click's own messages, as click words them: these are the ones a clerk can cause. click words some
# differently from one release to the next ("No such option: --x", "No such option '--x'."); the
# patterns accept both.
_CLICK_MESSAGES = [
    (lazy_regex(r"No such option:? '?([^'\s]+?)'?(?:\.|\s|$)"), "không có tùy chọn {0}"),
    (lazy_regex(r"No such command:? '?([^'\s]+?)'?\.?$"), "không có lệnh '{0}'"),
    (lazy_regex(r"Missing argument '([^']+)'\."), "thiếu tham số {0}"),
    (lazy_regex(r"Missing option '(.+)'\."), "thiếu tùy chọn {0}"),
    (lazy_regex(r"Missing command\."), "thiếu tên lệnh"),
    (lazy_regex(r"Option '([^']+)' requires an argument\."), "tùy chọn {0} cần một giá trị"),
    (lazy_regex(r"Option '([^']+)' does not take a value\."), "tùy chọn {0} không nhận giá trị"),
    (lazy_regex(r"Got unexpected extra arguments? \((.*)\)"), "thừa tham số: {0}"),
    (lazy_regex(r"Invalid value for '(.+?)': (.*)", re.S), "giá trị không hợp lệ cho {0}: {1}"),
]
# What click says of a value it refused (the second part of "Invalid value for …").
_VALUE_MESSAGES = [
    (lazy_regex(r"^'(.*)' is not one of (.*)\.$", re.S), "'{0}' không phải là một trong: {1}"),
    (lazy_regex(r"^(.*) is not in the range x>=(\S+)\.$"), "không nhận {0}, chỉ nhận số từ {1} trở lên"),
    (lazy_regex(r"^(.*) is not in the range x<=(\S+)\.$"), "không nhận {0}, chỉ nhận số từ {1} trở xuống"),
    (lazy_regex(r"^(.*) is not in the range (\S+)<=x<=(\S+)\.$"), "không nhận {0}, chỉ nhận số từ {1} đến {2}"),
    (lazy_regex(r"^'(.*)' is not a valid integer(?: range)?\.$"), "'{0}' không phải là số nguyên"),
    (lazy_regex(r"^'(.*)' is not a valid float(?: range)?\.$"), "'{0}' không phải là số"),
    (lazy_regex(r"^'(.*)' is not a valid boolean\.$"), "'{0}' không phải là có/không"),
    (lazy_regex(r"^'(.*)' is not (.*)\.$", re.S), "'{0}' không phải là {1}"),
]


def _value_message(text: str) -> str:
    for pattern, template in _VALUE_MESSAGES:
        match = pattern.match(text.strip())
        if match:
            return template.format(*(g.replace("'", "") if i else g for i, g in enumerate(match.groups())))
    return text


def _option_suggestion(typed: str, ctx: click.Context | None) -> str:
    """". Có phải: --within?" for the one closest option of the command (click offers several, in English)."""
    if ctx is None:
        return ""
    from kehoach.domain.suggest import closest

    names = [name for param in ctx.command.get_params(ctx) if isinstance(param, click.Option)
             for name in (*param.opts, *param.secondary_opts) if name.startswith("--")]
    best = closest(typed, [(name, name) for name in names], limit=1)
    return f". Có phải: {best[0]}?" if best else ""


def usage_message(exc: Exception) -> str:
    text = exc.format_message()  # type: ignore[attr-defined]
    for pattern, template in _CLICK_MESSAGES:
        match = pattern.search(text)
        if match:
            groups = [(g or "").replace("' / '", " / ") for g in match.groups()]
            if template.startswith("giá trị"):
                groups[1] = _value_message(groups[1])
            text = template.format(*groups)
            if template.startswith("không có tùy chọn"):
                text += _option_suggestion(groups[0], getattr(exc, "ctx", None))
            break
    ctx = getattr(exc, "ctx", None)
    command = ctx.command_path if ctx else "kehoach"
    return f"Lỗi: {text}\nXem hướng dẫn: {command} --help"
