"""Owner roles as reports state them: the bracketed list at the end of a recommendation
("(Chair of the Management Board, Head of Service and all staff)" is three roles), the owner
heading over a list ("The YOT Management Board should:"), and the names made to match the
roles the store knows ("Northshire Youth Offending Service Management Board" is the plan's
"YOS Management Board"). Owners a report does not state are never guessed. Pure; never raises.
"""

from __future__ import annotations

import re
from collections.abc import Iterable
from functools import cache

from tracker.importers import gazetteer
from tracker.importers.finding import FoundRecommendation

_HEADING_VERB = (
    r"(?:\s+(?:should|must|is asked to|are asked to|needs? to))?"
    r"(?:\s+(?:ensure|make sure|consider|continue to|work to)(?:\s+that)?)?"
)
_OWNER_HEADING = re.compile(
    r"^(?:[Tt]he\s+)?(?P<who>[A-Z][^:]{1,150}?)\s+(?:should|must|is asked to|are asked to|"
    r"needs? to)(?:\s+(?:ensure|make sure|consider|continue to|work to)(?:\s+that)?)?"
    r"(?:\s*:|\s*$)\s*$"
)
_RECOMMEND_THAT = re.compile(
    r"^(?:we|hmi\s+probation|hmip|inspectors?|the\s+inspectorate)\s+(?:also\s+)?"
    rf"recommends?\s+that\s+(?:the\s+)?(?P<who>[A-Z][^:]{{1,150}}?){_HEADING_VERB}\s*:\s*$",
    re.I,
)
""""We recommend that the YOT Management Board (should):": read before `_OWNER_HEADING`, which
would otherwise take "We recommend that the YOT Management Board" for the owner."""
_FOR_OWNER = re.compile(
    r"^(?:recommendations?|actions?)\s+(?:for|to)\s+(?:the\s+)?(?P<who>.{2,150}?)\s*:?$", re.I
)
_ROLE_WORD = re.compile(
    r"\b(?:managers?|heads?|chair(?:man|person|s)?|boards?|staff|directors?|officers?|teams?|"
    r"leads?|leaders?|members?|partners?|partnerships?|council(?:lors?)?|authority|authorities|"
    r"services?|practitioners?|workers?|commissioners?|executives?|co-?ordinators?|"
    r"supervisors?|inspectors?|group|panel|committee|nurses?|everyone|agenc(?:y|ies)|trusts?|"
    r"providers?)\b",
    re.I,
)
"""Words that name a post, people or a body: a bracket holding one reads as an owner."""
_AGENCY_WORD = re.compile(
    r"\b(?:police|probation|health|education|courts?|social\s+care|management|yos|yot|yjs|"
    r"yjb)\b",
    re.I,
)
"""Agencies named alone ("the police", "the YOT"): owners under an owner heading ("The police
should:") or a heading that says responsibility is in brackets, but not in a bracket anywhere
else, where "(education and health)" is more often a qualifier than an owner."""
_ACRONYMS = re.compile(r"(?:[A-Z][A-Z&]+s?\b[\s/]*)+")
"""A name that is only acronyms ("MAPPA", "CAMHS", "RMPs"): a process or an agency, never an
owner in a bracket unless the store knows it as a role."""
_AND_PHRASES = (
    "performance and information",
    "children and young people",
    "children and families",
    "young people and families",
    "safeguarding and quality",
    "quality and performance",
    "policy and performance",
    "planning and performance",
    "business and performance",
    "youth and community",
    "health and wellbeing",
    "health and well-being",
    "education and skills",
    "learning and development",
    "community and partnerships",
    "prevention and early help",
)
"""Names that hold "and" but are one role or one service, so " and " is not split in them."""


_AND = r"(?:\s+and\s+|\s*&\s*)"
_AND_RE = re.compile(_AND, re.I)


def _protect(text: str, known: Iterable[str]) -> str:
    for phrase in [*_AND_PHRASES, *known, *_joint_names()]:
        if " and " not in phrase.lower():
            continue
        parts = [re.escape(part) for part in re.split(r"\s+and\s+", phrase, flags=re.I)]
        pattern = re.compile(r"\b" + _AND.join(parts) + r"\b", re.I)
        text = pattern.sub(lambda m: _AND_RE.sub("\x00", m.group()), text)
    return text


@cache
def _joint_names() -> tuple[str, ...]:
    """The names of services and places that hold "and" ("Monmouthshire and Torfaen",
    "Blackburn with Darwen" does not), so that an owner named with one stays whole."""
    return tuple(n for n in gazetteer.all_names() if " and " in n.lower())


def split_owners(text: str, known: Iterable[str] = ()) -> list[str]:
    """The roles in a list such as "Chair of the Management Board, Head of Service and all
    staff", split on commas, semicolons, "&" and " and " (except inside names known to hold
    "and"), each without a leading "the", in order and without repeats."""
    protected = _protect(" ".join(text.split()), known)
    owners: list[str] = []
    for piece in re.split(r"\s*(?:,|;|&|\band\b|\bplus\b)\s*", protected, flags=re.I):
        name = re.sub(
            r"^(?:the|and|with)\s+", "", piece.replace("\x00", " and ").strip(), flags=re.I
        )
        name = name.strip(" .:-–—")
        if name and name.casefold() not in {o.casefold() for o in owners}:
            owners.append(name)
    return owners


def role_like(piece: str, *, agencies: bool = True) -> bool:
    """Whether `piece` reads as a role: a few words naming a post, people or a body (a manager,
    a board, staff ...), or, with `agencies`, an agency named alone (the police, the YOT)."""
    if len(piece.split()) > 8 or re.search(r"\d", piece):
        return False
    return bool(_ROLE_WORD.search(piece) or (agencies and _AGENCY_WORD.search(piece)))


def _folded(names: Iterable[str]) -> set[str]:
    return {_fold(re.sub(r"^the\s+", "", name, flags=re.I)) for name in names}


def owners_in_brackets(text: str, brackets: bool, known: Iterable[str] = ()) -> list[str] | None:
    """The owners a bracket group states, or None when it is not a list of roles. Each name
    must be a role the store knows (a name or an alias) or read as a role: a post, people or a
    body ("YOS Manager", "all staff", "Management Board"). An agency named alone ("Police")
    counts only under a heading that says responsibility is given in brackets; acronyms alone
    ("MAPPA", "CAMHS", "RMPs") never do, since reports bracket a process or agency's acronym
    after its name far more often than they name an owner that way."""
    owners = split_owners(text, known)
    if not owners or any(len(o.split()) > 12 or len(o) > 150 for o in owners):
        return None
    if re.search(r"\d", text):
        return None
    keys = _folded(known)

    def owner(name: str) -> bool:
        if _fold(name) in keys:
            return True
        if _ACRONYMS.fullmatch(name):
            return False
        return role_like(name, agencies=brackets)

    return owners if all(owner(o) for o in owners) else None


def owner_heading(line: str, known: Iterable[str] = ()) -> list[str] | None:
    """The owners a heading such as "The YOT Management Board should:" or "Recommendations for
    the Local Authority:" gives the items below it, or None for any other line."""
    if len(line.split()) > 20:
        return None
    match = _RECOMMEND_THAT.match(line) or _OWNER_HEADING.match(line) or _FOR_OWNER.match(line)
    if match is None:
        return None
    owners = split_owners(match.group("who"), known)
    owners = [
        re.sub(r"^(?:in partnership with|together with|working with|with)\s+(?:the\s+)?", "", o)
        for o in owners
    ]
    if owners and all(role_like(o) for o in owners):
        return owners
    return None


_ABBREVIATIONS = (
    (re.compile(r"\byouth\s+offending\s+services?\b", re.I), "YOS"),
    (re.compile(r"\byouth\s+offending\s+teams?\b", re.I), "YOT"),
    (re.compile(r"\byouth\s+justice\s+services?\b", re.I), "YJS"),
)


def _fold(name: str) -> str:
    return " ".join(name.split()).casefold()


def tidy_owners(
    recommendations: list[FoundRecommendation], area: str, known: Iterable[str]
) -> list[str]:
    """Owner names made to match the store's roles, in place: the area's own name dropped
    from the front ("Northshire YOS Management Board" is the plan's "YOS Management Board"),
    and "Youth Offending Service" written "YOS" (and YOT, YJS) when that is a name the store
    knows. Returns a note naming each owner read differently from the report's words."""
    keys = {_fold(name) for name in known}
    words = [re.escape(w) for w in re.split(r"[\s-]+", area.strip()) if w]
    prefix = (
        re.compile(r"^(?:the\s+)?" + r"[\s-]+".join(words) + r"(?:['’]s)?\s+", re.I)
        if words
        else None
    )
    changed: dict[str, str] = {}
    for rec in recommendations:
        tidied: list[str] = []
        for owner in rec.owners:
            name = owner
            if prefix is not None:
                rest = prefix.sub("", name, count=1)
                if rest != name and role_like(rest):
                    name = rest
            if _fold(name) not in keys:
                short = name
                for pattern, abbreviation in _ABBREVIATIONS:
                    short = pattern.sub(abbreviation, short)
                if _fold(short) in keys:
                    name = short
            if name != owner:
                changed[owner] = name
            if _fold(name) not in {_fold(t) for t in tidied}:
                tidied.append(name)
        rec.owners = tidied
    if not changed:
        return []
    listed = "; ".join(f"'{was}' as '{now}'" for was, now in changed.items())
    return [f"owners read as the plan's roles: {listed}"]
