"""Exports leave the tracker through here: the file written whole or not at all, and a board
report written for the board recorded as issued, so that the next one lists what changed since.
The CLI and the screens both call `issue_board_report`; neither writes a file itself."""

from __future__ import annotations

from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass
from datetime import UTC, datetime
from pathlib import Path
from typing import TYPE_CHECKING

from tracker.errors import ServiceError
from tracker.files import OutputGuard, write_whole
from tracker.vocab import BOARD_FORMATS, BOARD_REPORT_FIELD

if TYPE_CHECKING:
    from tracker.store import Store

# The database layer is imported by `record_board_report` alone: an export written from a
# SQLite file and not recorded (a draft, another format) then needs no SQLAlchemy, which
# costs more than the export.


def _now() -> datetime:
    return datetime.now(UTC)


def write_export(output: Path, data: bytes, *, guard: OutputGuard) -> None:
    """Write an export the user asked for to `output`, whole or not at all (a temporary file
    beside it, then a rename). ServiceError naming the file when it cannot be written, or when
    `guard` refuses it: the database in use or one of its files, by any name, or a file already
    there in a read-only or reviewer session not given --force."""
    write_whole(output, data, guard=guard)


def record_board_report(
    store: Store,
    plan_slug: str,
    actor: str,
    fmt: str | Sequence[str],
    *,
    issued_at: datetime | None = None,
) -> None:
    """Record that `actor` issued a board report for `plan_slug` in format `fmt` (md, html or
    docx; several for a board pack, recorded once as `docx,html`), as of `issued_at` (default
    now). Pass the moment just before the report's data was read: a change saved while the
    report was being written then shows in the next report rather than in neither. Refused
    (ServiceError) for another format, an unknown plan (NotFoundError), or a reviewer's store;
    a read-only store refuses it too (ReadOnlyError)."""
    from tracker.models import BoardReport
    from tracker.queries.lookups import get_plan
    from tracker.services._audit import audit, check_actor, require_editor

    formats = [fmt] if isinstance(fmt, str) else list(fmt)
    for one in formats or [""]:
        if one not in BOARD_FORMATS:
            raise ServiceError(f"{one!r} is not a board report format ({', '.join(BOARD_FORMATS)})")
    fmt = ",".join(dict.fromkeys(formats))
    require_editor(store)
    check_actor(actor)
    if issued_at is None:
        issued_at = _now()
    elif issued_at.tzinfo is None:
        raise ValueError("issued_at must be timezone-aware")
    with store.write() as session:
        plan = get_plan(session, plan_slug)
        session.add(BoardReport(plan_id=plan.id, issued_at=issued_at, issued_by=actor, format=fmt))
        # The event carries the report's own time, so that "changes since the last report"
        # (strictly after it) never counts the report itself.
        audit(
            session,
            actor,
            "plan",
            plan.id,
            plan.slug,
            BOARD_REPORT_FIELD,
            None,
            fmt,
            plan.version,
            at=issued_at,
        )


@dataclass(frozen=True)
class Issued:
    """What `issue_board_report` did: the export's bytes, and whether it was recorded as the
    board report issued."""

    data: bytes
    recorded: bool


def issue_board_report(
    store: Callable[[], Store],
    plan: str,
    fmt: str,
    render: Callable[[], bytes],
    output: Path | None,
    actor: str,
    *,
    record: bool,
    guard: OutputGuard,
    clock: Callable[[], datetime] = _now,
) -> Issued:
    """Export plan `plan` in format `fmt`: `render()` reads and lays it out (the faces pass
    the exporter), the bytes are written whole to `output` (None: only returned, for the
    caller to print), and, when `record` is asked for and the export is a board report written
    to a file, it is recorded as issued (`record_board_report`) as of the moment before it was
    read. `guard` says what `output` may not be (`write_export`). `store` is called only to
    record, so an export alone never opens the database the full way."""
    as_of = clock()
    data = render()
    if output is not None:
        write_export(output, data, guard=guard)
    recorded = record and output is not None and fmt in BOARD_FORMATS
    if recorded:
        record_board_report(store(), plan, actor, fmt, issued_at=as_of)
    return Issued(data, recorded)


@dataclass(frozen=True)
class IssuedPack:
    """What `issue_board_pack` did: the files written, and the board report formats recorded
    as issued, once, for all of them (empty: none recorded)."""

    written: list[Path]
    recorded: list[str]


def issue_board_pack(
    store: Callable[[], Store],
    plan: str,
    outputs: Sequence[tuple[str, Path]],
    render: Callable[[], Mapping[str, bytes]],
    actor: str,
    *,
    record: bool,
    guard: OutputGuard,
    clock: Callable[[], datetime] = _now,
) -> IssuedPack:
    """Export plan `plan` to several files at once, each `(format, file)` of `outputs` (a board
    pack: the board report in Word and as a web page, the spreadsheet...): `render()` gives
    every format's bytes from one read, each file is written whole, and, when `record` is
    asked for and the pack holds a board report, the pack is recorded as issued once, as of
    the moment before it was read, so that every board report in it lists the same changes.

    Every file is checked before any is written (the guard, its folder, not a folder), so a
    refusal writes nothing; a file that still fails to be written leaves the earlier ones
    written and records nothing (ServiceError naming them)."""
    seen: dict[Path, str] = {}
    for fmt, output in outputs:
        target = output.expanduser().resolve()
        if target in seen:
            raise ServiceError(f"{output} is given twice (as {seen[target]} and {fmt})")
        seen[target] = fmt
        guard.check(output)
        if not target.parent.is_dir():
            raise ServiceError(f"cannot write {output}: folder {target.parent} does not exist")
        if target.is_dir():
            raise ServiceError(f"cannot write {output}: it is a folder")
    as_of = clock()
    data = render()
    written: list[Path] = []
    for fmt, output in outputs:
        try:
            write_export(output, data[fmt], guard=guard)
        except ServiceError as exc:
            if not written:
                raise
            done = ", ".join(str(p) for p in written)
            raise ServiceError(f"{exc} (written: {done}; nothing recorded)") from None
        written.append(output)
    board = [fmt for fmt, _ in outputs if fmt in BOARD_FORMATS]
    recorded = board if record and board else []
    if recorded:
        record_board_report(store(), plan, actor, recorded, issued_at=as_of)
    return IssuedPack(written, recorded)
