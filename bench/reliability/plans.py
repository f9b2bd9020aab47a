"""Generated plan files: every key of a valid plan given the wrong type, left out when it is
required, given a value its enumeration does not have, joined by an unknown key, filled with
control characters; and hand-picked values of the right type that break a rule."""

from __future__ import annotations

from collections.abc import Iterator
from datetime import date
from typing import Any

from bench.reliability.cases import DROP, ESCAPES, actions_path, set_value
from bench.reliability.editors import SHARED_PLAN


def _leaves(table: Any, path: tuple[Any, ...] = ()) -> Iterator[tuple[tuple[Any, ...], Any]]:
    """Every (path, value) in a TOML table, lists of tables entered, lists of text kept whole."""
    if isinstance(table, dict):
        for key, value in table.items():
            yield (*path, key), value
            yield from _leaves(value, (*path, key))
    elif isinstance(table, list):
        for i, item in enumerate(table):
            if isinstance(item, dict):
                yield from _leaves(item, (*path, i))


def _schema_key(path: tuple[Any, ...]) -> str:
    """`recommendations.actions.evidence.size` for any list positions on the way."""
    return ".".join(str(p) for p in path if not isinstance(p, int))


def _wrong_values(value: Any) -> list[tuple[str, Any]]:
    """Values of the wrong type for a key that holds `value`."""
    if isinstance(value, bool):
        return [("text", "yes")]
    if isinstance(value, int):
        return [("text", str(value)), ("float", 4.5), ("bool", True)]
    if isinstance(value, date):
        return [("text", value.isoformat()), ("number", 20100106)]
    if isinstance(value, str):
        return [("number", 42), ("list", [value])]
    if isinstance(value, list) and value and isinstance(value[0], dict):
        return [("text", "none"), ("list-of-numbers", [1, 2])]
    if isinstance(value, list):
        return [("text", "HoHY"), ("list-of-numbers", [7])]
    if isinstance(value, dict):
        return [("text", "somewhere")]
    return []


REQUIRED = {
    "format",
    "id",
    "inspection",
    "inspection.area",
    "inspection.kind",
    "inspection.scores.name",
    "roles.name",
    "recommendations.ref",
    "recommendations.text",
    "recommendations.actions.ref",
    "recommendations.actions.text",
    "recommendations.actions.updates.date",
    "recommendations.actions.updates.author",
    "recommendations.actions.updates.text",
    "recommendations.actions.evidence.title",
}
ENUMS = {
    "status": "done",
    "inspection.kind": "full",
    "inspection.scores.improvement": "SOME",
    "inspection.scores.rating": "Brilliant",
    "recommendations.response": "maybe",
    "recommendations.actions.status": "finished",
    "recommendations.actions.brag_override": "purple",
    "recommendations.actions.evidence.kind": "video",
    "recommendations.actions.evidence.review": "ok",
}
TEXT_FIELDS = [
    ("title",),
    ("notes",),
    ("inspection", "area"),
    ("inspection", "scores", 0, "name"),
    ("roles", 0, "aliases"),
    ("recommendations", 0, "text"),
    ("recommendations", 0, "owners"),
    ("recommendations", 0, "actions", 0, "text"),
    ("recommendations", 0, "actions", 0, "lead"),
    ("recommendations", 0, "actions", 0, "updates", 0, "text"),
    ("recommendations", 0, "actions", 0, "evidence", 0, "title"),
    ("recommendations", 0, "actions", 0, "evidence", 1, "file"),
]
"""Text fields that control characters are put into."""


def generated_plans(base: dict[str, Any]) -> Iterator[tuple[str, dict[str, Any], tuple[str, ...]]]:
    """(name, plan table, words the message must hold): one broken thing each."""
    seen: set[str] = set()
    for path, value in _leaves(base):
        key = _schema_key(path)
        if key in seen:
            continue
        seen.add(key)
        leaf = str(path[-1])
        for kind, wrong in _wrong_values(value):
            yield f"wrong-type/{key}={kind}", set_value(base, path, wrong), (leaf,)
        if key in REQUIRED:
            yield f"missing/{key}", set_value(base, path, DROP), (leaf, "required")
        if key in ENUMS:
            yield f"bad-value/{key}", set_value(base, path, ENUMS[key]), (leaf,)
    for path in [(), ("inspection",), ("inspection", "scores", 0), ("roles", 0)] + [
        ("recommendations", 0, *rest)
        for rest in [
            (),
            ("actions", 0),
            ("actions", 0, "updates", 0),
            ("actions", 0, "evidence", 0),
        ]
    ]:
        name = ".".join(str(p) for p in path) or "top"
        yield (
            f"unknown-key/{name}",
            set_value(base, (*path, "colour"), "red"),
            ("colour", "unknown"),
        )
    for i, (escape, sequence) in enumerate(ESCAPES.items()):
        for path in (TEXT_FIELDS[i % len(TEXT_FIELDS)], TEXT_FIELDS[(i + 5) % len(TEXT_FIELDS)]):
            node: Any = base
            for step in path:
                node = node[step]
            bad: Any = [f"x{sequence}"] if isinstance(node, list) else f"{node}{sequence}"
            yield f"control/{escape}/{_schema_key(path)}", set_value(base, path, bad), ("control",)


def rule_breaks(base: dict[str, Any]) -> Iterator[tuple[str, dict[str, Any], tuple[str, ...]]]:
    """Hand-written: values of the right type that break a rule of the format."""
    rec = ("recommendations", 0)
    ev = actions_path("evidence", 1)
    long_text, long_name = "x" * 20_001, "n" * 201
    cases: list[tuple[str, tuple[Any, ...], Any, tuple[str, ...]]] = [
        ("progress-101", actions_path("progress"), 101, ("progress",)),
        ("progress-negative", actions_path("progress"), -1, ("progress",)),
        ("percent-150", ("inspection", "scores", 0, "percent"), 150, ("percent",)),
        ("format-2", ("format",), 2, ("format",)),
        ("huge-integer", actions_path("progress"), 2**70, ("progress", "too large")),
        ("size-over-int32", (*ev, "size"), 3_000_000_000, ("size", "too large")),
        ("size-negative", (*ev, "size"), -5, ("size",)),
        ("target-before-start", actions_path("target"), date(2010, 1, 1), ("target", "before")),
        ("agreed-before-submitted", ("agreed",), date(2010, 1, 2), ("agreed", "before")),
        ("fieldwork-backwards", ("inspection", "fieldwork_end"), date(2009, 1, 1), ("fieldwork",)),
        ("status-needs-date", ("status",), "monitoring", ("forwarded",)),
        ("complete-without-date", actions_path("status"), "complete", ("completed",)),
        ("completed-not-complete", actions_path("completed"), date(2010, 5, 1), ("completed",)),
        ("override-no-reason", actions_path("brag_override"), "red", ("reason",)),
        ("evidence-file-relative", (*ev, "file"), "relative/x.pdf", ("absolute",)),
        ("evidence-file-climbs", (*ev, "file"), "../../etc/passwd", ("absolute",)),
        ("evidence-file-home", (*ev, "file"), "~/x.pdf", ("absolute",)),
        ("evidence-file-other-home", (*ev, "file"), "~root/.ssh/id_rsa", ("absolute",)),
        ("evidence-file-dot-dot-inside", (*ev, "file"), "/shared/../etc/passwd", ("'..'",)),
        ("evidence-file-windows-dot-dot", (*ev, "file"), "C:\\a\\..\\b.pdf", ("'..'",)),
        ("evidence-file-empty", (*ev, "file"), "", ("absolute",)),
        ("evidence-file-bare-name", (*ev, "file"), "audit.pdf", ("absolute",)),
        ("sha256-short", (*ev, "sha256"), "abc", ("sha256",)),
        ("sha256-upper", (*ev, "sha256"), "AB" * 32, ("sha256",)),
        ("file-and-reference", (*ev, "reference"), "also here", ("reference",)),
        ("sha-with-reference", actions_path("evidence", 0, "sha256"), "ab" * 32, ("sha256",)),
        ("reviewed-no-reviewer", (*ev, "reviewer"), DROP, ("reviewer",)),
        ("bad-rrule", ("board_meetings",), "FREQ=SOMETIMES", ("board_meetings",)),
        ("id-upper", ("id",), "Hostile-Plan", ("id",)),
        ("id-spaces", ("id",), "hostile plan", ("id",)),
        ("id-path", ("id",), "../../etc/passwd", ("id",)),
        ("id-empty", ("id",), "", ("id",)),
        ("id-long", ("id",), "h" * 101, ("id",)),
        ("id-slash", ("id",), "plan/1", ("id",)),
        ("id-unicode", ("id",), "plän", ("id",)),
        ("id-leading-dash", ("id",), "-plan", ("id",)),
        ("id-of-a-loaded-plan", ("id",), SHARED_PLAN, ("already in the database",)),
        ("rec-ref-space", (*rec, "ref"), "1 1", ("ref",)),
        ("rec-ref-path", (*rec, "ref"), "../1", ("ref",)),
        ("rec-ref-empty", (*rec, "ref"), "", ("ref",)),
        ("rec-ref-long", (*rec, "ref"), "1" * 21, ("ref",)),
        ("action-ref-slash", actions_path("ref"), "1/1", ("ref",)),
        ("duplicate-rec-ref", ("recommendations", 1, "ref"), "1", ("used twice",)),
        ("duplicate-action-ref", actions_path("ref"), "1.2", ("used twice",)),
        (
            "duplicate-action-ref-across",
            ("recommendations", 1, "actions"),
            [{"ref": "1.1", "text": "Again."}],
            ("used twice",),
        ),
        ("empty-role-alias", ("roles", 0, "aliases"), [" "], ("alias", "empty")),
        (
            "alias-taken",
            ("roles",),
            [{"name": "A team"}, {"name": "B team", "aliases": ["A team"]}],
            ("alias",),
        ),
        ("huge-notes", ("notes",), long_text, ("notes", "characters")),
        ("huge-action-text", actions_path("text"), long_text, ("text", "characters")),
        ("huge-update", actions_path("updates", 0, "text"), long_text, ("text", "characters")),
        ("huge-rec-text", (*rec, "text"), long_text, ("text", "characters")),
        ("huge-evidence-title", (*ev, "title"), long_text, ("title", "characters")),
        ("long-area", ("inspection", "area"), long_name, ("area", "characters")),
        ("long-lead", actions_path("lead"), long_name, ("lead", "characters")),
        ("long-owner", actions_path("owner"), long_name, ("owner", "characters")),
        ("long-role", ("roles", 0, "name"), long_name, ("name", "characters")),
        ("long-alias", ("roles", 0, "aliases"), [long_name], ("aliases", "characters")),
        ("long-rec-owner", (*rec, "owners"), [long_name], ("owners", "characters")),
        ("long-theme", (*rec, "theme"), long_name, ("theme", "characters")),
        ("long-author", actions_path("updates", 0, "author"), long_name, ("author", "characters")),
        ("long-reviewer", (*ev, "reviewer"), long_name, ("reviewer", "characters")),
        ("long-score-name", ("inspection", "scores", 0, "name"), long_name, ("name", "characters")),
        ("long-rrule", ("board_meetings",), "FREQ=MONTHLY;" + "x" * 500, ("board_meetings",)),
        ("nul-escape-in-area", ("inspection", "area"), "Hostile\x00shire", ("control",)),
    ]
    for name, path, value, expect in cases:
        yield f"rule/{name}", set_value(base, path, value), expect
