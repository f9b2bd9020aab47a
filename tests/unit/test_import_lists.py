"""Where a list of recommendations ends and how its items are marked: a council paper's next
numbered section is not a recommendation, a markdown heading after the last bullet is not part
of it, lettered items lose their letters and a number set off by a tab is a number."""

from __future__ import annotations

from pathlib import Path

import docx
import pytest

from tracker.importers import Finding, parse_report, preview
from tracker.importers.cleanup import strip_markup


def parse(text: str) -> Finding:
    return parse_report(text, "variant.txt")


def recs(finding: Finding) -> list[tuple[str, str, list[str]]]:
    return [(r.ref, r.text, r.owners) for r in finding.recommendations]


BOARD = """\
REPORT TO CABINET
Date of meeting: 20 January 2011

INSPECTION OF YOUTH OFFENDING WORK IN LAKESIDE

1. PURPOSE
1.1 To inform Members of the outcome of the HMI Probation Core Case Inspection of the
Lancashire Youth Offending Service, which took place in November 2010. The report was
published on Wednesday 5 January 2011.

2. RECOMMENDATIONS
2.1 That Cabinet notes the outcome of the inspection.
2.2 That Cabinet approves the improvement plan.

3. Key Recommendations of Inspection (Primary responsibility is indicated in brackets):

1. Assessments of vulnerability are completed in every case and are reviewed
   when circumstances change (YOS Manager)
2. The Management Board monitors the quality of risk of harm work through regular
   audit (Chair of the YOS Management Board, Director of Children and Young People's
   Services)
3. Intervention plans are outcome-
   focused (Operational Managers)

{next}
The inspection found minimum improvement was required in safeguarding and likelihood of
reoffending, and moderate improvement in risk of harm.
"""


@pytest.mark.parametrize(
    "next_section", ["4. BACKGROUND", "4. Background", "4) Financial Implications"]
)
def test_a_council_papers_next_numbered_section_ends_the_list(next_section: str) -> None:
    found = parse(BOARD.format(next=next_section))
    assert recs(found) == [
        (
            "1",
            "Assessments of vulnerability are completed in every case and are reviewed when "
            "circumstances change",
            ["YOS Manager"],
        ),
        (
            "2",
            "The Management Board monitors the quality of risk of harm work through regular audit",
            [
                "Chair of the YOS Management Board",
                "Director of Children and Young People's Services",
            ],
        ),
        ("3", "Intervention plans are outcome-focused", ["Operational Managers"]),
    ]
    assert found.area == "Lancashire"
    assert not any("owners stated" in w for w in found.warnings)


def test_short_title_case_items_followed_by_more_items_are_still_items() -> None:
    text = """\
Core Case Inspection of youth offending work in Wigan

Recommendations

1. Victim Safety
2. Risk Management Plans
3. Management Oversight

Next steps
"""
    assert [r.text for r in parse(text).recommendations] == [
        "Victim Safety",
        "Risk Management Plans",
        "Management Oversight",
    ]


PRESS = """\
# Inspection of youth offending work in Essex

*Press release, HM Inspectorate of Probation*

The inspectors recommended that:

- assessments of the risk of harm to others are completed on time and reviewed when
  circumstances change
- the YOS works with the police to share information about children at risk

## How Essex compares

Essex did better than most.
"""


def test_a_markdown_heading_after_the_last_bullet_is_not_part_of_it() -> None:
    found = parse(PRESS)
    assert [r.text for r in found.recommendations] == [
        "assessments of the risk of harm to others are completed on time and reviewed when "
        "circumstances change",
        "the YOS works with the police to share information about children at risk",
    ]


def test_removing_a_markdown_heading_keeps_the_blank_line_before_it() -> None:
    assert strip_markup("- at risk\n\n## How Essex compares\n") == (
        "- at risk\n\nHow Essex compares\n"
    )
    assert strip_markup("text\n   \n#\tHeading") == "text\n   \nHeading"


LETTERED = """\
Core Case Inspection of youth offending work in Wigan
The report was published on 6 January 2010.

Recommendations

{a} assessments are completed on time (YOS Manager)
{b} plans are reviewed (Head of Service)
"""


@pytest.mark.parametrize(
    ("a", "b"), [("a)", "b)"), ("(a)", "(b)"), ("a.", "b."), ("1\t", "2\t"), ("1\t\t", "2\t")]
)
def test_lettered_and_tab_numbered_items_lose_their_markers(a: str, b: str) -> None:
    found = parse(LETTERED.format(a=a, b=b))
    assert recs(found) == [
        ("1", "assessments are completed on time", ["YOS Manager"]),
        ("2", "plans are reviewed", ["Head of Service"]),
    ]


def test_lettered_sub_items_under_a_number_keep_their_letters() -> None:
    text = """\
Core Case Inspection of youth offending work in Wigan

Recommendations

1. plans are improved so that:
   (a) risks are named
   (b) reviews are timely (Head of Service)
2. victims are contacted (YOS Manager)
"""
    assert recs(parse(text)) == [
        (
            "1",
            "plans are improved so that: (a) risks are named (b) reviews are timely",
            ["Head of Service"],
        ),
        ("2", "victims are contacted", ["YOS Manager"]),
    ]


def test_a_word_table_of_recommendations_with_a_lead_column_gives_the_owners(
    tmp_path: Path,
) -> None:
    document = docx.Document()
    document.add_paragraph("Report to the Children and Young People Committee")
    document.add_paragraph(
        "HMI Probation Core Case Inspection of youth offending work in Wigan. The report was "
        "published on 6th January 2010."
    )
    document.add_paragraph("Key Recommendations of Inspection")
    rows = [
        ("No.", "Recommendation", "Lead"),
        ("1", "Risk management plans are reviewed when circumstances change", "YOS Manager"),
        (
            "2",
            "Analysis of outcome data informs the interventions offered",
            "Chair of the YOS Management Board",
        ),
        ("3", "Children are seen within five working days", "Police and Health"),
    ]
    table = document.add_table(rows=len(rows), cols=3)
    for r, cells in enumerate(rows):
        for c, cell in enumerate(cells):
            table.cell(r, c).text = cell
    document.add_paragraph("Financial implications")
    path = tmp_path / "committee.docx"
    document.save(str(path))
    assert recs(preview(path)) == [
        ("1", "Risk management plans are reviewed when circumstances change", ["YOS Manager"]),
        (
            "2",
            "Analysis of outcome data informs the interventions offered",
            ["Chair of the YOS Management Board"],
        ),
        ("3", "Children are seen within five working days", ["Police", "Health"]),
    ]
