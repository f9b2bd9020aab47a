"""Issue 16 at the command line: a report without a recognised list still shows everything
found (dry run, exit 1), can be made into a draft on request, and a report whose plan is
already in the database is refused naming that plan."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

from conftest import ROOT, SEEDS, snapshot

WEB_PAGE = ROOT / "tests" / "golden" / "import" / "wordings" / "web_page_council_service.txt"
HALTON = SEEDS / "halton-warrington-2009-cci-report.txt"


def test_a_dry_run_prints_what_was_found_without_a_list_and_exits_1(
    tracker: Any, db_target: str
) -> None:
    before = snapshot(db_target)
    result = tracker("import", "--dry-run", "--json", str(WEB_PAGE), db=db_target)
    assert result.code == 1 and "Traceback" not in result.err
    data = json.loads(result.out)
    assert (data["area"], data["published"], data["submission_due"]) == (
        "Wigan",
        "2023-01-10",
        "2023-02-07",
    )
    assert data["ratings"] == [{"name": "Overall", "rating": "Good"}]
    assert data["refused"].startswith("no recommendations found")
    assert "no recommendations found" in result.err
    assert snapshot(db_target) == before


def test_without_a_list_nothing_is_made_unless_asked(tracker: Any, db_target: str) -> None:
    before = snapshot(db_target)
    refused = tracker("import", str(WEB_PAGE), db=db_target)
    assert refused.code == 1 and "Nothing was created" in refused.err
    assert snapshot(db_target) == before
    made = tracker("import", "--without-recommendations", str(WEB_PAGE), db=db_target)
    assert made.code == 0, made.err
    assert "created draft plan wigan-2023" in made.out
    assert "0 recommendations" in made.out


def test_a_report_whose_plan_is_there_already_is_refused_naming_it(
    tracker: Any, loaded_target: str, tmp_path: Path
) -> None:
    before = snapshot(loaded_target)
    result = tracker("import", str(HALTON), db=loaded_target)
    assert result.code == 1
    assert "already in the database as plan 'halton-warrington-2009'" in result.err
    assert snapshot(loaded_target) == before
    again = tracker("import", "--id", "halton-second", str(HALTON), db=loaded_target)
    assert again.code == 0, again.err
