"""How values show in a table cell or a header: the board colours (BRAG) as labelled cells,
counts and bars, and stored text made safe to show on one line."""

from __future__ import annotations

from collections.abc import Mapping

from rich.text import Text

from tracker.text import one_line
from tracker.vocab import Brag

BRAG_STYLE = {
    Brag.RED: "bold white on #b00020",
    Brag.AMBER: "bold black on #ffbf00",
    Brag.GREEN: "bold black on #2e9e44",
    Brag.BLUE: "bold white on #1f5fbf",
}
"""Board colours as Rich styles: a board reads colours first."""


def brag_cell(colour: Brag, overridden: bool = False) -> Text:
    """A colour as a labelled, coloured cell (the word is there for those who cannot see it)."""
    label = f" {colour.value.upper()}{'*' if overridden else ''} "
    return Text(label, style=BRAG_STYLE[colour])


BRAG_ORDER = (Brag.RED, Brag.AMBER, Brag.GREEN, Brag.BLUE)


def brag_counts(counts: Mapping[Brag, int]) -> Text:
    """`R2 A3 G4 B4`, each count in its colour (dim when none)."""
    text = Text()
    for i, colour in enumerate(BRAG_ORDER):
        count = counts.get(colour, 0)
        style = BRAG_STYLE[colour].split(" on ")[1] if count else "dim"
        text.append(("" if i == 0 else " ") + f"{colour.value[0].upper()}{count}", style=style)
    return text


def brag_counts_width(counts: Mapping[Brag, int]) -> int:
    """How many cells `brag_counts` takes for these counts (`R12 A3 G4 B10`: 13)."""
    return 2 * len(BRAG_ORDER) - 1 + sum(len(str(counts.get(c, 0))) for c in BRAG_ORDER)


def brag_strip(counts: Mapping[Brag, int], width: int) -> Text:
    """A bar of `width` cells in board colours, each colour's share in proportion to its
    count (dots when there are no actions)."""
    total = sum(counts.get(c, 0) for c in BRAG_ORDER)
    bar = Text()
    if not total:
        bar.append("·" * width, style="dim")
        return bar
    used = 0
    for i, colour in enumerate(BRAG_ORDER):
        share = counts.get(colour, 0) * width / total
        cells = width - used if i == len(BRAG_ORDER) - 1 else round(share)
        cells = min(cells, width - used)
        bar.append("█" * cells, style=BRAG_STYLE[colour].split(" on ")[1])
        used += cells
    return bar


def brag_bar(counts: Mapping[Brag, int], width: int = 20) -> Text:
    """The colour bar with the counts after it: `██████░░ R2 A3 G4 B4`."""
    bar = brag_strip(counts, width)
    bar.append(" ")
    bar.append_text(brag_counts(counts))
    return bar


def safe(text: str | None, width: int | None = None) -> str:
    """Stored text made safe to show: control characters neutralised, one line."""
    return one_line(text or "", width)


OVERDUE_STYLE = "bold white on #b00020"
"""A date or count past due: white on the board's red, readable on the cursor's row too (red
text on the blue cursor was not)."""
