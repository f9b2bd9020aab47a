"""The home screen: every plan with its submission clock and colours, most urgent first;
importing a report or starting a plan without one. For a YJB reviewer it is the portfolio:
each plan's evidence awaiting review, exportable."""

from __future__ import annotations

import os
from dataclasses import replace
from functools import partial
from pathlib import Path
from typing import TYPE_CHECKING, ClassVar

from rich.cells import cell_len
from textual import on
from textual.app import ComposeResult
from textual.binding import Binding, BindingType
from textual.widgets import Header, Input, Static

from tracker import services
from tracker.queries.lists import PlanRow, plan_rows
from tracker.text import uk_day
from tracker.tui.screens.base import TrackerScreen
from tracker.tui.screens.plans_view import COLUMNS, SEARCH_HINT, PlanLine, plan_cells, plan_text
from tracker.tui.screens.row_detail import RowDetail
from tracker.tui.widgets.cells import brag_counts_width, safe
from tracker.tui.widgets.columns import fit_columns
from tracker.tui.widgets.footer import KeyFooter
from tracker.tui.widgets.search import open_search_bar, search_bar
from tracker.tui.widgets.table import FastTable, LazyCells

if TYPE_CHECKING:
    from tracker.importers import ImportResult
    from tracker.queries.plan import PlanGlance
    from tracker.tui.dialogs.export import ExportRequest
    from tracker.tui.dialogs.importing import CorrectedImport, ImportRequest
    from tracker.tui.dialogs.plan_details import NewPlan


class PlansScreen(TrackerScreen):
    """Every plan: clock, status, BRAG bar, % complete, overdue, area, kind, published."""

    AUTO_FOCUS = "#plans"
    BINDINGS: ClassVar[list[BindingType]] = [
        Binding("enter", "open_plan", "Open", id="plans.open"),
        Binding("slash", "search", "Search", key_display="/", id="plans.search"),
        Binding(
            "o",
            "overdue",
            "Overdue",
            tooltip="every overdue action in every plan",
            id="plans.overdue",
        ),
        Binding("escape", "clear_search", "Clear search", show=False, id="plans.clear"),
        Binding("i", "import_report", "Import report", id="plans.import"),
        Binding(
            "n",
            "new_plan",
            "New plan",
            tooltip="without a report to import",
            id="plans.new",
        ),
        Binding("x", "export_portfolio", "Export portfolio", id="plans.export"),
        Binding("r", "reload", "Reload", id="plans.reload"),
    ]

    def check_action(self, action: str, parameters: tuple[object, ...]) -> bool | None:
        """Importing or starting a plan makes one: a manager's work, not a reviewer's or a
        read-only one's."""
        if action in ("import_report", "new_plan"):
            settings = self.tracker.settings
            return not (settings.reviewer or settings.read_only)
        return True

    def __init__(self) -> None:
        super().__init__()
        self.lines: list[PlanLine] = []
        self.all_rows: list[tuple[PlanLine, LazyCells]] = []
        self.search_text = ""
        self.fitted_to = 0  # the room (columns) the table's columns were last fitted to
        self.plan_width = 0
        self._shown_at_mount = False
        self._described: PlanLine | None = None  # the line the pane under the list shows

    def compose(self) -> ComposeResult:
        yield Header()
        yield FastTable(id="plans")
        yield RowDetail(id="row-detail")
        notice = self.tracker.notice
        if notice:
            yield Static(notice, id="notice", classes="notice", markup=False)
        yield Static("Loading plans…", id="status-line", classes="status-line", markup=False)
        yield KeyFooter()

    def on_mount(self) -> None:
        self.make_columns()
        first = self.tracker.take_first_plans()
        if first is not None:  # read before the app started: shown in the first paint
            self.show_plans(self.plan_lines(first))
            self._shown_at_mount = True

    @property
    def reviewing(self) -> bool:
        """Whether the portfolio's review column shows (a YJB reviewer's session)."""
        return self.tracker.settings.reviewer

    def make_columns(self) -> None:
        """Columns for the terminal's width (fixed widths, so refills never re-measure); the
        plan column as wide as the longest plan id (up to 30), so that an id, which the
        command line needs, shows whole."""
        table = self.query_one("#plans", FastTable)
        self.fitted_to = table.room
        longest = max((len(line.row.id) for line in self.lines), default=0)
        # The colour counts whole (`R12 A3 G4 B10`): a plan of many actions was cut to `B…`.
        counts = max((brag_counts_width(line.row.summary.counts) for line in self.lines), default=0)
        widths = {"plan": min(30, longest), "brag": counts}
        specs = [
            replace(c, width=max(c.width, widths[c.key])) if c.key in widths else c
            for c in COLUMNS
            if c.key != "review" or self.reviewing
        ]
        self.plan_width = longest
        table.set_columns(fit_columns(specs, self.fitted_to))

    @on(FastTable.Resized, "#plans")
    def refit(self) -> None:
        """Use the room of a larger (or smaller) terminal, or what the keys panel leaves."""
        table = self.query_one("#plans", FastTable)
        if table.room != self.fitted_to:
            keep = table.cursor_key  # new columns clear the rows
            self.make_columns()
            self.make_rows(keep)

    def on_screen_resume(self) -> None:
        """Shown (first time, or back from a plan): read the plans, so changes show."""
        if self._shown_at_mount:
            self._shown_at_mount = False  # just shown, from the read made at start-up
            return
        self.action_reload()

    def action_reload(self) -> None:
        """Read the plans again."""
        app, today, reviewing = self.tracker, self.tracker.settings.today, self.reviewing

        def read() -> list[PlanLine]:
            with app.lists() as reader:
                if reviewing:
                    from tracker.queries.portfolio import portfolio_rows

                    return [
                        PlanLine(p.plan, today, clock=p.clock, awaiting_review=p.awaiting_review)
                        for p in portfolio_rows(reader, today)
                    ]
                return self.plan_lines(plan_rows(reader, today))

        self.run_db(read, self.show_plans, name="plans", latest=True)

    def plan_lines(self, rows: list[PlanRow]) -> list[PlanLine]:
        """A manager's lines: each plan with its four-week clock."""
        today = self.tracker.settings.today
        return [PlanLine(r, today) for r in rows]

    def show_plans(self, lines: list[PlanLine]) -> None:
        """Show a fresh read of the plans (most urgent first, as read)."""
        self.lines = lines
        if max((len(line.row.id) for line in lines), default=0) != self.plan_width:
            self.make_columns()
        self.make_rows()
        # Once the plans are painted: the warm-up imports the next screens, in a thread that
        # would otherwise share the interpreter with the first paint and hold it back.
        self.call_after_refresh(self._shown)

    def _shown(self) -> None:
        if os.environ.get("TRACKER_EXIT_WHEN_READY"):
            # For bench/run.py: time start-up to the first painted, usable home screen (the
            # warm-up's imports in the background would only hold up the exit).
            self.app.exit()
            return
        self.tracker.warm_up()

    def make_rows(self, keep: str | None = None) -> None:
        """Keep the plans as table rows (made once per read or layout; each row's cells when
        it is first drawn) and show those the search finds, the cursor on `keep` (or its
        plan)."""
        table = self.query_one("#plans", FastTable)
        keys = [c.key for c in table.columns]
        bar = next((c.width for c in table.columns if c.key == "bar"), 0)
        self.all_rows = [
            (line, LazyCells(partial(plan_cells, line, keys, bar))) for line in self.lines
        ]
        self.refill(keep)

    def refill(self, keep: str | None = None) -> None:
        """Show the plans that have every word of the search, keeping the cursor's plan (or
        putting it on `keep`)."""
        table = self.query_one("#plans", FastTable)
        keep = keep or table.cursor_key
        words = self.search_text.casefold().split()
        if words:
            shown = [
                (line.row.id, cells)
                for line, cells in self.all_rows
                if all(w in line.words for w in words)
            ]
        else:
            shown = [(line.row.id, cells) for line, cells in self.all_rows]
        table.clear()
        table.add_rows(shown)
        if keep is not None and table.has_key(keep):
            table.move_cursor(row=table.get_row_index(keep))
        else:
            table.move_cursor(row=0)
        self._status(self.status_text(len(shown), words))

    def _status(self, text: str) -> None:
        """Show `text` on the status line; without a layout pass of the screen when it is one
        line before and after (a search's count changing on each key: the pass was a third of
        a keystroke's time, issue 17). A line that wraps, or stops wrapping, changes the
        line's height, and is laid out."""
        line = self.query_one("#status-line", Static)
        room = line.content_region
        one_line = room.height == 1 and 0 < cell_len(text) <= room.width
        line.update(text, layout=not one_line)

    def status_text(self, shown: int, words: list[str]) -> str:
        """The status line: how many plans, today, who, and what to press."""
        settings, mode = self.tracker.settings, self.tracker.mode
        total = len(self.all_rows)
        if not total:
            if settings.reviewer or settings.read_only:
                return "No plans yet: run `tracker demo` to try the tracker on sample plans"
            return "No plans yet: press i to import a report or n to start one, or `tracker demo`"
        count = f"{total} plan{'s' if total != 1 else ''}"
        if words:
            count = f"{shown} of {count} · search “{safe(self.search_text)}”"
        parts = [count, f"today {uk_day(settings.today)}", f"acting as {safe(settings.user)}"]
        if mode:
            parts.append(mode)
        return " · ".join([*parts, "? every key"])

    async def action_search(self) -> None:
        """Show the search box."""
        await open_search_bar(self, SEARCH_HINT, self.query_one("#plans", FastTable))

    def action_clear_search(self) -> None:
        """Clear and close the search."""
        bar = search_bar(self)
        if bar is not None:
            bar.close()
        self.query_one("#plans", FastTable).focus()

    @on(Input.Changed, "#search")
    def _search_changed(self, event: Input.Changed) -> None:
        if event.value.strip() != self.search_text:
            self.search_text = event.value.strip()
            self.refill()

    @on(Input.Submitted, "#search")
    def _search_done(self) -> None:
        self.query_one("#plans", FastTable).focus()

    def action_overdue(self) -> None:
        """Show every overdue action in every plan."""
        self.tracker.open_overdue()

    def action_open_plan(self) -> None:
        """Open the plan under the cursor."""
        table = self.query_one("#plans", FastTable)
        if table.row_count == 0:
            return
        key = table.cursor_key
        if key is not None:
            self.tracker.open_plan(key)

    @on(FastTable.RowHighlighted, "#plans")
    def describe_plan(self) -> None:
        """The plan under the cursor in full, under the list: what a narrow column cuts; then,
        once read, its next actions due and its latest progress note."""
        key = self.query_one("#plans", FastTable).cursor_key
        line = next((line for line in self.lines if line.row.id == key), None)
        if line is not None and line is self._described:
            # The same plan of the same read, highlighted again (a search refills the list
            # on each key, its cursor kept): the pane shows it already, or its glance is on
            # its way. Shown again, it cost a layout pass and a read on each key (issue 17).
            return
        self._described = line
        pane = self.query_one("#row-detail", RowDetail)
        pane.show(plan_text(line) if line is not None else "")
        if line is None:
            return
        app, slug = self.tracker, line.row.id

        def read() -> PlanGlance:
            # Here, in the read's thread: the first frame waits for no plan reads it does
            # not show (issue 17).
            from tracker.queries.plan import plan_glance

            with app.lists() as reader:
                return plan_glance(reader, slug)

        def done(glance: PlanGlance) -> None:
            if self.query_one("#plans", FastTable).cursor_key == slug:
                pane.show(plan_text(line, glance))

        self.run_db(read, done, name="glance")

    @on(FastTable.RowSelected, "#plans")
    def _selected(self) -> None:
        self.action_open_plan()

    # Portfolio -------------------------------------------------------------------------------

    def action_export_portfolio(self) -> None:
        """Export every plan, one row each (clock, colours, evidence awaiting review)."""
        tracker, today = self.tracker, self.tracker.settings.today
        stem = str(Path.cwd() / f"portfolio-{today.isoformat()}")

        def chosen(request: ExportRequest | None) -> None:
            if request is None:
                return

            def write() -> str:
                from tracker.exporters import export_portfolio

                with tracker.lists() as reader:
                    data = export_portfolio(reader, today, request.fmt)
                services.write_export(Path(request.path), data, guard=tracker.output_guard())
                return request.path

            def done(path: str) -> None:
                self.notify(f"Wrote the portfolio to {path}")

            self.run_db(write, done, name="export")

        from tracker.tui.dialogs.export import PortfolioExportDialog

        self.app.push_screen(PortfolioExportDialog(stem), chosen)

    # Import ------------------------------------------------------------------------------------

    def action_import_report(self) -> None:
        """Read an inspection report, show what was found to correct, make a draft plan."""
        tracker = self.tracker

        def chosen(request: ImportRequest | None) -> None:
            if request is None:
                return

            def read() -> tuple[CorrectedImport, str]:
                from tracker.importers import known_role_names, preview
                from tracker.tui.dialogs.importing import CorrectedImport

                found = preview(Path(request.path), known_roles=known_role_names(tracker.store))
                return CorrectedImport(found), Path(request.path).name

            self.run_db(read, lambda found: self._preview(*found), name="import")

        from tracker.tui.dialogs.importing import ImportDialog

        self.app.push_screen(ImportDialog(Path(".")), chosen)

    def _preview(self, start: CorrectedImport, name: str, error: str = "") -> None:
        tracker, user = self.tracker, self.tracker.settings.user

        def confirmed(answer: CorrectedImport | None) -> None:
            if answer is None:
                return

            def write() -> ImportResult:
                from tracker.importers import import_report

                return import_report(
                    tracker.store,
                    answer.finding,
                    user,
                    answer.plan_id,
                    area=answer.area,
                    published=answer.published,
                    owners=answer.owners,
                )

            def refused(exc: Exception) -> None:
                # Back to the preview with the user's corrections kept and the reason shown.
                self._preview(answer, name, str(exc))

            self.run_db(write, self._imported, name="import", failed=refused)

        from tracker.tui.dialogs.importing import ImportPreview

        self.app.push_screen(ImportPreview(start, name, error), confirmed)

    def _imported(self, result: ImportResult) -> None:
        made = f"Draft plan {result.plan_id} made: add its actions"
        if result.created_roles:
            made += f" (new roles: {safe('; '.join(result.created_roles), 200)})"
        self.notify(made, timeout=8)
        self.tracker.open_plan(result.plan_id, at_first_gap=True)

    # A plan without a report -------------------------------------------------------------------

    def action_new_plan(self) -> None:
        """Start an empty draft plan (area, inspection kind, publication date), then open it."""
        from tracker.tui.dialogs.plan_details import NewPlanDialog

        tracker, user = self.tracker, self.tracker.settings.user

        def save(new: NewPlan) -> str:
            return services.new_plan(
                tracker.store, user, new.area, new.kind, new.published, plan_id=new.plan_id
            )

        def started(slug: str | None) -> None:
            if slug is None:
                return
            self.notify(f"Draft plan {slug} started: add its recommendations", timeout=8)
            self.tracker.open_plan(slug, at_first_gap=True)

        self.app.push_screen(NewPlanDialog(save), started)
