"""The gazetteer of the youth justice services of England and Wales (package data): every
entry unique, every short form and authority resolving to its service, joint services whole,
its source and date written down, and the importer's use of it."""

from __future__ import annotations

from collections import Counter
from importlib import resources

import pytest

from tracker.importers import parse_report
from tracker.importers.gazetteer import (
    area_warning,
    candidates,
    fold,
    gazetteer,
    known_area,
    resolve,
    same_area,
)


def test_the_data_ships_in_the_package_with_its_source_and_date() -> None:
    data = resources.files("tracker.importers").joinpath("data", "youth_justice_services.toml")
    assert data.is_file()
    g = gazetteer()
    assert "youth offending teams" in g.source and g.compiled == "2026-12-03"
    assert 150 <= len(g.services) <= 175  # about 155 at any one time, plus the merged ones
    assert gazetteer() is g, "loaded once"


def test_every_area_and_every_own_name_is_unique() -> None:
    g = gazetteer()
    areas = Counter(fold(s.area) for s in g.services)
    assert [a for a, n in areas.items() if n > 1] == []
    owners: dict[str, str] = {}
    for s in g.services:
        for name in (s.area, *s.names, *s.short):
            assert owners.setdefault(fold(name), s.area) == s.area, name


def test_every_name_and_authority_resolves_to_its_service() -> None:
    for s in gazetteer().services:
        for name in (s.area, *s.names, *s.short):
            assert resolve(name) == s, name
        for authority in s.authorities:
            assert s in candidates(authority), (authority, s.area)


@pytest.mark.parametrize(
    ("said", "area"),
    [
        ("Monmouthshire", "Monmouthshire and Torfaen"),
        ("Gwynedd", "Gwynedd and Ynys Môn"),
        ("Ynys Mon", "Gwynedd and Ynys Môn"),
        ("B&P", "Bournemouth and Poole"),
        ("HALTON & WARRINGTON", "Halton and Warrington"),
        ("Stockton on Tees", "Stockton-on-Tees"),
        ("the London Borough of Hackney", "Hackney"),
        ("Wigan Council", "Wigan"),
        ("Rutland", "Leicestershire"),
        ("Hull", "Kingston upon Hull"),
    ],
)
def test_short_forms_and_parts_of_joint_services_give_the_whole_service(
    said: str, area: str
) -> None:
    found = resolve(said)
    assert found is not None and found.area == area


@pytest.mark.parametrize("said", ["Council's", "September and October", "Permanent", "London", ""])
def test_words_that_are_not_a_service_resolve_to_nothing(said: str) -> None:
    assert resolve(said) is None and not known_area(said)


def test_the_year_chooses_between_services_an_authority_belonged_to() -> None:
    assert resolve("Bournemouth", 2012).area == "Bournemouth and Poole"  # type: ignore[union-attr]
    assert resolve("Bournemouth", 2019).area == "Dorset Combined"  # type: ignore[union-attr]


def test_an_unknown_area_given_by_hand_is_a_warning_not_a_refusal() -> None:
    assert area_warning("Westshire") is not None and area_warning("Wigan") is None
    assert same_area("Stockton on Tees", "Stockton-on-Tees")
    text = (
        "Inspection of youth offending work in Westshire\nHM Inspectorate of Probation\n\n"
        "Recommendations\n\n1. improve the plans.\n"
    )
    found = parse_report(text, "x.txt", area="Westshire")
    assert found.area == "Westshire"
    assert any("'Westshire' is not a youth justice service" in w for w in found.warnings)
