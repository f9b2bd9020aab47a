"""The HTML pages' structure: the board report's elements all closed in order, its sections
and headings, the BRAG chart as inline SVG, and both pages (board report and portfolio)
self-contained, fetching nothing, and printing on A4."""

from __future__ import annotations

import re
from html.parser import HTMLParser

from sqlalchemy import text

from conftest import TODAY
from tracker.exporters import export_plan, export_portfolio
from tracker.queries.session import SessionReader
from tracker.store import Store

PLAN = "stockton-2010"


def export(store: Store, fmt: str, plan: str = PLAN) -> str:
    with store.read() as session:
        return export_plan(SessionReader(session), plan, fmt, TODAY).decode("utf-8")


VOID = {"meta", "br", "img", "input", "link", "hr", "col", "area", "base", "wbr", "source"}


class Structure(HTMLParser):
    """Tags in order, checking that every element opened is closed in order."""

    def __init__(self) -> None:
        super().__init__()
        self.open: list[str] = []
        self.tags: list[tuple[str, dict[str, str | None]]] = []
        self.text: dict[str, list[str]] = {}
        self.errors: list[str] = []

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        self.tags.append((tag, dict(attrs)))
        if tag not in VOID:
            self.open.append(tag)

    def handle_endtag(self, tag: str) -> None:
        if not self.open or self.open[-1] != tag:
            self.errors.append(f"</{tag}> closes {self.open[-1:] or 'nothing'}")
        else:
            self.open.pop()

    def handle_data(self, data: str) -> None:
        if self.open:
            self.text.setdefault(self.open[-1], []).append(data)


def parse(html: str) -> Structure:
    found = Structure()
    found.feed(html)
    found.close()
    assert not found.errors and not found.open, (found.errors, found.open)
    return found


def test_html_board_report_structure(loaded: Store) -> None:
    page = export(loaded, "html")
    assert page.startswith("<!DOCTYPE html>\n")
    tree = parse(page)
    names = [t for t, _ in tree.tags]
    assert names.count("html") == names.count("head") == names.count("body") == 1
    assert names.count("h1") == 1
    sections = [a.get("id") for t, a in tree.tags if t == "section"]
    assert sections == [
        "plan",
        "brag",
        "attention",
        "due",
        "evidence",
        "changes",
        "decisions",
        "sign-offs",
        "actions",
    ]
    assert tree.text["h2"][:4] == [
        "The plan",
        "BRAG summary",
        "Red and overdue actions",
        "Due by the next board meeting (12 Oct 2010)",
    ]
    # the BRAG chart is inline SVG: one bar per colour, in the colours' own fills
    assert "svg" in names
    bars = [a for t, a in tree.tags if t == "rect"]
    assert [b["fill"] for b in bars] == ["#C0392B", "#F0A30A", "#2E8B57", "#1F6FB2"]
    widths = [float(b["width"] or 0) for b in bars]
    assert widths[0] < widths[1] < widths[2] == widths[3]  # 2, 3, 4, 4 actions
    # red and overdue first: the attention table lists 3.1 (overdue) and 3.3 (blocked)
    attention = page.split('<section id="attention">')[1].split("</section>")[0]
    assert re.findall(r"<tr><td>(\d\.\d)</td>", attention) == ["3.1", "3.3"]
    assert "2 Feb 2010 (on time)" in page


def test_html_is_self_contained_and_prints_on_a4(loaded: Store) -> None:
    for page in (export(loaded, "html"), export(loaded, "html", plan="halton-warrington-2009")):
        tree = parse(page)
        for tag, attrs in tree.tags:
            assert tag not in ("link", "script", "img", "iframe", "object", "embed"), tag
            for name in ("src", "href", "xlink:href", "action", "data"):
                assert name not in attrs, (tag, attrs)
        assert not re.search(r"https?://", page)
        assert "@import" not in page and "url(" not in page
        style = "".join(tree.text["style"])
        assert re.search(r"@page\s*\{[^}]*size:\s*A4", style)
        assert "@media print" in style


def test_html_portfolio_is_self_contained(loaded: Store) -> None:
    with loaded.read() as session:
        page = export_portfolio(SessionReader(session), TODAY, "html").decode("utf-8")
    tree = parse(page)
    assert not re.search(r"https?://", page) and not any(t == "link" for t, _ in tree.tags)
    rows = page.split("<tbody>")[1].split("</tbody>")[0].count("<tr>")
    assert rows == 3
    assert "submitted on time 2 Feb 2010" in page


def test_html_shows_invisible_characters_stored_by_other_means(
    loaded: Store, loaded_target: str
) -> None:
    # The services refuse a bidirectional override or a zero-width space; a row written by
    # other means (an older tracker, SQL) is shown with them visible, never acting on the page.
    with loaded.write() as session:
        session.execute(
            text("UPDATE actions SET text = :t WHERE ref = '3.3'"),
            {"t": "Pay \u202eredro\u202c the \u200bsupplier"},
        )
    with loaded.read() as session:
        page = export_plan(SessionReader(session), "stockton-2010", "html", TODAY).decode()
    assert "\u202e" not in page and "\u200b" not in page
    assert "\\u202e" in page and "\\u200b" in page
