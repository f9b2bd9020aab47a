"""Issue 16: reports in the wordings real councils, web pages, press releases and letters use,
not only the seeds'. Each text in tests/golden/import/wordings/ (written for these tests in the
shapes of real committee papers and HMIP pages, no real text copied) is read to its expected
JSON; the tests below name what a user would notice in each. Then a property: whatever the
text, the importer invents no area, no date and no owner."""

from __future__ import annotations

import calendar
import json
import re
from datetime import date
from pathlib import Path

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from conftest import ROOT
from tracker.importers import ReportError, parse_report, to_json
from tracker.importers.gazetteer import fold, known_area

WORDINGS = ROOT / "tests" / "golden" / "import" / "wordings"
TEXTS = sorted(WORDINGS.glob("*.txt"))

# Texts the importer is known to read wrongly: each keeps the JSON it should give.
XFAIL = {
    "xfail_minutes_starred_items_durham": (
        "minutes whose items are numbered '* 7', '* 8' (no full stop): the next item"
        " ('* 8 Any Other Business') is taken for the list instead of the outcome paragraphs"
    ),
}

# Which texts show each pattern of issue 16 (a text may show several); at least five each.
PATTERNS = {
    "heading naming the inspectorate": [
        "heading_names_inspectorate",
        "heading_web_page_hull",
        "heading_minutes_barnsley",
        "heading_pdf_stoke",
        "heading_letter_newcastle",
    ],
    "sentence announcing the list, with its count": [
        "sentence_announces_count",
        "sentence_press_release_stockton",
        "sentence_board_report_rotherham",
        "sentence_letter_count_wakefield",
        "bullets_minutes_wirral",
    ],
    "bullets under an owner line that is itself a bullet": [
        "bulleted_owner_lines",
        "bullets_web_page_bradford",
        "bullets_minutes_wirral",
        "bullets_pdf_lancashire",
        "bullets_word_list_york",
    ],
    "paragraphs each beginning with their owner": [
        "owner_paragraphs",
        "paragraphs_minutes_plymouth",
        "paragraphs_letter_cheshire",
        "paragraphs_press_release_newport",
        "paragraphs_web_page_somerset",
    ],
    "outcomes as plain paragraphs after a lead-in": [
        "outcomes_paragraphs",
        "outcomes_web_page_cornwall",
        "outcomes_minutes_devon",
        "outcomes_pdf_camden",
        "outcomes_press_release_cumbria",
    ],
    "table flattened with ' / ' or several spaces": [
        "flattened_table_slashes",
        "flattened_table_spaces",
        "table_minutes_sheffield",
        "table_pdf_spaces_essex",
        "table_word_slashes_suffolk",
    ],
    "rating in prose": [
        "web_page_council_service",
        "month_pair_only",
        "rating_judgement",
        "heading_web_page_hull",
        "sentence_press_release_stockton",
        "paragraphs_letter_cheshire",
        "outcomes_web_page_cornwall",
    ],
    "fieldwork as '12th-14th November 2012' or 'during September 2022'": [
        "joint_gwynedd",
        "heading_minutes_barnsley",
        "heading_web_page_hull",
        "heading_letter_newcastle",
        "bullets_minutes_wirral",
        "bullets_pdf_lancashire",
    ],
    "area as a council, a joint service or a short form": [
        "web_page_council_service",
        "bp_short_form",
        "joint_monmouthshire",
        "joint_gwynedd",
        "heading_web_page_hull",
        "heading_letter_newcastle",
        "sentence_press_release_stockton",
    ],
}


def read(name: str) -> dict[str, object]:
    text = (WORDINGS / f"{name}.txt").read_text("utf-8")
    return to_json(parse_report(text, f"{name}.txt"))


def test_each_pattern_has_at_least_five_texts_read_rightly() -> None:
    stems = {path.stem for path in TEXTS}
    for pattern, names in PATTERNS.items():
        assert set(names) <= stems, pattern
        assert len(set(names) - set(XFAIL)) >= 5, pattern
    assert set(XFAIL) <= stems


@pytest.mark.parametrize(
    "path",
    [
        pytest.param(p, marks=pytest.mark.xfail(strict=True, reason=XFAIL[p.stem]))
        if p.stem in XFAIL
        else p
        for p in TEXTS
    ],
    ids=lambda p: p.stem,
)
def test_each_wording_reads_to_its_expected_json(path: Path) -> None:
    found = to_json(parse_report(path.read_text("utf-8"), path.name))
    assert found == json.loads(path.with_suffix(".json").read_text("utf-8"))


def recs(name: str) -> list[tuple[str, list[str]]]:
    data = read(name)
    return [(r["text"], r["owners"]) for r in data["recommendations"]]  # type: ignore[attr-defined, index]


# 1. No invented areas --------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("name", "area"),
    [
        ("web_page_council_service", "Wigan"),  # not "Council's", not "Permanent"
        ("month_pair_only", None),  # not "September and October"
        ("bp_short_form", "Bournemouth and Poole"),  # not "B&P"
        ("joint_monmouthshire", "Monmouthshire and Torfaen"),  # not "Monmouthshire"
        ("joint_gwynedd", "Gwynedd and Ynys Môn"),  # not "Gwynedd"
        ("invented_place", None),  # a place no service has
    ],
)
def test_the_area_is_a_real_service_or_not_stated(name: str, area: str | None) -> None:
    data = read(name)
    assert data["area"] == area
    if area is None:
        assert any(str(w).startswith("area not stated") for w in data["warnings"])  # type: ignore[attr-defined]


def test_an_unknown_place_is_named_in_the_warning_not_taken() -> None:
    warnings = read("invented_place")["warnings"]
    assert any("the report names 'Westshire'" in w for w in warnings)  # type: ignore[attr-defined]


# 2. What was found is kept ---------------------------------------------------------------------


def test_a_text_without_a_list_keeps_the_area_dates_and_rating() -> None:
    data = read("web_page_council_service")
    assert (data["area"], data["published"], data["submission_due"]) == (
        "Wigan",
        "2023-01-10",
        "2023-02-07",
    )
    assert data["fieldwork"] == {"start": "2022-09-12", "end": "2022-09-16"}
    assert data["ratings"] == [{"name": "Overall", "rating": "Good"}]
    assert data["recommendations"] == []
    assert any(str(w).startswith("no recommendations found") for w in data["warnings"])  # type: ignore[attr-defined]


# 3. Recommendations in other wordings ----------------------------------------------------------


def test_a_heading_naming_the_inspectorate_heads_the_list() -> None:
    assert recs("heading_names_inspectorate") == [
        (
            "ensure that children's education needs are understood and met",
            ["Youth Justice Partnership Board"],
        ),
        ("develop a resettlement policy with partners", ["Youth Justice Partnership Board"]),
        ("improve the quality of planning for children's safety", ["Head of Service"]),
    ]


def test_a_sentence_announcing_the_list_starts_it_and_its_count_is_checked() -> None:
    data = read("sentence_announces_count")
    owners = [r["owners"] for r in data["recommendations"]]  # type: ignore[attr-defined]
    assert owners == [["Youth Justice Management Board"], ["Head of Service"], ["police"]]
    assert (
        "the report says it makes 4 recommendations, but 3 were found: check the list"
        in (
            data["warnings"]  # type: ignore[operator]
        )
    )


def test_bullets_under_an_owner_line_that_is_itself_a_bullet() -> None:
    assert [o for _, o in recs("bulleted_owner_lines")] == [
        ["Youth Justice Service Management Board"],
        ["Youth Justice Service Management Board"],
        ["Head of Service"],
    ]


def test_paragraphs_that_begin_with_their_owner_are_recommendations_owned_by_it() -> None:
    found = recs("owner_paragraphs")
    assert [o for _, o in found] == [
        ["YOT Strategic Management Board"],
        ["Head of Service"],
        ["Staff"],
    ]
    assert found[0][0].startswith("The YOT Strategic Management Board should make sure")
    assert "Financial implications" not in " ".join(t for t, _ in found)


def test_outcomes_given_as_plain_paragraphs_are_taken_with_a_warning() -> None:
    data = read("outcomes_paragraphs")
    texts = [r["text"] for r in data["recommendations"]]  # type: ignore[attr-defined]
    assert texts == [
        "Children's safety and wellbeing are assessed in every case",
        "Children and their parents take part in planning the work with them",
    ]
    assert any("check them" in w for w in data["warnings"])  # type: ignore[attr-defined]


@pytest.mark.parametrize("name", ["flattened_table_slashes", "flattened_table_spaces"])
def test_a_table_flattened_to_text_gives_text_and_lead(name: str) -> None:
    found = recs(name)
    assert len(found) == 2 and all(owners for _, owners in found)
    assert not any("/" in text or "  " in text for text, _ in found)


@pytest.mark.parametrize(
    ("sentence", "rating"),
    [
        ("In short, the overall rating of the service was Good.", "Good"),
        (
            "Wigan Youth Justice Service was rated as 'Requires improvement'.",
            "Requires improvement",
        ),
        ("The overall judgement was that Wigan YOT was inadequate.", "Inadequate"),
        ("Overall, the service has been judged to be outstanding.", "Outstanding"),
    ],
)
def test_ratings_in_prose(sentence: str, rating: str) -> None:
    text = (
        "Inspection of youth justice services in Wigan\nHM Inspectorate of Probation\n\n"
        f"{sentence}\n"
    )
    assert to_json(parse_report(text, "x.txt"))["ratings"] == [
        {"name": "Overall", "rating": rating}
    ]


@pytest.mark.parametrize(
    ("sentence", "start", "end"),
    [
        ("Inspectors visited the service on 12th-14th November 2012.", "2012-11-12", "2012-11-14"),
        ("The inspection took place during September 2022.", "2022-09-01", "2022-09-30"),
        ("Inspectors visited the YOT during March 2014.", "2014-03-01", "2014-03-31"),
        ("HMIP inspected the service during June 2021.", "2021-06-01", "2021-06-30"),
        ("The screening was carried out on 3rd-5th March 2014.", "2014-03-03", "2014-03-05"),
    ],
)
def test_fieldwork_written_other_ways(sentence: str, start: str, end: str) -> None:
    text = f"Inspection of youth justice services in Wigan\nHMI Probation\n\n{sentence}\n"
    found = to_json(parse_report(text, "x.txt"))["fieldwork"]
    assert found == {"start": start, "end": end}


def test_a_previous_inspection_during_a_month_is_not_the_fieldwork() -> None:
    text = (
        "Inspection of youth justice services in Wigan\nHMI Probation\n\n"
        "The service was last inspected during May 2015.\n"
    )
    assert to_json(parse_report(text, "x.txt"))["fieldwork"] is None


# The property: nothing invented ----------------------------------------------------------------

PIECES = [
    "Inspection of youth justice services in ",
    "HM Inspectorate of Probation\n",
    "the Council's Youth Offending Service ",
    "Permanent YOT manager ",
    "Youth Justice Service in September and October 2022 ",
    "B&P YOT ",
    "Monmouthshire & Torfaen ",
    "Westshire ",
    "Reading ",
    "reading ",
    "Wigan ",
    "Halton & Warrington YOT ",
    "Recommendations\n\n",
    "The YOT Management Board should:\n",
    "• The Head of Service should:\n",
    "1. improve the quality of plans.\n",
    "(1) victims are contacted (YOS Manager and Police)\n",
    "The inspectors made five recommendations:\n",
    "The report was published on 6th January 2010. ",
    "Publication date: 31 June 2015\n",
    "23rd April 2014\n",
    "The inspection took place between 2 and 6 February 2015. ",
    "Staff should ensure that plans are reviewed.\n",
    "\n",
    "\n\n",
]


def _date_in(day: str, text: str) -> bool:
    """Whether the ISO date `day` is written in `text` in some form: its day and month name
    (or abbreviation), a month range's bound, or numerically."""
    d = date.fromisoformat(day)
    folded = text.casefold()
    month = calendar.month_name[d.month].casefold()
    if str(d.year) not in folded:
        return False
    if month[:3] in folded:
        return True
    return bool(re.search(rf"\b0?{d.day}/0?{d.month}/", folded)) or day in folded


@settings(max_examples=150, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(st.lists(st.sampled_from(PIECES), max_size=30))
def test_no_area_date_or_owner_is_invented(pieces: list[str]) -> None:
    text = "".join(pieces)
    try:
        data = to_json(parse_report(text, "any.txt"))
    except ReportError:
        return
    assert data["area"] is None or known_area(data["area"])
    days = [data["published"]]
    if data["fieldwork"]:
        days += [data["fieldwork"]["start"], data["fieldwork"]["end"]]
    for day in days:
        assert day is None or _date_in(day, text), (day, text)
    words = fold(text)
    for rec in data["recommendations"]:
        for owner in rec["owners"]:
            assert fold(owner) in words, (owner, text)
