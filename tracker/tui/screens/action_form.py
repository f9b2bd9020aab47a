"""The action's fields: how they read (the Details tab's read view) and the form's rule for
turning what was typed into checked changes: plain functions, so that they are tested without a
screen."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from rich.console import Group
from rich.style import Style
from rich.table import Table
from rich.text import Text

from tracker.queries.action import ActionDetail
from tracker.services import ActionChanges
from tracker.text import clean, uk_day
from tracker.tui.dialogs.base import parse_optional_date
from tracker.vocab import ActionStatus, Brag

TEXT_FIELDS = [
    ("text", "Action"),
    ("owner", "Owner role"),
    ("lead", "Named lead"),
    ("start", "Start date"),
    ("target", "Target date"),
    ("progress", "Progress %"),
    ("success_measure", "Success measure"),
    ("impact_check", "Impact check"),
    ("override_reason", "Override reason"),
]
"""The form's text inputs, in order: (id, label)."""

FIELDS = [
    *TEXT_FIELDS[:5],
    ("status", "Status"),
    *TEXT_FIELDS[5:8],
    ("override", "Colour override"),
    TEXT_FIELDS[8],
]
"""Every field, in the order the read view and the form show them: (id, label)."""

LABEL_WIDTH = 18
"""The labels' column, in the read view and the form alike (app.tcss, `#form`)."""

EMPTY = {"override": "none (computed)"}
"""What the read view says for a field left empty (`-` unless named here)."""

AREA_FIELDS = frozenset({"text", "success_measure", "impact_check"})
"""The fields whose words run long: text areas that wrap them (Enter starts a new line)."""


@dataclass(frozen=True)
class Loaded:
    """An action read for editing, with the role names the owner field suggests and the size
    in bytes of each piece of evidence that is a file (None for a reference), in order."""

    detail: ActionDetail
    roles: list[str]
    sizes: list[int | None]


def size_text(size: int | None) -> str:
    """`12.3 kB`: a file's size as people read it (empty for no file)."""
    if size is None:
        return ""
    if size < 1000:
        return f"{size} bytes"
    amount = size / 1000
    for unit in ("kB", "MB"):
        if amount < 1000:
            return f"{amount:.1f} {unit}"
        amount /= 1000
    return f"{amount:.1f} GB"


def fields_view(values: dict[str, str], *, editable: bool, roomy: bool, hint: str = "") -> Group:
    """The Details tab's read view: each field's label and its words whole, wrapped in the width
    left (one renderable, not a widget per field: opening an action styles and lays out a few
    widgets, not sixty). When the action can be edited a click on a field's words opens the
    form at that field, and `hint` says how."""
    grid = Table.grid(padding=(1 if roomy else 0, 1), expand=True)
    grid.add_column(width=LABEL_WIDTH, style="dim", no_wrap=True)
    grid.add_column(ratio=1, overflow="fold")
    for field_id, label in FIELDS:
        value = values[field_id]
        shown = Text(value) if value.strip() else Text(EMPTY.get(field_id, "-"), style="dim")
        if editable:
            shown.stylize(Style(meta={"@click": f"screen.edit({field_id!r})"}))
        grid.add_row(Text(label), shown)
    if not hint:
        return Group(grid)
    return Group(grid, Text(f"\n{hint}", style="dim"))


def form_values(detail: ActionDetail) -> dict[str, str]:
    """The form's text as the stored action gives it, a stored control character made
    visible (so a field left alone is left as stored, and one edited keeps what is shown)."""
    row = detail.row
    values = {
        "text": row.text,
        # The role's name, as the plan table, the exports and the CLI show it (a report's
        # alias, `YOS Manager`, is kept as stated, but is not the name to edit).
        "owner": row.owner or detail.owner_stated_as or "",
        "lead": row.lead or "",
        "start": uk_day(row.start),
        "target": uk_day(row.target),
        "progress": str(row.progress),
        "success_measure": detail.success_measure or "",
        "impact_check": detail.impact_check or "",
        "override_reason": detail.brag_override_reason or "",
        "status": row.status.value,
        "override": detail.brag_override.value if detail.brag_override else "",
    }
    return {name: clean(value) for name, value in values.items()}


def changes_from_form(values: dict[str, str], detail: ActionDetail) -> ActionChanges:
    """What the user changed, checked: ValueError naming the field for a bad date or number."""
    before = form_values(detail)
    edited = {k for k, v in values.items() if v.strip() != before[k].strip()}
    kwargs: dict[str, Any] = {}
    clear: set[str] = set()
    for name, field in (
        ("text", "text"),
        ("lead", "lead"),
        ("owner", "owner"),
        ("success_measure", "success_measure"),
        ("impact_check", "impact_check"),
        ("override_reason", "brag_override_reason"),
    ):
        if name in edited:
            value = values[name].strip()
            if value:
                kwargs[field] = value
            elif name == "text":
                raise ValueError("Action: the action's text cannot be empty")
            elif name != "override_reason":
                clear.add(field)
    for name, field, label in (
        ("start", "start_on", "Start date"),
        ("target", "target_on", "Target date"),
    ):
        if name in edited:
            day = parse_optional_date(values[name], label)
            if day is None:
                clear.add(field)
            else:
                kwargs[field] = day
    if "progress" in edited:
        try:
            progress = int(values["progress"].strip())
        except ValueError:
            raise ValueError(f"Progress %: {values['progress']!r} is not a whole number") from None
        if not 0 <= progress <= 100:
            raise ValueError("Progress %: give a number from 0 to 100")
        kwargs["progress"] = progress
    if "status" in edited:
        kwargs["status"] = ActionStatus(values["status"])
    complete = ActionStatus(values["status"]) is ActionStatus.COMPLETE
    if complete and kwargs.get("progress", 100) != 100:
        raise ValueError("Progress %: a complete action is 100% done; make it 100")
    if "override" in edited:
        if values["override"]:
            kwargs["brag_override"] = Brag(values["override"])
            kwargs.setdefault("brag_override_reason", values["override_reason"].strip() or None)
        else:
            clear.add("brag_override")
    return ActionChanges(clear=frozenset(clear), **kwargs)
