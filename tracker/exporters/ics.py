"""The plan's dates as an iCalendar file (written with icalendar), so that target dates land
in Outlook or any calendar: an all-day event for each action's target date, one for the
plan's submission due date (when the publication date is known) and one for the day it was
submitted (when it has been).

The output depends only on the data and "today": each event's UID is stable
(`stockton-2010/2.1@yos-tracker`), its SEQUENCE is the row's version (so a calendar that
imports the file again updates a moved date instead of adding a second event), and DTSTAMP is
`today` at midnight UTC rather than the clock.
"""

from __future__ import annotations

from datetime import UTC, date, datetime, time, timedelta
from typing import TYPE_CHECKING

from tracker.exporters.data import ActionInfo, PlanData, brag_label, day, kind_name
from tracker.text import clean, one_line
from tracker.vocab import ActionStatus, PlanStatus

if TYPE_CHECKING:
    from icalendar import Event

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


def _all_day(event: Event, on: date) -> None:
    """Make `event` last the whole of day `on`: DTSTART and DTEND the day after, or, on the
    last day Python can hold (a date stored by other means than the tracker's), DTSTART alone,
    which RFC 5545 reads as one day, rather than an OverflowError."""
    event.add("dtstart", on)
    if on < date.max:
        event.add("dtend", on + timedelta(days=1))


def _plan_event(uid: str, on: date, summary: str, description: str, version: int) -> Event:
    """An all-day event about the plan itself (due, submitted)."""
    from icalendar import Event

    event = Event()
    event.add("uid", f"{uid}@{UID_DOMAIN}")
    _all_day(event, on)
    event.add("summary", one_line(summary))
    event.add("description", clean(description))
    event.add("sequence", version)
    event.add("transp", "TRANSPARENT")
    event.add("categories", ["Improvement plan"])
    return event


def render_ics(data: PlanData, version: int) -> bytes:
    """The plan's calendar: one all-day VEVENT per action with a target date (actions in
    `data`), one for the submission due date when the publication date is known, and one for
    the day the plan was submitted when it has been. `version` is the plan's row version, the
    plan events' SEQUENCE."""
    from icalendar import Calendar, Event

    d = data.detail
    stamp = datetime.combine(data.today, time.min, UTC)
    cal = Calendar()
    cal.add("prodid", PRODID)
    cal.add("version", "2.0")
    cal.add("calscale", "GREGORIAN")
    cal.add("x-wr-calname", clean(f"{data.title} ({d.id})"))
    plan_events = []
    if d.submission_due is not None:
        plan_events.append(
            _plan_event(
                f"{clean(d.id)}/submission",
                d.submission_due,
                f"Improvement plan due with HMIP: {d.area}",
                f"{kind_name(d.kind)} of {d.area}, published {day(d.published)}: the "
                f"improvement plan is due four weeks after publication. Clock: {d.clock}.",
                version,
            )
        )
    submitted = d.steps[PlanStatus.SUBMITTED]
    if submitted is not None:
        due = (
            f"it was due {day(d.submission_due)}"
            if d.submission_due is not None
            else "the publication date, and so the due date, is not known"
        )
        plan_events.append(
            _plan_event(
                f"{clean(d.id)}/submitted",
                submitted,
                f"Improvement plan submitted to HMIP: {d.area}",
                f"The improvement plan after the {kind_name(d.kind)} of {d.area} was "
                f"submitted to HMIP on {day(submitted)} ({due}). Clock: {d.clock}.",
                version,
            )
        )
    for event in plan_events:
        event.add("dtstamp", stamp)
        cal.add_component(event)
    for info in data.actions:
        r = info.row
        if r.target is None:
            continue
        done = " (complete)" if r.status is ActionStatus.COMPLETE else ""
        event = Event()
        event.add("uid", f"{clean(r.id)}@{UID_DOMAIN}")
        event.add("dtstamp", stamp)
        _all_day(event, r.target)
        event.add("summary", one_line(f"{r.id} due{done}: {r.text}", 120))
        event.add("description", _description(info))
        event.add("sequence", r.version)
        event.add("transp", "TRANSPARENT")
        event.add("categories", ["Improvement plan", f"BRAG {r.brag.colour.value}"])
        cal.add_component(event)
    ical: bytes = cal.to_ical()
    return ical
