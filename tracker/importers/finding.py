"""What the importer found in a report: a `Finding` a user can check and correct before a draft
plan is made from it, and its JSON form (documented in docs/import.md).

A `Finding` is plain data and editable: a screen may change the area, the dates, the owners or
the text of a recommendation, and `warnings` is worked out afresh from what it then holds.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date
from typing import Any

from tracker.importers.gazetteer import area_warning
from tracker.rules import submission_due
from tracker.vocab import Improvement, InspectionKind, Rating


class ReportError(ValueError):
    """A report the importer cannot read or use: `where` names the file, `problem` says what is
    wrong in words the user can act on. Nothing has been created when it is raised."""

    def __init__(self, where: str, problem: str) -> None:
        super().__init__(f"{where}: {problem}")
        self.where = where
        self.problem = problem


NO_RECOMMENDATIONS = (
    "no recommendations found: the importer looks for a list of instructions ('... should "
    "ensure ...') after a heading or a sentence about recommendations (see docs/import.md); "
    "add them by hand (in the import screen, or `tracker import --without-recommendations` "
    "then `tracker rec add`)"
)
"""The warning, and the refusal, for a report in which no recommendations were found."""


@dataclass
class FoundRecommendation:
    """A recommendation as the report words it: its number, its text, and the roles it gives
    primary responsibility, as the report words them (empty when it names none)."""

    ref: str
    text: str
    owners: list[str] = field(default_factory=list)


@dataclass
class FoundScore:
    """A headline score: a percentage and/or an improvement level (MINIMUM ... DRASTIC)."""

    name: str
    percent: int | None = None
    improvement: Improvement | None = None


@dataclass
class FoundRating:
    """A 2018-onward rating of an area of work (Outstanding ... Inadequate)."""

    name: str
    rating: Rating


@dataclass
class Fieldwork:
    """The inspection's fieldwork, first and last day (month bounds when the report gives only
    months)."""

    start: date
    end: date


@dataclass
class CopyEntry:
    """A line of a letter's copy list: the role and the people in it."""

    role: str
    names: list[str] = field(default_factory=list)


@dataclass
class Finding:
    """Everything the importer read from one report, and what it could not find.

    `notes` are the parser's own remarks (a guess it had to make, a list it skipped); the
    `warnings` a user sees add to them whatever is still missing now. `source` is the file's
    name (as the JSON shows it), `path` the file as the user gave it (refusals name it)."""

    source: str
    area: str
    kind: InspectionKind
    published: date | None = None
    published_note: str | None = None
    published_doubt: str | None = None
    """Doubt about the publication date read (a date taken from the head of a letter, two
    dates given, an impossible date): a warning until the date is entered by hand."""
    fieldwork: Fieldwork | None = None
    scores: list[FoundScore] = field(default_factory=list)
    ratings: list[FoundRating] = field(default_factory=list)
    recommendations: list[FoundRecommendation] = field(default_factory=list)
    addressee: str | None = None
    copy_to: list[CopyEntry] = field(default_factory=list)
    notes: list[str] = field(default_factory=list)
    path: str = ""
    area_said: str | None = None
    """The words the report gives the service when they are no service the gazetteer knows
    (never taken for the area: said in the warning)."""
    without_recommendations: bool = False
    """The user asked for the draft plan to be made even though it has no recommendations
    (to add them by hand): otherwise such an import is refused."""

    @property
    def where(self) -> str:
        """The report as a refusal names it: the path as given, else its name."""
        return self.path or self.source or "the report"

    @property
    def submission_due(self) -> date | None:
        """When the improvement plan is due with HMIP: publication plus four weeks."""
        return submission_due(self.published)

    @property
    def warnings(self) -> list[str]:
        """What a user should check or fill in before importing, in the report's terms."""
        found: list[str] = []
        if not self.area.strip():
            named = (
                f" (the report names '{self.area_said}', which is not a youth justice service "
                "of England and Wales the tracker knows)"
                if self.area_said
                else ""
            )
            found.append(f"area not stated: enter the area inspected{named}")
        else:
            unknown = area_warning(self.area)
            if unknown:
                found.append(unknown)
        if not self.recommendations:
            found.append(NO_RECOMMENDATIONS)
        if self.published is None:
            hint = f" ({self.published_note})" if self.published_note else ""
            found.append(f"publication date not stated: enter it before the clock can run{hint}")
        if self.fieldwork is None:
            found.append("fieldwork dates not stated: left empty")
        if self.kind is InspectionKind.CCI and not self.scores:
            found.append(
                "headline scores not found: enter the Safeguarding, Risk of Harm to others and "
                "Likelihood of Reoffending scores from the report"
            )
        if self.kind is InspectionKind.RATED_2018 and not self.ratings:
            found.append("ratings not found: enter the report's ratings")
        ownerless = [r.ref for r in self.recommendations if not r.owners]
        if ownerless:
            to = f"; the report is addressed to {self.addressee}" if self.addressee else ""
            found.append(
                f"no owners stated for recommendation{'s' if len(ownerless) > 1 else ''} "
                f"{', '.join(ownerless)}: left empty, not guessed{to}"
            )
        if self.published_doubt:
            found.append(self.published_doubt)
        return found + [n for n in self.notes if n not in found]


def _iso(day: date | None) -> str | None:
    return None if day is None else day.isoformat()


def to_json(finding: Finding) -> dict[str, Any]:
    """The finding as JSON-ready data: dates as ISO strings, `None` (null) for what the report
    does not state. The keys are documented in docs/import.md."""
    return {
        "area": finding.area or None,
        "kind": finding.kind.value,
        "published": _iso(finding.published),
        "submission_due": _iso(finding.submission_due),
        "fieldwork": None
        if finding.fieldwork is None
        else {"start": _iso(finding.fieldwork.start), "end": _iso(finding.fieldwork.end)},
        "scores": [
            {
                "name": s.name,
                "percent": s.percent,
                "improvement": None if s.improvement is None else s.improvement.value,
            }
            for s in finding.scores
        ],
        "ratings": [{"name": r.name, "rating": r.rating.value} for r in finding.ratings],
        "recommendations": [
            {"ref": r.ref, "text": r.text, "owners": list(r.owners)}
            for r in finding.recommendations
        ],
        "warnings": finding.warnings,
        "source": finding.source,
        "published_note": finding.published_note,
        "addressee": finding.addressee,
        "copy_to": [{"role": c.role, "names": list(c.names)} for c in finding.copy_to],
    }
