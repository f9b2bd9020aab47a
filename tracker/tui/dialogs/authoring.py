"""Writing the plan: the dialogs that add an action or a recommendation, edit a
recommendation, and withdraw either. Each saves itself (`SavingDialog`): a refusal stays on
its error line with everything typed kept."""

from __future__ import annotations

from collections.abc import Callable, Sequence
from dataclasses import dataclass
from typing import ClassVar

from textual.app import ComposeResult
from textual.suggester import Suggester
from textual.widgets import Input, Label, Select, Static, TextArea

from tracker.queries.plan import RecommendationRow
from tracker.services import NewAction, RecommendationChanges
from tracker.text import clean, one_line, uk_day
from tracker.tui.dialogs.base import SavingDialog, field_row, parse_optional_date
from tracker.tui.dialogs.importing import owners_from, owners_text
from tracker.vocab import ActionStatus, Response

DATE_HINT = "31/03/2026 or 31 Mar 2026"
"""The date forms every date field reads (`tracker.rules.parse_date`): ISO, day first."""

NEEDS_REASON = (Response.PARTLY_AGREED, Response.NOT_AGREED)


class RoleSuggester(Suggester):
    """Suggests a known role's name for the role being typed: the whole field, or the part
    after the last `;` in a list of roles. A name no role has yet is allowed (the service
    makes it a new role)."""

    def __init__(self, roles: Sequence[str]) -> None:
        super().__init__(use_cache=False, case_sensitive=True)
        self.roles = list(roles)

    async def get_suggestion(self, value: str) -> str | None:
        typed = value.rpartition(";")[2].lstrip()
        if not typed:
            return None
        folded = typed.casefold()
        for role in self.roles:
            if len(role) > len(typed) and role.casefold().startswith(folded):
                return value[: len(value) - len(typed)] + role
        return None


def _area(id: str, text: str = "", placeholder: str = "") -> TextArea:
    return TextArea(text, id=id, compact=True, tab_behavior="focus", placeholder=placeholder)


# Actions ----------------------------------------------------------------------------------------


class AddActionDialog(SavingDialog[NewAction, str]):
    """Add an action under a recommendation: its words, lead role (a known role is suggested;
    a new name makes a new role), named lead, start and target dates, success measure and
    status. Saves through `save`, which returns the new action's id."""

    OK_LABEL = "Add the action"
    WIDE = True
    FIELDS: ClassVar[dict[str, str]] = {
        "Action": "text",
        "Lead role": "lead-role",
        "Named lead": "lead",
        "Start date": "start",
        "Target date": "target",
        "Success measure": "measure",
        "Status": "status",
    }

    def __init__(
        self,
        save: Callable[[NewAction], str],
        rec_ref: str,
        rec_text: str,
        roles: Sequence[str],
    ) -> None:
        super().__init__(save)
        self.TITLE_TEXT = f"Add an action to recommendation {one_line(rec_ref, 20)}"
        self.rec_text = rec_text
        self.roles = roles

    def fields(self) -> ComposeResult:
        yield Static(one_line(self.rec_text, 160), classes="dialog-context", markup=False)
        yield field_row("Action", _area("text", placeholder="What will be done"))
        yield field_row(
            "Lead role",
            Input(
                id="lead-role",
                compact=True,
                placeholder="the role leading it (→ takes a suggestion)",
                suggester=RoleSuggester(self.roles),
            ),
        )
        yield field_row("Named lead", Input(id="lead", compact=True, placeholder="the person"))
        yield field_row("Start date", Input(id="start", compact=True, placeholder=DATE_HINT))
        yield field_row("Target date", Input(id="target", compact=True, placeholder=DATE_HINT))
        yield field_row(
            "Success measure", _area("measure", placeholder="How the board will know it worked")
        )
        yield field_row(
            "Status",
            Select(
                [(s.value, s.value) for s in ActionStatus if s is not ActionStatus.COMPLETE],
                id="status",
                value=ActionStatus.NOT_STARTED.value,
                allow_blank=False,
                compact=True,
            ),
        )

    def form(self) -> NewAction:
        def typed(id: str) -> str:
            return self.query_one(f"#{id}", Input).value.strip()

        text = self.query_one("#text", TextArea).text.strip()
        if not text:
            raise ValueError("Action: write what will be done")
        start = parse_optional_date(typed("start"), "Start date")
        target = parse_optional_date(typed("target"), "Target date")
        if start is not None and target is not None and target < start:
            raise ValueError(
                f"Target date: {uk_day(target)} is before the start date ({uk_day(start)})"
            )
        measure = self.query_one("#measure", TextArea).text.strip()
        return NewAction(
            text=text,
            lead_role=" ".join(typed("lead-role").split()) or None,
            lead=typed("lead") or None,
            start_on=start,
            target_on=target,
            success_measure=measure or None,
            status=ActionStatus(str(self.query_one("#status", Select).value)),
        )


# Recommendations --------------------------------------------------------------------------------


@dataclass(frozen=True)
class RecommendationForm:
    """A recommendation as the dialog holds it. For an edit, `changes` is what differs from
    the stored one, `version` the version it was read at (or is now, after a conflict the
    user chose to save over), `confirmed` whether the user confirmed a change that needs it."""

    text: str
    owners: list[str]
    response: Response | None
    reason: str | None
    changes: RecommendationChanges | None = None
    version: int | None = None
    confirmed: bool = False


def recommendation_changes(
    current: RecommendationRow, form: RecommendationForm
) -> RecommendationChanges:
    """What the form changes of `current` (ValueError if nothing)."""
    kwargs: dict[str, object] = {}
    clear: set[str] = set()
    if form.text != clean(current.text).strip():
        kwargs["text"] = form.text
    if form.owners != owners_from(owners_text([clean(o) for o in current.owners])):
        kwargs["owners"] = form.owners
    now = None if current.response is None else Response(current.response)
    if form.response != now:
        if form.response is None:
            clear.add("response")
        else:
            kwargs["response"] = form.response
    if (
        form.response in NEEDS_REASON
        and (form.reason or "") != clean(current.response_reason or "").strip()
    ):
        kwargs["response_reason"] = form.reason or ""
    changes = RecommendationChanges(clear=frozenset(clear), **kwargs)  # type: ignore[arg-type]
    if changes == RecommendationChanges():
        raise ValueError("Nothing changed: edit a field, or esc to leave it as it is")
    return changes


class RecommendationDialog(SavingDialog[RecommendationForm, str]):
    """Add a recommendation, or edit one (`current`): its words, owner roles (`A; B`, known
    roles suggested), and the service's response, with the reason a response of partly or
    not agreed needs. Saves through `save`, which returns what to say."""

    WIDE = True
    FIELDS: ClassVar[dict[str, str]] = {
        "Recommendation": "text",
        "Owner roles": "owners",
        "Response": "response",
        "Reason": "reason",
    }

    def __init__(
        self,
        save: Callable[[RecommendationForm], str],
        roles: Sequence[str],
        current: RecommendationRow | None = None,
    ) -> None:
        super().__init__(save, None if current is None else current.version)
        self.roles = roles
        self.current = current
        if current is None:
            self.TITLE_TEXT = "Add a recommendation"
            self.OK_LABEL = "Add the recommendation"
        else:
            self.TITLE_TEXT = f"Edit recommendation {one_line(current.ref, 20)}"
            self.OK_LABEL = "Save"

    def fields(self) -> ComposeResult:
        rec = self.current
        response = Select.NULL if rec is None or rec.response is None else rec.response
        yield field_row(
            "Recommendation",
            _area(
                "text",
                "" if rec is None else clean(rec.text),
                placeholder="The recommendation, in the report's words",
            ),
        )
        yield field_row(
            "Owner roles",
            Input(
                "" if rec is None else owners_text([clean(o) for o in rec.owners]),
                id="owners",
                compact=True,
                placeholder="roles, separated by ; (→ takes a suggestion)",
                suggester=RoleSuggester(self.roles),
            ),
        )
        yield field_row(
            "Response",
            Select(
                [(r.value, r.value) for r in Response],
                id="response",
                value=response,
                prompt="not stated",
                compact=True,
            ),
        )
        yield field_row(
            "Reason",
            _area(
                "reason",
                "" if rec is None else clean(rec.response_reason or ""),
                placeholder="needed when partly or not agreed",
            ),
        )

    def form(self) -> RecommendationForm:
        text = self.query_one("#text", TextArea).text.strip()
        if not text:
            raise ValueError("Recommendation: write the recommendation")
        owners = owners_from(self.query_one("#owners", Input).value)
        chosen = self.query_one("#response", Select).value
        response = None if chosen is Select.NULL else Response(str(chosen))
        reason = self.query_one("#reason", TextArea).text.strip() or None
        if response in NEEDS_REASON and reason is None:
            assert response is not None
            raise ValueError(f"Reason: a response of {response.value!r} needs a reason")
        form = RecommendationForm(
            text, owners, response, reason if response in NEEDS_REASON else None
        )
        if self.current is None:
            return form
        return RecommendationForm(
            form.text,
            form.owners,
            form.response,
            form.reason,
            recommendation_changes(self.current, form),
            self.version,
            self.confirmed,
        )


# Withdrawing ------------------------------------------------------------------------------------


@dataclass(frozen=True)
class Withdrawal:
    """Why a row is withdrawn, and the version of it the user saw."""

    reason: str
    version: int | None


class WithdrawDialog(SavingDialog[Withdrawal, int]):
    """Withdraw an action or recommendation: says what it is and what withdrawing does, and
    asks why. Saves through `save`, which returns the row's new version."""

    OK_LABEL = "Withdraw"
    SUBMIT_ON_ENTER = True
    FIELDS: ClassVar[dict[str, str]] = {"Reason": "reason"}

    def __init__(
        self,
        save: Callable[[Withdrawal], int],
        what: str,
        text: str,
        note: str,
        version: int | None,
    ) -> None:
        super().__init__(save, version)
        self.TITLE_TEXT = f"Withdraw {what}?"
        self.text = text
        self.note = note

    def fields(self) -> ComposeResult:
        yield Static(one_line(self.text, 300), classes="dialog-context", markup=False)
        yield Static(self.note, classes="dialog-context", markup=False)
        yield Label("Reason")
        yield Input(id="reason", placeholder="why it is withdrawn (kept in the history)")

    def form(self) -> Withdrawal:
        reason = self.query_one("#reason", Input).value.strip()
        if not reason:
            raise ValueError("Reason: say why it is withdrawn")
        return Withdrawal(reason, self.version)
