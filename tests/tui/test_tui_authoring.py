"""Writing the plan from its screen, as a user does it with keys: `a` adds an action, `A` a
recommendation, `e` edits one, `d` withdraws a row (and restores a withdrawn one), `p` edits the
plan's details; each dialog checks its fields and keeps what was typed when a save is refused.
Driven with Pilot on a real SQLite file."""

from __future__ import annotations

import threading
from datetime import date
from typing import Any

from textual.pilot import Pilot
from textual.widgets import Input, Select, Static, TextArea

from conftest import TODAY
from tests.support.tui import (
    action,
    cell,
    focus_on,
    keys_of,
    make_app,
    move_to,
    notices,
    open_plan,
    screen_text,
    settle,
    table,
)
from tracker import services
from tracker.queries import plan as plan_reads
from tracker.queries.session import SessionReader
from tracker.services import TEXT_AFTER_AGREEMENT, PlanChanges
from tracker.store import Store
from tracker.tui.dialogs.authoring import AddActionDialog, RecommendationDialog, WithdrawDialog
from tracker.tui.dialogs.confirm import ConfirmDialog
from tracker.tui.dialogs.plan_details import PlanDetailsDialog
from tracker.tui.screens import plan_base
from tracker.tui.screens.plan import PlanScreen
from tracker.vocab import ActionStatus, Response

DRAFT = "cambridgeshire-2014"
"""A draft plan: R1-R3 with eight actions; 2.3 has no target date."""


def read_plan(store: Store, slug: str) -> plan_reads.PlanDetail:
    with store.read() as session:
        return plan_reads.plan_detail(SessionReader(session), slug, TODAY)


async def type_into(pilot: Pilot[Any], selector: str, text: str) -> None:
    """Give a field the focus and type `text` into it, key by key, as a user does."""
    widget = pilot.app.screen.query_one(selector)
    await focus_on(pilot, widget)
    await pilot.press(*text)


def error_line(app: Any) -> str:
    return str(app.screen.query_one("#dialog-error", Static).render())


def status_line(app: Any) -> str:
    return str(app.screen.query_one("#status-line", Static).render())


def checklist_text(app: Any) -> str:
    return str(app.screen.query_one("#checklist", Static).render())


# Adding ---------------------------------------------------------------------------------------


async def test_a_adds_two_actions_under_the_recommendation_the_cursor_is_on(
    loaded: Store,
) -> None:
    app = make_app(loaded)
    async with app.run_test(size=(120, 40)) as pilot:
        await open_plan(pilot, DRAFT)
        await move_to(pilot, "r:2")
        await pilot.press("a")
        await settle(pilot)
        dialog = app.screen
        assert isinstance(dialog, AddActionDialog)
        assert "recommendation 2" in screen_text(app)
        await type_into(pilot, "#text", "Audit ten cases for previous convictions")
        await type_into(pilot, "#lead-role", "head of s")
        await pilot.press("right")  # takes the role suggested
        assert dialog.query_one("#lead-role", Input).value == "Head of Service"
        await type_into(pilot, "#lead", "Anna Jack")
        await type_into(pilot, "#target", "30/06/2014")
        await type_into(pilot, "#measure", "Ten audits on file")
        await pilot.press("ctrl+s")
        await settle(pilot)
        assert isinstance(app.screen, PlanScreen)
        assert app.screen.current_key() == f"a:{DRAFT}/2.4"  # the cursor on the new action
        assert f"Added action {DRAFT}/2.4" in notices(app)
        # The cursor is on 2.4 now: `a` adds under its recommendation again.
        await pilot.press("a")
        await settle(pilot)
        await type_into(pilot, "#text", "Report the audit to the board")
        await type_into(pilot, "#start", "1 Jul 2014")
        await type_into(pilot, "#target", "2014-07-31")
        app.screen.query_one("#status", Select).value = ActionStatus.IN_PROGRESS.value
        await pilot.press("ctrl+s")
        await settle(pilot)
        assert app.screen.current_key() == f"a:{DRAFT}/2.5"
        assert "10 of 10 actions" in status_line(app)
    first = action(loaded, f"{DRAFT}/2.4")
    assert first.row.text == "Audit ten cases for previous convictions"
    assert (first.row.owner, first.row.lead) == ("Head of Service", "Anna Jack")
    assert first.row.target == date(2014, 6, 30) and first.success_measure == "Ten audits on file"
    second = action(loaded, f"{DRAFT}/2.5")
    assert (second.row.start, second.row.target) == (date(2014, 7, 1), date(2014, 7, 31))
    assert second.row.status is ActionStatus.IN_PROGRESS and second.row.owner is None
    assert {h.actor for h in second.history} == {"Tess Tester"}


async def test_A_adds_a_recommendation_and_a_response_not_agreed_needs_its_reason(
    loaded: Store,
) -> None:
    app = make_app(loaded)
    async with app.run_test(size=(120, 40)) as pilot:
        await open_plan(pilot, DRAFT)
        await pilot.press("A")
        await settle(pilot)
        dialog = app.screen
        assert isinstance(dialog, RecommendationDialog)
        await type_into(pilot, "#text", "Share risk plans with schools")
        await type_into(pilot, "#owners", "Head of Service; Education Liaison Officer")
        dialog.query_one("#response", Select).value = Response.PARTLY_AGREED.value
        await pilot.press("ctrl+s")
        await settle(pilot)
        assert app.screen is dialog  # refused by the form: nothing saved, all kept
        assert error_line(app) == "Reason: a response of 'partly agreed' needs a reason"
        assert dialog.query_one("#reason", TextArea).has_class("-invalid")
        assert dialog.query_one("#text", TextArea).text == "Share risk plans with schools"
        await type_into(pilot, "#reason", "Schools set their own policy")
        await pilot.press("ctrl+s")
        await settle(pilot)
        assert isinstance(app.screen, PlanScreen)
        assert app.screen.current_key() == "r:4"
        assert "3 of 4 recommendations have actions" in checklist_text(app)
    rec = next(r for r in read_plan(loaded, DRAFT).recommendations if r.ref == "4")
    assert rec.text == "Share risk plans with schools"
    assert rec.owners == ["Head of Service", "Education Liaison Officer"]
    assert (rec.response, rec.response_reason) == ("partly agreed", "Schools set their own policy")


# Editing --------------------------------------------------------------------------------------


async def test_e_edits_a_recommendation_and_asks_before_changing_an_agreed_ones_words(
    loaded: Store,
) -> None:
    """stockton-2010 is past agreement: changing a recommendation's words asks first
    (`NeedsConfirmation`), and is recorded as a change after agreement."""
    app = make_app(loaded)
    async with app.run_test(size=(120, 40)) as pilot:
        await open_plan(pilot, "stockton-2010")
        await move_to(pilot, "r:2")
        await pilot.press("e")
        await settle(pilot)
        dialog = app.screen
        assert isinstance(dialog, RecommendationDialog)
        area = dialog.query_one("#text", TextArea)
        before = area.text
        await focus_on(pilot, area)
        area.move_cursor(area.document.end)
        await pilot.press(*" (reworded)")
        await pilot.press("ctrl+s")
        await settle(pilot)
        confirm = app.screen
        assert isinstance(confirm, ConfirmDialog)
        assert "will be marked in the next board report" in confirm.question
        await pilot.press("y")
        await settle(pilot)
        assert isinstance(app.screen, PlanScreen)
        assert any(n.startswith("Saved recommendation 2") for n in notices(app))
        # `e` on an action opens its own screen, its form showing; Enter opens it to read.
        await move_to(pilot, "a:stockton-2010/2.1")
        await pilot.press("e")
        await settle(pilot)
        assert getattr(app.screen, "ref", None) == "stockton-2010/2.1"
        assert getattr(app.screen, "editing", None) is True
        await pilot.press("escape")
        await settle(pilot)
        await pilot.press("enter")
        await settle(pilot)
        assert getattr(app.screen, "ref", None) == "stockton-2010/2.1"
        assert getattr(app.screen, "editing", None) is False
    rec = next(r for r in read_plan(loaded, "stockton-2010").recommendations if r.ref == "2")
    assert rec.text == before + " (reworded)"
    with loaded.read() as session:
        from tracker.models import AuditEvent

        fields = {
            e.field
            for e in session.query(AuditEvent).filter_by(
                entity="recommendation", actor="Tess Tester"
            )
        }
    assert TEXT_AFTER_AGREEMENT in fields


async def test_p_edits_the_publication_date_and_says_where_the_clock_moves(loaded: Store) -> None:
    app = make_app(loaded)
    async with app.run_test(size=(120, 40)) as pilot:
        await open_plan(pilot, DRAFT)
        await pilot.press("p")
        await settle(pilot)
        dialog = app.screen
        assert isinstance(dialog, PlanDetailsDialog)
        published = dialog.query_one("#published", Input)
        await focus_on(pilot, published)
        await pilot.press("ctrl+a", "ctrl+k", *"30/04/2014")
        await settle(pilot)
        assert "Submission due: 28 May 2014" in screen_text(app)  # shown as typed
        await pilot.press("ctrl+s")
        await settle(pilot)
        confirm = app.screen
        assert isinstance(confirm, ConfirmDialog)
        assert "four-week clock moves" in confirm.question
        assert "due with HMIP on 28 May 2014 (it was due on 21 May 2014)" in confirm.question
        await pilot.press("y")
        await settle(pilot)
        assert isinstance(app.screen, PlanScreen)
        header = str(app.screen.query_one("#plan-header", Static).render())
        assert "published 30 Apr 2014" in header and "due 28 May 2014" in header
    assert read_plan(loaded, DRAFT).published == date(2014, 4, 30)


async def test_a_plan_changed_by_someone_else_is_said_and_saved_over_only_when_asked_again(
    loaded: Store,
) -> None:
    app = make_app(loaded)
    async with app.run_test(size=(120, 40)) as pilot:
        await open_plan(pilot, DRAFT)
        await pilot.press("p")
        await settle(pilot)
        services.edit_plan(loaded, DRAFT, "Someone Else", PlanChanges(title="Their title"))
        await type_into(pilot, "#area", "")
        await pilot.press("end", *" and Peterborough")  # the field selects all when focused
        await pilot.press("ctrl+s")
        await settle(pilot)
        assert isinstance(app.screen, PlanDetailsDialog)
        said = error_line(app)
        assert "changed by someone else" in said and "ctrl+s again saves yours" in said
        assert read_plan(loaded, DRAFT).area == "Cambridgeshire"  # nothing saved yet
        await pilot.press("ctrl+s")
        await settle(pilot)
        assert isinstance(app.screen, PlanScreen)
    saved = read_plan(loaded, DRAFT)
    assert saved.area == "Cambridgeshire and Peterborough"
    assert saved.title == "Their title"  # theirs kept: only the area was changed


# Refusals keep what was typed -----------------------------------------------------------------


async def test_a_refused_save_shows_why_in_the_dialog_and_keeps_what_was_typed(
    loaded: Store,
) -> None:
    app = make_app(loaded)
    async with app.run_test(size=(120, 40)) as pilot:
        await open_plan(pilot, DRAFT)
        await move_to(pilot, "r:3")
        await pilot.press("a")
        await settle(pilot)
        dialog = app.screen
        assert isinstance(dialog, AddActionDialog)
        await type_into(pilot, "#text", "Check review dates weekly")
        await type_into(pilot, "#start", "1 Aug 2014")
        await type_into(pilot, "#target", "31/07/2014")
        await pilot.press("ctrl+s")  # the form refuses: the target is before the start
        await settle(pilot)
        assert error_line(app).startswith("Target date: 31 Jul 2014 is before the start date")
        assert dialog.query_one("#target", Input).has_class("-invalid")
        target = dialog.query_one("#target", Input)
        target.value = "31/02/2015"
        await pilot.press("ctrl+s")
        await settle(pilot)
        assert error_line(app).startswith("Target date:") and "31/02/2015" in error_line(app)
        target.value = "30 Sep 2014"
        dialog.query_one("#lead-role", Input).value = "x" * 300
        await pilot.press("ctrl+s")  # the service refuses: the role's name is too long
        await settle(pilot)
        assert app.screen is dialog
        assert "the lead role is 300 characters long" in error_line(app)
        assert dialog.query_one("#text", TextArea).text == "Check review dates weekly"
        assert dialog.query_one("#start", Input).value == "1 Aug 2014"
        dialog.query_one("#lead-role", Input).value = "Head of Service"
        await pilot.press("ctrl+s")
        await settle(pilot)
        assert isinstance(app.screen, PlanScreen)
    assert action(loaded, f"{DRAFT}/3.4").row.target == date(2014, 9, 30)


# Withdrawing and restoring --------------------------------------------------------------------


async def test_d_withdraws_an_action_and_d_on_the_withdrawn_row_restores_it(
    loaded: Store,
) -> None:
    ref = f"{DRAFT}/2.3"
    app = make_app(loaded)
    async with app.run_test(size=(120, 40)) as pilot:
        await open_plan(pilot, DRAFT)
        await move_to(pilot, f"a:{ref}")
        await pilot.press("d")
        await settle(pilot)
        dialog = app.screen
        assert isinstance(dialog, WithdrawDialog)
        await pilot.press("enter")  # no reason yet
        assert error_line(app) == "Reason: say why it is withdrawn"
        await pilot.press(*"Covered by 1.1")
        await pilot.press("enter")
        await settle(pilot)
        assert isinstance(app.screen, PlanScreen)
        assert f"a:{ref}" not in keys_of(app)
        assert "7 of 7 actions · 1 withdrawn (w shows)" in status_line(app)
        header = str(app.screen.query_one("#plan-header", Static).render())
        assert "7 actions" in header  # out of the counts
        await pilot.press("w")  # show the withdrawn rows, dimmed
        await settle(pilot)
        assert "1 withdrawn shown" in status_line(app)
        shown = cell(table(app, "#actions"), f"wa:{ref}", "action")
        assert shown.endswith("· withdrawn 15 Sep 2010: Covered by 1.1")
        await move_to(pilot, f"wa:{ref}")
        await pilot.press("d")
        await settle(pilot)
        confirm = app.screen
        assert isinstance(confirm, ConfirmDialog) and "Restore action 2.3" in confirm.question
        await pilot.press("y")
        await settle(pilot)
        assert app.screen.current_key() == f"a:{ref}"  # type: ignore[attr-defined]
        assert "8 of 8 actions" in status_line(app)
    restored = action(loaded, ref)
    assert restored.row.withdrawn is None
    assert {h.field for h in restored.history} >= {"withdrawn_on", "withdrawn_reason"}


async def test_a_plan_read_overtaken_by_a_newer_one_is_never_shown_over_it(
    loaded: Store, monkeypatch: Any
) -> None:
    """Two reads of the plan at once, as when the screen comes back from a dialog (one read)
    just as the write the dialog asked for ends (another): the older one, finishing last,
    showed the plan from before the write and took the cursor's place from it (an action just
    restored was shown withdrawn, the cursor on the first row)."""
    ref = f"{DRAFT}/2.3"
    app = make_app(loaded)
    async with app.run_test(size=(120, 40)) as pilot:
        await open_plan(pilot, DRAFT)
        screen = app.screen
        assert isinstance(screen, PlanScreen) and f"a:{ref}" in keys_of(app)
        read_real = plan_base.plan_detail
        held, returned = threading.Event(), threading.Event()
        calls: list[int] = []

        def held_once(*args: Any) -> Any:
            found = read_real(*args)
            calls.append(1)
            if len(calls) == 1:
                held.wait(10)  # read before the write, and held past the newer read
                returned.set()
            return found

        monkeypatch.setattr(plan_base, "plan_detail", held_once)
        screen.action_reload()  # the older read: the action still there
        await pilot.pause(0.1)
        services.withdraw_action(loaded, ref, "Someone Else", TODAY, "Covered by 1.1")
        screen.cursor_to = "a:" + f"{DRAFT}/1.2"
        screen.action_reload()  # the newer read: the action withdrawn
        for _ in range(250):  # (not `settle`: it would wait for the held read)
            await pilot.pause(0.02)
            if len(calls) == 2 and f"a:{ref}" not in keys_of(app):
                break
        assert f"a:{ref}" not in keys_of(app)
        held.set()
        assert returned.wait(10)
        for _ in range(10):
            await pilot.pause(0.05)
        assert f"a:{ref}" not in keys_of(app)  # the older read was not shown over the newer
        assert screen.current_key() == "a:" + f"{DRAFT}/1.2"


async def test_d_withdraws_a_recommendation_with_its_actions(loaded: Store) -> None:
    app = make_app(loaded)
    async with app.run_test(size=(120, 40)) as pilot:
        await open_plan(pilot, DRAFT)
        await move_to(pilot, "r:3")
        await pilot.press("d")
        await settle(pilot)
        assert "Its 3 actions are withdrawn with it" in screen_text(app)
        await pilot.press(*"Merged into R2", "enter")
        await settle(pilot)
        assert "5 of 5 actions · 4 withdrawn (w shows)" in status_line(app)
        assert "2 of 2 recommendations have actions" in checklist_text(app)
        detail = read_plan(loaded, DRAFT)
        assert [r.ref for r in detail.withdrawn_recommendations] == ["3"]
        assert len(detail.withdrawn_actions) == 3
        await pilot.press("w")
        await settle(pilot)
        assert keys_of(app)[-4:] == ["wr:3", *(f"wa:{DRAFT}/3.{n}" for n in (1, 2, 3))]
        await move_to(pilot, "wr:3")
        await pilot.press("a")  # nothing is added under a withdrawn recommendation
        await settle(pilot)
        assert isinstance(app.screen, PlanScreen)
        assert "Recommendation 3 is withdrawn: d on it restores it" in notices(app)
        await pilot.press("d")
        await settle(pilot)
        confirm = app.screen
        assert isinstance(confirm, ConfirmDialog)
        assert "Merged into R2" in confirm.detail and "come back with it" in confirm.detail
        await pilot.press("y")
        await settle(pilot)
        assert "8 of 8 actions" in status_line(app)
    assert read_plan(loaded, DRAFT).withdrawn_actions == []
