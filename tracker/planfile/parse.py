"""Reading a plan file: bytes to a checked `PlanDoc`, each value converted by its field's type
(the converters are built once per type: a large plan has tens of thousands of values)."""

from __future__ import annotations

import dataclasses
import functools
import types
import typing
from collections.abc import Callable
from datetime import date
from enum import StrEnum
from pathlib import Path
from typing import Any, TypeVar, Union

# tomli is the standard library's tomllib as a compiled build: three times faster on a large plan.
import tomli

from tracker.errors import PlanFileError
from tracker.planfile.check import check_plan
from tracker.planfile.docs import (
    MAX_FILE_BYTES,
    MAX_INT,
    MAX_ITEMS,
    MAX_SHORT,
    MAX_TEXT,
    PlanDoc,
)
from tracker.rules import check_day
from tracker.text import has_control
from tracker.vocab import parse_enum

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
    try:
        return check_day(value, where)
    except ValueError as exc:
        raise PlanFileError(where, str(exc).partition(": ")[2]) from None


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
        key = unknown[0]
        if len(key) > 60 or has_control(key):
            # The message names the key; a hostile one (megabytes long, escape characters)
            # is shown cut and quoted, never whole or raw.
            key = repr(key[:60]) + ("..." if len(key) > 60 else "")
        raise PlanFileError(f"{where}.{key}" if where else key, "unknown key")
    values: dict[str, Any] = {}
    for name, convert, required, limit in schema:
        key = f"{where}.{name}" if where else name
        if name not in table:
            if required:
                raise PlanFileError(key, "is required")
            continue
        raw = table[name]
        most = MAX_ITEMS.get(f"{cls.__name__}.{name}")
        if most is not None and isinstance(raw, list) and len(raw) > most:
            raise PlanFileError(
                key, f"has {len(raw)} entries; the most a plan file may give is {most}"
            )
        values[name] = convert(raw, key)
        if limit is not None:
            for text in values[name] if isinstance(values[name], list) else [values[name]]:
                if len(text) > limit:
                    raise PlanFileError(key, f"is {len(text)} characters long; the most is {limit}")
    return cls(**values)


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
        check_plan(doc)
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
