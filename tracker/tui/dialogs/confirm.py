"""A yes/no question (discarding unsaved edits, submitting a plan that is not ready)."""

from __future__ import annotations

from typing import ClassVar

from textual import on
from textual.app import ComposeResult
from textual.binding import Binding, BindingType
from textual.containers import Horizontal, Vertical, VerticalScroll
from textual.widgets import Button, Label, Static

from tracker.tui.dialogs.base import FittedModal


class ConfirmDialog(FittedModal[bool]):
    """A yes/no question; `detail`, when given, shows under it (scrolling in a short
    terminal), and `yes` names what yes does."""

    BINDINGS: ClassVar[list[BindingType]] = [
        Binding("y", "answer(True)", "Yes", id="confirm.yes"),
        Binding("n,escape", "answer(False)", "No", id="confirm.no"),
    ]

    def __init__(self, question: str, detail: str = "", yes: str = "Yes") -> None:
        super().__init__()
        self.question = question
        self.detail = detail
        self.yes = yes

    def compose(self) -> ComposeResult:
        with Vertical(classes="dialog wide" if self.detail else "dialog"):
            yield Label(self.question, classes="dialog-title", markup=False)
            if self.detail:
                with VerticalScroll(classes="dialog-body", can_focus=False):
                    yield Static(self.detail, id="confirm-detail", markup=False)
            with Horizontal(classes="dialog-buttons"):
                yield Button(f"{self.yes} (y)", variant="error", id="yes")
                yield Button("No (n, esc)", variant="primary", id="no")

    def action_answer(self, answer: bool) -> None:
        """Return the answer."""
        self.dismiss(answer)

    @on(Button.Pressed)
    def _pressed(self, event: Button.Pressed) -> None:
        self.dismiss(event.button.id == "yes")
