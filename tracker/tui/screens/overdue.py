"""What is overdue across every plan (`o` on the home screen): each action past its target
and not complete, the most overdue first, with its plan, lead and words; Enter opens it."""

from __future__ import annotations

from dataclasses import replace
from datetime import date
from typing import ClassVar

from rich.text import Text
from textual import on
from textual.app import ComposeResult
from textual.binding import Binding, BindingType
from textual.widgets import Header, Static

from tracker.queries.lists import ActionRow, action_rows
from tracker.text import uk_day
from tracker.tui.screens.base import TrackerScreen
from tracker.tui.screens.row_detail import RowDetail, action_text
from tracker.tui.widgets.cells import OVERDUE_STYLE, brag_cell, safe
from tracker.tui.widgets.columns import ColumnSpec, fit_columns
from tracker.tui.widgets.footer import KeyFooter
from tracker.tui.widgets.table import Cell, FastTable

COLUMNS = [
    ColumnSpec("plan", "Plan", 14),
    ColumnSpec("ref", "Ref", 5),
    ColumnSpec("late", "Late by", 8),
    ColumnSpec("target", "Target", 11),
    ColumnSpec("brag", "BRAG", 8, drop=3),
    ColumnSpec("done", "Done", 4),
    ColumnSpec("action", "Action", 16, most=10_000, weight=8, keep=40),
    ColumnSpec("lead", "Lead", 12, most=32, weight=1, drop=1),
    ColumnSpec("status", "Status", 11, drop=2),
]
"""The overdue actions' columns: whose, how late and the words first; the lead, status and
colour when there is room."""


def late_by(a: ActionRow, today: date) -> str:
    """`45 days`: how long past its target an action is."""
    days = (today - a.target).days if a.target is not None else 0
    return f"{days} day{'s' if days != 1 else ''}"


def overdue_cells(a: ActionRow, keys: list[str], today: date) -> list[Cell]:
    """An overdue action's row, for the columns shown."""
    cells: dict[str, Cell] = {
        "plan": safe(a.plan),
        "ref": safe(a.ref),
        "late": Text(late_by(a, today), style="bold"),
        "target": Text(uk_day(a.target, "none"), style=OVERDUE_STYLE),
        "brag": brag_cell(a.brag.colour, a.brag.overridden),
        "done": f"{a.progress}%",
        "action": safe(a.text, 400),
        "lead": safe(a.lead or "-", 100),
        "status": a.status.value,
    }
    return [cells[k] for k in keys]


class OverdueScreen(TrackerScreen):
    """Every overdue action in every plan, the most overdue first."""

    AUTO_FOCUS = "#overdue"
    BINDINGS: ClassVar[list[BindingType]] = [
        Binding("enter", "open_action", "Open", id="overdue.open"),
        Binding("escape", "back", "Back", id="overdue.back"),
        Binding("p", "open_plan", "Its plan", id="overdue.plan"),
        Binding("r", "reload", "Reload", id="overdue.reload"),
    ]

    def __init__(self) -> None:
        super().__init__()
        self.rows: list[ActionRow] = []
        self.fitted_to = 0  # the room (columns) the table's columns were last fitted to

    def compose(self) -> ComposeResult:
        yield Header()
        yield FastTable(id="overdue")
        yield RowDetail(id="row-detail")
        yield Static("Reading what is overdue…", id="status-line", classes="status-line")
        yield KeyFooter()

    def on_mount(self) -> None:
        self.sub_title = "overdue in every plan"
        self.make_columns()

    def on_screen_resume(self) -> None:
        """Shown (first time, or back from an action): read again, so changes show."""
        self.action_reload()

    def make_columns(self) -> None:
        """Columns for the terminal's width; the words take what the others leave."""
        table = self.query_one("#overdue", FastTable)
        self.fitted_to = table.room
        longest = max((len(a.plan) for a in self.rows), default=14)
        specs = [
            replace(c, width=max(c.width, min(30, longest))) if c.key == "plan" else c
            for c in COLUMNS
        ]
        table.set_columns(fit_columns(specs, self.fitted_to))

    @on(FastTable.Resized, "#overdue")
    def refit(self) -> None:
        """Use the room of a larger (or smaller) terminal, or what the keys panel leaves."""
        table = self.query_one("#overdue", FastTable)
        if table.room != self.fitted_to:
            keep = table.cursor_key  # new columns clear the rows
            self.make_columns()
            self.fill(keep)

    def action_reload(self) -> None:
        """Read the overdue actions again."""
        tracker, today = self.tracker, self.tracker.settings.today

        def read() -> list[ActionRow]:
            with tracker.lists() as reader:
                found = action_rows(reader, today, overdue=True)
            return sorted(found, key=lambda a: (a.target or today, a.plan, a.id))

        self.run_db(read, self.show_rows, name="overdue", latest=True)

    def show_rows(self, rows: list[ActionRow]) -> None:
        """Show a fresh read."""
        self.rows = rows
        self.make_columns()
        self.fill()

    def fill(self, keep: str | None = None) -> None:
        """The rows in the table, the cursor kept on its action (or put on `keep`)."""
        table = self.query_one("#overdue", FastTable)
        keep = keep or table.cursor_key
        keys = [c.key for c in table.columns]
        today = self.tracker.settings.today
        table.clear()
        table.add_rows([(a.id, overdue_cells(a, keys, today)) for a in self.rows])
        if keep is not None and table.has_key(keep):
            table.move_cursor(row=table.get_row_index(keep))
        plans = len({a.plan for a in self.rows})
        if self.rows:
            said = (
                f"{len(self.rows)} overdue action{'s' if len(self.rows) != 1 else ''} in "
                f"{plans} plan{'s' if plans != 1 else ''}, the most overdue first"
            )
        else:
            said = "Nothing is overdue in any plan"
        status = f"{said} · today {uk_day(today)} · ? every key"
        self.query_one("#status-line", Static).update(status)
        self.describe_row()

    @on(FastTable.RowHighlighted, "#overdue")
    def describe_row(self) -> None:
        """The action under the cursor in full, under the list."""
        pane = self.query_one("#row-detail", RowDetail)
        key = self.query_one("#overdue", FastTable).cursor_key
        found = next((a for a in self.rows if a.id == key), None)
        pane.show(action_text(found, with_plan=True) if found is not None else "")

    @on(FastTable.RowSelected, "#overdue")
    def action_open_action(self) -> None:
        """Open the action under the cursor (Escape from it comes back here)."""
        key = self.query_one("#overdue", FastTable).cursor_key
        if key is not None:
            self.tracker.open_action(key)

    def action_open_plan(self) -> None:
        """Open the plan of the action under the cursor."""
        found = next(
            (a for a in self.rows if a.id == self.query_one("#overdue", FastTable).cursor_key),
            None,
        )
        if found is not None:
            self.tracker.open_plan(found.plan)

    def action_back(self) -> None:
        """Back to the plans."""
        self.app.pop_screen()
