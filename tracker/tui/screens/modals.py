"""Small dialogs: each a typed ModalScreen that returns its result with dismiss(value).

Every dialog fits the terminal: its fields scroll when the screen is short, while the error
line and the buttons (which name their keys) stay in view.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date
from typing import Any, ClassVar, Generic, TypeVar

from textual import events, on
from textual.app import ComposeResult
from textual.binding import Binding, BindingType
from textual.containers import Horizontal, Vertical, VerticalScroll
from textual.screen import ModalScreen
from textual.widgets import Button, DataTable, Input, Label, Select, Static

from tracker.rules import parse_date
from tracker.vocab import EvidenceKind

T = TypeVar("T")

CHROME_ROWS = 13
"""Rows a dialog needs besides its fields: the screen's margin, border and padding, the title,
the error line and the buttons."""


def parse_optional_date(text: str, what: str) -> date | None:
    """A typed date, or None for an empty field; ValueError naming the field."""
    if not text.strip():
        return None
    try:
        return parse_date(text)
    except ValueError as exc:
        raise ValueError(f"{what}: {exc}") from None


def key_label(screen: ModalScreen[Any], action: str, default: str) -> str:
    """The key that runs `action` on `screen` now (after the user's keymap), for a button."""
    for key, active in screen.active_bindings.items():
        if active.node is screen and active.binding.action == action:
            return {"escape": "esc"}.get(key, key)
    return default


class FittedModal(ModalScreen[T], Generic[T]):
    """A modal whose `.dialog-body` scrolls within the terminal's height."""

    def on_mount(self) -> None:
        self._fit()

    def on_resize(self, event: events.Resize) -> None:
        self._fit()

    def _fit(self) -> None:
        for body in self.query(".dialog-body"):
            body.styles.max_height = max(3, self.app.size.height - CHROME_ROWS)


class Dialog(FittedModal[T], Generic[T]):
    """A modal form: Escape cancels (None), ctrl+s or the OK button submits."""

    BINDINGS: ClassVar[list[BindingType]] = [
        Binding("escape", "cancel", "Cancel", id="dialog.cancel"),
        Binding("ctrl+s", "submit", "OK", id="dialog.submit"),
    ]
    TITLE_TEXT = ""
    OK_LABEL = "OK"
    WIDE = False
    SUBMIT_ON_ENTER = True
    """Enter in a text field submits (a one-field form); False: it moves to the next field."""

    def compose(self) -> ComposeResult:
        with Vertical(classes="dialog wide" if self.WIDE else "dialog"):
            yield Label(self.TITLE_TEXT, classes="dialog-title", markup=False)
            with VerticalScroll(classes="dialog-body", can_focus=False):
                yield from self.fields()
            yield Static("", id="dialog-error", classes="dialog-error")
            with Horizontal(classes="dialog-buttons"):
                yield Button(self.OK_LABEL, variant="primary", id="ok")
                yield Button("Cancel", id="cancel")

    def on_mount(self) -> None:
        super().on_mount()
        # The buttons name the keys that work now, after the user's keymap.
        ok = key_label(self, "submit", "ctrl+s")
        self.query_one("#ok", Button).label = f"{self.OK_LABEL} ({ok})"
        self.query_one("#cancel", Button).label = f"Cancel ({key_label(self, 'cancel', 'esc')})"

    def fields(self) -> ComposeResult:
        """The dialog's own inputs."""
        yield from ()

    def result(self) -> T:
        """The value to return; raise ValueError to keep the dialog open with a message."""
        raise NotImplementedError

    def say(self, message: str) -> None:
        """Show a problem on the error line."""
        self.query_one("#dialog-error", Static).update(message)

    def action_cancel(self) -> None:
        """Close without a result."""
        self.dismiss(None)

    def action_submit(self) -> None:
        """Check the fields and return the result, or say what is wrong."""
        try:
            value = self.result()
        except ValueError as exc:
            self.say(str(exc))
            return
        self.dismiss(value)

    @on(Button.Pressed, "#ok")
    def _ok(self) -> None:
        self.action_submit()

    @on(Button.Pressed, "#cancel")
    def _cancel(self) -> None:
        self.action_cancel()

    @on(Input.Submitted)
    def _enter(self) -> None:
        self.enter_pressed()

    def enter_pressed(self) -> None:
        """Enter in a text field: submit, or go to the next field (`SUBMIT_ON_ENTER`)."""
        if self.SUBMIT_ON_ENTER:
            self.action_submit()
        else:
            self.focus_next()


class NoteDialog(Dialog[str]):
    """Add a dated progress note."""

    TITLE_TEXT = "Add a progress note (dated today)"

    def fields(self) -> ComposeResult:
        yield Input(id="note", placeholder="What happened?")

    def result(self) -> str:
        note = self.query_one("#note", Input).value.strip()
        if not note:
            raise ValueError("write the note first")
        return note


@dataclass(frozen=True)
class NewEvidence:
    """Evidence to attach: a file (fingerprinted) or a reference."""

    title: str
    file: str | None
    reference: str | None
    dated: date | None
    kind: EvidenceKind


class EvidenceDialog(Dialog[NewEvidence]):
    """Attach evidence of implementation: a file path or a reference to where it is kept."""

    TITLE_TEXT = "Add evidence"
    SUBMIT_ON_ENTER = False

    def fields(self) -> ComposeResult:
        yield Label("Title")
        yield Input(id="title", placeholder="Case file audit, March 2026")
        yield Label("File (a path: it is fingerprinted) …")
        yield Input(id="file", placeholder="/path/to/audit.pdf")
        yield Label("… or reference (where it is kept)")
        yield Input(id="reference", placeholder="Board minutes 14 Sep 2026, item 5")
        yield Label("Date of the evidence (optional)")
        yield Input(id="dated", placeholder="31/03/2026 or 31 Mar 2026")
        yield Label("Kind")
        yield Select(
            [(k.value, k.value) for k in EvidenceKind],
            id="kind",
            value=EvidenceKind.DOCUMENT.value,
            allow_blank=False,
        )

    def result(self) -> NewEvidence:
        def value(id: str) -> str:
            return self.query_one(f"#{id}", Input).value.strip()

        title, file, reference = value("title"), value("file"), value("reference")
        if not title:
            raise ValueError("give the evidence a title")
        if bool(file) == bool(reference):
            raise ValueError("give either a file or a reference")
        return NewEvidence(
            title,
            file or None,
            reference or None,
            parse_optional_date(value("dated"), "date"),
            EvidenceKind(str(self.query_one("#kind", Select).value)),
        )


class ConflictDialog(FittedModal[str]):
    """Someone else changed the action: show both values; keep mine or take theirs."""

    BINDINGS: ClassVar[list[BindingType]] = [
        Binding("k", "choose('mine')", "Keep mine", id="conflict.mine"),
        Binding("t", "choose('theirs')", "Take theirs", id="conflict.theirs"),
        Binding("escape", "choose('theirs')", "Take theirs", show=False, id="conflict.escape"),
    ]

    def __init__(self, message: str, rows: list[tuple[str, str, str]]) -> None:
        super().__init__()
        self.message = message
        self.rows = rows

    def compose(self) -> ComposeResult:
        with Vertical(classes="dialog wide"):
            yield Label("Someone else changed this action", classes="dialog-title")
            with VerticalScroll(classes="dialog-body", can_focus=False):
                yield Static(self.message, classes="dialog-message", markup=False)
                table: DataTable[str] = DataTable(id="conflict-table", cursor_type="none")
                table.add_columns("Field", "Yours", "Now saved")
                for row in self.rows:
                    table.add_row(*row)
                yield table
            with Horizontal(classes="dialog-buttons"):
                yield Button("Keep mine (k)", variant="warning", id="mine")
                yield Button("Take theirs (t, esc)", variant="primary", id="theirs")

    def action_choose(self, choice: str) -> None:
        """Return `mine` or `theirs`."""
        self.dismiss(choice)

    @on(Button.Pressed)
    def _pressed(self, event: Button.Pressed) -> None:
        self.dismiss(event.button.id or "theirs")


class ConfirmDialog(FittedModal[bool]):
    """A yes/no question."""

    BINDINGS: ClassVar[list[BindingType]] = [
        Binding("y", "answer(True)", "Yes", id="confirm.yes"),
        Binding("n,escape", "answer(False)", "No", id="confirm.no"),
    ]

    def __init__(self, question: str) -> None:
        super().__init__()
        self.question = question

    def compose(self) -> ComposeResult:
        with Vertical(classes="dialog"):
            yield Label(self.question, classes="dialog-title", markup=False)
            with Horizontal(classes="dialog-buttons"):
                yield Button("Yes (y)", variant="error", id="yes")
                yield Button("No (n, esc)", variant="primary", id="no")

    def action_answer(self, answer: bool) -> None:
        """Return the answer."""
        self.dismiss(answer)

    @on(Button.Pressed)
    def _pressed(self, event: Button.Pressed) -> None:
        self.dismiss(event.button.id == "yes")
