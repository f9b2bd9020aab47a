"""The domain's rules, pure: no database, no clock. "Today" is always an argument.

- the four-week rule: a plan is due with HMIP four weeks after the report is published;
- BRAG colours for an action, and a plan's summary of them;
- the next management board meeting, from an RFC 5545 RRULE;
- reading a date the way a UK user types it;
- what stands between a draft plan and one ready to submit.

`docs/rules.md` says the same in words; keep the two in step.
"""

from __future__ import annotations

import re
from collections.abc import Iterable
from dataclasses import dataclass, field
from datetime import date, datetime

from dateutil.relativedelta import relativedelta

from tracker.vocab import ActionStatus, Brag, PlanStatus, Response, ReviewState

SUBMISSION_PERIOD = relativedelta(weeks=4)
"""An improvement plan is due with HMIP this long after the report's publication."""

AMBER_WINDOW_DAYS = 28
"""An unfinished action whose target falls within this many days is at risk..."""

AMBER_PROGRESS_BELOW = 75
"""...unless its progress has reached this percentage."""

BEHIND_SCHEDULE_POINTS = 25
"""An action is behind schedule when its progress trails the share of its time elapsed by more
than this many percentage points."""


def submission_due(published: date | None) -> date | None:
    """The day the improvement plan is due with HMIP: publication plus four weeks, or None when
    the publication date is not known."""
    if published is None:
        return None
    return published + SUBMISSION_PERIOD


def steps_a_manager_records(current: PlanStatus) -> list[PlanStatus]:
    """The lifecycle steps a plan's manager may record next, in order: those after `current`
    but closing, which is the YJB's sign-off (review mode), never a manager's step."""
    order = list(PlanStatus)
    later = order[order.index(current) + 1 :]
    return [s for s in later if s is not PlanStatus.CLOSED]


@dataclass(frozen=True)
class EvidenceFacts:
    """What the BRAG rule needs to know about one piece of evidence."""

    review: ReviewState = ReviewState.PENDING
    expires: date | None = None

    def counts(self, today: date) -> bool:
        """Whether this evidence supports completion: not queried by the YJB and not expired."""
        if self.review is ReviewState.QUERIED:
            return False
        return self.expires is None or self.expires >= today


@dataclass(frozen=True)
class ActionFacts:
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


@dataclass(frozen=True)
class BragResult:
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


@dataclass(frozen=True)
class PlanSummary:
    """A plan's actions counted the way a board reads them."""

    total: int = 0
    counts: dict[Brag, int] = field(default_factory=dict)
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


def check_rrule(rule: str) -> None:
    """Refuse a meeting pattern dateutil cannot read (ValueError naming the problem)."""
    try:
        from dateutil.rrule import rrulestr  # imported when needed: keeps start-up quick

        rrulestr(rule, dtstart=datetime(2000, 1, 1))
    except (ValueError, TypeError) as exc:
        raise ValueError(f"{rule!r} is not an RFC 5545 RRULE ({exc})") from None


def next_meeting(rule: str, start: date, today: date) -> date | None:
    """The first board meeting on or after `today` by the RRULE `rule` counted from `start`,
    or None when the pattern has ended."""
    check_rrule(rule)
    from dateutil.rrule import rrulestr

    recurrence = rrulestr(rule, dtstart=datetime.combine(start, datetime.min.time()))
    found = recurrence.after(datetime.combine(today, datetime.min.time()), inc=True)
    return found.date() if found is not None else None


_ISO = re.compile(r"^\d{4}-\d{1,2}-\d{1,2}$")


def parse_date(text: str) -> date:
    """A date typed by a UK user: `2026-03-31`, `31/03/2026`, `31 Mar 2026`, `31st March 2026`.
    Day first, as in the UK. ValueError, naming the text, if it is not one whole date."""
    cleaned = text.strip()
    if not cleaned:
        raise ValueError("no date given")
    try:
        if _ISO.match(cleaned):
            year, month, day = (int(part) for part in cleaned.split("-"))
            return date(year, month, day)
        # Parsed against two different defaults: a part the text leaves out shows as a difference.
        from dateutil import parser as date_parser  # imported when needed: quick start-up

        first = date_parser.parse(cleaned, dayfirst=True, default=datetime(2001, 1, 1))
        second = date_parser.parse(cleaned, dayfirst=True, default=datetime(2002, 2, 2))
    except (ValueError, OverflowError) as exc:
        raise ValueError(f"{text!r} is not a date ({exc})") from None
    if first != second:
        raise ValueError(f"{text!r} is not a whole date: give the day, month and year")
    parsed = first
    return parsed.date()


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


@dataclass(frozen=True)
class DraftAction:
    """What the ready-to-submit rule asks of one action (withdrawn actions are left out)."""

    ref: str
    lead_role: str | None
    target: date | None
    success_measure: str | None


@dataclass(frozen=True)
class DraftRecommendation:
    """What the ready-to-submit rule asks of one recommendation and its actions (withdrawn
    recommendations and actions are left out)."""

    ref: str
    response: Response | None
    response_reason: str | None
    actions: tuple[DraftAction, ...]


@dataclass(frozen=True)
class Gap:
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


@dataclass(frozen=True)
class Readiness:
    """The ready-to-submit checklist of a plan: its gaps, and the counts a user reads first."""

    gaps: tuple[Gap, ...]
    recommendations: int
    with_actions: int
    actions: int

    @property
    def ready(self) -> bool:
        """Whether nothing stands between the plan and its submission."""
        return not self.gaps

    def count(self, kind: str) -> int:
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
            n = self.count(kind)
            if n:
                parts.append(f"{n} action{'s lack' if n != 1 else ' lacks'} {what}")
        n = self.count("target before publication")
        if n:
            parts.append(f"{n} target{'s' if n != 1 else ''} before publication")
        n = self.count("no reason")
        if n:
            parts.append(f"{n} response{'s' if n != 1 else ''} without a reason")
        if self.count("no recommendations"):
            parts = ["no recommendations"]
        if self.count("no publication date"):
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
