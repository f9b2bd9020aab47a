"""The `tracker` group: its options, the errors it turns into exit status 1, its commands
imported when one is asked for, and the kinds of value they take (a date as a UK user types
it, a choice of an enumeration's values).

Exit status: 0 done, 1 a user error (message on stderr, nothing written), 2 bad usage.
"""

from __future__ import annotations

from collections.abc import Mapping
from datetime import date
from enum import Enum
from importlib import import_module
from typing import Any, TypeVar

import click

from tracker import rules
from tracker.cli.context import Context
from tracker.cli.output import fail
from tracker.config import ConfigError, load_settings
from tracker.errors import PlanFileError, ServiceError, StoreError

E = TypeVar("E", bound=Enum)


class BadValue(Exception):
    """An option's value that is well formed for the shell but wrong as data (a date that
    does not exist): a user error, exit 1, not bad usage."""


USER_ERRORS = (
    BadValue,
    ServiceError,
    PlanFileError,
    StoreError,
    ConfigError,
)
"""The errors a user can cause: each is a message and exit status 1, never a traceback."""


class LazyGroup(click.Group):
    """A group whose commands are imported when one is first asked for: `tracker plans` then
    imports and builds the list commands alone, not all two dozen with their options."""

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.lazy: dict[str, str] = {}
        """The commands not yet imported: name -> "module:attribute"."""

    def register(self, commands: Mapping[str, str]) -> None:
        """Add commands by where they are ("tracker.cli.lists:plans"), to import when used."""
        self.lazy.update(commands)

    def list_commands(self, ctx: click.Context) -> list[str]:
        return sorted({*self.commands, *self.lazy})

    def get_command(self, ctx: click.Context, cmd_name: str) -> click.Command | None:
        if cmd_name not in self.commands:
            # A name that is not a command imports them all, so that click's "No such
            # command" can suggest the nearest.
            for name in [cmd_name] if cmd_name in self.lazy else list(self.lazy):
                self._load(name)
        return super().get_command(ctx, cmd_name)

    def _load(self, name: str) -> None:
        module, _, attribute = self.lazy[name].partition(":")
        command = getattr(import_module(module), attribute)
        if not isinstance(command, click.Command):
            raise TypeError(f"{module}:{attribute} is not a click command")
        self.add_command(command, name)
        del self.lazy[name]


class TrackerGroup(LazyGroup):
    """Turns the errors a user can cause into a message and exit status 1, never a traceback."""

    def invoke(self, ctx: click.Context) -> Any:
        try:
            return super().invoke(ctx)
        except USER_ERRORS as exc:
            fail(str(exc))


class DateType(click.ParamType):  # type: ignore[type-arg]
    """A date as a UK user types it (`2026-03-31`, `31/03/2026`, `31 Mar 2026`)."""

    name = "date"

    def convert(self, value: Any, param: click.Parameter | None, ctx: click.Context | None) -> date:
        if isinstance(value, date):
            return value
        try:
            return rules.parse_date(str(value))
        except ValueError as exc:
            # A wrong date is bad input (exit 1, named), not a misuse of the command (exit 2).
            option = param.opts[0] if param is not None and param.opts else "the date"
            raise BadValue(f"{option}: {exc}") from None


DATE = DateType()


class EnumChoice(click.Choice[E]):
    """A choice of some of an enumeration's members, typed and shown by their values (click
    would match an enumeration by its members' names)."""

    def normalize_choice(self, choice: object, ctx: click.Context | None) -> str:
        return super().normalize_choice(choice.value if isinstance(choice, Enum) else choice, ctx)


def choice(
    kind: type[E], members: list[E] | None = None, *, case_sensitive: bool = False
) -> EnumChoice[E]:
    """A click choice of an enumeration's values (or of `members`' only), which gives the
    command the member chosen."""
    return EnumChoice(list(kind) if members is None else members, case_sensitive=case_sensitive)


@click.group(cls=TrackerGroup, invoke_without_command=True)
@click.option("--db", metavar="PATH|URL", help="The database: a SQLite file or a database URL.")
@click.option("--as", "user", metavar="NAME", help="Who is making changes (for the audit trail).")
@click.option("--today", metavar="DATE", help="Run as if today were DATE (for training and tests).")
@click.option("--reviewer", is_flag=True, help="YJB review mode: review and sign off only.")
@click.option("--read-only", is_flag=True, help="Open the database so that nothing can be written.")
@click.version_option(package_name="yos-tracker")
@click.pass_context
def main(
    ctx: click.Context,
    db: str | None,
    user: str | None,
    today: str | None,
    reviewer: bool,
    read_only: bool,
) -> None:
    """Improvement plans after an HMIP inspection of a Youth Offending Service.

    With no command, opens the tracker's screen on the database.
    """
    if db is not None and not db.strip():
        # Not the default database: an empty --db is a mistake (a variable that was not set),
        # and quietly opening another database would make it worse.
        raise BadValue("--db is empty: give a SQLite file or a database URL")
    # A ConfigError is a user error: TrackerGroup reports it.
    ctx.obj = Context(load_settings(db, user, today, reviewer=reviewer, read_only=read_only))
    if ctx.invoked_subcommand is None:
        from tracker.cli.screen import open_tui  # only the screen needs it

        code = open_tui(ctx.obj)
        if code:
            ctx.exit(code)


# The commands, each imported when it is first asked for (LazyGroup).

evidence = LazyGroup("evidence", help="Evidence of implementation.")
evidence.register(
    {
        "add": "tracker.cli.edits:evidence_add",
        "list": "tracker.cli.lists:evidence_list",
    }
)

action = LazyGroup("action", help="Add, withdraw and restore a plan's actions.")
action.register(
    {
        "add": "tracker.cli.authoring:action_add",
        "withdraw": "tracker.cli.authoring:action_withdraw",
        "restore": "tracker.cli.authoring:action_restore",
    }
)
rec = LazyGroup("rec", help="Add, edit, withdraw and restore a plan's recommendations.")
rec.register(
    {
        "add": "tracker.cli.authoring:rec_add",
        "edit": "tracker.cli.authoring:rec_edit",
        "withdraw": "tracker.cli.authoring:rec_withdraw",
        "restore": "tracker.cli.authoring:rec_restore",
    }
)
plan = LazyGroup("plan", help="Start a plan without a report; edit a plan's own details.")
plan.register(
    {
        "new": "tracker.cli.authoring:plan_new",
        "edit": "tracker.cli.authoring:plan_edit",
    }
)

main.add_command(evidence)
main.add_command(action)
main.add_command(rec)
main.add_command(plan)
main.register(
    {
        "demo": "tracker.cli.launch:demo",
        "load": "tracker.cli.edits:load",
        "edit": "tracker.cli.planedit:edit",
        "update": "tracker.cli.edits:update",
        "step": "tracker.cli.edits:step",
        "check": "tracker.cli.lists:check",
        "plans": "tracker.cli.lists:plans",
        "actions": "tracker.cli.lists:actions",
        "signoffs": "tracker.cli.lists:signoffs",
        "history": "tracker.cli.lists:history",
        "roles": "tracker.cli.lists:roles",
        "digest": "tracker.cli.lists:digest",
        "review": "tracker.cli.review:review",
        "import": "tracker.cli.exchange:import_report",
        "export": "tracker.cli.exchange:export",
        "dump": "tracker.cli.exchange:dump",
        "portfolio": "tracker.cli.exchange:portfolio",
        "backup": "tracker.cli.admin:backup",
        "restore": "tracker.cli.admin:restore",
        "verify": "tracker.cli.admin:verify",
    }
)
