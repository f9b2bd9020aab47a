"""The area inspected, as reports and council papers name it (in capitals, after a post, with
"the London Borough of"), and the corrections a user makes before importing: the area, the
publication date and the owners, through `import_report(..., area=, published=, owners=)`."""

from __future__ import annotations

import tomllib
from datetime import date
from pathlib import Path

import pytest

from conftest import snapshot
from tracker.importers import (
    ReportError,
    check_import,
    correct,
    import_report,
    parse_report,
    preview,
)
from tracker.importers.report import find_area
from tracker.planfile import render_plan
from tracker.queries.plandoc import plan_doc
from tracker.queries.session import SessionReader
from tracker.store import Store


@pytest.mark.parametrize(
    ("text", "area"),
    [
        ("45. INSPECTION OF YOUTH OFFENDING WORK IN WILTSHIRE\n", "Wiltshire"),
        ("The Head of Wiltshire Youth Offending Service presented the report.", "Wiltshire"),
        ("The Chair of the Wigan YOS Management Board thanked staff.", "Wigan"),
        ("The Wigan YOS Management Board should:", "Wigan"),
        # The gazetteer's name for the service, without "the London Borough of".
        ("Report on youth offending work in the London Borough of Hackney\n", "Hackney"),
        ("Inspection of youth offending work in Blackburn with Darwen\n", "Blackburn with Darwen"),
        ("INSPECTION OF YOUTH OFFENDING WORK IN BLACKBURN WITH DARWEN\n", "Blackburn with Darwen"),
        ("YOUTH OFFENDING WORK IN STOKE-ON-TRENT\n", "Stoke-on-Trent"),
        (
            "Core Case Inspection of Youth Offending Work in Kingston upon Hull",
            "Kingston upon Hull",
        ),
        (
            "Inspection of Youth Offending Work in: Bath and North East Somerset\n",
            "Bath and North East Somerset",
        ),
        ("Core Case Inspection of youth offending work in Wigan in March 2015", "Wigan"),
        ("Core Case Inspection of youth offending work in Salford     HMI Probation", "Salford"),
        ("An inspection of youth offending services in\nNorth Yorkshire\n", "North Yorkshire"),
        # Words that are not a youth justice service are never taken for the area.
        ("45. INSPECTION OF YOUTH OFFENDING WORK IN WESTSHIRE\n", ""),
        ("The Head of the Council's Youth Offending Service presented the report.", ""),
    ],
)
def test_the_area_is_found_as_reports_and_council_papers_name_it(text: str, area: str) -> None:
    assert find_area(text) == area


MINUTES = """\
WILTSHIRE COUNCIL
CHILDREN'S SERVICES SCRUTINY PANEL
Minutes of the meeting held on Tuesday 18 March 2014 at 2.00 pm

45. INSPECTION OF YOUTH OFFENDING WORK IN WILTSHIRE

The Head of Wiltshire Youth Offending Service presented the outcome of the Short Quality
Screening inspection by HMI Probation. The report was published on 12th March 2014.

The Wiltshire YOS Management Board should:
- ensure that performance information is presented to the board each quarter
- review the membership of the board

RESOLVED:
1. That Members note the outcome of the inspection.
"""


def test_council_minutes_name_the_area_in_their_heading() -> None:
    found = parse_report(MINUTES, "minutes.txt")
    assert found.area == "Wiltshire"
    assert [r.owners for r in found.recommendations] == [["YOS Management Board"]] * 2


NO_AREA = (
    MINUTES.replace("WILTSHIRE COUNCIL\n", "")
    .replace(
        "45. INSPECTION OF YOUTH OFFENDING WORK IN WILTSHIRE",
        "45. INSPECTION OF THE YOUTH OFFENDING SERVICE",
    )
    .replace("The Head of Wiltshire Youth Offending Service", "The Head of Service")
    .replace("The Wiltshire YOS Management Board should:", "The Wiltshire Management Board should:")
)


@pytest.fixture
def no_area(tmp_path: Path) -> Path:
    path = tmp_path / "minutes.txt"
    path.write_text(NO_AREA, "utf-8")
    return path


def test_without_an_area_the_import_is_refused_in_the_same_words_however_it_is_asked(
    store: Store, db_target: str, no_area: Path
) -> None:
    finding = preview(no_area)
    assert finding.area == ""
    before = snapshot(db_target)
    for plan_id in (None, "wiltshire-2014"):
        with pytest.raises(ReportError) as caught:
            import_report(store, finding, "tester", plan_id)
        assert str(caught.value) == (
            f"{no_area}: area not found in the report: give the area inspected "
            "(tracker import --area NAME)"
        )
    assert snapshot(db_target) == before


def test_a_corrected_area_names_the_plan_and_reads_the_owners_for_it(
    store: Store, db_target: str, no_area: Path
) -> None:
    finding = preview(no_area)
    planned = check_import(store, finding, area="Wiltshire")
    assert planned.plan_id == "wiltshire-2014" and planned.created_roles == []
    done = import_report(store, finding, "tester", area="  Wiltshire ")
    assert done.plan_id == "wiltshire-2014"
    assert finding.area == "", "the finding the screen holds is not changed"
    with store.read() as session:
        plan = plan_doc(SessionReader(session), "wiltshire-2014")
    assert plan.inspection.area == "Wiltshire"
    assert [r.owners for r in plan.recommendations] == [["Management Board"]] * 2
    assert any("'Wiltshire Management Board' as 'Management Board'" in w for w in done.warnings)


def test_a_corrected_date_and_owners_go_into_the_plan(store: Store, no_area: Path) -> None:
    finding = preview(no_area)
    done = import_report(
        store,
        finding,
        "tester",
        area="Wiltshire",
        published=date(2014, 3, 14),
        owners={"2": ["Head of Service", " Chair of the Management Board "]},
    )
    with store.read() as session:
        plan = tomllib.loads(render_plan(plan_doc(SessionReader(session), done.plan_id)))
    assert plan["inspection"]["published"] == date(2014, 3, 14)
    assert plan["inspection"]["published_note"] == (
        "entered by hand (the report's own: The report says: 'published on 12th March 2014')"
    )
    assert [r["owners"] for r in plan["recommendations"]] == [
        ["Management Board"],
        ["Head of Service", "Chair of the Management Board"],
    ]


def test_a_corrected_date_clears_the_doubt_about_the_date_read() -> None:
    letter = """\
HM Inspectorate of Probation

23rd April 2014

Short Quality Screening of youth offending work in Wigan

Areas requiring improvement

- Reviews should be completed when required
"""
    found = parse_report(letter, "letter.txt")
    assert any("date at the head of the document" in w for w in found.warnings)
    fixed = correct(found, published=date(2014, 4, 24))
    assert fixed.submission_due == date(2014, 5, 22)
    assert not any("publication date" in w for w in fixed.warnings)


@pytest.mark.parametrize(
    ("corrections", "problem"),
    [
        ({"owners": {"9": ["Head of Service"]}}, "there is no recommendation '9' in the report"),
        ({"owners": {"1": ["  "]}}, "recommendation 1: an owner's name is empty"),
        ({"owners": {"1": "Head of Service"}}, "give its owners as a list"),
        ({"area": "   "}, "the area cannot be empty"),
    ],
)
def test_a_bad_correction_is_refused_and_nothing_is_written(
    store: Store, db_target: str, no_area: Path, corrections: dict[str, object], problem: str
) -> None:
    finding = preview(no_area)
    before = snapshot(db_target)
    with pytest.raises(ReportError) as caught:
        import_report(store, finding, "tester", **corrections)  # type: ignore[arg-type]
    assert problem in caught.value.problem
    assert caught.value.where == str(no_area)
    assert snapshot(db_target) == before
