"""Every date the tracker stores is one a plan can have (issue 14, point 3): a plan file, and
each service that takes a date, refuse one outside `rules.EARLIEST`..`rules.LATEST` with the
field named, and write nothing."""

from __future__ import annotations

from collections.abc import Callable
from datetime import date
from pathlib import Path
from typing import Any

import pytest

from conftest import SAMPLES, TODAY, snapshot
from tracker import services
from tracker.errors import PlanFileError
from tracker.planfile import parse_plan
from tracker.services import ActionChanges, NewAction, PlanChanges, ServiceError
from tracker.store import Store
from tracker.vocab import InspectionKind, PlanStatus

FAR = date(9999, 12, 10)
PLAN = "stockton-2010"


def test_a_plan_file_with_a_far_future_date_is_refused_naming_its_key() -> None:
    text = SAMPLES[0].read_text().replace("published = 2014-04-23", "published = 9999-12-10")
    assert "9999-12-10" in text
    with pytest.raises(PlanFileError) as refused:
        parse_plan(text.encode(), "far.toml")
    assert refused.value.where == "far.toml: inspection.published"
    assert "outside the dates a plan can have" in refused.value.problem
    early = SAMPLES[0].read_text().replace("target = 2014-06-30", "target = 1999-12-31", 1)
    with pytest.raises(PlanFileError, match=r"target.*1999-12-31 is outside"):
        parse_plan(early.encode(), "early.toml")


WRITES: dict[str, Callable[[Store], Any]] = {
    "update target": lambda s: services.update_action(
        s, f"{PLAN}/3.3", "m", TODAY, ActionChanges(target_on=FAR)
    ),
    "add action": lambda s: services.add_action(
        s, f"{PLAN}/3", "m", TODAY, NewAction("x", target_on=FAR)
    ),
    "evidence": lambda s: services.add_evidence(
        s, f"{PLAN}/3.3", "m", "t", reference="r", expires=FAR
    ),
    "plan published": lambda s: services.edit_plan(s, PLAN, "m", PlanChanges(published=FAR)),
    "new plan": lambda s: services.new_plan(s, "m", "Hartlepool", InspectionKind.OTHER, FAR),
    "step": lambda s: services.record_step(
        s, "cambridgeshire-2014", PlanStatus.SUBMITTED, FAR, "m", anyway=True
    ),
    "withdraw": lambda s: services.withdraw_action(s, f"{PLAN}/3.3", "m", FAR, "gone"),
}


@pytest.mark.parametrize("write", WRITES.values(), ids=WRITES.keys())
def test_a_service_refuses_a_date_no_plan_can_have(
    loaded: Store, loaded_target: str, write: Callable[[Store], Any], tmp_path: Path
) -> None:
    before = snapshot(loaded_target)
    with pytest.raises(ServiceError, match="9999-12-10 is outside the dates a plan can have"):
        write(loaded)
    assert snapshot(loaded_target) == before
