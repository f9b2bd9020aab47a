"""The exports' one write: remembering that a board report was issued.

The next board report lists what changed since the latest of these (`board.last_board_report`),
so a board reads only what is new since its last meeting. Like every write in the tracker it is
one transaction and leaves an audit event.
"""

from __future__ import annotations

from datetime import datetime

from tracker import models
from tracker.exporters.board import BOARD_FORMATS, BOARD_REPORT_FIELD
from tracker.services import ServiceError, get_plan, require_editor
from tracker.store import Store


def record_board_report(
    store: Store, plan_slug: str, actor: str, fmt: str, *, issued_at: datetime | None = None
) -> None:
    """Record that `actor` issued a board report for `plan_slug` in format `fmt` (md, html or
    docx), as of `issued_at` (default now). Pass the moment just before the report's data was
    read: a change saved while the report was being written then shows in the next report
    rather than in neither. Refused (ServiceError) for another format, an unknown plan
    (NotFoundError), or a reviewer's store; a read-only store refuses it too (ReadOnlyError)."""
    if fmt not in BOARD_FORMATS:
        raise ServiceError(f"{fmt!r} is not a board report format ({', '.join(BOARD_FORMATS)})")
    require_editor(store)
    if issued_at is None:
        issued_at = models.utcnow()
    elif issued_at.tzinfo is None:
        raise ValueError("issued_at must be timezone-aware")
    with store.write() as session:
        plan = get_plan(session, plan_slug)
        session.add(
            models.BoardReport(plan_id=plan.id, issued_at=issued_at, issued_by=actor, format=fmt)
        )
        # The event carries the report's own time, so that "changes since the last report"
        # (strictly after it) never counts the report itself.
        session.add(
            models.AuditEvent(
                at=issued_at,
                actor=actor,
                entity="plan",
                entity_id=plan.id,
                entity_ref=plan.slug,
                entity_version=plan.version,
                field=BOARD_REPORT_FIELD,
                old_value=None,
                new_value=fmt,
            )
        )
