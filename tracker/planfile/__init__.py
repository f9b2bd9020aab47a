"""The TOML plan file format (docs/plan-format.md): read and check a file, and write one.

No database here: a file becomes a `PlanDoc` tree, checked whole, and a `PlanDoc` becomes TOML
text. The dataclass field names are the file's keys, so the two directions cannot drift apart.
Every problem is a `PlanFileError` naming the file, the key and what is wrong.

- `docs`: the tree (`PlanDoc` and the tables in it) and the limits a file is held to;
- `parse`: bytes or a file to a checked `PlanDoc`, each value converted by its field's type;
- `check`: the rules that span fields (refs, lifecycle dates, completion, evidence);
- `render`: a `PlanDoc` as TOML text, and a plan's dates moved or its latest note found.

Callers import from here (`from tracker.planfile import PlanDoc, read_plan`), not from the parts.
"""

from __future__ import annotations

from tracker.errors import PlanFileError
from tracker.planfile.check import evidence_path_problem
from tracker.planfile.docs import (
    FORMAT_VERSION,
    MAX_FILE_BYTES,
    MAX_INT,
    MAX_ITEMS,
    MAX_SHORT,
    MAX_TEXT,
    PLAN_ID,
    REF,
    SHA256,
    ActionDoc,
    Day,
    EvidenceDoc,
    InspectionDoc,
    PlanDoc,
    RecommendationDoc,
    RoleDoc,
    ScoreDoc,
    UpdateDoc,
)
from tracker.planfile.parse import parse_plan, read_plan
from tracker.planfile.render import latest_note, render_plan, shift_dates

__all__ = [
    "FORMAT_VERSION",
    "MAX_FILE_BYTES",
    "MAX_INT",
    "MAX_ITEMS",
    "MAX_SHORT",
    "MAX_TEXT",
    "PLAN_ID",
    "REF",
    "SHA256",
    "ActionDoc",
    "Day",
    "EvidenceDoc",
    "InspectionDoc",
    "PlanDoc",
    "PlanFileError",
    "RecommendationDoc",
    "RoleDoc",
    "ScoreDoc",
    "UpdateDoc",
    "evidence_path_problem",
    "latest_note",
    "parse_plan",
    "read_plan",
    "render_plan",
    "shift_dates",
]
