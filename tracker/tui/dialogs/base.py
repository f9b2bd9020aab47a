"""What every dialog shares: a typed ModalScreen that returns its result with dismiss(value).

Every dialog fits the terminal: its fields scroll when the screen is short, while the error
line and the buttons (which name their keys) stay in view.
"""

from __future__ import annotations

from datetime import date
from typing import Any, ClassVar, Generic, TypeVar

from textual import events, on
from textual.app import ComposeResult
from textual.binding import Binding, BindingType
from textual.containers import Horizontal, Vertical, VerticalScroll
from textual.screen import ModalScreen
from textual.widgets import Button, Input, Label, Static

from tracker.rules import parse_date

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
