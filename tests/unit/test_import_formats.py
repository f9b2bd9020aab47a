"""Report layouts the seeds do not show, written here the way councils and HMIP write them:
owner headings, every kind of bullet, other date styles, no owners, a table comparing several
areas, 2018-onward ratings, mojibake and markdown. Each test checks what a user would see in
the draft plan."""

from __future__ import annotations

from datetime import date

import pytest

from tracker.importers import Finding, parse_report, to_json
from tracker.vocab import Improvement, InspectionKind, Rating


def parse(text: str) -> Finding:
    return parse_report(text, "variant.txt")


def recs(finding: Finding) -> list[tuple[str, str, list[str]]]:
    return [(r.ref, r.text, r.owners) for r in finding.recommendations]


RATED_2018 = """\
An inspection of youth offending services in Norfolk
HM Inspectorate of Probation
Publication date: 25 March 2015

Fieldwork took place between 2 and 6 February 2015.

Overall rating: Requires improvement

1.1 Governance and leadership: Good
1.2 Staff	Requires improvement
1.3 Partnerships and services
Inadequate

Recommendations

We have made five recommendations that we believe, if implemented, will have a
positive impact on the quality of youth offending services in Norfolk.

The YOT Management Board should:

1. ensure that the partnership has a shared understanding of the needs of
   children, and that resources are targeted at them
2. monitor the quality of work to keep children safe.

The Head of Service should:

3. make sure that case managers assess risk of harm to others fully
4. improve the quality of planning for desistance.

The local authority and the police should:
5. share information about children at risk of exploitation.

Next steps

An improvement plan addressing the recommendations should be submitted within four weeks.
"""


def test_owner_headings_apply_to_the_items_below_them_until_the_next_heading() -> None:
    found = parse(RATED_2018)
    assert recs(found) == [
        (
            "1",
            "ensure that the partnership has a shared understanding of the needs of children, "
            "and that resources are targeted at them",
            ["YOT Management Board"],
        ),
        ("2", "monitor the quality of work to keep children safe", ["YOT Management Board"]),
        (
            "3",
            "make sure that case managers assess risk of harm to others fully",
            ["Head of Service"],
        ),
        ("4", "improve the quality of planning for desistance", ["Head of Service"]),
        (
            "5",
            "share information about children at risk of exploitation",
            ["local authority", "police"],
        ),
    ]


def test_a_2018_report_gives_its_ratings_kind_area_and_dates() -> None:
    found = parse(RATED_2018)
    assert found.kind is InspectionKind.RATED_2018
    assert found.area == "Norfolk"
    assert [(r.name, r.rating) for r in found.ratings] == [
        ("Overall", Rating.REQUIRES_IMPROVEMENT),
        ("Governance and leadership", Rating.GOOD),
        ("Staff", Rating.REQUIRES_IMPROVEMENT),
        ("Partnerships and services", Rating.INADEQUATE),
    ]
    assert (found.published, found.submission_due) == (date(2015, 3, 25), date(2015, 4, 22))
    assert found.fieldwork is not None
    assert (found.fieldwork.start, found.fieldwork.end) == (date(2015, 2, 2), date(2015, 2, 6))
    assert found.warnings == []


def test_numbering_that_restarts_under_each_owner_heading_is_renumbered_and_said() -> None:
    text = """\
Inspection of youth offending work in Eastvale (YOT)

The YOS Management Board should:
1. agree a plan for reducing custody
2. review performance every quarter

The YOS Manager should:
1. audit risk management plans
"""
    found = parse(text)
    assert [(r.ref, r.owners) for r in found.recommendations] == [
        ("1", ["YOS Management Board"]),
        ("2", ["YOS Management Board"]),
        ("3", ["YOS Manager"]),
    ]
    assert any("numbers repeat" in w for w in found.warnings)


MINUTES = """\
MINUTES OF THE YOUTH OFFENDING SERVICE MANAGEMENT BOARD
Meeting held on 10 February 2010 at the Civic Centre

4. HMI PROBATION INSPECTION

The Board received the report of the HMI Probation inspection of youth offending work in
Redcar and Cleveland. The inspection report was published on 12th Oct 2009 and the
previous inspection report was published on 3 May 2007. Fieldwork took place in
July 2009. The improvement plan is due four weeks after publication.

The YOT Management Board should:
• ensure that the management information system is able to
  report on the outcomes achieved with children
•review the partnership's performance each quarter

ACTION: the Head of Service to circulate the draft plan by 1 March 2010.
"""


def test_council_minutes_take_the_reports_date_not_the_meeting_or_an_earlier_report() -> None:
    found = parse(MINUTES)
    assert found.published == date(2009, 10, 12)
    assert found.area == "Redcar and Cleveland"
    assert recs(found) == [
        (
            "1",
            "ensure that the management information system is able to report on the outcomes "
            "achieved with children",
            ["YOT Management Board"],
        ),
        ("2", "review the partnership's performance each quarter", ["YOT Management Board"]),
    ]
    assert found.fieldwork is not None and found.fieldwork.start == date(2009, 7, 1)
    assert found.kind is InspectionKind.OTHER
    assert any("kind not recognised" in w for w in found.warnings)


PRESS = """\
Press release: HM Inspectorate of Probation publishes its Core Case Inspection of youth
offending work in Hartlepool

The report, published on 12th Oct 2009, compares the North East's youth offending teams:

Area            Safeguarding    Risk of Harm    Likelihood of Reoffending
Darlington      71%             68%             70%
Hartlepool      79%             76%             78%
Middlesbrough   65%             60%             62%

The inspectors recommended that:
- vulnerability management plans are completed in all relevant cases
- victims' safety is given priority in risk management plans
- the YOT uses its outcome data to plan its interventions

For more information contact the press office.
"""


def test_a_press_summary_takes_the_areas_own_row_of_a_scores_table_and_no_owners() -> None:
    found = parse(PRESS)
    assert [(s.name, s.percent, s.improvement) for s in found.scores] == [
        ("Safeguarding", 79, None),
        ("Risk of Harm to others", 76, None),
        ("Likelihood of Reoffending", 78, None),
    ]
    assert [r.owners for r in found.recommendations] == [[], [], []]
    assert (
        found.recommendations[2].text == "the YOT uses its outcome data to plan its interventions"
    )
    assert any(w.startswith("no owners stated for recommendations 1, 2, 3") for w in found.warnings)
    assert found.published == date(2009, 10, 12) and found.kind is InspectionKind.CCI


def test_a_markdown_scores_table_without_the_areas_row_takes_no_neighbours_scores() -> None:
    text = PRESS.replace("Hartlepool      79%", "Stockton        79%").replace(
        "Area            Safeguarding", "| Area | Safeguarding"
    )
    table = """\
| Area | Safeguarding | Risk of Harm | Likelihood of Reoffending |
|---|---|---|---|
| Darlington | 71% (MODERATE) | 68% | 70% |
| Stockton | 79% | 76% | 78% |
"""
    start = text.index("| Area")
    text = text[:start] + table + text[text.index("The inspectors recommended") :]
    found = parse(text)
    assert found.scores == []
    assert any("none of its rows is Hartlepool" in w for w in found.warnings)
    own = parse(text.replace("| Darlington |", "| Hartlepool |"))
    assert [(s.name, s.percent, s.improvement) for s in own.scores] == [
        ("Safeguarding", 71, Improvement.MODERATE),
        ("Risk of Harm to others", 68, None),
        ("Likelihood of Reoffending", 70, None),
    ]


@pytest.mark.parametrize("bullet", ["•", "-", "*", "▪", "1.", "(1)", "1)", "Recommendation 1:"])
def test_every_bullet_style_gives_the_same_recommendations(bullet: str) -> None:
    def mark(n: int) -> str:
        return bullet.replace("1", str(n))

    text = f"""\
HMI Probation Short Quality Screening of youth offending work in Wigan
Publication date: 2 June 2014

Areas requiring improvement

{mark(1)} Assessments of risk of harm should make greater use of previous
  convictions and patterns of behaviour.
{mark(2)} Reviews should be completed when required.

We are grateful for the support that we received from staff.
"""
    found = parse(text)
    assert recs(found) == [
        (
            "1",
            "Assessments of risk of harm should make greater use of previous convictions and "
            "patterns of behaviour",
            [],
        ),
        ("2", "Reviews should be completed when required", []),
    ]


def test_bracketed_owners_are_split_but_names_holding_and_stay_whole() -> None:
    text = """\
Core Case Inspection of youth offending work in Wigan

Recommendations (primary responsibility is indicated in brackets)

(1) risk management plans are of good quality (Director of Children and Young People's
Services, Head of Service and Performance and Information Manager)
(2) plans use the right templates (RMPs)
(3) interventions are sequenced (YOS Manager & YOT staff);
"""
    found = parse(text)
    assert recs(found) == [
        (
            "1",
            "risk management plans are of good quality",
            [
                "Director of Children and Young People's Services",
                "Head of Service",
                "Performance and Information Manager",
            ],
        ),
        # An acronym alone is a process's or an agency's, not an owner, even here.
        ("2", "plans use the right templates (RMPs)", []),
        ("3", "interventions are sequenced", ["YOS Manager", "YOT staff"]),
    ]


def test_brackets_that_are_not_roles_stay_in_the_text_when_the_report_gives_no_owners() -> None:
    text = """\
Youth offending work in Wigan: HMI Probation inspection

Recommendations
- plans use the right templates (RMPs)
- the YOT reviews each case within three months (as required by National Standards)
- victims are contacted (Head of Service and YOT staff)
"""
    assert recs(parse(text)) == [
        ("1", "plans use the right templates (RMPs)", []),
        (
            "2",
            "the YOT reviews each case within three months (as required by National Standards)",
            [],
        ),
        ("3", "victims are contacted", ["Head of Service", "YOT staff"]),
    ]


def test_mojibake_markdown_and_html_are_cleaned_from_what_the_user_sees() -> None:
    text = """\
# Core Case Inspection of youth offending work in Wigan

## Key Recommendations of Inspection (primary responsibility in brackets)

â€¢ **Managers** ensure that *all* the childrenâ€™s plans are <i>reviewed</i> (YOS Manager).
â€¢ The YOSâ€™s data is used to plan services ([Board](http://example.org) Chair).
"""
    found = parse(text)
    assert recs(found) == [
        ("1", "Managers ensure that all the children’s plans are reviewed", ["YOS Manager"]),
        ("2", "The YOS’s data is used to plan services", ["Board Chair"]),
    ]


def test_scores_written_on_one_line_and_split_over_two_lines_are_both_read() -> None:
    text = """\
Core Case Inspection of youth offending work in Wigan

Safeguarding score:
This score indicates the percentage of Safeguarding work of good quality.
Score:	Comment:
64%	MODERATE improvement required

Risk of Harm to others: 45% (SUBSTANTIAL improvement required)

Likelihood of Reoffending score: 81%
MINIMUM improvement required

1.1 Risk of Harm to others:
Score: 12% Comment: DRASTIC improvement required

Recommendations
(1) plans are reviewed (Head of Service)
"""
    found = parse(text)
    assert [(s.name, s.percent, s.improvement) for s in found.scores] == [
        ("Safeguarding", 64, Improvement.MODERATE),
        ("Risk of Harm to others", 45, Improvement.SUBSTANTIAL),
        ("Likelihood of Reoffending", 81, Improvement.MINIMUM),
    ]


def test_a_council_papers_own_resolutions_are_not_taken_for_the_inspections() -> None:
    text = """\
Report to Cabinet: HMI Probation inspection of youth offending work in Wigan

RECOMMENDATIONS
1. That Members note the outcome of the inspection.
2. That Cabinet approves the improvement plan.

Key Recommendations of Inspection
- Risk management plans are of good quality (YOS Manager).
"""
    assert recs(parse(text)) == [
        ("1", "Risk management plans are of good quality", ["YOS Manager"]),
    ]


def test_editing_the_publication_date_moves_the_clock_and_clears_the_warning() -> None:
    found = parse(PRESS.replace("published on 12th Oct 2009", "out now"))
    assert found.published is None and found.submission_due is None
    assert any(w.startswith("publication date not stated") for w in found.warnings)
    found.published = date(2009, 10, 12)
    assert found.submission_due == date(2009, 11, 9)
    assert not any(w.startswith("publication date not stated") for w in found.warnings)
    assert to_json(found)["submission_due"] == "2009-11-09"
