"""What the plan screen shows and how it is read: the plan's header, its recommendations and
actions in a table, narrowed by filters and a search, in the chosen order, with a selection.
`PlanScreen` adds the keys and the changes (bulk edit, lifecycle, export, sign-off)."""

from __future__ import annotations

from textual import on
from textual.app import ComposeResult
from textual.widgets import Header, Input, Static

from tracker.queries.lists import ActionRow
from tracker.queries.plan import PlanDetail, RecommendationRow, plan_detail
from tracker.tui.dialogs.plan import FilterDialog, Filters
from tracker.tui.screens.base import TrackerScreen
from tracker.tui.screens.plan_view import (
    COLUMN_SORT,
    COLUMNS,
    SORTS,
    action_cells,
    header_text,
    passes,
    recommendation_cells,
)
from tracker.tui.widgets.cells import safe
from tracker.tui.widgets.columns import fit_columns
from tracker.tui.widgets.footer import KeyFooter
from tracker.tui.widgets.search import open_search_bar, search_bar
from tracker.tui.widgets.table import Cell, FastTable

SEARCH_HINT = "Search actions: text, ref, lead, owner (Enter keeps, Esc clears)"


class PlanScreenBase(TrackerScreen):
    """A plan's recommendations and actions, read in a worker and shown as filtered, searched
    and sorted; the cursor and the selection kept across refills."""

    AUTO_FOCUS = "#actions"

    def __init__(self, slug: str) -> None:
        super().__init__()
        self.slug = slug
        self.detail: PlanDetail | None = None
        self.filters = Filters()
        self.overdue_only = False
        self.search_text = ""
        self.sort_index = 0
        self.selected: set[str] = set()
        self.layout_width = 0

    def compose(self) -> ComposeResult:
        yield Header()
        yield Static("Loading…", id="plan-header")
        yield FastTable(id="actions")
        yield Static("", id="status-line", classes="status-line")
        yield KeyFooter()

    def on_mount(self) -> None:
        self.make_columns()

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
        box = search_bar(self)
        if box is not None and box.has_focus:
            box.close()
            self.query_one("#actions", FastTable).focus()
            return
        self.app.pop_screen()

    async def action_search(self) -> None:
        """Show the search box."""
        await open_search_bar(self, SEARCH_HINT, self.query_one("#actions", FastTable))

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
        box = search_bar(self)
        if box is not None:
            box.close()
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

    def current_recommendation(self) -> str | None:
        """The recommendation of the row under the cursor."""
        key = self.current_key()
        if key is None or self.detail is None:
            return None
        if key.startswith("r:"):
            return key[2:]
        return next((a.recommendation for a in self.detail.actions if a.id == key[2:]), None)
