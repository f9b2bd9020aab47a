"""The YJB's dialogs: a decision on a piece of evidence, and a sign-off."""

from __future__ import annotations

from dataclasses import dataclass

from textual.app import ComposeResult
from textual.widgets import Input, Label, Select, Static

from tracker.tui.dialogs.base import Dialog
from tracker.vocab import ReviewState


@dataclass(frozen=True)
class Review:
    """A reviewer's decision on a piece of evidence."""

    decision: ReviewState
    comment: str | None


class ReviewDialog(Dialog[Review]):
    """Accept or query a piece of evidence, with a comment (a query needs one)."""

    OK_LABEL = "Record"

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
    OK_LABEL = "Sign off"
    WHOLE_PLAN = "whole-plan"

    def __init__(self, refs: list[str], current: str | None, warning: str = "") -> None:
        super().__init__()
        self.refs = refs
        self.current = current
        self.warning = warning
        """What the reviewer should know first (a plan still a draft), or empty."""

    def fields(self) -> ComposeResult:
        options = [(f"Recommendation {r} as implemented", r) for r in self.refs]
        options.append(("The whole plan as closed", self.WHOLE_PLAN))
        yield Select(
            options,
            id="what",
            value=self.current if self.current in self.refs else self.WHOLE_PLAN,
            allow_blank=False,
        )
        if self.warning:
            yield Static(self.warning, id="sign-off-warning", classes="dialog-note", markup=False)

    def result(self) -> SignOff:
        value = str(self.query_one("#what", Select).value)
        return SignOff(None if value == self.WHOLE_PLAN else value)
