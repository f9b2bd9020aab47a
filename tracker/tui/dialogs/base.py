"""What every dialog shares: a typed ModalScreen that returns its result with dismiss(value).

Every dialog fits the terminal: its fields scroll when the screen is short, while the error
line and the buttons (which name their keys) stay in view.
"""

from __future__ import annotations

from collections.abc import Callable
from datetime import date
from typing import Any, ClassVar, Generic, TypeVar

from textual import events, on
from textual.app import ComposeResult
from textual.binding import Binding, BindingType
from textual.containers import Horizontal, Vertical, VerticalScroll
from textual.message import Message
from textual.screen import ModalScreen
from textual.widget import Widget
from textual.widgets import Button, Input, Label, Static
from textual.worker import Worker, WorkerState

from tracker.errors import ConflictError, ServiceError, StoreError
from tracker.rules import parse_date

T = TypeVar("T")
V = TypeVar("V")

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


class WriteAhead(Message):
    """A write may follow: a dialog or a form opened. The app opens the store now (in a
    thread, `TrackerApp.warm_store`), while the user types, so that the save need not wait."""


class FittedModal(ModalScreen[T], Generic[T]):
    """A modal whose `.dialog-body` scrolls within the terminal's height."""

    def on_mount(self) -> None:
        self.post_message(WriteAhead())
        self._fit()
        # A title that wraps onto more lines (measured once laid out) leaves the body less.
        self.call_after_refresh(self._fit)

    def on_resize(self, event: events.Resize) -> None:
        self._fit()

    def _fit(self) -> None:
        titles = self.query(".dialog-title")
        extra = sum(max(0, t.size.height - 1) for t in titles)
        for body in self.query(".dialog-body"):
            body.styles.max_height = max(3, self.app.size.height - CHROME_ROWS - extra)

    def on_descendant_focus(self, event: events.DescendantFocus) -> None:
        # Focusing a field scrolls it into view, and in a short terminal that scrolled the
        # first field's label off the top (80x24: "Status" gone above its select). The first
        # field shows with the top of the form, where the top and the field both fit.
        for body in self.query(".dialog-body"):
            first = next((w for w in body.query("*") if w.focusable), None)
            if first is not None and (event.widget is first or first in event.widget.ancestors):
                body.call_after_refresh(self._top_if_it_shows, body, first)

    @staticmethod
    def _top_if_it_shows(body: Widget, first: Widget) -> None:
        if first.virtual_region.bottom <= body.scrollable_content_region.height:
            body.scroll_home(animate=False)


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
        """Show a problem on the error line (without a command line a service's message
        names: the screen's user acts here)."""
        from tracker.tui.screens.base import screen_words

        self.query_one("#dialog-error", Static).update(screen_words(message))

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


class SavingDialog(Dialog[T], Generic[V, T]):
    """A form that saves what it holds before it closes. ctrl+s checks the fields (`form()`;
    a ValueError naming a field, `Field: problem`, marks that field), asks first if
    `ask_first` has a question, then runs `save` with the form's value in a thread worker
    (never on the event loop). The dialog closes with what `save` returned, or stays open
    with the refusal on its error line and everything typed kept.

    Someone else's change in the meantime (`ConflictError`) is said, and ctrl+s again saves
    on top of it (`version` is then the version now stored: nothing is overwritten
    silently); a change the service wants confirmed first (`NeedsConfirmation`) is asked,
    and saved again with `confirmed` set. A subclass builds its value from `version` and
    `confirmed` where its service takes them."""

    SUBMIT_ON_ENTER = False
    FIELDS: ClassVar[dict[str, str]] = {}
    """Each field's label, as the error messages name it, to its widget's id."""

    def __init__(self, save: Callable[[V], T], version: int | None = None) -> None:
        super().__init__()
        self.save = save
        self.version = version
        self.confirmed = False
        self.saving = False
        self.asked: str | None = None

    def form(self) -> V:
        """The form's value, checked: ValueError (`Field: problem`) keeps the dialog open."""
        raise NotImplementedError

    def ask_first(self, value: V) -> str | None:
        """A question to confirm before saving `value` (asked once per question), or None."""
        return None

    def mark(self, message: str | None) -> None:
        """Mark the field a message names (`Field: problem`), and no other."""
        for widget in self.query(".-invalid"):
            widget.remove_class("-invalid")
        if not message:
            return
        field_id = self.FIELDS.get(message.split(":")[0].strip())
        if field_id is not None:
            for widget in self.query(f"#{field_id}"):
                widget.add_class("-invalid")

    def action_submit(self) -> None:
        """Check the fields, ask if there is a question, then save in a thread."""
        if self.saving:
            return
        try:
            value = self.form()
        except ValueError as exc:
            self.say(str(exc))
            self.mark(str(exc))
            return
        self.mark(None)
        question = self.ask_first(value)
        if question is not None and question != self.asked:
            from tracker.tui.dialogs.confirm import ConfirmDialog

            def answer(yes: bool | None) -> None:
                if yes:
                    self.asked = question
                    self.action_submit()
                else:
                    self.say("Not saved: change the form, or Escape to leave it")

            self.app.push_screen(ConfirmDialog(question), answer)
            return
        self._save(value)

    def _save(self, value: V) -> None:
        self.saving = True
        self.say("Saving…")
        save, app = self.save, self.app

        def job() -> None:
            try:
                result = save(value)
            except (ServiceError, StoreError, ValueError) as exc:
                app.call_from_thread(self._refused, exc)
                return
            app.call_from_thread(self._saved, result)

        self.run_worker(job, thread=True, group="save", exclusive=True, exit_on_error=False)

    def _saved(self, result: T) -> None:
        self.saving = False
        self.dismiss(result)

    def _refused(self, exc: Exception) -> None:
        from tracker.services import NeedsConfirmation

        self.saving = False
        if isinstance(exc, NeedsConfirmation) and not self.confirmed:
            from tracker.tui.dialogs.confirm import ConfirmDialog

            self.say("")

            def answer(yes: bool | None) -> None:
                if yes:
                    self.confirmed = True
                    self.action_submit()
                else:
                    self.say("Not saved: change the form, or Escape to leave it")

            self.app.push_screen(ConfirmDialog(str(exc)), answer)
            return
        if isinstance(exc, ConflictError):
            self.version = exc.current_version
            again = key_label(self, "submit", "ctrl+s")
            self.say(f"{exc} {again} again saves yours on top of theirs; esc leaves it.")
            return
        self.say(str(exc))
        self.mark(str(exc))

    def on_worker_state_changed(self, event: Worker.StateChanged) -> None:
        """An unexpected error while saving is said on the error line, not raised."""
        if event.state is WorkerState.ERROR and event.worker.error is not None:
            self.saving = False
            self.say(f"Something went wrong: {event.worker.error}")


def field_row(label: str, field: Widget) -> Horizontal:
    """A form's line: the field's label (as its error messages name it), then the field."""
    return Horizontal(Label(label), field, classes="form-row")
