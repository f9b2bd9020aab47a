"""What an editor asks a use-case to change or add, as plain values: the screens' and the
CLI's forms build these, the services check and write them. Kept apart from the services so
that a screen can hold one without importing SQLAlchemy (28 MiB; the TUI reads without it)."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, field
from datetime import date

from tracker.vocab import ActionStatus, Brag, Improvement, InspectionKind, Rating, Response


@dataclass(frozen=True)
class ActionChanges:
    """The fields an editor wants to change; None leaves a field as it is. `clear` names
    fields to empty (e.g. `{"target_on"}`)."""

    text: str | None = None
    owner: str | None = None
    lead: str | None = None
    start_on: date | None = None
    target_on: date | None = None
    status: ActionStatus | None = None
    progress: int | None = None
    success_measure: str | None = None
    completed_on: date | None = None
    impact_check: str | None = None
    brag_override: Brag | None = None
    brag_override_reason: str | None = None
    clear: frozenset[str] = frozenset()


@dataclass(frozen=True)
class NewAction:
    """An action to add under a recommendation. `lead_role` is a role's name or alias (a new
    name becomes a new role); `lead` the named person."""

    text: str
    lead_role: str | None = None
    lead: str | None = None
    start_on: date | None = None
    target_on: date | None = None
    success_measure: str | None = None
    status: ActionStatus = ActionStatus.NOT_STARTED


@dataclass(frozen=True)
class ScoreValue:
    """A headline score (percentage and improvement level) or rating, as the editor gives it."""

    name: str
    percent: int | None = None
    improvement: Improvement | None = None
    rating: Rating | None = None

    def shown(self) -> str:
        parts = [self.name]
        if self.percent is not None:
            parts.append(f"{self.percent}%")
        if self.improvement is not None:
            parts.append(self.improvement.value)
        if self.rating is not None:
            parts.append(self.rating.value)
        return " ".join(parts)


@dataclass(frozen=True)
class PlanChanges:
    """What to change of a plan's own details; None leaves a field as it is. `clear` names
    fields to empty (any but `area` and `kind`)."""

    area: str | None = None
    kind: InspectionKind | None = None
    published: date | None = None
    fieldwork_start: date | None = None
    fieldwork_end: date | None = None
    title: str | None = None
    board_meetings: str | None = None
    board_meetings_start: date | None = None
    scores: Sequence[ScoreValue] | None = None
    clear: frozenset[str] = field(default_factory=frozenset)


PLAN_CLEARABLE = frozenset(
    {
        "published",
        "fieldwork_start",
        "fieldwork_end",
        "title",
        "board_meetings",
        "board_meetings_start",
        "scores",
    }
)
"""The plan details an editor may empty."""


@dataclass(frozen=True)
class RecommendationChanges:
    """What to change on a recommendation; None leaves a field as it is. `owners` replaces
    the owner roles (in order). `clear` names fields to empty: `response`, `theme`."""

    text: str | None = None
    owners: Sequence[str] | None = None
    response: Response | None = None
    response_reason: str | None = None
    theme: str | None = None
    clear: frozenset[str] = field(default_factory=frozenset)
