"""The commands a YOS manager writes a plan with: add, withdraw and restore actions
(`tracker action`) and recommendations (`tracker rec`), edit a recommendation, start a plan
without a report and edit its own details (`tracker plan`).

Each is one call to `tracker.services` (`authoring`), which checks it, audits it, and saves
all of it or none; the command says what was done. Nothing in a plan is ever deleted: a
withdrawn row leaves every count and export and can be restored, and its ref is never reused.
Whether a plan is ready to submit is a read: `tracker check` (in `lists`).
"""

from __future__ import annotations

import re
from datetime import date
from typing import TYPE_CHECKING, Any

import click

from tracker import rules, services
from tracker.cli.context import Context
from tracker.cli.group import DATE, choice
from tracker.cli.output import fail
from tracker.text import clean, uk_day
from tracker.vocab import ActionStatus, Improvement, InspectionKind, Rating, Response, parse_enum

if TYPE_CHECKING:
    from tracker.services import ScoreValue

expect_version_option = click.option(
    "--expect-version",
    type=int,
    metavar="N",
    help="Refuse if it is no longer at version N (someone else changed it).",
)
"""`--expect-version N`, as `tracker update` has it."""


withdraw_reason_option = click.option(
    "--reason", required=True, metavar="TEXT", help="Why it is withdrawn (kept with it)."
)
"""`--reason TEXT`, required: why a row is withdrawn."""


# tracker action ---------------------------------------------------------------------------------


@click.command("add")
@click.argument("rec", metavar="PLAN/REC")
@click.option("--text", required=True, metavar="TEXT", help="What will be done.")
@click.option(
    "--lead-role",
    required=True,
    metavar="ROLE",
    help="The role that leads it (any name of a role; a new name creates the role).",
)
@click.option("--lead", metavar="NAME", help="The named lead.")
@click.option("--start", type=DATE, help="The start date.")
@click.option("--target", required=True, type=DATE, help="The target date.")
@click.option(
    "--measure", "--success-measure", "measure", metavar="TEXT", help="How success shows."
)
@click.option(
    "--status",
    type=choice(ActionStatus),
    default=ActionStatus.NOT_STARTED.value,
    help="Its status to begin with (not complete).",
)
@click.pass_obj
def action_add(
    obj: Context,
    rec: str,
    text: str,
    lead_role: str,
    lead: str | None,
    start: date | None,
    target: date,
    measure: str | None,
    status: ActionStatus,
) -> None:
    """Add an action under a recommendation; prints its id (PLAN/REF), the next free number
    under the recommendation (withdrawn actions keep theirs)."""
    new = services.NewAction(
        text=text,
        lead_role=lead_role,
        lead=lead,
        start_on=start,
        target_on=target,
        success_measure=measure,
        status=status,
    )
    ref = services.add_action(obj.store, rec, obj.settings.user, obj.settings.today, new)
    click.echo(ref)


@click.command("withdraw")
@click.argument("action", metavar="PLAN/REF")
@withdraw_reason_option
@expect_version_option
@click.pass_obj
def action_withdraw(obj: Context, action: str, reason: str, expect_version: int | None) -> None:
    """Withdraw an action, with a reason: it leaves every count, colour and export, and stays
    in the history and in `tracker actions --all`. `tracker action restore` undoes it."""
    version = services.withdraw_action(
        obj.store,
        action,
        obj.settings.user,
        obj.settings.today,
        reason,
        expected_version=expect_version,
    )
    click.echo(f"withdrew {action} (now version {version})")


@click.command("restore")
@click.argument("action", metavar="PLAN/REF")
@expect_version_option
@click.pass_obj
def action_restore(obj: Context, action: str, expect_version: int | None) -> None:
    """Bring a withdrawn action back."""
    version = services.restore_action(
        obj.store, action, obj.settings.user, expected_version=expect_version
    )
    click.echo(f"restored {action} (now version {version})")


# tracker rec ------------------------------------------------------------------------------------

owner_option = click.option(
    "--owner",
    "owners",
    multiple=True,
    metavar="ROLE",
    help="An owner role (repeatable, in order; any name of a role; a new name creates it).",
)
response_option = click.option(
    "--response", type=choice(Response), help="The service's response to the recommendation."
)
response_reason_option = click.option(
    "--reason",
    metavar="TEXT",
    help="Why it is partly or not agreed (required for those responses).",
)
theme_option = click.option("--theme", metavar="TEXT", help="The theme it comes under.")


@click.command("add")
@click.argument("plan")
@click.option("--text", required=True, metavar="TEXT", help="The recommendation's words.")
@owner_option
@response_option
@response_reason_option
@theme_option
@click.pass_obj
def rec_add(
    obj: Context,
    plan: str,
    text: str,
    owners: tuple[str, ...],
    response: Response | None,
    reason: str | None,
    theme: str | None,
) -> None:
    """Add a recommendation to a plan; prints its id (PLAN/REC), the next free number in the
    plan (withdrawn recommendations keep theirs)."""
    ref = services.add_recommendation(
        obj.store,
        plan,
        obj.settings.user,
        text,
        owners=owners,
        response=response,
        response_reason=reason,
        theme=theme,
    )
    click.echo(ref)


@click.command("edit")
@click.argument("rec", metavar="PLAN/REC")
@click.option("--text", metavar="TEXT", help="The recommendation's words.")
@owner_option
@response_option
@response_reason_option
@theme_option
@click.option(
    "--clear",
    multiple=True,
    type=click.Choice(["response", "theme"]),
    help="Empty a field (repeatable); clearing the response clears its reason.",
)
@expect_version_option
@click.option(
    "--yes",
    is_flag=True,
    help="Confirm a change of the text once the plan is agreed (it is marked in the board "
    "report's changes).",
)
@click.pass_obj
def rec_edit(
    obj: Context,
    rec: str,
    text: str | None,
    owners: tuple[str, ...],
    response: Response | None,
    reason: str | None,
    theme: str | None,
    clear: tuple[str, ...],
    expect_version: int | None,
    yes: bool,
) -> None:
    """Change a recommendation; --owner (repeatable) replaces its owner roles. Once the plan
    is agreed, changing its text needs --yes."""
    changes = services.RecommendationChanges(
        text=text,
        owners=owners or None,
        response=response,
        response_reason=reason,
        theme=theme,
        clear=frozenset(clear),
    )
    try:
        version = services.edit_recommendation(
            obj.store,
            rec,
            obj.settings.user,
            changes,
            expected_version=expect_version,
            confirmed=yes,
        )
    except services.NeedsConfirmation as exc:
        message = str(exc).removesuffix(" Confirm to go on.")
        fail(f"{message} Nothing was saved: repeat the command with --yes to go on.")
    click.echo(f"updated {rec} (now version {version})")


@click.command("withdraw")
@click.argument("rec", metavar="PLAN/REC")
@withdraw_reason_option
@expect_version_option
@click.pass_obj
def rec_withdraw(obj: Context, rec: str, reason: str, expect_version: int | None) -> None:
    """Withdraw a recommendation, with a reason, and with it each of its actions not already
    withdrawn; `tracker rec restore` brings them back."""
    version = services.withdraw_recommendation(
        obj.store,
        rec,
        obj.settings.user,
        obj.settings.today,
        reason,
        expected_version=expect_version,
    )
    click.echo(f"withdrew {rec} and its actions (now version {version})")


@click.command("restore")
@click.argument("rec", metavar="PLAN/REC")
@expect_version_option
@click.pass_obj
def rec_restore(obj: Context, rec: str, expect_version: int | None) -> None:
    """Bring a withdrawn recommendation back, with the actions withdrawn with it."""
    version = services.restore_recommendation(
        obj.store, rec, obj.settings.user, expected_version=expect_version
    )
    click.echo(f"restored {rec} (now version {version})")


# tracker plan -----------------------------------------------------------------------------------


@click.command("new")
@click.option("--area", required=True, metavar="NAME", help="The area inspected.")
@click.option("--kind", required=True, type=choice(InspectionKind), help="The kind of inspection.")
@click.option("--published", required=True, type=DATE, help="The report's publication date.")
@click.option(
    "--id", "plan_id", metavar="PLAN", help="The plan's id (default: the area and the year)."
)
@click.option("--title", metavar="TEXT", help="The plan's title.")
@click.pass_obj
def plan_new(
    obj: Context,
    area: str,
    kind: InspectionKind,
    published: date,
    plan_id: str | None,
    title: str | None,
) -> None:
    """Start an empty draft plan without a report to import; prints its id."""
    slug = services.new_plan(
        obj.store, obj.settings.user, area, kind, published, plan_id=plan_id, title=title
    )
    click.echo(slug)


_PERCENT = re.compile(r"(\d{1,3})%")


class ScoreType(click.ParamType):  # type: ignore[type-arg]
    """A headline score: `NAME=79%`, `NAME=Good` (a rating), `NAME=MINIMUM` (an improvement
    level) or `NAME=79% MINIMUM`."""

    name = "score"

    def convert(
        self, value: Any, param: click.Parameter | None, ctx: click.Context | None
    ) -> ScoreValue:
        if isinstance(value, services.ScoreValue):
            return value
        said = str(value)
        name, sep, rest = said.rpartition("=")
        words = rest.split()
        if not sep or not name.strip() or not words:
            self.fail(f"{said!r} is not a score: write NAME=79%, NAME=Good or 'NAME=79% MINIMUM'")
        percent = None
        found = _PERCENT.fullmatch(words[0])
        if found is not None:
            percent = int(found.group(1))
            words = words[1:]
        level = " ".join(words)
        improvement = rating = None
        if level:
            try:
                improvement = parse_enum(Improvement, level)
            except ValueError:
                try:
                    rating = parse_enum(Rating, level)
                except ValueError:
                    levels = [m.value for m in Improvement] + [m.value for m in Rating]
                    self.fail(
                        f"{said!r}: {level!r} is neither a percentage (79%) nor one of "
                        + ", ".join(levels)
                    )
        return services.ScoreValue(name.strip(), percent, improvement, rating)


def _clock_line(was: date | None, now: date | None) -> str:
    """What a new publication date does to the four-week submission clock."""
    due, before = rules.submission_due(now), rules.submission_due(was)
    if due is None:
        return "the plan has no publication date now: its four-week submission clock stops"
    after = "" if before is None else f" (was {uk_day(before)})"
    return f"the four-week submission clock moves: the plan is due {uk_day(due)}{after}"


@click.command("edit")
@click.argument("plan")
@click.option("--area", metavar="NAME", help="The area inspected.")
@click.option("--kind", type=choice(InspectionKind), help="The kind of inspection.")
@click.option("--published", type=DATE, help="The publication date (moves the four-week clock).")
@click.option("--fieldwork-start", type=DATE, help="The first day of fieldwork.")
@click.option("--fieldwork-end", type=DATE, help="The last day of fieldwork.")
@click.option("--title", metavar="TEXT", help="The plan's title.")
@click.option(
    "--board-meetings",
    metavar="RRULE",
    help="When the board meets, as an iCalendar rule (FREQ=MONTHLY;INTERVAL=3;BYDAY=2TU).",
)
@click.option("--board-meetings-start", type=DATE, help="The date of the first board meeting.")
@click.option(
    "--score",
    "scores",
    multiple=True,
    type=ScoreType(),
    help="A headline score, NAME=79%, NAME=Good or 'NAME=79% MINIMUM' (repeatable: together "
    "they replace the plan's scores).",
)
@click.option(
    "--clear",
    multiple=True,
    type=click.Choice(sorted(services.PLAN_CLEARABLE)),
    help="Empty a field (repeatable).",
)
@expect_version_option
@click.pass_obj
def plan_edit(
    obj: Context,
    plan: str,
    area: str | None,
    kind: InspectionKind | None,
    published: date | None,
    fieldwork_start: date | None,
    fieldwork_end: date | None,
    title: str | None,
    board_meetings: str | None,
    board_meetings_start: date | None,
    scores: tuple[ScoreValue, ...],
    clear: tuple[str, ...],
    expect_version: int | None,
) -> None:
    """Change a plan's own details: its inspection (area, kind, dates, scores), title and
    board meetings. A new publication date moves the four-week submission clock."""
    moves = published is not None or "published" in clear
    was: date | None = None
    if moves:
        from tracker.queries.plan import plan_detail

        with obj.reader() as reader:
            was = plan_detail(reader, plan, obj.settings.today).published
    changes = services.PlanChanges(
        area=area,
        kind=kind,
        published=published,
        fieldwork_start=fieldwork_start,
        fieldwork_end=fieldwork_end,
        title=title,
        board_meetings=board_meetings,
        board_meetings_start=board_meetings_start,
        scores=list(scores) or None,
        clear=frozenset(clear),
    )
    version = services.edit_plan(
        obj.store, plan, obj.settings.user, changes, expected_version=expect_version
    )
    click.echo(f"updated {plan} (now version {version})")
    if area is not None:
        # An area the gazetteer does not know is kept, with a warning (a typing slip, or a
        # service newer than the list), never refused.
        from tracker.importers.gazetteer import area_warning

        warning = area_warning(area)
        if warning is not None:
            click.echo(f"warning: {clean(warning)}", err=True)
    now = None if "published" in clear else published
    if moves and now != was:
        click.echo(_clock_line(was, now))
