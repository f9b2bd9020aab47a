"""How the commands print: a user error (`fail`), JSON, aligned tables, rows as either, and an
export's bytes (to a file through `tracker.services.write_export`, or to stdout, never a binary
format to a terminal).

Text output never prints a stored control character raw (`tracker.text`).
"""

from __future__ import annotations

import sys
from collections.abc import Callable, Mapping, Sequence
from datetime import date, datetime
from pathlib import Path
from typing import TYPE_CHECKING, Any, NoReturn, TypeVar

import click

from tracker.text import clean, escape_left_raw, one_line

if TYPE_CHECKING:
    from tracker.files import OutputGuard

Row = TypeVar("Row")


def fail(message: str) -> NoReturn:
    """Print a user error and exit 1."""
    click.echo(f"tracker: {clean(message)}", err=True)
    sys.exit(1)


def _json_default(value: Any) -> Any:
    if isinstance(value, date):
        return value.isoformat()
    return str(value)


def json_text(data: Any, *, list_per_line: bool = True) -> str:
    """Data as JSON (dates as ISO strings), with every control character escaped: the JSON
    writer escapes C0 but would print DEL and C1 (CSI, U+009B) raw to the terminal.

    A list is one item per line (each written by the json module's C encoder, which an
    indented dump cannot use: it took a third of `actions --overdue --json` at national
    scale), unless `list_per_line` is off; anything else is indented."""
    import json  # here: most commands print no JSON

    if list_per_line and isinstance(data, list):
        encode = json.JSONEncoder(default=_json_default, ensure_ascii=False).encode
        text = "[\n" + ",\n".join(encode(item) for item in data) + "\n]" if data else "[]"
    else:
        text = json.dumps(data, indent=2, default=_json_default, ensure_ascii=False)
    return escape_left_raw(text, json=True)


def as_json(data: Any) -> None:
    """Print data as JSON (`json_text`)."""
    click.echo(json_text(data))


def table_text(headers: Sequence[str], rows: Sequence[Sequence[str]]) -> str:
    """Rows as aligned columns, every cell cleaned and kept to one line; a newline ends each."""
    cells = [[one_line(c) for c in row] for row in rows]
    widths = [max([len(h), *(len(r[i]) for r in cells)]) for i, h in enumerate(headers)]
    return "".join(
        "  ".join(c.ljust(w) for c, w in zip(row, widths, strict=True)).rstrip() + "\n"
        for row in [list(headers), *cells]
    )


def table(headers: Sequence[str], rows: Sequence[Sequence[str]]) -> None:
    """Print rows as aligned columns, every cell cleaned and kept to one line."""
    click.echo(table_text(headers, rows), nl=False)


def show_rows(
    rows: Sequence[Row],
    json_out: bool,
    to_json: Callable[[Row], Mapping[str, Any]],
    headers: Sequence[str],
    to_cells: Callable[[Row], Sequence[str]],
    *,
    none: str | None = None,
) -> None:
    """Print a list command's rows: as JSON, a list of `to_json(row)` (`--json`), or as a table
    of `to_cells(row)` under `headers`; with no rows, `none` (when given) instead of a table."""
    if json_out:
        as_json([to_json(row) for row in rows])
    elif not rows and none is not None:
        click.echo(none)
    else:
        table(headers, [to_cells(row) for row in rows])


def text_or_dash(value: Any) -> str:
    """A cell's text: a date in ISO form, an enumeration's value, a dash for nothing."""
    if value is None:
        return "-"
    if isinstance(value, date):
        return value.isoformat()
    return str(getattr(value, "value", value))


def moment_text(at: datetime) -> str:
    """A timestamp as a table shows it (UTC, to the second)."""
    return at.strftime("%Y-%m-%d %H:%M:%S")


def format_for(
    fmt: str | None, output: Path | None, formats: Sequence[str], endings: Mapping[str, str]
) -> str | None:
    """The format asked for with -f (any case), else the one the -o file's ending names, else
    None (the command's default). An unknown format, or an ending that names none, is a user
    error rather than a file silently written in another format."""
    if fmt is not None:
        if fmt.lower() not in formats:
            fail(f"unknown format {fmt!r}: choose one of {', '.join(formats)}")
        return fmt.lower()
    if output is None or not output.suffix:
        return None
    found = endings.get(output.suffix.lower())
    if found is None:
        fail(
            f"cannot tell the format from the ending of {output.name!r}: give -f FORMAT "
            f"({', '.join(formats)})"
        )
    return found


def refuse_binary_on_terminal(what: str, binary: bool, output: Path | None) -> None:
    """A binary format (DOCX, XLSX) bound for stdout is refused when stdout is a terminal,
    where it would only scramble the screen."""
    if output is None and binary and sys.stdout.isatty():
        fail(f"{what} is a binary format: give -o FILE, or redirect the output to a file")


def write_stdout(data: bytes) -> None:
    """Write bytes to stdout as they are."""
    sys.stdout.buffer.write(data)
    sys.stdout.buffer.flush()


def said_written(what: str, output: Path) -> None:
    """Say on stderr (stdout may be a pipe) that `what` was written to `output`."""
    click.echo(f"wrote {what} to {output}", err=True)


def emit(data: bytes, output: Path | None, binary: bool, what: str, *, guard: OutputGuard) -> None:
    """Write an export to `output`, whole or not at all (`tracker.services.write_export`, as
    the TUI does; a missing or unwritable folder, or a file `guard` refuses, is a user error),
    or to stdout."""
    refuse_binary_on_terminal(what, binary, output)
    if output is None:
        write_stdout(data)
        return
    from tracker import services  # here: the reads that print need no writer

    services.write_export(output, data, guard=guard)
    said_written(what, output)
