"""Headline scores: a table comparing several areas gives the area's own row, matched by its
whole name (never a neighbour whose name starts the same way), and a score written on one line
("Safeguarding score: Score: 68% Comment: MODERATE ...") is read."""

from __future__ import annotations

import pytest

from tracker.importers import Finding, parse_report
from tracker.vocab import Improvement


def parse(text: str, area: str | None = None) -> Finding:
    return parse_report(text, "variant.txt", area=area)


def scores(found: Finding) -> list[tuple[str, int | None, Improvement | None]]:
    return [(s.name, s.percent, s.improvement) for s in found.scores]


def press(area: str, rows: list[str]) -> str:
    table = "\n".join(rows)
    return f"""\
# Inspection of youth offending work in {area}

*Press release, HM Inspectorate of Probation*

The inspectors recommended that:

- assessments of the risk of harm to others are completed on time
- the YOS works with the police to share information about children at risk

## How {area} compares

| Area | Safeguarding | Risk of Harm to others | Likelihood of Reoffending |
|---|---|---|---|
{table}
| England average | 72% | 70% | 74% |
"""


EAST = "| Essex | 62% | 58% | 71% |"
EAST_NORTH = "| Essex North | 90% | 90% | 90% |"
NORTH = "| Norfolk | 81% | 77% | 80% |"
OWN = [
    ("Safeguarding", 62, None),
    ("Risk of Harm to others", 58, None),
    ("Likelihood of Reoffending", 71, None),
]


@pytest.mark.parametrize(
    "rows", [[NORTH, EAST, EAST_NORTH], [NORTH, EAST_NORTH, EAST], [EAST_NORTH, EAST]]
)
def test_the_areas_own_row_is_taken_whatever_row_comes_first(rows: list[str]) -> None:
    found = parse(press("Essex", rows))
    assert scores(found) == OWN
    assert not any("scores table" in w for w in found.warnings)


def test_a_longer_name_is_matched_whole_not_by_its_first_word() -> None:
    rows = [
        "| Halton | 90% | 90% | 90% |",
        "| Halton and Warrington | 79% | 76% | 78% |",
        "| Warrington | 50% | 50% | 50% |",
    ]
    both = parse(press("Halton and Warrington", rows))
    assert [s.percent for s in both.scores] == [79, 76, 78]
    halton = parse(press("Halton and Warrington", rows), area="Halton")
    assert [s.percent for s in halton.scores] == [90, 90, 90]


def test_names_match_whatever_their_case_punctuation_and_ampersands() -> None:
    rows = ["| HALTON & WARRINGTON | 79% | 76% | 78% |", "| St. Helens | 70% | 71% | 72% |"]
    found = parse(press("Halton and Warrington", rows))
    assert [s.percent for s in found.scores] == [79, 76, 78]
    assert not any("scores table" in w for w in found.warnings)
    helens = parse(press("St Helens", rows))
    assert [s.percent for s in helens.scores] == [70, 71, 72]


def test_a_row_that_only_begins_like_the_area_is_taken_alone_and_said() -> None:
    found = parse(press("Essex", [NORTH, "| Essex YOS | 62% | 58% | 71% |"]))
    assert scores(found) == OWN
    assert any("no row named Essex: took the row 'Essex YOS'" in w for w in found.warnings)


def test_with_two_rows_that_begin_like_the_area_and_none_its_own_no_scores_are_taken() -> None:
    rows = [EAST_NORTH, "| Essex South | 40% | 40% | 40% |"]
    found = parse(press("Essex", rows))
    assert found.scores == []
    assert any("none of its rows is Essex" in w for w in found.warnings)


def test_a_score_heading_and_its_score_on_one_line_are_read() -> None:
    text = """\
Core Case Inspection of youth offending work in Sefton

Safeguarding score: Score: 68% Comment: MODERATE improvement required

Risk of Harm to others score: Score: 55% Comment: SUBSTANTIAL improvement required

Likelihood of Reoffending score: Score: 71% Comment: MODERATE improvement required

Recommendations (primary responsibility is indicated in brackets)

(1) plans are reviewed (Head of Service)
"""
    assert scores(parse(text)) == [
        ("Safeguarding", 68, Improvement.MODERATE),
        ("Risk of Harm to others", 55, Improvement.SUBSTANTIAL),
        ("Likelihood of Reoffending", 71, Improvement.MODERATE),
    ]
