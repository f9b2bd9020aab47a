"""What the action screen shows: its fields to read (a form once the user edits), its progress
notes, evidence and history in tabs, read in a worker; the tabs, and leaving with unsaved
edits. `ActionScreen`
adds the keys and the changes (save, notes, evidence, review)."""

from __future__ import annotations

import asyncio
from typing import Any

from rich.text import Text
from textual import on
from textual.app import ComposeResult
from textual.containers import Grid, VerticalScroll
from textual.suggester import SuggestFromList
from textual.widget import Widget
from textual.widgets import (
    DataTable,
    Header,
    Input,
    Label,
    Select,
    Static,
    TabbedContent,
    TabPane,
    TextArea,
)
from textual.worker import Worker

from tracker.queries.action import action_detail
from tracker.queries.roles import role_names
from tracker.services import ActionChanges
from tracker.tui.dialogs.base import WriteAhead
from tracker.tui.dialogs.confirm import ConfirmDialog
from tracker.tui.screens.action_form import (
    AREA_FIELDS,
    EMPTY,
    FIELDS,
    TEXT_FIELDS,
    Loaded,
    changes_from_form,
    fields_view,
    form_values,
)
from tracker.tui.screens.action_lists import (
    LIST_COLUMNS,
    evidence_description,
    evidence_rows,
    file_sizes,
    history_description,
    history_rows,
    update_description,
    update_rows,
)
from tracker.tui.screens.base import TrackerScreen
from tracker.tui.screens.row_detail import RowDetail
from tracker.tui.widgets.cells import brag_cell, safe
from tracker.tui.widgets.columns import fit_columns
from tracker.tui.widgets.footer import KeyFooter
from tracker.tui.widgets.list_table import ListTable
from tracker.vocab import ActionStatus, Brag

FIRST_READ_WAIT = 0.1
"""Seconds the screen waits for the action's first read before its first frame (`on_mount`)."""

ROOMY_ROWS = 36
"""A terminal this tall shows the form with a line between fields, and still every field."""

TABS = ("details", "updates", "evidence", "history")
"""The action's tabs, in order: keys 1 to 4 show them."""

LISTS = {"updates": "#updates-table", "evidence": "#evidence-table", "history": "#history-table"}
"""The tabs that hold a list, and the list's id: each is built when its tab is first shown."""


class ActionScreenBase(TrackerScreen):
    """An action read (in a worker) and shown: the form, the lists, the tabs."""

    AUTO_FOCUS = "#tabs Tabs"

    def __init__(self, ref: str, edit: bool = False) -> None:
        super().__init__()
        self.ref = ref
        self.edit_when_read = edit
        """Opened to edit (the plan's edit key): the form shows once the action is read."""
        self.loaded: Loaded | None = None
        self.built: set[str] = set()
        """The tabs whose lists are built: each is built the first time its tab shows."""
        self.shown_columns: dict[str, list[int]] = {}
        """Each built list's columns, as indices into its rows' cells."""
        self.fitted_to: dict[str, int] = {}
        """Each built list's room (columns) its columns were last fitted to."""

    def compose(self) -> ComposeResult:
        # Spaced out or not from the start, before the screen is styled: set when the screen is
        # first laid out (on_resize), the class restyled the whole screen and laid it out again.
        self.set_class(self.app.size.height >= ROOMY_ROWS, "-roomy", update=False)
        yield Header()
        yield Static("Loading…", id="action-header")
        with TabbedContent(id="tabs"):
            with TabPane("1 Details", id="details"), VerticalScroll(id="details-scroll"):
                # The fields as words to read: one widget. The form (sixty-odd widgets to
                # style and lay out) is built when the user starts to edit (`open_form`).
                yield Static("", id="fields")
                yield Static("", id="form-error", classes="form-error")
            # Empty until first shown (`build_tab`): most opened actions are read and edited
            # on Details, and a list's widgets cost their styling and layout on every open.
            yield TabPane("2 Updates", id="updates")
            yield TabPane("3 Evidence", id="evidence")
            yield TabPane("4 History", id="history")
        yield KeyFooter()

    @property
    def editing(self) -> bool:
        """Whether the form shows (the read view is hidden while it does)."""
        return self.form is not None and self.form.display

    form: Grid | None = None
    """The form, once built: kept (hidden behind the read view) after a save."""

    def _form_fields(self) -> list[Widget]:
        """The form's labels and fields, in the read view's order."""
        widgets: list[Widget] = []
        for field_id, label in FIELDS:
            widgets.append(Label(label))
            if field_id == "status":
                widgets.append(
                    Select(
                        [(s.value, s.value) for s in ActionStatus],
                        id="status",
                        allow_blank=False,
                        value=ActionStatus.NOT_STARTED.value,
                        compact=True,
                    )
                )
            elif field_id == "override":
                widgets.append(
                    Select(
                        [(b.value, b.value) for b in Brag],
                        id="override",
                        prompt=EMPTY["override"],
                        compact=True,
                    )
                )
            else:
                widgets.append(self._field(field_id))
        return widgets

    async def open_form(self, field: str = "") -> None:
        """Show the form in place of the read view, built the first time and filled from the
        action as last read, the cursor in `field` (the first field when not given). Never
        for a reviewer, a read-only session or a signed-off action: it says why instead."""
        if self.loaded is None:
            return
        if not self.may_edit():
            why = str(self.query_one("#form-error", Static).render())
            self.notify(why, title="Not editable", severity="warning", timeout=4)
            return
        self.post_message(WriteAhead())  # a save may follow: the store opens while they type
        if self.form is None:
            self.form = Grid(*self._form_fields(), id="form")
            await self.query_one("#details-scroll").mount(self.form, before="#form-error")
            self._fill_form(self.loaded)
        self.form.display = True
        self.query_one("#fields").display = False
        self.query_one("#details-scroll").can_focus = False  # tab goes to the fields
        self.query_one("#tabs", TabbedContent).active = "details"
        target = self.form.query_one(f"#{field or FIELDS[0][0]}")
        self.set_focus(target)
        self.refresh_bindings()

    def close_form(self) -> None:
        """Back to the read view (after a save, or when the action can no longer change)."""
        if not self.editing:
            return
        assert self.form is not None
        scroll = self.query_one("#details-scroll")
        scroll.can_focus = True
        if self.focused is not None and self.form in self.focused.ancestors_with_self:
            self.set_focus(self.query_one("#tabs Tabs"))
        self.form.display = False
        self.query_one("#fields").display = True
        self.refresh_bindings()

    async def build_tab(self, tab: str) -> None:
        """Build a tab's list and the pane under it, the first time the tab is shown, with
        its columns for the terminal's width and the action as last read."""
        if tab not in LISTS or tab in self.built:
            return
        self.built.add(tab)
        table = ListTable(id=f"{tab}-table", cursor_type="row")
        under: Widget = (
            Static("", id="evidence-detail", markup=False)
            if tab == "evidence"
            else RowDetail(id=f"{tab.removesuffix('s')}-detail")
        )
        await self.query_one(f"#{tab}", TabPane).mount(table, under)
        self._make_columns()
        if self.loaded is not None:
            self._fill_lists(self.loaded)

    @on(TabbedContent.TabActivated, "#tabs")
    async def _tab_shown(self, event: TabbedContent.TabActivated) -> None:
        """A tab shown by the mouse or the tab bar's keys: its list is built if not yet."""
        if event.pane.id:
            await self.build_tab(event.pane.id)

    def _field(self, field_id: str) -> Input | TextArea:
        """A field of the form: words that run long (the action, its success measure and
        impact check) in a text area that wraps them; the others in one line."""
        if field_id in AREA_FIELDS:
            return TextArea(id=field_id, compact=True, tab_behavior="focus", soft_wrap=True)
        return Input(id=field_id, compact=True)

    def field_value(self, field_id: str) -> str:
        """What a field of the form holds."""
        widget = self.query_one(f"#{field_id}")
        return (
            widget.text
            if isinstance(widget, TextArea)
            else self.query_one(f"#{field_id}", Input).value
        )

    def set_field(self, field_id: str, value: str) -> None:
        """Put `value` in a field of the form (a text area from its start)."""
        widget = self.query_one(f"#{field_id}")
        if isinstance(widget, TextArea):
            if widget.text != value:
                widget.load_text(value)
            widget.move_cursor((0, 0))
            widget.scroll_home(animate=False)
        else:
            field = self.query_one(f"#{field_id}", Input)
            field.value = value
            field.cursor_position = 0  # the start of the words shows, not their end

    async def on_mount(self) -> None:
        self._make_columns()
        settings = self.tracker.settings
        if settings.reviewer or settings.read_only:
            # Plan content is read only here: shown whole in the read view (which scrolls and
            # can be selected), never offered as a form.
            mode = "review mode" if settings.reviewer else "read only"
            self.query_one("#form-error", Static).update(f"{mode}: the action cannot be edited")
        reading = self.reload()
        # A read from a SQLite file takes a few milliseconds: waited for (in its thread, the
        # event loop free), the first frame shows the action rather than "Loading…", and the
        # screen is laid out and drawn once, not twice. A slow read (a server, a store still
        # opening) is not waited for beyond FIRST_READ_WAIT: "Loading…" shows meanwhile.
        waiting = asyncio.ensure_future(reading.wait())
        # Its outcome is the worker's to report (`run_db`); this wait only holds the frame.
        waiting.add_done_callback(lambda done: done.cancelled() or done.exception())
        await asyncio.wait({waiting}, timeout=FIRST_READ_WAIT)

    locked: str | None = None
    """Why this action cannot change (the YJB has signed its work off), or None."""

    def may_edit(self) -> bool:
        """Whether this session may edit this action: not a reviewer's or a read-only one, and
        not an action whose work the YJB has signed off."""
        settings = self.tracker.settings
        return not (settings.reviewer or settings.read_only or self.locked)

    def _lock(self, why: str | None) -> None:
        """A manager's action the YJB has signed off is shown, not offered to edit (the service
        would refuse the save, and a note typed into it would be lost): no form, saying why,
        and the keys that write it withdrawn. Undone when a reload finds the sign-off
        withdrawn."""
        self.locked = why
        if why is not None:
            self.close_form()
        self.query_one("#form-error", Static).update(why or "")
        self.refresh_bindings()

    def _make_columns(self, only: str | None = None) -> None:
        """The lists' columns (or `only` that tab's) for the room each list has: the words (a
        note, a value) take the room the others leave, and a column that does not fit gives
        way (the highlighted row shows in full below its list), so that no list scrolls
        sideways."""
        for tab, specs in LIST_COLUMNS.items():
            if tab not in self.built or only not in (None, tab):
                continue
            table = self.query_one(f"#{tab}-table", ListTable)
            room = self.fitted_to[tab] = table.room
            table.clear(columns=True)
            columns = fit_columns(specs, room)
            for column in columns:
                table.add_column(column.label, width=column.width, key=column.key)
            keys = [spec.key for spec in specs]
            self.shown_columns[tab] = [keys.index(column.key) for column in columns]

    def on_resize(self) -> None:
        """Space the fields out when the terminal is tall enough to show them all (a restyle
        only when that changes). (Each list fits its columns when its own size changes:
        `_list_resized`.)"""
        roomy = self.app.size.height >= ROOMY_ROWS
        if roomy != self.has_class("-roomy"):
            self.set_class(roomy, "-roomy")
            if self.loaded is not None:
                self._show_fields(self.loaded)

    @on(ListTable.Resized)
    def _list_resized(self, event: ListTable.Resized) -> None:
        """A list's width changed (the terminal's did, or the keys panel docked beside it or
        closed): its columns fit the room it has now, its cursor on the same row."""
        tab = (event.table.id or "").removesuffix("-table")
        if tab not in self.built or self.fitted_to.get(tab) == event.table.room:
            return
        row = event.table.cursor_row
        self._make_columns(tab)
        if self.loaded is not None:
            self._fill_lists(self.loaded, tab)
            if row < event.table.row_count:
                event.table.move_cursor(row=row, animate=False)

    def reload(self, then: Any = None) -> Worker[None]:
        """Read the action again and show it (the worker that reads it)."""
        ref, today, tracker = self.ref, self.tracker.settings.today, self.tracker

        def read() -> Loaded:
            # Plain SQL, straight from a SQLite file: opening an action never waits for the
            # store's warm-up, and never touches the store on the event loop.
            with tracker.lists() as reader:
                detail = action_detail(reader, ref, today)
                return Loaded(detail, role_names(reader), file_sizes(detail))

        return self.run_db(read, then or self.show, name="action")

    def show(self, loaded: Loaded) -> None:
        """Fill the form and lists from a fresh read."""
        self.loaded = loaded
        detail = loaded.detail
        row = detail.row
        self.sub_title = row.id
        header = Text()
        header.append(f"{row.id}  ", style="bold")
        header.append(brag_cell(row.brag.colour, row.brag.overridden))
        header.append(f" {row.brag.reason} · version {row.version}\n")
        header.append(
            f"R{row.recommendation}: {safe(detail.recommendation_text, 300)}", style="italic"
        )
        self.query_one("#action-header", Static).update(header)
        if not (self.tracker.settings.reviewer or self.tracker.settings.read_only):
            self._lock(detail.locked)
        self._show_fields(loaded)
        if self.form is not None:
            self._fill_form(loaded)
        self._fill_lists(loaded)
        if self.edit_when_read:
            self.edit_when_read = False
            if self.may_edit():
                self.call_later(self.open_form)

    def _show_fields(self, loaded: Loaded) -> None:
        """The read view: every field as stored, its words whole."""
        editable = self.may_edit()
        hint = self._key_hint("edit", "{} edits the fields; a click on a field edits it")
        view = fields_view(
            form_values(loaded.detail),
            editable=editable,
            roomy=self.has_class("-roomy"),
            hint=hint if editable else "",
        )
        self.query_one("#fields", Static).update(view)

    def _fill_form(self, loaded: Loaded) -> None:
        """The form's fields as the action was read."""
        values = form_values(loaded.detail)
        for field_id, _ in TEXT_FIELDS:
            self.set_field(field_id, values[field_id])
        self.query_one("#owner", Input).suggester = SuggestFromList(
            loaded.roles, case_sensitive=False
        )
        self.query_one("#status", Select).value = values["status"]
        override = self.query_one("#override", Select)
        override.value = values["override"] or Select.NULL
        for widget in self.query("#form .-invalid"):
            widget.remove_class("-invalid")

    def _fill_lists(self, loaded: Loaded, only: str | None = None) -> None:
        """The built lists (or `only` that tab's) filled from the action as read."""
        detail = loaded.detail
        built = self.built if only is None else self.built & {only}
        if "updates" in built:
            self._fill("updates", update_rows(detail))
            self._describe_update()
        if "evidence" in built:
            self._fill("evidence", evidence_rows(loaded))
            self._describe_evidence()
        if "history" in built:
            self._fill("history", history_rows(detail))
            self._describe_history()

    @on(DataTable.RowHighlighted, "#updates-table")
    def _describe_update(self) -> None:
        """The highlighted note in full, under the list."""
        pane = self.query_one("#update-detail", RowDetail)
        if self.loaded is None or not self.loaded.detail.updates:
            pane.show("No progress notes yet" + self._key_hint("add_note", " ({} adds one)"))
            return
        row = self.query_one("#updates-table", DataTable).cursor_row
        pane.show(update_description(self.loaded.detail, row))

    @on(DataTable.RowHighlighted, "#history-table")
    def _describe_history(self) -> None:
        """The highlighted change in full, under the list: both values whole."""
        pane = self.query_one("#history-detail", RowDetail)
        if self.loaded is None or not self.loaded.detail.history:
            pane.show("No changes recorded")
            return
        row = self.query_one("#history-table", DataTable).cursor_row
        pane.show(history_description(self.loaded.detail, row))

    def _key_hint(self, action: str, template: str) -> str:
        """`template` with the key that runs `action` here now, or empty when there is none."""
        for active in self.active_bindings.values():
            if active.binding.action == action and active.enabled and active.node is self:
                return template.format(self.app.get_key_display(active.binding))
        return ""

    @on(DataTable.RowHighlighted, "#evidence-table")
    def _describe_evidence(self) -> None:
        """The highlighted piece of evidence in full, under the list: where it is, its
        fingerprint and size, and the YJB's review with its comment."""
        box = self.query_one("#evidence-detail", Static)
        if self.loaded is None or not self.loaded.detail.evidence:
            hint = self._key_hint("add_evidence", ": {} adds a file or a reference")
            box.update(f"No evidence yet{hint}")
            return
        row = self.query_one("#evidence-table", DataTable).cursor_row
        box.update(evidence_description(self.loaded, row))

    def _fill(self, tab: str, rows: list[tuple[str, ...]]) -> None:
        """The tab's list, each row's cells in the columns that fit (`_make_columns`)."""
        table = self.query_one(f"#{tab}-table", DataTable)
        table.clear()
        shown = self.shown_columns[tab]
        for row in rows:
            table.add_row(*(row[i] for i in shown))

    def values(self) -> dict[str, str]:
        """The form as typed (the action as read while there is no form)."""
        if self.form is None:
            return {} if self.loaded is None else form_values(self.loaded.detail)
        found = {f: self.field_value(f) for f, _ in TEXT_FIELDS}
        status = self.query_one("#status", Select).value
        override = self.query_one("#override", Select).value
        found["status"] = str(status)
        found["override"] = "" if override is Select.NULL else str(override)
        return found

    def has_unsaved(self) -> bool:
        """Whether the form holds edits not yet saved (an unreadable edit counts)."""
        try:
            return self.pending() is not None
        except ValueError:
            return True

    def pending(self) -> ActionChanges | None:
        """The unsaved changes (None when there are none), or ValueError."""
        if self.loaded is None or self.form is None:
            return None
        changes = changes_from_form(self.values(), self.loaded.detail)
        return None if changes == ActionChanges() else changes

    def on_screen_resume(self) -> None:
        """Back from a dialog: the cursor goes back into the list the tab shows (Textual
        would otherwise put it back in the form, and with it show the Details tab)."""
        tabs = self.query_one("#tabs", TabbedContent)
        if tabs.active in self.built:
            self.set_focus(self.query_one(f"#{tabs.active}-table", DataTable))

    async def action_show_tab(self, tab: str) -> None:
        """Show a tab (details, updates, evidence, history) and put the cursor in it."""
        if tab not in TABS:
            return
        await self.build_tab(tab)
        tabs = self.query_one("#tabs", TabbedContent)
        # The focus moves at once (Screen.set_focus, not the deferred Widget.focus): a field of
        # the form left focused while its tab hides would hand the focus to its neighbour in the
        # form, and TabbedContent would switch back to Details to show it.
        if tab == "details":
            self.set_focus(tabs.query_one("Tabs"))
        else:
            self.set_focus(self.query_one(f"#{tab}-table", DataTable))
        tabs.active = tab

    def action_back(self) -> None:
        """Back to the plan, asking first if there are unsaved changes."""
        if not self.has_unsaved():
            self.app.pop_screen()
            return

        def answer(discard: bool | None) -> None:
            if discard:
                self.app.pop_screen()

        self.app.push_screen(ConfirmDialog("Discard your unsaved changes?"), answer)
