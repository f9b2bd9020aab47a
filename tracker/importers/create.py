"""From a `Finding` to a draft plan in the store, and the steps a CLI or a screen calls:
`preview` a file, let the user correct the finding (`area`, `published`, `owners`), then
`import_report` it.

The plan is made through `tracker.services.load_plans`, in one transaction: every
recommendation with its owners, or nothing. Owners are linked to the store's roles by name or
alias; a name no role has yet becomes a new role, and the result lists those.
"""

from __future__ import annotations

import re
import unicodedata
from collections.abc import Callable, Iterable, Mapping, Sequence
from dataclasses import dataclass, field
from datetime import date
from pathlib import Path

from tracker.importers.corrections import correct
from tracker.importers.extract import extract
from tracker.importers.finding import NO_RECOMMENDATIONS, Finding, ReportError
from tracker.importers.gazetteer import same_area
from tracker.importers.report import parse_report
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
from tracker.queries import plan as plan_reads
from tracker.queries import roles
from tracker.queries.lists import PLANS
from tracker.queries.reader import Reader
from tracker.queries.session import store_reader
from tracker.rules import check_day
from tracker.services import ServiceError, load_plans
from tracker.store import Store, scratch_store
from tracker.vocab import role_key

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


AREA_MISSING = "area not found in the report: give the area inspected (tracker import --area NAME)"
"""The refusal when the area is not known, wherever it is met (the plan id or the plan)."""


def default_plan_id(finding: Finding) -> str:
    """The plan id an import uses unless told otherwise: the area and the year of publication
    (or of the fieldwork), e.g. `stockton-on-tees-2010`. ReportError when there is no area."""
    base = slug(finding.area)[:90].strip("-")
    if not finding.area.strip():
        raise ReportError(finding.where, AREA_MISSING)
    if not base:
        raise ReportError(
            finding.where,
            f"the area {finding.area!r} has no letters or digits to name the plan after: "
            "give a plan id (--id)",
        )
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
    where = finding.where
    if not finding.area.strip():
        raise ReportError(where, AREA_MISSING)
    if not finding.recommendations and not finding.without_recommendations:
        raise ReportError(where, f"{NO_RECOMMENDATIONS}. Nothing was created")
    if not PLAN_ID.match(plan_id):
        raise ReportError(
            where, f"{plan_id!r} is not a plan id: use lower case letters, digits and '-'"
        )
    days = [("the publication date", finding.published)]
    if finding.fieldwork is not None:
        days += [("the fieldwork's start", finding.fieldwork.start)]
        days += [("the fieldwork's end", finding.fieldwork.end)]
    for what, day in days:
        try:
            if day is not None:
                check_day(day, what)
        except ValueError as exc:  # a finding corrected by hand, or made by other code
            raise ReportError(where, str(exc)) from None
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


def check_import(
    store: Store,
    finding: Finding,
    plan_id: str | None = None,
    *,
    area: str | None = None,
    published: date | None = None,
    owners: Mapping[str, Sequence[str]] | None = None,
) -> ImportResult:
    """What `import_report` would do with the same arguments, without writing: the plan id it
    would use and the owner names that would become new roles. ReportError if the import
    would be refused (no area, no recommendations, a bad or taken plan id, a bad
    correction)."""
    fixed = correct(
        finding,
        area=area,
        published=published,
        owners=owners,
        known_roles=known_role_names(store) if area is not None else (),
    )
    return _planned(store, fixed, plan_id)


def _planned(store: Store, finding: Finding, plan_id: str | None) -> ImportResult:
    wanted = plan_id or default_plan_id(finding)
    _check(finding, wanted)
    created: list[str] = []
    with store_reader(store) as reader:
        same = None if plan_id else _same_plan(reader, finding)
        if same is not None:
            raise ReportError(finding.where, same_plan_problem(same, finding))
        if plan_reads.PLAN_ID.first(reader, plan=wanted) is not None:
            raise ReportError(
                finding.where,
                f"plan {wanted!r} is already in the database: give another id (--id)",
            )
        seen: set[str] = set()
        for rec in finding.recommendations:
            for owner in rec.owners:
                key = role_key(owner)
                if key in seen:
                    continue
                seen.add(key)
                if roles.role_called(reader, owner) is None:
                    created.append(" ".join(owner.split()))
    return ImportResult(wanted, created, finding.warnings)


_AREA_PLANS = PLANS.taking("plans' areas", ("slug", "area", "published"))
_PLAN_DAYS = plan_reads.PLAN.taking("plan's fieldwork", ("fieldwork_start", "fieldwork_end"))

SAME_PLAN = re.compile(r"is already in the database as plan '(?P<plan>[a-z0-9-]+)'")
"""How `same_plan_problem` names the plan already there, for a screen to offer to open it."""


def _year(finding: Finding) -> int | None:
    day = finding.published or (finding.fieldwork.end if finding.fieldwork else None)
    return None if day is None else day.year


def _same_plan(reader: Reader, finding: Finding) -> str | None:
    """The plan already in the database for the same area (the same service, whatever the
    wording) and year of publication as `finding`, or None."""
    year = _year(finding)
    if year is None or not finding.area.strip():
        return None
    for slug_, area, published in list(_AREA_PLANS.rows(reader)):
        if not same_area(str(area), finding.area):
            continue
        day = _day(published)
        if day is None:
            # No publication date: the year of its fieldwork, as the plan id takes it.
            row = _PLAN_DAYS.first(reader, plan=slug_)
            day = None if row is None else _day(row[1]) or _day(row[0])
        if day is not None and day.year == year:
            return str(slug_)
    return None


def _day(value: object) -> date | None:
    if isinstance(value, date):
        return value
    if isinstance(value, str) and value:
        return date.fromisoformat(value[:10])
    return None


def same_plan_problem(plan: str, finding: Finding) -> str:
    """The refusal for a report whose plan is already in the database."""
    return (
        f"this report's plan ({finding.area}, {_year(finding)}) is already in the database as "
        f"plan '{plan}': open that plan (`tracker check {plan}`, `tracker edit {plan}`, or Enter "
        "on it in the tracker's list), or give the new plan an id (--id) to make a second one"
    )


def existing_plan(problem: str) -> str | None:
    """The plan a refusal says is already there for the report (`same_plan_problem`), or None."""
    match = SAME_PLAN.search(problem)
    return None if match is None else match.group("plan")


def import_report(
    store: Store,
    finding: Finding,
    actor: str,
    plan_id: str | None = None,
    *,
    area: str | None = None,
    published: date | None = None,
    owners: Mapping[str, Sequence[str]] | None = None,
) -> ImportResult:
    """Create a draft plan from `finding`, with the user's corrections, in one transaction
    (every recommendation and owner, or nothing) and say what was made.

    `area`, `published` and `owners` (`{ref: [role, ...]}`) correct what the report said
    (see `corrections.correct`); `finding` itself is not changed. The id defaults to
    `default_plan_id` (the corrected area and year); an id already in the database is
    refused. ReportError for anything the user must fix."""
    fixed = correct(
        finding,
        area=area,
        published=published,
        owners=owners,
        known_roles=known_role_names(store) if area is not None else (),
    )
    planned = _planned(store, fixed, plan_id)
    doc = _check(fixed, planned.plan_id)
    try:
        load_plans(store, [(fixed.source or "report", doc)], actor)
    except (PlanFileError, ServiceError) as exc:
        raise ReportError(fixed.where, str(exc)) from None
    return planned


def read_finding(
    path: str | Path, *, known_roles: Iterable[str] = (), area: str | None = None
) -> tuple[str, Finding]:
    """The text of the report at `path` and what it says (`preview`'s work), the text kept
    so that it can be read again with the store's roles."""
    extracted = extract(path)
    try:
        finding = parse_report(extracted.text, Path(path).name, known_roles=known_roles, area=area)
    except ReportError as exc:
        raise ReportError(str(path), exc.problem) from None
    finding.notes[:0] = extracted.notes
    finding.path = str(path)
    return extracted.text, finding


def preview(
    path: str | Path, *, known_roles: Iterable[str] | None = None, area: str | None = None
) -> Finding:
    """Read and parse the report at `path` without touching the store: what a screen shows
    for the user to correct before `import_report`. `area`, when given, is the area inspected
    whatever the report says (a scores table's row is read for it). ReportError, naming
    `path` as given, if the report cannot be used."""
    return read_finding(path, known_roles=known_roles or (), area=area)[1]


def known_role_names(store: Store) -> list[str]:
    """Every role name and alias in the store (so that names holding "and" stay whole)."""
    with store_reader(store) as reader:
        return roles.known_role_names(reader)


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
    store: Store | Callable[[], Store] | None,
    path: str | Path,
    actor: str,
    *,
    dry_run: bool,
    plan_id: str | None = None,
    area: str | None = None,
    without_recommendations: bool = False,
) -> ImportRun:
    """`tracker import REPORT [--dry-run] [--id PLAN_ID] [--area NAME]`: read the report and,
    unless `dry_run`, create the draft plan. `area` is the area inspected when the report does
    not name it (or names it wrongly). `without_recommendations`: make the draft plan even
    when no recommendations were found (the user adds them by hand); otherwise that is refused.

    The report is read and checked before the database is touched: `store` may be a function
    that opens it, called only once the report is accepted, so that a refused report leaves
    no database behind; None (for a dry run only) means there is no database yet, and the
    check is made against a throwaway one. A dry run writes nothing but still checks the
    import: it returns the plan that would be made, or the ReportError the import would meet
    (in `refused`) so that the caller can show the finding first. ReportError for a report
    that cannot be read or used, and for a refused import that is not a dry run."""
    text, finding = read_finding(path, area=area)
    finding.without_recommendations = without_recommendations
    if not dry_run:
        _check(finding, plan_id or default_plan_id(finding))
    if store is None:
        if not dry_run:
            raise ReportError(str(path), "there is no database to import into")
        with scratch_store() as scratch:
            return _run(scratch, text, finding, dry_run=True, plan_id=plan_id, actor=actor)
    opened = store if isinstance(store, Store) else store()
    return _run(opened, text, finding, dry_run=dry_run, plan_id=plan_id, actor=actor)


def _run(
    store: Store, text: str, first: Finding, *, dry_run: bool, plan_id: str | None, actor: str
) -> ImportRun:
    # Read again with the store's roles: names that hold "and", brackets naming a known role.
    finding = parse_report(text, first.source, known_roles=known_role_names(store), area=first.area)
    finding.notes[:0] = [n for n in first.notes if n not in finding.notes]
    finding.path = first.path
    finding.without_recommendations = first.without_recommendations
    if dry_run:
        try:
            return ImportRun(finding, _planned(store, finding, plan_id), dry_run=True)
        except ReportError as exc:
            return ImportRun(finding, None, dry_run=True, refused=exc)
    return ImportRun(finding, import_report(store, finding, actor, plan_id), dry_run=False)
