"""The plan screen's dialogs: which actions to show, a bulk edit, and a lifecycle step."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date

from textual.app import ComposeResult
from textual.widgets import Button, Input, Label, Select, Static

from tracker.rules import steps_a_manager_records
from tracker.services import ActionChanges
from tracker.text import uk_day
from tracker.tui.dialogs.base import Dialog, parse_optional_date
from tracker.vocab import ActionStatus, Brag, PlanStatus


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
        yield Input(id="target", placeholder="31/03/2026 or 31 Mar 2026")

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

CLOSING_NOTE = (
    "Closing the plan is the YJB's sign-off, not a manager's step: the YJB's link officer "
    "records it when they sign the plan off in the tracker's review mode."
)


class LifecycleDialog(Dialog[Step]):
    """Record the plan's next lifecycle step and its date; say when the next step is not the
    manager's to record (closing is the YJB's sign-off)."""

    TITLE_TEXT = "Record a lifecycle step"

    def __init__(self, current: PlanStatus, today: date) -> None:
        super().__init__()
        self.current = current
        self.choices = steps_a_manager_records(current)
        self.today = today

    def fields(self) -> ComposeResult:
        if not self.choices:
            if self.current is PlanStatus.CLOSED:
                text = "The plan is closed: the YJB has signed it off. There is no later step."
            else:
                text = (
                    f"The plan is {self.current.value}: every step a manager records is done. "
                    + CLOSING_NOTE
                )
            yield Static(text, id="step-note")
            return
        yield Label("Step")
        yield Select(
            [(STEP_LABELS[s], s.value) for s in self.choices],
            id="step",
            value=self.choices[0].value,
            allow_blank=False,
        )
        yield Label("On (e.g. 31/03/2026 or 31 Mar 2026)")
        yield Input(uk_day(self.today), id="on")
        yield Static(CLOSING_NOTE, id="step-note", classes="dialog-note")

    def on_mount(self) -> None:
        super().on_mount()
        if not self.choices:
            self.query_one("#ok", Button).display = False

    def result(self) -> Step:
        if not self.choices:
            raise ValueError(CLOSING_NOTE)
        step = self.query_one("#step", Select).value
        on = parse_optional_date(self.query_one("#on", Input).value, "date")
        if on is None:
            raise ValueError("give the date of the step")
        return Step(PlanStatus(str(step)), on)
