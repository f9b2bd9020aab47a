"""Layouts met in real use beyond the seeds: a 2018-onward report whose owner headings use
other markers, owners written with the area's name, a list broken by a page header or a page
number, a text file of pages with running headers, a scores table of bare numbers and a council
board report wrapped at the margin."""

from __future__ import annotations

from datetime import date
from pathlib import Path

from tracker.importers import Finding, extract_text, parse_report, preview
from tracker.vocab import Improvement, InspectionKind


def parse(text: str) -> Finding:
    return parse_report(text, "variant.txt")


def recs(finding: Finding) -> list[tuple[str, str, list[str]]]:
    return [(r.ref, r.text, r.owners) for r in finding.recommendations]


REPORT_2018 = """\
Inspection of youth offending services in Norfolk
HM Inspectorate of Probation
Publication date: 25 March 2015

Recommendations

As a result of our inspection findings, we have made five recommendations that we believe,
if implemented, will have a positive impact on the quality of youth offending services in
Norfolk.

The Norfolk Youth Offending Service Management Board should:

1.  Make sure that the board understands the needs of the children.

2.  Develop a strategy for
    education, training and employment.

The Head of Service, working with the police, should:

• improve the quality of risk assessment
• ensure that staff have sufficient training in
  safeguarding.

We recommend that the local authority:
- places children in suitable accommodation

Contents of this report
"""


def test_each_owner_heading_starts_a_list_that_may_use_other_markers() -> None:
    found = parse(REPORT_2018)
    assert recs(found) == [
        (
            "1",
            "Make sure that the board understands the needs of the children",
            ["Youth Offending Service Management Board"],
        ),
        (
            "2",
            "Develop a strategy for education, training and employment",
            ["Youth Offending Service Management Board"],
        ),
        ("3", "improve the quality of risk assessment", ["Head of Service", "police"]),
        (
            "4",
            "ensure that staff have sufficient training in safeguarding",
            ["Head of Service", "police"],
        ),
        ("5", "places children in suitable accommodation", ["local authority"]),
    ]
    assert any("numbered 1 to 5" in w for w in found.warnings)


def test_owners_are_read_as_the_roles_the_store_knows_and_the_change_is_said() -> None:
    found = parse_report(
        REPORT_2018, "variant.txt", known_roles=["YOS Management Board", "Head of Service"]
    )
    assert found.recommendations[0].owners == ["YOS Management Board"]
    assert found.recommendations[2].owners == ["Head of Service", "police"]
    note = next(w for w in found.warnings if w.startswith("owners read as the plan's roles"))
    assert "'Norfolk Youth Offending Service Management Board' as 'YOS Management Board'" in (note)


WRAPPED_CCI = """\
Core Case Inspection of youth offending work in Essex

Recommendations (primary responsibility is indicated in brackets)

Changes are necessary to ensure that, in a higher proportion of cases:

(1)  the information technology system supports the operational and strategic
     work of the YOT through the effective recording, planning and monitoring of
     cases (Chair of the Management Board, Head of Service and all
     staff)

(2)  intervention, risk management and vulnerability plans are clear, specific,
     outcome-
                                   Page 12 of 40
     focused and cover all relevant work (Head of Service and YOT staff)

Core Case Inspection of Youth Offending Work in Essex                       12

(3)  victim safety issues are fully incorporated into the work of the YOT (Head of
     Service and all staff).

Next steps

An improvement plan addressing the recommendations should be submitted.
"""


def test_a_page_break_inside_the_list_loses_no_recommendation_and_no_words() -> None:
    found = parse(WRAPPED_CCI)
    assert recs(found) == [
        (
            "1",
            "the information technology system supports the operational and strategic work "
            "of the YOT through the effective recording, planning and monitoring of cases",
            ["Chair of the Management Board", "Head of Service", "all staff"],
        ),
        (
            "2",
            "intervention, risk management and vulnerability plans are clear, specific, "
            "outcome-focused and cover all relevant work",
            ["Head of Service", "YOT staff"],
        ),
        (
            "3",
            "victim safety issues are fully incorporated into the work of the YOT",
            ["Head of Service", "all staff"],
        ),
    ]
    assert any("skipped 'Core Case Inspection of Youth" in w for w in found.warnings)


def test_a_text_file_with_form_feeds_loses_its_running_headers_and_page_numbers(
    tmp_path: Path,
) -> None:
    header = "Essex YOT inspection report"
    first = """\
Core Case Inspection of youth offending work in Essex

Recommendations (primary responsibility is indicated in brackets)

(1)  the information technology system supports the operational and strategic
     work of the YOT (Chair of the Management Board, Head of Service and all staff)

(2)  intervention, risk management and vulnerability plans are clear, specific,"""
    second = """\
     outcome-focused and cover all relevant work (Head of Service and YOT staff)

(3)  victim safety issues are fully incorporated into the work of the YOT (Head of
     Service and all staff)."""
    pages = [first, second, "Next steps\n\nAn improvement plan should be submitted."]
    text = "\f".join(f"{header}\n\n{page}\n\n{n}\n" for n, page in enumerate(pages, 1))
    path = tmp_path / "essex.txt"
    path.write_text(text, "utf-8")
    extracted = extract_text(path)
    assert header not in extracted
    found = preview(path)
    assert recs(found)[1] == (
        "2",
        "intervention, risk management and vulnerability plans are clear, specific, "
        "outcome-focused and cover all relevant work",
        ["Head of Service", "YOT staff"],
    )
    assert [r.owners for r in found.recommendations] == [
        ["Chair of the Management Board", "Head of Service", "all staff"],
        ["Head of Service", "YOT staff"],
        ["Head of Service", "all staff"],
    ]
    assert not any("skipped" in w for w in found.warnings)


def test_a_scores_table_of_bare_numbers_gives_the_areas_own_row() -> None:
    text = """\
HMI Probation publishes Core Case Inspection of youth offending work in Stockton-on-Tees
Published on Wednesday 6 January 2010

Scores for the North East region (%)

Area\tSafeguarding\tRisk of Harm to others\tLikelihood of Reoffending
Hartlepool\t71\t68\t70
Stockton on Tees\t79 (minimum)\t76\t78
Darlington\t65\t60\t62

Recommendations
- vulnerability management plans are completed in all relevant cases
"""
    found = parse(text)
    assert [(s.name, s.percent, s.improvement) for s in found.scores] == [
        ("Safeguarding", 79, Improvement.MINIMUM),
        ("Risk of Harm to others", 76, None),
        ("Likelihood of Reoffending", 78, None),
    ]


def test_a_core_case_inspection_without_scores_says_they_are_missing() -> None:
    found = parse(WRAPPED_CCI)
    assert found.kind is InspectionKind.CCI and found.scores == []
    assert any(w.startswith("headline scores not found") for w in found.warnings)
    rated = parse(REPORT_2018)
    assert rated.kind is InspectionKind.RATED_2018
    assert "ratings not found: enter the report's ratings" in rated.warnings


def test_a_hard_wrapped_council_board_report_keeps_its_bracketed_owners() -> None:
    text = """\
REPORT TO CABINET
Date of meeting: 10 February 2010

INSPECTION OF YOUTH OFFENDING SERVICE

1.2 Wigan YOS received positive feedback. The inspection report was published on
Tuesday 5th January 2010. Fieldwork took place between 7 and 11 September 2009.

5. Key Recommendations of Inspection
(Primary responsibility is indicated in brackets)

•   Good quality risk management plans are produced in all relevant cases, in order
    to minimise the Risk of Harm to others. These should be integrated into the
    intervention plan for the case (YOS
    Manager).
•   A higher proportion of children and young people comply with the requirements
    of their sentences (YOS Manager).
•   Analysis of outcome data is used to inform the interventions offered by the YOS
    and its partners (Chair of the YOS Management Board).

6. Next Steps:

6.1 The service has developed an Improvement Action Plan.
"""
    found = parse(text)
    assert found.area == "Wigan" and found.published == date(2010, 1, 5)
    assert recs(found) == [
        (
            "1",
            "Good quality risk management plans are produced in all relevant cases, in order "
            "to minimise the Risk of Harm to others. These should be integrated into the "
            "intervention plan for the case",
            ["YOS Manager"],
        ),
        (
            "2",
            "A higher proportion of children and young people comply with the requirements "
            "of their sentences",
            ["YOS Manager"],
        ),
        (
            "3",
            "Analysis of outcome data is used to inform the interventions offered by the YOS "
            "and its partners",
            ["Chair of the YOS Management Board"],
        ),
    ]


SQS_COPIED = """\
HMI Probation Short Quality Screening of youth offending work in Wigan
Publication date: 2 June 2014

Areas requiring improvement

- Assessments of risk of harm should make greater use of previous
  convictions and patterns of behaviour.
Short Quality Screening: Wigan YOS                                   4
- Reviews should be completed when required.

Next steps

- The improvement plan is due in four weeks.
"""


def test_a_bulleted_list_resumes_after_a_page_header_but_not_after_a_new_heading() -> None:
    found = parse(SQS_COPIED)
    assert found.kind is InspectionKind.SQS
    assert recs(found) == [
        (
            "1",
            "Assessments of risk of harm should make greater use of previous convictions and "
            "patterns of behaviour",
            [],
        ),
        ("2", "Reviews should be completed when required", []),
    ]
    assert any("skipped 'Short Quality Screening: Wigan YOS 4'" in w for w in found.warnings)
