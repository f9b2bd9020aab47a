"""The youth justice services of England and Wales, from the package's data file
(`data/youth_justice_services.toml`, its source and date written at its head): what an area
read from a report is checked against, so that an area is always a real service's.

    service = resolve("Halton & Warrington YOT's")   # the service a name means, or None
    service.area                                     # "Halton and Warrington"
    known_area("Westshire")                          # False: a warning, not a refusal

A name is matched whatever its case, punctuation, accents, "&" or "and", hyphens or spaces,
"the", "London Borough of", "City of" or "Council" around it. A service is known by its area,
its other names and short forms ("B&P", "Hull"), and the local authorities it covers: an
authority inside a joint service names the whole service ("Monmouthshire" is Monmouthshire and
Torfaen). Loaded once. Pure; never raises on a name.
"""

from __future__ import annotations

import re
import tomllib
import unicodedata
from collections.abc import Iterable
from dataclasses import dataclass
from functools import cache
from importlib import resources

DATA_FILE = "youth_justice_services.toml"


@dataclass(frozen=True)
class Service:
    """One youth justice service: its canonical area, the authorities it covers, its other
    names and short forms, and the years it existed where known (inclusive)."""

    area: str
    nation: str
    authorities: tuple[str, ...]
    names: tuple[str, ...] = ()
    short: tuple[str, ...] = ()
    start: int | None = None
    end: int | None = None

    @property
    def joint(self) -> bool:
        """Whether the service covers more than one local authority."""
        return len(self.authorities) > 1

    def existed_in(self, year: int) -> bool:
        """Whether the service existed in `year`, as far as the gazetteer knows."""
        return (self.start is None or self.start <= year) and (self.end is None or year <= self.end)


@dataclass(frozen=True)
class Gazetteer:
    """Every service, and each service by the folded form of every name it is known by: its
    own (area, other names, short forms) first, then those of the authorities it covers."""

    source: str
    compiled: str
    services: tuple[Service, ...]
    own: dict[str, tuple[Service, ...]]
    covering: dict[str, tuple[Service, ...]]

    @property
    def longest(self) -> int:
        """The most words any known name has."""
        return max(len(key.split()) for key in [*self.own, *self.covering])


_PREFIX = re.compile(
    r"^(?:the\s+)?(?:(?:royal|london|metropolitan|county)\s+)?borough\s+(?:council\s+)?of\s+"
    r"|^(?:the\s+)?(?:city|county)\s+(?:council\s+)?of\s+"
    r"|^the\s+",
)
_SUFFIX = re.compile(
    r"\s+(?:(?:metropolitan\s+)?borough|county|city|district|unitary)?\s*council$"
    r"|\s+(?:borough|county\s+borough|city)$"
)


def fold(name: str) -> str:
    """`name` as names are compared: lower case, no accents, "&" as "and", hyphens, full stops
    and apostrophes as spaces, a possessive "'s" dropped, single spaces."""
    text = unicodedata.normalize("NFKD", name)
    text = "".join(ch for ch in text if not unicodedata.combining(ch)).casefold()
    text = re.sub(r"['’]s\b", "", text)
    text = text.replace("&", " and ")
    text = re.sub(r"[^\w\s]", " ", text)
    return " ".join(text.split())


def _keys(name: str) -> list[str]:
    """The folded forms `name` may be met in: itself, and without a "London Borough of" or a
    "Council" around it."""
    folded = fold(name)
    bare = _SUFFIX.sub("", _PREFIX.sub("", folded)).strip()
    return [folded] if not bare or bare == folded else [folded, bare]


@cache
def gazetteer() -> Gazetteer:
    """The gazetteer, read from the package's data file once."""
    raw = resources.files("tracker.importers").joinpath("data", DATA_FILE).read_text("utf-8")
    data = tomllib.loads(raw)
    services = tuple(
        Service(
            area=entry["area"],
            nation=entry["nation"],
            authorities=tuple(entry["authorities"]),
            names=tuple(entry.get("names", ())),
            short=tuple(entry.get("short", ())),
            start=entry.get("from"),
            end=entry.get("until"),
        )
        for entry in data["service"]
    )
    own: dict[str, list[Service]] = {}
    covering: dict[str, list[Service]] = {}
    for service in services:
        for name in (service.area, *service.names, *service.short):
            own.setdefault(fold(name), []).append(service)
        for name in service.authorities:
            covering.setdefault(fold(name), []).append(service)
    return Gazetteer(
        source=str(data["source"]),
        compiled=str(data["compiled"]),
        services=services,
        own={k: tuple(dict.fromkeys(v)) for k, v in own.items()},
        covering={k: tuple(dict.fromkeys(v)) for k, v in covering.items()},
    )


def candidates(name: str, year: int | None = None) -> list[Service]:
    """The services `name` may mean, the likeliest first: those it names (area, other name,
    short form) before those covering an authority it names; those that existed in `year`
    (when given) before the others."""
    found: list[Service] = []
    g = gazetteer()
    for key in _keys(name):
        found += [s for s in g.own.get(key, ()) if s not in found]
    for key in _keys(name):
        found += [s for s in g.covering.get(key, ()) if s not in found]
    if year is not None:
        found.sort(key=lambda s: not s.existed_in(year))
    return found


def resolve(name: str, year: int | None = None) -> Service | None:
    """The service `name` means, or None when it names none the gazetteer knows. Where it may
    mean several (an authority in more than one service over the years), the one it names
    itself, else one that existed in `year`, else the first listed."""
    found = candidates(name, year)
    return found[0] if found else None


def known_area(name: str) -> bool:
    """Whether `name` is a youth justice service's area (or another name of one) or an
    authority one covers."""
    return bool(name.strip()) and resolve(name) is not None


def canonical(name: str, year: int | None = None) -> str:
    """The service's canonical area for `name`, or `name` as it is when none is known."""
    service = resolve(name, year)
    return name if service is None else service.area


def same_area(a: str, b: str) -> bool:
    """Whether two areas are the same service's ("Stockton on Tees", "Stockton-on-Tees"), or
    the same words, case and punctuation aside, when the gazetteer knows neither."""
    first, second = resolve(a), resolve(b)
    if first is not None and second is not None:
        return first == second
    return fold(a) == fold(b)


def area_warning(name: str) -> str | None:
    """A warning for an area given by hand that is no service the gazetteer knows (a typing
    slip, or a service newer than the list), or None."""
    if not name.strip() or known_area(name):
        return None
    return (
        f"the area '{name}' is not a youth justice service of England and Wales that the "
        "tracker knows: check its spelling"
    )


def longest_at(words: list[str], *, at_end: bool) -> tuple[str, int] | None:
    """The longest run of `words` that is a known name, taken from their start (or, with
    `at_end`, their end), and how many words it is; None when no run is."""
    g = gazetteer()
    for size in range(min(len(words), g.longest), 0, -1):
        run = words[-size:] if at_end else words[:size]
        text = " ".join(run)
        if candidates(text):
            return text, size
    return None


def all_names(services: Iterable[Service] | None = None) -> list[str]:
    """Every name the services (default: all) are known by: areas, other names, short forms
    and authorities."""
    found: list[str] = []
    for s in gazetteer().services if services is None else services:
        found += [s.area, *s.names, *s.short, *s.authorities]
    return found
