"""The quick path: the bare `tracker` (the screen), `tracker plans`, `tracker actions` and
`tracker portfolio`, what a user, a script or cron runs most, started without importing click
(a fifth of a list's time, 30-35 ms of the portfolio's; for the screen, start to exit 0.72 ->
0.65 s, its first frame no sooner beyond the noise; issue 17).

It takes only an argument list it reads exactly as the click group would: the group's options
(`--db`, `--as`, `--today` with a value; `--reviewer`, `--read-only`), then nothing (the
screen), `plans [--json]`, `actions [--plan PLAN] [--owner ROLE] [--overdue] [--all] [--json]`
or `portfolio [-f FORMAT] [-o FILE] [--force]`; each option at most once, a value as the next
argument or after `=` (a long option's only), never empty nor beginning with `-`. For anything
else (help, another command or option, a value click would judge) `run_quick` returns None and
the click group runs as ever. So it does when anything goes wrong before the first byte is
printed or the screen runs (a bad setting, a database that is not there or cannot be opened, a
plan not found): the group then does it all again and reports it in its own words and exit
status, so that the quick path has no words of its own. The text printed is the commands' own
(`tracker.cli.output.plans_text`, `actions_text`, `portfolio`, printing through
`tracker.cli.output.echo`, click's way without click), and the screen is
`tracker.cli.screen`'s, as the group opens it.
"""

from __future__ import annotations

import os
import sys
from collections.abc import Sequence
from contextlib import suppress
from typing import Any

GROUP_VALUES = {"--db": "db", "--as": "user", "--today": "today"}
GROUP_FLAGS = {"--reviewer": "reviewer", "--read-only": "read_only"}
COMMANDS: dict[str, tuple[dict[str, str], dict[str, str]]] = {
    "plans": ({}, {"--json": "json_out"}),
    "actions": (
        {"--plan": "plan", "--owner": "owner"},
        {"--overdue": "overdue", "--all": "everything", "--json": "json_out"},
    ),
    "portfolio": (
        {"-f": "fmt", "--format": "fmt", "-o": "output", "--output": "output"},
        {"--force": "force"},
    ),
}
"""The commands the quick path answers: each one's options that take a value, and its flags,
by the name of the parameter they give."""


def parse(argv: Sequence[str]) -> tuple[dict[str, Any], str, dict[str, Any]] | None:
    """The group's options, the command (empty for none: the screen) and its options, named as
    the click parameters are; None for an argument list the quick path does not take."""
    found: tuple[dict[str, Any], dict[str, Any]] = ({}, {})
    command: str | None = None
    values, flags = GROUP_VALUES, GROUP_FLAGS
    args = list(argv)
    while args:
        arg = args.pop(0)
        if command is None and arg in COMMANDS:
            command = arg
            values, flags = COMMANDS[arg]
            continue
        name, equals, value = arg.partition("=")
        into = found[0 if command is None else 1]
        if name in values:
            if equals and not name.startswith("--"):
                return None  # click reads `-o=x` as the value "=x"
            if not equals:
                if not args:
                    return None
                value = args.pop(0)
            key = values[name]
            if key in into or not value.strip() or value.startswith("-"):
                return None
            into[key] = value
        elif arg in flags and flags[arg] not in into:
            into[flags[arg]] = True
        else:
            return None
    return found[0], command or "", found[1]


def _plain_stdout() -> bool:
    """Whether stdout and stderr are text streams that click's `echo` would write to as they
    are (`tracker.cli.output.plain_stream`)."""
    from tracker.cli.output import plain_stream

    return plain_stream(sys.stdout) and plain_stream(sys.stderr)


def run_quick(argv: Sequence[str]) -> int | None:
    """Answer `argv` without click, returning the exit status; None when the click group must
    (an argument list not taken here, or an error before anything is printed)."""
    parsed = parse(argv)
    if parsed is None or not _plain_stdout():
        return None
    group, command, options = parsed
    try:
        if not command:
            return _open_screen(group)
        if command == "portfolio":
            return _portfolio(group, options)
        try:
            text = _answer(group, command, options)
        except Exception:
            return None  # the group does it again, and says what went wrong in its own words
        # click's echo would strip ANSI sequences from a stdout that is not a terminal: the
        # text holds none (tables are cleaned, tracker.text.one_line; JSON escapes ESC).
        sys.stdout.write(text)
        sys.stdout.flush()
    except KeyboardInterrupt:
        # As the click group says it (standalone mode).
        sys.stderr.write("\nAborted!\n")
        return 1
    except BrokenPipeError:
        # As click does: exit 1, and nothing more written (nor a complaint at exit).
        devnull = os.open(os.devnull, os.O_WRONLY)
        os.dup2(devnull, sys.stdout.fileno())
        os.close(devnull)
        return 1
    return 0


def _context(group: dict[str, Any]) -> Any:
    """The commands' context (`tracker.cli.context.Context`) for the group's options."""
    from tracker.cli.context import Context
    from tracker.config import load_settings

    return Context(
        load_settings(
            group.get("db"),
            group.get("user"),
            group.get("today"),
            reviewer=group.get("reviewer", False),
            read_only=group.get("read_only", False),
        )
    )


def _open_screen(group: dict[str, Any]) -> int | None:
    """The screen, as the group opens it; None (the group then tries, and says what is wrong)
    when it cannot be made ready."""
    from tracker.cli.screen import ready_app

    try:
        context = _context(group)
    except Exception:
        return None
    try:
        app = ready_app(context)
    except Exception:
        with suppress(Exception):
            context.close()
        return None
    app.run()
    return app.return_code or 0


def _portfolio(group: dict[str, Any], options: dict[str, Any]) -> int | None:
    """`tracker portfolio`, as the command writes it (`tracker.cli.output.portfolio`): its
    file, or its text on stdout, and what it says. A user error it finds itself (a format it
    does not know, a binary format for a terminal) it says and exits 1 with (`fail`), as the
    command does; anything else that stops it, before a byte is written, goes to the group."""
    from pathlib import Path

    from tracker.cli.output import portfolio

    output = options.get("output")
    try:
        obj = _context(group)
    except Exception:
        return None
    try:
        portfolio(
            obj, options.get("fmt"), Path(output) if output else None, options.get("force", False)
        )
    except BrokenPipeError:
        raise  # as for the lists (`run_quick`)
    except Exception:
        return None
    finally:
        obj.close()
    return 0


def _answer(group: dict[str, Any], command: str, options: dict[str, Any]) -> str:
    from tracker.cli.output import actions_text, plans_text

    obj = _context(group)
    try:
        if command == "plans":
            return plans_text(obj, **options)
        return actions_text(obj, **options)
    finally:
        obj.close()
