"""The home screen: every plan with its submission clock and colours, most urgent first."""

from __future__ import annotations

import os
from pathlib import Path
from typing import TYPE_CHECKING, ClassVar

from rich.text import Text
from textual import on
from textual.app import ComposeResult
from textual.binding import Binding, BindingType
from textual.widgets import Footer, Header, Static

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
        Binding("i", "import_report", "Import report", id="plans.import"),
    ]

    def check_action(self, action: str, parameters: tuple[object, ...]) -> bool | None:
        """Importing makes a plan: a manager's work, not a reviewer's or a read-only one's."""
        if action == "import_report":
            settings = self.tracker.settings
            return not (settings.reviewer or settings.read_only)
        return True

    def compose(self) -> ComposeResult:
        yield Header()
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
        """Fill the table, keeping the cursor on the same plan."""
        table = self.query_one("#plans", FastTable)
        keep = table.cursor_row
        table.clear()
        today = self.tracker.settings.today
        filled: list[tuple[str, list[Cell]]] = []
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
            filled.append((r.id, cells))
        table.add_rows(filled)
        if rows:
            table.move_cursor(row=min(keep, len(rows) - 1))
        count = f"{len(rows)} plan{'s' if len(rows) != 1 else ''}"
        hint = " · Enter opens a plan" if rows else " · load one with `tracker load FILE.toml`"
        self.query_one("#status-line", Static).update(
            f"{count} · today {today.isoformat()} · acting as {safe(self.tracker.settings.user)}"
            + hint
        )
        if os.environ.get("TRACKER_EXIT_WHEN_READY"):
            # For bench/run.py: time start-up to the first painted, usable home screen.
            self.app.call_after_refresh(self.app.exit)

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
        lines += [
            f"Score: {s.name} {s.improvement.value if s.improvement else ''}".rstrip()
            for s in finding.scores
        ]
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
