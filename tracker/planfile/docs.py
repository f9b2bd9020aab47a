"""The plan file's tree: one dataclass per table of the TOML format, whose field names are the
file's keys (so that reading and writing cannot drift apart), and the limits a file is held to.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from datetime import date

from tracker.vocab import (
    ActionStatus,
    Brag,
    EvidenceKind,
    Improvement,
    InspectionKind,
    PlanStatus,
    Rating,
    Response,
    ReviewState,
)

Day = date
"""`date`, by a name that the `date` keys of UpdateDoc and EvidenceDoc do not shadow."""

FORMAT_VERSION = 1
MAX_FILE_BYTES = 20 * 1024 * 1024
"""A plan file larger than this is refused before it is parsed."""
MAX_TEXT = 20_000
"""The longest text a field may hold, in characters."""
MAX_SHORT = {
    "PlanDoc.board_meetings": 500,
    "InspectionDoc.area": 200,
    "ScoreDoc.name": 200,
    "RoleDoc.name": 200,
    "RoleDoc.aliases": 200,
    "RecommendationDoc.owners": 200,
    "RecommendationDoc.theme": 200,
    "ActionDoc.owner": 200,
    "ActionDoc.lead": 200,
    "UpdateDoc.author": 200,
    "EvidenceDoc.reviewer": 200,
}
"""Fields the database keeps in a column of limited width: their longest text, in characters."""
MAX_ITEMS = {
    "RoleDoc.aliases": 100,
    "PlanDoc.roles": 100,
}
"""Lists a plan file may not make longer than this: what a real plan has, many times over.
Roles are shared by every plan, and merged inside the load's write transaction."""
MAX_INT = 2**31 - 1
"""The largest whole number the database's integer columns hold."""
PLAN_ID = re.compile(r"^[a-z0-9][a-z0-9-]{0,99}$")
REF = re.compile(r"^[A-Za-z0-9][A-Za-z0-9.\-]{0,19}$")
SHA256 = re.compile(r"^[0-9a-f]{64}$")


@dataclass
class ScoreDoc:
    """A headline score or rating."""

    name: str
    percent: int | None = None
    improvement: Improvement | None = None
    rating: Rating | None = None


@dataclass
class InspectionDoc:
    """The inspection the plan answers."""

    area: str
    kind: InspectionKind
    published: date | None = None
    published_note: str | None = None
    fieldwork_start: date | None = None
    fieldwork_end: date | None = None
    source: str | None = None
    scores: list[ScoreDoc] = field(default_factory=list)


@dataclass
class RoleDoc:
    """A role and its other names."""

    name: str
    aliases: list[str] = field(default_factory=list)


@dataclass
class UpdateDoc:
    """A dated progress note."""

    date: Day
    author: str
    text: str


@dataclass
class EvidenceDoc:
    """A piece of evidence of implementation."""

    title: str
    kind: EvidenceKind = EvidenceKind.DOCUMENT
    date: Day | None = None
    reference: str | None = None
    file: str | None = None
    sha256: str | None = None
    size: int | None = None
    expires: Day | None = None
    review: ReviewState = ReviewState.PENDING
    reviewer: str | None = None
    reviewed: Day | None = None
    review_comment: str | None = None


@dataclass
class ActionDoc:
    """An action and its history."""

    ref: str
    text: str
    owner: str | None = None
    lead: str | None = None
    start: date | None = None
    target: date | None = None
    status: ActionStatus = ActionStatus.NOT_STARTED
    progress: int = 0
    success_measure: str | None = None
    completed: date | None = None
    impact_check: str | None = None
    brag_override: Brag | None = None
    brag_override_reason: str | None = None
    withdrawn: date | None = None
    withdrawn_reason: str | None = None
    version: int | None = None
    updates: list[UpdateDoc] = field(default_factory=list)
    evidence: list[EvidenceDoc] = field(default_factory=list)


@dataclass
class RecommendationDoc:
    """A recommendation of the report and the actions answering it."""

    ref: str
    text: str
    owners: list[str] = field(default_factory=list)
    response: Response | None = None
    response_reason: str | None = None
    theme: str | None = None
    withdrawn: date | None = None
    withdrawn_reason: str | None = None
    version: int | None = None
    actions: list[ActionDoc] = field(default_factory=list)


@dataclass
class PlanDoc:
    """A whole plan file."""

    format: int
    id: str
    inspection: InspectionDoc
    title: str | None = None
    status: PlanStatus = PlanStatus.DRAFT
    submitted: date | None = None
    agreed: date | None = None
    forwarded: date | None = None
    closed: date | None = None
    board_meetings: str | None = None
    board_meetings_start: date | None = None
    notes: str | None = None
    submitted_incomplete: list[str] = field(default_factory=list)
    version: int | None = None
    roles: list[RoleDoc] = field(default_factory=list)
    recommendations: list[RecommendationDoc] = field(default_factory=list)
