"""The store's tables as typed SQLAlchemy 2 ORM classes.

Inspection -> Plan -> Recommendation -> Action -> Evidence and ProgressUpdate; Role with its
names (canonical plus aliases); AuditEvent, append-only. Rows that people edit carry a version
number (`version_id_col`), so two editors of one row cannot silently overwrite each other.
The schema's history is in `db/versions/`: change a model, add a migration.
"""

from __future__ import annotations

from datetime import UTC, date, datetime
from enum import StrEnum
from typing import Any

from sqlalchemy import (
    CheckConstraint,
    Date,
    DateTime,
    Dialect,
    Enum,
    ForeignKey,
    Index,
    Integer,
    MetaData,
    String,
    Text,
    UniqueConstraint,
    event,
)
from sqlalchemy.orm import (
    DeclarativeBase,
    Mapped,
    Session,
    mapped_column,
    relationship,
)
from sqlalchemy.types import TypeDecorator

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

NAMING_CONVENTION = {
    "ix": "ix_%(column_0_label)s",
    "uq": "uq_%(table_name)s_%(column_0_name)s",
    "ck": "ck_%(table_name)s_%(constraint_name)s",
    "fk": "fk_%(table_name)s_%(column_0_name)s_%(referred_table_name)s",
    "pk": "pk_%(table_name)s",
}


class UTCDateTime(TypeDecorator[datetime]):
    """A timezone-aware UTC timestamp on every backend (SQLite keeps no zone of its own)."""

    impl = DateTime(timezone=True)
    cache_ok = True

    def process_bind_param(self, value: datetime | None, dialect: Dialect) -> datetime | None:
        if value is None:
            return None
        if value.tzinfo is None:
            raise ValueError("timestamps must be timezone-aware")
        value = value.astimezone(UTC)
        return value.replace(tzinfo=None) if dialect.name == "sqlite" else value

    def process_result_value(self, value: datetime | None, dialect: Dialect) -> datetime | None:
        if value is None:
            return None
        return value.replace(tzinfo=UTC) if value.tzinfo is None else value.astimezone(UTC)


def text_enum(kind: type[StrEnum]) -> Enum:
    """An enumeration stored as its text value (not its Python name), checked on write."""
    return Enum(
        kind,
        native_enum=False,
        length=max(len(m.value) for m in kind) + 8,
        values_callable=lambda members: [m.value for m in members],
        validate_strings=True,
    )


def utcnow() -> datetime:
    """Now, in UTC, timezone-aware."""
    return datetime.now(UTC)


class Base(DeclarativeBase):
    """Every table of the store."""

    metadata = MetaData(naming_convention=NAMING_CONVENTION)


class Role(Base):
    """A role that owns recommendations and leads actions ("Head of Service")."""

    __tablename__ = "roles"

    id: Mapped[int] = mapped_column(primary_key=True)
    name: Mapped[str] = mapped_column(String(200), unique=True)
    names: Mapped[list[RoleName]] = relationship(
        back_populates="role", cascade="all, delete-orphan", order_by="RoleName.id"
    )

    @property
    def aliases(self) -> list[str]:
        """The role's other names, in the order they were added."""
        return [n.name for n in self.names if n.name != self.name]


class RoleName(Base):
    """One name a role goes by: the canonical one and each alias. `key` is the name folded for
    matching, so "Chair of the  management board" finds "Chair of the Management Board"."""

    __tablename__ = "role_names"

    id: Mapped[int] = mapped_column(primary_key=True)
    role_id: Mapped[int] = mapped_column(ForeignKey("roles.id", ondelete="CASCADE"), index=True)
    name: Mapped[str] = mapped_column(String(200))
    key: Mapped[str] = mapped_column(String(200), unique=True)
    role: Mapped[Role] = relationship(back_populates="names")


class Inspection(Base):
    """An HMIP inspection of one area, as its report describes it."""

    __tablename__ = "inspections"

    id: Mapped[int] = mapped_column(primary_key=True)
    area: Mapped[str] = mapped_column(String(200))
    kind: Mapped[InspectionKind] = mapped_column(text_enum(InspectionKind))
    published: Mapped[date | None] = mapped_column(Date)
    published_note: Mapped[str | None] = mapped_column(Text)
    fieldwork_start: Mapped[date | None] = mapped_column(Date)
    fieldwork_end: Mapped[date | None] = mapped_column(Date)
    source: Mapped[str | None] = mapped_column(Text)
    scores: Mapped[list[Score]] = relationship(
        back_populates="inspection", cascade="all, delete-orphan", order_by="Score.position"
    )
    plan: Mapped[Plan | None] = relationship(back_populates="inspection")


class Score(Base):
    """A headline score (percentage and improvement level) or rating."""

    __tablename__ = "scores"
    __table_args__ = (
        CheckConstraint("percent IS NULL OR (percent >= 0 AND percent <= 100)", name="percent"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    inspection_id: Mapped[int] = mapped_column(
        ForeignKey("inspections.id", ondelete="CASCADE"), index=True
    )
    position: Mapped[int] = mapped_column(Integer)
    name: Mapped[str] = mapped_column(String(200))
    percent: Mapped[int | None] = mapped_column(Integer)
    improvement: Mapped[Improvement | None] = mapped_column(text_enum(Improvement))
    rating: Mapped[Rating | None] = mapped_column(text_enum(Rating))
    inspection: Mapped[Inspection] = relationship(back_populates="scores")


class Plan(Base):
    """The service's improvement plan answering one inspection."""

    __tablename__ = "plans"

    id: Mapped[int] = mapped_column(primary_key=True)
    slug: Mapped[str] = mapped_column(String(100), unique=True)
    inspection_id: Mapped[int] = mapped_column(ForeignKey("inspections.id"), unique=True)
    title: Mapped[str | None] = mapped_column(Text)
    status: Mapped[PlanStatus] = mapped_column(text_enum(PlanStatus), default=PlanStatus.DRAFT)
    submitted_on: Mapped[date | None] = mapped_column(Date)
    agreed_on: Mapped[date | None] = mapped_column(Date)
    forwarded_on: Mapped[date | None] = mapped_column(Date)
    closed_on: Mapped[date | None] = mapped_column(Date)
    board_meetings: Mapped[str | None] = mapped_column(String(500))
    board_meetings_start: Mapped[date | None] = mapped_column(Date)
    notes: Mapped[str | None] = mapped_column(Text)
    # What still stood between the plan and ready when it was recorded as submitted anyway
    # (`tracker step PLAN submitted --anyway`): one gap a line; None when it went in ready.
    submitted_incomplete: Mapped[str | None] = mapped_column(Text)
    created_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)
    version: Mapped[int] = mapped_column(Integer)

    inspection: Mapped[Inspection] = relationship(back_populates="plan")
    recommendations: Mapped[list[Recommendation]] = relationship(
        back_populates="plan", cascade="all, delete-orphan", order_by="Recommendation.position"
    )

    __mapper_args__ = {"version_id_col": version}  # noqa: RUF012


class Recommendation(Base):
    """One recommendation of the report, with the roles it names as responsible."""

    __tablename__ = "recommendations"
    __table_args__ = (UniqueConstraint("plan_id", "ref"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    plan_id: Mapped[int] = mapped_column(ForeignKey("plans.id", ondelete="CASCADE"), index=True)
    position: Mapped[int] = mapped_column(Integer)
    ref: Mapped[str] = mapped_column(String(20))
    text: Mapped[str] = mapped_column(Text)
    response: Mapped[Response | None] = mapped_column(text_enum(Response))
    response_reason: Mapped[str | None] = mapped_column(Text)
    theme: Mapped[str | None] = mapped_column(String(200))
    # Withdrawn (never deleted): left out of counts, colours and exports, kept in the history.
    withdrawn_on: Mapped[date | None] = mapped_column(Date)
    withdrawn_reason: Mapped[str | None] = mapped_column(Text)
    version: Mapped[int] = mapped_column(Integer)

    plan: Mapped[Plan] = relationship(back_populates="recommendations")
    owners: Mapped[list[RecommendationOwner]] = relationship(
        back_populates="recommendation",
        cascade="all, delete-orphan",
        order_by="RecommendationOwner.position",
    )
    actions: Mapped[list[Action]] = relationship(
        back_populates="recommendation", cascade="all, delete-orphan", order_by="Action.position"
    )

    __mapper_args__ = {"version_id_col": version}  # noqa: RUF012


class RecommendationOwner(Base):
    """A role the report names for a recommendation, with the words the report used."""

    __tablename__ = "recommendation_owners"

    id: Mapped[int] = mapped_column(primary_key=True)
    recommendation_id: Mapped[int] = mapped_column(
        ForeignKey("recommendations.id", ondelete="CASCADE"), index=True
    )
    position: Mapped[int] = mapped_column(Integer)
    role_id: Mapped[int] = mapped_column(ForeignKey("roles.id"), index=True)
    stated_as: Mapped[str] = mapped_column(String(200))

    recommendation: Mapped[Recommendation] = relationship(back_populates="owners")
    role: Mapped[Role] = relationship()


class Action(Base):
    """What the service will do about a recommendation, who leads it, and by when."""

    __tablename__ = "actions"
    __table_args__ = (
        UniqueConstraint("plan_id", "ref"),
        CheckConstraint("progress >= 0 AND progress <= 100", name="progress"),
        Index("ix_actions_target_on_status", "target_on", "status"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    # Kept beside recommendation_id so that a ref is unique in its plan and plan queries
    # need no join.
    plan_id: Mapped[int] = mapped_column(ForeignKey("plans.id", ondelete="CASCADE"), index=True)
    recommendation_id: Mapped[int] = mapped_column(
        ForeignKey("recommendations.id", ondelete="CASCADE"), index=True
    )
    position: Mapped[int] = mapped_column(Integer)
    ref: Mapped[str] = mapped_column(String(20))
    text: Mapped[str] = mapped_column(Text)
    owner_role_id: Mapped[int | None] = mapped_column(ForeignKey("roles.id"), index=True)
    owner_stated_as: Mapped[str | None] = mapped_column(String(200))
    lead: Mapped[str | None] = mapped_column(String(200))
    start_on: Mapped[date | None] = mapped_column(Date)
    target_on: Mapped[date | None] = mapped_column(Date)
    status: Mapped[ActionStatus] = mapped_column(
        text_enum(ActionStatus), default=ActionStatus.NOT_STARTED
    )
    progress: Mapped[int] = mapped_column(Integer, default=0)
    success_measure: Mapped[str | None] = mapped_column(Text)
    completed_on: Mapped[date | None] = mapped_column(Date)
    impact_check: Mapped[str | None] = mapped_column(Text)
    brag_override: Mapped[Brag | None] = mapped_column(text_enum(Brag))
    brag_override_reason: Mapped[str | None] = mapped_column(Text)
    # Withdrawn (never deleted): left out of counts, colours and exports, kept in the history
    # and in `tracker actions --all`; restoring empties both.
    withdrawn_on: Mapped[date | None] = mapped_column(Date)
    withdrawn_reason: Mapped[str | None] = mapped_column(Text)
    version: Mapped[int] = mapped_column(Integer)

    recommendation: Mapped[Recommendation] = relationship(back_populates="actions")
    plan: Mapped[Plan] = relationship()
    owner_role: Mapped[Role | None] = relationship()
    evidence: Mapped[list[Evidence]] = relationship(
        back_populates="action", cascade="all, delete-orphan", order_by="Evidence.id"
    )
    updates: Mapped[list[ProgressUpdate]] = relationship(
        back_populates="action",
        cascade="all, delete-orphan",
        order_by="(ProgressUpdate.on, ProgressUpdate.id)",
    )

    __mapper_args__ = {"version_id_col": version}  # noqa: RUF012


class Evidence(Base):
    """Evidence of implementation: a reference to where it is kept, or a fingerprinted file."""

    __tablename__ = "evidence"
    # Whether an action has evidence that counts (not queried, not expired) is asked of every
    # action each time the plans are listed: an index holding those columns answers it without
    # reading the evidence rows (at ten times national scale, 69 ms of SQLite time against 52).
    # It also serves every look-up by action, so action_id needs no index of its own.
    __table_args__ = (Index("ix_evidence_action_id_review", "action_id", "review", "expires_on"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    action_id: Mapped[int] = mapped_column(ForeignKey("actions.id", ondelete="CASCADE"))
    title: Mapped[str] = mapped_column(Text)
    kind: Mapped[EvidenceKind] = mapped_column(
        text_enum(EvidenceKind), default=EvidenceKind.DOCUMENT
    )
    dated: Mapped[date | None] = mapped_column(Date)
    reference: Mapped[str | None] = mapped_column(Text)
    file_path: Mapped[str | None] = mapped_column(Text)
    sha256: Mapped[str | None] = mapped_column(String(64))
    size: Mapped[int | None] = mapped_column(Integer)
    expires_on: Mapped[date | None] = mapped_column(Date)
    review: Mapped[ReviewState] = mapped_column(text_enum(ReviewState), default=ReviewState.PENDING)
    reviewer: Mapped[str | None] = mapped_column(String(200))
    reviewed_on: Mapped[date | None] = mapped_column(Date)
    review_comment: Mapped[str | None] = mapped_column(Text)
    added_by: Mapped[str | None] = mapped_column(String(200))
    added_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)
    version: Mapped[int] = mapped_column(Integer)

    action: Mapped[Action] = relationship(back_populates="evidence")

    __mapper_args__ = {"version_id_col": version}  # noqa: RUF012


class ProgressUpdate(Base):
    """A dated note of progress on an action."""

    __tablename__ = "progress_updates"

    id: Mapped[int] = mapped_column(primary_key=True)
    action_id: Mapped[int] = mapped_column(ForeignKey("actions.id", ondelete="CASCADE"), index=True)
    on: Mapped[date] = mapped_column(Date)
    author: Mapped[str] = mapped_column(String(200))
    text: Mapped[str] = mapped_column(Text)
    created_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)

    action: Mapped[Action] = relationship(back_populates="updates")


class AuditEvent(Base):
    """One change to one field of one row: who, when, old and new value. Append-only."""

    __tablename__ = "audit_events"
    __table_args__ = (
        Index("ix_audit_events_entity", "entity", "entity_id"),
        Index("ix_audit_events_actor", "actor"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow, index=True)
    actor: Mapped[str] = mapped_column(String(200))
    account: Mapped[str | None] = mapped_column(String(200))
    """Who the system says made the change, beside the name given (`actor`): the
    operating-system account on SQLite, the login (set by the server) on PostgreSQL."""
    entity: Mapped[str] = mapped_column(String(40))
    entity_id: Mapped[int] = mapped_column(Integer)
    entity_ref: Mapped[str] = mapped_column(String(200), index=True)
    entity_version: Mapped[int | None] = mapped_column(Integer)
    field: Mapped[str] = mapped_column(String(60))
    old_value: Mapped[str | None] = mapped_column(Text)
    new_value: Mapped[str | None] = mapped_column(Text)


class AuditTrailIsAppendOnly(RuntimeError):
    """Raised when code tries to change or delete an audit event."""


@event.listens_for(Session, "before_flush")
def _guard_audit_trail(session: Session, _context: Any, _instances: Any) -> None:
    for obj in session.dirty:
        if isinstance(obj, AuditEvent) and session.is_modified(obj):
            raise AuditTrailIsAppendOnly("audit events cannot be changed")
    for obj in session.deleted:
        if isinstance(obj, AuditEvent):
            raise AuditTrailIsAppendOnly("audit events cannot be deleted")


class BoardReport(Base):
    """A board report issued for a plan: when, by whom, and in which format. The next report's
    "what changed since the last board report" starts from the latest of these."""

    __tablename__ = "board_reports"

    id: Mapped[int] = mapped_column(primary_key=True)
    plan_id: Mapped[int] = mapped_column(ForeignKey("plans.id", ondelete="CASCADE"), index=True)
    issued_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)
    issued_by: Mapped[str] = mapped_column(String(200))
    format: Mapped[str] = mapped_column(String(20))


class SignOff(Base):
    """The YJB's sign-off of a recommendation as implemented, or of the whole plan as closed:
    who, when, and the state of the work at that moment (a JSON snapshot)."""

    __tablename__ = "sign_offs"

    id: Mapped[int] = mapped_column(primary_key=True)
    plan_id: Mapped[int] = mapped_column(ForeignKey("plans.id", ondelete="CASCADE"), index=True)
    recommendation_id: Mapped[int | None] = mapped_column(
        ForeignKey("recommendations.id", ondelete="CASCADE"), index=True
    )
    signed_by: Mapped[str] = mapped_column(String(200))
    signed_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)
    state: Mapped[str] = mapped_column(Text)
