"""A busy database: the samples with all that the reads show beyond a loaded plan."""

from __future__ import annotations

from datetime import date, timedelta
from pathlib import Path

from sqlalchemy import select

from conftest import TODAY
from tests.support.signoffs import OFFICER, PLAN, sign_off_4
from tracker import services
from tracker.models import Evidence, utcnow
from tracker.services import ActionChanges, record_board_report
from tracker.store import Store
from tracker.vocab import ActionStatus, Brag, PlanStatus, Response, ReviewState

LEAD = "Miriam Robertson"


def make_busy(store: Store, reviewer: Store, folder: Path) -> None:
    """The samples with all that the reads show beyond a loaded plan: two board reports (the
    later one first), then edits, a progress note, evidence as a reference and as a file, one
    piece expiring today (the only one of a complete action: Blue today, Amber tomorrow) and
    one expired, a BRAG override, an owner named by an alias, two recommendations signed off
    (4, then 2), a piece of evidence queried; and the plan written further: an action added
    and one withdrawn, a recommendation added (not agreed, with a reason) and one withdrawn
    with its actions, another plan submitted incomplete."""
    record_board_report(store, PLAN, LEAD, "md")
    record_board_report(store, PLAN, LEAD, "html", issued_at=utcnow() - timedelta(days=2))
    services.update_action(
        store, f"{PLAN}/3.2", LEAD, TODAY, ActionChanges(progress=60), note="Panel met"
    )
    services.add_evidence(store, f"{PLAN}/3.2", LEAD, "Panel minutes", reference="MIN/9")
    minutes = folder / "minutes.txt"
    minutes.write_text("Minutes of the panel, 14 September 2010\n")
    services.add_evidence(store, f"{PLAN}/2.2", LEAD, "Scanned minutes", file=minutes, dated=TODAY)
    services.add_evidence(
        store, f"{PLAN}/1.3", LEAD, "Clinic pack", reference="PACK/7", expires=TODAY
    )
    services.add_evidence(
        store, f"{PLAN}/3.1", LEAD, "Old audit", reference="QA/2009", expires=date(2010, 9, 1)
    )
    services.update_action(
        store,
        f"{PLAN}/3.3",
        LEAD,
        TODAY,
        ActionChanges(brag_override=Brag.AMBER, brag_override_reason="Clinic rebooked"),
    )
    services.update_action(
        store,
        f"{PLAN}/1.3",
        LEAD,
        TODAY,
        ActionChanges(owner="chair of the  YOS management board", lead="Pat Lee"),
    )
    services.add_note(store, f"{PLAN}/1.3", LEAD, TODAY, "Handed to the board")
    sign_off_4(store, reviewer)
    services.update_action(
        store, f"{PLAN}/2.2", LEAD, TODAY, ActionChanges(status=ActionStatus.COMPLETE)
    )
    services.sign_off_recommendation(reviewer, PLAN, "2", OFFICER, TODAY)
    with store.read() as session:
        queried = session.scalar(select(Evidence.id).where(Evidence.reference == "MIN/9"))
    assert queried is not None
    services.review_evidence(
        reviewer, queried, OFFICER, ReviewState.QUERIED, TODAY, comment="Undated"
    )
    services.add_action(
        store,
        f"{PLAN}/5",
        LEAD,
        TODAY,
        services.NewAction("Re-audit in the spring", lead_role="YOS Manager", target_on=TODAY),
    )
    services.withdraw_action(store, f"{PLAN}/3.3", LEAD, TODAY, "Merged into 3.2")
    added = services.add_recommendation(
        store,
        PLAN,
        LEAD,
        "Publish the panel's decisions",
        owners=["Head of Service"],
        response=Response.NOT_AGREED,
        response_reason="The court publishes them",
    )
    services.withdraw_recommendation(store, "cambridgeshire-2014/3", LEAD, TODAY, "Answered by 2")
    assert added == f"{PLAN}/6"
    services.record_step(
        store, "cambridgeshire-2014", PlanStatus.SUBMITTED, TODAY, LEAD, anyway=True
    )
