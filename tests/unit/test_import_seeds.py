"""The three real reports in tests/seeds (copies of ../shared/seeds) import exactly: golden
JSON for each, the same recommendations and owners as the hand-checked sample plans, and the
same result when the report comes as a PDF or a Word document instead of text."""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path

import pytest

from conftest import ROOT, SEEDS
from tests.support.documents import HEADER, make_docx, make_pdf
from tracker.importers import extract_text, parse_report, preview, to_json
from tracker.importers.gazetteer import known_area, same_area
from tracker.planfile import read_plan

GOLDEN = ROOT / "tests" / "golden" / "import"
SEED_PLANS = {
    "halton-warrington-2009-cci-report.txt": "halton-warrington-2009.toml",
    "stockton-2010-board-report.txt": "stockton-2010.toml",
    "cambridgeshire-2014-sqs-letter.txt": "cambridgeshire-2014.toml",
}
SEED_NAMES = sorted(SEED_PLANS)


def seed_json(name: str) -> dict[str, object]:
    path = SEEDS / name
    return to_json(parse_report(extract_text(path), path.name))


@pytest.mark.parametrize("name", SEED_NAMES)
def test_seed_matches_its_golden_json(name: str) -> None:
    golden = GOLDEN / name.replace(".txt", ".json")
    found = seed_json(name)
    if os.environ.get("UPDATE_GOLDEN"):
        golden.write_text(json.dumps(found, indent=2, ensure_ascii=False) + "\n", "utf-8")
    assert found == json.loads(golden.read_text("utf-8")), (
        f"{name} no longer imports as {golden.name}; if the change is right, rerun with "
        "UPDATE_GOLDEN=1 and review the diff"
    )


@pytest.mark.parametrize("name", SEED_NAMES)
def test_seed_recommendations_match_the_hand_checked_sample_plan(name: str) -> None:
    plan = read_plan(ROOT / "sample_plans" / SEED_PLANS[name])
    found = seed_json(name)
    expected = [{"ref": r.ref, "text": r.text, "owners": r.owners} for r in plan.recommendations]
    assert found["recommendations"] == expected
    assert found["published"] == (
        plan.inspection.published and plan.inspection.published.isoformat()
    )
    # The gazetteer's name for the sample's service ("Stockton on Tees" is Stockton-on-Tees).
    assert same_area(found["area"], plan.inspection.area) and known_area(found["area"])
    assert found["kind"] == plan.inspection.kind.value
    assert found["fieldwork"] == {
        "start": plan.inspection.fieldwork_start and plan.inspection.fieldwork_start.isoformat(),
        "end": plan.inspection.fieldwork_end and plan.inspection.fieldwork_end.isoformat(),
    }
    expected_scores = [
        {"name": s.name, "percent": s.percent, "improvement": s.improvement and s.improvement.value}
        for s in plan.inspection.scores
    ]
    assert found["scores"] == expected_scores


def test_the_clock_runs_from_the_reports_own_publication_date() -> None:
    stockton = seed_json("stockton-2010-board-report.txt")
    assert (stockton["published"], stockton["submission_due"]) == ("2010-01-06", "2010-02-03")
    sqs = seed_json("cambridgeshire-2014-sqs-letter.txt")
    assert (sqs["published"], sqs["submission_due"]) == ("2014-04-23", "2014-05-21")


def test_a_report_without_a_publication_date_says_so_instead_of_guessing() -> None:
    cci = seed_json("halton-warrington-2009-cci-report.txt")
    assert cci["published"] is None and cci["submission_due"] is None
    warning = next(w for w in cci["warnings"] if w.startswith("publication date not stated"))  # type: ignore[union-attr]
    assert "enter it before the clock can run" in warning
    assert "August 2009" in warning


def test_the_sqs_letter_keeps_owners_empty_and_shows_who_it_is_addressed_to() -> None:
    sqs = seed_json("cambridgeshire-2014-sqs-letter.txt")
    assert all(r["owners"] == [] for r in sqs["recommendations"])  # type: ignore[index, union-attr]
    assert sqs["addressee"] == "Sarah Ferguson, Chair of Cambridgeshire YOS Management Board"
    link = next(c for c in sqs["copy_to"] if c["role"] == "YJB link staff")  # type: ignore[union-attr, index]
    assert link["names"] == ["Malcolm Potter", "Paula Williams", "Linda Paris"]


# Documents made from the seed text -------------------------------------------------------------


def without_source(found: dict[str, object]) -> dict[str, object]:
    return {k: v for k, v in found.items() if k != "source"}


@pytest.mark.parametrize("name", SEED_NAMES)
def test_a_pdf_of_the_seed_gives_the_same_result_as_the_text(name: str, tmp_path: Path) -> None:
    path = tmp_path / name.replace(".txt", ".pdf")
    path.write_bytes(make_pdf((SEEDS / name).read_text("utf-8")))
    text = extract_text(path)
    assert HEADER not in text and "Page 2 of" not in text
    assert without_source(to_json(preview(path))) == without_source(seed_json(name))


@pytest.mark.parametrize("name", SEED_NAMES)
def test_a_docx_of_the_seed_gives_the_same_result_as_the_text(name: str, tmp_path: Path) -> None:
    path = tmp_path / name.replace(".txt", ".docx")
    make_docx((SEEDS / name).read_text("utf-8"), path)
    assert without_source(to_json(preview(path))) == without_source(seed_json(name))


def test_the_importer_works_without_the_tui() -> None:
    """A script or a server may import reports: reading one never loads Textual."""
    code = (
        "import sys\nfrom tracker.importers import extract_text, parse_report\n"
        f"parse_report(extract_text({str(SEEDS / SEED_NAMES[0])!r}), 'x.txt')\n"
        "print(sorted(m for m in sys.modules if m.split('.')[0] == 'textual'))"
    )
    done = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True)
    assert done.stdout.strip() == "[]"
