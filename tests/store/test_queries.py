"""The list queries count evidence in SQL for speed; their colours must be the rule's own."""

from __future__ import annotations

from datetime import date

import pytest
from sqlalchemy import select

from conftest import TODAY
from tracker import rules
from tracker.models import Action, Evidence, Plan
from tracker.queries import lists
from tracker.queries.session import SessionReader
from tracker.store import Store
from tracker.vocab import ReviewState


def rule_facts(action: Action) -> rules.ActionFacts:
    """An action's facts the slow, obvious way: every piece of evidence from the ORM."""
    return rules.ActionFacts(
        action.status,
        action.target_on,
        action.start_on,
        action.progress,
        tuple(rules.EvidenceFacts(e.review, e.expires_on) for e in action.evidence),
        action.brag_override,
    )


@pytest.mark.parametrize(
    "today", [date(2009, 6, 1), date(2010, 5, 1), TODAY, date(2011, 1, 1), date(2030, 1, 1)]
)
def test_sql_counted_evidence_gives_the_rules_colours(loaded: Store, today: date) -> None:
    with loaded.write() as session:
        # Evidence that stops counting: one piece expiring, one queried, one expired already.
        pieces = session.scalars(select(Evidence).order_by(Evidence.id)).all()
        pieces[0].expires_on = TODAY
        pieces[1].review = ReviewState.QUERIED
        pieces[1].reviewer, pieces[1].reviewed_on = "YJB", TODAY
        pieces[2].expires_on = date(2009, 1, 1)
    with loaded.read() as session:
        fast_plans = {row.id: row.summary for row in lists.plan_rows(SessionReader(session), today)}
        fast_actions = {row.id: row for row in lists.action_rows(SessionReader(session), today)}
        for plan in session.scalars(select(Plan)):
            actions = session.scalars(select(Action).where(Action.plan_id == plan.id)).all()
            assert fast_plans[plan.slug] == rules.summarise(map(rule_facts, actions), today)
            for action in actions:
                row = fast_actions[f"{plan.slug}/{action.ref}"]
                assert row.brag == rules.brag(rule_facts(action), today), row.id
                assert row.evidence == len(action.evidence)
    colours = {r.brag.colour for r in fast_actions.values()}
    assert len(colours) > 1  # the dates chosen give more than one colour
