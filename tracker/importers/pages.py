"""Page furniture: the running headers, footers and page numbers a report's pages carry, which
the parser must not read as part of a recommendation or as the area's name.

A PDF's pages and a text file's form-feed pages are known; text copied out of a PDF has lost
its page breaks, so they are found again from its page numbers ("Page 3 of 40"), and failing
those, a line repeated on many pages that breaks into the middle of a sentence is furniture.
Pure; never raises.
"""

from __future__ import annotations

import itertools
import re
from collections import Counter

PAGE_NUMBER = re.compile(
    r"(?:page\s*)?\d{1,4}(?:\s*(?:of|/)\s*\d{1,4})?|[-–—]\s*\d{1,4}\s*[-–—]|[ivxlc]{1,6}", re.I
)
"""A line that is only a page number ("12", "Page 3 of 40", "- 7 -", "iv")."""
_PAGE_MARK = (
    r"(?:page\s*\d{1,4}(?:\s*(?:of|/)\s*\d{1,4})?|\d{1,4}\s*(?:of|/)\s*\d{1,4}"
    r"|[-–—]\s*\d{1,4}\s*[-–—])"
)
_PAGE_BREAK = re.compile(rf"(?:.*(?:\t|\s{{3,}}))?{_PAGE_MARK}", re.I)
"""A line that ends a page: a page number that says it is one ("Page 3", "3 of 40", "- 3 -"),
alone or after a wide gap ("Westby inspection report      Page 3")."""
_BARE_NUMBER = re.compile(r"\d{1,4}")
MIN_BARE_GAP = 10
"""How many lines apart bare numbers must be to count as page numbers (a page's worth): closer
together, they are more likely a list's or a table's."""
MIN_REPEATS = 3
"""How often a line must recur, pages apart, to be taken for a running header in text that
has no page numbers."""
MIN_PAGE_LINES = 5
"""How far apart (in lines) a repeated line's places must be to be a page's: closer than this,
it is the report's own list or table."""


def tidy_page(text: str) -> list[str]:
    """A page's lines, right-trimmed, with runs of blank lines made one and none at the ends."""
    lines: list[str] = []
    for raw in text.split("\n"):
        line = raw.rstrip()
        if line.strip() or (lines and lines[-1]):
            lines.append(line)
    while lines and not lines[-1]:
        lines.pop()
    return lines


def _key(line: str) -> str:
    return re.sub(r"\d+", "#", " ".join(line.split()).casefold())


def drop_running_lines(pages: list[list[str]]) -> list[list[str]]:
    """Pages without their running headers and footers (a line at the top or bottom of at
    least half the pages, digits aside) and without page numbers."""

    def edges(lines: list[str]) -> set[int]:
        filled = [i for i, line in enumerate(lines) if line.strip()]
        return set(filled[:3] + filled[-3:])

    seen: Counter[str] = Counter()
    for lines in pages:
        seen.update({_key(lines[i]) for i in edges(lines)})
    needed = max(2, (len(pages) + 1) // 2)
    kept: list[list[str]] = []
    for lines in pages:
        at_edge = edges(lines)
        kept.append(
            [
                line
                for i, line in enumerate(lines)
                if i not in at_edge
                or not (seen[_key(line)] >= needed or PAGE_NUMBER.fullmatch(line.strip()))
            ]
        )
    return kept


def join_pages(pages: list[list[str]]) -> str:
    """Pages back into one text, their furniture removed."""
    return "\n".join("\n".join(lines) for lines in drop_running_lines(pages))


def _page_ends(lines: list[str]) -> list[int]:
    """The lines that end a page: page numbers that say so, or bare numbers that count up
    one by one ("2", "3", "4") on lines of their own, well apart."""
    marked = [i for i, line in enumerate(lines) if _PAGE_BREAK.fullmatch(line.strip())]
    if len(marked) >= 2:
        return marked
    bare = [i for i, line in enumerate(lines) if _BARE_NUMBER.fullmatch(line.strip())]
    run: list[int] = []
    for i in bare:
        if run and int(lines[i]) == int(lines[run[-1]]) + 1 and i - run[-1] >= MIN_BARE_GAP:
            run.append(i)
        elif len(run) < 3:
            run = [i]
    return run if len(run) >= 3 else []


def _interrupts(lines: list[str], at: int) -> bool:
    """Whether `lines[at]` stands in the middle of a sentence: the text before it does not end
    one and the text after it goes on in lower case."""
    before = next((line for line in reversed(lines[max(0, at - 3) : at]) if line.strip()), "")
    after = next((line for line in lines[at + 1 : at + 4] if line.strip()), "")
    return (
        bool(before)
        and not re.search(r"[.!?:;)\]\"'’”]\s*$", before)
        and after.strip()[:1].islower()
    )


def _repeated_furniture(lines: list[str]) -> set[str]:
    """Lines (by their key) repeated on many pages of a text without page numbers: at least
    MIN_REPEATS times, far apart, of several words, not a label ("Strengths:"), a score or a
    list item, and set out like a header (a wide gap between its parts) or breaking into a
    sentence somewhere."""
    where: dict[str, list[int]] = {}
    for i, line in enumerate(lines):
        text = line.strip()
        if len(text.split()) >= 3 and not re.search(r"[:%]\s*$|%", text):
            where.setdefault(_key(text), []).append(i)
    found: set[str] = set()
    for key, places in where.items():
        if len(places) < MIN_REPEATS:
            continue
        if min(b - a for a, b in itertools.pairwise(places)) < MIN_PAGE_LINES:
            continue
        if re.match(r"[•●▪◦■*\-–—+]\s|\(?\d{1,3}[.)]\s", lines[places[0]].strip()):
            continue
        wide = bool(re.search(r"\S(?:\t|\s{3,})\S", lines[places[0]].strip()))
        if wide or any(_interrupts(lines, at) for at in places):
            found.add(key)
    return found


def drop_page_furniture(text: str) -> str:
    """Text copied from a PDF (no form feeds) without its running headers, footers and page
    numbers: split into pages again at its page numbers and cleaned as a PDF's pages are, or,
    with no page numbers, without the lines repeated page after page. Text with neither is
    returned as it is."""
    lines = text.split("\n")
    ends = _page_ends(lines)
    if ends:
        starts = [0, *(i + 1 for i in ends)]
        stops = [*(i + 1 for i in ends), len(lines)]
        return join_pages(
            [tidy_page("\n".join(lines[a:b])) for a, b in zip(starts, stops, strict=True)]
        )
    furniture = _repeated_furniture(lines)
    if not furniture:
        return text
    return "\n".join(line for line in lines if _key(line.strip()) not in furniture)
