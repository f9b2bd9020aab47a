"""The digest: plain text of what is overdue and what falls due soon, grouped by lead, for a
cron job or an email to the people who lead the actions.
"""

from __future__ import annotations

from datetime import date

from tracker import rules
from tracker.errors import NotFoundError
from tracker.exporters.data import day
from tracker.queries.lists import ActionRow, action_rows
from tracker.queries.reader import Reader
from tracker.queries.roles import role_called
from tracker.text import one_line

NO_LEAD = "(no lead named)"
"""The group for actions that name neither a lead nor an owner role."""


def _line(row: ActionRow, today: date) -> str:
    assert row.target is not None
    if row.overdue:
        days = (today - row.target).days
        when = f"OVERDUE by {days} day{'s' if days != 1 else ''}"
    elif row.target == today:
        when = "due today"
    else:
        days = (row.target - today).days
        when = f"due in {days} day{'s' if days != 1 else ''}"
    return (
        f"  {one_line(row.id)}  {when} ({day(row.target)}), {row.status.value} {row.progress}%, "
        f"{row.brag.colour.value}\n      {one_line(row.text, 100)}"
    )


def digest(reader: Reader, today: date, within_days: int, owner: str | None = None) -> str:
    """Every unfinished action, across all plans, that is overdue or due within `within_days`
    days of `today` (any number: one past the last day Python holds means every such action),
    grouped by lead (the named lead, else the owner role), leads in alphabetical order; in each
    group the overdue first, most overdue first, then by target date. `owner` keeps one owner
    role's actions (any of its names; NotFoundError for a name no role has, so that a typo
    never reads as "nothing due"). Ends with a newline."""
    if within_days < 0:
        raise ValueError("within_days cannot be negative")
    if owner is not None:
        named = role_called(reader, owner)
        if named is None:
            raise NotFoundError(f"no role is called {owner!r} (see `tracker roles`)")
        owner = named
    horizon = rules.add_days(today, within_days)  # any number of days: never overflows
    rows = [
        r
        for r in action_rows(reader, today, owner=owner, due_within=within_days)
        if r.target is not None
    ]
    scope = f" for {one_line(owner)}" if owner else ""
    head = f"Improvement plan actions overdue or due by {day(horizon)}{scope}, as of {day(today)}"
    if not rows:
        return f"{head}\n\nNothing is overdue or due by then.\n"
    groups: dict[str, list[ActionRow]] = {}
    for row in rows:
        lead = one_line(row.lead or row.owner or "") or NO_LEAD
        groups.setdefault(lead, []).append(row)
    overdue = sum(r.overdue for r in rows)
    lines = [
        head,
        f"{overdue} overdue, {len(rows) - overdue} due soon, {len(groups)} "
        f"lead{'s' if len(groups) != 1 else ''}.",
    ]
    for lead in sorted(groups, key=lambda name: (name == NO_LEAD, name.casefold())):
        found = sorted(groups[lead], key=lambda r: (not r.overdue, r.target or date.max, r.id))
        lines += ["", f"{lead} ({len(found)})", *(_line(r, today) for r in found)]
    return "\n".join(lines) + "\n"
