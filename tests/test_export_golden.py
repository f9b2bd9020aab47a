"""Golden files: each text export of the sample plans, with a fixed "today", is exactly the file
in tests/golden/export/. A change to an exporter shows here as a diff to review.

To accept a reviewed change, regenerate the files and read the diff before committing:

    UPDATE_GOLDEN=1 .venv/bin/python -m pytest tests/test_export_golden.py

The exports are deterministic by design (dates come from "today", never the clock); the one
exception is the "what changed since the last board report" section, whose timestamps come from
the audit trail, so `test_board_report_after_edits` replaces those with `<TIME>` first.
"""

from __future__ import annotations

import difflib
import os
import re
from pathlib import Path

import pytest

from conftest import ROOT, TODAY
from tracker import services
from tracker.exporters import digest, export_plan, record_board_report
from tracker.services import ActionChanges
from tracker.store import Store
from tracker.vocab import ActionStatus

GOLDEN = ROOT / "tests" / "golden" / "export"
PLANS = ("stockton-2010", "halton-warrington-2009", "cambridgeshire-2014")


def check_golden(name: str, found: bytes) -> None:
    """`found` is byte for byte the golden file `name` (written instead with UPDATE_GOLDEN=1)."""
    path = GOLDEN / name
    if os.environ.get("UPDATE_GOLDEN"):
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_bytes(found)
    assert path.exists(), f"no golden file {path}: run with UPDATE_GOLDEN=1 to write it"
    expected = path.read_bytes()
    if found != expected:
        diff = difflib.unified_diff(
            expected.decode("utf-8", "replace").splitlines(),
            found.decode("utf-8", "replace").splitlines(),
            f"golden/{name}",
            "exported",
            lineterm="",
        )
        pytest.fail(
            f"{name} differs from its golden file (UPDATE_GOLDEN=1 to accept):\n"
            + "\n".join(list(diff)[:60])
        )


def export(store: Store, plan: str, fmt: str) -> bytes:
    with store.read() as session:
        return export_plan(session, plan, fmt, TODAY)


@pytest.mark.parametrize("plan", PLANS)
def test_board_report_markdown(loaded: Store, plan: str) -> None:
    check_golden(f"{plan}.md", export(loaded, plan, "md"))


def test_board_report_html(loaded: Store) -> None:
    check_golden("stockton-2010.html", export(loaded, "stockton-2010", "html"))


@pytest.mark.parametrize("plan", ["stockton-2010", "halton-warrington-2009"])
def test_spreadsheet_csv(loaded: Store, plan: str) -> None:
    check_golden(f"{plan}.csv", export(loaded, plan, "csv"))


def test_calendar_ics(loaded: Store) -> None:
    check_golden("stockton-2010.ics", export(loaded, "stockton-2010", "ics"))


@pytest.mark.parametrize("plan", PLANS)
def test_plan_file_toml(loaded: Store, plan: str) -> None:
    check_golden(f"{plan}.toml", export(loaded, plan, "toml"))


@pytest.mark.parametrize(
    ("name", "within", "owner"),
    [("digest.txt", 14, None), ("digest-head-of-service-60.txt", 60, "YOS Manager")],
)
def test_digest(loaded: Store, name: str, within: int, owner: str | None) -> None:
    with loaded.read() as session:
        text = digest(session, TODAY, within, owner)
    check_golden(name, text.encode("utf-8"))


_MOMENT = re.compile(r"\d{1,2} [A-Z][a-z]{2} \d{4} \d\d:\d\d UTC")


def test_board_report_after_edits(loaded: Store) -> None:
    """The second board report of a plan: what changed since the first, the evidence added since
    it, and the decisions the edits raise. Only the audit trail's timestamps are normalised."""
    record_board_report(loaded, "stockton-2010", "Miriam Robertson", "md")
    services.update_action(
        loaded,
        "stockton-2010/3.2",
        "Miriam Robertson",
        TODAY,
        ActionChanges(progress=75),
        note="Panel met twice in September; 14 cases discussed.",
    )
    services.update_action(
        loaded,
        "stockton-2010/4.2",
        "Team Manager (Community Supervision)",
        TODAY,
        ActionChanges(status=ActionStatus.BLOCKED),
    )
    services.add_evidence(
        loaded,
        "stockton-2010/3.2",
        "Miriam Robertson",
        "Compliance panel minutes, September 2010",
        reference="QA/2010-11/panel",
    )
    text = export(loaded, "stockton-2010", "md").decode("utf-8")
    check_golden("stockton-2010-second-report.md", _MOMENT.sub("<TIME>", text).encode("utf-8"))


def test_golden_files_are_all_used() -> None:
    """Every file in the golden folder belongs to a test here, so none goes stale unseen."""
    expected = {f"{p}.md" for p in PLANS} | {f"{p}.toml" for p in PLANS}
    expected |= {"stockton-2010.html", "stockton-2010.ics", "stockton-2010-second-report.md"}
    expected |= {"stockton-2010.csv", "halton-warrington-2009.csv"}
    expected |= {"digest.txt", "digest-head-of-service-60.txt"}
    assert {p.name for p in Path(GOLDEN).iterdir()} == expected
