"""The ready-to-submit checklist of a draft plan, as the plan screen shows it: the summary
line and each gap's ref (a click moves the cursor to its row), and which row each gap is on.
Plain functions of the read plan (`tracker.rules.Readiness`)."""

from __future__ import annotations

from textual.content import Content

from tracker.queries.plan import PlanDetail
from tracker.rules import Gap
from tracker.text import one_line

ON_RECOMMENDATION = frozenset({"no actions", "no reason"})
"""The gaps on a recommendation (their ref is its ref); the others with a ref are on an
action."""

MOST_REFS = 12
"""Refs shown for one kind of gap; the rest are counted."""


def gap_key(slug: str, gap: Gap) -> str | None:
    """The plan table's row key of the row a gap is on (None for the plan's own gaps)."""
    if gap.ref is None:
        return None
    if gap.kind in ON_RECOMMENDATION:
        return f"r:{gap.ref}"
    return f"a:{slug}/{gap.ref}"


def shows_checklist(detail: PlanDetail) -> bool:
    """Whether the plan screen shows the checklist: while the plan is a draft."""
    return detail.readiness is not None and detail.status.value == "draft"


def checklist(
    detail: PlanDetail, gap_key_label: str | None, keys: dict[str, str | None]
) -> Content:
    """The checklist: a summary line, then each kind of gap with the refs it is on (each ref
    a link to its row). `gap_key_label` is the key that moves to the next gap (None: none);
    `keys` the keys of the actions a gap on the plan itself needs (`edit_plan`,
    `add_recommendation`, `lifecycle`), None where the session has none."""
    readiness = detail.readiness
    assert readiness is not None
    if readiness.ready:
        line = Content.from_markup("[b $success]✓ $summary[/]", summary=readiness.summary())
        if keys.get("lifecycle"):
            line += Content.from_markup(
                " · [dim]$key records it as submitted[/]", key=keys["lifecycle"]
            )
        return line
    line = Content.from_markup(
        "[b $warning]Not ready to submit:[/] $summary", summary=readiness.summary()
    )
    if gap_key_label:
        line += Content.from_markup(" · [dim]$key: next gap[/]", key=gap_key_label)
    lines = [line]
    parts: list[Content] = []
    by_kind: dict[str, list[tuple[int, Gap]]] = {}
    for index, gap in enumerate(readiness.gaps):
        if gap.ref is None:
            hint = {
                "no publication date": keys.get("edit_plan"),
                "no recommendations": keys.get("add_recommendation"),
            }.get(gap.kind)
            part = Content.from_markup("[b]$kind[/]", kind=gap.kind)
            if hint:
                part += Content.from_markup(" [dim]($key)[/]", key=hint)
            parts.append(part)
            continue
        by_kind.setdefault(gap.kind, []).append((index, gap))
    for kind, gaps in by_kind.items():
        part = Content.from_markup("[b]$kind:[/]", kind=kind)
        for index, gap in gaps[:MOST_REFS]:
            ref = ("R" if kind in ON_RECOMMENDATION else "") + one_line(gap.ref or "", 12)
            part += " "
            part += Content.from_markup(
                f"[@click=screen.goto_gap({index}) underline]$ref[/]", ref=ref
            )
        if len(gaps) > MOST_REFS:
            part += Content.from_markup(" [dim]+$n more[/]", n=str(len(gaps) - MOST_REFS))
        parts.append(part)
    if parts:
        lines.append(Content(" · ").join(parts))
    return Content("\n").join(lines)
