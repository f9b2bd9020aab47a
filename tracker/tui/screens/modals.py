"""Small dialogs: each a typed ModalScreen that returns its result with dismiss(value)."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date
from typing import ClassVar, Generic, TypeVar

from textual import on
from textual.app import ComposeResult
from textual.binding import Binding, BindingType
from textual.containers import Horizontal, Vertical, VerticalScroll
from textual.screen import ModalScreen
from textual.widgets import Button, Checkbox, DataTable, Input, Label, Select, Static

from tracker.rules import parse_date
from tracker.services import ActionChanges
from tracker.vocab import ActionStatus, Brag, EvidenceKind, PlanStatus, ReviewState

T = TypeVar("T")


def parse_optional_date(text: str, what: str) -> date | None:
    """A typed date, or None for an empty field; ValueError naming the field."""
    if not text.strip():
        return None
    try:
        return parse_date(text)
    except ValueError as exc:
        raise ValueError(f"{what}: {exc}") from None


class Dialog(ModalScreen[T], Generic[T]):
    """A modal form: Escape cancels (None), ctrl+s or the OK button submits."""

    BINDINGS: ClassVar[list[BindingType]] = [
        Binding("escape", "cancel", "Cancel", id="dialog.cancel"),
        Binding("ctrl+s", "submit", "OK", id="dialog.submit"),
    ]
    TITLE_TEXT = ""

    def compose(self) -> ComposeResult:
        with Vertical(classes="dialog"):
            yield Label(self.TITLE_TEXT, classes="dialog-title")
            yield from self.fields()
            yield Static("", id="dialog-error", classes="dialog-error")
            with Horizontal(classes="dialog-buttons"):
                yield Button("OK", variant="primary", id="ok")
                yield Button("Cancel", id="cancel")

    def fields(self) -> ComposeResult:
        """The dialog's own inputs."""
        yield from ()

    def result(self) -> T:
        """The value to return; raise ValueError to keep the dialog open with a message."""
        raise NotImplementedError

    def action_cancel(self) -> None:
        """Close without a result."""
        self.dismiss(None)

    def action_submit(self) -> None:
        """Check the fields and return the result, or say what is wrong."""
        try:
            value = self.result()
        except ValueError as exc:
            self.query_one("#dialog-error", Static).update(str(exc))
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
        self.action_submit()


def _select(kind: type[Brag] | type[ActionStatus], id: str, prompt: str) -> Select[str]:
    return Select([(m.value, m.value) for m in kind], prompt=prompt, id=id)


@dataclass(frozen=True)
class Filters:
    """What the plan screen shows: None means any."""

    owner: str | None = None
    status: ActionStatus | None = None
    brag: Brag | None = None

    def describe(self) -> str:
        """The filters in words, for the screen's status line."""
        parts = [
            f"owner {self.owner}" if self.owner else "",
            f"status {self.status.value}" if self.status else "",
            f"colour {self.brag.value}" if self.brag else "",
        ]
        return ", ".join(p for p in parts if p)


class FilterDialog(Dialog[Filters]):
    """Choose which actions the plan screen shows, by owner role, status and colour."""

    TITLE_TEXT = "Show only actions with…"

    def __init__(self, owners: list[str], current: Filters) -> None:
        super().__init__()
        self.owners = owners
        self.current = current

    def fields(self) -> ComposeResult:
        yield Label("Owner role")
        yield Select(
            [(o, o) for o in self.owners],
            prompt="any owner",
            id="owner",
            value=self.current.owner or Select.NULL,
        )
        yield Label("Status")
        status = _select(ActionStatus, "status", "any status")
        if self.current.status:
            status.value = self.current.status.value
        yield status
        yield Label("Colour")
        colour = _select(Brag, "brag", "any colour")
        if self.current.brag:
            colour.value = self.current.brag.value
        yield colour

    def result(self) -> Filters:
        def chosen(id: str) -> str | None:
            value = self.query_one(f"#{id}", Select).value
            return None if value is Select.NULL else str(value)

        status, colour = chosen("status"), chosen("brag")
        return Filters(
            owner=chosen("owner"),
            status=ActionStatus(status) if status else None,
            brag=Brag(colour) if colour else None,
        )


class BulkEditDialog(Dialog[ActionChanges]):
    """Change status, lead or target date of several actions at once."""

    def __init__(self, count: int) -> None:
        super().__init__()
        self.count = count
        self.TITLE_TEXT = f"Change {count} selected action{'s' if count != 1 else ''}"

    def fields(self) -> ComposeResult:
        yield Label("Status (leave blank to keep)")
        yield _select(ActionStatus, "status", "keep status")
        yield Label("Lead (leave blank to keep)")
        yield Input(id="lead", placeholder="named lead")
        yield Label("Target date (leave blank to keep)")
        yield Input(id="target", placeholder="31/03/2026")

    def result(self) -> ActionChanges:
        status = self.query_one("#status", Select).value
        lead = self.query_one("#lead", Input).value.strip()
        target = parse_optional_date(self.query_one("#target", Input).value, "target date")
        changes = ActionChanges(
            status=None if status is Select.NULL else ActionStatus(str(status)),
            lead=lead or None,
            target_on=target,
        )
        if changes == ActionChanges():
            raise ValueError("choose a status, a lead or a target date to change")
        return changes


@dataclass(frozen=True)
class Step:
    """A lifecycle step and its date."""

    step: PlanStatus
    on: date


STEP_LABELS = {
    PlanStatus.SUBMITTED: "submitted to HMIP",
    PlanStatus.AGREED: "agreed by HMIP",
    PlanStatus.MONITORING: "forwarded to the YJB (monitoring)",
    PlanStatus.CLOSED: "closed (signed off by the YJB)",
}


class LifecycleDialog(Dialog[Step]):
    """Record the plan's next lifecycle step and its date."""

    TITLE_TEXT = "Record a lifecycle step"

    def __init__(self, current: PlanStatus, today: date) -> None:
        super().__init__()
        order = list(PlanStatus)
        # Closing is the YJB's sign-off, made in review mode, not a step the service records.
        self.choices = [s for s in order[order.index(current) + 1 :] if s is not PlanStatus.CLOSED]
        self.today = today

    def fields(self) -> ComposeResult:
        yield Label("Step")
        yield Select(
            [(STEP_LABELS[s], s.value) for s in self.choices],
            id="step",
            value=self.choices[0].value if self.choices else Select.NULL,
            allow_blank=not self.choices,
        )
        yield Label("On")
        yield Input(self.today.isoformat(), id="on")

    def result(self) -> Step:
        step = self.query_one("#step", Select).value
        if step is Select.NULL:
            raise ValueError("no later step: closing the plan is the YJB's sign-off")
        on = parse_optional_date(self.query_one("#on", Input).value, "date")
        if on is None:
            raise ValueError("give the date of the step")
        return Step(PlanStatus(str(step)), on)


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

    def fields(self) -> ComposeResult:
        yield Label("Title")
        yield Input(id="title", placeholder="Case file audit, March 2026")
        yield Label("File (a path: it is fingerprinted) …")
        yield Input(id="file", placeholder="/path/to/audit.pdf")
        yield Label("… or reference (where it is kept)")
        yield Input(id="reference", placeholder="Board minutes 14 Sep 2026, item 5")
        yield Label("Date of the evidence")
        yield Input(id="dated", placeholder="optional")
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


class ConflictDialog(ModalScreen[str]):
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
            yield Static(self.message, classes="dialog-message")
            table: DataTable[str] = DataTable(id="conflict-table", cursor_type="none")
            table.add_columns("Field", "Yours", "Now saved")
            for row in self.rows:
                table.add_row(*row)
            yield table
            with Horizontal(classes="dialog-buttons"):
                yield Button("Keep mine (k)", variant="warning", id="mine")
                yield Button("Take theirs (t)", variant="primary", id="theirs")

    def action_choose(self, choice: str) -> None:
        """Return `mine` or `theirs`."""
        self.dismiss(choice)

    @on(Button.Pressed)
    def _pressed(self, event: Button.Pressed) -> None:
        self.dismiss(event.button.id or "theirs")


class ConfirmDialog(ModalScreen[bool]):
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
            yield Label(self.question, classes="dialog-title")
            with Horizontal(classes="dialog-buttons"):
                yield Button("Yes (y)", variant="error", id="yes")
                yield Button("No (n)", variant="primary", id="no")

    def action_answer(self, answer: bool) -> None:
        """Return the answer."""
        self.dismiss(answer)

    @on(Button.Pressed)
    def _pressed(self, event: Button.Pressed) -> None:
        self.dismiss(event.button.id == "yes")


EXPORT_FORMATS = [
    ("Board report, Word (docx)", "docx"),
    ("Board report, web page (html)", "html"),
    ("Board report, Markdown (md)", "md"),
    ("Spreadsheet (xlsx)", "xlsx"),
    ("Spreadsheet, plain (csv)", "csv"),
    ("Calendar of target dates (ics)", "ics"),
    ("Plan file for the YJB (toml, whole plan)", "toml"),
]
BOARD_FORMATS = ("docx", "html", "md")


@dataclass(frozen=True)
class ExportRequest:
    """Where and how to export: the format, the file, and whether a board report is recorded
    as issued (the next one lists what changed since)."""

    fmt: str
    path: str
    record: bool


class ExportDialog(Dialog[ExportRequest]):
    """Export the plan (as filtered on screen) to a file."""

    def __init__(self, what: str, default_stem: str, can_record: bool) -> None:
        super().__init__()
        self.TITLE_TEXT = f"Export {what}"
        self.default_stem = default_stem
        self.can_record = can_record

    def fields(self) -> ComposeResult:
        yield Label("Format")
        yield Select(EXPORT_FORMATS, id="format", value="docx", allow_blank=False)
        yield Label("File")
        yield Input(f"{self.default_stem}.docx", id="path")
        yield Checkbox(
            "Record as the board report issued today",
            value=self.can_record,
            id="record",
            disabled=not self.can_record,
        )

    @on(Select.Changed, "#format")
    def _format_changed(self, event: Select.Changed) -> None:
        path = self.query_one("#path", Input)
        stem, dot, _ = path.value.rpartition(".")
        path.value = f"{stem if dot else path.value}.{event.value}"
        self.query_one("#record", Checkbox).disabled = (
            not self.can_record or str(event.value) not in BOARD_FORMATS
        )

    def result(self) -> ExportRequest:
        fmt = str(self.query_one("#format", Select).value)
        path = self.query_one("#path", Input).value.strip()
        if not path:
            raise ValueError("give the file to write")
        record = self.can_record and fmt in BOARD_FORMATS
        return ExportRequest(fmt, path, record and self.query_one("#record", Checkbox).value)


@dataclass(frozen=True)
class ImportRequest:
    """A report to read and the plan id to give it (None: the area and year)."""

    path: str
    plan_id: str | None


class ImportDialog(Dialog[ImportRequest]):
    """Choose an inspection report to read into a draft plan."""

    TITLE_TEXT = "Import an inspection report (.txt, .md, .pdf, .docx)"

    def fields(self) -> ComposeResult:
        yield Label("Report file")
        yield Input(id="path", placeholder="/path/to/report.pdf")
        yield Label("Plan id (optional: the area and year)")
        yield Input(id="plan-id", placeholder="e.g. stockton-2026")

    def result(self) -> ImportRequest:
        path = self.query_one("#path", Input).value.strip()
        if not path:
            raise ValueError("give the report's file")
        return ImportRequest(path, self.query_one("#plan-id", Input).value.strip() or None)


class ImportPreview(ModalScreen[bool]):
    """What the importer found, for the user to check before the draft plan is made."""

    BINDINGS: ClassVar[list[BindingType]] = [
        Binding("ctrl+s", "answer(True)", "Import", id="import.confirm"),
        Binding("escape", "answer(False)", "Cancel", id="import.cancel"),
    ]

    def __init__(self, title: str, body: str) -> None:
        super().__init__()
        self.title_text = title
        self.body = body

    def compose(self) -> ComposeResult:
        with Vertical(classes="dialog wide"):
            yield Label(self.title_text, classes="dialog-title")
            with VerticalScroll(id="import-preview"):
                yield Static(self.body, markup=False)
            with Horizontal(classes="dialog-buttons"):
                yield Button("Make the draft plan (ctrl+s)", variant="primary", id="yes")
                yield Button("Cancel (esc)", id="no")

    def action_answer(self, answer: bool) -> None:
        """Return the answer."""
        self.dismiss(answer)

    @on(Button.Pressed)
    def _pressed(self, event: Button.Pressed) -> None:
        self.dismiss(event.button.id == "yes")


@dataclass(frozen=True)
class Review:
    """A reviewer's decision on a piece of evidence."""

    decision: ReviewState
    comment: str | None


class ReviewDialog(Dialog[Review]):
    """Accept or query a piece of evidence, with a comment (a query needs one)."""

    def __init__(self, title: str) -> None:
        super().__init__()
        self.TITLE_TEXT = f"Review: {title}"

    def fields(self) -> ComposeResult:
        yield Label("Decision")
        yield Select(
            [("accept", ReviewState.ACCEPTED.value), ("query", ReviewState.QUERIED.value)],
            id="decision",
            value=ReviewState.ACCEPTED.value,
            allow_blank=False,
        )
        yield Label("Comment (needed for a query)")
        yield Input(id="comment", placeholder="What the evidence shows, or what is missing")

    def result(self) -> Review:
        decision = ReviewState(str(self.query_one("#decision", Select).value))
        comment = self.query_one("#comment", Input).value.strip() or None
        if decision is ReviewState.QUERIED and comment is None:
            raise ValueError("say what is queried: add a comment")
        return Review(decision, comment)


@dataclass(frozen=True)
class SignOff:
    """What a reviewer signs off: a recommendation (its ref) or the whole plan (None)."""

    recommendation: str | None


class SignOffDialog(Dialog[SignOff]):
    """Sign off a recommendation as implemented, or the plan as closed."""

    TITLE_TEXT = "Sign off (recorded with your name and the state today)"
    WHOLE_PLAN = "whole-plan"

    def __init__(self, refs: list[str], current: str | None) -> None:
        super().__init__()
        self.refs = refs
        self.current = current

    def fields(self) -> ComposeResult:
        options = [(f"Recommendation {r} as implemented", r) for r in self.refs]
        options.append(("The whole plan as closed", self.WHOLE_PLAN))
        yield Select(
            options,
            id="what",
            value=self.current if self.current in self.refs else self.WHOLE_PLAN,
            allow_blank=False,
        )

    def result(self) -> SignOff:
        value = str(self.query_one("#what", Select).value)
        return SignOff(None if value == self.WHOLE_PLAN else value)
