"""What the action's Updates, Evidence and History tabs list, as rows of text: plain functions
of the read action."""

from __future__ import annotations

from tracker.queries.action import ActionDetail
from tracker.text import uk_day, uk_moment
from tracker.tui.screens.action_form import Loaded, size_text
from tracker.tui.widgets.cells import safe

EVIDENCE_COLUMNS = [
    ("Title", 30),
    ("Kind", 9),
    ("Date", 11),
    ("Review", 8),
    ("Reviewer", 24),
    ("File: SHA-256, size", 22),
]
"""The evidence list fits 120 columns; the highlighted item shows in full below it."""


def update_rows(detail: ActionDetail) -> list[tuple[str, ...]]:
    """Progress notes, newest first."""
    return [(uk_day(d), safe(a), safe(t)) for d, a, t in reversed(detail.updates)]


def evidence_rows(loaded: Loaded) -> list[tuple[str, ...]]:
    """Evidence, in the order it was added: a file's fingerprint and size, or `reference`."""
    return [
        (
            safe(e.title, 30),
            e.kind,
            uk_day(e.dated, "-"),
            e.review,
            safe(e.reviewer or "-", 24),
            f"{e.sha256[:12]} {size_text(size)}" if e.sha256 else "reference",
        )
        for e, size in zip(loaded.detail.evidence, loaded.sizes, strict=True)
    ]


def evidence_description(loaded: Loaded, row: int) -> str:
    """Piece `row` of the evidence in full: where it is, its fingerprint and size, and the
    YJB's review with its comment."""
    items = loaded.detail.evidence
    index = min(max(row, 0), len(items) - 1)
    item, size = items[index], loaded.sizes[index]
    lines = [
        f"{safe(item.title)} · {item.kind} · dated {uk_day(item.dated, 'not given')}",
        f"Where: {safe(item.where)}",
    ]
    if item.sha256:
        lines.append(f"File: SHA-256 {item.sha256} · {size_text(size) or 'size unknown'}")
    review = f"Review: {item.review}"
    if item.reviewer:
        review += f" by {safe(item.reviewer)}"
    if item.review_comment:
        review += f": {safe(item.review_comment)}"
    lines.append(review)
    if item.added_by:
        lines.append(f"Added by {safe(item.added_by)}")
    return "\n".join(lines)


def history_rows(detail: ActionDetail) -> list[tuple[str, ...]]:
    """The audit trail, newest first, times in UTC."""
    return [
        (uk_moment(h.at), safe(h.actor), h.field, safe(h.old or "-", 30), safe(h.new or "-", 30))
        for h in detail.history
    ]


def file_sizes(detail: ActionDetail) -> list[int | None]:
    """The size of each of the action's evidence files, in the order the detail lists them
    (None for a reference)."""
    return [e.size for e in detail.evidence]
