"""What the TUI shows: dates the UK way, evidence with its fingerprint and reviewer, a hint
on an empty database, the demo's notice, and stored text made safe; and the TUI's imports."""

from __future__ import annotations

import re
from pathlib import Path

from sqlalchemy import text
from textual.widgets import Input

from conftest import ROOT, TODAY
from tests.support.tui import make_app, open_action, open_plan, screen_lines, screen_text, settle
from tracker import services
from tracker.queries import action as action_reads
from tracker.queries.session import SessionReader
from tracker.services import ActionChanges
from tracker.store import Store, open_store
from tracker.tui.screens.plan import PlanScreen
from tracker.vocab import ReviewState


async def test_dates_are_shown_the_uk_way(loaded: Store) -> None:
    services.update_action(
        loaded, "stockton-2010/3.2", "Tess Tester", TODAY, ActionChanges(progress=65)
    )
    app = make_app(loaded)
    async with app.run_test(size=(120, 40)) as pilot:
        await settle(pilot)
        assert "today 15 Sep 2010" in screen_text(app)
        await open_plan(pilot, "stockton-2010")
        lines = screen_lines(app)
        assert "published 6 Jan 2010" in lines[1] and "submitted on time 2 Feb 2010" in lines[1]
        assert "monitoring since 1 Mar 2010 (submitted 2 Feb 2010; agreed 22 Feb 2010)" in lines[3]
        row = next(line for line in lines if line.startswith(" 3.2"))
        assert "31 Dec 2010" in row
        await open_action(pilot, "stockton-2010/3.2")
        assert re.search(r"Start date +1 Mar 2010", screen_text(app))
        await pilot.press("2")
        await pilot.pause()
        assert "10 Aug 2010" in screen_text(app)
        await pilot.press("4")
        await pilot.pause()
        history = next(line for line in screen_lines(app) if "Progress %" in line)
        assert re.match(r" \d{1,2} [A-Z][a-z]{2} 20\d\d \d\d:\d\d  ", history), history


async def test_an_empty_database_says_what_to_do_in_80_columns(store: Store) -> None:
    app = make_app(store)
    async with app.run_test(size=(80, 24)) as pilot:
        await settle(pilot)
        hint = screen_lines(app)[-2]
        assert "No plans yet" in hint and "tracker demo" in hint and "press i" in hint
        assert len(hint) <= 80 and screen_lines(app)[-3].strip() == ""  # one whole line


async def test_the_evidence_tab_shows_a_files_fingerprint_and_size(
    loaded: Store, tmp_path: Path
) -> None:
    proof = tmp_path / "audit.txt"
    proof.write_bytes(b"Case file audit: 20 cases, 18 with a risk plan\n" * 40)
    services.add_evidence(loaded, "stockton-2010/3.2", "Tess Tester", "Audit", file=proof)
    with loaded.read() as session:
        item = action_reads.evidence_of(SessionReader(session), "stockton-2010/3.2")[-1]
    assert item.sha256 is not None
    app = make_app(loaded)
    async with app.run_test(size=(120, 40)) as pilot:
        await open_action(pilot, "stockton-2010/3.2")
        await pilot.press("3", "down")
        await pilot.pause()
        row = next(line for line in screen_lines(app) if line.startswith(" Audit"))
        assert f"{item.sha256[:12]} 1.9 kB" in row  # 1,920 bytes
        assert f"File: SHA-256 {item.sha256} · 1.9 kB" in screen_text(app)


async def test_the_demo_notice_shows_where_its_database_is(loaded: Store) -> None:
    notice = "Demo database /tmp/tracker-demo-x/demo.db: deleted when you quit"
    app = make_app(loaded, notice=notice)
    async with app.run_test(size=(80, 24)) as pilot:
        await settle(pilot)
        assert "Demo database /tmp/tracker-demo-x/demo.db" in screen_text(app)
        assert "deleted when you quit" in screen_text(app)


async def test_the_evidence_tab_names_the_reviewer(loaded_path: Path) -> None:
    reviewer = open_store(loaded_path, reviewer=True)
    with reviewer.read() as session:
        item = action_reads.evidence_of(SessionReader(session), "stockton-2010/3.2")[0]
    from tracker.services import review_evidence

    review_evidence(reviewer, item.id, "Yasmin Officer (YJB)", ReviewState.QUERIED, TODAY, "Q2?")
    reviewer.dispose()
    store = open_store(loaded_path)
    app = make_app(store)
    async with app.run_test(size=(120, 40)) as pilot:
        await open_action(pilot, "stockton-2010/3.2")
        await pilot.press("3")
        await pilot.pause()
        row = next(line for line in screen_lines(app) if "Compliance data" in line)
        assert "queried" in row and "Yasmin Officer (YJB)" in row
        assert "Review: queried by Yasmin Officer (YJB): Q2?" in screen_text(app)
    store.dispose()


EVIL = "Evil\x1b[2J\x9b2J"


async def test_stored_control_characters_are_shown_neutralised(loaded: Store) -> None:
    with loaded.write() as session:
        plan = "(SELECT id FROM plans WHERE slug = 'stockton-2010')"
        session.execute(
            text(f"UPDATE actions SET lead = :evil WHERE ref = '3.2' AND plan_id = {plan}"),
            {"evil": EVIL},
        )
        session.execute(
            text(
                "UPDATE inspections SET area = :evil WHERE id = "
                "(SELECT inspection_id FROM plans WHERE slug = 'stockton-2010')"
            ),
            {"evil": f"Stockton {EVIL}"},
        )
    app = make_app(loaded)
    async with app.run_test(size=(200, 50)) as pilot:
        await settle(pilot)
        for shown in (screen_text(app),):
            assert "Stockton Evil␛[2J\\x9b2J" in shown
        await open_plan(pilot, "stockton-2010")
        plan_text = screen_text(app)
        assert "Evil␛[2J\\x9b2J" in plan_text and "Stockton Evil␛[2J" in plan_text
        screen = await open_action(pilot, "stockton-2010/3.2")
        assert re.search(r"Named lead +Evil␛\[2J\\x9b2J", screen_text(app))
        await pilot.press("e")  # the form shows what the read view showed
        await settle(pilot)
        assert screen.query_one("#lead", Input).value == "Evil␛[2J\\x9b2J"
        for shown in (screen_text(app), app.export_screenshot()):
            assert "\x1b" not in shown and "\x9b" not in shown
        await pilot.press("escape")  # nothing edited: the stored text is left as it was
        await settle(pilot)
        assert isinstance(app.screen, PlanScreen)
    with loaded.read() as session:
        assert (
            action_reads.action_detail(SessionReader(session), "stockton-2010/3.2", TODAY).row.lead
            == EVIL
        )


def test_tui_modules_import_neither_sqlalchemy_nor_the_models() -> None:
    import ast

    root = ROOT / "tracker" / "tui"
    found = []
    for path in sorted(root.rglob("*.py")):
        for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
            names: list[str] = []
            if isinstance(node, ast.Import):
                names = [alias.name for alias in node.names]
            elif isinstance(node, ast.ImportFrom):
                module = node.module or ""
                names = [module] + [f"{module}.{alias.name}" for alias in node.names]
            for name in names:
                if name.split(".")[0] == "sqlalchemy" or name.startswith("tracker.models"):
                    found.append(f"{path.relative_to(root)}: {name}")
    assert found == []
    assert len(list(root.rglob("*.py"))) >= 10  # the scan saw the package
