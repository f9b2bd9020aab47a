"""The domain's words as enumerations, shared by the rules, the models and the plan files.

Standard library only, so that `rules` (pure) and `models` (SQLAlchemy) can both use them.
Each value is the text users read and the text stored in the database and in plan files.
"""

from __future__ import annotations

from enum import StrEnum
from typing import TypeVar

E = TypeVar("E", bound=StrEnum)


class InspectionKind(StrEnum):
    """The format of the inspection that produced the recommendations."""

    CCI = "CCI"
    SQS = "SQS"
    FJI = "FJI"
    RATED_2018 = "2018"
    OTHER = "other"


class Improvement(StrEnum):
    """A Core Case Inspection's headline comment on a score."""

    MINIMUM = "MINIMUM"
    MODERATE = "MODERATE"
    SUBSTANTIAL = "SUBSTANTIAL"
    DRASTIC = "DRASTIC"


class Rating(StrEnum):
    """A 2018-onward inspection's rating of an area."""

    OUTSTANDING = "Outstanding"
    GOOD = "Good"
    REQUIRES_IMPROVEMENT = "Requires improvement"
    INADEQUATE = "Inadequate"


class PlanStatus(StrEnum):
    """Where a plan is in its life, in order."""

    DRAFT = "draft"
    SUBMITTED = "submitted"
    AGREED = "agreed"
    MONITORING = "monitoring"
    CLOSED = "closed"


class Response(StrEnum):
    """The service's response to a recommendation."""

    AGREED = "agreed"
    PARTLY_AGREED = "partly agreed"
    NOT_AGREED = "not agreed"


class ActionStatus(StrEnum):
    """Where an action is."""

    NOT_STARTED = "not started"
    IN_PROGRESS = "in progress"
    COMPLETE = "complete"
    BLOCKED = "blocked"


class Brag(StrEnum):
    """Board colours: Blue (complete and evidenced), Red, Amber, Green."""

    BLUE = "blue"
    RED = "red"
    AMBER = "amber"
    GREEN = "green"


class EvidenceKind(StrEnum):
    """What a piece of evidence of implementation is."""

    DOCUMENT = "document"
    AUDIT = "audit"
    MINUTES = "minutes"
    TRAINING = "training"
    TEMPLATE = "template"
    DATA = "data"
    OTHER = "other"


class ReviewState(StrEnum):
    """The YJB's review of a piece of evidence."""

    PENDING = "pending"
    ACCEPTED = "accepted"
    QUERIED = "queried"


def parse_enum(kind: type[E], text: str) -> E:
    """The member of `kind` whose value is `text` (case and spacing forgiven), or ValueError
    listing the values allowed."""
    wanted = " ".join(text.replace("_", " ").split()).casefold()
    for member in kind:
        if member.value.casefold() == wanted:
            return member
    allowed = ", ".join(repr(m.value) for m in kind)
    raise ValueError(f"{text!r} is not one of {allowed}")


def role_key(name: str) -> str:
    """A role name folded for matching: case and runs of spaces do not matter."""
    return " ".join(name.split()).casefold()


CLEARABLE = frozenset(
    {"lead", "owner", "start_on", "target_on", "success_measure", "impact_check", "brag_override"}
)
"""The action fields an editor may empty (`tracker update --clear FIELD`)."""

BOARD_FORMATS = ("md", "html", "docx")
"""The export formats that are board reports (and may be recorded as issued)."""

BOARD_REPORT_FIELD = "board report"
"""The audit field that records a board report being issued: not a change to the plan, so
never listed among the changes since the last report, and never authorship."""

TEXT_AFTER_AGREEMENT = "text (after agreement)"
"""The audit field of a recommendation's text changed once its plan was agreed: the board
report's "what changed" marks it."""

SUBMITTED_INCOMPLETE = "submitted incomplete"
"""The audit field that records a plan submitted although it was not ready (what it lacked)."""
