"""How a plan reads on screen, as plain functions of the read plan: its header, the orders
and filters its actions can be read in, and the cells of each row for the columns shown."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import replace
from datetime import date
from typing import Any

from rich.cells import cell_len
from rich.text import Text

from tracker.queries.lists import ActionRow
from tracker.queries.plan import PlanDetail, RecommendationRow, SignOffRow
from tracker.text import uk_day
from tracker.tui.dialogs.plan import Filters
from tracker.tui.widgets.cells import OVERDUE_STYLE, brag_bar, brag_cell, safe
from tracker.tui.widgets.columns import ColumnSpec
from tracker.tui.widgets.table import Cell
from tracker.vocab import ActionStatus, Brag

BRAG_ORDER = {Brag.RED: 0, Brag.AMBER: 1, Brag.GREEN: 2, Brag.BLUE: 3}
STATUS_ORDER = {s: i for i, s in enumerate(ActionStatus)}

SORTS: list[tuple[str, Callable[[ActionRow], Any] | None]] = [
    ("recommendation", None),
    ("target date", lambda a: (a.target is None, a.target or date.max)),
    ("colour", lambda a: BRAG_ORDER[a.brag.colour]),
    ("status", lambda a: STATUS_ORDER[a.status]),
    ("lead", lambda a: (a.lead or "~").casefold()),
    ("progress", lambda a: a.progress),
]
"""The orders the plan can be read in; `s` steps through them. The first keeps actions under
their recommendations."""

COLUMN_SORT = {"target": 1, "brag": 2, "status": 3, "lead": 4, "done": 5, "ref": 0}
"""A click on these columns' headings reads the plan in that order."""

COLUMNS = [
    ColumnSpec("ref", "Ref", 6),
    ColumnSpec("brag", "BRAG", 8),
    ColumnSpec("status", "Status", 11),
    ColumnSpec("target", "Target", 11),
    ColumnSpec("done", "Done", 4),
    ColumnSpec("action", "Action", 18, most=10_000, weight=8, keep=44),
    ColumnSpec("owner", "Owner", 12, most=34, weight=1, drop=2),
    ColumnSpec("lead", "Lead", 12, most=34, weight=1, drop=1),
    ColumnSpec("evidence", "Ev", 2),
]
"""The actions' columns: colour, status and dates first, so they show even at 80 columns; the
named lead and then the owner role only when the words keep 44 cells beside them; the words
take the rest (`sized_columns` keeps the names no wider than the longest)."""


def sized_columns(detail: PlanDetail | None) -> list[ColumnSpec]:
    """The columns for this plan: the owner and lead grow no wider than their longest value,
    so that the room a short name does not need goes to the words."""
    if detail is None:
        return COLUMNS
    rows = [*detail.actions, *detail.withdrawn_actions]
    longest = {
        "owner": max(
            [cell_len(safe(a.owner or "-")) for a in rows]
            + [cell_len(recommendation_owners(r)) for r in detail.recommendations],
            default=0,
        ),
        "lead": max((cell_len(safe(a.lead or "-")) for a in rows), default=0),
    }
    return [
        replace(c, most=max(c.width, min(c.most, longest[c.key]))) if c.key in longest else c
        for c in COLUMNS
    ]


def _day(d: date | None) -> str:
    return uk_day(d, "-")


SHORT_SCORES = {"Risk of Harm to others": "RoH", "Likelihood of Reoffending": "LoR"}
"""The inspection's score names as its reports abbreviate them, for a narrow header."""


def header_text(detail: PlanDetail, width: int = 120, closed: SignOffRow | None = None) -> Text:
    """The plan's header: area, kind, clock; colours and progress; lifecycle; scores (their
    names abbreviated as the reports do when `width` is narrow, so that every score shows)."""
    # Most important first: the header is capped at five lines, so on a small terminal the
    # scores and lifecycle dates are what gets cut, never the clock or the colours.
    header = Text()
    header.append(f"{safe(detail.area)}", style="bold")
    header.append(f" · {detail.kind.value} · published {uk_day(detail.published, 'unknown')}")
    clock_style = "bold red" if detail.clock.startswith("overdue") else "bold"
    header.append(" · ")
    header.append(detail.clock, style=clock_style)
    header.append("\n")
    header.append(brag_bar(detail.summary.counts, 24))
    header.append(
        f" · {detail.summary.percent_complete}% complete · "
        f"{detail.summary.overdue} overdue · {detail.summary.total} "
        f"action{'' if detail.summary.total == 1 else 's'}"
    )
    header.append(f"\n{detail.status.value}")
    done = [(s, d) for s, d in detail.steps.items() if d is not None]
    if done and done[-1][0] is detail.status:
        header.append(f" since {_day(done[-1][1])}")
        done = done[:-1]
    if done:
        header.append(f" ({'; '.join(f'{s.value} {_day(d)}' for s, d in done)})", style="dim")
    if detail.submitted_incomplete:
        n = len(detail.submitted_incomplete)
        header.append(f" · went in incomplete ({n} gap{'s' if n != 1 else ''})", style="yellow")
    if closed is not None:
        header.append(
            f" · ✓ signed off by {safe(closed.signed_by)} {_day(closed.signed_at.date())}",
            style="bold green",
        )
    if detail.next_meeting:
        header.append(f" · next board {_day(detail.next_meeting)}")
    if detail.scores:
        scores = [safe(s.text()) for s in detail.scores]
        if width < 100:
            scores = [
                safe(replace(s, name=SHORT_SCORES.get(s.name, s.name)).text())
                for s in detail.scores
            ]
        header.append("\n" + " · ".join(scores), style="dim")
    return header


def passes(a: ActionRow, f: Filters, overdue_only: bool, search: str) -> bool:
    """Whether an action passes the filters and has every word of the search."""
    if overdue_only and not a.overdue:
        return False
    if f.owner and a.owner != f.owner:
        return False
    if f.status and a.status is not f.status:
        return False
    if f.brag and a.brag.colour is not f.brag:
        return False
    if search:
        haystack = " ".join([a.ref, a.text, a.lead or "", a.owner or ""]).casefold()
        return all(word in haystack for word in search.casefold().split())
    return True


def _in(keys: list[str], cells: dict[str, Cell]) -> list[Cell]:
    return [cells.get(k, "") for k in keys]


def recommendation_owners(rec: RecommendationRow) -> str:
    """`YOS Manager [agreed]`: a recommendation's owner roles and the service's response."""
    owners = ", ".join(rec.owners) if rec.owners else "no owner stated"
    response = f" [{rec.response}]" if rec.response else ""
    return safe(owners + response, 100)


def recommendation_cells(
    rec: RecommendationRow, keys: list[str], signed: bool = False
) -> list[Cell]:
    """A recommendation's row: its ref and words in bold (✓ after the ref once the YJB has
    signed it off as implemented), its owners and response."""
    owners = recommendation_owners(rec)
    text = Text(safe(rec.text, 400), style="bold")
    if "owner" not in keys:
        # No owner column on a narrow terminal: the owners follow the words instead.
        text.append(f" · {owners}", style="italic")
    cells: dict[str, Cell] = {
        "ref": Text(f"R{safe(rec.ref)}{' ✓' if signed else ''}", style="bold"),
        "action": text,
        "owner": Text(owners, style="italic"),
    }
    return _in(keys, cells)


def ref_cell(a: ActionRow, selected: bool) -> Cell:
    """The action's ref, marked ● when it is selected for a bulk edit."""
    if not selected:
        return safe(a.ref)
    marked = Text("●", style="bold yellow")
    marked.append(safe(a.ref))
    return marked


def action_cells(a: ActionRow, keys: list[str], selected: bool) -> list[Cell]:
    """An action's row, for the columns shown."""
    target_style = OVERDUE_STYLE if a.overdue else ""
    cells: dict[str, Cell] = {
        "ref": ref_cell(a, selected),
        "brag": brag_cell(a.brag.colour, a.brag.overridden),
        "status": a.status.value,
        "target": Text(uk_day(a.target, "none"), style=target_style),
        "done": f"{a.progress}%",
        "action": safe(a.text, 400),
        "owner": safe(a.owner or "-", 100),
        "lead": safe(a.lead or "-", 100),
        "evidence": str(a.evidence),
    }
    return _in(keys, cells)


WITHDRAWN = "dim italic"
"""A withdrawn row's style: shown (with `w`) so that it can be restored, in no count."""


def withdrawn_note(on: date | None, reason: str | None) -> str:
    """` · withdrawn 3 Jun 2010: duplicate of 2.1`."""
    note = f" · withdrawn {uk_day(on)}"
    return note + (f": {safe(reason, 200)}" if reason else "")


def withdrawn_recommendation_cells(rec: RecommendationRow, keys: list[str]) -> list[Cell]:
    """A withdrawn recommendation's row: its ref and words dimmed, when and why withdrawn."""
    text = Text(safe(rec.text, 300), style=WITHDRAWN)
    text.append(withdrawn_note(rec.withdrawn, rec.withdrawn_reason), style="italic")
    cells: dict[str, Cell] = {
        "ref": Text(f"R{safe(rec.ref)}", style=WITHDRAWN),
        "status": Text("withdrawn", style=WITHDRAWN),
        "action": text,
    }
    return _in(keys, cells)


def withdrawn_action_cells(a: ActionRow, keys: list[str]) -> list[Cell]:
    """A withdrawn action's row: dimmed, no colour (it is in no count), when and why."""
    text = Text(safe(a.text, 300), style=WITHDRAWN)
    text.append(withdrawn_note(a.withdrawn, a.withdrawn_reason), style="italic")
    cells: dict[str, Cell] = {
        "ref": Text(safe(a.ref), style=WITHDRAWN),
        "status": Text("withdrawn", style=WITHDRAWN),
        "target": Text(uk_day(a.target, "-"), style=WITHDRAWN),
        "action": text,
        "owner": Text(safe(a.owner or "-", 100), style=WITHDRAWN),
        "lead": Text(safe(a.lead or "-", 100), style=WITHDRAWN),
    }
    return _in(keys, cells)
