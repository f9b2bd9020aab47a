"""The ready-to-submit rule (`tracker.rules.readiness`): one test per condition, and the line
a user reads first."""

from __future__ import annotations

from datetime import date

from tracker.rules import DraftAction, DraftRecommendation, readiness
from tracker.vocab import Response

PUBLISHED = date(2026, 11, 20)


def act(ref: str = "1.1", **changes: object) -> DraftAction:
    values: dict[str, object] = {
        "ref": ref,
        "lead_role": "Head of Service",
        "target": date(2027, 3, 31),
        "success_measure": "Nine in ten plans reviewed on time",
    }
    values.update(changes)
    return DraftAction(**values)  # type: ignore[arg-type]


def rec(
    ref: str = "1",
    actions: tuple[DraftAction, ...] | None = None,
    response: Response | None = Response.AGREED,
    reason: str | None = None,
) -> DraftRecommendation:
    return DraftRecommendation(
        ref, response, reason, (act(f"{ref}.1"),) if actions is None else actions
    )


def kinds(published: date | None, recs: list[DraftRecommendation]) -> list[tuple[str, str | None]]:
    return [(g.kind, g.ref) for g in readiness(published, recs).gaps]


def test_a_complete_plan_is_ready() -> None:
    found = readiness(PUBLISHED, [rec("1"), rec("2")])
    assert found.ready
    assert found.summary() == "ready to submit: 2 recommendations, 2 actions"


def test_no_publication_date() -> None:
    assert kinds(None, [rec()]) == [("no publication date", None)]


def test_no_recommendations_at_all() -> None:
    found = readiness(PUBLISHED, [])
    assert [(g.kind, g.ref) for g in found.gaps] == [("no recommendations", None)]
    assert found.summary() == "no recommendations"


def test_a_recommendation_with_no_action() -> None:
    found = readiness(PUBLISHED, [rec("1"), rec("2", actions=())])
    assert [(g.kind, g.ref) for g in found.gaps] == [("no actions", "2")]
    assert found.summary() == "1 of 2 recommendations have actions"


def test_a_recommendation_not_agreed_needs_no_action_but_a_reason() -> None:
    assert kinds(PUBLISHED, [rec("1", actions=(), response=Response.NOT_AGREED)]) == [
        ("no reason", "1")
    ]
    given = rec("1", actions=(), response=Response.NOT_AGREED, reason="Out of our hands")
    assert readiness(PUBLISHED, [given]).ready


def test_a_partly_agreed_recommendation_without_a_reason() -> None:
    assert kinds(PUBLISHED, [rec("1", response=Response.PARTLY_AGREED, reason="  ")]) == [
        ("no reason", "1")
    ]


def test_an_action_with_no_lead_role() -> None:
    assert kinds(PUBLISHED, [rec("1", actions=(act("1.1", lead_role=None),))]) == [
        ("no lead role", "1.1")
    ]


def test_an_action_with_no_target_date() -> None:
    assert kinds(PUBLISHED, [rec("1", actions=(act("1.1", target=None),))]) == [
        ("no target date", "1.1")
    ]


def test_a_target_date_before_publication() -> None:
    early = act("1.1", target=date(2026, 11, 19))
    found = readiness(PUBLISHED, [rec("1", actions=(early,))])
    assert [(g.kind, g.ref) for g in found.gaps] == [("target before publication", "1.1")]
    assert "2026-11-19" in found.gaps[0].message and "2026-11-20" in found.gaps[0].message
    on_the_day = act("1.1", target=PUBLISHED)
    assert readiness(PUBLISHED, [rec("1", actions=(on_the_day,))]).ready


def test_an_action_with_no_success_measure() -> None:
    assert kinds(PUBLISHED, [rec("1", actions=(act("1.1", success_measure=""),))]) == [
        ("no success measure", "1.1")
    ]


def test_the_summary_counts_what_a_user_must_fix() -> None:
    plan = [
        rec("1", actions=(act("1.1", success_measure=None), act("1.2", success_measure=None))),
        rec("2", actions=(act("2.1", success_measure=None),)),
        rec("3", actions=()),
        rec("4", actions=()),
        rec("5", actions=()),
    ]
    found = readiness(PUBLISHED, plan)
    assert not found.ready
    assert found.summary() == (
        "2 of 5 recommendations have actions; 3 actions lack a success measure"
    )
    # The checklist lists the missing actions first, each once, in the plan's order.
    assert [g.ref for g in found.gaps] == ["3", "4", "5", "1.1", "1.2", "2.1"]
