"""What the plan screen shows and how it is read: the plan's header, a draft's ready-to-submit
checklist, its recommendations and actions in a table (the withdrawn ones too, dimmed, when
asked), narrowed by filters and a search, in the chosen order, with a selection.
`PlanAuthoring` adds writing the plan; `PlanScreen` the keys and the other changes (bulk edit,
lifecycle, export, sign-off)."""

from __future__ import annotations

from textual import on
from textual.app import ComposeResult
from textual.widgets import Header, Input, Static

from tracker.queries.lists import ActionRow
from tracker.queries.plan import (
    PlanDetail,
    RecommendationRow,
    SignOffRow,
    plan_detail,
    sign_offs,
)
from tracker.tui.dialogs.plan import FilterDialog, Filters
from tracker.tui.screens.base import TrackerScreen
from tracker.tui.screens.checklist import checklist, gap_key, shows_checklist
from tracker.tui.screens.plan_view import (
    COLUMN_SORT,
    SORTS,
    action_cells,
    header_text,
    passes,
    recommendation_cells,
    sized_columns,
    withdrawn_action_cells,
    withdrawn_recommendation_cells,
)
from tracker.tui.screens.row_detail import RowDetail, action_text, recommendation_text
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

    def __init__(self, slug: str, at_first_gap: bool = False) -> None:
        super().__init__()
        self.slug = slug
        self.at_first_gap = at_first_gap
        """Put the cursor on the first gap of the checklist when the plan is first shown (a
        plan just imported or started: its first recommendation without actions)."""
        self.show_withdrawn = False
        self.cursor_to: str | None = None
        """The row to put the cursor on at the next refill (a row just added or restored)."""
        self.detail: PlanDetail | None = None
        self.signed: dict[str | None, SignOffRow] = {}
        """The YJB's sign-offs, by recommendation ref (None: the plan's own, closing it)."""
        self.filters = Filters()
        self.overdue_only = False
        self.search_text = ""
        self.sort_index = 0
        self.selected: set[str] = set()
        self.fitted_to = 0  # the room (columns) the table's columns were last fitted to

    def compose(self) -> ComposeResult:
        yield Header()
        yield Static("Loading…", id="plan-header")
        yield Static("", id="checklist", classes="checklist hidden")
        yield FastTable(id="actions")
        yield RowDetail(id="row-detail")
        yield Static("", id="status-line", classes="status-line")
        yield KeyFooter()

    def on_mount(self) -> None:
        self.make_columns()

    def make_columns(self) -> None:
        """Columns for the terminal's width, fixed because the table is refilled often and
        must not re-measure (the table keeps one cell for its scroll bar)."""
        table = self.query_one("#actions", FastTable)
        self.fitted_to = table.room
        table.set_columns(fit_columns(sized_columns(self.detail), self.fitted_to))

    def on_screen_resume(self) -> None:
        """Shown (first time, or back from an action): read the plan, so changes show."""
        self.action_reload()

    def action_reload(self) -> None:
        """Read the plan again."""
        slug, today, app = self.slug, self.tracker.settings.today, self.tracker

        def read() -> tuple[PlanDetail, list[SignOffRow]]:
            # Plain SQL: straight from a SQLite file, so that it need not wait for the store.
            with app.lists() as reader:
                return plan_detail(reader, slug, today), sign_offs(reader, slug)

        def done(found: tuple[PlanDetail, list[SignOffRow]]) -> None:
            self.signed = {s.recommendation: s for s in found[1]}
            self.show_plan(found[0])

        self.run_db(read, done, name="plan", latest=True)

    # Showing ---------------------------------------------------------------------------------

    def show_plan(self, detail: PlanDetail) -> None:
        """Show a freshly read plan."""
        before = sized_columns(self.detail)
        self.detail = detail
        self.sub_title = detail.id
        if sized_columns(detail) != before:
            self.make_columns()  # the names' widths changed: the words take what is left
        self.selected &= {a.id for a in detail.actions}
        header = header_text(detail, self.app.size.width, self.signed.get(None))
        self.query_one("#plan-header", Static).update(header)
        if self.at_first_gap:
            self.at_first_gap = False
            gaps = self.gap_keys()
            first = next((k for k in gaps if k.startswith("r:")), gaps[0] if gaps else None)
            self.cursor_to = first or self.cursor_to
        self.refresh_bindings()  # the keys that apply now (a draft's, a reviewer's) may change
        self.show_checklist()
        self.refill()

    def key_for(self, action: str) -> str | None:
        """The key that runs `action` on this screen now (after the user's keymap), or None
        when the session has no such key."""
        for active in self.active_bindings.values():
            if active.node is self and active.binding.action == action and active.enabled:
                return self.app.get_key_display(active.binding)
        return None

    def show_checklist(self) -> None:
        """A draft's ready-to-submit checklist above the table (hidden once submitted)."""
        box = self.query_one("#checklist", Static)
        if self.detail is None or not shows_checklist(self.detail):
            box.set_class(True, "hidden")
            return
        keys = {a: self.key_for(a) for a in ("edit_plan", "add_recommendation", "lifecycle")}
        box.update(checklist(self.detail, self.key_for("next_gap"), keys))
        box.set_class(False, "hidden")

    def gap_keys(self) -> list[str]:
        """The row keys of the checklist's gaps, each once, in the checklist's order."""
        if self.detail is None or self.detail.readiness is None:
            return []
        found = (gap_key(self.slug, g) for g in self.detail.readiness.gaps)
        return list(dict.fromkeys(k for k in found if k is not None))

    def visible_actions(self, withdrawn: bool = False) -> list[ActionRow]:
        """The actions that pass the filters and search, in the chosen order (`withdrawn`:
        the withdrawn ones instead, when they are shown)."""
        if self.detail is None or (withdrawn and not self.show_withdrawn):
            return []
        rows = self.detail.withdrawn_actions if withdrawn else self.detail.actions
        found = [a for a in rows if passes(a, self.filters, self.overdue_only, self.search_text)]
        key = SORTS[self.sort_index][1]
        return sorted(found, key=key) if key is not None else found

    def refill(self) -> None:
        """Rebuild the table from the plan, filters, search and order."""
        if self.detail is None:
            return
        table = self.query_one("#actions", FastTable)
        current = self.cursor_to or self.current_key()
        self.cursor_to = None
        before = [table.key_at(i) for i in range(table.row_count)]
        table.clear()
        visible = self.visible_actions()
        gone = self.visible_actions(withdrawn=True)
        grouped = SORTS[self.sort_index][1] is None
        rows: list[tuple[str, list[Cell]]] = []
        if grouped:
            by_rec: dict[str, list[ActionRow]] = {}
            for a in visible:
                by_rec.setdefault(a.recommendation, []).append(a)
            gone_by_rec: dict[str, list[ActionRow]] = {}
            for a in gone:
                gone_by_rec.setdefault(a.recommendation, []).append(a)
            for rec in self.detail.recommendations:
                actions = by_rec.get(rec.ref, [])
                withdrawn = gone_by_rec.get(rec.ref, [])
                if not actions and not withdrawn and self._filtering():
                    continue
                rows.append(self._recommendation_cells(rec))
                rows.extend(self._action_cells(a) for a in actions)
                rows.extend(self._withdrawn_cells(a) for a in withdrawn)
            if self.show_withdrawn:
                keys = self._keys()
                for rec in self.detail.withdrawn_recommendations:
                    withdrawn = gone_by_rec.get(rec.ref, [])
                    if not withdrawn and self._filtering():
                        continue
                    rows.append((f"wr:{rec.ref}", withdrawn_recommendation_cells(rec, keys)))
                    rows.extend(self._withdrawn_cells(a) for a in withdrawn)
        else:
            rows.extend(self._action_cells(a) for a in visible)
            rows.extend(self._withdrawn_cells(a) for a in gone)
        table.add_rows(rows)
        self._restore_cursor(table, current, before)
        self._status(len(visible))
        self.describe_row()

    def _filtering(self) -> bool:
        return bool(self.overdue_only or self.search_text or self.filters.describe())

    def on_resize(self) -> None:
        """The header for a larger (or smaller) terminal."""
        if self.detail is not None:
            header = header_text(self.detail, self.app.size.width, self.signed.get(None))
            self.query_one("#plan-header", Static).update(header)

    @on(FastTable.Resized, "#actions")
    def refit(self) -> None:
        """Use the room of a larger (or smaller) terminal, or what the keys panel leaves."""
        if self.query_one("#actions", FastTable).room != self.fitted_to:
            self.cursor_to = self.cursor_to or self.current_key()  # new columns clear the rows
            self.make_columns()
            self.refill()

    def _keys(self) -> list[str]:
        return [c.key for c in self.query_one("#actions", FastTable).columns]

    def _recommendation_cells(self, rec: RecommendationRow) -> tuple[str, list[Cell]]:
        signed = rec.ref in self.signed
        return f"r:{rec.ref}", recommendation_cells(rec, self._keys(), signed)

    def _action_cells(self, a: ActionRow) -> tuple[str, list[Cell]]:
        return f"a:{a.id}", action_cells(a, self._keys(), a.id in self.selected)

    def _withdrawn_cells(self, a: ActionRow) -> tuple[str, list[Cell]]:
        return f"wa:{a.id}", withdrawn_action_cells(a, self._keys())

    def _restore_cursor(self, table: FastTable, key: str | None, before: list[str]) -> None:
        """The cursor back on `key`; if a filter left it out, on the nearest row still shown
        after it (else before it), so that showing only the overdue actions, say, keeps the
        reader's place rather than sending the cursor to the top."""
        if table.row_count == 0:
            return
        if key is not None and table.has_key(key):
            table.move_cursor(row=table.get_row_index(key))
            return
        if key is not None and key in before:
            at = before.index(key)
            nearest = [*before[at + 1 :], *reversed(before[:at])]
            kind = key.partition(":")[0]
            # An action's place goes to the nearest action still shown, else to any row.
            for near in [*(k for k in nearest if k.startswith(f"{kind}:")), *nearest]:
                if table.has_key(near):
                    table.move_cursor(row=table.get_row_index(near))
                    return
        for index in range(table.row_count):
            if table.key_at(index).startswith("a:"):
                table.move_cursor(row=index)
                return

    def _status(self, shown: int) -> None:
        assert self.detail is not None
        parts = [f"{shown} of {len(self.detail.actions)} actions"]
        withdrawn = len(self.detail.withdrawn_actions) + len(self.detail.withdrawn_recommendations)
        if withdrawn:
            toggle = self.key_for("toggle_withdrawn")
            if self.show_withdrawn:
                parts.append(f"{withdrawn} withdrawn shown, dimmed")
            else:
                parts.append(f"{withdrawn} withdrawn" + (f" ({toggle} shows)" if toggle else ""))
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
        """The action id under the cursor (None on a recommendation row or a withdrawn row)."""
        key = self.current_key()
        return key[2:] if key and key.startswith("a:") else None

    def current_row(self) -> tuple[str, str] | None:
        """What is under the cursor: (`r`, a recommendation's ref), (`a`, an action's id),
        or `wr` and `wa` for withdrawn ones; None when the table is empty."""
        key = self.current_key()
        if not key or ":" not in key:
            return None
        kind, _, ref = key.partition(":")
        return kind, ref

    @on(FastTable.RowHighlighted, "#actions")
    def describe_row(self) -> None:
        """The row under the cursor in full, in the pane under the table."""
        pane = self.query_one("#row-detail", RowDetail)
        row = self.current_row()
        if self.detail is None or row is None:
            pane.show("No actions shown" if self.detail is not None else "")
            return
        kind, ref = row
        if kind in ("r", "wr"):
            recs = (
                self.detail.recommendations
                if kind == "r"
                else self.detail.withdrawn_recommendations
            )
            rec = next((r for r in recs if r.ref == ref), None)
            pane.show(recommendation_text(rec, self.signed.get(rec.ref)) if rec is not None else "")
            return
        every = [*self.detail.actions, *self.detail.withdrawn_actions]
        found = next((a for a in every if a.id == ref), None)
        pane.show(action_text(found) if found is not None else "")

    # Keys ------------------------------------------------------------------------------------

    @on(FastTable.RowSelected, "#actions")
    def action_open_row(self) -> None:
        """Open the action under the cursor (on a recommendation: say how to edit it)."""
        row = self.current_row()
        if row is not None and row[0] in ("r", "wr"):
            key = self.key_for("edit")
            if key:
                self.notify(f"{key} edits the recommendation; Enter opens an action", timeout=3)
            return
        self._open()

    def _open(self) -> None:
        row = self.current_row()
        if row is not None and row[0] in ("a", "wa"):
            self.tracker.open_action(row[1])

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
        """Mark or unmark the action under the cursor for a bulk edit; on a recommendation,
        its actions shown (all marked, or all unmarked if they all were)."""
        current = self.current_row()
        if current is None or self.detail is None:
            return
        kind, ref = current
        if kind == "r":
            ids = {a.id for a in self.visible_actions() if a.recommendation == ref}
            if not ids:
                self.notify(f"Recommendation {safe(ref, 20)} has no actions to select", timeout=3)
                return
            self.selected = self.selected - ids if ids <= self.selected else self.selected | ids
            self.refill()
            return
        if kind != "a":
            self.notify("A withdrawn row cannot be selected for a bulk edit", timeout=3)
            return
        self.selected ^= {ref}
        table = self.query_one("#actions", FastTable)
        row = table.cursor_row
        self.refill()
        table.move_cursor(row=min(row + 1, table.row_count - 1))

    def current_recommendation(self) -> str | None:
        """The recommendation of the row under the cursor (withdrawn or not)."""
        row = self.current_row()
        if row is None or self.detail is None:
            return None
        kind, ref = row
        if kind in ("r", "wr"):
            return ref
        every = [*self.detail.actions, *self.detail.withdrawn_actions]
        return next((a.recommendation for a in every if a.id == ref), None)
