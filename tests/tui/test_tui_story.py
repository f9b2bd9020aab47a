"""The whole story of issue 13 from a new user's keys, on a real SQLite file: import a seed
report (`i`), fill its publication date, add two actions under each recommendation through the
dialogs (`a`), watch the checklist go from "0 of N" to ready, record `submitted` (`l`), export
the board report (`x`). The report lists every action added, and the history names the user
who added each."""

from __future__ import annotations

from pathlib import Path
from typing import Any

from docx import Document
from textual.pilot import Pilot
from textual.widgets import Input, Static

from conftest import SEEDS, TODAY
from tests.support.tui import focus_on, make_app, move_to, notices, settle
from tracker.queries import action as action_reads
from tracker.queries import plan as plan_reads
from tracker.queries.session import SessionReader
from tracker.store import Store
from tracker.tui.dialogs.authoring import AddActionDialog
from tracker.tui.dialogs.export import ExportDialog
from tracker.tui.dialogs.importing import ImportDialog, ImportPreview
from tracker.tui.screens.plan import PlanScreen
from tracker.vocab import PlanStatus

HALTON = SEEDS / "halton-warrington-2009-cci-report.txt"
USER = "Tess Tester"


async def type_into(pilot: Pilot[Any], selector: str, text: str) -> None:
    await focus_on(pilot, pilot.app.screen.query_one(selector))
    await pilot.press(*text)


def checklist(app: Any) -> str:
    return str(app.screen.query_one("#checklist", Static).render())


async def test_from_the_published_report_to_a_submitted_plan_and_its_board_report(
    store: Store, tmp_path: Path
) -> None:
    app = make_app(store, user=USER)
    async with app.run_test(size=(120, 40)) as pilot:
        await settle(pilot)
        await pilot.press("i")
        assert isinstance(app.screen, ImportDialog)
        app.screen.query_one("#path", Input).value = str(HALTON)
        await pilot.press("ctrl+s")
        await settle(pilot)
        preview = app.screen
        assert isinstance(preview, ImportPreview), notices(app)
        await type_into(pilot, "#published", "12/10/2009")  # the report does not say
        await pilot.press("ctrl+s")
        await settle(pilot)
        screen = app.screen
        assert isinstance(screen, PlanScreen), notices(app)
        slug = screen.slug
        with store.read() as session:
            recs = [
                r.ref
                for r in plan_reads.plan_detail(SessionReader(session), slug, TODAY).recommendations
            ]
        assert len(recs) >= 3
        assert f"0 of {len(recs)} recommendations have actions" in checklist(app)
        # A freshly imported plan opens on its first recommendation without actions.
        assert screen.current_key() == f"r:{recs[0]}"

        added: list[str] = []
        for ref in recs:
            for n in (1, 2):
                await move_to(pilot, f"r:{ref}")
                await pilot.press("a")
                await settle(pilot)
                assert isinstance(app.screen, AddActionDialog), notices(app)
                await type_into(pilot, "#text", f"Action {n} for recommendation {ref}")
                await type_into(pilot, "#lead-role", "Head of Service")
                await type_into(pilot, "#lead", "Jo Manager")
                await type_into(pilot, "#target", f"{n + 10}/03/2010")
                await type_into(pilot, "#measure", f"Measure {ref}.{n} met")
                await pilot.press("ctrl+s")
                await settle(pilot)
                assert isinstance(app.screen, PlanScreen), notices(app)
                added.append(f"{ref}.{n}")
        assert "ready to submit" in checklist(app)

        await pilot.press("l")
        await settle(pilot)
        app.screen.query_one("#on", Input).value = "9 Nov 2009"
        await pilot.press("ctrl+s")
        await settle(pilot)
        assert isinstance(app.screen, PlanScreen), notices(app)  # ready: no confirmation
        header = str(app.screen.query_one("#plan-header", Static).render())
        assert "submitted on time 9 Nov 2009" in header

        out = tmp_path / "board.docx"
        await pilot.press("x")
        await settle(pilot)
        assert isinstance(app.screen, ExportDialog)
        app.screen.query_one("#path", Input).value = str(out)
        await pilot.press("ctrl+s")
        await settle(pilot)
        assert any(str(out) in n for n in notices(app)), notices(app)

    with store.read() as session:
        reader = SessionReader(session)
        detail = plan_reads.plan_detail(reader, slug, TODAY)
        assert detail.status is PlanStatus.SUBMITTED and detail.submitted_incomplete == []
        assert sorted(a.ref for a in detail.actions) == sorted(added)
        for ref in added:
            trail = action_reads.history(reader, f"{slug}/{ref}")
            assert {h.actor for h in trail if h.field == "added"} == {USER}, ref
    document = Document(str(out))
    words = "\n".join(p.text for p in document.paragraphs) + "\n".join(
        cell.text for table in document.tables for row in table.rows for cell in row.cells
    )
    for ref in added:
        head, n = ref.split(".")
        assert f"Action {n} for recommendation {head}" in words, ref
