"""Exports: the plan leaves the terminal in the formats boards, councils and the YJB open.

One entry point per kind of export, each a pure function of a read Session and "today":

- `export_plan(session, plan, fmt, today)`: the board report (`md`, `html`, `docx`), the
  spreadsheet (`xlsx`, `csv`), the plan file (`toml`) or the calendar (`ics`), as bytes;
- `export_portfolio(session, today, fmt)`: one row per plan for a reviewer (`xlsx`, `html`);
- `digest(session, today, within_days, owner)`: overdue and due-soon actions by lead, as text.

Every format but the plan file is read with plain SQL (`tracker.reads`, `tracker.listing`), so
`plan_export(reader, ...)` and `portfolio_export(reader, ...)` do the same on a `listing.Reader`:
the CLI's exports on a SQLite file then never import SQLAlchemy, which costs more than the
export itself. This package's import is kept as light for that reason (SQLAlchemy and the
services are imported by the functions that need them).

Each format is written with its field's library (python-docx, openpyxl, icalendar, tomli-w,
csv, html.escape), imported only by the renderer that needs it, so that one export stays
quick. Issuing a board report is recorded separately, by `record_board_report` (the exports'
only write). Nothing here imports Textual.
"""

from __future__ import annotations

from collections.abc import Iterable
from datetime import date, datetime
from typing import TYPE_CHECKING

from tracker.errors import ServiceError
from tracker.exporters.board import BOARD_FORMATS, BoardReport, board_report
from tracker.listing import Reader

if TYPE_CHECKING:
    from sqlalchemy.orm import Session

    from tracker.store import Store

PLAN_FORMATS = ("md", "html", "docx", "xlsx", "csv", "toml", "ics")
"""The formats `export_plan` writes."""

PORTFOLIO_FORMATS = ("xlsx", "html")
"""The formats `export_portfolio` writes."""

SUFFIXES = {"md": ".md", "html": ".html", "docx": ".docx", "xlsx": ".xlsx", "csv": ".csv"}
SUFFIXES |= {"toml": ".toml", "ics": ".ics"}
"""The usual file name ending of each format."""

__all__ = [
    "BOARD_FORMATS",
    "PLAN_FORMATS",
    "PORTFOLIO_FORMATS",
    "SUFFIXES",
    "BoardReport",
    "board_report",
    "digest",
    "export_plan",
    "export_portfolio",
    "export_toml",
    "last_board_report",
    "plan_export",
    "portfolio_export",
    "record_board_report",
]


def last_board_report(session: Session, plan_id: str) -> datetime | None:
    """When the latest board report for plan `plan_id` was issued, or None
    (`board.last_board_report`). NotFoundError for an unknown plan."""
    from tracker.exporters import board
    from tracker.queries import SessionReader

    return board.last_board_report(SessionReader(session), plan_id)


def record_board_report(
    store: Store, plan_slug: str, actor: str, fmt: str, *, issued_at: datetime | None = None
) -> None:
    """Record that `actor` issued a board report (`log.record_board_report`)."""
    from tracker.exporters import log

    log.record_board_report(store, plan_slug, actor, fmt, issued_at=issued_at)


def digest(session: Session, today: date, within_days: int, owner: str | None = None) -> str:
    """Overdue and due-soon actions by lead, as text (`digest.digest`)."""
    from tracker.exporters.digest import digest as write_digest

    return write_digest(session, today, within_days, owner)


def export_toml(session: Session, plan_slug: str) -> str:
    """The whole plan as a plan file (TOML): load it into another database and export it again
    for the same text. A control character stored by some other means is written as an escape,
    never raw (and `tracker load` refuses it, naming the field). NotFoundError for an unknown
    plan."""
    from tracker.exporters.data import escape_left_raw
    from tracker.planfile import render_plan
    from tracker.queries import plan_doc

    return escape_left_raw(render_plan(plan_doc(session, plan_slug)))


def export_plan(
    session: Session,
    plan_slug: str,
    fmt: str,
    today: date,
    *,
    since: datetime | date | None = None,
    action_ids: Iterable[str] | None = None,
) -> bytes:
    """Plan `plan_slug` in format `fmt` (one of `PLAN_FORMATS`) as of `today`, as the bytes
    of the file to write.

    `since` (board reports only) lists changes and evidence after that moment (a date means
    its start, UTC); None means since the last board report issued. `action_ids` (`PLAN/REF`
    ids, as a screen's filter shows them) keeps only those actions in every format but
    `toml`, which is always the whole plan. Unknown plan or action: NotFoundError; unknown
    format: ServiceError."""
    from tracker.queries import SessionReader

    if fmt == "toml":  # an unknown plan: NotFoundError from plan_doc
        return export_toml(session, plan_slug).encode("utf-8")
    return plan_export(  # every other format, and an unknown one, is checked there
        SessionReader(session), plan_slug, fmt, today, since=since, action_ids=action_ids
    )


def plan_export(
    reader: Reader,
    plan_slug: str,
    fmt: str,
    today: date,
    *,
    since: datetime | date | None = None,
    action_ids: Iterable[str] | None = None,
) -> bytes:
    """`export_plan` on a reader, for every format but `toml` (the plan file is read through
    the ORM: `export_plan`)."""
    if fmt not in PLAN_FORMATS:
        raise ServiceError(f"cannot export as {fmt!r}: choose one of {', '.join(PLAN_FORMATS)}")
    if fmt == "toml":
        raise ServiceError("the plan file (toml) is read through a session: use export_plan")
    if fmt in BOARD_FORMATS:
        report = board_report(reader, plan_slug, today, since, action_ids=action_ids)
        if fmt == "md":
            from tracker.exporters.markdown import render_markdown

            return render_markdown(report).encode("utf-8")
        if fmt == "html":
            from tracker.exporters.html import render_html

            return render_html(report)
        from tracker.exporters.docx import render_docx

        return render_docx(report)
    from tracker.exporters.data import plan_data

    data = plan_data(reader, plan_slug, today, action_ids)
    if fmt == "ics":
        from tracker.exporters.ics import render_ics

        return render_ics(data, data.detail.version)
    from tracker.exporters.sheet import render_csv, render_xlsx

    return render_xlsx(data) if fmt == "xlsx" else render_csv(data)


def export_portfolio(session: Session, today: date, fmt: str) -> bytes:
    """Every plan, one row each (clock, status, % complete, colours, overdue, evidence awaiting
    review), in format `fmt` (`xlsx` or `html`). Unknown format: ServiceError."""
    from tracker.queries import SessionReader

    return portfolio_export(SessionReader(session), today, fmt)


def portfolio_export(reader: Reader, today: date, fmt: str) -> bytes:
    """`export_portfolio` on a reader."""
    if fmt not in PORTFOLIO_FORMATS:
        raise ServiceError(
            f"cannot export the portfolio as {fmt!r}: choose one of {', '.join(PORTFOLIO_FORMATS)}"
        )
    from tracker.exporters.data import portfolio_rows
    from tracker.exporters.portfolio import render_portfolio_html, render_portfolio_xlsx

    rows = portfolio_rows(reader, today)
    return (
        render_portfolio_xlsx(rows, today) if fmt == "xlsx" else render_portfolio_html(rows, today)
    )
