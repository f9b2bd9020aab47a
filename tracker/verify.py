"""Evidence integrity: re-hash evidence files and report any that changed or went missing.

A recorded path is looked at as it is: a symbolic link is never followed (a link put where the
file was is a change, not the file), nothing but a regular file is opened (a pipe there would
block for ever), and a recorded path that is not absolute is never resolved against wherever
`tracker verify` happens to run.
"""

from __future__ import annotations

import hashlib
import os
import stat
from dataclasses import dataclass

from sqlalchemy import select
from sqlalchemy.orm import Session

from tracker.models import Action, Evidence, Plan
from tracker.planfile import evidence_path_problem
from tracker.services import get_plan

STATES = ("ok", "changed", "missing", "unreadable")
"""What a check can find."""


@dataclass(frozen=True)
class EvidenceCheck:
    """One evidence file and what was found: ok, changed, missing or unreadable."""

    action: str
    evidence_id: int
    title: str
    path: str
    state: str
    detail: str = ""


def _fingerprint_no_follow(path: str) -> tuple[str, int] | str:
    """The SHA-256 and size of the regular file at `path`, or what is there instead."""
    try:
        # O_NOFOLLOW: a link is refused by the system itself, so that nothing can swap the
        # file for a link between a look and the open. O_NONBLOCK: a pipe cannot stall us.
        fd = os.open(path, os.O_RDONLY | os.O_NOFOLLOW | os.O_NONBLOCK)
    except OSError:
        if os.path.islink(path):
            return "now a symbolic link"
        raise
    with os.fdopen(fd, "rb") as handle:
        if not stat.S_ISREG(os.fstat(handle.fileno()).st_mode):
            return "now not a regular file"
        digest, size = hashlib.sha256(), 0
        while block := handle.read(1024 * 1024):
            digest.update(block)
            size += len(block)
    return digest.hexdigest(), size


def check_file(path: str, sha256: str | None, size: int | None) -> tuple[str, str]:
    """(state, detail) for the evidence file recorded at `path` with that SHA-256 and size."""
    problem = evidence_path_problem(path)
    if problem is not None:
        return "unreadable", f"the recorded path {problem}"
    if not os.path.lexists(path):
        return "missing", "no such file"
    try:
        found = _fingerprint_no_follow(path)
    except OSError as exc:
        return "unreadable", str(exc.strerror or exc)
    if isinstance(found, str):
        return "changed", found
    digest, now = found
    if digest != sha256 or now != size:
        recorded = f"{str(sha256)[:12]}… size {size}"
        return "changed", f"now sha256 {digest[:12]}… size {now}; recorded {recorded}"
    return "ok", ""


def verify_evidence(session: Session, plan: str | None = None) -> list[EvidenceCheck]:
    """Every evidence file (of one plan, or all), re-hashed and compared with its record."""
    query = (
        select(Evidence, Action.ref, Plan.slug)
        .join(Action, Evidence.action_id == Action.id)
        .join(Plan, Action.plan_id == Plan.id)
        .where(Evidence.file_path.is_not(None))
        .order_by(Plan.slug, Action.ref, Evidence.id)
    )
    if plan is not None:
        query = query.where(Plan.id == get_plan(session, plan).id)
    checks = []
    for evidence, ref, slug in session.execute(query):
        path = evidence.file_path or ""
        state, detail = check_file(path, evidence.sha256, evidence.size)
        checks.append(
            EvidenceCheck(f"{slug}/{ref}", evidence.id, evidence.title, path, state, detail)
        )
    return checks
