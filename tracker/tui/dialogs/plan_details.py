"""A plan's own details: editing them (area, inspection kind, publication and fieldwork
dates, title, board meetings) and starting a plan without a report. Both save themselves
(`SavingDialog`): a refusal stays on the error line with everything typed kept."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from datetime import date
from typing import ClassVar

from textual import on
from textual.app import ComposeResult
from textual.widgets import Input, Select, Static

from tracker.queries.plan import PlanDetail
from tracker.rules import check_rrule, submission_due
from tracker.services import PlanChanges
from tracker.text import clean, uk_day
from tracker.tui.dialogs.authoring import DATE_HINT
from tracker.tui.dialogs.base import SavingDialog, field_row, parse_optional_date
from tracker.vocab import InspectionKind

MEETINGS_HINT = "an RRULE: FREQ=MONTHLY;BYDAY=2TU is the second Tuesday of each month"


def due_text(published: date | None) -> str:
    """The submission due date a publication date gives, in words."""
    due = submission_due(published)
    if due is None:
        return "Submission due: unknown until the publication date is given"
    return f"Submission due: {uk_day(due)} (publication + 4 weeks)"


def _kinds(value: InspectionKind | None) -> Select[str]:
    return Select(
        [(k.value, k.value) for k in InspectionKind],
        id="kind",
        value=Select.NULL if value is None else value.value,
        prompt="choose the kind",
        compact=True,
    )


@dataclass(frozen=True)
class PlanEdit:
    """The plan's details as changed, and the plan's version the user saw."""

    changes: PlanChanges
    version: int | None


class PlanDetailsDialog(SavingDialog[PlanEdit, int]):
    """Edit the plan's own details. A new publication date asks first, naming the due date
    the four-week clock moves to. Saves through `save`, which returns the plan's version."""

    TITLE_TEXT = "The plan's details"
    OK_LABEL = "Save"
    WIDE = True
    FIELDS: ClassVar[dict[str, str]] = {
        "Area": "area",
        "Inspection": "kind",
        "Publication date": "published",
        "Fieldwork from": "fieldwork-start",
        "Fieldwork to": "fieldwork-end",
        "Title": "title",
        "Board meetings": "meetings",
        "First board meeting": "meetings-start",
    }

    def __init__(self, save: Callable[[PlanEdit], int], detail: PlanDetail) -> None:
        super().__init__(save, detail.version)
        self.detail = detail

    def fields(self) -> ComposeResult:
        d = self.detail
        yield field_row("Area", Input(clean(d.area), id="area", compact=True))
        yield field_row("Inspection", _kinds(d.kind))
        yield field_row(
            "Publication date",
            Input(uk_day(d.published), id="published", compact=True, placeholder=DATE_HINT),
        )
        yield Static(due_text(d.published), id="due", classes="form-hint")
        for label, id, day in (
            ("Fieldwork from", "fieldwork-start", d.fieldwork[0]),
            ("Fieldwork to", "fieldwork-end", d.fieldwork[1]),
        ):
            yield field_row(label, Input(uk_day(day), id=id, compact=True, placeholder=DATE_HINT))
        yield field_row(
            "Title", Input(clean(d.title or ""), id="title", compact=True, placeholder="optional")
        )
        yield field_row(
            "Board meetings",
            Input(clean(d.board_meetings or ""), id="meetings", compact=True, placeholder="none"),
        )
        yield Static(MEETINGS_HINT, classes="form-hint")
        yield field_row(
            "First board meeting",
            Input(
                uk_day(d.board_meetings_start),
                id="meetings-start",
                compact=True,
                placeholder=DATE_HINT,
            ),
        )

    @on(Input.Changed, "#published")
    def _published(self, event: Input.Changed) -> None:
        try:
            published = parse_optional_date(event.value, "Publication date")
        except ValueError:
            return
        self.query_one("#due", Static).update(due_text(published))

    def form(self) -> PlanEdit:
        d = self.detail

        def typed(id: str) -> str:
            return self.query_one(f"#{id}", Input).value.strip()

        kwargs: dict[str, object] = {}
        clear: set[str] = set()
        area = " ".join(typed("area").split())
        if not area:
            raise ValueError("Area: enter the area inspected")
        if area != " ".join(clean(d.area).split()):
            kwargs["area"] = area
        kind = self.query_one("#kind", Select).value
        if kind is Select.NULL:
            raise ValueError("Inspection: choose the kind of inspection")
        if InspectionKind(str(kind)) is not d.kind:
            kwargs["kind"] = InspectionKind(str(kind))
        days = {
            "published": ("published", "Publication date", d.published),
            "fieldwork_start": ("fieldwork-start", "Fieldwork from", d.fieldwork[0]),
            "fieldwork_end": ("fieldwork-end", "Fieldwork to", d.fieldwork[1]),
            "board_meetings_start": (
                "meetings-start",
                "First board meeting",
                d.board_meetings_start,
            ),
        }
        after: dict[str, date | None] = {}
        for name, (id, label, now) in days.items():
            day = parse_optional_date(typed(id), label)
            after[name] = day
            if day is None and now is not None:
                clear.add(name)
            elif day is not None and day != now:
                kwargs[name] = day
        start, end = after["fieldwork_start"], after["fieldwork_end"]
        if start is not None and end is not None and end < start:
            raise ValueError(
                f"Fieldwork to: {uk_day(end)} is before the fieldwork starts ({uk_day(start)})"
            )
        for name, id, now_text in (
            ("title", "title", d.title),
            ("board_meetings", "meetings", d.board_meetings),
        ):
            value = typed(id)
            if not value and now_text:
                clear.add(name)
            elif value and value != clean(now_text or "").strip():
                kwargs[name] = value
        meetings = typed("meetings")
        if meetings:
            try:
                check_rrule(meetings)
            except ValueError as exc:
                raise ValueError(f"Board meetings: {exc}") from None
            if after["board_meetings_start"] is None:
                raise ValueError("First board meeting: give the date the pattern counts from")
        changes = PlanChanges(clear=frozenset(clear), **kwargs)  # type: ignore[arg-type]
        if changes == PlanChanges():
            raise ValueError("Nothing changed: edit a field, or esc to leave it as it is")
        return PlanEdit(changes, self.version)

    def ask_first(self, value: PlanEdit) -> str | None:
        """A new (or no) publication date moves the four-week clock: say to which due date."""
        changes, was = value.changes, submission_due(self.detail.published)
        before = f"it was due on {uk_day(was)}" if was else "it had no due date"
        if "published" in changes.clear:
            return f"Clear the publication date? The plan then has no due date ({before})."
        if changes.published is None:
            return None
        return (
            f"Change the publication date to {uk_day(changes.published)}? The four-week clock "
            f"moves: the plan is due with HMIP on {uk_day(submission_due(changes.published))} "
            f"({before})."
        )


@dataclass(frozen=True)
class NewPlan:
    """A plan to start without a report: the area, the kind of inspection, the publication
    date (if known) and the plan's id (None: from the area and year)."""

    area: str
    kind: InspectionKind
    published: date | None
    plan_id: str | None


class NewPlanDialog(SavingDialog[NewPlan, str]):
    """Start an empty draft plan without a report to import. Saves through `save`, which
    returns the new plan's id."""

    TITLE_TEXT = "Start a plan (without a report to import)"
    OK_LABEL = "Start the plan"
    WIDE = True
    FIELDS: ClassVar[dict[str, str]] = {
        "Area": "area",
        "Inspection": "kind",
        "Publication date": "published",
        "Plan id": "plan-id",
    }

    def fields(self) -> ComposeResult:
        yield field_row("Area", Input(id="area", compact=True, placeholder="the area inspected"))
        yield field_row("Inspection", _kinds(None))
        yield field_row(
            "Publication date", Input(id="published", compact=True, placeholder=DATE_HINT)
        )
        yield Static(due_text(None), id="due", classes="form-hint")
        yield field_row(
            "Plan id",
            Input(id="plan-id", compact=True, placeholder="empty: from the area and year"),
        )

    @on(Input.Changed, "#published")
    def _published(self, event: Input.Changed) -> None:
        try:
            published = parse_optional_date(event.value, "Publication date")
        except ValueError:
            return
        self.query_one("#due", Static).update(due_text(published))

    def form(self) -> NewPlan:
        area = " ".join(self.query_one("#area", Input).value.split())
        if not area:
            raise ValueError("Area: enter the area inspected")
        kind = self.query_one("#kind", Select).value
        if kind is Select.NULL:
            raise ValueError("Inspection: choose the kind of inspection")
        published = parse_optional_date(
            self.query_one("#published", Input).value, "Publication date"
        )
        plan_id = self.query_one("#plan-id", Input).value.strip() or None
        return NewPlan(area, InspectionKind(str(kind)), published, plan_id)
