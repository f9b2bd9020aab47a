"""One plan: header with the clock, recommendations and their actions; filter, search, sort,
select and bulk edit, and lifecycle steps."""

from __future__ import annotations

from pathlib import Path
from typing import ClassVar

from textual import on
from textual.app import ComposeResult
from textual.binding import Binding, BindingType
from textual.widgets import Header, Input, Static

from tracker import services
from tracker.queries.lists import ActionRow
from tracker.queries.plan import PlanDetail, RecommendationRow, plan_detail
from tracker.text import uk_day
from tracker.tui.base import KeyFooter, TrackerScreen, safe
from tracker.tui.screens.exchange import ExportDialog, ExportRequest, SignOff, SignOffDialog
from tracker.tui.screens.plan_dialogs import (
    BulkEditDialog,
    FilterDialog,
    Filters,
    LifecycleDialog,
    Step,
)
from tracker.tui.screens.plan_view import (
    COLUMN_SORT,
    COLUMNS,
    SORTS,
    action_cells,
    header_text,
    passes,
    recommendation_cells,
)
from tracker.tui.table import Cell, FastTable, fit_columns


class PlanScreen(TrackerScreen):
    """A plan's recommendations and actions, for the Head of Service to keep true."""

    AUTO_FOCUS = "#actions"
    BINDINGS: ClassVar[list[BindingType]] = [
        Binding("escape", "back", "Back", id="plan.back"),
        Binding("slash", "search", "Search", key_display="/", id="plan.search"),
        Binding("o", "toggle_overdue", "Overdue", id="plan.overdue"),
        Binding("f", "filter", "Filter", id="plan.filter"),
        Binding("c", "clear_filters", "Clear", id="plan.clear"),
        Binding("s", "next_sort", "Sort", id="plan.sort"),
        Binding("space", "toggle_select", "Select", id="plan.select"),
        Binding("b", "bulk_edit", "Bulk edit", id="plan.bulk"),
        Binding("l", "lifecycle", "Lifecycle", id="plan.lifecycle"),
        Binding("x", "export", "Export", id="plan.export"),
        Binding("g", "sign_off", "Sign off", id="plan.sign-off"),
        Binding("r", "reload", "Reload", show=False, id="plan.reload"),
    ]

    def __init__(self, slug: str) -> None:
        super().__init__()
        self.slug = slug
        self.detail: PlanDetail | None = None
        self.filters = Filters()
        self.overdue_only = False
        self.search_text = ""
        self.sort_index = 0
        self.selected: set[str] = set()

    def compose(self) -> ComposeResult:
        yield Header()
        yield Static("Loading…", id="plan-header")
        yield Input(
            placeholder="Search actions: text, ref, lead, owner (Enter keeps, Esc clears)",
            id="search",
            classes="hidden",
        )
        yield FastTable(id="actions")
        yield Static("", id="status-line", classes="status-line")
        yield KeyFooter()

    def on_mount(self) -> None:
        self.layout_width = 0
        self.make_columns()

    EDITOR_ACTIONS = frozenset({"toggle_select", "bulk_edit", "lifecycle"})

    def check_action(self, action: str, parameters: tuple[object, ...]) -> bool | None:
        """A reviewer sees the sign-off key and not the editing ones (the services refuse
        their writes anyway); a manager the other way round; a read-only session neither."""
        settings = self.tracker.settings
        if action in self.EDITOR_ACTIONS:
            return not (settings.reviewer or settings.read_only)
        if action == "sign_off":
            return settings.reviewer and not settings.read_only
        return True

    def make_columns(self) -> None:
        """Columns for the terminal's width, fixed because the table is refilled often and
        must not re-measure (the table keeps one cell for its scroll bar)."""
        self.layout_width = self.app.size.width
        table = self.query_one("#actions", FastTable)
        table.set_columns(fit_columns(COLUMNS, self.layout_width - 1))

    def on_screen_resume(self) -> None:
        """Shown (first time, or back from an action): read the plan, so changes show."""
        self.action_reload()

    def action_reload(self) -> None:
        """Read the plan again."""
        slug, today, app = self.slug, self.tracker.settings.today, self.tracker

        def read() -> PlanDetail:
            # Plain SQL: straight from a SQLite file, so that it need not wait for the store.
            with app.lists() as reader:
                return plan_detail(reader, slug, today)

        self.run_db(read, self.show_plan, name="plan")

    # Showing ---------------------------------------------------------------------------------

    def show_plan(self, detail: PlanDetail) -> None:
        """Show a freshly read plan."""
        self.detail = detail
        self.sub_title = detail.id
        self.selected &= {a.id for a in detail.actions}
        header = header_text(detail)
        self.query_one("#plan-header", Static).update(header)
        self.refill()

    def visible_actions(self) -> list[ActionRow]:
        """The actions that pass the filters and search, in the chosen order."""
        if self.detail is None:
            return []
        found = [
            a
            for a in self.detail.actions
            if passes(a, self.filters, self.overdue_only, self.search_text)
        ]
        key = SORTS[self.sort_index][1]
        return sorted(found, key=key) if key is not None else found

    def refill(self) -> None:
        """Rebuild the table from the plan, filters, search and order."""
        if self.detail is None:
            return
        table = self.query_one("#actions", FastTable)
        current = self.current_key()
        table.clear()
        visible = self.visible_actions()
        grouped = SORTS[self.sort_index][1] is None
        rows: list[tuple[str, list[Cell]]] = []
        if grouped:
            by_rec: dict[str, list[ActionRow]] = {}
            for a in visible:
                by_rec.setdefault(a.recommendation, []).append(a)
            for rec in self.detail.recommendations:
                actions = by_rec.get(rec.ref, [])
                if not actions and self._filtering():
                    continue
                rows.append(self._recommendation_cells(rec))
                rows.extend(self._action_cells(a) for a in actions)
        else:
            rows.extend(self._action_cells(a) for a in visible)
        table.add_rows(rows)
        self._restore_cursor(table, current)
        self._status(len(visible))

    def _filtering(self) -> bool:
        return bool(self.overdue_only or self.search_text or self.filters.describe())

    def on_resize(self) -> None:
        """Use the room of a larger (or smaller) terminal."""
        if self.app.size.width != self.layout_width:
            self.make_columns()
            self.refill()

    def _keys(self) -> list[str]:
        return [c.key for c in self.query_one("#actions", FastTable).columns]

    def _recommendation_cells(self, rec: RecommendationRow) -> tuple[str, list[Cell]]:
        return f"r:{rec.ref}", recommendation_cells(rec, self._keys())

    def _action_cells(self, a: ActionRow) -> tuple[str, list[Cell]]:
        return f"a:{a.id}", action_cells(a, self._keys(), a.id in self.selected)

    def _restore_cursor(self, table: FastTable, key: str | None) -> None:
        if table.row_count == 0:
            return
        if key is not None and table.has_key(key):
            table.move_cursor(row=table.get_row_index(key))
            return
        for index in range(table.row_count):
            if table.key_at(index).startswith("a:"):
                table.move_cursor(row=index)
                return

    def _status(self, shown: int) -> None:
        assert self.detail is not None
        parts = [f"{shown} of {len(self.detail.actions)} actions"]
        if self.tracker.mode:
            parts.append(self.tracker.mode)
        if self.overdue_only:
            parts.append("overdue only")
        if self.filters.describe():
            parts.append(self.filters.describe())
        if self.search_text:
            parts.append(f"search “{safe(self.search_text)}”")
        parts.append(f"sorted by {SORTS[self.sort_index][0]}")
        if self.selected:
            parts.append(f"{len(self.selected)} selected (b: bulk edit)")
        parts.append("? every key")
        self.query_one("#status-line", Static).update(" · ".join(parts))

    def current_key(self) -> str | None:
        """The row key under the cursor."""
        return self.query_one("#actions", FastTable).cursor_key

    def current_action(self) -> str | None:
        """The action id under the cursor (None on a recommendation row)."""
        key = self.current_key()
        return key[2:] if key and key.startswith("a:") else None

    # Keys ------------------------------------------------------------------------------------

    @on(FastTable.RowSelected, "#actions")
    def _open(self) -> None:
        ref = self.current_action()
        if ref is not None:
            self.tracker.open_action(ref)

    @on(FastTable.HeaderSelected, "#actions")
    def _sort_by_header(self, event: FastTable.HeaderSelected) -> None:
        column = event.table.columns[event.column_index]
        index = COLUMN_SORT.get(column.key)
        if index is not None:
            self.sort_index = index
            self.refill()
            self.notify(f"Sorted by {SORTS[index][0]}", timeout=2)

    def action_back(self) -> None:
        """Back to the plans; in the search box, Escape clears and closes the search instead."""
        box = self.query_one("#search", Input)
        if box.has_focus:
            box.value = ""
            box.add_class("hidden")
            self.query_one("#actions", FastTable).focus()
            return
        self.app.pop_screen()

    def action_search(self) -> None:
        """Show the search box."""
        box = self.query_one("#search", Input)
        box.remove_class("hidden")
        box.focus()

    @on(Input.Changed, "#search")
    def _search_changed(self, event: Input.Changed) -> None:
        if event.value.strip() != self.search_text:
            self.search_text = event.value.strip()
            self.refill()

    @on(Input.Submitted, "#search")
    def _search_done(self) -> None:
        self.query_one("#actions", FastTable).focus()

    def action_toggle_overdue(self) -> None:
        """Show only overdue actions, or all again."""
        self.overdue_only = not self.overdue_only
        self.refill()

    def action_filter(self) -> None:
        """Choose owner, status and colour filters."""
        if self.detail is None:
            return
        owners = sorted({a.owner for a in self.detail.actions if a.owner})

        def chosen(filters: Filters | None) -> None:
            if filters is not None:
                self.filters = filters
                self.refill()

        self.app.push_screen(FilterDialog(owners, self.filters), chosen)

    def action_clear_filters(self) -> None:
        """Show every action again."""
        self.filters = Filters()
        self.overdue_only = False
        self.search_text = ""
        box = self.query_one("#search", Input)
        box.value = ""
        box.add_class("hidden")
        self.refill()

    def action_next_sort(self) -> None:
        """Read the plan in the next order."""
        self.sort_index = (self.sort_index + 1) % len(SORTS)
        self.refill()
        self.notify(f"Sorted by {SORTS[self.sort_index][0]}", timeout=2)

    def action_toggle_select(self) -> None:
        """Mark or unmark the action under the cursor for a bulk edit."""
        ref = self.current_action()
        if ref is None:
            return
        self.selected ^= {ref}
        table = self.query_one("#actions", FastTable)
        row = table.cursor_row
        self.refill()
        table.move_cursor(row=min(row + 1, table.row_count - 1))

    def action_bulk_edit(self) -> None:
        """Change status, lead or target of the selected actions (or the one under the cursor)."""
        if self.detail is None:
            return
        refs = sorted(self.selected) or ([r] if (r := self.current_action()) else [])
        if not refs:
            self.notify("Select actions with space first", severity="warning")
            return
        versions: dict[str, int | None] = {
            a.id: a.version for a in self.detail.actions if a.id in refs
        }
        tracker, settings = self.tracker, self.tracker.settings

        def apply(changes: services.ActionChanges | None) -> None:
            if changes is None:
                return

            def write() -> list[str]:
                return services.bulk_update(
                    tracker.store, versions, settings.user, settings.today, changes
                )

            self.run_db(write, self._bulk_done, name="bulk")

        self.app.push_screen(BulkEditDialog(len(refs)), apply)

    def _bulk_done(self, refs: list[str]) -> None:
        self.selected.clear()
        self.notify(f"Changed {len(refs)} action{'s' if len(refs) != 1 else ''}")
        self.action_reload()

    def action_lifecycle(self) -> None:
        """Record the plan's next lifecycle step (submitted, agreed, forwarded, closed)."""
        if self.detail is None:
            return
        tracker, settings, slug = self.tracker, self.tracker.settings, self.slug

        def record(step: Step | None) -> None:
            if step is None:
                return

            def write() -> Step:
                services.record_step(tracker.store, slug, step.step, step.on, settings.user)
                return step

            self.run_db(write, self._stepped, name="step")

        self.app.push_screen(LifecycleDialog(self.detail.status, settings.today), record)

    def _stepped(self, step: Step) -> None:
        self.notify(f"Plan is now {step.step.value} ({uk_day(step.on)})")
        self.action_reload()

    # Export and sign-off ----------------------------------------------------------------------

    def action_export(self) -> None:
        """Export the plan, as filtered on screen, to a file (board report, spreadsheet, …)."""
        if self.detail is None:
            return
        settings, tracker, slug = self.tracker.settings, self.tracker, self.slug
        filtered = self._filtering()
        ids = [a.id for a in self.visible_actions()] if filtered else None
        total = len(self.detail.actions)
        what = f"{len(ids)} of {total} actions" if ids is not None else f"plan {slug}"
        stem = str(Path.cwd() / f"{slug}-{settings.today.isoformat()}")
        can_record = not (settings.reviewer or settings.read_only)

        def chosen(request: ExportRequest | None) -> None:
            if request is None:
                return

            def write() -> str:
                from tracker.exporters import export_plan

                with tracker.lists() as reader:
                    issued = services.issue_board_report(
                        lambda: tracker.store,
                        slug,
                        request.fmt,
                        lambda: export_plan(
                            reader, slug, request.fmt, settings.today, action_ids=ids
                        ),
                        Path(request.path),
                        settings.user,
                        record=request.record and ids is None,
                    )
                if issued.recorded:
                    return f"Wrote {what} to {request.path}; recorded as the board report issued"
                return f"Wrote {what} to {request.path}"

            self.run_db(write, lambda message: self.notify(message), name="export")

        self.app.push_screen(ExportDialog(what, stem, can_record, filtered), chosen)

    def current_recommendation(self) -> str | None:
        """The recommendation of the row under the cursor."""
        key = self.current_key()
        if key is None or self.detail is None:
            return None
        if key.startswith("r:"):
            return key[2:]
        return next((a.recommendation for a in self.detail.actions if a.id == key[2:]), None)

    def action_sign_off(self) -> None:
        """Reviewers: sign off a recommendation as implemented, or the plan as closed."""
        if self.detail is None:
            return
        settings, tracker, slug = self.tracker.settings, self.tracker, self.slug
        refs = [r.ref for r in self.detail.recommendations]

        def chosen(choice: SignOff | None) -> None:
            if choice is None:
                return

            def write() -> str:
                if choice.recommendation is None:
                    services.sign_off_plan(tracker.store, slug, settings.user, settings.today)
                    return f"Plan {slug} signed off and closed"
                services.sign_off_recommendation(
                    tracker.store, slug, choice.recommendation, settings.user, settings.today
                )
                return f"Recommendation {choice.recommendation} signed off as implemented"

            self.run_db(write, self._signed, name="sign-off")

        self.app.push_screen(SignOffDialog(refs, self.current_recommendation()), chosen)

    def _signed(self, message: str) -> None:
        self.notify(message)
        self.action_reload()
