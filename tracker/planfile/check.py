"""The rules of a plan file that span its fields: the format's version, ids and refs, lifecycle
dates in order, completion, BRAG overrides, and where evidence is kept. Each broken rule is a
`PlanFileError` naming the key."""

from __future__ import annotations

import itertools
import re
from datetime import date

from tracker.errors import PlanFileError
from tracker.planfile.docs import (
    FORMAT_VERSION,
    PLAN_ID,
    REF,
    SHA256,
    ActionDoc,
    EvidenceDoc,
    PlanDoc,
)
from tracker.rules import check_override, check_rrule
from tracker.vocab import ActionStatus, PlanStatus, ReviewState


def check_plan(doc: PlanDoc) -> None:
    """Rules that span fields: unique refs, lifecycle dates in order, completion, evidence."""
    if doc.format != FORMAT_VERSION:
        raise PlanFileError(
            "format", f"this tracker reads format {FORMAT_VERSION}, not {doc.format}"
        )
    if not PLAN_ID.match(doc.id):
        raise PlanFileError("id", f"{doc.id!r}: use lower case letters, digits and '-'")
    steps = [("submitted", doc.submitted), ("agreed", doc.agreed), ("forwarded", doc.forwarded)]
    steps.append(("closed", doc.closed))
    known = [(name, day) for name, day in steps if day is not None]
    for (first, a), (second, b) in itertools.pairwise(known):
        if b < a:
            raise PlanFileError(second, f"{b} is before {first} ({a})")
    needs = {
        PlanStatus.SUBMITTED: "submitted",
        PlanStatus.AGREED: "agreed",
        PlanStatus.MONITORING: "forwarded",
        PlanStatus.CLOSED: "closed",
    }
    if doc.status in needs and getattr(doc, needs[doc.status]) is None:
        raise PlanFileError("status", f"{doc.status.value!r} needs the date '{needs[doc.status]}'")
    for i, gap in enumerate(doc.submitted_incomplete, start=1):
        where = f"submitted_incomplete[{i}]"
        if not gap.strip():
            raise PlanFileError(where, "cannot be empty")
        if "\n" in gap:
            raise PlanFileError(where, "one gap a line: split it into two items")
    if doc.submitted_incomplete and doc.submitted is None:
        raise PlanFileError("submitted_incomplete", "goes with the date 'submitted'")
    _check_version(doc.version, "version")
    if doc.board_meetings is not None:
        try:
            check_rrule(
                doc.board_meetings, start=doc.board_meetings_start or doc.inspection.published
            )
        except ValueError as exc:
            raise PlanFileError("board_meetings", str(exc)) from None
    ins = doc.inspection
    if ins.fieldwork_start and ins.fieldwork_end and ins.fieldwork_end < ins.fieldwork_start:
        raise PlanFileError("inspection.fieldwork_end", "is before fieldwork_start")
    for i, score in enumerate(ins.scores, start=1):
        if score.percent is not None and not 0 <= score.percent <= 100:
            raise PlanFileError(f"inspection.scores[{i}].percent", "must be from 0 to 100")
    seen_actions: set[str] = set()
    seen_recs: set[str] = set()
    for rec in doc.recommendations:
        where = f"recommendations[ref={rec.ref}]"
        if not REF.match(rec.ref):
            raise PlanFileError(f"{where}.ref", "use letters, digits, '.' and '-' only")
        if rec.ref in seen_recs:
            raise PlanFileError(f"{where}.ref", f"{rec.ref!r} is used twice")
        seen_recs.add(rec.ref)
        _check_withdrawn(rec.withdrawn, rec.withdrawn_reason, where)
        _check_version(rec.version, f"{where}.version")
        for action in rec.actions:
            at = f"{where}.actions[ref={action.ref}]"
            _check_action(action, at, seen_actions)
            if rec.withdrawn is not None and action.withdrawn is None:
                raise PlanFileError(
                    f"{at}.withdrawn",
                    f"recommendation {rec.ref} is withdrawn, and its actions with it: give this "
                    f"action withdrawn = {rec.withdrawn.isoformat()} and withdrawn_reason too",
                )


def _check_withdrawn(on: date | None, reason: str | None, where: str) -> None:
    if on is not None and (reason is None or not reason.strip()):
        raise PlanFileError(f"{where}.withdrawn_reason", "a withdrawal needs its reason")
    if on is None and reason is not None:
        raise PlanFileError(f"{where}.withdrawn_reason", "goes with the date 'withdrawn'")


def _check_version(version: int | None, where: str) -> None:
    if version is not None and version < 1:
        raise PlanFileError(where, "a row's version is 1 or more (leave it as the dump wrote it)")


def _check_action(action: ActionDoc, where: str, seen: set[str]) -> None:
    if not REF.match(action.ref):
        raise PlanFileError(f"{where}.ref", "use letters, digits, '.' and '-' only")
    if action.ref in seen:
        raise PlanFileError(f"{where}.ref", f"{action.ref!r} is used twice in this plan")
    seen.add(action.ref)
    if not 0 <= action.progress <= 100:
        raise PlanFileError(f"{where}.progress", "must be from 0 to 100")
    if action.start and action.target and action.target < action.start:
        raise PlanFileError(f"{where}.target", f"{action.target} is before start {action.start}")
    if action.status is ActionStatus.COMPLETE and action.completed is None:
        raise PlanFileError(f"{where}.completed", "a complete action needs its completion date")
    if action.status is not ActionStatus.COMPLETE and action.completed is not None:
        raise PlanFileError(f"{where}.completed", f"the action is {action.status.value}")
    _check_withdrawn(action.withdrawn, action.withdrawn_reason, where)
    _check_version(action.version, f"{where}.version")
    try:
        check_override(action.brag_override, action.brag_override_reason)
    except ValueError as exc:
        raise PlanFileError(f"{where}.brag_override_reason", str(exc)) from None
    for i, ev in enumerate(action.evidence, start=1):
        _check_evidence(ev, f"{where}.evidence[{i}]")


_ABSOLUTE = re.compile(r"/|[A-Za-z]:[\\/]|\\\\")
"""How an absolute path begins: `/` (POSIX), `C:\\` or `C:/` (Windows), `\\\\server` (UNC)."""


def evidence_path_problem(path: str) -> str | None:
    """Why `path` cannot be an evidence file's recorded place, or None. It records where the
    file was on the service's machine, so it must be absolute, with no `..` to climb out of
    where it says (and so no `~`, which only means something to one user's shell)."""
    if not _ABSOLUTE.match(path):
        return f"{path!r} must be an absolute path (where the file is), not relative or ~"
    if ".." in re.split(r"[\\/]", path):
        return f"{path!r} must not hold '..'"
    return None


def _check_evidence(ev: EvidenceDoc, where: str) -> None:
    if (ev.reference is None) == (ev.file is None):
        raise PlanFileError(where, "give exactly one of 'reference' and 'file'")
    if ev.file is not None:
        problem = evidence_path_problem(ev.file)
        if problem is not None:
            raise PlanFileError(f"{where}.file", problem)
        if ev.sha256 is None or not SHA256.match(ev.sha256):
            raise PlanFileError(f"{where}.sha256", "a file needs its SHA-256 as 64 hex digits")
        if ev.size is None or ev.size < 0:
            raise PlanFileError(f"{where}.size", "a file needs its size in bytes")
    elif ev.sha256 is not None or ev.size is not None:
        raise PlanFileError(where, "'sha256' and 'size' go with 'file' only")
    reviewed = ev.review is not ReviewState.PENDING
    if reviewed and (ev.reviewer is None or ev.reviewed is None):
        raise PlanFileError(f"{where}.review", f"{ev.review.value!r} needs reviewer and reviewed")
