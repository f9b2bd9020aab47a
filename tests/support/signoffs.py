"""A recommendation signed off by the YJB: what the sign-off and export tests start from."""

from __future__ import annotations

from datetime import datetime

from conftest import TODAY
from tracker import services
from tracker.models import utcnow
from tracker.queries import lookups
from tracker.services import ActionChanges
from tracker.store import Store
from tracker.vocab import ActionStatus

PLAN = "stockton-2010"
OFFICER = "Yasmin Officer (YJB)"


def finish_4(loaded: Store) -> None:
    """Finish and evidence 4.2, the one action of recommendation 4 not yet Blue."""
    services.update_action(
        loaded, f"{PLAN}/4.2", "Miriam", TODAY, ActionChanges(status=ActionStatus.COMPLETE)
    )
    services.add_evidence(loaded, f"{PLAN}/4.2", "Miriam", "Audit", reference="QA/4.2")


def sign_off_4(loaded: Store, reviewer: Store) -> tuple[datetime, datetime]:
    """Sign recommendation 4 off (finished first unless it is); the clock before and after."""
    with loaded.read() as session:
        if lookups.get_action(session, f"{PLAN}/4.2").status is not ActionStatus.COMPLETE:
            finish_4(loaded)
    before = utcnow()
    services.sign_off_recommendation(reviewer, PLAN, "4", OFFICER, TODAY)
    return before, utcnow()
