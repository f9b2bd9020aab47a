"""A plan read whole, as a plan file holds it (`tracker dump`, `tracker export -f toml`): every
stored field, withdrawn rows marked as such, and each row's version (so that `tracker load
--update` can tell whether the database moved on since), so that loading the file into another
database and dumping it again gives the same text."""

from __future__ import annotations

from collections import defaultdict
from enum import StrEnum
from typing import TypeVar

from tracker.errors import no_plan
from tracker.planfile import (
    FORMAT_VERSION,
    ActionDoc,
    EvidenceDoc,
    InspectionDoc,
    PlanDoc,
    RecommendationDoc,
    RoleDoc,
    ScoreDoc,
    UpdateDoc,
)
from tracker.queries import plan as plan_reads
from tracker.queries import roles as roles_reads
from tracker.queries.action import EVIDENCE as ALL_EVIDENCE
from tracker.queries.action import NOTES
from tracker.queries.plan import SCORES
from tracker.queries.reader import Query, Reader, day_value
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

RECOMMENDATIONS = plan_reads.RECOMMENDATIONS.taking(
    "plan file: recommendations",
    (
        "id",
        "ref",
        "text",
        "response",
        "response_reason",
        "theme",
        "withdrawn_on",
        "withdrawn_reason",
        "version",
    ),
)

PLAN = plan_reads.PLAN.taking(
    "plan file: plan",
    (
        "plan_id",
        "slug",
        "title",
        "status",
        "submitted_on",
        "agreed_on",
        "forwarded_on",
        "closed_on",
        "board_meetings",
        "board_meetings_start",
        "notes",
        "submitted_incomplete",
        "version",
        "inspection_id",
        "area",
        "kind",
        "published",
        "published_note",
        "fieldwork_start",
        "fieldwork_end",
        "source",
    ),
)

OWNERS = plan_reads.OWNERS.taking(
    "plan file: owners", ("recommendation_id", "role_id", "stated_as")
)

ACTIONS = Query(
    "plan file: actions",
    """
    SELECT id, recommendation_id, ref, text, owner_role_id, owner_stated_as, lead, start_on,
           target_on, status, progress, success_measure, completed_on, impact_check,
           brag_override, brag_override_reason, withdrawn_on, withdrawn_reason, version
    FROM actions WHERE plan_id = :plan ORDER BY position, id""",
    (
        "id",
        "recommendation_id",
        "ref",
        "text",
        "owner_role_id",
        "owner_stated_as",
        "lead",
        "start_on",
        "target_on",
        "status",
        "progress",
        "success_measure",
        "completed_on",
        "impact_check",
        "brag_override",
        "brag_override_reason",
        "withdrawn_on",
        "withdrawn_reason",
        "version",
    ),
)

UPDATES = NOTES.where("a.plan_id = :plan").taking(
    "plan file: progress notes", ("action_id", "on", "author", "text")
)

EVIDENCE = ALL_EVIDENCE.where("a.plan_id = :plan").taking(
    "plan file: evidence",
    (
        "action_id",
        "title",
        "kind",
        "dated",
        "reference",
        "file_path",
        "sha256",
        "size",
        "expires_on",
        "review",
        "reviewer",
        "reviewed_on",
        "review_comment",
    ),
)

ROLES = roles_reads.ROLES.where(
    """r.id IN (
        SELECT o.role_id FROM recommendation_owners o
        JOIN recommendations c ON c.id = o.recommendation_id WHERE c.plan_id = :plan
        UNION SELECT a.owner_role_id FROM actions a WHERE a.plan_id = :plan)"""
)
"""The roles a plan names, each with its aliases."""


E = TypeVar("E", bound=StrEnum)


def _optional(kind: type[E], value: str | None) -> E | None:
    return None if value is None else kind(value)


def plan_doc(reader: Reader, slug: str) -> PlanDoc:
    """Plan `slug` as a plan file holds it. NotFoundError for an unknown plan."""
    found = PLAN.first(reader, plan=slug)
    if found is None:
        raise no_plan(slug)
    (pid, slug, title, status, submitted, agreed, forwarded, closed, meetings, meetings_start) = (
        found[:10]
    )
    (notes, incomplete, version, inspection, area, kind, published, published_note) = found[10:18]
    (f_start, f_end, source) = found[18:]
    updates: dict[int, list[UpdateDoc]] = defaultdict(list)
    for action, on, author, text in UPDATES.rows(reader, plan=pid):
        updates[action].append(UpdateDoc(day_value(on), author, text))  # type: ignore[arg-type]
    evidence: dict[int, list[EvidenceDoc]] = defaultdict(list)
    for row in EVIDENCE.rows(reader, plan=pid):
        (action, title_, e_kind, dated, reference, file, sha256, size, expires) = row[:9]
        (review, reviewer, reviewed, comment) = row[9:]
        evidence[action].append(
            EvidenceDoc(
                title=title_,
                kind=EvidenceKind(e_kind),
                date=day_value(dated),
                reference=reference,
                file=file,
                sha256=sha256,
                size=size,
                expires=day_value(expires),
                review=ReviewState(review),
                reviewer=reviewer,
                reviewed=day_value(reviewed),
                review_comment=comment,
            )
        )
    owners: dict[int, list[tuple[int, str]]] = defaultdict(list)
    for rec_id, role_id, stated_as in OWNERS.rows(reader, plan=pid):
        owners[rec_id].append((role_id, stated_as))
    actions: dict[int, list[tuple[int | None, ActionDoc]]] = defaultdict(list)
    for row in ACTIONS.rows(reader, plan=pid):
        (a_id, rec_id, ref, text, role_id, stated_as, lead, start, target, a_status) = row[:10]
        (progress, measure, completed, impact, override, reason) = row[10:16]
        (gone, gone_reason, a_version) = row[16:]
        doc = ActionDoc(
            ref=ref,
            text=text,
            owner=stated_as,
            lead=lead,
            start=day_value(start),
            target=day_value(target),
            status=ActionStatus(a_status),
            progress=progress,
            success_measure=measure,
            completed=day_value(completed),
            impact_check=impact,
            brag_override=_optional(Brag, override),
            brag_override_reason=reason,
            withdrawn=day_value(gone),
            withdrawn_reason=gone_reason,
            version=a_version,
            updates=updates.get(a_id, []),
            evidence=evidence.get(a_id, []),
        )
        actions[rec_id].append((role_id, doc))
    role_docs = {
        role_id: RoleDoc(name, aliases)
        for role_id, (name, aliases) in roles_reads.by_id(ROLES.rows(reader, plan=pid)).items()
    }
    recommendations = []
    referenced: dict[int, RoleDoc] = {}  # in the order the plan first names each role
    for row in RECOMMENDATIONS.rows(reader, plan=pid):
        (rec_id, ref, text, response, response_reason, theme) = row[:6]
        (rec_gone, rec_gone_reason, rec_version) = row[6:]
        for role_id, _ in owners.get(rec_id, []):
            referenced.setdefault(role_id, role_docs[role_id])
        for role_id, _ in actions.get(rec_id, []):
            if role_id is not None:
                referenced.setdefault(role_id, role_docs[role_id])
        recommendations.append(
            RecommendationDoc(
                ref=ref,
                text=text,
                owners=[stated for _, stated in owners.get(rec_id, [])],
                response=_optional(Response, response),
                response_reason=response_reason,
                theme=theme,
                withdrawn=day_value(rec_gone),
                withdrawn_reason=rec_gone_reason,
                version=rec_version,
                actions=[doc for _, doc in actions.get(rec_id, [])],
            )
        )
    return PlanDoc(
        format=FORMAT_VERSION,
        id=slug,
        title=title,
        status=PlanStatus(status),
        submitted=day_value(submitted),
        agreed=day_value(agreed),
        forwarded=day_value(forwarded),
        closed=day_value(closed),
        board_meetings=meetings,
        board_meetings_start=day_value(meetings_start),
        notes=notes,
        submitted_incomplete=incomplete.split("\n") if incomplete else [],
        version=version,
        roles=list(referenced.values()),
        inspection=InspectionDoc(
            area=area,
            kind=InspectionKind(kind),
            published=day_value(published),
            published_note=published_note,
            fieldwork_start=day_value(f_start),
            fieldwork_end=day_value(f_end),
            source=source,
            scores=[
                ScoreDoc(name, percent, _optional(Improvement, improvement), _optional(Rating, r))
                for name, percent, improvement, r in SCORES.rows(reader, inspection=inspection)
            ],
        ),
        recommendations=recommendations,
    )
