"""A document as an ordered list of blocks: the board report is laid out as one, once
(`tracker.exporters.layout`), and each format's renderer (Markdown, HTML, Word) only walks it.

The blocks say what is shown, never how: every word, heading, column and empty-section
sentence is decided when the document is built, and a renderer decides only its own markup (a
Markdown table, an HTML `<table>`, a Word table filled in a colour). All text is plain text as
stored or as the tracker words it; each renderer makes it safe for its format (cleaned of
control characters, escaped).
"""

from __future__ import annotations

from dataclasses import dataclass

from tracker.vocab import Brag


# Runs and cells are made by the hundred for each report, and a frozen dataclass costs four
# times as much to make: they are left unfrozen, and like every block only read once built.
@dataclass(slots=True)
class Run:
    """A piece of a line of text."""

    text: str
    strong: bool = False
    brag: Brag | None = None
    """A colour's label (`Amber*`), shown in that colour where the format has colour."""


@dataclass(frozen=True, slots=True)
class Heading:
    """A heading inside a section (level 3: a sub-heading; the sections' own headings are
    their `Section.heading`)."""

    text: str
    level: int = 3


@dataclass(frozen=True, slots=True)
class Paragraph:
    """A paragraph."""

    text: str
    meta: bool = False
    """A line about the document rather than its content (what it covers, as of when): a
    page shows it quieter."""


@dataclass(frozen=True, slots=True)
class Column:
    """A table column's heading."""

    title: str
    numeric: bool = False
    """Whether it holds numbers (a page aligns them right)."""


@dataclass(slots=True)
class Cell:
    """One table cell."""

    text: str = ""
    brag: Brag | None = None
    """The cell is a colour's label, filled (or shown) in that colour."""
    strong: bool = False
    nowrap: bool = False
    """Short text a page should keep on one line (a date, a time)."""
    note: str | None = None
    """A second, smaller line under the text (the latest progress note)."""
    items: tuple[str, ...] = ()
    """Instead of `text`, several short entries: each on its own line on a page, separated
    by `; ` where a cell is one line of text."""


@dataclass(frozen=True, slots=True)
class Bar:
    """One bar of a chart."""

    colour: Brag
    label: str
    count: int


@dataclass(frozen=True, slots=True)
class Chart:
    """A bar chart of a table's rows, one bar for each of its first rows: a page draws it as
    a picture beside the table, plain text as a column of bars in the table."""

    bars: tuple[Bar, ...]
    description: str
    """What the chart shows, in words, for whoever cannot see it."""
    column: str
    """The heading of the column of bars, where the bars are drawn in the table."""


@dataclass(frozen=True, slots=True)
class Table:
    """A table: a heading row (none when `columns` is empty) and rows of cells."""

    columns: tuple[Column, ...]
    rows: tuple[tuple[Cell, ...], ...]
    row_heads: bool = False
    """The first cell of each row names it (a table of facts: `Status | monitoring`)."""
    narrow: bool = False
    """As wide as its content rather than the page."""
    chart: Chart | None = None


@dataclass(frozen=True, slots=True)
class Item:
    """A list item: a line of runs, then any further lines under it."""

    line: tuple[Run, ...]
    more: tuple[str, ...] = ()


@dataclass(frozen=True, slots=True)
class ItemList:
    """A bulleted or numbered list."""

    items: tuple[Item, ...]
    numbered: bool = False
    name: str = ""
    """What the list holds (`decisions`), for a format that styles lists by kind."""


@dataclass(frozen=True, slots=True)
class Listing:
    """The same records two ways: as a table where a page is wide enough for it, and as a
    list in plain text, where a wide table of long text does not read."""

    table: Table
    items: ItemList


Block = Heading | Paragraph | Table | ItemList | Listing
"""What a section holds."""


@dataclass(frozen=True, slots=True)
class Section:
    """A section under its heading."""

    id: str
    """A short name for it (`attention`), which an HTML page uses as its anchor."""
    heading: str
    blocks: tuple[Block, ...]


@dataclass(frozen=True, slots=True)
class Document:
    """A whole document: its title (the first heading, and the file's title), the lines
    about it under the title, its sections in order, and a footer for formats with one."""

    title: str
    intro: tuple[Paragraph, ...]
    sections: tuple[Section, ...]
    footer: str
