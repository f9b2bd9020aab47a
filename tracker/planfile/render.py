"""Writing a plan: a `PlanDoc` as TOML text in the format's order, and the two changes the demo
and the bench make to a plan before loading it (the day its story has reached, its dates moved).
"""

from __future__ import annotations

import dataclasses
from datetime import date
from enum import StrEnum
from typing import Any, TypeVar

import tomli_w

from tracker.planfile.docs import PlanDoc

D = TypeVar("D")


def _to_table(obj: Any) -> dict[str, Any]:
    table: dict[str, Any] = {}
    for spec in dataclasses.fields(obj):
        value = getattr(obj, spec.name)
        if value is None or value == []:
            continue
        table[spec.name] = _to_value(value)
    return table


def _to_value(value: Any) -> Any:
    if isinstance(value, StrEnum):
        return value.value
    if isinstance(value, list):
        return [_to_value(v) for v in value]
    if dataclasses.is_dataclass(value):
        return _to_table(value)
    return value


def render_plan(doc: PlanDoc) -> str:
    """The plan as TOML text, keys in the format's order, empty values left out."""
    table = _to_table(doc)
    # Scalars first, then the tables, in the order docs/plan-format.md describes them.
    ordered = {
        k: v for k, v in table.items() if k not in ("inspection", "roles", "recommendations")
    }
    for key in ("inspection", "roles", "recommendations"):
        if key in table:
            ordered[key] = table[key]
    return tomli_w.dumps(ordered, multiline_strings=False)


def latest_note(doc: PlanDoc) -> date | None:
    """The date of the plan's most recent progress note: the day its story has reached."""
    days = [u.date for r in doc.recommendations for a in r.actions for u in a.updates]
    return max(days, default=None)


def shift_dates(obj: D, days: int) -> D:
    """A copy of a plan (or any part of one) with every date moved by `days` days."""
    if not dataclasses.is_dataclass(obj) or isinstance(obj, type):
        raise TypeError(obj)
    moved: dict[str, Any] = {}
    for spec in dataclasses.fields(obj):
        value = getattr(obj, spec.name)
        if isinstance(value, date):
            moved[spec.name] = date.fromordinal(value.toordinal() + days)
        elif isinstance(value, list):
            moved[spec.name] = [
                shift_dates(v, days) if dataclasses.is_dataclass(v) else v for v in value
            ]
        elif dataclasses.is_dataclass(value):
            moved[spec.name] = shift_dates(value, days)
    return dataclasses.replace(obj, **moved)
