"""Who owns each recommendation, as the report states it and never guessed: a bracket is an
owner only when it reads as a role (a post, people or a body) or is a role the store knows;
an acronym in brackets (MAPPA, CAMHS) is part of the text; an owner heading gives its owner
to the items below it, however the sentence around it is worded."""

from __future__ import annotations

import pytest

from tracker.importers import Finding, parse_report


def parse(text: str, known: tuple[str, ...] = ()) -> Finding:
    return parse_report(text, "variant.txt", known_roles=known)


def recs(finding: Finding) -> list[tuple[str, str, list[str]]]:
    return [(r.ref, r.text, r.owners) for r in finding.recommendations]


SQS = """\
HM Inspectorate of Probation
Short Quality Screening of youth offending work in Riverton

To: Jane Doe, Chair of the Riverton Youth Offending Service Management Board

Publication date: 3rd June 2013

Areas requiring improvement

• cases that meet the criteria are referred to multi-agency public protection arrangements (MAPPA)
• young people have timely access to child and adolescent mental health services (CAMHS)
• the work of the Youth Offending Service with the local safeguarding children board (LSCB) is
  strengthened
• plans address the needs of victims (as required by National Standards)
• children are seen within five days (education and health)

Operational management
"""


def test_an_acronym_in_brackets_is_part_of_the_text_not_a_guessed_owner() -> None:
    found = parse(SQS)
    assert recs(found) == [
        (
            "1",
            "cases that meet the criteria are referred to multi-agency public protection "
            "arrangements (MAPPA)",
            [],
        ),
        (
            "2",
            "young people have timely access to child and adolescent mental health services "
            "(CAMHS)",
            [],
        ),
        (
            "3",
            "the work of the Youth Offending Service with the local safeguarding children board "
            "(LSCB) is strengthened",
            [],
        ),
        ("4", "plans address the needs of victims (as required by National Standards)", []),
        ("5", "children are seen within five days (education and health)", []),
    ]
    assert any(
        w.startswith("no owners stated for recommendations 1, 2, 3, 4, 5") for w in found.warnings
    )


BRACKETS = """\
Core Case Inspection of youth offending work in Wigan

Recommendations (primary responsibility is indicated in brackets)

(1) cases are referred to multi-agency public protection arrangements (MAPPA)
(2) information is shared about children at risk (Police)
(3) case records are kept up to date (Business Support)
(4) plans are reviewed (YOS Manager and Chair of the Management Board)
"""


def test_under_a_brackets_heading_an_agency_is_an_owner_but_an_acronym_alone_is_not() -> None:
    assert recs(parse(BRACKETS)) == [
        ("1", "cases are referred to multi-agency public protection arrangements (MAPPA)", []),
        ("2", "information is shared about children at risk", ["Police"]),
        ("3", "case records are kept up to date (Business Support)", []),
        ("4", "plans are reviewed", ["YOS Manager", "Chair of the Management Board"]),
    ]


def test_a_bracket_naming_a_role_the_store_knows_is_an_owner() -> None:
    known = ("Business Support", "MAPPA Coordinator", "LSCB")
    found = parse(BRACKETS.replace("(Police)", "(LSCB)"), known)
    assert [r.owners for r in found.recommendations] == [
        [],
        ["LSCB"],
        ["Business Support"],
        ["YOS Manager", "Chair of the Management Board"],
    ]
    assert found.recommendations[2].text == "case records are kept up to date"


@pytest.mark.parametrize(
    ("heading", "owners"),
    [
        ("We recommend that the YOT Management Board should:", ["YOT Management Board"]),
        ("We recommend that the YOT Management Board:", ["YOT Management Board"]),
        ("We recommend that the local authority:", ["local authority"]),
        (
            "HMI Probation recommends that the Head of Service should ensure that:",
            ["Head of Service"],
        ),
        ("Inspectors recommend that the police and the YOS Manager:", ["police", "YOS Manager"]),
        ("The Medway YOT Management Board should:", ["YOT Management Board"]),
    ],
)
def test_a_recommend_that_heading_gives_the_role_not_the_sentence(
    heading: str, owners: list[str]
) -> None:
    text = f"""\
An inspection of youth offending services in Medway
HM Inspectorate of Probation
Publication date: 2 October 2019

Recommendations

{heading}

1. make sure the board receives performance reports each quarter
2. review the out-of-court disposal arrangements
"""
    found = parse(text)
    assert [r.owners for r in found.recommendations] == [owners, owners]
    assert found.recommendations[1].text == "review the out-of-court disposal arrangements"
