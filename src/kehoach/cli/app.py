"""The command line: the Typer app, its commands in the order `--help` lists them, and the entry point
that maps errors to exit codes. Each command function parses its options, calls one function of
`commands/` and hands what it returns to a renderer; typer is imported only in `cli/`, and the clock
is read only here (`options.as_of_date`)."""

from __future__ import annotations

import os
import sys
from typing import Annotated, Any

import click
import typer

from kehoach import __version__
from kehoach.cli import (
    console,
    correction_commands,
    options,
    plan_commands,
    plan_import_command,
    plan_list_command,
    record_commands,
    remind_command,
    report_command,
    status_commands,
    sync_commands,
)
from kehoach.cli.wording import KehoachCommand, KehoachGroup, examples_epilog, usage_message
from kehoach.errors import EXIT_INTERNAL, EXIT_OK, EXIT_REJECTED, KehoachError


class _NeverRaised(Exception):
    pass


# `kehoach` alone: click 8.2 and later raise this usage error carrying the help (earlier ones print it).
NoArgsIsHelp: type[Exception] = getattr(click.exceptions, "NoArgsIsHelpError", _NeverRaised)

_APP_SETTINGS: dict[str, Any] = {
    "name": "kehoach",
    "cls": KehoachGroup,
    "help": "kehoach — theo dõi thực hiện kế hoạch: từng nhiệm vụ, từng đơn vị, từng kỳ.",
    "no_args_is_help": True,
    "add_completion": False,
    "pretty_exceptions_enable": False,
    "rich_markup_mode": None,
    "context_settings": {"help_option_names": ["-h", "--help"]},
}
app = typer.Typer(**_APP_SETTINGS)


def _version(value: bool) -> None:
    if value:
        console.write(f"kehoach {__version__}\n")
        raise typer.Exit(0)


@app.callback()
def _root(
    version: Annotated[bool, typer.Option("--version", callback=_version, is_eager=True,
                                          help="In phiên bản rồi thoát.")] = False,
) -> None:
    """kehoach — theo dõi thực hiện kế hoạch: từng nhiệm vụ, từng đơn vị, từng kỳ."""


for _name, _command, _hidden in (
    ("validate", plan_commands.validate, False),
    ("tasks", plan_commands.tasks, False),
    ("units", plan_commands.units, False),
    ("show", plan_commands.show, False),
    ("record", record_commands.record, False),
    ("undo", correction_commands.undo, False),
    ("commit", correction_commands.commit, False),
    ("resolve", correction_commands.resolve, False),
    ("check", status_commands.check, False),
    ("status", status_commands.status, False),
    ("log", status_commands.log, False),
    ("init", plan_commands.init, False),
    ("merge-driver", sync_commands.merge_driver, True),
    ("setup-git", sync_commands.setup_git, False),
    ("sync", sync_commands.sync, False),
    ("form", record_commands.form, False),
    ("import", record_commands.import_forms, False),
    ("report", report_command.report, False),
    ("remind", remind_command.remind, False),
):
    app.command(_name, hidden=_hidden, cls=KehoachCommand, epilog=examples_epilog(_command))(_command)

# `kehoach plan …`: the plans a tracker follows (each command registers itself in PLAN_COMMANDS).
plan_app = typer.Typer(**{**_APP_SETTINGS, "name": "plan",
                          "help": "Các kế hoạch của bộ theo dõi: xem danh sách, đọc kế hoạch từ văn bản."})
PLAN_COMMANDS: tuple[tuple[str, Any], ...] = (
    ("list", plan_list_command.plan_list),
    ("import", plan_import_command.plan_import),
)
for _name, _command in PLAN_COMMANDS:
    plan_app.command(_name, cls=KehoachCommand, epilog=examples_epilog(_command))(_command)
if PLAN_COMMANDS:
    app.add_typer(plan_app, name="plan")


def _app_for(args: list[str]) -> typer.Typer:
    """The app to run these arguments: just the command named, when one is.

    On every call typer turns each registered command into a click command, reading its signature and
    evaluating its annotations: ~1 ms a command, for the one a call runs. An app holding only that
    command parses, helps and complains exactly as the whole one does, under the same name; no
    command, --version or a misspelt name get the whole app (its list of commands, its suggestions)."""
    if not args or args[0].startswith("-"):
        return app
    chosen = [c for c in app.registered_commands
              if (c.name or getattr(c.callback, "__name__", None) or "").lower().replace("_", "-") == args[0]]
    if len(chosen) != 1:
        return app
    single = typer.Typer(**_APP_SETTINGS)
    single.registered_callback = app.registered_callback
    single.registered_commands = chosen
    return single


def main(argv: list[str] | None = None) -> int:
    args = sys.argv[1:] if argv is None else argv
    options.INVOKED[:] = args
    chosen = _app_for(args)
    try:
        with console.parsing_progress():
            result = chosen(args=args, prog_name="kehoach", standalone_mode=False)
    except NoArgsIsHelp as exc:
        # `kehoach` alone is a clerk asking what there is, not a mistake.
        console.write(exc.ctx.get_help() + "\n")  # type: ignore[attr-defined]
        return EXIT_OK
    except click.UsageError as exc:
        console.error(usage_message(exc))
        return EXIT_REJECTED
    except typer.Abort:
        console.error("Đã hủy.")
        return EXIT_REJECTED
    except KehoachError as exc:
        console.error(f"Lỗi: {exc}")
        return exc.exit_code
    except BrokenPipeError:
        return EXIT_OK
    except Exception as exc:  # noqa: BLE001 - the last line of defence: no traceback for users
        if os.environ.get("KEHOACH_DEBUG") == "1":
            raise
        console.error(f"Lỗi nội bộ của kehoach ({type(exc).__name__}: {exc}). Chạy lại với KEHOACH_DEBUG=1 để "
                      "xem chi tiết và báo cho nhóm phát triển.")
        return EXIT_INTERNAL
    return result if isinstance(result, int) else EXIT_OK


def run() -> None:
    sys.exit(main())


if __name__ == "__main__":  # pragma: no cover
    run()

