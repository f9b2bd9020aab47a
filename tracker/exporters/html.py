"""The board report as one self-contained HTML file: opens in any browser, can be emailed as
an attachment, and prints cleanly on A4.

No external reference of any kind (no stylesheet, script, font or image is fetched): the styles
are inline, the BRAG chart is inline SVG. Every stored text is cleaned of control characters
and escaped with `html.escape`.
"""

from __future__ import annotations

import html
from collections.abc import Iterable, Sequence

from tracker import rules
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
from tracker.text import clean
from tracker.vocab import Brag

CSS = (
    """
@page { size: A4; margin: 15mm 12mm; }
body { font-family: "Segoe UI", Arial, Helvetica, sans-serif; font-size: 11pt; color: #1a1a1a;
  line-height: 1.4; max-width: 62rem; margin: 1.5rem auto; padding: 0 1rem; }
h1 { font-size: 1.6em; margin-bottom: .2em; }
h2 { font-size: 1.25em; border-bottom: 2px solid #444; padding-bottom: .1em; margin-top: 1.6em; }
h3 { font-size: 1.05em; margin-bottom: .2em; }
.meta, .small, footer { color: #444; }
.small { font-size: .9em; }
table { border-collapse: collapse; width: 100%; margin: .4em 0 1em; }
th, td { border: 1px solid #999; padding: .25em .45em; text-align: left; vertical-align: top; }
thead th { background: #e8e8e8; }
table.facts { width: auto; }
table.facts th { background: #f3f3f3; font-weight: 600; white-space: nowrap; }
td.num, th.num { text-align: right; white-space: nowrap; }
.nowrap { white-space: nowrap; }
.brag { font-weight: 700; white-space: nowrap; }
"""
    + "".join(
        f".brag-{c.value} {{ background: #{BRAG_HEX[c]}; color: #{BRAG_INK[c]}; }}\n"
        for c in BRAG_ORDER
    )
    + """
.note { color: #333; font-size: .92em; margin-top: .25em; }
ol.decisions li { margin-bottom: .5em; }
svg.chart { display: block; margin: .5em 0; }
@media print {
  body { max-width: none; margin: 0; padding: 0; font-size: 10pt; }
  h2, h3 { break-after: avoid; }
  tr, li, svg, table.facts { break-inside: avoid; }
  thead { display: table-header-group; }
  .brag, thead th, svg { -webkit-print-color-adjust: exact; print-color-adjust: exact; }
  footer { font-size: 8pt; }
}
"""
)
"""The page's styles: screen and A4 print."""


def e(text: object) -> str:
    """Stored text made safe inside HTML: control characters visible, then escaped."""
    return html.escape(clean("" if text is None else str(text)))


def page(title: str, body: Iterable[str], footer: str) -> bytes:
    """A complete HTML document, UTF-8: the inline styles, `body` and a footer."""
    parts = [
        "<!DOCTYPE html>",
        '<html lang="en-GB">',
        "<head>",
        '<meta charset="utf-8">',
        '<meta name="viewport" content="width=device-width, initial-scale=1">',
        f"<title>{e(title)}</title>",
        f"<style>{CSS}</style>",
        "</head>",
        "<body>",
        *body,
        f'<footer class="small">{footer}</footer>',
        "</body>",
        "</html>",
        "",
    ]
    return "\n".join(parts).encode("utf-8")


def table(header: Sequence[str], rows: Iterable[Sequence[str]], cls: str = "") -> str:
    """A table; `header` and the cells are HTML already escaped. A header starting `#` is a
    right-aligned number column."""
    numeric = [h.startswith("#") for h in header]
    head = "".join(
        f'<th class="num">{h[1:]}</th>' if n else f"<th>{h}</th>"
        for h, n in zip(header, numeric, strict=True)
    )
    body = "".join(
        "<tr>"
        + "".join(
            f'<td class="num">{c}</td>' if n else f"<td>{c}</td>"
            for c, n in zip(row, numeric, strict=True)
        )
        + "</tr>\n"
        for row in rows
    )
    attr = f' class="{cls}"' if cls else ""
    return f"<table{attr}>\n<thead><tr>{head}</tr></thead>\n<tbody>\n{body}</tbody>\n</table>"


def brag_cell(result: rules.BragResult) -> str:
    """A BRAG colour as a coloured label (`Amber*` when set by hand)."""
    return f'<span class="brag brag-{result.colour.value}">{brag_label(result)}</span>'


def brag_chart(counts: dict[Brag, int], width: int = 460) -> str:
    """The BRAG summary as an inline SVG bar chart: one bar per colour, with its count. No
    namespace URL is written: an HTML parser places `<svg>` in the SVG namespace itself."""
    bar_left, row_h, most = 70, 26, max([*counts.values(), 1])
    scale = (width - bar_left - 40) / most
    total = sum(counts.values())
    rows = []
    for i, colour in enumerate(BRAG_ORDER):
        n = counts.get(colour, 0)
        y = 6 + i * row_h
        rows.append(
            f'<text x="0" y="{y + 15}" font-size="13">{colour.value.capitalize()}</text>'
            f'<rect x="{bar_left}" y="{y}" width="{round(n * scale, 1)}" height="20" '
            f'fill="#{BRAG_HEX[colour]}"></rect>'
            f'<text x="{bar_left + round(n * scale, 1) + 6}" y="{y + 15}" font-size="13">'
            f"{n}</text>"
        )
    height = 12 + len(BRAG_ORDER) * row_h
    label = ", ".join(f"{c.value} {counts.get(c, 0)}" for c in BRAG_ORDER)
    return (
        f'<svg class="chart" role="img" width="{width}" height="{height}" '
        f'viewBox="0 0 {width} {height}" font-family="Arial, Helvetica, sans-serif">'
        f"<title>BRAG summary of {total} actions: {label}</title>" + "".join(rows) + "</svg>"
    )


def brag_stack(counts: dict[Brag, int], width: int = 200) -> str:
    """The colours as one stacked inline SVG bar, each colour's share of the actions."""
    total = sum(counts.values())
    x, parts = 0.0, []
    for colour in BRAG_ORDER:
        n = counts.get(colour, 0)
        if not n:
            continue
        w = round(width * n / total, 1)
        parts.append(
            f'<rect x="{round(x, 1)}" y="0" width="{w}" height="14" fill="#{BRAG_HEX[colour]}">'
            f"<title>{colour.value.capitalize()}: {n}</title></rect>"
        )
        x += w
    label = ", ".join(f"{c.value} {counts.get(c, 0)}" for c in BRAG_ORDER)
    return (
        f'<svg class="stack" role="img" width="{width}" height="14" '
        f'viewBox="0 0 {width} 14"><title>{label}</title>{"".join(parts)}</svg>'
    )


def _header(report: BoardReport) -> list[str]:
    d = report.data.detail
    out = [
        "<header>",
        f"<h1>Board report: {e(report.title)}</h1>",
        f'<p class="meta">{e(d.area)} · {e(report.inspection)} · plan {e(report.plan)} · '
        f"as of {day(report.today)}</p>",
    ]
    if report.data.filtered:
        out.append(
            f'<p class="meta">This report covers {len(report.data.actions)} of the plan\'s '
            f"{report.data.total_actions} actions (a filter was applied).</p>"
        )
    return [*out, "</header>"]


def _plan(report: BoardReport) -> list[str]:
    d = report.data.detail
    rows = [("Area", e(d.area)), ("Inspection", e(report.inspection))]
    if report.scores:
        rows.append(("Headline scores", "<br>".join(e(s.text()) for s in report.scores)))
    rows.append(("Status", e(d.status.value)))
    for step in report.steps:
        if step.on is None and step.name != "Submission due":
            continue
        value = day(step.on) or "unknown"
        if step.name == "Submitted" and report.on_time is not None:
            value += " (on time)" if report.on_time else " (late)"
        rows.append((step.name, value))
    rows.append(("Four-week clock", e(d.clock)))
    rows.append(("Next board meeting", day(report.next_meeting) or "no meeting pattern set"))
    facts = "".join(f"<tr><th>{k}</th><td>{v}</td></tr>\n" for k, v in rows)
    return [
        '<section id="plan">',
        "<h2>The plan</h2>",
        f'<table class="facts">\n<tbody>\n{facts}</tbody>\n</table>',
        "</section>",
    ]


def _summary(report: BoardReport) -> list[str]:
    s = report.summary
    rows = [
        (
            f'<span class="brag brag-{c.value}">{c.value.capitalize()}</span>',
            str(s.counts.get(c, 0)),
            f"{round(100 * s.counts.get(c, 0) / s.total) if s.total else 0}%",
        )
        for c in BRAG_ORDER
    ]
    rows.append(("<strong>Total</strong>", f"<strong>{s.total}</strong>", ""))
    return [
        '<section id="brag">',
        "<h2>BRAG summary</h2>",
        brag_chart(s.counts),
        table(["Colour", "#Actions", "#Share"], rows, "facts"),
        f"<p>{s.percent_complete}% complete ({s.complete} of {s.total} actions); "
        f"{s.overdue} overdue.</p>",
        "</section>",
    ]


def _action_text(info: ActionInfo) -> str:
    text = e(info.row.text)
    if info.latest_note is not None:
        n = info.latest_note
        text += f'<div class="note">Latest note ({day(n.on)}, {e(n.author)}): {e(n.text)}</div>'
    return text


def _attention(report: BoardReport) -> list[str]:
    out = ['<section id="attention">', "<h2>Red and overdue actions</h2>"]
    if not report.attention:
        return [*out, "<p>None: no action is red or overdue.</p>", "</section>"]
    rows = [
        (
            e(a.row.ref),
            brag_cell(a.row.brag),
            e(a.row.brag.reason),
            _action_text(a),
            e(a.row.lead or a.row.owner or ""),
            target_text(a),
            f"{a.row.progress}%",
        )
        for a in report.attention
    ]
    header = ["Ref", "BRAG", "Why", "Action", "Lead", "Target", "#Progress"]
    return [*out, table(header, rows), "</section>"]


def _due(report: BoardReport) -> list[str]:
    if report.next_meeting is None:
        return [
            '<section id="due">',
            "<h2>Due before the next board meeting</h2>",
            "<p>The plan has no board meeting pattern, so the next meeting is not known.</p>",
            "</section>",
        ]
    out = [
        '<section id="due">',
        f"<h2>Due by the next board meeting ({day(report.next_meeting)})</h2>",
    ]
    if not report.due_before_meeting:
        return [*out, "<p>No unfinished action falls due by then.</p>", "</section>"]
    rows = [
        (
            e(a.row.ref),
            brag_cell(a.row.brag),
            day(a.row.target),
            f"{a.row.progress}%",
            e(a.row.lead or a.row.owner or ""),
            e(a.row.text),
        )
        for a in report.due_before_meeting
    ]
    header = ["Ref", "BRAG", "Target", "#Progress", "Lead", "Action"]
    return [*out, table(header, rows), "</section>"]


def _evidence(report: BoardReport) -> list[str]:
    title = (
        "Evidence on file"
        if report.since is None
        else f"Evidence added since {moment(report.since)}"
    )
    out = ['<section id="evidence">', f"<h2>{title}</h2>"]
    if not report.evidence:
        return [*out, "<p>None.</p>", "</section>"]
    rows = [
        (
            e(ev.ref),
            e(ev.title),
            e(ev.kind.value),
            day(ev.dated),
            e(ev.review.value) + (f": {e(ev.comment)}" if ev.comment else ""),
        )
        for ev in report.evidence
    ]
    header = ["Ref", "Evidence", "Kind", "Dated", "YJB review"]
    return [*out, table(header, rows), "</section>"]


def _changes(report: BoardReport) -> list[str]:
    out = ['<section id="changes">']
    if report.since is None:
        return [
            *out,
            "<h2>What changed since the last board report</h2>",
            "<p>No board report has been issued for this plan before, so there is nothing to "
            "compare with.</p>",
            "</section>",
        ]
    since = moment(report.since)
    if report.since_last_report:
        out.append(f"<h2>What changed since the last board report ({since})</h2>")
    else:
        out.append(f"<h2>What changed since {since}</h2>")
    if not report.changes:
        return [*out, "<p>Nothing has changed.</p>", "</section>"]
    rows = [
        (f'<span class="nowrap">{moment(c.at)}</span>', e(c.actor), e(c.ref or "plan"), e(c.what))
        for c in report.changes
    ]
    return [*out, table(["When", "Who", "Ref", "Change"], rows), "</section>"]


def _decisions(report: BoardReport) -> list[str]:
    out = ['<section id="decisions">', "<h2>Decisions for the board</h2>"]
    if not report.decisions:
        return [*out, "<p>None this time.</p>", "</section>"]
    items = [
        f"<li>{e(d.ask)}" + (f'<div class="note">{e(d.detail)}</div>' if d.detail else "") + "</li>"
        for d in report.decisions
    ]
    return [*out, '<ol class="decisions">', *items, "</ol>", "</section>"]


def _sign_offs(report: BoardReport) -> list[str]:
    out = ['<section id="sign-offs">', "<h2>YJB sign-offs</h2>"]
    if not report.sign_offs:
        return [*out, f"<p>{e(NO_SIGN_OFFS)}</p>", "</section>"]
    rows = []
    for signed in report.sign_offs:
        when, who, what, state = sign_off_cells(signed)
        rows.append((f'<span class="nowrap">{when}</span>', e(who), e(what), e(state)))
    return [*out, table(["When", "Who", "Signed off", "State then"], rows), "</section>"]


def _all_actions(report: BoardReport) -> list[str]:
    out = ['<section id="actions">', "<h2>All actions</h2>"]
    by_rec: dict[str, list[ActionInfo]] = {}
    for info in report.data.actions:
        by_rec.setdefault(info.row.recommendation, []).append(info)
    for rec in report.data.detail.recommendations:
        actions = by_rec.get(rec.ref)
        if not actions:
            continue
        owners = f" ({e(', '.join(rec.owners))})" if rec.owners else ""
        out += [f"<h3>Recommendation {e(rec.ref)}{owners}</h3>", f"<p>{e(rec.text)}</p>"]
        rows = [
            (
                e(a.row.ref),
                brag_cell(a.row.brag),
                e(a.row.status.value),
                f"{a.row.progress}%",
                f'<span class="nowrap">{day(a.row.target)}</span>',
                e(a.row.lead or a.row.owner or ""),
                e(a.row.text),
            )
            for a in actions
        ]
        header = ["Ref", "BRAG", "Status", "#Progress", "Target", "Lead", "Action"]
        out.append(table(header, rows))
    return [*out, "</section>"]


def render_html(report: BoardReport) -> bytes:
    """The board report as a self-contained HTML document (UTF-8 bytes)."""
    body = [
        *_header(report),
        "<main>",
        *_plan(report),
        *_summary(report),
        *_attention(report),
        *_due(report),
        *_evidence(report),
        *_changes(report),
        *_decisions(report),
        *_sign_offs(report),
        *_all_actions(report),
        "</main>",
    ]
    footer = (
        f"Board report for {e(report.plan)}, as of {day(report.today)}. "
        "BRAG: Blue complete and evidenced, Red off track or overdue, Amber at risk, Green on "
        "track; * colour set by hand. Produced by the YOS improvement plan tracker."
    )
    return page(f"Board report: {report.title}", body, footer)
