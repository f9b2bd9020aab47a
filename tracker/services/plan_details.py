"""Writing a plan's own details (its inspection's area, kind, publication and fieldwork
dates, headline scores; its title and board meeting pattern: a new publication date moves the
four-week clock), and starting an empty plan without a report to import."""

from __future__ import annotations

import re
from collections.abc import Sequence
from datetime import date
from typing import Any

from sqlalchemy.orm import Session
from sqlalchemy.orm.attributes import flag_modified

from tracker import rules
from tracker.errors import NothingToChange, ServiceError
from tracker.models import (
    Inspection,
    Score,
)
from tracker.planfile import FORMAT_VERSION, PLAN_ID, InspectionDoc, PlanDoc
from tracker.queries.lookups import (
    get_plan,
    plan_exists,
)
from tracker.services._audit import (
    SHORT_TEXT,
    audit,
    check_actor,
    check_days,
    check_text,
    require_editor,
)
from tracker.services._writing import (
    _based_on,
    _check_plan_open,
    _check_version,
    _flush,
    _refuse_cleared_and_given,
)
from tracker.services.changes import PLAN_CLEARABLE, PlanChanges, ScoreValue
from tracker.store import Store
from tracker.vocab import (
    InspectionKind,
)

# The plan's own details -------------------------------------------------------------------------


_INSPECTION_FIELDS = ("area", "kind", "published", "fieldwork_start", "fieldwork_end")
_PLAN_FIELDS = ("title", "board_meetings", "board_meetings_start")


def _scores_text(scores: Sequence[Score] | Sequence[ScoreValue]) -> str | None:
    parts = []
    for s in scores:
        value = ScoreValue(s.name, s.percent, s.improvement, s.rating)
        parts.append(value.shown())
    return "; ".join(parts) or None


def _check_score(score: ScoreValue) -> None:
    check_text(score.name, "a score's name", required=True, most=SHORT_TEXT)
    if score.percent is not None and not 0 <= score.percent <= 100:
        raise ServiceError(f"score {score.name!r}: a percentage is from 0 to 100")


def edit_plan(
    store: Store,
    slug: str,
    actor: str,
    changes: PlanChanges,
    *,
    expected_version: int | None = None,
) -> int:
    """Change a plan's own details (its inspection's area, kind, publication and fieldwork
    dates, scores; its title and board meeting pattern). A new publication date moves the
    four-week clock. Returns the plan's new version."""
    require_editor(store)
    check_actor(actor)
    _check_version(expected_version)
    wanted = _plan_wanted(changes)
    with store.write() as session:
        return _edit_plan(session, slug, actor, changes, wanted, expected_version)


def edit_plan_in(
    session: Session,
    slug: str,
    actor: str,
    changes: PlanChanges,
    expected_version: int | None = None,
) -> int:
    """`edit_plan` inside a transaction the caller holds."""
    _check_version(expected_version)
    return _edit_plan(session, slug, actor, changes, _plan_wanted(changes), expected_version)


def _plan_wanted(changes: PlanChanges) -> dict[str, Any]:
    """The plan details `changes` sets, checked, by field name (the scores checked apart)."""
    unknown = changes.clear - PLAN_CLEARABLE
    if unknown:
        raise ServiceError(f"cannot clear {', '.join(sorted(unknown))}")
    _refuse_cleared_and_given(changes)
    wanted: dict[str, Any] = {}
    if changes.area is not None:
        wanted["area"] = " ".join(
            check_text(changes.area, "the area", required=True, most=SHORT_TEXT).split()
        )
    if changes.kind is not None:
        wanted["kind"] = changes.kind
    check_days(
        published=changes.published,
        fieldwork_start=changes.fieldwork_start,
        fieldwork_end=changes.fieldwork_end,
        board_meetings_start=changes.board_meetings_start,
    )
    for name in ("published", "fieldwork_start", "fieldwork_end", "board_meetings_start"):
        if getattr(changes, name) is not None:
            wanted[name] = getattr(changes, name)
    if changes.title is not None:
        wanted["title"] = check_text(changes.title, "the title").strip() or None
    if changes.board_meetings is not None:
        rule = check_text(changes.board_meetings, "the board meeting pattern", most=500).strip()
        try:
            rules.check_rrule(rule, start=changes.board_meetings_start)
        except ValueError as exc:
            raise ServiceError(f"board meetings: {exc}") from None
        wanted["board_meetings"] = rule
    for name in changes.clear - {"scores"}:
        wanted[name] = None
    if changes.scores is not None:
        for score in changes.scores:
            _check_score(score)
    return wanted


def _edit_plan(
    session: Session,
    slug: str,
    actor: str,
    changes: PlanChanges,
    wanted: dict[str, Any],
    expected_version: int | None,
) -> int:
    plan = get_plan(session, slug)
    _check_plan_open(session, plan)
    _based_on(session, "plan", plan, slug, expected_version)
    ins: Inspection = plan.inspection

    def now(name: str) -> Any:
        return getattr(ins if name in _INSPECTION_FIELDS else plan, name)

    def after(name: str) -> Any:
        return wanted[name] if name in wanted else now(name)

    start, end = after("fieldwork_start"), after("fieldwork_end")
    if start is not None and end is not None and end < start:
        raise ServiceError(f"the fieldwork ends ({end}) before it starts ({start})")
    changed = {name: (now(name), value) for name, value in wanted.items() if now(name) != value}
    old_scores = _scores_text(ins.scores)
    new_scores = old_scores
    if changes.scores is not None or "scores" in changes.clear:
        values = [] if "scores" in changes.clear else list(changes.scores or ())
        new_scores = _scores_text(values)
        if new_scores != old_scores:
            ins.scores.clear()
            session.flush()
            ins.scores.extend(
                Score(
                    position=i,
                    name=s.name.strip(),
                    percent=s.percent,
                    improvement=s.improvement,
                    rating=s.rating,
                )
                for i, s in enumerate(values)
            )
    if not changed and new_scores == old_scores:
        raise NothingToChange(f"nothing to change on {slug}: every value given is already set")
    version = plan.version
    for name, (_, new) in changed.items():
        setattr(ins if name in _INSPECTION_FIELDS else plan, name, new)
    if not any(name in _PLAN_FIELDS for name in changed):
        # The details live on the inspection's row; the plan's version is what an editor
        # read, so it moves with every change of them.
        flag_modified(plan, "title")
    _flush(session, "plan", plan, slug, version)
    for name, (old, new) in changed.items():
        audit(session, actor, "plan", plan.id, slug, name, old, new, plan.version)
    if new_scores != old_scores:
        audit(
            session,
            actor,
            "plan",
            plan.id,
            slug,
            "scores",
            old_scores,
            new_scores,
            plan.version,
        )
    return plan.version


def new_plan(
    store: Store,
    actor: str,
    area: str,
    kind: InspectionKind,
    published: date | None,
    *,
    plan_id: str | None = None,
    title: str | None = None,
) -> str:
    """Start an empty draft plan without a report to import (a scanned report has no text):
    the area inspected, the kind of inspection and the publication date. Its id defaults to
    the area and the year (`stockton-on-tees-2010`, then `-2`, `-3` if taken). Returns it."""
    from tracker.services.plans import load_plans

    require_editor(store)
    check_actor(actor)
    check_days(published=published)
    name = " ".join(check_text(area, "the area", required=True, most=SHORT_TEXT).split())
    wanted = plan_id
    if wanted is None:
        base = re.sub(r"[^a-z0-9]+", "-", _ascii(name).lower()).strip("-")[:90].strip("-")
        if not base:
            raise ServiceError(f"the area {name!r} has no letters or digits: give a plan id")
        wanted = f"{base}-{published.year}" if published is not None else base
        with store.read() as session:
            candidate, n = wanted, 1
            while plan_exists(session, candidate):
                n += 1
                candidate = f"{wanted}-{n}"
        wanted = candidate
    if not PLAN_ID.match(wanted):
        raise ServiceError(f"{wanted!r} is not a plan id: use lower case letters, digits and '-'")
    doc = PlanDoc(
        format=FORMAT_VERSION,
        id=wanted,
        title=(check_text(title, "the title").strip() or None) if title else None,
        inspection=InspectionDoc(area=name, kind=kind, published=published),
        notes="Started in the tracker without a report to import.",
    )
    load_plans(store, [("tracker plan new", doc)], actor)
    return wanted


def _ascii(text: str) -> str:
    import unicodedata

    return unicodedata.normalize("NFKD", text).encode("ascii", "ignore").decode()
