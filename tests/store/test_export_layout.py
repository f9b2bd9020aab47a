"""One board report, laid out once: `layout.board_document` decides the sections, their
headings and what each says, and the Markdown, HTML and Word renderers each draw all of it, in
the same order, saying the same words."""

from __future__ import annotations

import html
import io
import re
from datetime import UTC, datetime, timedelta

import pytest
from docx import Document as open_docx

from conftest import TODAY
from tracker.exporters import export_plan
from tracker.exporters.blocks import Document, Heading, Paragraph
from tracker.exporters.board import board_report
from tracker.exporters.layout import board_document
from tracker.queries.session import SessionReader
from tracker.services import record_board_report
from tracker.store import Store

PLANS = ("stockton-2010", "halton-warrington-2009", "cambridgeshire-2014")

DOCX_LEVELS = {"Title": 1, "Heading 1": 2, "Heading 2": 3}
"""Word's heading styles as the document's heading levels."""

NEXT_MEETING = datetime.now(UTC) + timedelta(days=40)
"""When the report after one issued now is issued: 40 days on, after the next meeting of any
pattern (they are at most monthly), so that it lists what changed since the one issued now."""


def document(store: Store, plan: str) -> Document:
    with store.read() as session:
        return board_document(board_report(SessionReader(session), plan, TODAY, now=NEXT_MEETING))


def export(store: Store, plan: str, fmt: str) -> bytes:
    with store.read() as session:
        return export_plan(SessionReader(session), plan, fmt, TODAY, now=NEXT_MEETING)


def headings(doc: Document) -> list[tuple[int, str]]:
    """The document's headings in order, with their levels (1: the title)."""
    found = [(1, doc.title)]
    for section in doc.sections:
        found.append((2, section.heading))
        found += [(b.level, b.text) for b in section.blocks if isinstance(b, Heading)]
    return found


def paragraphs(doc: Document) -> list[str]:
    """The text of every paragraph of the document, the lines under the title first."""
    found = [p.text for p in doc.intro]
    for section in doc.sections:
        found += [b.text for b in section.blocks if isinstance(b, Paragraph)]
    return found


def markdown_headings(text: str) -> list[tuple[int, str]]:
    return [
        (len(marks), re.sub(r"\\(.)", r"\1", title))
        for marks, title in re.findall(r"^(#{1,3}) (.*)$", text, re.M)
    ]


def html_headings(page: str) -> list[tuple[int, str]]:
    return [(int(n), html.unescape(t)) for n, t in re.findall(r"<h([1-3])>(.*?)</h\1>", page)]


def docx_paragraphs(data: bytes) -> list[tuple[str, str]]:
    return [
        (p.style.name if p.style else "", p.text) for p in open_docx(io.BytesIO(data)).paragraphs
    ]


@pytest.mark.parametrize("plan", PLANS)
def test_every_format_draws_the_same_headings_in_order(loaded: Store, plan: str) -> None:
    expected = headings(document(loaded, plan))
    assert [level for level, _ in expected].count(1) == 1
    assert markdown_headings(export(loaded, plan, "md").decode()) == expected
    assert html_headings(export(loaded, plan, "html").decode()) == expected
    word = [
        (DOCX_LEVELS[style], text)
        for style, text in docx_paragraphs(export(loaded, plan, "docx"))
        if style in DOCX_LEVELS
    ]
    assert word == expected


@pytest.mark.parametrize("plan", PLANS)
def test_every_format_says_every_paragraph(loaded: Store, plan: str) -> None:
    said = paragraphs(document(loaded, plan))
    markdown = re.sub(r"\\(.)", r"\1", export(loaded, plan, "md").decode())
    page = html.unescape(export(loaded, plan, "html").decode())
    word = {text for _, text in docx_paragraphs(export(loaded, plan, "docx"))}
    for text in said:
        assert f"\n{text}\n" in markdown, text
        assert f">{text}</p>" in page, text
        assert text in word, text


def test_empty_sections_say_so_in_every_format(loaded: Store) -> None:
    """Straight after a board report nothing has changed and no evidence is new: each format
    says so, in the same words, under the same heading."""
    record_board_report(loaded, "stockton-2010", "Miriam Robertson", "md")
    doc = document(loaded, "stockton-2010")
    said = {s.id: [b for b in s.blocks if isinstance(b, Paragraph)] for s in doc.sections}
    assert [p.text for p in said["changes"]] == ["Nothing has changed."]
    assert [p.text for p in said["evidence"]] == ["None."]
    markdown = export(loaded, "stockton-2010", "md").decode()
    page = export(loaded, "stockton-2010", "html").decode()
    word = docx_paragraphs(export(loaded, "stockton-2010", "docx"))
    for section in (s for s in doc.sections if s.id in ("changes", "evidence")):
        text = said[section.id][0].text
        assert f"## {section.heading}\n\n{text}\n" in markdown
        assert f"<h2>{section.heading}</h2>\n<p>{text}</p>" in page
        at = word.index(("Heading 1", section.heading))
        assert word[at + 1] == ("Normal", text)
