"""What the action screen shows: every field in a form, its progress notes, evidence and
history in tabs, read in a worker; the tabs, and leaving with unsaved edits. `ActionScreen`
adds the keys and the changes (save, notes, evidence, review)."""

from __future__ import annotations

from typing import Any

from rich.text import Text
from textual import on
from textual.app import ComposeResult
from textual.containers import Grid, VerticalScroll
from textual.suggester import SuggestFromList
from textual.widgets import (
    DataTable,
    Header,
    Input,
    Label,
    Select,
    Static,
    TabbedContent,
    TabPane,
)

from tracker.queries.action import action_detail
from tracker.queries.roles import role_names
from tracker.services import ActionChanges
from tracker.tui.dialogs.confirm import ConfirmDialog
from tracker.tui.screens.action_form import (
    TEXT_FIELDS,
    Loaded,
    changes_from_form,
    form_values,
)
from tracker.tui.screens.action_lists import (
    EVIDENCE_COLUMNS,
    evidence_description,
    evidence_rows,
    file_sizes,
    history_rows,
    update_rows,
)
from tracker.tui.screens.base import TrackerScreen
from tracker.tui.widgets.cells import brag_cell, safe
from tracker.tui.widgets.footer import KeyFooter
from tracker.vocab import ActionStatus, Brag

ROOMY_ROWS = 36
"""A terminal this tall shows the form with a line between fields, and still every field."""

TABS = ("details", "updates", "evidence", "history")
"""The action's tabs, in order: keys 1 to 4 show them."""


class ActionScreenBase(TrackerScreen):
    """An action read (in a worker) and shown: the form, the lists, the tabs."""

    AUTO_FOCUS = "#tabs Tabs"

    def __init__(self, ref: str) -> None:
        super().__init__()
        self.ref = ref
        self.loaded: Loaded | None = None

    def compose(self) -> ComposeResult:
        # Spaced out or not from the start, before the form is styled: set when the screen is
        # first laid out (on_resize), the class restyled the whole screen and laid it out again.
        self.set_class(self.app.size.height >= ROOMY_ROWS, "-roomy", update=False)
        yield Header()
        yield Static("Loading…", id="action-header")
        with TabbedContent(id="tabs"):
            with TabPane("1 Details", id="details"), VerticalScroll(can_focus=False):
                with Grid(id="form"):
                    for field_id, label in TEXT_FIELDS[:5]:
                        yield Label(label)
                        yield Input(id=field_id, compact=True)
                    yield Label("Status")
                    yield Select(
                        [(s.value, s.value) for s in ActionStatus],
                        id="status",
                        allow_blank=False,
                        value=ActionStatus.NOT_STARTED.value,
                        compact=True,
                    )
                    for field_id, label in TEXT_FIELDS[5:8]:
                        yield Label(label)
                        yield Input(id=field_id, compact=True)
                    yield Label("Colour override")
                    yield Select(
                        [(b.value, b.value) for b in Brag],
                        id="override",
                        prompt="none (computed)",
                        compact=True,
                    )
                    yield Label(TEXT_FIELDS[8][1])
                    yield Input(id="override_reason", compact=True)
                yield Static("", id="form-error", classes="form-error")
            with TabPane("2 Updates", id="updates"):
                yield DataTable(id="updates-table", cursor_type="row")
            with TabPane("3 Evidence", id="evidence"):
                yield DataTable(id="evidence-table", cursor_type="row")
                yield Static("", id="evidence-detail", markup=False)
            with TabPane("4 History", id="history"):
                yield DataTable(id="history-table", cursor_type="row")
        yield KeyFooter()

    def on_mount(self) -> None:
        self.query_one("#updates-table", DataTable).add_columns("Date", "Author", "Note")
        evidence = self.query_one("#evidence-table", DataTable)
        for label, width in EVIDENCE_COLUMNS:
            evidence.add_column(label, width=width)
        self.query_one("#history-table", DataTable).add_columns(
            "When (UTC)", "Who", "Field", "Old", "New"
        )
        settings = self.tracker.settings
        if settings.reviewer or settings.read_only:
            # Plan content is read only here: show it, do not offer to edit it.
            for widget in self.query("#form Input, #form Select"):
                widget.disabled = True
            mode = "review mode" if settings.reviewer else "read only"
            self.query_one("#form-error", Static).update(f"{mode}: the action cannot be edited")
        self.reload()

    def on_resize(self) -> None:
        """Space the form's fields out when the terminal is tall enough to show them all (a
        restyle only when that changes)."""
        self.set_class(self.app.size.height >= ROOMY_ROWS, "-roomy")

    def reload(self, then: Any = None) -> None:
        """Read the action again and show it."""
        ref, today, tracker = self.ref, self.tracker.settings.today, self.tracker

        def read() -> Loaded:
            # Plain SQL, straight from a SQLite file: opening an action never waits for the
            # store's warm-up, and never touches the store on the event loop.
            with tracker.lists() as reader:
                detail = action_detail(reader, ref, today)
                return Loaded(detail, role_names(reader), file_sizes(detail))

        self.run_db(read, then or self.show, name="action")

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
        values = form_values(detail)
        for field_id, _ in TEXT_FIELDS:
            self.query_one(f"#{field_id}", Input).value = values[field_id]
        self.query_one("#owner", Input).suggester = SuggestFromList(
            loaded.roles, case_sensitive=False
        )
        self.query_one("#status", Select).value = values["status"]
        override = self.query_one("#override", Select)
        override.value = values["override"] or Select.NULL
        if not (self.tracker.settings.reviewer or self.tracker.settings.read_only):
            self.query_one("#form-error", Static).update("")
        for widget in self.query(Input):
            widget.remove_class("-invalid")
        self._fill("#updates-table", update_rows(detail))
        self._fill("#evidence-table", evidence_rows(loaded))
        self._describe_evidence()
        self._fill("#history-table", history_rows(detail))

    @on(DataTable.RowHighlighted, "#evidence-table")
    def _describe_evidence(self) -> None:
        """The highlighted piece of evidence in full, under the list: where it is, its
        fingerprint and size, and the YJB's review with its comment."""
        box = self.query_one("#evidence-detail", Static)
        if self.loaded is None or not self.loaded.detail.evidence:
            box.update("No evidence yet: ctrl+o adds a file or a reference.")
            return
        row = self.query_one("#evidence-table", DataTable).cursor_row
        box.update(evidence_description(self.loaded, row))

    def _fill(self, selector: str, rows: list[tuple[str, ...]]) -> None:
        table = self.query_one(selector, DataTable)
        table.clear()
        for row in rows:
            table.add_row(*row)

    def values(self) -> dict[str, str]:
        """The form as typed."""
        found = {f: self.query_one(f"#{f}", Input).value for f, _ in TEXT_FIELDS}
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
        if self.loaded is None:
            return None
        changes = changes_from_form(self.values(), self.loaded.detail)
        return None if changes == ActionChanges() else changes

    def on_screen_resume(self) -> None:
        """Back from a dialog: the cursor goes back into the list the tab shows (Textual
        would otherwise put it back in the form, and with it show the Details tab)."""
        tabs = self.query_one("#tabs", TabbedContent)
        if tabs.active in TABS[1:]:
            self.set_focus(self.query_one(f"#{tabs.active}-table", DataTable))

    def action_show_tab(self, tab: str) -> None:
        """Show a tab (details, updates, evidence, history) and put the cursor in it."""
        if tab not in TABS:
            return
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
