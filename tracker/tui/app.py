"""The tracker's Textual app. For now one screen: the plans, with their clocks and colours."""

from __future__ import annotations

from typing import ClassVar

from textual import work
from textual.app import App, ComposeResult
from textual.binding import Binding, BindingType
from textual.widgets import DataTable, Footer, Header, Static

from tracker import queries, rules
from tracker.config import Settings
from tracker.store import Store
from tracker.text import one_line


class TrackerApp(App[None]):
    """The tracker: takes its store, settings (user, today) and an optional title."""

    CSS_PATH = "app.tcss"
    TITLE = "YOS improvement plans"
    BINDINGS: ClassVar[list[BindingType]] = [
        Binding("q", "quit", "Quit", id="quit"),
        Binding("ctrl+q", "quit", "Quit", show=False, id="quit-ctrl"),
        Binding("r", "reload", "Reload", id="reload"),
    ]
    """Keys shown in the footer; ids let a user's keymap remap them."""

    def __init__(self, store: Store, settings: Settings, title: str | None = None) -> None:
        super().__init__()
        self.store = store
        self.settings = settings
        if title:
            self.sub_title = title

    def compose(self) -> ComposeResult:
        yield Header()
        yield DataTable(id="plans", cursor_type="row", zebra_stripes=True)
        yield Static("Loading plans…", id="status-line")
        yield Footer()

    def on_mount(self) -> None:
        table = self.query_one("#plans", DataTable)
        table.add_columns(
            "Plan", "Area", "Kind", "Published", "Submission", "Status", "BRAG", "Done", "Overdue"
        )
        self.action_reload()

    def action_reload(self) -> None:
        """Read the plans again."""
        self._load_plans()

    @work(thread=True, exclusive=True, exit_on_error=False)
    def _load_plans(self) -> None:
        with self.store.read() as session:
            rows = queries.plan_rows(session, self.settings.today)
        self.call_from_thread(self._show_plans, rows)

    def _show_plans(self, rows: list[queries.PlanRow]) -> None:
        table = self.query_one("#plans", DataTable)
        table.clear()
        today = self.settings.today
        for r in rows:
            table.add_row(
                r.id,
                one_line(r.area, 16),
                r.status.value,
                rules.submission_clock(r.published, r.submitted, today),
                queries.brag_counts_text(r.summary),
                f"{r.summary.percent_complete}%",
                str(r.summary.overdue),
                r.kind.value,
                r.published.isoformat() if r.published else "unknown",
                key=r.id,
            )
        count = f"{len(rows)} plan{'s' if len(rows) != 1 else ''}"
        self.query_one("#status-line", Static).update(
            f"{count} · today {today.isoformat()} · acting as {one_line(self.settings.user)}"
        )
