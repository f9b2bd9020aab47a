"""The report's own publication date (and so the four-week clock) in the many ways reports
and council papers write it, and the dates that must never be taken for it: a meeting's, an
earlier inspection's, the minutes' or some guidance's."""

from __future__ import annotations

from datetime import date

import pytest

from tracker.importers import Finding, parse_report


def parse(text: str) -> Finding:
    return parse_report(text, "variant.txt")


def report_saying(said: str) -> str:
    return f"""\
Board meeting of 14 February 2016. Youth offending work in Wigan was inspected by HMI
Probation; fieldwork took place from 3 to 7 November 2008.
{said}

Recommendations
1. Plans are reviewed when circumstances change (YOS Manager).
"""


@pytest.mark.parametrize(
    ("said", "day"),
    [
        ("The inspection report was published 6th January 2010.", date(2010, 1, 6)),
        ("The report was published on 12th Oct 2009.", date(2009, 10, 12)),
        ("Publication date: 25 March 2015", date(2015, 3, 25)),
        ("Publication date:\t23rd April 2014", date(2014, 4, 23)),
        ("Date of publication: 06/01/2010", date(2010, 1, 6)),
        ("Published: 2015-03-25", date(2015, 3, 25)),
        ("This report was published on the 1st of September, 2011.", date(2011, 9, 1)),
        ("It was published on March 3, 2012.", date(2012, 3, 3)),
        ("The report, published on Wednesday 6 January 2010, found", date(2010, 1, 6)),
        ("Published: Wednesday, 6 January 2010", date(2010, 1, 6)),
        ("Published on: 23 Apr. 2014", date(2014, 4, 23)),
        ("Report publication: 6 January 2010", date(2010, 1, 6)),
        ("HMI Probation published the report on 6 January 2010.", date(2010, 1, 6)),
        ("The report will be published on\n23rd April 2014 on our website.", date(2014, 4, 23)),
    ],
)
def test_publication_dates_in_the_styles_reports_use(said: str, day: date) -> None:
    found = parse(report_saying(said))
    assert found.published == day
    assert found.submission_due is not None and (found.submission_due - day).days == 28
    assert found.fieldwork is not None and found.fieldwork.start == date(2008, 11, 3)
    assert not any(w.startswith("publication date not stated") for w in found.warnings)


@pytest.mark.parametrize(
    "said",
    [
        "These minutes were published on 15 February 2010.",
        "The YJB published its guidance on 1 April 2009.",
        "The previous inspection report was published on 3 May 2007.",
        "The previous report, published on 3 May 2007, found gaps in planning.",
        "Date of meeting: 10 February 2010",
        "The improvement plan was published on 3 March 2010.",
    ],
)
def test_dates_of_other_things_are_never_taken_for_the_publication_date(said: str) -> None:
    found = parse(report_saying(said))
    assert found.published is None and found.submission_due is None
    warning = next(w for w in found.warnings if w.startswith("publication date not stated"))
    assert "enter it before the clock can run" in warning


def test_the_reports_date_wins_over_another_documents_without_doubt() -> None:
    found = parse(
        report_saying(
            "The improvement plan was published on 3 March 2010. The inspection report was "
            "published on 6 January 2010, and the previous inspection report was published "
            "on 3 May 2007."
        )
    )
    assert found.published == date(2010, 1, 6)
    assert not any("2010-03-03" in w or "2007-05-03" in w for w in found.warnings)


def test_several_different_publication_dates_are_reported_not_hidden() -> None:
    text = """\
Youth offending work in Wigan: HMI Probation inspection.
The report was published on 3 May 2012. A corrected version was published on 9 May 2012.

Recommendations
1. Plans are reviewed when circumstances change.
"""
    found = parse(text)
    assert found.published == date(2012, 5, 3)
    assert any("2012-05-09" in w for w in found.warnings)


LETTER = """\
{head}

Dear Ms Ferguson

Short Quality Screening of youth offending work in Wigan

Inspectors visited in March 2014 and read 20 cases.

Areas requiring improvement

- Reviews of assessments and plans should be completed when required.
"""


def test_a_date_alone_at_the_head_of_a_letter_is_taken_with_a_warning() -> None:
    found = parse(LETTER.format(head="HM Inspectorate of Probation\n\n23rd April 2014"))
    assert found.published == date(2014, 4, 23)
    assert found.submission_due == date(2014, 5, 21)
    assert any("date at the head of the document" in w for w in found.warnings)


@pytest.mark.parametrize(
    "paper",
    ["Minutes of the YOS Management Board", "Report to Cabinet", "Youth Justice Partnership Board"],
)
def test_a_date_alone_at_the_head_of_a_council_paper_is_the_meetings(paper: str) -> None:
    found = parse(LETTER.format(head=f"{paper}\n\n10 February 2010"))
    assert found.published is None
    assert any(w.startswith("publication date not stated") for w in found.warnings)


def test_fieldwork_not_stated_is_null_with_a_warning() -> None:
    found = parse(LETTER.format(head="Publication date: 23 April 2014"))
    assert found.fieldwork is None
    assert "fieldwork dates not stated: left empty" in found.warnings


@pytest.mark.parametrize(
    "head",
    [
        # An SQS letter: the addressee chairs a board.
        "HM Inspectorate of Probation\n\n23rd April 2014\n\n"
        "To: Sarah Smith, Chair of Wigan YOS Management Board\n"
        "From: Julie Fox, HM Assistant Chief Inspector",
        # A press release whose prose mentions a board meeting.
        "Press release, HM Inspectorate of Probation\n\n23rd April 2014\n\n"
        "Inspectors met the YOS Management Board on 3 March 2014.",
        "Wigan Council\nCounty Hall\n\nWednesday 23 April 2014",
    ],
)
def test_a_date_at_the_head_of_a_letter_is_taken_though_a_board_is_named_nearby(
    head: str,
) -> None:
    found = parse(LETTER.format(head=head))
    assert found.published == date(2014, 4, 23)
    assert any("date at the head of the document" in w for w in found.warnings)


@pytest.mark.parametrize(
    "head",
    [
        "Wigan Council\nDate of meeting:\n10 February 2010",
        "Agenda item 7\nWigan Youth Justice Partnership\n\n10 February 2010",
        "Wigan Council\nCabinet meeting\n10 February 2010",
    ],
)
def test_a_date_stated_as_a_meetings_is_not_taken(head: str) -> None:
    found = parse(LETTER.format(head=head))
    assert found.published is None


@pytest.mark.parametrize("written", ["31 June 2015", "30th February 2015", "31/04/2015"])
def test_an_impossible_publication_date_is_null_and_said_so(written: str) -> None:
    found = parse(LETTER.format(head=f"Publication date: {written}"))
    assert found.published is None and found.submission_due is None
    assert f"publication date '{written}' is not a real date: enter the right one" in (
        found.warnings
    )
    assert any(w.startswith("publication date not stated") for w in found.warnings)


def test_an_impossible_date_beside_a_weaker_real_one_is_said_and_the_real_one_used() -> None:
    found = parse(
        LETTER.format(
            head="Publication date: 31 June 2015\n\nThe report was published 3 July 2015."
        )
    )
    assert found.published == date(2015, 7, 3)
    assert any("'31 June 2015' is not a real date: using 2015-07-03" in w for w in found.warnings)
