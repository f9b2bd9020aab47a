"""Exports: the plan leaves the terminal in the formats boards, councils and the YJB open.

One entry point per kind of export, each a pure function of a `tracker.queries` reader and
"today", giving the bytes of the file:

- `export_plan(reader, plan, fmt, today)`: the board report (`md`, `html`, `docx`), the
  spreadsheet (`xlsx`, `csv`), the plan file (`toml`) or the calendar (`ics`);
- `export_pack(reader, plan, formats, today)`: several of those from one read (a board pack),
  the board report gathered once for all its formats;
- `export_portfolio(reader, today, fmt)`: one row per plan for a reviewer (`xlsx`, `html`);
- `digest(reader, today, within_days, owner)`: overdue and due-soon actions by lead, as text.

Every read is plain SQL, so on a SQLite file the CLI's exports never import SQLAlchemy, which
costs more than the export itself. Each format is written with its field's library
(python-docx, openpyxl, icalendar, tomli-w, csv, html.escape), imported only by the renderer
that needs it, so that one export stays quick. Nothing here writes: a file, and recording a
board report as issued, are `tracker.services.board_reports`' work. Nothing here imports
Textual.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from datetime import date, datetime
from typing import TYPE_CHECKING, Any

from tracker.errors import ServiceError
from tracker.exporters.digest import digest
from tracker.vocab import BOARD_FORMATS

if TYPE_CHECKING:
    from tracker.exporters.board import BoardReport, board_report
    from tracker.exporters.data import PlanData
    from tracker.queries.reader import Reader


def __getattr__(name: str) -> Any:
    """`board_report` and `BoardReport`, imported when first asked for: the portfolio
    (`export_portfolio`) needs neither the board report's reads nor its records (10 ms of
    `tracker portfolio`'s start, issue 17)."""
    if name in ("board_report", "BoardReport"):
        from tracker.exporters import board

        return getattr(board, name)
    raise AttributeError(f"module {__name__!r} has no attribute {name!r}")


PLAN_FORMATS = ("md", "html", "docx", "xlsx", "csv", "toml", "ics")
"""The formats `export_plan` writes."""

PORTFOLIO_FORMATS = ("xlsx", "html")
"""The formats `export_portfolio` writes."""

BINARY_FORMATS = ("docx", "xlsx")
"""The formats that are not text (never printed to a terminal)."""

SUFFIXES = {"md": ".md", "html": ".html", "docx": ".docx", "xlsx": ".xlsx", "csv": ".csv"}
SUFFIXES |= {"toml": ".toml", "ics": ".ics"}
"""The usual file name ending of each format."""

__all__ = [
    "BINARY_FORMATS",
    "BOARD_FORMATS",
    "PLAN_FORMATS",
    "PORTFOLIO_FORMATS",
    "SUFFIXES",
    "BoardReport",
    "board_report",
    "digest",
    "export_pack",
    "export_plan",
    "export_portfolio",
    "plan_file_text",
]


def plan_file_text(reader: Reader, plan_slug: str) -> str:
    """The whole plan as a plan file (TOML): load it into another database and export it again
    for the same text. A control character stored by some other means is written as an escape,
    never raw (and `tracker load` refuses it, naming the field); TOML escapes C0 itself, DEL
    and C1 would be written raw. NotFoundError for an unknown plan."""
    from tracker.planfile import render_plan
    from tracker.queries.plandoc import plan_doc
    from tracker.text import escape_left_raw

    return escape_left_raw(render_plan(plan_doc(reader, plan_slug)))


def export_plan(
    reader: Reader,
    plan_slug: str,
    fmt: str,
    today: date,
    *,
    since: datetime | date | None = None,
    action_ids: Iterable[str] | None = None,
    now: datetime | None = None,
) -> bytes:
    """Plan `plan_slug` in format `fmt` (one of `PLAN_FORMATS`) as of `today`, as the bytes
    of the file to write.

    `since` (board reports only) lists changes and evidence after that moment (a date means
    its start, UTC); None means since the last board report issued for an earlier meeting
    than one issued at `now` (default: the clock). `action_ids` (`PLAN/REF` ids, as a
    screen's filter shows them) keeps only those actions in every format but `toml`, which is
    always the whole plan. Unknown plan or action: NotFoundError; unknown format:
    ServiceError."""
    return export_pack(
        reader, plan_slug, [fmt], today, since=since, action_ids=action_ids, now=now
    )[fmt]


def export_pack(
    reader: Reader,
    plan_slug: str,
    formats: Sequence[str],
    today: date,
    *,
    since: datetime | date | None = None,
    action_ids: Iterable[str] | None = None,
    now: datetime | None = None,
) -> dict[str, bytes]:
    """Plan `plan_slug` in each of `formats` (a board pack: the board report in Word and as a
    web page, the spreadsheet...), from one read: the board report is gathered once, so every
    board format in the pack lists the same changes. Options as `export_plan`."""
    unknown = [f for f in formats if f not in PLAN_FORMATS]
    if unknown:
        raise ServiceError(
            f"cannot export as {unknown[0]!r}: choose one of {', '.join(PLAN_FORMATS)}"
        )
    from tracker.exporters.board import board_report

    ids = None if action_ids is None else list(action_ids)
    out: dict[str, bytes] = {}
    report: BoardReport | None = None
    data: PlanData | None = None
    for fmt in formats:
        if fmt == "toml":
            out[fmt] = plan_file_text(reader, plan_slug).encode("utf-8")
        elif fmt in BOARD_FORMATS:
            if report is None:
                report = board_report(reader, plan_slug, today, since, action_ids=ids, now=now)
            out[fmt] = render_board(report, fmt)
        else:
            if data is None:
                data = (
                    report.data if report is not None else _plan_data(reader, plan_slug, today, ids)
                )
            out[fmt] = _render_data(data, fmt)
    return out


def _plan_data(
    reader: Reader, plan_slug: str, today: date, action_ids: list[str] | None
) -> PlanData:
    from tracker.queries.exports import plan_data

    return plan_data(reader, plan_slug, today, action_ids)


def render_board(report: BoardReport, fmt: str) -> bytes:
    """The board report `report` in board format `fmt` (`md`, `html`, `docx`)."""
    if fmt == "md":
        from tracker.exporters.markdown import render_markdown

        return render_markdown(report).encode("utf-8")
    if fmt == "html":
        from tracker.exporters.html import render_html

        return render_html(report)
    from tracker.exporters.docx import render_docx

    return render_docx(report)


def _render_data(data: PlanData, fmt: str) -> bytes:
    """The plan read for export as a spreadsheet (`xlsx`, `csv`) or calendar (`ics`)."""
    if fmt == "ics":
        from tracker.exporters.ics import render_ics

        return render_ics(data, data.detail.version)
    from tracker.exporters.sheet import render_csv, render_xlsx

    return render_xlsx(data) if fmt == "xlsx" else render_csv(data)


def export_portfolio(reader: Reader, today: date, fmt: str) -> bytes:
    """Every plan, one row each (clock, status, % complete, colours, overdue, evidence awaiting
    review), in format `fmt` (`xlsx` or `html`). Unknown format: ServiceError."""
    if fmt not in PORTFOLIO_FORMATS:
        raise ServiceError(
            f"cannot export the portfolio as {fmt!r}: choose one of {', '.join(PORTFOLIO_FORMATS)}"
        )
    from tracker.queries.lists import colours_ahead

    counted = colours_ahead(reader, today)  # counted by the database while the writer imports
    from tracker.exporters.portfolio import render_portfolio_html, render_portfolio_xlsx
    from tracker.queries.portfolio import portfolio_rows

    if fmt == "xlsx":
        import openpyxl  # noqa: F401  # here, beside the count, not after it

    rows = portfolio_rows(reader, today, counted())
    return (
        render_portfolio_xlsx(rows, today) if fmt == "xlsx" else render_portfolio_html(rows, today)
    )
