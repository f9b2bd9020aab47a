"""`tracker import` as a user runs it, in a real process: the JSON it prints, the draft plan it
makes (and the roles it creates), a dry run that writes nothing, and every refusal: exit 1, a
message naming the file and the problem, no traceback, the database unchanged."""

from __future__ import annotations

import json
import tomllib
from pathlib import Path
from typing import Any

import pytest

from conftest import ROOT, SEEDS, Result, snapshot
from tests.support.documents import make_docx

GOLDEN = ROOT / "tests" / "golden" / "import"
STOCKTON = SEEDS / "stockton-2010-board-report.txt"
HALTON = SEEDS / "halton-warrington-2009-cci-report.txt"
SQS = SEEDS / "cambridgeshire-2014-sqs-letter.txt"

NEW_ROLE_REPORT = """\
Core Case Inspection of youth offending work in Wigan
The inspection report was published on 3rd March 2011.

Recommendations (primary responsibility is indicated in brackets)

(1) risk management plans are reviewed when circumstances change (YOS Manager and
Director of Children's Services)
(2) victims are contacted in every case (Head of Service)
"""


def run_json(result: Result) -> dict[str, Any]:
    assert result.code == 0, result.err
    data: dict[str, Any] = json.loads(result.out)
    return data


def refused_cleanly(result: Result, *words: str) -> str:
    """The refusal a user sees: exit 1, one `tracker:` message naming what was wrong."""
    assert result.code == 1, (result.out, result.err)
    assert result.err.startswith("tracker: "), result.err
    assert "Traceback" not in result.err + result.out
    for word in words:
        assert word in result.err, (word, result.err)
    return result.err


# The JSON a script reads ------------------------------------------------------------------------


@pytest.mark.parametrize("seed", [STOCKTON, HALTON, SQS], ids=lambda p: p.stem)
def test_json_is_the_documented_shape_and_holds_what_the_report_says(
    tracker: Any, db_target: str, seed: Path
) -> None:
    data = run_json(tracker("import", "--dry-run", "--json", str(seed), db=db_target))
    required = {
        "area",
        "kind",
        "published",
        "submission_due",
        "fieldwork",
        "scores",
        "ratings",
        "recommendations",
        "warnings",
    }
    assert required <= set(data)
    for score in data["scores"]:
        assert set(score) == {"name", "percent", "improvement"}
    for rec in data["recommendations"]:
        assert set(rec) == {"ref", "text", "owners"}
        assert isinstance(rec["text"], str) and rec["text"]
        assert all(isinstance(owner, str) for owner in rec["owners"])
    assert all(isinstance(w, str) for w in data["warnings"])
    golden = json.loads((GOLDEN / f"{seed.stem}.json").read_text("utf-8"))
    extra = {"plan_id", "created_roles", "dry_run", "refused"}
    assert {k: v for k, v in data.items() if k not in extra} == golden
    assert data["dry_run"] is True and data["refused"] is None


def test_json_gives_iso_dates_and_null_for_what_the_report_does_not_state(
    tracker: Any, db_target: str
) -> None:
    stockton = run_json(tracker("import", "--dry-run", "--json", str(STOCKTON), db=db_target))
    assert (stockton["published"], stockton["submission_due"]) == ("2010-01-06", "2010-02-03")
    assert stockton["fieldwork"] == {"start": "2009-09-01", "end": "2009-10-31"}
    assert [s["percent"] for s in stockton["scores"]] == [None, None, None]
    assert stockton["recommendations"][4]["owners"] == ["Chair of the YOS Management Board"]
    halton = run_json(tracker("import", "--dry-run", "--json", str(HALTON), db=db_target))
    assert halton["published"] is None and halton["submission_due"] is None
    assert any(w.startswith("publication date not stated") for w in halton["warnings"])
    assert halton["scores"][0] == {"name": "Safeguarding", "percent": 79, "improvement": "MINIMUM"}
    assert halton["recommendations"][0]["owners"] == [
        "Chair of the Management Board",
        "Head of Service",
        "all staff",
    ]
    sqs = run_json(tracker("import", "--dry-run", "--json", str(SQS), db=db_target))
    assert sqs["scores"] == [] and all(r["owners"] == [] for r in sqs["recommendations"])
    assert any(w.startswith("no owners stated") for w in sqs["warnings"])


def test_a_word_document_imports_through_the_command_like_its_text(
    tracker: Any, db_target: str, tmp_path: Path
) -> None:
    path = tmp_path / "stockton.docx"
    make_docx(STOCKTON.read_text("utf-8"), path)
    from_docx = run_json(tracker("import", "--dry-run", "--json", str(path), db=db_target))
    from_text = run_json(tracker("import", "--dry-run", "--json", str(STOCKTON), db=db_target))
    assert from_docx.pop("source") == "stockton.docx"
    from_text.pop("source")
    assert from_docx == from_text


# A real import ---------------------------------------------------------------------------------


def test_an_import_makes_a_draft_plan_the_other_commands_show(tracker: Any, db_target: str) -> None:
    done = tracker("import", str(HALTON), db=db_target)
    assert done.code == 0, done.err
    assert "created draft plan halton-and-warrington-2009" in done.out
    assert "warning: publication date not stated" in done.out
    plans = run_json(tracker("plans", "--json", db=db_target))
    plan = next(p for p in plans if p["id"] == "halton-and-warrington-2009")
    assert (plan["status"], plan["area"], plan["kind"]) == ("draft", "Halton and Warrington", "CCI")
    assert plan["published"] is None and plan["actions"] == 0
    dumped = tomllib.loads(tracker("dump", "halton-and-warrington-2009", db=db_target).out)
    assert [(r["ref"], r["owners"]) for r in dumped["recommendations"]] == [
        ("1", ["Chair of the Management Board", "Head of Service", "all staff"]),
        ("2", ["Head of Service", "YOT staff"]),
        ("3", ["Head of Service", "all staff"]),
    ]
    assert dumped["recommendations"][2]["text"] == (
        "victim safety issues are fully incorporated into the work of the YOT"
    )
    assert [s["percent"] for s in dumped["inspection"]["scores"]] == [79, 76, 78]


def test_an_unknown_owner_becomes_a_new_role_and_is_reported(
    tracker: Any, db_target: str, tmp_path: Path
) -> None:
    report = tmp_path / "wigan.txt"
    report.write_text(NEW_ROLE_REPORT, "utf-8")
    dry = tracker("import", "--dry-run", str(report), db=db_target)
    assert dry.code == 0, dry.err
    assert "would be a new role: Director of Children's Services" in dry.out
    assert "Director of Children's Services" not in tracker("roles", db=db_target).out
    done = tracker("import", "--json", str(report), db=db_target)
    data = run_json(done)
    assert data["plan_id"] == "wigan-2011" and data["dry_run"] is False
    assert data["created_roles"] == ["Director of Children's Services"]
    assert data["recommendations"][0]["owners"] == [
        "YOS Manager",
        "Director of Children's Services",
    ]
    roles = tracker("roles", db=db_target).out
    assert "Director of Children's Services" in roles
    again = tracker("import", "--id", "wigan-2011-copy", str(report), db=db_target)
    assert again.code == 0 and "new role" not in again.out


def test_a_dry_run_writes_nothing(tracker: Any, loaded_target: str, tmp_path: Path) -> None:
    report = tmp_path / "wigan.txt"
    report.write_text(NEW_ROLE_REPORT, "utf-8")
    before = snapshot(loaded_target)
    done = tracker("import", "--dry-run", str(report), db=loaded_target)
    assert done.code == 0, done.err
    assert "dry run: nothing written; the import would create plan wigan-2011" in done.out
    assert "(1) risk management plans are reviewed when circumstances change" in done.out
    assert snapshot(loaded_target) == before


# Refusals ----------------------------------------------------------------------------------------


def _binary(path: Path) -> Path:
    path.write_bytes(bytes(range(256)) * 64)
    return path


def _write(path: Path, data: bytes) -> Path:
    path.write_bytes(data)
    return path


def _huge(path: Path) -> Path:
    with path.open("wb") as handle:
        handle.truncate(50 * 1024 * 1024 + 1)  # sparse: no real disk use
    return path


def _folder(path: Path) -> Path:
    path.mkdir()
    return path


DRY = ("--dry-run",)
REFUSALS = [
    ("binary.pdf", _binary, "is not a PDF", ()),
    ("binary.docx", _binary, "is not a Word .docx file", DRY),
    ("empty.txt", lambda p: _write(p, b""), "is empty", ()),
    (
        "utf16-no-bom.txt",
        lambda p: _write(p, STOCKTON.read_text("utf-8").encode("utf-16-le")),
        "binary",
        DRY,
    ),
    ("huge.txt", _huge, "a report may be at most 52,428,800", ()),
    ("folder.txt", _folder, "is a folder", DRY),
    ("missing.txt", lambda p: p, "does not exist", ()),
    ("report.doc", _binary, "cannot read .doc", DRY),
    (
        "recipe.txt",
        lambda p: _write(p, b"Victoria sponge\n\nRecommendations\n- use fresh eggs\n"),
        "does not look like an inspection report",
        (),
    ),
    (
        "no-recommendations.txt",
        lambda p: _write(p, STOCKTON.read_bytes().split(b"3 Strengths")[0]),
        "no recommendations found",
        (),  # a dry run prints what was found, then refuses: test_cli_import_wordings.py
    ),
]
"""What a user might point the command at by mistake: half are tried with --dry-run, which
must refuse them just the same."""


@pytest.mark.parametrize(
    ("name", "make", "problem", "flags"), REFUSALS, ids=[r[0] for r in REFUSALS]
)
def test_what_cannot_be_imported_is_refused_with_the_file_and_the_problem(
    tracker: Any,
    loaded_target: str,
    tmp_path: Path,
    name: str,
    make: Any,
    problem: str,
    flags: tuple[str, ...],
) -> None:
    path = make(tmp_path / name)
    before = snapshot(loaded_target)
    done = tracker("import", *flags, str(path), db=loaded_target)
    refused_cleanly(done, str(path), problem)
    assert done.out == ""
    assert snapshot(loaded_target) == before


def test_a_windows_1252_report_is_read_and_says_so(
    tracker: Any, db_target: str, tmp_path: Path
) -> None:
    path = tmp_path / "wigan-1252.txt"
    path.write_bytes(NEW_ROLE_REPORT.replace("'", "’").encode("cp1252"))
    data = run_json(tracker("import", "--dry-run", "--json", str(path), db=db_target))
    assert data["recommendations"][0]["owners"][1] == "Director of Children’s Services"
    assert any("not UTF-8: read as Windows-1252" in w for w in data["warnings"])


def test_a_plan_id_already_taken_is_refused_and_nothing_changes(
    tracker: Any, loaded_target: str
) -> None:
    before = snapshot(loaded_target)
    done = tracker("import", "--id", "stockton-2010", str(STOCKTON), db=loaded_target)
    refused_cleanly(done, STOCKTON.name, "plan 'stockton-2010' is already in the database")
    assert snapshot(loaded_target) == before
    bad = tracker("import", "--id", "Not A Plan Id", str(STOCKTON), db=loaded_target)
    refused_cleanly(bad, "'Not A Plan Id' is not a plan id")
    assert snapshot(loaded_target) == before


def test_a_dry_run_onto_a_taken_id_shows_the_finding_then_says_it_would_be_refused(
    tracker: Any, loaded_target: str
) -> None:
    before = snapshot(loaded_target)
    done = tracker("import", "--dry-run", "--id", "stockton-2010", str(STOCKTON), db=loaded_target)
    refused_cleanly(done, "already in the database", "the import would be refused")
    assert "5 recommendations:" in done.out and "published       2010-01-06" in done.out
    as_json = tracker(
        "import", "--dry-run", "--json", "--id", "stockton-2010", str(STOCKTON), db=loaded_target
    )
    refused_cleanly(as_json, "the import would be refused")
    data = json.loads(as_json.out)
    assert data["refused"].startswith("plan 'stockton-2010' is already in the database")
    assert data["plan_id"] is None and len(data["recommendations"]) == 5
    assert snapshot(loaded_target) == before


@pytest.mark.parametrize(
    ("mode", "problem"),
    [("--reviewer", "review mode"), ("--read-only", "read-only")],
)
def test_a_reviewer_or_a_read_only_session_cannot_import_but_may_dry_run(
    tracker: Any, loaded_target: str, mode: str, problem: str
) -> None:
    before = snapshot(loaded_target)
    refused_cleanly(tracker(mode, "import", str(STOCKTON), db=loaded_target), problem)
    assert snapshot(loaded_target) == before
    # The samples hold Stockton's plan already (issue 16): a dry run with another id.
    dry = tracker(
        mode, "import", "--dry-run", "--id", "stockton-again", str(STOCKTON), db=loaded_target
    )
    assert dry.code == 0, dry.err
    assert "the import would create plan stockton-again" in dry.out
    assert snapshot(loaded_target) == before


# The area, and what a refused import or a dry run leaves behind --------------------------------

MINUTES_NO_AREA = """\
CHILDREN'S SERVICES SCRUTINY PANEL
Minutes of the meeting held on Tuesday 18 March 2014

45. INSPECTION OF YOUTH OFFENDING WORK

The Head of Service presented the outcome of the Short Quality Screening inspection by HMI
Probation. The report was published on 12th March 2014.

The Wiltshire Management Board should:
- ensure that performance information is presented to the board each quarter
- review the membership of the board
"""
AREA_MISSING = "area not found in the report: give the area inspected (tracker import --area NAME)"


def test_a_report_without_its_area_is_refused_until_area_gives_it(
    tracker: Any, db_target: str, tmp_path: Path
) -> None:
    (tmp_path / "papers").mkdir()
    (tmp_path / "papers" / "minutes.txt").write_text(MINUTES_NO_AREA, "utf-8")
    given = "papers/minutes.txt"  # relative to the command's folder, as a user types it
    before = snapshot(db_target)
    for flags in [(), ("--dry-run",), ("--id", "wiltshire-2014"), ("--dry-run", "--json")]:
        done = tracker("import", *flags, given, db=db_target)
        err = refused_cleanly(done, AREA_MISSING)
        assert err.startswith(f"tracker: {given}: {AREA_MISSING}"), err
    assert snapshot(db_target) == before
    dry = run_json(
        tracker("import", "--dry-run", "--json", "--area", "Wiltshire", given, db=db_target)
    )
    assert (dry["area"], dry["plan_id"], dry["refused"]) == ("Wiltshire", "wiltshire-2014", None)
    # Read for the area given: "Wiltshire Management Board" is the plan's "Management Board".
    assert [r["owners"] for r in dry["recommendations"]] == [["Management Board"]] * 2
    assert not any(w.startswith("area not found") for w in dry["warnings"])
    done = tracker("import", "--area", "Wiltshire", given, db=db_target)
    assert done.code == 0, done.err
    assert "created draft plan wiltshire-2014" in done.out
    plans = run_json(tracker("plans", "--json", db=db_target))
    assert next(p for p in plans if p["id"] == "wiltshire-2014")["area"] == "Wiltshire"


def test_every_refusal_names_the_report_as_it_was_given(
    tracker: Any, loaded_target: str, tmp_path: Path
) -> None:
    (tmp_path / "in").mkdir()
    (tmp_path / "in" / "stockton.txt").write_text(STOCKTON.read_text("utf-8"), "utf-8")
    (tmp_path / "in" / "recipe.txt").write_text("Recommendations\n- eggs\n", "utf-8")
    taken = tracker("import", "--id", "stockton-2010", "in/stockton.txt", db=loaded_target)
    assert refused_cleanly(taken).startswith("tracker: in/stockton.txt: plan 'stockton-2010'")
    dry = tracker("import", "--dry-run", "--id", "Bad Id", "in/stockton.txt", db=loaded_target)
    assert refused_cleanly(dry).startswith("tracker: in/stockton.txt: 'Bad Id' is not a plan id")
    recipe = tracker("import", "in/recipe.txt", db=loaded_target)
    assert refused_cleanly(recipe).startswith("tracker: in/recipe.txt: does not look like")


@pytest.mark.parametrize("flags", [("--dry-run",), ("--dry-run", "--json"), ()])
def test_a_new_database_path_is_not_created_by_a_dry_run_or_a_refused_import(
    tracker: Any, tmp_path: Path, flags: tuple[str, ...]
) -> None:
    new_db = tmp_path / "new.db"
    recipe = tmp_path / "recipe.txt"
    recipe.write_text("Victoria sponge\n\nRecommendations\n- use fresh eggs\n", "utf-8")
    refused_cleanly(tracker("import", *flags, str(recipe), db=new_db), "does not look like")
    assert not new_db.exists()
    report = tmp_path / "wigan.txt"
    report.write_text(NEW_ROLE_REPORT, "utf-8")
    if flags:
        done = tracker("import", *flags, str(report), db=new_db)
        assert done.code == 0, done.err
        assert "wigan-2011" in done.out and "Director of Children's Services" in done.out
        assert not new_db.exists(), "a dry run needs no database and makes none"
    else:
        done = tracker("import", str(report), db=new_db)
        assert done.code == 0, done.err
        assert "created draft plan wigan-2011" in done.out
        assert new_db.exists()
