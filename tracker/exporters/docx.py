"""The board report as a Word document (written with python-docx), for councils whose board
papers go out as DOCX: the same sections as the HTML report, the BRAG summary as a table whose
cells are filled in each colour, and each action's colour filled in the tables.

Every stored text is cleaned of control characters (which Word's XML cannot hold, and which must
never reach a file raw) through `office.xml_text`.
"""

from __future__ import annotations

import io
from collections.abc import Sequence
from datetime import UTC, datetime, time
from typing import TYPE_CHECKING

from tracker.exporters.board import NO_SIGN_OFFS, BoardReport, sign_off_cells
from tracker.exporters.data import (
    BRAG_HEX,
    BRAG_INK,
    BRAG_ORDER,
    ActionInfo,
    brag_label,
    day,
    moment,
    target_text,
)
from tracker.exporters.office import stable_zip
from tracker.exporters.office import xml_text as clean
from tracker.vocab import Brag

if TYPE_CHECKING:
    from docx.document import Document
    from docx.table import _Cell


def _shade(cell: _Cell, colour: Brag) -> None:
    """Fill a table cell in a BRAG colour, with text that stays readable on it."""
    from docx.oxml import OxmlElement
    from docx.oxml.ns import qn
    from docx.shared import RGBColor

    shading = OxmlElement("w:shd")
    shading.set(qn("w:val"), "clear")
    shading.set(qn("w:color"), "auto")
    shading.set(qn("w:fill"), BRAG_HEX[colour])
    cell._tc.get_or_add_tcPr().append(shading)
    for paragraph in cell.paragraphs:
        for run in paragraph.runs:
            run.font.bold = True
            run.font.color.rgb = RGBColor.from_string(BRAG_INK[colour])


def _table(
    doc: Document, header: Sequence[str] | None, rows: Sequence[Sequence[str]]
) -> list[list[_Cell]]:
    """A grid table, with a bold header row (repeated on each printed page) unless `header` is
    None; returns the body's cells so that callers can colour them."""
    from docx.oxml import OxmlElement
    from docx.oxml.ns import qn

    table = doc.add_table(rows=0, cols=len(header or rows[0]))
    table.style = "Table Grid"
    if header is not None:
        head = table.add_row()
        repeat = OxmlElement("w:tblHeader")
        repeat.set(qn("w:val"), "true")
        head._tr.get_or_add_trPr().append(repeat)
        for cell, text in zip(head.cells, header, strict=True):
            cell.paragraphs[0].add_run(text).bold = True
    body = []
    for row in rows:
        cells = table.add_row().cells
        for cell, text in zip(cells, row, strict=True):
            cell.text = clean(text)
        body.append(list(cells))
    return body


def _para(doc: Document, text: str, style: str | None = None) -> None:
    doc.add_paragraph(clean(text), style=style)


def _header(doc: Document, report: BoardReport) -> None:
    d = report.data.detail
    doc.add_heading(clean(f"Board report: {report.title}"), level=0)
    _para(doc, f"{d.area} · {report.inspection} · plan {report.plan} · as of {day(report.today)}")
    if report.data.filtered:
        _para(
            doc,
            f"This report covers {len(report.data.actions)} of the plan's "
            f"{report.data.total_actions} actions (a filter was applied).",
        )
    doc.add_heading("The plan", level=1)
    rows = [["Area", d.area], ["Inspection", report.inspection]]
    if report.scores:
        rows.append(["Headline scores", "; ".join(s.text() for s in report.scores)])
    rows.append(["Status", d.status.value])
    for step in report.steps:
        if step.on is None and step.name != "Submission due":
            continue
        value = day(step.on) or "unknown"
        if step.name == "Submitted" and report.on_time is not None:
            value += " (on time)" if report.on_time else " (late)"
        rows.append([step.name, value])
    rows.append(["Four-week clock", d.clock])
    rows.append(["Next board meeting", day(report.next_meeting) or "no meeting pattern set"])
    for cell, _ in _table(doc, None, rows):
        cell.paragraphs[0].runs[0].bold = True


def _summary(doc: Document, report: BoardReport) -> None:
    s = report.summary
    doc.add_heading("BRAG summary", level=1)
    rows = [
        [
            c.value.capitalize(),
            str(s.counts.get(c, 0)),
            f"{round(100 * s.counts.get(c, 0) / s.total) if s.total else 0}%",
        ]
        for c in BRAG_ORDER
    ]
    rows.append(["Total", str(s.total), ""])
    cells = _table(doc, ["Colour", "Actions", "Share"], rows)
    for colour, row in zip(BRAG_ORDER, cells, strict=False):
        _shade(row[0], colour)
    _para(
        doc,
        f"{s.percent_complete}% complete ({s.complete} of {s.total} actions); {s.overdue} overdue.",
    )


def _actions(doc: Document, actions: list[ActionInfo], header: list[str], notes: bool) -> None:
    rows = []
    for a in actions:
        r = a.row
        text = r.text
        if notes and a.latest_note is not None:
            n = a.latest_note
            text += f"\nLatest note ({day(n.on)}, {n.author}): {n.text}"
        values = {
            "Ref": r.ref,
            "BRAG": brag_label(r.brag),
            "Why": r.brag.reason,
            "Action": text,
            "Lead": r.lead or r.owner or "",
            "Target": target_text(a) if notes else day(r.target),
            "Status": r.status.value,
            "Progress": f"{r.progress}%",
        }
        rows.append([values[h] for h in header])
    cells = _table(doc, header, rows)
    column = header.index("BRAG")
    for a, row in zip(actions, cells, strict=True):
        _shade(row[column], a.row.brag.colour)


def _sections(doc: Document, report: BoardReport) -> None:
    doc.add_heading("Red and overdue actions", level=1)
    if report.attention:
        header = ["Ref", "BRAG", "Why", "Action", "Lead", "Target", "Progress"]
        _actions(doc, report.attention, header, notes=True)
    else:
        _para(doc, "None: no action is red or overdue.")
    if report.next_meeting is None:
        doc.add_heading("Due before the next board meeting", level=1)
        _para(doc, "The plan has no board meeting pattern, so the next meeting is not known.")
    else:
        doc.add_heading(f"Due by the next board meeting ({day(report.next_meeting)})", level=1)
        if report.due_before_meeting:
            header = ["Ref", "BRAG", "Target", "Progress", "Lead", "Action"]
            _actions(doc, report.due_before_meeting, header, notes=False)
        else:
            _para(doc, "No unfinished action falls due by then.")
    since = None if report.since is None else moment(report.since)
    doc.add_heading("Evidence on file" if since is None else f"Evidence added since {since}", 1)
    if report.evidence:
        rows = [
            [
                ev.ref,
                ev.title,
                ev.kind.value,
                day(ev.dated),
                ev.review.value + (f": {ev.comment}" if ev.comment else ""),
            ]
            for ev in report.evidence
        ]
        _table(doc, ["Ref", "Evidence", "Kind", "Dated", "YJB review"], rows)
    else:
        _para(doc, "None.")
    if since is None:
        doc.add_heading("What changed since the last board report", level=1)
        _para(
            doc,
            "No board report has been issued for this plan before, so there is nothing to "
            "compare with.",
        )
    else:
        title = (
            f"What changed since the last board report ({since})"
            if report.since_last_report
            else f"What changed since {since}"
        )
        doc.add_heading(title, level=1)
        if report.changes:
            rows = [[moment(c.at), c.actor, c.ref or "plan", c.what] for c in report.changes]
            _table(doc, ["When", "Who", "Ref", "Change"], rows)
        else:
            _para(doc, "Nothing has changed.")
    doc.add_heading("Decisions for the board", level=1)
    for decision in report.decisions:
        _para(
            doc, decision.ask + (f"\n{decision.detail}" if decision.detail else ""), "List Number"
        )
    if not report.decisions:
        _para(doc, "None this time.")
    doc.add_heading("YJB sign-offs", level=1)
    if report.sign_offs:
        rows = [list(sign_off_cells(s)) for s in report.sign_offs]
        _table(doc, ["When", "Who", "Signed off", "State then"], rows)
    else:
        _para(doc, NO_SIGN_OFFS)


def _all_actions(doc: Document, report: BoardReport) -> None:
    doc.add_heading("All actions", level=1)
    by_rec: dict[str, list[ActionInfo]] = {}
    for info in report.data.actions:
        by_rec.setdefault(info.row.recommendation, []).append(info)
    for rec in report.data.detail.recommendations:
        actions = by_rec.get(rec.ref)
        if not actions:
            continue
        owners = f" ({', '.join(rec.owners)})" if rec.owners else ""
        doc.add_heading(clean(f"Recommendation {rec.ref}{owners}"), level=2)
        _para(doc, rec.text)
        header = ["Ref", "BRAG", "Status", "Progress", "Target", "Lead", "Action"]
        _actions(doc, actions, header, notes=False)


def render_docx(report: BoardReport) -> bytes:
    """The board report as a DOCX document (A4). Its core properties (title, dates) and the
    dates inside the package come from the plan and "today", not the clock, so that the same
    report on the same day is the same bytes."""
    from docx import Document as new_document
    from docx.enum.section import WD_ORIENT
    from docx.shared import Mm

    doc = new_document()
    section = doc.sections[0]
    section.orientation = WD_ORIENT.PORTRAIT
    section.page_width, section.page_height = Mm(210), Mm(297)
    for side in ("left_margin", "right_margin", "top_margin", "bottom_margin"):
        setattr(section, side, Mm(15))
    stamp = datetime.combine(report.today, time.min, UTC)
    props = doc.core_properties
    props.title = clean(f"Board report: {report.title}")
    props.author = "YOS improvement plan tracker"
    props.created = props.modified = stamp
    _header(doc, report)
    _summary(doc, report)
    _sections(doc, report)
    _all_actions(doc, report)
    buffer = io.BytesIO()
    doc.save(buffer)
    return stable_zip(buffer.getvalue(), report.today)
