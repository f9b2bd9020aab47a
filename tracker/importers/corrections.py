"""What a user corrects in a finding before the draft plan is made: the area inspected, the
publication date (which starts the four-week clock) and the owners of each recommendation.

`correct` is what `import_report(..., area=..., published=..., owners=...)`, the
`tracker import --area` option and the import screen use, so that a correction is checked
the same way wherever it is made. Pure; raises only `ReportError`.
"""

from __future__ import annotations

import copy
from collections.abc import Iterable, Mapping, Sequence
from datetime import date

from tracker.importers.finding import Finding, ReportError
from tracker.importers.owners import tidy_owners
from tracker.rules import check_day

MAX_AREA = 200
"""The longest area name accepted (a plan file's limit)."""


def _owner_names(finding: Finding, ref: str, names: Sequence[str]) -> list[str]:
    if isinstance(names, str):
        raise ReportError(
            finding.where, f"recommendation {ref}: give its owners as a list of role names"
        )
    owners: list[str] = []
    for name in names:
        tidied = " ".join(str(name).split())
        if not tidied:
            raise ReportError(finding.where, f"recommendation {ref}: an owner's name is empty")
        if tidied.casefold() not in {o.casefold() for o in owners}:
            owners.append(tidied)
    return owners


def correct(
    finding: Finding,
    *,
    area: str | None = None,
    published: date | None = None,
    owners: Mapping[str, Sequence[str]] | None = None,
    known_roles: Iterable[str] = (),
) -> Finding:
    """A copy of `finding` with the user's corrections; `finding` itself is left as it was.

    - `area`: the area inspected. The owners read from the report (not those given in
      `owners`) are read again for it ("Westby YOS Management Board" is the plan's "YOS
      Management Board"). Scores in a table comparing areas are not read again: to take a
      table's row for a corrected area, read the report again with `preview(path, area=...)`.
    - `published`: the publication date, entered by hand; the clock runs from it and any doubt
      about the date read is dropped.
    - `owners`: `{ref: [role, ...]}`, each recommendation's owners in full (an empty list
      clears them). A ref the report does not have is refused.

    ReportError (naming the report) for an empty area or owner name, an unknown ref, or a
    publication date outside the dates a plan can have (`rules.check_day`)."""
    fixed = copy.deepcopy(finding)
    given = dict(owners or {})
    refs = [r.ref for r in fixed.recommendations]
    unknown = [ref for ref in given if ref not in refs]
    if unknown:
        raise ReportError(
            fixed.where,
            f"there is no recommendation {unknown[0]!r} in the report "
            f"(its recommendations are {', '.join(refs)})",
        )
    for rec in fixed.recommendations:
        if rec.ref in given:
            rec.owners = _owner_names(fixed, rec.ref, given[rec.ref])
    if area is not None:
        name = " ".join(area.split())
        if not name:
            raise ReportError(fixed.where, "the area cannot be empty: give the area inspected")
        if len(name) > MAX_AREA:
            raise ReportError(fixed.where, f"the area name is longer than {MAX_AREA} characters")
        fixed.area = name
        read = [r for r in fixed.recommendations if r.ref not in given]
        fixed.notes += tidy_owners(read, name, list(known_roles))
    if published is not None:
        try:
            check_day(published, "the publication date")
        except ValueError as exc:
            raise ReportError(fixed.where, str(exc)) from None
        said = fixed.published_note if fixed.published is not None else None
        fixed.published = published
        fixed.published_doubt = None
        fixed.published_note = "entered by hand" + (
            f" (the report's own: {said})" if said and finding.published != published else ""
        )
    return fixed
