"""The board report as Markdown: plain text that reads well as it is and renders anywhere
(an email, a wiki, a Git forge).

Every stored text is cleaned of control characters and folded onto one line, and the
characters Markdown would read as markup are escaped, so that a note can never turn into a
heading, a link or raw HTML.
"""

from __future__ import annotations

import re
from collections.abc import Sequence

from tracker.exporters.board import NO_SIGN_OFFS, BoardReport, sign_off_cells
from tracker.exporters.data import BRAG_ORDER, ActionInfo, brag_label, day, moment, target_text
from tracker.text import one_line

_MARKUP = re.compile(r"([\\`*_\[\]<>|~&])")
_LINE_START = re.compile(r"^(\d+)([.)])|^([-+#=])")


def md(text: str | None) -> str:
    """Stored text made safe inside Markdown: one line, control characters visible, markup
    characters escaped."""
    return _MARKUP.sub(r"\\\1", one_line(text or ""))


def md_paragraph(text: str | None) -> str:
    """`md(text)` for the start of a line, where `- `, `1. ` or `#` would begin a list or a
    heading."""
    return _LINE_START.sub(_escape_start, md(text))


def _escape_start(match: re.Match[str]) -> str:
    if match.group(1):
        return f"{match.group(1)}\\{match.group(2)}"
    return f"\\{match.group(3)}"


def _table(header: Sequence[str], rows: Sequence[Sequence[str]]) -> list[str]:
    lines = ["| " + " | ".join(header) + " |", "|" + "|".join("---" for _ in header) + "|"]
    lines += ["| " + " | ".join(cell or " " for cell in row) + " |" for row in rows]
    return [*lines, ""]


def _header(report: BoardReport) -> list[str]:
    d = report.data.detail
    lines = [
        f"# Board report: {md(report.title)}",
        "",
        f"{md(d.area)} · {md(report.inspection)} · plan {md(report.plan)} · "
        f"as of {day(report.today)}",
        "",
    ]
    if report.data.filtered:
        lines += [
            f"This report covers {len(report.data.actions)} of the plan's "
            f"{report.data.total_actions} actions (a filter was applied).",
            "",
        ]
    rows = [["Area", md(d.area)], ["Inspection", md(report.inspection)]]
    if report.scores:
        rows.append(["Headline scores", "; ".join(md(s.text()) for s in report.scores)])
    rows.append(["Status", d.status.value])
    for step in report.steps:
        if step.on is None and step.name != "Submission due":
            continue
        value = day(step.on) or "unknown"
        if step.name == "Submitted" and report.on_time is not None:
            value += " (on time)" if report.on_time else " (late)"
        rows.append([step.name, value])
    rows.append(["Four-week clock", md(d.clock)])
    rows.append(["Next board meeting", day(report.next_meeting) or "no meeting pattern set"])
    return [*lines, "## The plan", "", *_table(["", ""], rows)]


CHART_WIDTH = 20
"""The longest bar of the Markdown BRAG chart, in characters."""


def _bar(count: int, most: int) -> str:
    """A bar of `█` as long as `count` is against `most`; never empty for a count above 0."""
    if not count:
        return ""
    return "█" * max(1, round(CHART_WIDTH * count / most))


def _summary(report: BoardReport) -> list[str]:
    s = report.summary
    most = max([*s.counts.values(), 1])
    rows = [
        [
            c.value.capitalize(),
            str(s.counts.get(c, 0)),
            f"{_share(s.counts.get(c, 0), s.total)}%",
            _bar(s.counts.get(c, 0), most),
        ]
        for c in BRAG_ORDER
    ]
    rows.append(["**Total**", f"**{s.total}**", "", ""])
    return [
        "## BRAG summary",
        "",
        *_table(["Colour", "Actions", "Share", "Chart"], rows),
        f"{s.percent_complete}% complete ({s.complete} of {s.total} actions); {s.overdue} overdue.",
        "",
    ]


def _share(count: int, total: int) -> int:
    return round(100 * count / total) if total else 0


def _action_item(info: ActionInfo) -> list[str]:
    r = info.row
    facts = [f"{r.status.value}, {r.progress}%", f"target {target_text(info)}"]
    facts.append(f"lead {md(r.lead or r.owner) or 'not named'}")
    lines = [
        f"- **{md(r.ref)}** {brag_label(r.brag)}: {md(r.brag.reason)}. {md(r.text)}  ",
        f"  {'; '.join(facts)}.",
    ]
    if info.latest_note is not None:
        n = info.latest_note
        lines[-1] += "  "
        lines.append(f"  Latest note ({day(n.on)}, {md(n.author)}): {md(n.text)}")
    return lines


def _attention(report: BoardReport) -> list[str]:
    lines = ["## Red and overdue actions", ""]
    if not report.attention:
        return [*lines, "None: no action is red or overdue.", ""]
    for info in report.attention:
        lines += _action_item(info)
    return [*lines, ""]


def _due(report: BoardReport) -> list[str]:
    if report.next_meeting is None:
        return [
            "## Due before the next board meeting",
            "",
            "The plan has no board meeting pattern, so the next meeting is not known.",
            "",
        ]
    lines = [f"## Due by the next board meeting ({day(report.next_meeting)})", ""]
    if not report.due_before_meeting:
        return [*lines, "No unfinished action falls due by then.", ""]
    rows = [
        [
            md(a.row.ref),
            brag_label(a.row.brag),
            day(a.row.target),
            f"{a.row.progress}%",
            md(a.row.lead or a.row.owner),
            md(a.row.text),
        ]
        for a in report.due_before_meeting
    ]
    return [*lines, *_table(["Ref", "BRAG", "Target", "Progress", "Lead", "Action"], rows)]


def _evidence(report: BoardReport) -> list[str]:
    if report.since is None:
        lines = ["## Evidence on file", ""]
    else:
        lines = [f"## Evidence added since {moment(report.since)}", ""]
    if not report.evidence:
        return [*lines, "None.", ""]
    rows = [
        [md(e.ref), md(e.title), e.kind.value, day(e.dated), _review(e.review.value, e.comment)]
        for e in report.evidence
    ]
    return [*lines, *_table(["Ref", "Evidence", "Kind", "Dated", "YJB review"], rows)]


def _review(state: str, comment: str | None) -> str:
    return f"{state}: {md(comment)}" if comment else state


def _changes(report: BoardReport) -> list[str]:
    if report.since is None:
        return [
            "## What changed since the last board report",
            "",
            "No board report has been issued for this plan before, so there is nothing to "
            "compare with.",
            "",
        ]
    since = moment(report.since)
    title = (
        f"## What changed since the last board report ({since})"
        if report.since_last_report
        else f"## What changed since {since}"
    )
    if not report.changes:
        return [title, "", "Nothing has changed.", ""]
    rows = [[moment(c.at), md(c.actor), md(c.ref) or "plan", md(c.what)] for c in report.changes]
    return [title, "", *_table(["When", "Who", "Ref", "Change"], rows)]


def _decisions(report: BoardReport) -> list[str]:
    lines = ["## Decisions for the board", ""]
    if not report.decisions:
        return [*lines, "None this time.", ""]
    for i, d in enumerate(report.decisions, start=1):
        lines.append(f"{i}. {md(d.ask)}" + (f"  \n   {md(d.detail)}" if d.detail else ""))
    return [*lines, ""]


def _sign_offs(report: BoardReport) -> list[str]:
    lines = ["## YJB sign-offs", ""]
    if not report.sign_offs:
        return [*lines, NO_SIGN_OFFS, ""]
    rows = [[md(c) for c in sign_off_cells(s)] for s in report.sign_offs]
    return [*lines, *_table(["When", "Who", "Signed off", "State then"], rows)]


def _all_actions(report: BoardReport) -> list[str]:
    lines = ["## All actions", ""]
    by_rec: dict[str, list[ActionInfo]] = {}
    for info in report.data.actions:
        by_rec.setdefault(info.row.recommendation, []).append(info)
    for rec in report.data.detail.recommendations:
        actions = by_rec.get(rec.ref)
        if not actions:
            continue
        owners = f" ({md(', '.join(rec.owners))})" if rec.owners else ""
        lines += [f"### Recommendation {md(rec.ref)}{owners}", "", md_paragraph(rec.text), ""]
        rows = [
            [
                md(a.row.ref),
                brag_label(a.row.brag),
                a.row.status.value,
                f"{a.row.progress}%",
                day(a.row.target),
                md(a.row.lead or a.row.owner),
                md(a.row.text),
            ]
            for a in actions
        ]
        header = ["Ref", "BRAG", "Status", "Progress", "Target", "Lead", "Action"]
        lines += _table(header, rows)
    return lines


def render_markdown(report: BoardReport) -> str:
    """The board report as Markdown text (ending with one newline)."""
    parts = [
        _header(report),
        _summary(report),
        _attention(report),
        _due(report),
        _evidence(report),
        _changes(report),
        _decisions(report),
        _sign_offs(report),
        _all_actions(report),
    ]
    text = "\n".join(line for part in parts for line in part)
    return text.rstrip("\n") + "\n"
