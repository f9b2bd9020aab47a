"""The domain's rules, pure: no database, no clock. "Today" is always an argument.

- the four-week rule: a plan is due with HMIP four weeks after the report is published;
- BRAG colours for an action, and a plan's summary of them;
- the next management board meeting, from an RFC 5545 RRULE a board can have;
- the dates a plan can have (`EARLIEST` to `LATEST`), reading a date the way a UK user types
  it, and date sums that never overflow;
- what stands between a draft plan and one ready to submit.

`docs/rules.md` says the same in words; keep the two in step.
"""

from __future__ import annotations

import functools
import re
from collections.abc import Iterable, Mapping
from datetime import date, datetime, timedelta
from types import MappingProxyType
from typing import Any, NamedTuple

from tracker.vocab import ActionStatus, Brag, PlanStatus, Response, ReviewState

SUBMISSION_PERIOD = timedelta(weeks=4)
"""An improvement plan is due with HMIP this long after the report's publication. Four weeks
is 28 days whatever the month, so a plain `timedelta` says it (dateutil's relativedelta gave
the same dates at 30 times the cost, 1,550 plans on the home screen at ten times national
scale)."""


AMBER_WINDOW_DAYS = 28
"""An unfinished action whose target falls within this many days is at risk..."""

AMBER_PROGRESS_BELOW = 75
"""...unless its progress has reached this percentage."""

BEHIND_SCHEDULE_POINTS = 25
"""An action is behind schedule when its progress trails the share of its time elapsed by more
than this many percentage points."""


EARLIEST = date(2000, 1, 1)
"""The first day a plan can have. Youth offending teams began work in April 2000 (under the
Crime and Disorder Act 1998) and HM Inspectorate of Probation first inspected them in 2003, so
no report, fieldwork, target or meeting of a youth offending service's improvement plan comes
before; an earlier date is a typing slip (`0210` for `2010`, `1910`)."""

LATEST = date(2100, 12, 31)
"""The last day a plan can have: targets lie months or a few years ahead, and this leaves the
whole century. It keeps every sum the tracker does on a date (four weeks, a day for a calendar
event, the next board meeting, a horizon of days) far inside what Python's dates hold (to 31
December 9999) and what a zip file can be dated (2107)."""


def check_day(value: date, field: str) -> date:
    """`value`, if it is a date a plan can have (`EARLIEST` to `LATEST`), else a ValueError
    naming `field` and the range."""
    if not EARLIEST <= value <= LATEST:
        raise ValueError(f"{field}: {_outside(value)}")
    return value


def _outside(value: date, shown: str | None = None) -> str:
    return (
        f"{shown or value.isoformat()} is outside the dates a plan can have "
        f"({EARLIEST.isoformat()} to {LATEST.isoformat()})"
    )


def add_days(day: date, days: int) -> date:
    """`day` moved by `days` (either way), held to the dates Python can hold (1 Jan 1 to 31 Dec
    9999) rather than an OverflowError: any number of days, however large, is safe."""
    ordinal = day.toordinal() + days
    return date.fromordinal(min(max(ordinal, 1), _LAST_ORDINAL))


_LAST_ORDINAL = date.max.toordinal()


def submission_due(published: date | None) -> date | None:
    """The day the improvement plan is due with HMIP: publication plus four weeks, or None when
    the publication date is not known (or, stored by other means than the tracker's, is so
    late that four weeks after it is past the last day Python can hold)."""
    if published is None or published.toordinal() + 28 > _LAST_ORDINAL:
        return None
    return published + SUBMISSION_PERIOD


def steps_a_manager_records(current: PlanStatus) -> list[PlanStatus]:
    """The lifecycle steps a plan's manager may record next, in order: those after `current`
    but closing, which is the YJB's sign-off (review mode), never a manager's step."""
    order = list(PlanStatus)
    later = order[order.index(current) + 1 :]
    return [s for s in later if s is not PlanStatus.CLOSED]


class EvidenceFacts(NamedTuple):
    """What the BRAG rule needs to know about one piece of evidence."""

    review: ReviewState = ReviewState.PENDING
    expires: date | None = None

    def counts(self, today: date) -> bool:
        """Whether this evidence supports completion: not queried by the YJB and not expired."""
        if self.review is ReviewState.QUERIED:
            return False
        return self.expires is None or self.expires >= today


class ActionFacts(NamedTuple):
    """What the BRAG rule needs to know about one action."""

    status: ActionStatus
    target: date | None = None
    start: date | None = None
    progress: int = 0
    evidence: tuple[EvidenceFacts, ...] = ()
    override: Brag | None = None
    evidenced: bool | None = None
    """Set by list queries that count evidence in SQL for the same "today": whether some piece
    of evidence counts (`EvidenceFacts.counts`). None: decide from `evidence`."""

    def is_evidenced(self, today: date) -> bool:
        """Whether some evidence supports completion as of `today`."""
        if self.evidenced is not None:
            return self.evidenced
        return any(e.counts(today) for e in self.evidence)


class BragResult(NamedTuple):
    """An action's colour and the reason for it, in words a board member reads."""

    colour: Brag
    reason: str
    overridden: bool = False


def is_overdue(facts: ActionFacts, today: date) -> bool:
    """Past its target date and not complete."""
    return _overdue(facts.status, facts.target, today)


def _overdue(status: ActionStatus, target: date | None, today: date) -> bool:
    return status is not ActionStatus.COMPLETE and target is not None and target < today


def _decide(
    status: ActionStatus,
    target: date | None,
    start: date | None,
    progress: int,
    evidenced: bool,
    today: date,
) -> tuple[Brag, str, int]:
    """The BRAG rule itself: the colour, which branch of the rule gave it, and that branch's
    figure (days overdue, days left, % of time gone). `evidenced` matters only to a complete
    action. `computed_brag` puts the branch into words; `summarise` needs only the colour, and
    so skips building a sentence for each of tens of thousands of actions."""
    if status is ActionStatus.COMPLETE:
        return (Brag.BLUE, "evidenced", 0) if evidenced else (Brag.AMBER, "unevidenced", 0)
    if status is ActionStatus.BLOCKED:
        return Brag.RED, "blocked", 0
    if target is None:
        return Brag.AMBER, "no target", 0
    if target < today:
        return Brag.RED, "overdue", (today - target).days
    days_left = (target - today).days
    if days_left <= AMBER_WINDOW_DAYS and progress < AMBER_PROGRESS_BELOW:
        return Brag.AMBER, "due soon", days_left
    if start is not None and start < target and start <= today:
        expected = round((today - start).days / (target - start).days * 100)
        if progress + BEHIND_SCHEDULE_POINTS < expected:
            return Brag.AMBER, "behind", expected
    return Brag.GREEN, "on track", 0


def _reason(branch: str, figure: int, progress: int) -> str:
    """A branch of the BRAG rule in words a board member reads."""
    if branch == "overdue":
        return f"overdue by {figure} day{'s' if figure != 1 else ''}"
    if branch == "due soon":
        return f"due in {figure} days with progress at {progress}%"
    if branch == "behind":
        return f"behind schedule: {progress}% done, {figure}% of time gone"
    return _REASONS[branch]


_REASONS = {
    "evidenced": "complete and evidenced",
    "unevidenced": "complete but no accepted or pending evidence",
    "blocked": "blocked",
    "no target": "no target date",
    "on track": "on track",
}


def computed_brag(facts: ActionFacts, today: date) -> BragResult:
    """The colour the rules give, ignoring any override."""
    evidenced = facts.status is ActionStatus.COMPLETE and facts.is_evidenced(today)
    colour, branch, figure = _decide(
        facts.status, facts.target, facts.start, facts.progress, evidenced, today
    )
    return BragResult(colour, _reason(branch, figure, facts.progress))


def brag(facts: ActionFacts, today: date) -> BragResult:
    """The action's colour: the lead's override where there is one, else the computed colour."""
    if facts.override is not None:
        computed = computed_brag(facts, today)
        return BragResult(facts.override, f"set by hand (computed: {computed.colour})", True)
    return computed_brag(facts, today)


def check_override(colour: Brag | None, reason: str | None) -> None:
    """Refuse an override without a reason (ValueError)."""
    if colour is not None and not (reason or "").strip():
        raise ValueError("a BRAG override needs a reason")


class PlanSummary(NamedTuple):
    """A plan's actions counted the way a board reads them."""

    total: int = 0
    counts: Mapping[Brag, int] = MappingProxyType({})
    complete: int = 0
    overdue: int = 0

    @property
    def percent_complete(self) -> int:
        """Share of actions complete, as a whole percentage (0 for a plan with no actions)."""
        return round(100 * self.complete / self.total) if self.total else 0


def summarise(actions: Iterable[ActionFacts], today: date) -> PlanSummary:
    """Counts by colour, actions complete, and actions overdue."""
    return summarise_values(
        (
            (
                a.status,
                a.target,
                a.start,
                a.progress,
                a.override,
                a.status is ActionStatus.COMPLETE and a.is_evidenced(today),
            )
            for a in actions
        ),
        today,
    )


FactValues = tuple[ActionStatus, date | None, date | None, int, Brag | None, bool]
"""An action's facts as plain values: status, target, start, progress, override, and whether
some evidence counts (as a list query finds it in SQL)."""


def summarise_values(actions: Iterable[FactValues], today: date) -> PlanSummary:
    """`summarise` of actions given as plain values, for the lists that read thousands of
    actions at a time and need only each one's colour (the same rule: `_decide`)."""
    counts = dict.fromkeys(Brag, 0)
    total = complete = overdue = 0
    done, decide = ActionStatus.COMPLETE, _decide
    for status, target, start, progress, override, evidenced in actions:
        total += 1
        if override is None:
            override = decide(status, target, start, progress, evidenced, today)[0]
        counts[override] += 1
        complete += status is done
        overdue += _overdue(status, target, today)
    return PlanSummary(total, counts, complete, overdue)


MEETING_HORIZON_YEARS = 10
"""How far after "today" the next board meeting is looked for: a pattern that gives none within
this many years gives no next meeting."""

_UNIT_DAYS = {"YEARLY": 366, "MONTHLY": 31, "WEEKLY": 7, "DAILY": 1}
"""The FREQs a board may have, each with the most days one of its periods takes (an INTERVAL
counts these periods)."""
_SPAN_DAYS = (LATEST - EARLIEST).days + 1
"""How many days the dates a plan can have hold (36,890)."""
_NOT_DAYS = ("BYHOUR", "BYMINUTE", "BYSECOND")
"""The parts of an RRULE that give times of a day: more than one meeting a day."""


class _WalkStopped(Exception):
    """A walk over a meeting pattern went as far as it was allowed to."""


@functools.cache
def _bounded_rrule() -> type[Any]:
    """dateutil's `rrule`, with a walk that stops: dateutil finds a rule's next occurrence by
    stepping through its calendar and, for a rule that never matches (`BYMONTH=2;BYMONTHDAY=30`),
    steps on to the year 9999 (11 s for FREQ=DAILY). It rebuilds its calendar once for each
    year (FREQ=YEARLY) or month (the others) it steps into, and reads `_byeaster` each time it
    does: counting those reads counts the walk's steps, and `steps_left` ends it
    (`_WalkStopped`). Made when first needed (dateutil.rrule is slow to import)."""
    from dateutil.rrule import rrule

    class BoundedRule(rrule):
        steps_left: int | None = None
        """How many more steps the walk may take (None: not walking yet)."""
        steps = 0

        @property
        def _byeaster(self) -> Any:
            if self.steps_left is not None:
                self.steps += 1
                if self.steps > self.steps_left:
                    raise _WalkStopped
            return self.__dict__["_easter"]

        @_byeaster.setter
        def _byeaster(self, value: Any) -> None:
            self.__dict__["_easter"] = value

    return BoundedRule


def _meeting_rule(rule: str, start: date) -> Any:
    """The RRULE `rule` counted from `start`, as a dateutil `rrule` whose walks can be
    bounded; ValueError naming the problem if it is not one a board can have."""
    text = rule.strip()
    if text.upper().startswith("RRULE:"):
        text = text[len("RRULE:") :]
    if not text or any(c in text for c in "\r\n:"):
        raise ValueError(
            f"{rule!r} is not one RFC 5545 RRULE: give the pattern alone "
            "(`FREQ=MONTHLY;BYDAY=2TU`), its start is the board meetings' start"
        )
    names = {pair.partition("=")[0].strip().upper() for pair in text.split(";")}
    timed = [name for name in _NOT_DAYS if name in names]
    if timed:
        raise ValueError(f"{rule!r} sets {timed[0]}: a board meets on days, at most once a day")
    check_day(start, "the board meetings' start")
    try:
        from dateutil.rrule import rrule, rrulestr  # imported when needed: quick start-up

        parsed = rrulestr(text, dtstart=datetime.combine(start, datetime.min.time()))
    except (ValueError, TypeError, OverflowError) as exc:
        raise ValueError(f"{rule!r} is not an RFC 5545 RRULE ({exc})") from None
    if not isinstance(parsed, rrule):
        raise ValueError(f"{rule!r} is not one RFC 5545 RRULE")
    return _bounded(rule, parsed, start)


def _bounded(rule: str, parsed: Any, start: date) -> Any:
    """The checks of `_meeting_rule` on the parts dateutil read (which it keeps in private
    attributes), and the rule made again as one whose walks stop."""
    freq = ("YEARLY", "MONTHLY", "WEEKLY", "DAILY", "HOURLY", "MINUTELY", "SECONDLY")[parsed._freq]
    if freq not in _UNIT_DAYS:
        raise ValueError(f"{rule!r} meets {freq.lower()}: a board meets at most daily (FREQ=DAILY)")
    if parsed._interval * _UNIT_DAYS[freq] > _SPAN_DAYS:
        raise ValueError(
            f"{rule!r} has an INTERVAL longer than the dates a plan can have "
            f"({EARLIEST.isoformat()} to {LATEST.isoformat()})"
        )
    count, until = parsed._count, parsed._until
    if count is not None and not 1 <= count <= _SPAN_DAYS:
        raise ValueError(f"{rule!r} has COUNT={count}: give 1 to {_SPAN_DAYS:,} meetings")
    if until is not None:
        check_day(until.date(), f"{rule!r} UNTIL")
        if until.date() < start:
            raise ValueError(
                f"{rule!r} ends (UNTIL) before the first board meeting, {start.isoformat()}"
            )
    kwargs = dict(
        freq=parsed._freq,
        dtstart=parsed._dtstart,
        interval=parsed._interval,
        wkst=parsed._wkst,
        count=count,
        until=until,
    )
    kwargs.update(parsed._original_rule)
    return _bounded_rrule()(**kwargs)


def _walk_to(recurrence: Any, day: date, last: date) -> date | None:
    """The first occurrence of `recurrence` on or after `day` and no later than `last`, or None;
    the walk takes at most one step for each month from the pattern's start to `last` (and
    three more), however the pattern is made."""
    first = recurrence._dtstart.date()
    if first > last:
        return None
    recurrence.steps_left = (last.year - first.year) * 12 + last.month - first.month + 3
    try:
        found = recurrence.after(datetime.combine(day, datetime.min.time()), inc=True)
    except _WalkStopped:
        return None
    if found is None or found.date() > last:
        return None
    day_found: date = found.date()
    return day_found


def check_rrule(rule: str, start: date | None = None) -> None:
    """Refuse (ValueError naming the problem) a meeting pattern a board cannot have: one that
    dateutil cannot read, or is not a single RRULE (a DTSTART, RDATE or EXDATE in it); meets
    more often than daily (FREQ=HOURLY, MINUTELY or SECONDLY, or BYHOUR, BYMINUTE, BYSECOND);
    an INTERVAL longer than the dates a plan can have; a COUNT of none or more meetings than
    those days; an UNTIL outside them or before the start; or a pattern that gives no meeting
    between its start (`start`, else `EARLIEST`) and `LATEST` (February 30th). A `start`
    outside the dates a plan can have is refused too."""
    first = EARLIEST if start is None else start
    if _walk_to(_meeting_rule(rule, first), first, LATEST) is None:
        raise ValueError(
            f"{rule!r} gives no board meeting between {first.isoformat()} and {LATEST.isoformat()}"
        )


def next_meeting(rule: str, start: date, today: date) -> date | None:
    """The first board meeting on or after `today` by the RRULE `rule` counted from `start`, or
    None when the pattern has ended, gives none within `MEETING_HORIZON_YEARS` of `today`, is
    one `check_rrule` refuses or counts from a start outside the dates a plan can have (stored
    by other means: the reads go on without it), or `today` is after those dates. The walk
    over the pattern is bounded, whatever is stored."""
    if today > LATEST:
        return None
    try:
        recurrence = _meeting_rule(rule, start)
    except ValueError:
        return None
    last = date(today.year + MEETING_HORIZON_YEARS, 12, 31)
    return _walk_to(recurrence, today, last)


_ISO = re.compile(r"^\d{4}-\d{1,2}-\d{1,2}$")


def parse_date(text: str, field: str | None = None) -> date:
    """A date typed by a UK user: `2026-03-31`, `31/03/2026`, `31 Mar 2026`, `31st March 2026`.
    Day first, as in the UK. ValueError, naming the text, if it is not one whole date, or
    (naming `field` when given) if it is outside the dates a plan can have (`check_day`)."""
    cleaned = text.strip()
    if not cleaned:
        raise ValueError("no date given")
    try:
        if _ISO.match(cleaned):
            year, month, day = (int(part) for part in cleaned.split("-"))
            parsed = date(year, month, day)
        else:
            # Parsed against two different defaults: a part the text leaves out shows as a
            # difference.
            from dateutil import parser as date_parser  # imported when needed: quick start-up

            first = date_parser.parse(cleaned, dayfirst=True, default=datetime(2001, 1, 1))
            second = date_parser.parse(cleaned, dayfirst=True, default=datetime(2002, 2, 2))
            if first != second:
                raise _NotWhole
            parsed = first.date()
    except _NotWhole:
        raise ValueError(f"{text!r} is not a whole date: give the day, month and year") from None
    except (ValueError, OverflowError) as exc:
        raise ValueError(f"{text!r} is not a date ({exc})") from None
    if field is not None:
        return check_day(parsed, field)
    if not EARLIEST <= parsed <= LATEST:
        raise ValueError(_outside(parsed, repr(text)))
    return parsed


class _NotWhole(Exception):
    """A typed date that leaves out its day, month or year."""


def _day(d: date) -> str:
    return f"{d.day} {d.strftime('%b %Y')}"


def submission_clock(published: date | None, submitted: date | None, today: date) -> str:
    """The four-week clock in words: "due in 12 days", "overdue by 3 days", "submitted on time
    2 Feb 2010", "submitted 5 days late 8 Feb 2010", or "date unknown" (no publication date)."""
    due = submission_due(published)
    if submitted is not None:
        if due is None:
            return f"submitted {_day(submitted)}, due unknown"
        late = (submitted - due).days
        if late <= 0:
            return f"submitted on time {_day(submitted)}"
        return f"submitted {late} day{'s' if late != 1 else ''} late {_day(submitted)}"
    if due is None:
        return "date unknown"
    if published is not None and today < published:
        return f"due {_day(due)} (report not yet published)"
    left = (due - today).days
    if left > 0:
        return f"due in {left} day{'s' if left != 1 else ''}"
    if left == 0:
        return "due today"
    return f"overdue by {-left} day{'s' if left != -1 else ''}"


# Ready to submit ----------------------------------------------------------------------------


class DraftAction(NamedTuple):
    """What the ready-to-submit rule asks of one action (withdrawn actions are left out)."""

    ref: str
    lead_role: str | None
    target: date | None
    success_measure: str | None


class DraftRecommendation(NamedTuple):
    """What the ready-to-submit rule asks of one recommendation and its actions (withdrawn
    recommendations and actions are left out)."""

    ref: str
    response: Response | None
    response_reason: str | None
    actions: tuple[DraftAction, ...]


class Gap(NamedTuple):
    """One thing between a draft and a submittable plan: `kind` (one of `GAP_KINDS`), the ref
    of the recommendation or action it is on (None for the plan), and a sentence."""

    kind: str
    ref: str | None
    message: str


GAP_KINDS = (
    "no publication date",
    "no recommendations",
    "no actions",
    "no reason",
    "no lead role",
    "no target date",
    "target before publication",
    "no success measure",
)
"""The kinds of gap, in the order a checklist lists them."""


class Readiness(NamedTuple):
    """The ready-to-submit checklist of a plan: its gaps, and the counts a user reads first."""

    gaps: tuple[Gap, ...]
    recommendations: int
    with_actions: int
    actions: int

    @property
    def ready(self) -> bool:
        """Whether nothing stands between the plan and its submission."""
        return not self.gaps

    def gap_count(self, kind: str) -> int:
        """How many gaps of one kind."""
        return sum(1 for g in self.gaps if g.kind == kind)

    def summary(self) -> str:
        """One line: "2 of 5 recommendations have actions; 3 actions lack a success measure"
        (or "ready to submit: 5 recommendations, 12 actions")."""
        if self.ready:
            return (
                f"ready to submit: {self.recommendations} "
                f"recommendation{'s' if self.recommendations != 1 else ''}, {self.actions} "
                f"action{'s' if self.actions != 1 else ''}"
            )
        parts = [f"{self.with_actions} of {self.recommendations} recommendations have actions"]
        lacking = {
            "no lead role": "a lead role",
            "no target date": "a target date",
            "no success measure": "a success measure",
        }
        for kind, what in lacking.items():
            n = self.gap_count(kind)
            if n:
                parts.append(f"{n} action{'s lack' if n != 1 else ' lacks'} {what}")
        n = self.gap_count("target before publication")
        if n:
            parts.append(f"{n} target{'s' if n != 1 else ''} before publication")
        n = self.gap_count("no reason")
        if n:
            parts.append(f"{n} response{'s' if n != 1 else ''} without a reason")
        if self.gap_count("no recommendations"):
            parts = ["no recommendations"]
        if self.gap_count("no publication date"):
            parts.append("no publication date")
        return "; ".join(parts)


def readiness(published: date | None, recommendations: Iterable[DraftRecommendation]) -> Readiness:
    """What stands between a draft plan and a submittable one: no publication date; no
    recommendation at all; a recommendation with no action; a recommendation not (or partly)
    agreed without a reason; an action with no lead role, no target date, a target before the
    publication date, or no success measure. A recommendation the service does not agree needs
    no actions."""
    gaps: list[Gap] = []
    if published is None:
        gaps.append(Gap("no publication date", None, "the plan has no publication date"))
    recs = list(recommendations)
    if not recs:
        gaps.append(Gap("no recommendations", None, "the plan has no recommendations"))
    with_actions = 0
    actions = 0
    for rec in recs:
        if rec.actions:
            with_actions += 1
        elif rec.response is not Response.NOT_AGREED:
            gaps.append(Gap("no actions", rec.ref, f"recommendation {rec.ref} has no action"))
        if (
            rec.response in (Response.PARTLY_AGREED, Response.NOT_AGREED)
            and not (rec.response_reason or "").strip()
        ):
            gaps.append(
                Gap(
                    "no reason",
                    rec.ref,
                    f"recommendation {rec.ref} is {rec.response.value} without a reason",
                )
            )
        for act in rec.actions:
            actions += 1
            if not (act.lead_role or "").strip():
                gaps.append(Gap("no lead role", act.ref, f"action {act.ref} has no lead role"))
            if act.target is None:
                gaps.append(Gap("no target date", act.ref, f"action {act.ref} has no target date"))
            elif published is not None and act.target < published:
                gaps.append(
                    Gap(
                        "target before publication",
                        act.ref,
                        f"action {act.ref}'s target {act.target.isoformat()} is before the "
                        f"report was published ({published.isoformat()})",
                    )
                )
            if not (act.success_measure or "").strip():
                gaps.append(
                    Gap("no success measure", act.ref, f"action {act.ref} has no success measure")
                )
    order = {kind: i for i, kind in enumerate(GAP_KINDS)}
    gaps.sort(key=lambda g: order[g.kind])
    return Readiness(tuple(gaps), len(recs), with_actions, actions)
