"""From a `Finding` to a draft plan in the store, and the steps a CLI or a screen calls:
`preview` a file, let the user correct the finding, then `import_report` it.

The plan is made through `tracker.services.load_plans`, in one transaction: every
recommendation with its owners, or nothing. Owners are linked to the store's roles by name or
alias; a name no role has yet becomes a new role, and the result lists those.
"""

from __future__ import annotations

import re
import unicodedata
from dataclasses import dataclass, field
from pathlib import Path

from sqlalchemy import select

from tracker.importers.extract import extract
from tracker.importers.finding import Finding, ReportError
from tracker.importers.report import parse_report
from tracker.models import Plan, RoleName
from tracker.planfile import (
    FORMAT_VERSION,
    PLAN_ID,
    InspectionDoc,
    PlanDoc,
    PlanFileError,
    RecommendationDoc,
    ScoreDoc,
    parse_plan,
    render_plan,
)
from tracker.services import ServiceError, find_role, load_plans, role_key
from tracker.store import Store

MAX_ROLE_NAME = 200
"""The longest role name the store keeps."""


@dataclass(frozen=True)
class ImportResult:
    """What an import made: the plan's id, the owner names that were new roles (created), and
    the warnings the finding still carried."""

    plan_id: str
    created_roles: list[str] = field(default_factory=list)
    warnings: list[str] = field(default_factory=list)


def slug(text: str) -> str:
    """`text` as a plan id part: ASCII lower case letters, digits and single hyphens."""
    ascii_text = unicodedata.normalize("NFKD", text).encode("ascii", "ignore").decode()
    return re.sub(r"[^a-z0-9]+", "-", ascii_text.lower()).strip("-")


def default_plan_id(finding: Finding) -> str:
    """The plan id an import uses unless told otherwise: the area and the year of publication
    (or of the fieldwork), e.g. `stockton-on-tees-2010`. ReportError when there is no area."""
    base = slug(finding.area)[:90].strip("-")
    if not base:
        raise ReportError(finding.source, "no area to name the plan after: give a plan id")
    day = finding.published or (finding.fieldwork.end if finding.fieldwork else None)
    return f"{base}-{day.year}" if day is not None else base


def plan_doc(finding: Finding, plan_id: str) -> PlanDoc:
    """The draft plan a finding makes: the inspection, its scores and ratings, and one
    recommendation per recommendation found, with its owners and no actions."""
    ins = InspectionDoc(
        area=" ".join(finding.area.split()),
        kind=finding.kind,
        published=finding.published,
        published_note=finding.published_note,
        fieldwork_start=finding.fieldwork.start if finding.fieldwork else None,
        fieldwork_end=finding.fieldwork.end if finding.fieldwork else None,
        source=finding.source or None,
        scores=[ScoreDoc(s.name, s.percent, s.improvement) for s in finding.scores]
        + [ScoreDoc(r.name, rating=r.rating) for r in finding.ratings],
    )
    warnings = finding.warnings
    notes = (
        "Imported from the report."
        if not warnings
        else ("Imported from the report. The importer's warnings: " + "; ".join(warnings) + ".")
    )
    return PlanDoc(
        format=FORMAT_VERSION,
        id=plan_id,
        inspection=ins,
        notes=notes[:2000],
        recommendations=[
            RecommendationDoc(ref=r.ref.strip(), text=r.text.strip(), owners=list(r.owners))
            for r in finding.recommendations
        ],
    )


def _check(finding: Finding, plan_id: str) -> PlanDoc:
    where = finding.source or "the report"
    if not finding.area.strip():
        raise ReportError(where, "the area inspected is not known: enter it before importing")
    if not finding.recommendations:
        raise ReportError(where, "there are no recommendations to import")
    if not PLAN_ID.match(plan_id):
        raise ReportError(
            where, f"{plan_id!r} is not a plan id: use lower case letters, digits and '-'"
        )
    for rec in finding.recommendations:
        if not rec.text.strip():
            raise ReportError(where, f"recommendation {rec.ref} has no text")
        for owner in rec.owners:
            if not owner.strip() or len(owner) > MAX_ROLE_NAME:
                raise ReportError(
                    where, f"recommendation {rec.ref} has an owner name that is empty or too long"
                )
    doc = plan_doc(finding, plan_id)
    try:
        # The plan file's own checks (refs, control characters, lengths) on exactly this plan.
        return parse_plan(render_plan(doc).encode("utf-8"), where)
    except PlanFileError as exc:
        raise ReportError(where, f"cannot become a plan: {exc.problem} ({exc.where})") from None


def check_import(store: Store, finding: Finding, plan_id: str | None = None) -> ImportResult:
    """What `import_report` would do, without writing: the plan id it would use and the owner
    names that would become new roles. ReportError if the import would be refused (no area,
    no recommendations, a bad or taken plan id)."""
    wanted = plan_id or default_plan_id(finding)
    _check(finding, wanted)
    created: list[str] = []
    with store.read() as session:
        if session.scalar(select(Plan.id).where(Plan.slug == wanted)) is not None:
            raise ReportError(
                finding.source or "the report",
                f"plan {wanted!r} is already in the database: give another id (--id)",
            )
        keys = set(session.scalars(select(RoleName.key)))
        seen: set[str] = set()
        for rec in finding.recommendations:
            for owner in rec.owners:
                key = role_key(owner)
                if key in seen:
                    continue
                seen.add(key)
                if key not in keys and find_role(session, owner) is None:
                    created.append(" ".join(owner.split()))
    return ImportResult(wanted, created, finding.warnings)


def import_report(
    store: Store, finding: Finding, actor: str, plan_id: str | None = None
) -> ImportResult:
    """Create a draft plan from `finding` in one transaction (every recommendation and owner,
    or nothing) and say what was made. The id defaults to `default_plan_id`; an id already in
    the database is refused. ReportError for anything the user must fix."""
    planned = check_import(store, finding, plan_id)
    doc = _check(finding, planned.plan_id)
    try:
        load_plans(store, [(finding.source or "report", doc)], actor)
    except (PlanFileError, ServiceError) as exc:
        raise ReportError(finding.source or "the report", str(exc)) from None
    return planned


def preview(path: str | Path, *, known_roles: list[str] | None = None) -> Finding:
    """Read and parse the report at `path` without touching the store: what a screen shows
    for the user to correct before `import_report`. ReportError if it cannot be used."""
    extracted = extract(path)
    try:
        finding = parse_report(extracted.text, Path(path).name, known_roles=known_roles or ())
    except ReportError as exc:
        raise ReportError(str(path), exc.problem) from None
    finding.notes[:0] = extracted.notes
    return finding


def known_role_names(store: Store) -> list[str]:
    """Every role name and alias in the store (so that names holding "and" stay whole)."""
    with store.read() as session:
        return list(session.scalars(select(RoleName.name)))


@dataclass(frozen=True)
class ImportRun:
    """What `tracker import` did with one report: what was found, the plan made (or, on a dry
    run, the plan that would be made), and on a dry run the reason the import would be
    refused, if it would be (the plan id is taken, the area is not known ...)."""

    finding: Finding
    result: ImportResult | None
    dry_run: bool
    refused: ReportError | None = None


def run_import(
    store: Store, path: str | Path, actor: str, *, dry_run: bool, plan_id: str | None = None
) -> ImportRun:
    """`tracker import REPORT [--dry-run] [--id PLAN_ID]`: read the report and, unless
    `dry_run`, create the draft plan. A dry run writes nothing but still checks the import:
    it returns the plan that would be made, or the ReportError the import would meet (in
    `refused`) so that the caller can show the finding first. ReportError for a report that
    cannot be read or used, and for a refused import that is not a dry run."""
    finding = preview(path, known_roles=known_role_names(store))
    if dry_run:
        try:
            return ImportRun(finding, check_import(store, finding, plan_id), dry_run=True)
        except ReportError as exc:
            return ImportRun(finding, None, dry_run=True, refused=exc)
    return ImportRun(finding, import_report(store, finding, actor, plan_id), dry_run=False)
