"""The `tracker` command: parses arguments, calls services and queries, prints.

Exit status: 0 done, 1 a user error (message on stderr, nothing written), 2 bad usage.
Text output never prints a stored control character raw (`tracker.text.clean`). The TUI is
imported only by the commands that open it, so that the other commands start quickly.
"""

from __future__ import annotations

import dataclasses
import gc
import importlib.util
import json
import shutil
import sqlite3
import sys
import tempfile
from collections.abc import Sequence
from contextlib import AbstractContextManager
from dataclasses import dataclass
from datetime import UTC, date, datetime
from pathlib import Path
from types import ModuleType
from typing import TYPE_CHECKING, Any, NoReturn

import click

from tracker import rules
from tracker.config import ConfigError, Settings, load_settings
from tracker.errors import PlanFileError, ServiceError, StoreError
from tracker.queries import lists
from tracker.queries.reader import Reader, open_sqlite, reader_for
from tracker.text import clean, escape_left_raw, one_line
from tracker.vocab import (
    CLEARABLE,
    ActionStatus,
    Brag,
    EvidenceKind,
    PlanStatus,
    ReviewState,
    parse_enum,
)


def _lazy(name: str) -> ModuleType:
    """The module `name`, run only when one of its names is first used (the standard
    library's LazyLoader)."""
    if name in sys.modules:
        return sys.modules[name]
    spec = importlib.util.find_spec(name)
    assert spec is not None and spec.loader is not None
    spec.loader = importlib.util.LazyLoader(spec.loader)
    module = importlib.util.module_from_spec(spec)
    sys.modules[name] = module
    spec.loader.exec_module(module)
    return module


if TYPE_CHECKING:
    from tracker import planfile, services
    from tracker.store import Store
    from tracker.tui.app import TrackerApp
else:
    # The database layer (SQLAlchemy and the models) is imported when a command first uses
    # it: `tracker plans` and `tracker actions` on a SQLite file read it with tracker.listing
    # alone, and importing SQLAlchemy would cost more than the whole command.
    planfile = _lazy("tracker.planfile")
    services = _lazy("tracker.services")


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


@dataclass
class Context:
    """What every command gets: the settings, and the store opened on first use."""

    settings: Settings
    _store: Store | None = None

    @property
    def store(self) -> Store:
        """The database, opened (and upgraded) the first time a command needs it."""
        if self._store is None:
            from tracker.store import open_store

            self._store = open_store(
                self.settings.db,
                read_only=self.settings.read_only,
                reviewer=self.settings.reviewer,
            )
        return self._store

    def close(self) -> None:
        """Let go of the database, if a command opened it."""
        if self._store is not None:
            self._store.dispose()
            self._store = None


def fail(message: str) -> NoReturn:
    """Print a user error and exit 1."""
    click.echo(f"tracker: {clean(message)}", err=True)
    sys.exit(1)


class TrackerGroup(click.Group):
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


def choice(kind: type[Any]) -> click.Choice[str]:
    """A click choice of an enumeration's values."""
    return click.Choice([m.value for m in kind], case_sensitive=False)


def as_json(data: Any) -> None:
    """Print data as JSON (dates as ISO strings), with every control character escaped: the
    JSON writer escapes C0 but would print DEL and C1 (CSI, U+009B) raw to the terminal.

    A list prints one item per line (each written by the json module's C encoder, which an
    indented dump cannot use: it took a third of `actions --overdue --json` at national
    scale); anything else is indented."""

    def default(value: Any) -> Any:
        if isinstance(value, date):
            return value.isoformat()
        return str(value)

    if isinstance(data, list):
        encode = json.JSONEncoder(default=default, ensure_ascii=False).encode
        text = "[\n" + ",\n".join(encode(item) for item in data) + "\n]" if data else "[]"
    else:
        text = json.dumps(data, indent=2, default=default, ensure_ascii=False)
    click.echo(escape_left_raw(text))


def table_text(headers: Sequence[str], rows: Sequence[Sequence[str]]) -> str:
    """Rows as aligned columns, every cell cleaned and kept to one line; a newline ends each."""
    cells = [[one_line(c) for c in row] for row in rows]
    widths = [max([len(h), *(len(r[i]) for r in cells)]) for i, h in enumerate(headers)]
    return "".join(
        "  ".join(c.ljust(w) for c, w in zip(row, widths, strict=True)).rstrip() + "\n"
        for row in [list(headers), *cells]
    )


def table(headers: Sequence[str], rows: Sequence[Sequence[str]]) -> None:
    """Print rows as aligned columns, every cell cleaned and kept to one line."""
    click.echo(table_text(headers, rows), nl=False)


def _text_or_dash(value: Any) -> str:
    if value is None:
        return "-"
    if isinstance(value, date):
        return value.isoformat()
    return str(getattr(value, "value", value))


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
    try:
        settings = load_settings(db, user, today, reviewer=reviewer, read_only=read_only)
    except ConfigError as exc:
        fail(str(exc))
    ctx.obj = Context(settings)
    if ctx.invoked_subcommand is None:
        _open_tui(ctx.obj)


def _open_tui(context: Context, title: str | None = None, notice: str | None = None) -> None:
    # Start-up makes tens of thousands of objects that live as long as the screen does
    # (modules, the plans read), and the garbage collector scans them again at each of its
    # passes. It is paused until the app runs, and what start-up made is then frozen out of
    # its scans (gc.freeze): the home screen shows 0.06 s sooner at national scale, 0.09 s at
    # ten times it. The cost is the few hundred unreachable objects start-up leaves (about 600),
    # kept rather than collected.
    gc.disable()
    try:
        app = _tui_app(context, title, notice)
    finally:
        gc.freeze()
        gc.enable()
    app.run()


def _tui_app(context: Context, title: str | None, notice: str | None) -> TrackerApp:
    """The app, with the home screen's plans already read where that can be done lightly."""
    settings = context.settings
    light = open_sqlite(settings.db)
    plans = None
    if light is None:
        # Opened (and upgraded) now, so that a database that cannot be opened is reported
        # here, with exit 1, not inside the screen.
        context.store  # noqa: B018
    else:
        # A SQLite file at the schema head: the home screen reads it without SQLAlchemy, and
        # the store opens in a thread once the screen shows. The plans are read here, before
        # Textual is imported (20 ms at national scale, 0.2 s at ten times it), and shown in
        # the first paint: in a thread beside that import the national read took 0.2 s, each
        # row waiting for the importing thread to hand over the GIL, and a worker started when
        # the screen mounts waits for its first paints.
        try:
            if not settings.reviewer:  # a reviewer's home screen is the portfolio, read in full
                plans = lists.plan_rows(light, settings.today)
        except sqlite3.Error:
            plans = None  # the screen reads them the usual way, and reports what is wrong
        finally:
            light.close()
    from tracker.tui.app import TrackerApp

    return TrackerApp(
        lambda: context.store, settings, title=title, notice=notice, first_plans=plans
    )


def sample_plans_dir() -> Path:
    """The sample plans: shipped inside the wheel, or `sample_plans/` beside the package."""
    package = Path(__file__).resolve().parent
    for candidate in (package / "_sample_plans", package.parent / "sample_plans"):
        if candidate.is_dir():
            return candidate
    fail("the sample plans are missing from this installation")


@main.command()
@click.option("--keep", is_flag=True, help="Print the demo database's path and keep it.")
@click.option("--no-tui", is_flag=True, help="Load the demo database and stop (for scripts).")
@click.pass_obj
def demo(obj: Context, keep: bool, no_tui: bool) -> None:
    """Open the tracker on a fresh database holding the sample plans.

    Each sample plan is re-dated so that its latest progress note falls today, so the
    submission clock runs and the board colours show as they did on that day.
    """
    folder = Path(tempfile.mkdtemp(prefix="tracker-demo-"))
    today = obj.settings.today
    docs = []
    for path in sorted(sample_plans_dir().glob("*.toml")):
        doc = planfile.read_plan(path)
        reached = planfile.latest_note(doc)
        if reached is not None:
            doc = planfile.shift_dates(doc, (today - reached).days)
        docs.append((path.name, doc))
    # The settings `tracker --db FILE` would run with (config file, keymap, theme, role,
    # --reviewer, --read-only), on the demo's own database.
    settings = dataclasses.replace(obj.settings, db=str(folder / "demo.db"))
    try:
        from tracker.store import open_store

        loader = open_store(settings.db)  # loading writes, whatever mode the demo runs in
        try:
            services.load_plans(loader, docs, "demo")
        finally:
            loader.dispose()
        if keep or no_tui:
            click.echo(f"demo database: {settings.db}")
        if not no_tui:
            kept = "kept when you quit" if keep else "deleted when you quit (--keep keeps it)"
            notice = (
                f"Demo database {settings.db}: {kept}. From another terminal: "
                f"tracker --db {settings.db} history PLAN/REF, or actions --json"
            )
            context = Context(settings)
            try:
                _open_tui(context, title="Demo: sample plans re-dated to today", notice=notice)
            finally:
                context.close()
    finally:
        if not keep and not no_tui:
            shutil.rmtree(folder, ignore_errors=True)


@main.command()
@click.argument("files", nargs=-1, required=True, type=click.Path(path_type=Path))
@click.pass_obj
def load(obj: Context, files: tuple[Path, ...]) -> None:
    """Load plan files (TOML) into the database: all of them, or none if any has an error."""
    docs = [(str(path), planfile.read_plan(path)) for path in files]
    ids = services.load_plans(obj.store, docs, obj.settings.user)
    for plan_id in ids:
        click.echo(f"loaded {plan_id}")


@main.command()
@click.argument("plan")
@click.option("-o", "--output", type=click.Path(path_type=Path), help="Write to FILE, not stdout.")
@click.pass_obj
def dump(obj: Context, plan: str, output: Path | None) -> None:
    """Write a plan out as a plan file (TOML)."""
    from tracker.exporters import plan_file_text

    with _lists(obj) as reader:
        text = plan_file_text(reader, plan)
    if output is None:
        click.echo(text, nl=False)
        return
    _write_output(output, text.encode("utf-8"))  # whole or not at all, as export -o


def _lists(obj: Context) -> AbstractContextManager[Reader]:
    """A reader for every read (`tracker.queries.reader.reader_for`): straight from a SQLite
    file at the schema's head (no SQLAlchemy to import), else through the store, which opens
    it the full way."""
    return reader_for(obj.settings.db, lambda: obj.store)


def _plan_json(row: lists.PlanRow) -> dict[str, Any]:
    due = row.submission_due
    on_time = None if due is None or row.submitted is None else row.submitted <= due
    return {
        "id": row.id,
        "area": row.area,
        "kind": row.kind.value,
        "published": row.published,
        "submission_due": due,
        "submitted": row.submitted,
        "on_time": on_time,
        "status": row.status.value,
        "actions": row.summary.total,
        "brag": {c.value: row.summary.counts.get(c, 0) for c in Brag},
        "percent_complete": row.summary.percent_complete,
        "overdue": row.summary.overdue,
    }


@main.command()
@click.option("--json", "json_out", is_flag=True, help="Print JSON (see docs/cli.md).")
@click.pass_obj
def plans(obj: Context, json_out: bool) -> None:
    """List the plans, most urgent first, with their clocks and colours."""
    today = obj.settings.today
    with _lists(obj) as reader:
        rows = lists.plan_rows(reader, today)
    if json_out:
        as_json([_plan_json(r) for r in rows])
        return
    if not rows:
        click.echo("no plans yet: load one with `tracker load FILE.toml`")
        return
    table(
        ["ID", "AREA", "KIND", "PUBLISHED", "SUBMISSION", "STATUS", "BRAG", "DONE", "OVERDUE"],
        [
            [
                r.id,
                r.area,
                r.kind.value,
                _text_or_dash(r.published),
                rules.submission_clock(r.published, r.submitted, today),
                r.status.value,
                lists.brag_counts_text(r.summary),
                f"{r.summary.percent_complete}%",
                str(r.summary.overdue),
            ]
            for r in rows
        ],
    )


def _action_json(row: lists.ActionRow) -> dict[str, Any]:
    return {
        "id": row.id,
        "plan": row.plan,
        "recommendation": row.recommendation,
        "ref": row.ref,
        "text": row.text,
        "owner": row.owner,
        "lead": row.lead,
        "start": row.start,
        "target": row.target,
        "status": row.status.value,
        "progress": row.progress,
        "brag": row.brag.colour.value,
        "brag_reason": row.brag.reason,
        "brag_overridden": row.brag.overridden,
        "overdue": row.overdue,
        "evidence": row.evidence,
        "last_update": row.last_update,
        "version": row.version,
    }


@main.command()
@click.option("--plan", metavar="PLAN", help="Only this plan's actions.")
@click.option("--owner", metavar="ROLE", help="Only actions led by this role (any of its names).")
@click.option("--status", type=choice(ActionStatus), help="Only actions with this status.")
@click.option("--overdue", is_flag=True, help="Only actions past their target and not complete.")
@click.option(
    "--due-within",
    type=click.IntRange(min=0),
    metavar="DAYS",
    help="Only unfinished actions due within DAYS (overdue included).",
)
@click.option("--json", "json_out", is_flag=True, help="Print JSON (see docs/cli.md).")
@click.pass_obj
def actions(
    obj: Context,
    plan: str | None,
    owner: str | None,
    status: str | None,
    overdue: bool,
    due_within: int | None,
    json_out: bool,
) -> None:
    """List actions with their colours, filtered."""
    with _lists(obj) as reader:
        rows = lists.action_rows(
            reader,
            obj.settings.today,
            plan=plan,
            owner=owner,
            status=parse_enum(ActionStatus, status) if status else None,
            overdue=overdue,
            due_within=due_within,
        )
    if json_out:
        as_json([_action_json(r) for r in rows])
        return
    table(
        ["ID", "BRAG", "STATUS", "DONE", "TARGET", "OWNER", "LEAD", "ACTION"],
        [
            [
                r.id,
                r.brag.colour.value.upper() + ("*" if r.brag.overridden else ""),
                r.status.value,
                f"{r.progress}%",
                _text_or_dash(r.target),
                r.owner or "-",
                r.lead or "-",
                one_line(r.text, 60),
            ]
            for r in rows
        ],
    )


@main.command()
@click.argument("action")
@click.option("--status", type=choice(ActionStatus))
@click.option("--progress", type=int, metavar="N", help="Progress, 0 to 100.")
@click.option("--due", "target", type=DATE, help="The target date.")
@click.option("--start", type=DATE, help="The start date.")
@click.option("--lead", metavar="NAME", help="The named lead.")
@click.option("--owner", metavar="ROLE", help="The lead role.")
@click.option("--text", metavar="TEXT", help="What will be done.")
@click.option("--success-measure", metavar="TEXT")
@click.option("--impact-check", metavar="TEXT")
@click.option("--completed", type=DATE, help="The completion date (with --status complete).")
@click.option("--override", type=choice(Brag), help="Set the colour by hand (needs a reason).")
@click.option("--override-reason", metavar="TEXT")
@click.option(
    "--clear",
    multiple=True,
    type=click.Choice(sorted(CLEARABLE)),
    help="Empty a field (repeatable).",
)
@click.option("--note", metavar="TEXT", help="Add a dated progress note.")
@click.option(
    "--expect-version",
    type=int,
    metavar="N",
    help="Refuse if the action is no longer at version N (someone else changed it).",
)
@click.pass_obj
def update(obj: Context, /, action: str, **options: Any) -> None:
    """Change an action and/or add a progress note; every change is audited."""
    note = options.pop("note")
    expected = options.pop("expect_version")
    status = options.pop("status")
    override = options.pop("override")
    changes = services.ActionChanges(
        status=parse_enum(ActionStatus, status) if status else None,
        brag_override=parse_enum(Brag, override) if override else None,
        target_on=options.pop("target"),
        start_on=options.pop("start"),
        completed_on=options.pop("completed"),
        clear=frozenset(options.pop("clear")),
        brag_override_reason=options.pop("override_reason"),
        **options,
    )
    version = services.update_action(
        obj.store,
        action,
        obj.settings.user,
        obj.settings.today,
        changes,
        note=note,
        expected_version=expected,
    )
    click.echo(f"updated {action} (now version {version})")


@main.group()
def evidence() -> None:
    """Evidence of implementation."""


@evidence.command("add")
@click.argument("action")
@click.option("--title", required=True, help="What the evidence is.")
@click.option("--file", "file", type=click.Path(path_type=Path), help="A file to fingerprint.")
@click.option("--ref", "reference", metavar="TEXT", help="Where the evidence is kept.")
@click.option("--date", "dated", type=DATE, help="The date of the evidence.")
@click.option("--kind", type=choice(EvidenceKind), default=EvidenceKind.DOCUMENT.value)
@click.option("--expires", type=DATE, help="When it stops counting.")
@click.pass_obj
def evidence_add(
    obj: Context,
    action: str,
    title: str,
    file: Path | None,
    reference: str | None,
    dated: date | None,
    kind: str,
    expires: date | None,
) -> None:
    """Attach evidence to an action: a file (--file) or a reference (--ref)."""
    evidence_id = services.add_evidence(
        obj.store,
        action,
        obj.settings.user,
        title,
        file=file,
        reference=reference,
        dated=dated,
        kind=parse_enum(EvidenceKind, kind),
        expires=expires,
    )
    click.echo(f"added evidence {evidence_id} to {action}")


@evidence.command("list")
@click.argument("action")
@click.option("--json", "json_out", is_flag=True, help="Print JSON (see docs/cli.md).")
@click.pass_obj
def evidence_list(obj: Context, action: str, json_out: bool) -> None:
    """An action's evidence, with the ids a reviewer uses."""
    from tracker.queries.action import evidence_of

    with _lists(obj) as reader:
        items = evidence_of(reader, action)
    if json_out:
        as_json([dataclasses.asdict(e) for e in items])
        return
    table(
        ["ID", "TITLE", "KIND", "DATE", "WHERE", "REVIEW", "REVIEWER", "COMMENT"],
        [
            [
                str(e.id),
                e.title,
                e.kind,
                _text_or_dash(e.dated),
                e.where,
                e.review,
                e.reviewer or "-",
                e.review_comment or "",
            ]
            for e in items
        ],
    )


@main.group()
def review() -> None:
    """YJB review: accept or query evidence, sign off (needs --reviewer)."""


@review.command("evidence")
@click.argument("evidence_id", type=int)
@click.option("--accept", is_flag=True, help="Accept the evidence.")
@click.option("--query", is_flag=True, help="Query it (say why).")
@click.option("--comment", metavar="TEXT")
@click.pass_obj
def review_evidence(
    obj: Context, evidence_id: int, accept: bool, query: bool, comment: str | None
) -> None:
    """Accept or query a piece of evidence (ids: `tracker evidence list ACTION`)."""
    if accept == query:
        # Both flags would otherwise quietly mean whichever came last.
        raise click.UsageError("say --accept or --query" + (", not both" if accept else ""))
    decision = "accepted" if accept else "queried"
    services.review_evidence(
        obj.store,
        evidence_id,
        obj.settings.user,
        parse_enum(ReviewState, decision),
        obj.settings.today,
        comment,
    )
    click.echo(f"evidence {evidence_id} {decision}")


@review.command("sign-off")
@click.argument("plan")
@click.argument("recommendation", required=False)
@click.pass_obj
def review_sign_off(obj: Context, plan: str, recommendation: str | None) -> None:
    """Sign off a recommendation as implemented, or (with no RECOMMENDATION) the plan as
    closed."""
    if recommendation is None:
        services.sign_off_plan(obj.store, plan, obj.settings.user, obj.settings.today)
        click.echo(f"plan {plan} signed off and closed")
    else:
        services.sign_off_recommendation(
            obj.store, plan, recommendation, obj.settings.user, obj.settings.today
        )
        click.echo(f"recommendation {recommendation} of {plan} signed off as implemented")


@review.command("withdraw")
@click.argument("plan")
@click.argument("recommendation")
@click.option("--comment", required=True, metavar="TEXT", help="Why it is withdrawn.")
@click.pass_obj
def review_withdraw(obj: Context, plan: str, recommendation: str, comment: str) -> None:
    """Withdraw a recommendation's sign-off, so that its actions can change again."""
    services.withdraw_sign_off(obj.store, plan, recommendation, obj.settings.user, comment)
    click.echo(f"sign-off of recommendation {recommendation} of {plan} withdrawn")


@main.command("signoffs")
@click.argument("plan")
@click.option("--json", "json_out", is_flag=True, help="Print JSON (see docs/cli.md).")
@click.pass_obj
def signoffs_command(obj: Context, plan: str, json_out: bool) -> None:
    """The YJB's sign-offs of a plan, oldest first: who, when, and the state they covered."""
    from tracker.queries.plan import sign_offs

    with _lists(obj) as reader:
        rows = sign_offs(reader, plan)
    if json_out:
        as_json(
            [
                {
                    "plan": plan,
                    "recommendation": r.recommendation,
                    "what": r.what,
                    "signed_by": r.signed_by,
                    "signed_at": r.signed_at.isoformat(),
                    "as_of": r.as_of,
                    "state": r.state,
                }
                for r in rows
            ]
        )
        return
    if not rows:
        click.echo(f"plan {plan} has no sign-offs yet")
        return
    table(
        ["WHEN (UTC)", "AS OF", "WHO", "WHAT", "STATE"],
        [
            [
                r.signed_at.strftime("%Y-%m-%d %H:%M:%S"),
                _text_or_dash(r.as_of),
                r.signed_by,
                r.what,
                r.summary,
            ]
            for r in rows
        ],
    )


@main.command()
@click.argument("ref", metavar="ACTION|PLAN")
@click.option("--json", "json_out", is_flag=True, help="Print JSON (see docs/cli.md).")
@click.pass_obj
def history(obj: Context, ref: str, json_out: bool) -> None:
    """The audit trail of an action or a plan, newest first."""
    from tracker.queries.action import history as read_history

    with _lists(obj) as reader:
        rows = read_history(reader, ref)
    if json_out:
        as_json(
            [
                {
                    "at": r.at.isoformat(),
                    "actor": r.actor,
                    "entity": r.entity,
                    "ref": r.ref,
                    "field": r.field,
                    "old": r.old,
                    "new": r.new,
                }
                for r in rows
            ]
        )
        return
    table(
        ["WHEN (UTC)", "WHO", "WHAT", "FIELD", "OLD", "NEW"],
        [
            [
                r.at.strftime("%Y-%m-%d %H:%M:%S"),
                r.actor,
                r.ref,
                r.field,
                one_line(r.old or "-", 40),
                one_line(r.new or "-", 40),
            ]
            for r in rows
        ],
    )


@main.command()
@click.argument("plan")
@click.argument(
    "step",
    type=click.Choice([s.value for s in rules.steps_a_manager_records(PlanStatus.DRAFT)]),
)
@click.option("--on", "on", type=DATE, help="The date of the step (default: today).")
@click.pass_obj
def step(obj: Context, plan: str, step: str, on: date | None) -> None:
    """Record a plan's lifecycle step: submitted, agreed, monitoring (forwarded to the YJB).
    Closing is the YJB's sign-off: `tracker --reviewer review sign-off PLAN`."""
    services.record_step(
        obj.store, plan, parse_enum(PlanStatus, step), on or obj.settings.today, obj.settings.user
    )
    click.echo(f"{plan} is now {step}")


@main.command("backup")
@click.option(
    "-o",
    "--output",
    type=click.Path(path_type=Path),
    help="Where to write the copy (default: tracker-backup-TIMESTAMP.db here).",
)
@click.pass_obj
def backup_command(obj: Context, output: Path | None) -> None:
    """Copy the SQLite database safely, even while others are using it."""

    from tracker.store import backup

    stamp = datetime.now(UTC).strftime("%Y%m%dT%H%M%SZ")
    destination = output or Path(f"tracker-backup-{stamp}.db")
    backup(obj.store, destination)
    click.echo(f"backed up to {destination}")


@main.command("restore")
@click.argument("backup_file", type=click.Path(path_type=Path))
@click.option("--yes", is_flag=True, help="Do not ask for confirmation.")
@click.pass_obj
def restore_command(obj: Context, backup_file: Path, yes: bool) -> None:
    """Replace the database with a backup; the current file is kept aside first."""
    from tracker.store import database_url, restore, sqlite_file

    target = sqlite_file(database_url(obj.settings.db))
    if target is None:
        fail("this database is on a server: restore it with pg_restore (see docs/deployment.md)")
    if obj.settings.read_only or obj.settings.reviewer:
        fail("restore needs a manager's session that may write")

    def ask(revision: str) -> bool:
        # Asked only once the backup has been checked whole, so a "yes" cannot be wasted.
        return yes or click.confirm(
            f"Replace {target} with {backup_file} (schema {revision})? "
            "The current file is kept aside.",
            default=False,
        )

    kept = restore(target, backup_file, ask)
    after = f"the previous file is kept as {kept}" if kept else "there was no database there before"
    click.echo(f"restored {backup_file} into {target}; {after}")


@main.command("verify")
@click.argument("plan", required=False)
@click.option("--json", "json_out", is_flag=True, help="Print JSON.")
@click.pass_obj
def verify_command(obj: Context, plan: str | None, json_out: bool) -> None:
    """Re-hash evidence files; exit 1 if any changed or went missing."""
    from tracker.verify import verify_evidence

    with _lists(obj) as reader:
        checks = verify_evidence(reader, plan)
    if json_out:
        as_json([dataclasses.asdict(c) for c in checks])
    else:
        table(
            ["ACTION", "ID", "STATE", "TITLE", "FILE", "DETAIL"],
            [[c.action, str(c.evidence_id), c.state, c.title, c.path, c.detail] for c in checks],
        )
        bad = [c for c in checks if c.state != "ok"]
        click.echo(f"{len(checks)} evidence files checked, {len(bad)} changed or missing")
    if any(c.state != "ok" for c in checks):
        sys.exit(1)


@main.command("roles")
@click.pass_obj
def roles_command(obj: Context) -> None:
    """The roles the database knows, with their aliases."""
    from tracker.queries.roles import roles

    with _lists(obj) as reader:
        found = roles(reader)
    table(["ROLE", "ALSO CALLED"], [[name, "; ".join(aliases) or "-"] for name, aliases in found])


@main.command("import")
@click.argument("report", type=click.Path(path_type=Path))
@click.option("--dry-run", is_flag=True, help="Show what the report holds; write nothing.")
@click.option("--json", "json_out", is_flag=True, help="Print what was found as JSON.")
@click.option("--id", "plan_id", metavar="PLAN_ID", help="The new plan's id (default: area-year).")
@click.option("--area", metavar="NAME", help="The area inspected, if the report does not name it.")
@click.pass_obj
def import_command(
    obj: Context,
    report: Path,
    dry_run: bool,
    json_out: bool,
    plan_id: str | None,
    area: str | None,
) -> None:
    """Read an inspection report (.txt, .md, .pdf, .docx) and make a draft plan from it.

    A dry run prints what was found and writes nothing; it exits 1 if the import would be
    refused (the plan id is taken, ...). See docs/import.md."""
    from collections.abc import Callable

    from tracker.importers import ReportError, run_import, to_json
    from tracker.store import database_url, sqlite_file

    if not dry_run and obj.settings.read_only:
        fail("the database is open read-only: nothing can be imported (--dry-run shows it)")

    def opened() -> Store:
        # Called only once the report is accepted: a refused report leaves no database behind.
        if not dry_run:
            services.require_editor(obj.store)
        return obj.store

    # A dry run needs no database: with none yet, it checks against a throwaway one.
    db_file = sqlite_file(database_url(obj.settings.db))
    no_database = dry_run and db_file is not None and not db_file.exists()
    store: Callable[[], Store] | None = None if no_database else opened
    try:
        run = run_import(
            store, report, obj.settings.user, dry_run=dry_run, plan_id=plan_id, area=area
        )
    except ReportError as exc:
        fail(str(exc))
    finding, result = run.finding, run.result
    if json_out:
        data = to_json(finding)
        data["plan_id"] = None if result is None else result.plan_id
        data["created_roles"] = [] if result is None else result.created_roles
        data["dry_run"] = dry_run
        data["refused"] = None if run.refused is None else run.refused.problem
        as_json(data)
    else:
        click.echo(f"{clean(finding.source)}: {clean(finding.area) or '(area not found)'}")
        click.echo(f"  inspection      {finding.kind.value}")
        click.echo(f"  published       {_text_or_dash(finding.published)}")
        click.echo(f"  submission due  {_text_or_dash(finding.submission_due)}")
        for score in finding.scores:
            level = "" if score.improvement is None else f" {score.improvement.value}"
            percent = "" if score.percent is None else f" {score.percent}%"
            click.echo(f"  score           {clean(score.name)}{percent}{level}")
        for rating in finding.ratings:
            click.echo(f"  rating          {clean(rating.name)}: {rating.rating.value}")
        click.echo(f"  {len(finding.recommendations)} recommendations:")
        for rec in finding.recommendations:
            owners = "; ".join(rec.owners) if rec.owners else "no owner stated"
            click.echo(f"    ({clean(rec.ref)}) {one_line(rec.text)} [{one_line(owners)}]")
        for warning in finding.warnings:
            click.echo(f"  warning: {one_line(warning)}")
        new_role = "would be a new role" if dry_run else "new role"
        for role in [] if result is None else result.created_roles:
            click.echo(f"  {new_role}: {one_line(role)}")
        if result is not None and not dry_run:
            click.echo(f"created draft plan {result.plan_id}")
        elif result is not None:
            click.echo(f"dry run: nothing written; the import would create plan {result.plan_id}")
    if run.refused is not None:
        fail(f"{run.refused}; the import would be refused (dry run: nothing written)")


def _write_output(output: Path, data: bytes) -> None:
    """Write a file whole or not at all (`tracker.services.write_export`), as the TUI does; a
    missing or unwritable folder is a user error."""
    services.write_export(output, data)


def _emit(data: bytes, output: Path | None, binary: bool, what: str) -> None:
    """Write an export to `output`, or to stdout; a binary format (DOCX, XLSX) is never
    written to a terminal, where it would only scramble the screen."""
    if output is not None:
        _write_output(output, data)
        click.echo(f"wrote {what} to {output}", err=True)
    elif binary and sys.stdout.isatty():
        fail(f"{what} is a binary format: give -o FILE, or redirect the output to a file")
    else:
        sys.stdout.buffer.write(data)
        sys.stdout.buffer.flush()


def _format_for(
    fmt: str | None, output: Path | None, formats: Sequence[str], endings: dict[str, str]
) -> str | None:
    """The format asked for with -f (any case), else the one the -o file's ending names, else
    None (the command's default). An unknown format, or an ending that names none, is a user
    error rather than a file silently written in another format."""
    if fmt is not None:
        if fmt.lower() not in formats:
            fail(f"unknown format {fmt!r}: choose one of {', '.join(formats)}")
        return fmt.lower()
    if output is None or not output.suffix:
        return None
    found = endings.get(output.suffix.lower())
    if found is None:
        fail(
            f"cannot tell the format from the ending of {output.name!r}: give -f FORMAT "
            f"({', '.join(formats)})"
        )
    return found


@main.command("export")
@click.argument("plan")
@click.option(
    "-f",
    "--format",
    "fmt",
    metavar="FORMAT",
    help="md, html or docx (board report), xlsx or csv (spreadsheet), toml (plan file) or ics "
    "(calendar). Default: from the -o file's ending, else md.",
)
@click.option("-o", "--output", type=click.Path(path_type=Path), help="Write to FILE.")
@click.option("--since", type=DATE, help="Board reports: list changes since DATE.")
@click.option(
    "--since-last-board",
    is_flag=True,
    help="Board reports: list changes since the last board report (the default).",
)
@click.option("--draft", is_flag=True, help="Board reports: do not record this one as issued.")
@click.pass_obj
def export_command(
    obj: Context,
    plan: str,
    fmt: str | None,
    output: Path | None,
    since: date | None,
    since_last_board: bool,
    draft: bool,
) -> None:
    """Export a plan: board report (md, html, docx), spreadsheet (xlsx, csv), plan file (toml)
    or calendar (ics). A board report written to a file with -o is recorded as issued, so
    that the next one lists what changed since; never one printed to stdout, a --draft, a
    --since report, or one from a --reviewer or --read-only session."""
    from tracker import exporters

    if since is not None and since_last_board:
        fail("give --since DATE or --since-last-board, not both")
    endings = {v: k for k, v in exporters.SUFFIXES.items()} | {".htm": "html", ".markdown": "md"}
    fmt = _format_for(fmt, output, exporters.PLAN_FORMATS, endings) or "md"
    if fmt not in exporters.BOARD_FORMATS and (since is not None or since_last_board):
        fail(
            f"--since and --since-last-board are for board reports "
            f"({', '.join(exporters.BOARD_FORMATS)}), not {fmt}"
        )
    from tracker.services.board_reports import issue_board_report

    binary = fmt in exporters.BINARY_FORMATS
    if output is None and binary and sys.stdout.isatty():
        fail(f"{plan} as {fmt} is a binary format: give -o FILE, or redirect the output to a file")
    # Only a report written to a file for the board moves the "since the last report" mark:
    # a look at one (`| less`), a draft, or one over another period must not.
    record = not draft and since is None and not (obj.settings.reviewer or obj.settings.read_only)
    with _lists(obj) as reader:
        issued = issue_board_report(
            lambda: obj.store,
            plan,
            fmt,
            lambda: exporters.export_plan(reader, plan, fmt, obj.settings.today, since=since),
            output,
            obj.settings.user,
            record=record,
        )
    if output is None:
        sys.stdout.buffer.write(issued.data)
        sys.stdout.buffer.flush()
    else:
        click.echo(f"wrote {plan} as {fmt} to {output}", err=True)
    if issued.recorded:
        click.echo(
            f"recorded the board report for {plan} as issued: the next one lists changes from "
            "now (--draft does not record)",
            err=True,
        )


@main.command("portfolio")
@click.option(
    "-f",
    "--format",
    "fmt",
    metavar="FORMAT",
    help="text (the screen), json, xlsx or html. Default: from the -o file's ending, else text.",
)
@click.option("-o", "--output", type=click.Path(path_type=Path), help="Write to FILE.")
@click.pass_obj
def portfolio_command(obj: Context, fmt: str | None, output: Path | None) -> None:
    """Every plan for a reviewer: clock, % complete, colours, overdue, evidence to review."""
    from tracker import exporters
    from tracker.exporters.data import PORTFOLIO_COLUMNS, portfolio_values
    from tracker.queries.exports import portfolio_rows
    from tracker.text import escape_left_raw

    endings = {".xlsx": "xlsx", ".html": "html", ".htm": "html", ".json": "json", ".txt": "text"}
    fmt = _format_for(fmt, output, ("text", "json", "xlsx", "html"), endings) or "text"
    today = obj.settings.today
    with _lists(obj) as reader:
        if fmt in exporters.PORTFOLIO_FORMATS:
            data = exporters.export_portfolio(reader, today, fmt)
            _emit(data, output, fmt == "xlsx", f"the portfolio as {fmt}")
            return
        rows = [portfolio_values(r) for r in portfolio_rows(reader, today)]
    if fmt == "json":
        keys = [c.lower().replace(" ", "_").replace("%", "percent") for c in PORTFOLIO_COLUMNS]
        text = json.dumps(
            [dict(zip(keys, r, strict=True)) for r in rows],
            indent=2,
            default=lambda v: v.isoformat() if isinstance(v, date) else str(v),
            ensure_ascii=False,
        )
        _emit((escape_left_raw(text) + "\n").encode(), output, False, "the portfolio as json")
        return
    text = table_text(
        [c.upper() for c in PORTFOLIO_COLUMNS], [[_text_or_dash(v) for v in r] for r in rows]
    )
    _emit(text.encode(), output, False, "the portfolio as text")


@main.command("digest")
@click.option(
    "--within",
    type=click.IntRange(0, 3650),
    default=14,
    show_default=True,
    metavar="DAYS",
    help="Also list actions due within DAYS.",
)
@click.option("--owner", metavar="ROLE", help="Only actions led by this role.")
@click.pass_obj
def digest_command(obj: Context, within: int, owner: str | None) -> None:
    """Overdue and due-soon actions grouped by lead, as plain text (for cron or email)."""
    from tracker.exporters import digest

    with _lists(obj) as reader:
        click.echo(digest(reader, obj.settings.today, within, owner), nl=False)


def run(argv: Sequence[str] | None = None) -> int:
    """Run the command line; return its exit status (for tests)."""
    try:
        main.main(args=list(argv) if argv is not None else None, prog_name="tracker")
    except SystemExit as exc:
        return int(exc.code or 0)
    return 0
