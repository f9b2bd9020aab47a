"""Evidence integrity: re-hash evidence files and report any that changed or went missing."""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

from sqlalchemy import select
from sqlalchemy.orm import Session

from tracker.models import Action, Evidence, Plan
from tracker.services import fingerprint, get_plan


@dataclass(frozen=True)
class EvidenceCheck:
    """One evidence file and what was found: ok, changed, missing or unreadable."""

    action: str
    evidence_id: int
    title: str
    path: str
    state: str
    detail: str = ""


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
        path = Path(evidence.file_path or "")
        state, detail = "ok", ""
        if not path.is_file():
            state, detail = "missing", "no such file"
        else:
            try:
                digest, size = fingerprint(path)
            except OSError as exc:
                state, detail = "unreadable", str(exc.strerror)
            else:
                if digest != evidence.sha256 or size != evidence.size:
                    state = "changed"
                    recorded = f"{str(evidence.sha256)[:12]}… size {evidence.size}"
                    detail = f"now sha256 {digest[:12]}… size {size}; recorded {recorded}"
        checks.append(
            EvidenceCheck(f"{slug}/{ref}", evidence.id, evidence.title, str(path), state, detail)
        )
    return checks
