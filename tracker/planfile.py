"""The TOML plan file format (docs/plan-format.md): read and check a file, and write one.

No database here: a file becomes a `PlanDoc` tree, checked whole, and a `PlanDoc` becomes TOML
text. The dataclass field names are the file's keys, so the two directions cannot drift apart.
Every problem is a `PlanFileError` naming the file, the key and what is wrong.
"""

from __future__ import annotations

import dataclasses
import functools
import itertools
import re
import types
import typing
from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import date
from enum import StrEnum
from pathlib import Path
from typing import Any, TypeVar, Union

# tomli is the standard library's tomllib as a compiled build: three times faster on a large plan.
import tomli
import tomli_w

from tracker.errors import PlanFileError as PlanFileError  # re-exported for callers
from tracker.rules import check_override, check_rrule
from tracker.text import has_control
from tracker.vocab import (
    ActionStatus,
    Brag,
    EvidenceKind,
    Improvement,
    InspectionKind,
    PlanStatus,
    Rating,
    Response,
    ReviewState,
    parse_enum,
)

Day = date
"""`date`, by a name that the `date` keys of UpdateDoc and EvidenceDoc do not shadow."""

FORMAT_VERSION = 1
MAX_FILE_BYTES = 20 * 1024 * 1024
"""A plan file larger than this is refused before it is parsed."""
MAX_TEXT = 20_000
"""The longest text a field may hold, in characters."""
MAX_SHORT = {
    "PlanDoc.board_meetings": 500,
    "InspectionDoc.area": 200,
    "ScoreDoc.name": 200,
    "RoleDoc.name": 200,
    "RoleDoc.aliases": 200,
    "RecommendationDoc.owners": 200,
    "RecommendationDoc.theme": 200,
    "ActionDoc.owner": 200,
    "ActionDoc.lead": 200,
    "UpdateDoc.author": 200,
    "EvidenceDoc.reviewer": 200,
}
"""Fields the database keeps in a column of limited width: their longest text, in characters."""
MAX_INT = 2**31 - 1
"""The largest whole number the database's integer columns hold."""
PLAN_ID = re.compile(r"^[a-z0-9][a-z0-9-]{0,99}$")
REF = re.compile(r"^[A-Za-z0-9][A-Za-z0-9.\-]{0,19}$")
SHA256 = re.compile(r"^[0-9a-f]{64}$")


@dataclass
class ScoreDoc:
    """A headline score or rating."""

    name: str
    percent: int | None = None
    improvement: Improvement | None = None
    rating: Rating | None = None


@dataclass
class InspectionDoc:
    """The inspection the plan answers."""

    area: str
    kind: InspectionKind
    published: date | None = None
    published_note: str | None = None
    fieldwork_start: date | None = None
    fieldwork_end: date | None = None
    source: str | None = None
    scores: list[ScoreDoc] = field(default_factory=list)


@dataclass
class RoleDoc:
    """A role and its other names."""

    name: str
    aliases: list[str] = field(default_factory=list)


@dataclass
class UpdateDoc:
    """A dated progress note."""

    date: Day
    author: str
    text: str


@dataclass
class EvidenceDoc:
    """A piece of evidence of implementation."""

    title: str
    kind: EvidenceKind = EvidenceKind.DOCUMENT
    date: Day | None = None
    reference: str | None = None
    file: str | None = None
    sha256: str | None = None
    size: int | None = None
    expires: Day | None = None
    review: ReviewState = ReviewState.PENDING
    reviewer: str | None = None
    reviewed: Day | None = None
    review_comment: str | None = None


@dataclass
class ActionDoc:
    """An action and its history."""

    ref: str
    text: str
    owner: str | None = None
    lead: str | None = None
    start: date | None = None
    target: date | None = None
    status: ActionStatus = ActionStatus.NOT_STARTED
    progress: int = 0
    success_measure: str | None = None
    completed: date | None = None
    impact_check: str | None = None
    brag_override: Brag | None = None
    brag_override_reason: str | None = None
    updates: list[UpdateDoc] = field(default_factory=list)
    evidence: list[EvidenceDoc] = field(default_factory=list)


@dataclass
class RecommendationDoc:
    """A recommendation of the report and the actions answering it."""

    ref: str
    text: str
    owners: list[str] = field(default_factory=list)
    response: Response | None = None
    theme: str | None = None
    actions: list[ActionDoc] = field(default_factory=list)


@dataclass
class PlanDoc:
    """A whole plan file."""

    format: int
    id: str
    inspection: InspectionDoc
    title: str | None = None
    status: PlanStatus = PlanStatus.DRAFT
    submitted: date | None = None
    agreed: date | None = None
    forwarded: date | None = None
    closed: date | None = None
    board_meetings: str | None = None
    board_meetings_start: date | None = None
    notes: str | None = None
    roles: list[RoleDoc] = field(default_factory=list)
    recommendations: list[RecommendationDoc] = field(default_factory=list)


D = TypeVar("D")


def _describe(kind: Any) -> str:
    if isinstance(kind, type) and issubclass(kind, StrEnum):
        return "one of " + ", ".join(repr(m.value) for m in kind)
    names = {str: "text", int: "a whole number", date: "a date (2010-01-06, unquoted)"}
    return names.get(kind, getattr(kind, "__name__", str(kind)))


Converter = Callable[[Any, str], Any]
"""Checks a value read from TOML against a field's type (`where` names it in an error) and
returns it as the plan's value."""


@functools.cache
def _converter(kind: Any) -> Converter:
    """The converter for a field type, built once per type: a large plan has tens of thousands
    of values, and working out what each field's type means every time was most of the load."""
    origin = typing.get_origin(kind)
    if origin in (Union, types.UnionType):
        (inner,) = [a for a in typing.get_args(kind) if a is not type(None)]
        return _converter(inner)
    if origin is list:
        (item,) = typing.get_args(kind)
        each = _converter(item)

        def convert_list(value: Any, where: str) -> Any:
            if not isinstance(value, list):
                raise PlanFileError(where, f"must be a list, not {type(value).__name__}")
            return [each(v, _label(v, f"{where}[{i + 1}]")) for i, v in enumerate(value)]

        return convert_list
    if dataclasses.is_dataclass(kind):
        table_kind: type[Any] = kind  # type: ignore[assignment]  # a class, not an instance

        def convert_table(value: Any, where: str) -> Any:
            if not isinstance(value, dict):
                raise PlanFileError(where, "must be a table")
            return _from_table(table_kind, value, where)

        return convert_table
    if isinstance(kind, type) and issubclass(kind, StrEnum):
        enum: type[StrEnum] = kind

        def convert_enum(value: Any, where: str) -> Any:
            if not isinstance(value, str):
                raise PlanFileError(where, f"must be {_describe(enum)}")
            try:
                return parse_enum(enum, value)
            except ValueError as exc:
                raise PlanFileError(where, str(exc)) from None

        return convert_enum
    simple = {date: _convert_date, int: _convert_int, str: _convert_str}
    if kind in simple:
        return simple[kind]
    raise TypeError(kind)  # pragma: no cover - a field type this module does not know


def _convert_date(value: Any, where: str) -> date:
    if type(value) is not date:
        raise PlanFileError(where, f"must be {_describe(date)}, not {value!r}")
    return value


def _convert_int(value: Any, where: str) -> int:
    if type(value) is not int:
        raise PlanFileError(where, f"must be a whole number, not {value!r}")
    if not -MAX_INT <= value <= MAX_INT:
        raise PlanFileError(where, f"{value} is too large; the most is {MAX_INT:,}")
    return value


def _convert_str(value: Any, where: str) -> str:
    if not isinstance(value, str):
        raise PlanFileError(where, f"must be text, not {value!r}")
    if has_control(value):
        raise PlanFileError(where, "holds a control character; plain text only")
    if len(value) > MAX_TEXT:
        raise PlanFileError(where, f"is {len(value)} characters long; the most is {MAX_TEXT}")
    return value


def _label(item: Any, where: str) -> str:
    """`recommendations[ref=2]` rather than `recommendations[2]` where the item has a ref."""
    ref = item.get("ref") if isinstance(item, dict) else None
    return f"{where.rpartition('[')[0]}[ref={ref}]" if isinstance(ref, str) else where


@functools.cache
def _schema(cls: type) -> tuple[tuple[str, Converter, bool, int | None], ...]:
    """Each field of a plan-file table: name, converter, whether it is required, longest text.
    Worked out once per class: `get_type_hints` is far too slow to call for every table of a
    large plan file."""
    hints = typing.get_type_hints(cls)
    return tuple(
        (
            f.name,
            _converter(hints[f.name]),
            f.default is dataclasses.MISSING and f.default_factory is dataclasses.MISSING,
            MAX_SHORT.get(f"{cls.__name__}.{f.name}"),
        )
        for f in dataclasses.fields(cls)
    )


def _from_table(cls: type[D], table: dict[str, Any], where: str) -> D:
    schema = _schema(cls)  # type: ignore[arg-type]  # a dataclass is hashable
    unknown = sorted(set(table) - {name for name, *_ in schema})
    if unknown:
        raise PlanFileError(f"{where}.{unknown[0]}" if where else unknown[0], "unknown key")
    values: dict[str, Any] = {}
    for name, convert, required, limit in schema:
        key = f"{where}.{name}" if where else name
        if name not in table:
            if required:
                raise PlanFileError(key, "is required")
            continue
        values[name] = convert(table[name], key)
        if limit is not None:
            for text in values[name] if isinstance(values[name], list) else [values[name]]:
                if len(text) > limit:
                    raise PlanFileError(key, f"is {len(text)} characters long; the most is {limit}")
    return cls(**values)


def _check(doc: PlanDoc) -> None:
    """Rules that span fields: unique refs, lifecycle dates in order, completion, evidence."""
    if doc.format != FORMAT_VERSION:
        raise PlanFileError(
            "format", f"this tracker reads format {FORMAT_VERSION}, not {doc.format}"
        )
    if not PLAN_ID.match(doc.id):
        raise PlanFileError("id", f"{doc.id!r}: use lower case letters, digits and '-'")
    steps = [("submitted", doc.submitted), ("agreed", doc.agreed), ("forwarded", doc.forwarded)]
    steps.append(("closed", doc.closed))
    known = [(name, day) for name, day in steps if day is not None]
    for (first, a), (second, b) in itertools.pairwise(known):
        if b < a:
            raise PlanFileError(second, f"{b} is before {first} ({a})")
    needs = {
        PlanStatus.SUBMITTED: "submitted",
        PlanStatus.AGREED: "agreed",
        PlanStatus.MONITORING: "forwarded",
        PlanStatus.CLOSED: "closed",
    }
    if doc.status in needs and getattr(doc, needs[doc.status]) is None:
        raise PlanFileError("status", f"{doc.status.value!r} needs the date '{needs[doc.status]}'")
    if doc.board_meetings is not None:
        try:
            check_rrule(doc.board_meetings)
        except ValueError as exc:
            raise PlanFileError("board_meetings", str(exc)) from None
    ins = doc.inspection
    if ins.fieldwork_start and ins.fieldwork_end and ins.fieldwork_end < ins.fieldwork_start:
        raise PlanFileError("inspection.fieldwork_end", "is before fieldwork_start")
    for i, score in enumerate(ins.scores, start=1):
        if score.percent is not None and not 0 <= score.percent <= 100:
            raise PlanFileError(f"inspection.scores[{i}].percent", "must be from 0 to 100")
    seen_actions: set[str] = set()
    seen_recs: set[str] = set()
    for rec in doc.recommendations:
        where = f"recommendations[ref={rec.ref}]"
        if not REF.match(rec.ref):
            raise PlanFileError(f"{where}.ref", "use letters, digits, '.' and '-' only")
        if rec.ref in seen_recs:
            raise PlanFileError(f"{where}.ref", f"{rec.ref!r} is used twice")
        seen_recs.add(rec.ref)
        for action in rec.actions:
            _check_action(action, f"{where}.actions[ref={action.ref}]", seen_actions)


def _check_action(action: ActionDoc, where: str, seen: set[str]) -> None:
    if not REF.match(action.ref):
        raise PlanFileError(f"{where}.ref", "use letters, digits, '.' and '-' only")
    if action.ref in seen:
        raise PlanFileError(f"{where}.ref", f"{action.ref!r} is used twice in this plan")
    seen.add(action.ref)
    if not 0 <= action.progress <= 100:
        raise PlanFileError(f"{where}.progress", "must be from 0 to 100")
    if action.start and action.target and action.target < action.start:
        raise PlanFileError(f"{where}.target", f"{action.target} is before start {action.start}")
    if action.status is ActionStatus.COMPLETE and action.completed is None:
        raise PlanFileError(f"{where}.completed", "a complete action needs its completion date")
    if action.status is not ActionStatus.COMPLETE and action.completed is not None:
        raise PlanFileError(f"{where}.completed", f"the action is {action.status.value}")
    try:
        check_override(action.brag_override, action.brag_override_reason)
    except ValueError as exc:
        raise PlanFileError(f"{where}.brag_override_reason", str(exc)) from None
    for i, ev in enumerate(action.evidence, start=1):
        _check_evidence(ev, f"{where}.evidence[{i}]")


_ABSOLUTE = re.compile(r"/|[A-Za-z]:[\\/]|\\\\")
"""How an absolute path begins: `/` (POSIX), `C:\\` or `C:/` (Windows), `\\\\server` (UNC)."""


def evidence_path_problem(path: str) -> str | None:
    """Why `path` cannot be an evidence file's recorded place, or None. It records where the
    file was on the service's machine, so it must be absolute, with no `..` to climb out of
    where it says (and so no `~`, which only means something to one user's shell)."""
    if not _ABSOLUTE.match(path):
        return f"{path!r} must be an absolute path (where the file is), not relative or ~"
    if ".." in re.split(r"[\\/]", path):
        return f"{path!r} must not hold '..'"
    return None


def _check_evidence(ev: EvidenceDoc, where: str) -> None:
    if (ev.reference is None) == (ev.file is None):
        raise PlanFileError(where, "give exactly one of 'reference' and 'file'")
    if ev.file is not None:
        problem = evidence_path_problem(ev.file)
        if problem is not None:
            raise PlanFileError(f"{where}.file", problem)
        if ev.sha256 is None or not SHA256.match(ev.sha256):
            raise PlanFileError(f"{where}.sha256", "a file needs its SHA-256 as 64 hex digits")
        if ev.size is None or ev.size < 0:
            raise PlanFileError(f"{where}.size", "a file needs its size in bytes")
    elif ev.sha256 is not None or ev.size is not None:
        raise PlanFileError(where, "'sha256' and 'size' go with 'file' only")
    reviewed = ev.review is not ReviewState.PENDING
    if reviewed and (ev.reviewer is None or ev.reviewed is None):
        raise PlanFileError(f"{where}.review", f"{ev.review.value!r} needs reviewer and reviewed")


def parse_plan(data: bytes, source: str) -> PlanDoc:
    """Check `data` (the bytes of a plan file called `source`) and return the plan."""
    if len(data) > MAX_FILE_BYTES:
        raise PlanFileError(
            source, f"is {len(data):,} bytes; a plan file may be at most {MAX_FILE_BYTES:,}"
        )
    if b"\x00" in data:
        raise PlanFileError(source, "is a binary file, not a TOML plan")
    try:
        text = data.decode("utf-8")
    except UnicodeDecodeError as exc:
        line = data[: exc.start].count(b"\n") + 1
        raise PlanFileError(f"{source}:{line}", "is not UTF-8 text") from None
    try:
        table = tomli.loads(text)
    except tomli.TOMLDecodeError as exc:
        raise PlanFileError(source, f"is not valid TOML: {exc}") from None
    except RecursionError:
        raise PlanFileError(
            source, "is not a plan file: its arrays or tables nest too deeply"
        ) from None
    try:
        doc = _from_table(PlanDoc, table, "")
        _check(doc)
    except PlanFileError as exc:
        raise PlanFileError(f"{source}: {exc.where}", exc.problem) from None
    return doc


def read_plan(path: Path) -> PlanDoc:
    """Read and check the plan file at `path`."""
    try:
        if path.is_dir():
            raise PlanFileError(str(path), "is a folder, not a plan file")
        size = path.stat().st_size
        if not path.is_file():
            # A pipe or a device (/dev/zero) would block or never end.
            raise PlanFileError(str(path), "is not a regular file")
        if size > MAX_FILE_BYTES:
            raise PlanFileError(
                str(path), f"is {size:,} bytes; a plan file may be at most {MAX_FILE_BYTES:,}"
            )
        with path.open("rb") as handle:
            data = handle.read(MAX_FILE_BYTES + 1)
    except OSError as exc:
        raise PlanFileError(str(path), f"cannot be read ({exc.strerror})") from None
    except PlanFileError:
        raise
    except ValueError as exc:  # a NUL byte in the name
        raise PlanFileError(repr(str(path)), f"cannot be read ({exc})") from None
    return parse_plan(data, str(path))


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
