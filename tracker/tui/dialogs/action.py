"""The action screen's dialogs: a progress note, a piece of evidence, and what to do when
someone else changed the action first."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date
from typing import ClassVar

from textual import on
from textual.app import ComposeResult
from textual.binding import Binding, BindingType
from textual.containers import Horizontal, Vertical, VerticalScroll
from textual.widgets import Button, DataTable, Input, Label, Select, Static

from tracker.tui.dialogs.base import Dialog, FittedModal, parse_optional_date
from tracker.vocab import EvidenceKind


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
