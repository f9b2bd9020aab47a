"""What the action's Updates, Evidence and History tabs list, as rows of text: plain functions
of the read action."""

from __future__ import annotations

from datetime import date

from rich.text import Text

from tracker.queries.action import ActionDetail
from tracker.text import clean, uk_day, uk_moment
from tracker.tui.screens.action_form import TEXT_FIELDS, Loaded, size_text
from tracker.tui.screens.row_detail import words
from tracker.tui.widgets.cells import safe
from tracker.tui.widgets.columns import ColumnSpec

UPDATE_COLUMNS = [
    ColumnSpec("date", "Date", 11),
    ColumnSpec("author", "Author", 14, most=24, weight=1),
    ColumnSpec("note", "Note", 20, most=1000, weight=6),
]
"""The progress notes list: the note takes the room the others leave."""

EVIDENCE_COLUMNS = [
    ColumnSpec("title", "Title", 20, most=40, weight=2),
    ColumnSpec("kind", "Kind", 9, drop=1),
    ColumnSpec("date", "Date", 11),
    ColumnSpec("review", "Review", 8),
    ColumnSpec("reviewer", "Reviewer", 14, most=24, weight=1, drop=2),
    ColumnSpec("file", "File: SHA-256, size", 22, drop=3),
]
"""The evidence list: every column at 120 columns; at 80 the file's fingerprint gives way
(the highlighted item shows in full below the list, fingerprint and all)."""

HISTORY_COLUMNS = [
    ColumnSpec("when", "When (UTC)", 17),
    ColumnSpec("who", "Who", 14, most=20, weight=1),
    ColumnSpec("field", "Field", 12, most=16, weight=1),
    ColumnSpec("old", "Old", 10, most=1000, weight=3),
    ColumnSpec("new", "New", 10, most=1000, weight=3),
]
"""The audit trail: both values share the room left (in full below the list)."""

LIST_COLUMNS = {"updates": UPDATE_COLUMNS, "evidence": EVIDENCE_COLUMNS, "history": HISTORY_COLUMNS}
"""Each tab's list's columns, by the tab's id."""


def update_rows(detail: ActionDetail) -> list[tuple[str, ...]]:
    """Progress notes, newest first."""
    return [(uk_day(d), safe(a), safe(t)) for d, a, t in reversed(detail.updates)]


def update_description(detail: ActionDetail, row: int) -> Text:
    """Note `row` of the list (newest first) in full: its date and author, then its words."""
    notes = list(reversed(detail.updates))
    on, author, text = notes[min(max(row, 0), len(notes) - 1)]
    shown = Text(f"{uk_day(on)} · {safe(author)}\n", style="bold")
    shown.append(words(text), style="not bold")
    return shown


def evidence_rows(loaded: Loaded) -> list[tuple[str, ...]]:
    """Evidence, in the order it was added: a file's fingerprint and size, or `reference`."""
    return [
        (
            safe(e.title, 40),
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


FIELD_NAMES = {
    **dict(TEXT_FIELDS),
    "owner": "Owner role",
    "start_on": "Start date",
    "target_on": "Target date",
    "completed_on": "Completed",
    "progress": "Progress %",
    "status": "Status",
    "brag_override": "Colour override",
    "brag_override_reason": "Override reason",
    "withdrawn_on": "Withdrawn",
    "withdrawn_reason": "Why withdrawn",
    "note": "Progress note",
    "added": "Added",
    "loaded": "Loaded from a file",
    "restored": "Restored",
}
"""The audit trail's field names as the form names them (`target_on`: Target date)."""


def field_name(field: str) -> str:
    """An audited field as the screen names it (an unknown one as stored, readably)."""
    return FIELD_NAMES.get(field) or field.replace("_", " ").capitalize()


def field_value(field: str, value: str | None) -> str:
    """An audited value as the screen shows it: a date the UK way (`30 Sep 2010`), stored
    words made safe; `-` for none."""
    if value is None or value == "":
        return "-"
    if field.endswith("_on"):
        try:
            return uk_day(date.fromisoformat(value))
        except ValueError:
            pass
    return clean(value)


def history_rows(detail: ActionDetail) -> list[tuple[str, ...]]:
    """The audit trail, newest first, times in UTC, fields named as the form names them."""
    return [
        (
            uk_moment(h.at),
            safe(h.actor),
            field_name(h.field),
            safe(field_value(h.field, h.old)),
            safe(field_value(h.field, h.new)),
        )
        for h in detail.history
    ]


def history_description(detail: ActionDetail, row: int) -> Text:
    """Change `row` of the trail in full: when, who, the field, and both values whole."""
    h = detail.history[min(max(row, 0), len(detail.history) - 1)]
    shown = Text(f"{uk_moment(h.at)} UTC · {safe(h.actor)} · {field_name(h.field)}", style="bold")
    shown.append(f"\nwas: {field_value(h.field, h.old)}", style="not bold")
    shown.append(f"\nnow: {field_value(h.field, h.new)}", style="not bold")
    return shown


def file_sizes(detail: ActionDetail) -> list[int | None]:
    """The size of each of the action's evidence files, in the order the detail lists them
    (None for a reference)."""
    return [e.size for e in detail.evidence]
