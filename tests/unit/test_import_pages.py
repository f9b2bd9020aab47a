"""Page furniture in text copied out of a PDF, where the page breaks are lost: the running
header repeated on every page must not land inside a recommendation or in the area's name,
whether the pages carry numbers ("Page 2 of 3") or not; lines a report really repeats (score
labels, section headings) stay."""

from __future__ import annotations

from pathlib import Path

import pytest

from tracker.importers import extract_text, preview
from tracker.importers.pages import drop_page_furniture

HEADER = "Core Case Inspection of youth offending work in Sefton     HMI Probation"
PAGES = [
    """\
Core Case Inspection of youth offending work in Sefton

The inspection took place between 12 and 16 October 2009. The report was published on 25th
November 2009.

Safeguarding score:
Score: 68% Comment: MODERATE improvement required

Recommendations (primary responsibility is indicated in brackets)

(1) a timely and good quality assessment of vulnerability is completed in all cases
(Head of Service)

(2) a risk of harm to others assessment is completed on time and in full, and the
management of cases where the young person""",
    """\
presents a high risk of harm is overseen by a manager (Head of Service, Chair of the
Management Board and all staff)

(3) the YOS's work with children looked after by the local authority is co-ordinated
with children's social care (Director of Children's Services)

The inspectors thank the staff and the children and young people who spoke to them.""",
    """\
Next steps

An improvement plan is required within four weeks. It should be sent to HMI Probation, who
will pass it to the Youth Justice Board to monitor its implementation.

Appendix 1: the inspection's scores""",
]
REC_2 = (
    "a risk of harm to others assessment is completed on time and in full, and the management "
    "of cases where the young person presents a high risk of harm is overseen by a manager"
)


def pasted(footer: str | None) -> str:
    """The three pages as text copied from the PDF: header, page, footer, no form feeds."""
    parts = []
    for number, page in enumerate(PAGES, start=1):
        parts.append(f"{HEADER}\n\n{page}\n")
        if footer is not None:
            parts.append(footer.format(n=number, of=len(PAGES)) + "\n")
    return "\n".join(parts)


@pytest.mark.parametrize(
    "footer",
    ["Page {n} of {of}", "Page {n}", "{n}", "- {n} -", "Sefton report      Page {n}", None],
)
def test_running_headers_in_pasted_text_are_not_read_into_the_report(
    tmp_path: Path, footer: str | None
) -> None:
    path = tmp_path / "sefton.txt"
    path.write_text(pasted(footer), "utf-8")
    text = extract_text(path)
    assert "Sefton     HMI Probation" not in text and "Sefton HMI Probation" not in text
    assert "Page 2" not in text
    found = preview(path)
    assert found.area == "Sefton"
    assert found.recommendations[1].text == REC_2
    assert found.recommendations[1].owners == [
        "Head of Service",
        "Chair of the Management Board",
        "all staff",
    ]
    assert [s.percent for s in found.scores] == [68]
    assert not any("skipped" in w for w in found.warnings)


def test_lines_a_report_really_repeats_are_kept() -> None:
    block = """\
Safeguarding score:
Score: Comment:
78% MINIMUM improvement required

Strengths:
The reports were well written and the plans were clear in most of the cases we read.

Areas for improvement:
{filler}
"""
    filler = "\n".join(f"Case {n} was read by the inspectors and discussed." for n in range(12))
    text = "\n".join(block.format(filler=filler) for _ in range(4))
    assert drop_page_furniture(text) == text


def test_a_repeated_sentence_that_breaks_into_no_sentence_is_kept() -> None:
    filler = "\n".join(f"Paragraph {n} of the findings ends here." for n in range(12))
    text = "\n\n".join(f"The YOS Management Board met in private.\n{filler}" for _ in range(3))
    assert drop_page_furniture(text) == text


RATED_PAGES = [
    """\
An inspection of youth offending services in Norfolk
HM Inspectorate of Probation

Overall, Norfolk YOT was rated as: Requires improvement.

Recommendations

The Norfolk YOT Management Board should:

1. make sure that the board understands the needs of children who offend, and that board
   members advocate for these children in their own agencies""",
    """\
2. review the out-of-court disposal policy so that it is consistent with national
   guidance

The YOT Manager should:

3. improve the quality of assessment and planning for keeping other people safe

Background

An inspection of youth offending services in Norfolk was carried out in February 2019.
The fieldwork took place between 4 and 8 February 2019.""",
    "Publication date: 14 May 2019",
]


def test_a_rated_report_pasted_with_numbered_footers_reads_whole(tmp_path: Path) -> None:
    footer = "Inspection of youth offending services: Norfolk YOT"
    text = "\n".join(f"{page}\n\n{footer}        {n}\n" for n, page in enumerate(RATED_PAGES, 1))
    path = tmp_path / "norfolk.txt"
    path.write_text(text, "utf-8")
    found = preview(path)
    assert [(r.ref, r.text, r.owners) for r in found.recommendations] == [
        (
            "1",
            "make sure that the board understands the needs of children who offend, and that "
            "board members advocate for these children in their own agencies",
            ["YOT Management Board"],
        ),
        (
            "2",
            "review the out-of-court disposal policy so that it is consistent with national "
            "guidance",
            ["YOT Management Board"],
        ),
        (
            "3",
            "improve the quality of assessment and planning for keeping other people safe",
            ["YOT Manager"],
        ),
    ]
    assert [(r.name, r.rating.value) for r in found.ratings] == [
        ("Overall", "Requires improvement")
    ]
    assert found.fieldwork is not None
    assert (found.fieldwork.start.day, found.fieldwork.end.day) == (4, 8)
    assert found.area == "Norfolk" and str(found.published) == "2019-05-14"
