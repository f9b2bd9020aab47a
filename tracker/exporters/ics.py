"""The plan's dates as an iCalendar file (written with icalendar), so that target dates land
in Outlook or any calendar: an all-day event for each action's target date and one for the
plan's submission due date.

The output depends only on the data and "today": each event's UID is stable
(`stockton-2010/2.1@yos-tracker`), its SEQUENCE is the row's version (so a calendar that
imports the file again updates a moved date instead of adding a second event), and DTSTAMP is
`today` at midnight UTC rather than the clock.
"""

from __future__ import annotations

from datetime import UTC, datetime, time, timedelta

from tracker.exporters.data import ActionInfo, PlanData, brag_label, day, kind_name
from tracker.text import clean, one_line
from tracker.vocab import ActionStatus

UID_DOMAIN = "yos-tracker"
"""The part of every UID after the `@`."""

PRODID = "-//YOS improvement plan tracker//EN"


def _description(info: ActionInfo) -> str:
    r = info.row
    lines = [
        f"Action {clean(r.id)}: {clean(r.text)}",
        f"Lead: {clean(r.lead or r.owner or 'not named')}",
        f"Status: {r.status.value}, {r.progress}%",
        f"BRAG: {brag_label(r.brag)} ({r.brag.reason})",
    ]
    if info.success_measure:
        lines.append(f"Success measure: {clean(info.success_measure)}")
    lines.append(f"Recommendation {r.recommendation}: {clean(info.recommendation_text)}")
    return "\n".join(lines)


def render_ics(data: PlanData, version: int) -> bytes:
    """The plan's calendar: one all-day VEVENT per action with a target date (actions in
    `data`), and one for the submission due date when the publication date is known. `version`
    is the plan's row version, the submission event's SEQUENCE."""
    from icalendar import Calendar, Event

    d = data.detail
    stamp = datetime.combine(data.today, time.min, UTC)
    cal = Calendar()
    cal.add("prodid", PRODID)
    cal.add("version", "2.0")
    cal.add("calscale", "GREGORIAN")
    cal.add("x-wr-calname", clean(f"{data.title} ({d.id})"))
    if d.submission_due is not None:
        event = Event()
        event.add("uid", f"{clean(d.id)}/submission@{UID_DOMAIN}")
        event.add("dtstamp", stamp)
        event.add("dtstart", d.submission_due)
        event.add("dtend", d.submission_due + timedelta(days=1))
        event.add("summary", one_line(f"Improvement plan due with HMIP: {d.area}"))
        event.add(
            "description",
            clean(
                f"{kind_name(d.kind)} of {d.area}, published {day(d.published)}: the "
                f"improvement plan is due four weeks after publication. Clock: {d.clock}."
            ),
        )
        event.add("sequence", version)
        event.add("transp", "TRANSPARENT")
        event.add("categories", ["Improvement plan"])
        cal.add_component(event)
    for info in data.actions:
        r = info.row
        if r.target is None:
            continue
        done = " (complete)" if r.status is ActionStatus.COMPLETE else ""
        event = Event()
        event.add("uid", f"{clean(r.id)}@{UID_DOMAIN}")
        event.add("dtstamp", stamp)
        event.add("dtstart", r.target)
        event.add("dtend", r.target + timedelta(days=1))
        event.add("summary", one_line(f"{r.id} due{done}: {r.text}", 120))
        event.add("description", _description(info))
        event.add("sequence", r.version)
        event.add("transp", "TRANSPARENT")
        event.add("categories", ["Improvement plan", f"BRAG {r.brag.colour.value}"])
        cal.add_component(event)
    ical: bytes = cal.to_ical()
    return ical
