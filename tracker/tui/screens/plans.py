"""The home screen: every plan with its submission clock and colours, most urgent first."""

from __future__ import annotations

import os
from pathlib import Path
from typing import TYPE_CHECKING, ClassVar

from rich.text import Text
from textual import on
from textual.app import ComposeResult
from textual.binding import Binding, BindingType
from textual.widgets import Footer, Header, Input, Static

from tracker import queries, rules
from tracker.tui.base import TrackerScreen, brag_bar, safe
from tracker.tui.screens.modals import ImportDialog, ImportPreview, ImportRequest
from tracker.tui.table import Cell, FastTable

if TYPE_CHECKING:
    from tracker.importers import Finding


class PlansScreen(TrackerScreen):
    """Every plan: area, kind, published, clock, status, BRAG bar, % complete, overdue."""

    AUTO_FOCUS = "#plans"
    BINDINGS: ClassVar[list[BindingType]] = [
        Binding("enter", "open_plan", "Open", id="plans.open"),
        Binding("r", "reload", "Reload", id="plans.reload"),
        Binding("slash", "search", "Search", key_display="/", id="plans.search"),
        Binding("escape", "clear_search", "Clear search", show=False, id="plans.clear"),
        Binding("i", "import_report", "Import report", id="plans.import"),
    ]

    def check_action(self, action: str, parameters: tuple[object, ...]) -> bool | None:
        """Importing makes a plan: a manager's work, not a reviewer's or a read-only one's."""
        if action == "import_report":
            settings = self.tracker.settings
            return not (settings.reviewer or settings.read_only)
        return True

    def __init__(self) -> None:
        super().__init__()
        self.all_rows: list[tuple[str, str, tuple[Cell, ...]]] = []
        self.search_text = ""

    def compose(self) -> ComposeResult:
        yield Header()
        yield Input(
            placeholder="Search plans: id, area, kind, status (Enter keeps, Esc clears)",
            id="search",
            classes="hidden",
        )
        yield FastTable(id="plans")
        yield Static("Loading plans…", id="status-line", classes="status-line")
        yield Footer()

    def on_mount(self) -> None:
        table = self.query_one("#plans", FastTable)
        # The columns a manager reads first come first, so they fit an 80-column terminal.
        # Fixed widths: the table is refilled often and must not re-measure each time.
        for label, width in (
            ("Plan", 24),
            ("Submission", 36),
            ("Status", 10),
            ("BRAG", 25),
            ("Done", 4),
            ("Overdue", 7),
            ("Area", 24),
            ("Kind", 5),
            ("Published", 10),
        ):
            table.add_column(label, width=width)

    def on_screen_resume(self) -> None:
        """Shown (first time, or back from a plan): read the plans, so changes show."""
        self.action_reload()

    def action_reload(self) -> None:
        """Read the plans again."""
        today = self.tracker.settings.today
        store = self.tracker.store

        def read() -> list[queries.PlanRow]:
            with store.read() as session:
                return queries.plan_rows(session, today)

        self.run_db(read, self.show_plans, name="plans")

    def show_plans(self, rows: list[queries.PlanRow]) -> None:
        """Keep the plans as table rows (made once per read) and show those the search finds."""
        today = self.tracker.settings.today
        self.all_rows = []
        for r in rows:
            clock = rules.submission_clock(r.published, r.submitted, today)
            late = clock.startswith("overdue") or " late " in clock
            cells: list[Cell] = [
                r.id,
                Text(clock, style="bold red" if late else ""),
                r.status.value,
                brag_bar(r.summary.counts, 12),
                f"{r.summary.percent_complete}%",
                Text(str(r.summary.overdue), style="bold red" if r.summary.overdue else ""),
                safe(r.area, 24),
                r.kind.value,
                r.published.isoformat() if r.published else "unknown",
            ]
            words = f"{r.id} {r.area} {r.kind.value} {r.status.value} {clock}".casefold()
            self.all_rows.append((r.id, words, tuple(cells)))
        self.refill()
        if os.environ.get("TRACKER_EXIT_WHEN_READY"):
            # For bench/run.py: time start-up to the first painted, usable home screen.
            self.app.call_after_refresh(self.app.exit)

    def refill(self) -> None:
        """Show the plans that have every word of the search, keeping the cursor's plan."""
        table = self.query_one("#plans", FastTable)
        keep = table.cursor_key
        words = self.search_text.casefold().split()
        shown = [
            (key, cells) for key, text, cells in self.all_rows if all(w in text for w in words)
        ]
        table.clear()
        table.add_rows(shown)
        if keep is not None and table.has_key(keep):
            table.move_cursor(row=table.get_row_index(keep))
        else:
            table.move_cursor(row=0)
        total = len(self.all_rows)
        count = f"{total} plan{'s' if total != 1 else ''}"
        if words:
            count = f"{len(shown)} of {count} · search “{safe(self.search_text)}”"
        hint = " · Enter opens a plan" if total else " · load one with `tracker load FILE.toml`"
        settings = self.tracker.settings
        self.query_one("#status-line", Static).update(
            f"{count} · today {settings.today.isoformat()} · acting as {safe(settings.user)}" + hint
        )

    def action_search(self) -> None:
        """Show the search box."""
        box = self.query_one("#search", Input)
        box.remove_class("hidden")
        box.focus()

    def action_clear_search(self) -> None:
        """Clear and close the search."""
        box = self.query_one("#search", Input)
        box.value = ""
        box.add_class("hidden")
        self.query_one("#plans", FastTable).focus()

    @on(Input.Changed, "#search")
    def _search_changed(self, event: Input.Changed) -> None:
        if event.value.strip() != self.search_text:
            self.search_text = event.value.strip()
            self.refill()

    @on(Input.Submitted, "#search")
    def _search_done(self) -> None:
        self.query_one("#plans", FastTable).focus()

    def action_open_plan(self) -> None:
        """Open the plan under the cursor."""
        table = self.query_one("#plans", FastTable)
        if table.row_count == 0:
            return
        key = table.cursor_key
        if key is not None:
            self.tracker.open_plan(key)

    @on(FastTable.RowSelected, "#plans")
    def _selected(self) -> None:
        self.action_open_plan()

    # Import ------------------------------------------------------------------------------------

    def action_import_report(self) -> None:
        """Read an inspection report, show what was found, and make a draft plan from it."""
        store = self.tracker.store

        def chosen(request: ImportRequest | None) -> None:
            if request is None:
                return

            def read() -> tuple[ImportRequest, Finding, str]:
                from tracker.importers import check_import, known_role_names, preview

                finding = preview(Path(request.path), known_roles=known_role_names(store))
                planned = check_import(store, finding, request.plan_id)
                return request, finding, planned.plan_id

            self.run_db(read, self._preview, name="import")

        self.app.push_screen(ImportDialog(), chosen)

    def _preview(self, found: tuple[ImportRequest, Finding, str]) -> None:
        request, finding, plan_id = found
        store, settings = self.tracker.store, self.tracker.settings
        lines = [
            f"Area: {finding.area or '(not found)'}",
            f"Inspection: {finding.kind.value}",
            f"Published: {finding.published or 'not stated'}",
            f"Submission due: {finding.submission_due or 'unknown until the publication date'}",
        ]
        for score in finding.scores:
            percent = "" if score.percent is None else f" {score.percent}%"
            level = "" if score.improvement is None else f" {score.improvement.value}"
            lines.append(f"Score: {score.name}{percent}{level}")
        lines += [f"Rating: {r.name}: {r.rating.value}" for r in finding.ratings]
        lines += ["", f"{len(finding.recommendations)} recommendations:"]
        for rec in finding.recommendations:
            owners = "; ".join(rec.owners) if rec.owners else "no owner stated"
            lines.append(f"({safe(rec.ref)}) {safe(rec.text, 400)}")
            lines.append(f"→ owners: {safe(owners, 200)}")
        if finding.warnings:
            lines += ["", "Check:"]
            lines += [f"• {w}" for w in finding.warnings]
        body = "\n".join(safe(line, 400) if line.strip() else "" for line in lines)

        def confirmed(yes: bool | None) -> None:
            if not yes:
                return

            def write() -> str:
                from tracker.importers import import_report

                return import_report(store, finding, settings.user, request.plan_id).plan_id

            self.run_db(write, self._imported, name="import")

        title = f"Draft plan {plan_id} from {Path(request.path).name}"
        self.app.push_screen(ImportPreview(title, body), confirmed)

    def _imported(self, plan_id: str) -> None:
        self.notify(f"Draft plan {plan_id} made: add its actions")
        self.tracker.open_plan(plan_id)
