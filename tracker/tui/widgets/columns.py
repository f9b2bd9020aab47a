"""The columns a table shows: which of a screen's columns fit the terminal, and how wide each
is, so that a small terminal shows what matters and a large one gives the words room."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from typing import NamedTuple


class Column(NamedTuple):
    """A column: its heading, its width in cells, and a key naming what it shows."""

    label: str
    width: int
    key: str = ""


@dataclass(frozen=True)
class ColumnSpec:
    """A column a screen may show: its key and heading, the least width it is shown at, the
    most it grows to when there is room (`weight` shares of the room left), and `drop`: 0 for
    a column always shown, else the order in which optional columns give way (1 first kept).
    `keep`: the width an always-shown column keeps before any optional column is added (the
    words of a plan's actions are not squeezed to make room for its lead)."""

    key: str
    label: str
    width: int
    most: int = 0
    weight: int = 0
    drop: int = 0
    keep: int = 0


PADDING = 2
"""Each cell has a space either side."""


def fit_columns(specs: Sequence[ColumnSpec], room: int) -> list[Column]:
    """The columns to show in `room` cells, in `specs` order: every column that is always
    shown, at its least width; the optional ones, in their `drop` order, until one does not
    fit (leaving each always-shown column its `keep` width); then the room left widens the
    growing columns in proportion to their weights, each up to its most. So a small terminal
    shows what matters and a large one gives the words room."""
    chosen = [s for s in specs if not s.drop]
    used = sum(s.width + PADDING for s in chosen)
    kept = sum(max(0, s.keep - s.width) for s in chosen)
    for spec in sorted((s for s in specs if s.drop), key=lambda s: s.drop):
        if used + spec.width + PADDING + kept > room:
            break  # a less wanted column never takes the place of a more wanted one
        chosen.append(spec)
        used += spec.width + PADDING
    widths = {s.key: s.width for s in chosen}
    left = room - used
    while left > 0:
        growing = [s for s in chosen if s.weight and widths[s.key] < s.most]
        if not growing:
            break
        total = sum(s.weight for s in growing)
        given = 0
        for spec in growing:
            share = max(1, left * spec.weight // total)
            add = min(share, spec.most - widths[spec.key], left - given)
            widths[spec.key] += add
            given += add
        if not given:
            break
        left -= given
    return [Column(s.label, widths[s.key], s.key) for s in specs if s in chosen]
