"""How the home screen lists the plans, as plain code of the plans read: its columns, each plan's
line (its clock and the words a search looks in, worked out when first asked for), and the
cells of a plan's row for the columns shown."""

from __future__ import annotations

from datetime import date
from typing import TYPE_CHECKING

from rich.text import Text

from tracker import rules
from tracker.queries.lists import PlanRow
from tracker.text import uk_day
from tracker.tui.widgets.cells import OVERDUE_STYLE, brag_counts, brag_strip, safe
from tracker.tui.widgets.columns import ColumnSpec
from tracker.tui.widgets.table import Cell

if TYPE_CHECKING:
    from tracker.queries.plan import PlanGlance

COLUMNS = [
    ColumnSpec("plan", "Plan", 14),
    ColumnSpec("clock", "Submission", 25, most=43, weight=8, keep=43),
    ColumnSpec("status", "Status", 10, drop=2),
    ColumnSpec("brag", "BRAG", 11),
    ColumnSpec("bar", "", 8, most=16, weight=1, drop=3),
    ColumnSpec("done", "Done", 4),
    ColumnSpec("overdue", "Overdue", 7),
    ColumnSpec("review", "Review", 6),
    ColumnSpec("area", "Area", 16, most=40, weight=1, drop=1),
    ColumnSpec("published", "Published", 11, drop=4),
    ColumnSpec("kind", "Kind", 5, drop=5),
]
"""The plans' columns. At 80 columns the plan id, the clock, colour counts, % complete and
overdue count show for every plan; a wider terminal shows the whole clock (43 cells: `due 21
May 2014 (report not yet published)`) before it adds the area, the status, a colour bar, the
publication date and the kind. `Review` (evidence awaiting the YJB's review) is a
reviewer's. The plan column is as wide as the longest plan id (`PlansScreen.make_columns`)."""

SEARCH_HINT = "Search plans: id, area, kind, status (Enter keeps, Esc clears)"


class PlanLine:
    """A plan as the home screen lists it: its row, its four-week submission clock in words,
    and (for a reviewer, else None) the evidence awaiting the YJB's review. The clock and the
    words a search looks in are worked out when first asked for, and kept: the home screen
    shows its first rows without working them out for each of 1,550 plans."""

    __slots__ = ("_clock", "_today", "_words", "awaiting_review", "row")

    def __init__(
        self,
        row: PlanRow,
        today: date,
        *,
        clock: str | None = None,
        awaiting_review: int | None = None,
    ) -> None:
        self.row = row
        self.awaiting_review = awaiting_review
        self._today = today
        self._clock = clock
        self._words: str | None = None

    @property
    def clock(self) -> str:
        """The submission clock: `due in 12 days`, `overdue by 3 days`, `submitted on time`."""
        if self._clock is None:
            r = self.row
            self._clock = rules.submission_clock(r.published, r.submitted, self._today)
        return self._clock

    @property
    def words(self) -> str:
        """What a search looks in: id, area, kind, status and clock, casefolded."""
        if self._words is None:
            r = self.row
            found = f"{r.id} {r.area} {r.kind.value} {r.status.value} {self.clock}"
            self._words = found.casefold()
        return self._words


def plan_cells(line: PlanLine, keys: list[str], bar: int) -> tuple[Cell, ...]:
    """A plan's row for the columns shown (`keys`), its colour bar `bar` cells wide."""
    r, clock = line.row, line.clock
    late = clock.startswith("overdue") or " late " in clock
    review = line.awaiting_review or 0
    overdue = r.summary.overdue
    cells: dict[str, Cell] = {
        "plan": r.id,
        "clock": Text(clock, style=OVERDUE_STYLE if late else ""),
        "status": r.status.value,
        "brag": brag_counts(r.summary.counts),
        "bar": brag_strip(r.summary.counts, bar),
        "done": f"{r.summary.percent_complete}%",
        "overdue": Text(str(overdue), style="bold red" if overdue else ""),
        "review": Text(str(review), style="bold" if review else "dim"),
        "area": safe(r.area, 40),
        "kind": r.kind.value,
        "published": uk_day(r.published, "unknown"),
    }
    return tuple(cells[k] for k in keys)


def plan_text(line: PlanLine, glance: PlanGlance | None = None) -> Text:
    """A plan in full, for the pane under the list: its id (which the command line takes),
    area, kind and status, the whole submission clock, then its colours and progress; with
    `glance`, the next actions due and the latest progress note."""
    r = line.row
    text = Text()
    text.append(f"{r.id}", style="bold")
    text.append(f" · {safe(r.area)} · {r.kind.value} · published {uk_day(r.published, 'unknown')}")
    text.append(f" · {r.status.value} · ")
    late = line.clock.startswith("overdue") or " late " in line.clock
    text.append(line.clock, style=OVERDUE_STYLE if late else "bold")
    text.append("\n")
    text.append_text(brag_counts(r.summary.counts))
    overdue = r.summary.overdue
    text.append(
        f" · {r.summary.percent_complete}% complete · {r.summary.total} "
        f"action{'s' if r.summary.total != 1 else ''} · "
    )
    text.append(f"{overdue} overdue", style="bold red" if overdue else "")
    if line.awaiting_review is not None:
        text.append(f" · evidence awaiting the YJB's review: {line.awaiting_review}")
    if glance is not None:
        if glance.next_due:
            text.append("\nNext due:", style="bold")
            for ref, target, words in glance.next_due:
                text.append(f"\n  {ref:<6} ")
                # A target already past is what is most due: said so, in the overdue colour.
                late = target < line._today
                text.append(f"{uk_day(target):<12}", style=OVERDUE_STYLE if late else "")
                text.append(f" {'overdue ' if late else ''}{safe(words, 90)}")
        if glance.latest_note is not None:
            ref, on, author, words = glance.latest_note
            text.append("\nLatest note: ", style="bold")
            text.append(f"{ref}, {uk_day(on)}, {safe(author)}: {safe(words, 200)}")
    return text
