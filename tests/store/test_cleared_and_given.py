"""A field both cleared and given a value is refused by the services themselves (one edit or a
bulk change, as the TUI makes them), on SQLite and on the PostgreSQL test server."""

from __future__ import annotations

from datetime import date
from pathlib import Path

import pytest

from conftest import TODAY
from tracker import services
from tracker.queries import lookups
from tracker.services import ActionChanges, ServiceError
from tracker.store import Store
from tracker.vocab import Brag

REF = "stockton-2010/3.2"


@pytest.mark.parametrize(
    ("changes", "named"),
    [
        (ActionChanges(lead="Ann Other", clear=frozenset({"lead"})), "lead"),
        (ActionChanges(target_on=date(2011, 3, 31), clear=frozenset({"target_on"})), "target_on"),
        (
            ActionChanges(brag_override=Brag.GREEN, brag_override_reason="x",
                          clear=frozenset({"brag_override"})),
            "brag_override",
        ),
        (
            ActionChanges(brag_override_reason="because", clear=frozenset({"brag_override"})),
            "brag_override (an override reason is given)",
        ),
    ],
)  # fmt: skip
def test_cleared_and_given_is_refused_in_one_edit_and_in_a_bulk_change(
    loaded: Store, changes: ActionChanges, named: str
) -> None:
    with loaded.read() as session:
        before = lookups.get_action(session, REF).version
    with pytest.raises(ServiceError, match="both cleared and given") as refused:
        services.update_action(loaded, REF, "m", TODAY, changes)
    assert str(refused.value).startswith(named)
    with pytest.raises(ServiceError, match=r"stockton-2010/\d\.\d: .*both cleared and given"):
        services.bulk_update(loaded, {REF: None, "stockton-2010/1.2": None}, "m", TODAY, changes)
    with loaded.read() as session:
        assert lookups.get_action(session, REF).version == before


def test_blank_text_beside_a_clear_asks_for_the_same_thing(loaded: Store) -> None:
    # A plan file's update empties an override and its reason together: no contradiction.
    services.update_action(
        loaded, REF, "m", TODAY, ActionChanges(brag_override=Brag.GREEN, brag_override_reason="r")
    )
    services.update_action(
        loaded,
        REF,
        "m",
        TODAY,
        ActionChanges(lead="", brag_override_reason="", clear=frozenset({"lead", "brag_override"})),
    )
    with loaded.read() as session:
        action = lookups.get_action(session, REF)
        assert (action.lead, action.brag_override, action.brag_override_reason) == (
            None,
            None,
            None,
        )


def test_evidence_swapped_for_a_pipe_is_refused_through_the_service(
    loaded: Store, tmp_path: Path
) -> None:
    import os

    path = tmp_path / "minutes.pdf"
    os.mkfifo(path)
    with pytest.raises(ServiceError, match="not a regular file but a named pipe"):
        services.add_evidence(loaded, REF, "m", "Minutes", file=path)


def test_a_recommendation_or_plan_field_cleared_and_given_is_refused(loaded: Store) -> None:
    # The same contradiction in the plan-writing edits: `rec edit --clear theme --theme x`
    # and `plan edit --clear title --title x` exited 0 and dropped the value.
    from conftest import snapshot
    from tracker.services.changes import PlanChanges, RecommendationChanges
    from tracker.services.plan_details import edit_plan
    from tracker.services.recommendations import edit_recommendation

    before = snapshot(loaded.url)
    with pytest.raises(ServiceError, match="theme: both cleared and given a value"):
        edit_recommendation(
            loaded, "stockton-2010/2", "tester",
            RecommendationChanges(theme="Courts", clear=frozenset({"theme"})),
        )  # fmt: skip
    with pytest.raises(ServiceError, match="title: both cleared and given a value"):
        edit_plan(
            loaded, "stockton-2010", "tester",
            PlanChanges(title="A new title", clear=frozenset({"title"})),
        )  # fmt: skip
    assert snapshot(loaded.url) == before
    # Blank text beside a clear asks for the same thing: no contradiction.
    edit_recommendation(
        loaded, "stockton-2010/2", "tester",
        RecommendationChanges(theme=" ", clear=frozenset({"theme"})),
    )  # fmt: skip
