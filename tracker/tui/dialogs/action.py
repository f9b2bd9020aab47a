"""The action screen's dialogs: a progress note, a piece of evidence, and what to do when
someone else changed the action first."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from datetime import date
from typing import ClassVar

from textual import on
from textual.app import ComposeResult
from textual.binding import Binding, BindingType
from textual.containers import Horizontal, Vertical, VerticalScroll
from textual.widgets import Button, DataTable, Input, Label, Select, Static, TextArea

from tracker.text import uk_day
from tracker.tui.dialogs.base import (
    FittedModal,
    SavingDialog,
    field_row,
    parse_optional_date,
)
from tracker.vocab import EvidenceKind

DATE_HINT = "31/03/2026 or 31 Mar 2026"


@dataclass(frozen=True)
class NewNote:
    """A progress note: its words and the day it tells of."""

    text: str
    on: date


class NoteDialog(SavingDialog[NewNote, int]):
    """Add a progress note, dated the day it tells of (today unless another is given: a note
    about last Tuesday's meeting says last Tuesday; the audit trail keeps when it was
    written). Saves through `save`; a refusal stays on the error line with the words kept."""

    TITLE_TEXT = "Add a progress note"
    OK_LABEL = "Add the note"
    FIELDS: ClassVar[dict[str, str]] = {"Note": "note", "Dated": "on"}

    def __init__(self, save: Callable[[NewNote], int], today: date) -> None:
        super().__init__(save)
        self.today = today

    def fields(self) -> ComposeResult:
        yield field_row(
            "Note",
            TextArea(id="note", compact=True, tab_behavior="focus", placeholder="What happened?"),
        )
        yield field_row("Dated", Input(uk_day(self.today), id="on", placeholder=DATE_HINT))
        yield Static(
            "The day the note tells of (today unless you change it); the history keeps when "
            "it was written.",
            classes="form-hint",
        )

    def form(self) -> NewNote:
        note = self.query_one("#note", TextArea).text.strip()
        if not note:
            raise ValueError("Note: write the note first")
        on = parse_optional_date(self.query_one("#on", Input).value, "Dated")
        if on is None:
            raise ValueError("Dated: give the day the note tells of")
        if on > self.today:
            raise ValueError(
                f"Dated: {uk_day(on)} has not happened yet (today is {uk_day(self.today)})"
            )
        return NewNote(note, on)


@dataclass(frozen=True)
class NewEvidence:
    """Evidence to attach: a file (fingerprinted) or a reference."""

    title: str
    file: str | None
    reference: str | None
    dated: date | None
    kind: EvidenceKind
    expires: date | None = None
    """When the evidence stops counting (a certificate, an annual audit), or None."""


class EvidenceDialog(SavingDialog[NewEvidence, int]):
    """Attach evidence of implementation: a file path or a reference to where it is kept,
    its date and when it expires. Saves through `save`; a refusal (a file that cannot be
    read, say) stays on the error line with everything typed kept."""

    TITLE_TEXT = "Add evidence"
    FIELDS: ClassVar[dict[str, str]] = {
        "title": "title",
        "file": "file",
        "date": "dated",
        "expires on": "expires",
    }

    def fields(self) -> ComposeResult:
        yield Label("Title")
        yield Input(id="title", placeholder="Case file audit, March 2026")
        yield Label("File (a path: it is fingerprinted) …")
        yield Input(id="file", placeholder="/path/to/audit.pdf")
        yield Label("… or reference (where it is kept)")
        yield Input(id="reference", placeholder="Board minutes 14 Sep 2026, item 5")
        yield Label("Date of the evidence (optional)")
        yield Input(id="dated", placeholder="31/03/2026 or 31 Mar 2026")
        yield Label("Expires on (optional: after it, the evidence no longer counts)")
        yield Input(id="expires", placeholder="31/03/2027 or 31 Mar 2027")
        yield Label("Kind")
        yield Select(
            [(k.value, k.value) for k in EvidenceKind],
            id="kind",
            value=EvidenceKind.DOCUMENT.value,
            allow_blank=False,
        )

    def form(self) -> NewEvidence:
        def value(id: str) -> str:
            return self.query_one(f"#{id}", Input).value.strip()

        title, file, reference = value("title"), value("file"), value("reference")
        if not title:
            raise ValueError("title: give the evidence a title")
        if bool(file) == bool(reference):
            raise ValueError("give either a file or a reference")
        return NewEvidence(
            title,
            file or None,
            reference or None,
            parse_optional_date(value("dated"), "date"),
            EvidenceKind(str(self.query_one("#kind", Select).value)),
            parse_optional_date(value("expires"), "expires on"),
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
