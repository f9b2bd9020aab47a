"""How the commands print: a user error (`fail`), JSON, aligned tables, rows as either, and an
export's bytes (to a file through `tracker.services.write_export`, or to stdout, never a binary
format to a terminal). And the two lists a user runs most, `plans` and `actions`, as the text
they print (`plans_text`, `actions_text`): the commands in `tracker.cli.lists` and the quick
path (`tracker.cli.quick`) print the same.

Text output never prints a stored control character raw (`tracker.text`). Nothing here imports
click until it prints through it: the quick path prints without it.
"""

from __future__ import annotations

import os
import sys
from collections.abc import Callable, Mapping, Sequence
from datetime import date, datetime
from typing import TYPE_CHECKING, Any, NoReturn, TypeVar

from tracker import rules
from tracker.text import clean, escape_left_raw, one_line
from tracker.vocab import Brag

if TYPE_CHECKING:
    from pathlib import Path

    from tracker.cli.context import Context
    from tracker.files import OutputGuard
    from tracker.queries.lists import ActionRow, PlanRow
    from tracker.vocab import ActionStatus

Row = TypeVar("Row")


def plain_stream(stream: Any) -> bool:
    """Whether `stream` is a text stream that click's `echo` would write to as it is: not a
    Windows console, nor a stream whose encoding is ASCII (which click wraps in UTF-8)."""
    if os.name != "posix" or stream is None:
        return False
    import codecs

    try:
        return codecs.lookup(stream.encoding or "ascii").name != "ascii"
    except (LookupError, AttributeError):
        return False


def echo(text: str, *, err: bool = False, nl: bool = True) -> None:
    """`click.echo`: every command prints through it. Text with no escape sequence, to a plain
    stream (`plain_stream`), is written as click would write it (the line, its newline, a
    flush) without importing click, which the quick path (`tracker.cli.quick`) never does;
    anything else goes through click (which, for one, takes ANSI sequences out of text that
    is not going to a terminal)."""
    stream = sys.stderr if err else sys.stdout
    if "\x1b" not in text and plain_stream(stream):
        stream.write(text + "\n" if nl else text)
        stream.flush()
        return
    import click

    click.echo(text, err=err, nl=nl)


def fail(message: str) -> NoReturn:
    """Print a user error and exit 1."""
    echo(f"tracker: {clean(message)}", err=True)
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
    echo(json_text(data))


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
    echo(table_text(headers, rows), nl=False)


def rows_text(
    rows: Sequence[Row],
    json_out: bool,
    to_json: Callable[[Row], Mapping[str, Any]],
    headers: Sequence[str],
    to_cells: Callable[[Row], Sequence[str]],
    *,
    none: str | None = None,
) -> str:
    """What `show_rows` prints, a newline at its end."""
    if json_out:
        return json_text([to_json(row) for row in rows]) + "\n"
    if not rows and none is not None:
        return none + "\n"
    return table_text(headers, [to_cells(row) for row in rows])


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
    echo(rows_text(rows, json_out, to_json, headers, to_cells, none=none), nl=False)


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


PORTFOLIO_ENDINGS = {".xlsx": "xlsx", ".html": "html", ".htm": "html", ".json": "json"}
PORTFOLIO_ENDINGS |= {".txt": "text"}
"""The portfolio's format from the -o file's ending."""


def portfolio(obj: Context, fmt: str | None, output: Path | None, force: bool) -> None:
    """`tracker portfolio`: every plan for a reviewer, as text (the screen), JSON, XLSX or
    HTML, to `output` or stdout (the command, and the quick path for it)."""
    from tracker import exporters
    from tracker.exporters.data import PORTFOLIO_COLUMNS, portfolio_values
    from tracker.queries.portfolio import portfolio_rows

    fmt = format_for(fmt, output, ("text", "json", "xlsx", "html"), PORTFOLIO_ENDINGS) or "text"
    what = f"the portfolio as {fmt}"
    today = obj.settings.today
    guard = obj.output_guard(force)
    with obj.reader() as reader:
        if fmt in exporters.PORTFOLIO_FORMATS:
            data = exporters.export_portfolio(reader, today, fmt)
            emit(data, output, fmt in exporters.BINARY_FORMATS, what, guard=guard)
            return
        rows = [portfolio_values(r) for r in portfolio_rows(reader, today)]
    if fmt == "json":
        keys = [c.lower().replace(" ", "_").replace("%", "percent") for c in PORTFOLIO_COLUMNS]
        listed = [dict(zip(keys, r, strict=True)) for r in rows]
        text = json_text(listed, list_per_line=False) + "\n"
    else:
        text = table_text(
            [c.upper() for c in PORTFOLIO_COLUMNS], [[text_or_dash(v) for v in r] for r in rows]
        )
    emit(text.encode(), output, False, what, guard=guard)


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
    echo(f"wrote {what} to {output}", err=True)


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


# The plans and actions lists, as `tracker plans` and `tracker actions` print them.

PLAN_HEADERS = [
    "ID",
    "AREA",
    "KIND",
    "PUBLISHED",
    "SUBMISSION",
    "STATUS",
    "BRAG",
    "DONE",
    "OVERDUE",
]
ACTION_HEADERS = ["ID", "BRAG", "STATUS", "DONE", "TARGET", "OWNER", "LEAD", "ACTION"]
NO_PLANS = "no plans yet: load one with `tracker load FILE.toml`"


def _plan_json(row: PlanRow) -> dict[str, Any]:
    due = row.submission_due
    on_time = None if due is None or row.submitted is None else row.submitted <= due
    return {
        "id": row.id,
        "area": row.area,
        "kind": row.kind.value,
        "published": row.published,
        "submission_due": due,
        "submitted": row.submitted,
        "on_time": on_time,
        "status": row.status.value,
        "actions": row.summary.total,
        "brag": {c.value: row.summary.counts.get(c, 0) for c in Brag},
        "percent_complete": row.summary.percent_complete,
        "overdue": row.summary.overdue,
    }


def _plan_cells(row: PlanRow, today: date) -> list[str]:
    from tracker.queries.lists import brag_counts_text

    return [
        row.id,
        row.area,
        row.kind.value,
        text_or_dash(row.published),
        rules.submission_clock(row.published, row.submitted, today),
        row.status.value,
        brag_counts_text(row.summary),
        f"{row.summary.percent_complete}%",
        str(row.summary.overdue),
    ]


def plans_text(obj: Context, *, json_out: bool = False) -> str:
    """The plans, most urgent first, with their clocks and colours: a table, or JSON."""
    from tracker.queries.lists import plan_rows

    today = obj.settings.today
    with obj.reader() as reader:
        rows = plan_rows(reader, today)
    return rows_text(
        rows, json_out, _plan_json, PLAN_HEADERS, lambda row: _plan_cells(row, today), none=NO_PLANS
    )


def _action_json(row: ActionRow) -> dict[str, Any]:
    return {
        "id": row.id,
        "plan": row.plan,
        "recommendation": row.recommendation,
        "ref": row.ref,
        "text": row.text,
        "owner": row.owner,
        "lead": row.lead,
        "start": row.start,
        "target": row.target,
        "status": row.status.value,
        "progress": row.progress,
        "brag": row.brag.colour.value,
        "brag_reason": row.brag.reason,
        "brag_overridden": row.brag.overridden,
        "overdue": row.overdue,
        "evidence": row.evidence,
        "last_update": row.last_update,
        "version": row.version,
        "withdrawn": row.withdrawn,
        "withdrawn_reason": row.withdrawn_reason,
    }


def _action_cells(row: ActionRow) -> list[str]:
    return [
        row.id,
        "-"
        if row.withdrawn
        else row.brag.colour.value.upper() + ("*" if row.brag.overridden else ""),
        row.status.value,
        f"{row.progress}%",
        text_or_dash(row.target),
        row.owner or "-",
        row.lead or "-",
        one_line(row.text, 60),
    ]


def _withdrawn_cell(row: ActionRow) -> str:
    if row.withdrawn is None:
        return ""
    return one_line(f"withdrawn {row.withdrawn.isoformat()}: {row.withdrawn_reason or ''}", 60)


def actions_text(
    obj: Context,
    *,
    plan: str | None = None,
    owner: str | None = None,
    status: ActionStatus | None = None,
    overdue: bool = False,
    due_within: int | None = None,
    everything: bool = False,
    json_out: bool = False,
) -> str:
    """The actions with their colours, filtered (withdrawn ones only with `everything`, marked
    with the date and the reason): a table, or JSON."""
    from tracker.queries.lists import action_rows

    with obj.reader() as reader:
        rows = action_rows(
            reader,
            obj.settings.today,
            plan=plan,
            owner=owner,
            status=status,
            overdue=overdue,
            due_within=due_within,
            withdrawn=everything,
        )
    if everything:
        return rows_text(
            rows,
            json_out,
            _action_json,
            [*ACTION_HEADERS, "WITHDRAWN"],
            lambda row: [*_action_cells(row), _withdrawn_cell(row)],
        )
    return rows_text(rows, json_out, _action_json, ACTION_HEADERS, _action_cells)
