"""The board report as Markdown: plain text that reads well as it is and renders anywhere
(an email, a wiki, a Git forge). It draws the document `tracker.exporters.layout` lays out.

Every stored text is cleaned of control characters and folded onto one line, and the
characters Markdown would read as markup are escaped, so that a note can never turn into a
heading, a link or raw HTML.
"""

from __future__ import annotations

import re
from collections.abc import Iterator

from tracker.exporters.blocks import (
    Block,
    Cell,
    Document,
    Heading,
    ItemList,
    Listing,
    Paragraph,
    Run,
    Table,
)
from tracker.exporters.board import BoardReport
from tracker.exporters.layout import board_document
from tracker.text import clean, one_line

_MARKUP = re.compile(r"([\\`*_\[\]<>|~&])")
_WORD = r"[^\\`*_\[\]<>|~&\s\x00-\x1f\x7f-\x9f]+"
# Text `md` leaves as it is (no markup, control character or whitespace but single spaces
# between words): most cells are, and matching once is cheaper than cleaning and escaping.
_PLAIN = re.compile(f"{_WORD}(?: {_WORD})*")
_LINE_START = re.compile(r"^(\d+)([.)])|^([-+#=])")

CHART_WIDTH = 20
"""The longest bar of a chart drawn in a table, in characters."""


def md(text: str | None) -> str:
    """Stored text made safe inside Markdown: one line, control characters visible, markup
    characters escaped."""
    if not text or _PLAIN.fullmatch(text):
        return text or ""
    return _MARKUP.sub(r"\\\1", one_line(text))


def md_paragraph(text: str | None) -> str:
    """`md(text)` for the start of a line, where `- `, `1. ` or `#` would begin a list or a
    heading."""
    return _LINE_START.sub(_escape_start, md(text))


def _escape_start(match: re.Match[str]) -> str:
    if match.group(1):
        return f"{match.group(1)}\\{match.group(2)}"
    return f"\\{match.group(3)}"


def _runs(runs: tuple[Run, ...]) -> str:
    """A line of runs: each escaped (a colour's label, the tracker's own word, as it is),
    strong ones in bold, and the whole folded onto one line."""
    parts = []
    for run in runs:
        text = clean(run.text) if run.brag is not None else _MARKUP.sub(r"\\\1", clean(run.text))
        parts.append(f"**{text}**" if run.strong else text)
    return " ".join("".join(parts).split())


def _cell(cell: Cell) -> str:
    if cell.items:
        text = "; ".join(md(item) for item in cell.items)
    elif cell.brag is not None:
        text = one_line(cell.text)
    else:  # a table row is one line: a note follows the text
        text = md(cell.text if cell.note is None else f"{cell.text} {cell.note}")
    if cell.strong and text:
        text = f"**{text}**"
    return text or " "


def _bar(count: int, most: int) -> str:
    """A bar of `█` as long as `count` is against `most`; never empty for a count above 0."""
    if not count:
        return ""
    return "█" * max(1, round(CHART_WIDTH * count / most))


def _table(table: Table) -> str:
    header = [md(c.title) for c in table.columns]
    if not header:  # a table of facts: the row heads name the rows
        header = [""] * max((len(row) for row in table.rows), default=0)
    rows = [[_cell(cell) for cell in row] for row in table.rows]
    if table.chart is not None:
        bars = table.chart.bars
        most = max([*(b.count for b in bars), 1])
        header.append(md(table.chart.column))
        for i, row in enumerate(rows):
            row.append((_bar(bars[i].count, most) if i < len(bars) else "") or " ")
    lines = ["| " + " | ".join(header) + " |", "|" + "|".join("---" for _ in header) + "|"]
    lines += ["| " + " | ".join(row) + " |" for row in rows]
    return "\n".join(lines)


def _list(items: ItemList) -> str:
    """Each item a paragraph of its own lines, joined by hard line breaks."""
    indent = "   " if items.numbered else "  "
    lines = []
    for i, item in enumerate(items.items, start=1):
        marker = f"{i}. " if items.numbered else "- "
        texts = [_runs(item.line), *(md(line) for line in item.more)]
        lines.append(marker + f"  \n{indent}".join(texts))
    return "\n".join(lines)


def _block(block: Block) -> str:
    match block:
        case Heading(text, level):
            return f"{'#' * level} {md(text)}"
        case Paragraph(text):
            return md_paragraph(text)
        case Table():
            return _table(block)
        case ItemList():
            return _list(block)
        case Listing(_, items):
            return _list(items)


def _chunks(doc: Document) -> Iterator[str]:
    yield f"# {md(doc.title)}"
    for paragraph in doc.intro:
        yield _block(paragraph)
    for section in doc.sections:
        yield f"## {md(section.heading)}"
        yield from (_block(block) for block in section.blocks)


def render_document(doc: Document) -> str:
    """A document as Markdown text, blocks apart by a blank line, ending with one newline.
    The footer is left out: a Markdown file has no page to put it at the foot of."""
    return "\n\n".join(_chunks(doc)).rstrip("\n") + "\n"


def render_markdown(report: BoardReport) -> str:
    """The board report as Markdown text (ending with one newline)."""
    return render_document(board_document(report))
