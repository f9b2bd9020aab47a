"""The board report laid out as a document (`tracker.exporters.blocks`), once for every format:
its sections in the order a board reads them, their headings, tables and columns, and what
each says when it has nothing to show. The Markdown, HTML and Word renderers only draw it.
"""

from __future__ import annotations

from functools import cache

from tracker.exporters.blocks import (
    Bar,
    Block,
    Cell,
    Chart,
    Column,
    Document,
    Heading,
    Item,
    ItemList,
    Listing,
    Paragraph,
    Run,
    Section,
    Table,
)
from tracker.exporters.board import BoardReport
from tracker.exporters.data import BRAG_ORDER, ActionInfo, brag_label, day, moment, target_text
from tracker.queries.plan import SignOffRow

NO_SIGN_OFFS = "None yet: the YJB has not signed off any recommendation of this plan."
"""What the sign-offs section says when there are none."""

FOOTER = (
    "BRAG: Blue complete and evidenced, Red off track or overdue, Amber at risk, Green on "
    "track; * colour set by hand. Produced by the YOS improvement plan tracker."
)
"""The key to the colours, in the footer of a format that has one."""


def _section(name: str, heading: str, *blocks: Block) -> Section:
    return Section(name, heading, blocks)


@cache
def _columns(*titles: str) -> tuple[Column, ...]:
    """Columns by title; a title starting `#` holds numbers."""
    return tuple(Column(t.removeprefix("#"), numeric=t.startswith("#")) for t in titles)


def _lead(info: ActionInfo) -> str:
    return info.row.lead or info.row.owner or ""


def _brag(info: ActionInfo) -> Cell:
    return Cell(brag_label(info.row.brag), brag=info.row.brag.colour)


def _progress(info: ActionInfo) -> Cell:
    return Cell(f"{info.row.progress}%")


def _header(report: BoardReport) -> tuple[Paragraph, ...]:
    d = report.data.detail
    about = f"{d.area} · {report.inspection} · plan {report.plan} · as of {day(report.today)}"
    lines = [Paragraph(about, meta=True)]
    if report.data.filtered:
        lines.append(
            Paragraph(
                f"This report covers {len(report.data.actions)} of the plan's "
                f"{report.data.total_actions} actions (a filter was applied).",
                meta=True,
            )
        )
    return tuple(lines)


def _plan(report: BoardReport) -> Section:
    d = report.data.detail
    rows = [("Area", Cell(d.area)), ("Inspection", Cell(report.inspection))]
    if report.scores:
        rows.append(("Headline scores", Cell(items=tuple(s.text() for s in report.scores))))
    rows.append(("Status", Cell(d.status.value)))
    for step in report.steps:
        if step.on is None and step.name != "Submission due":
            continue
        value = day(step.on) or "unknown"
        if step.name == "Submitted" and report.on_time is not None:
            value += " (on time)" if report.on_time else " (late)"
        if step.name == "Submitted" and d.submitted_incomplete:
            value += ", not ready: it went in incomplete"
        rows.append((step.name, Cell(value)))
        if step.name == "Submitted" and d.submitted_incomplete:
            rows.append(("What it lacked", Cell(items=tuple(d.submitted_incomplete))))
    rows.append(("Four-week clock", Cell(d.clock)))
    rows.append(("Next board meeting", Cell(day(report.next_meeting) or _no_meeting(report))))
    facts = tuple((Cell(name), value) for name, value in rows)
    return _section("plan", "The plan", Table((), facts, row_heads=True, narrow=True))


def _no_meeting(report: BoardReport) -> str:
    """Why there is no next board meeting: no pattern, or one that gives none (it has ended,
    or, stored by other means than the tracker's, is not one a board can have)."""
    if report.data.detail.board_meetings:
        return "none by the meeting pattern"
    return "no meeting pattern set"


def _share(count: int, total: int) -> str:
    return f"{round(100 * count / total) if total else 0}%"


def _summary(report: BoardReport) -> Section:
    s = report.summary
    counts = [(c, s.counts.get(c, 0)) for c in BRAG_ORDER]
    rows = [
        (Cell(c.value.capitalize(), brag=c), Cell(str(n)), Cell(_share(n, s.total)))
        for c, n in counts
    ]
    rows.append((Cell("Total", strong=True), Cell(str(s.total), strong=True), Cell()))
    chart = Chart(
        tuple(Bar(c, c.value.capitalize(), n) for c, n in counts),
        f"BRAG summary of {sum(s.counts.values())} actions: "
        + ", ".join(f"{c.value} {n}" for c, n in counts),
        "Chart",
    )
    table = Table(_columns("Colour", "#Actions", "#Share"), tuple(rows), narrow=True, chart=chart)
    done = (
        f"{s.percent_complete}% complete ({s.complete} of {s.total} actions); {s.overdue} overdue."
    )
    return _section("brag", "BRAG summary", table, Paragraph(done))


def _note(info: ActionInfo) -> str | None:
    n = info.latest_note
    return None if n is None else f"Latest note ({day(n.on)}, {n.author}): {n.text}"


def _attention_item(info: ActionInfo) -> Item:
    r = info.row
    line = (
        Run(r.ref, strong=True),
        Run(" "),
        Run(brag_label(r.brag), brag=r.brag.colour),
        Run(f": {r.brag.reason}. {r.text}"),
    )
    lead = _lead(info).strip() or "not named"
    facts = f"{r.status.value}, {r.progress}%; target {target_text(info)}; lead {lead}."
    note = _note(info)
    return Item(line, (facts,) if note is None else (facts, note))


def _attention(report: BoardReport) -> Section:
    title = "Red and overdue actions"
    if not report.attention:
        return _section("attention", title, Paragraph("None: no action is red or overdue."))
    rows = tuple(
        (
            Cell(a.row.ref),
            _brag(a),
            Cell(a.row.brag.reason),
            Cell(a.row.text, note=_note(a)),
            Cell(_lead(a)),
            Cell(target_text(a)),
            _progress(a),
        )
        for a in report.attention
    )
    table = Table(_columns("Ref", "BRAG", "Why", "Action", "Lead", "Target", "#Progress"), rows)
    items = ItemList(tuple(_attention_item(a) for a in report.attention))
    return _section("attention", title, Listing(table, items))


def _due(report: BoardReport) -> Section:
    if report.next_meeting is None:
        unknown = (
            "The plan's board meeting pattern gives no next meeting."
            if report.data.detail.board_meetings
            else "The plan has no board meeting pattern, so the next meeting is not known."
        )
        return _section("due", "Due before the next board meeting", Paragraph(unknown))
    title = f"Due by the next board meeting ({day(report.next_meeting)})"
    if not report.due_before_meeting:
        return _section("due", title, Paragraph("No unfinished action falls due by then."))
    rows = tuple(
        (
            Cell(a.row.ref),
            _brag(a),
            Cell(day(a.row.target)),
            _progress(a),
            Cell(_lead(a)),
            Cell(a.row.text),
        )
        for a in report.due_before_meeting
    )
    columns = _columns("Ref", "BRAG", "Target", "#Progress", "Lead", "Action")
    return _section("due", title, Table(columns, rows))


def _evidence(report: BoardReport) -> Section:
    title = (
        "Evidence on file"
        if report.since is None
        else f"Evidence added since {moment(report.since)}"
    )
    if not report.evidence:
        return _section("evidence", title, Paragraph("None."))
    rows = tuple(
        (
            Cell(ev.ref),
            Cell(ev.title),
            Cell(ev.kind.value),
            Cell(day(ev.dated)),
            Cell(ev.review.value + (f": {ev.comment}" if ev.comment else "")),
        )
        for ev in report.evidence
    )
    columns = _columns("Ref", "Evidence", "Kind", "Dated", "YJB review")
    return _section("evidence", title, Table(columns, rows))


def _changes(report: BoardReport) -> Section:
    if report.since is None:
        first = (
            "No board report has been issued for an earlier board meeting of this plan, so "
            "there is nothing to compare with."
        )
        return _section("changes", "What changed since the last board report", Paragraph(first))
    since = moment(report.since)
    title = (
        f"What changed since the last board report ({since})"
        if report.since_last_report
        else f"What changed since {since}"
    )
    if not report.moved:
        return _section("changes", title, Paragraph("Nothing has changed."))
    rows = tuple(
        (
            Cell(m.what, strong=True, nowrap=True),
            Cell(m.text),
            Cell(items=tuple(m.lines)),
            Cell(items=tuple(m.reported_by)),
        )
        for m in report.moved
    )
    columns = _columns("Ref", "Action", "What moved", "Reported by")
    return _section("changes", title, Table(columns, rows))


def _decisions(report: BoardReport) -> Section:
    title = "Decisions for the board"
    if not report.decisions:
        return _section("decisions", title, Paragraph("None this time."))
    items = tuple(Item((Run(d.ask),), (d.detail,) if d.detail else ()) for d in report.decisions)
    return _section("decisions", title, ItemList(items, numbered=True, name="decisions"))


def _sign_off_cells(signed: SignOffRow) -> tuple[Cell, Cell, Cell, Cell]:
    """A sign-off as the board report's table shows it: when, who, what, the state then."""
    what = (
        "The plan, as closed"
        if signed.recommendation is None
        else f"Recommendation {signed.recommendation}, as implemented"
    )
    state = signed.summary + (f" (as of {day(signed.as_of)})" if signed.as_of else "")
    when = Cell(moment(signed.signed_at), nowrap=True)
    return when, Cell(signed.signed_by), Cell(what), Cell(state)


def _sign_offs(report: BoardReport) -> Section:
    title = "YJB sign-offs"
    if not report.sign_offs:
        return _section("sign-offs", title, Paragraph(NO_SIGN_OFFS))
    rows = tuple(_sign_off_cells(s) for s in report.sign_offs)
    columns = _columns("When", "Who", "Signed off", "State then")
    return _section("sign-offs", title, Table(columns, rows))


def _all_actions(report: BoardReport) -> Section:
    by_rec: dict[str, list[ActionInfo]] = {}
    for info in report.data.actions:
        by_rec.setdefault(info.row.recommendation, []).append(info)
    columns = _columns("Ref", "BRAG", "Status", "#Progress", "Target", "Lead", "Action")
    blocks: list[Block] = []
    for rec in report.data.detail.recommendations:
        actions = by_rec.get(rec.ref)
        if not actions:
            continue
        owners = f" ({', '.join(rec.owners)})" if rec.owners else ""
        blocks += [Heading(f"Recommendation {rec.ref}{owners}"), Paragraph(rec.text)]
        rows = tuple(
            (
                Cell(a.row.ref),
                _brag(a),
                Cell(a.row.status.value),
                _progress(a),
                Cell(day(a.row.target), nowrap=True),
                Cell(_lead(a)),
                Cell(a.row.text),
            )
            for a in actions
        )
        blocks.append(Table(columns, rows))
    return _section("actions", "All actions", *blocks)


def board_document(report: BoardReport) -> Document:
    """The board report as a document: the plan, the BRAG summary, red and overdue actions,
    what falls due before the next board meeting, the evidence added, what changed, the
    decisions for the board, the YJB's sign-offs, and every action by recommendation."""
    return Document(
        title=f"Board report: {report.title}",
        intro=_header(report),
        sections=(
            _plan(report),
            _summary(report),
            _attention(report),
            _due(report),
            _evidence(report),
            _changes(report),
            _decisions(report),
            _sign_offs(report),
            _all_actions(report),
        ),
        footer=f"Board report for {report.plan}, as of {day(report.today)}. {FOOTER}",
    )
