"""What a hostile input is (a `Case`), and the valid plan every generated case breaks one
thing of."""

from __future__ import annotations

import io
import json
import zipfile
from dataclasses import dataclass
from datetime import date
from typing import Any

from bench.reliability.editors import SHARED_PLAN

ACTION = f"{SHARED_PLAN}/2.2"
"""An action of the sample plans (in progress) that the update and evidence cases aim at."""
USAGE = 2
"""click's exit status for bad usage: a number option given a word (`--progress ten`)."""
ESCAPES = {
    "esc-clear": "\x1b[2J",
    "esc-osc-title": "\x1b]0;owned\x07",
    "esc-colour": "\x1b[31mred",
    "c1-csi": "\x9b31m",
    "bell": "\x07",
    "backspace": "abc\x08\x08\x08xyz",
    "carriage-return": "safe\rFAKE",
    "delete": "\x7f",
    "nul": "\x00",
    "vertical-tab": "\x0b",
}
"""Control characters and terminal escape sequences, by name."""


@dataclass(frozen=True)
class Case:
    """A bad input: the CLI arguments (after `--db DB`), words of which at least one must be
    in the message, the exit status wanted, and whether to run it in a process of its own
    (inputs that might hang or exhaust the process). `@DB@` in the arguments stands for the
    database's path (`bench.reliability.outputs`)."""

    name: str
    args: tuple[str, ...]
    expect: tuple[str, ...]
    code: int = 1
    isolate: bool = False
    sqlite_only: bool = False
    """A case about a SQLite file (an output aimed at the database's own file)."""


def base_plan(plan_id: str = "hostile") -> dict[str, Any]:
    """A valid plan file (as a TOML table) that touches every key; each generated case
    breaks one thing in it."""
    return {
        "format": 1,
        "id": plan_id,
        "title": "Hostile input base plan",
        "status": "agreed",
        "submitted": date(2010, 2, 2),
        "agreed": date(2010, 2, 22),
        "board_meetings": "FREQ=MONTHLY;BYDAY=2TU",
        "board_meetings_start": date(2010, 3, 1),
        "notes": "A valid plan: every corpus entry breaks one thing in it.",
        "inspection": {
            "area": "Hostileshire",
            "kind": "CCI",
            "published": date(2010, 1, 6),
            "published_note": "From the report's cover.",
            "fieldwork_start": date(2009, 9, 1),
            "fieldwork_end": date(2009, 10, 31),
            "source": "hand-written for the reliability bench",
            "scores": [
                {"name": "Safeguarding", "percent": 61, "improvement": "MINIMUM"},
                {"name": "Leadership", "rating": "Good"},
            ],
        },
        "roles": [{"name": "Head of Hostile YOS", "aliases": ["HoHY"]}],
        "recommendations": [
            {
                "ref": "1",
                "text": "Make sure that every assessment is timely.",
                "owners": ["Head of Hostile YOS"],
                "response": "agreed",
                "theme": "Assessment",
                "actions": [
                    {
                        "ref": "1.1",
                        "text": "Audit assessments monthly.",
                        "owner": "HoHY",
                        "lead": "A. Manager",
                        "start": date(2010, 2, 1),
                        "target": date(2010, 6, 30),
                        "status": "in progress",
                        "progress": 40,
                        "success_measure": "80% timely.",
                        "impact_check": "Re-audit in six months.",
                        "updates": [
                            {"date": date(2010, 3, 1), "author": "A. Manager", "text": "Begun."}
                        ],
                        "evidence": [
                            {
                                "title": "Audit tool",
                                "kind": "template",
                                "date": date(2010, 2, 10),
                                "reference": "Shared drive, audits folder",
                            },
                            {
                                "title": "First audit",
                                "kind": "audit",
                                "file": "/shared/audit-1.pdf",
                                "sha256": "ab" * 32,
                                "size": 12345,
                                "expires": date(2011, 2, 10),
                                "review": "accepted",
                                "reviewer": "YJB link",
                                "reviewed": date(2010, 4, 1),
                                "review_comment": "Fine.",
                            },
                        ],
                    },
                    {
                        "ref": "1.2",
                        "text": "Train the team.",
                        "status": "complete",
                        "progress": 100,
                        "completed": date(2010, 5, 1),
                        "brag_override": "green",
                        "brag_override_reason": "Signed off by the board.",
                    },
                ],
            },
            {"ref": "2", "text": "Involve children in planning.", "owners": ["HoHY"]},
        ],
    }


def set_value(table: dict[str, Any], path: tuple[Any, ...], value: Any) -> dict[str, Any]:
    """A deep copy of `table` with the value at `path` replaced (or removed: value DROP)."""
    copy: dict[str, Any] = json.loads(json.dumps(table, default=_iso), object_hook=_dates)
    node: Any = copy
    for step in path[:-1]:
        node = node[step]
    if value is DROP:
        del node[path[-1]]
    else:
        node[path[-1]] = value
    return copy


DROP = object()


def _iso(value: Any) -> Any:
    if isinstance(value, date):
        return {"__date__": value.isoformat()}
    raise TypeError(value)


def _dates(table: dict[str, Any]) -> Any:
    return date.fromisoformat(table["__date__"]) if set(table) == {"__date__"} else table


def actions_path(*rest: Any) -> tuple[Any, ...]:
    return ("recommendations", 0, "actions", 0, *rest)


def zip_bytes(members: dict[str, str | bytes]) -> bytes:
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", zipfile.ZIP_DEFLATED) as archive:
        for name, data in members.items():
            archive.writestr(name, data)
    return buffer.getvalue()
