"""Every word readable, every key honest (issue 15): what a manager or a YJB officer comes to
read is on screen whole somewhere, at 80x24 and at 120x40, and every key the footer, the help
panel or the README offers does what it says."""

from __future__ import annotations

from datetime import date
from pathlib import Path
from typing import Any

from sqlalchemy import select
from textual.widgets import Input, TextArea

from conftest import TODAY
from tests.support.signoffs import OFFICER, finish_4, sign_off_4
from tests.support.tui import (
    action,
    action_keys,
    focus_on,
    make_app,
    move_to,
    open_action,
    open_plan,
    screen_lines,
    screen_text,
    settle,
)
from tracker import services
from tracker.models import Evidence
from tracker.store import Store, open_store
from tracker.tui.screens.action import ActionScreen
from tracker.tui.screens.overdue import OverdueScreen
from tracker.tui.screens.plan import PlanScreen
from tracker.tui.widgets.footer import KeyFooter
from tracker.tui.widgets.keys_help import KeysHelp
from tracker.tui.widgets.table import FastTable
from tracker.vocab import ReviewState

LONG = (
    "Hold a fortnightly compliance panel at which case managers present every case with two "
    "unacceptable absences, to agree re-engagement work before a warning or breach; the panel "
    "records its decision on the case file, tells the child and the parent or carer in writing "
    "within two working days, reviews each case again at its next sitting, and reports the "
    "numbers seen, re-engaged and breached to the Management Board every quarter, by team"
)
"""A 400-character action: what a board member or a YJB officer must be able to read."""


def words(text: str) -> str:
    """Text with its line breaks and runs of spaces as single spaces."""
    return " ".join(text.split())


def region_text(app: Any, widget: Any) -> str:
    """What the terminal shows inside a widget's region, its lines joined."""
    x, y, width, height = widget.region
    lines = screen_lines(app)
    return words(" ".join(line[x : x + width] for line in lines[y : y + height]))


def footer_is_whole(app: Any) -> str:
    """The footer's line, checked to hold only whole keys: each ` key label ` it lays out is
    there in full, and nothing else but spaces and the palette's key."""
    line = screen_lines(app)[-1]
    footer = app.screen.query_one(KeyFooter)
    left = line.split("▏")[0]
    shown = " ".join(f"{k.display} {k.description}" for k in footer._keys[:-1])
    assert words(left) == words(shown), (left, shown)
    return line


def with_long_action(store: Store) -> None:
    services.update_action(
        store, "stockton-2010/3.2", "Tess Tester", TODAY, services.ActionChanges(text=LONG)
    )


# The plan screen -----------------------------------------------------------------------------


async def test_plan_words_take_the_free_width_and_the_cursors_row_reads_whole(
    loaded: Store,
) -> None:
    with_long_action(loaded)
    app = make_app(loaded)
    async with app.run_test(size=(120, 40)) as pilot:
        await open_plan(pilot, "stockton-2010")
        table = app.screen.query_one("#actions", FastTable)
        widths = {c.key: c.width for c in table.columns}
        assert widths["action"] >= 40, widths  # was 27 at 120 columns
        assert widths["action"] > 2 * widths.get("lead", 0), widths
        await move_to(pilot, "a:stockton-2010/3.2")
        await settle(pilot)
        pane = app.screen.query_one("#row-detail")
        assert LONG in region_text(app, pane)  # all 400 characters, on screen
        assert "Team Manager (Court and Custody)" in region_text(app, pane)  # the lead whole
        footer_is_whole(app)
        await pilot.resize_terminal(200, 50)
        await settle(pilot)
        widths = {c.key: c.width for c in table.columns}
        assert widths["owner"] <= len("Chair of the YOS Management Board [agreed]"), widths
        assert widths["action"] >= 90, widths


async def test_footer_holds_whole_keys_and_always_reload_and_quit(loaded: Store) -> None:
    app = make_app(loaded)
    async with app.run_test(size=(80, 24)) as pilot:
        await settle(pilot)
        for plan in ("stockton-2010", "cambridgeshire-2014"):
            await open_plan(pilot, plan)
            for size in ((80, 24), (120, 40)):
                await pilot.resize_terminal(*size)
                await settle(pilot)
                line = footer_is_whole(app)
                assert "r Reload" in line and "q Quit" in line, (plan, size, line)
                assert line.split()[:2] == ["?", "Help"]
            await pilot.press("escape")
            await settle(pilot)


async def test_o_on_home_shows_every_overdue_action_and_enter_opens_one(loaded: Store) -> None:
    app = make_app(loaded)
    async with app.run_test(size=(120, 40)) as pilot:
        await settle(pilot)
        await pilot.press("o")
        await settle(pilot)
        screen = app.screen
        assert isinstance(screen, OverdueScreen)
        table = screen.query_one("#overdue", FastTable)
        assert table.row_count == 8  # halton's seven and stockton's one
        text = screen_text(app)
        assert "halton-warrington-2009" in text and "320 days" in text
        assert "8 overdue actions in 2 plans" in text
        assert table.cursor_key == "halton-warrington-2009/2.2"  # the most overdue first
        await pilot.press("enter")
        await settle(pilot)
        assert isinstance(app.screen, ActionScreen)
        assert app.screen.ref == "halton-warrington-2009/2.2"
        await pilot.press("escape")
        await settle(pilot)
        assert app.screen is screen  # back to the overdue list


async def test_home_shows_whole_plan_ids_and_clocks_at_120(loaded: Store) -> None:
    app = make_app(loaded)
    async with app.run_test(size=(120, 40)) as pilot:
        await settle(pilot)
        text = screen_text(app)
        for whole in (
            "cambridgeshire-2014",
            "halton-warrington-2009",
            "due 21 May 2014 (report not yet published)",
            "submitted 24 Sep 2009, due unknown",
        ):
            assert whole in text, whole
        footer_is_whole(app)
        await pilot.resize_terminal(80, 24)
        await settle(pilot)
        assert "halton-warrington-2009" in screen_text(app)  # the id, which the CLI needs
        footer_is_whole(app)


async def test_o_keeps_the_readers_place_and_space_on_a_recommendation_selects_it(
    loaded: Store,
) -> None:
    app = make_app(loaded)
    async with app.run_test(size=(120, 40)) as pilot:
        await open_plan(pilot, "halton-warrington-2009")
        screen = app.screen
        assert isinstance(screen, PlanScreen)
        shown = action_keys(app)
        overdue = {a.id for a in screen.visible_actions() if a.overdue}
        # A row in the middle that is not overdue, with an overdue one after it.
        at = next(
            i
            for i, ref in enumerate(shown)
            if ref not in overdue and i > 0 and any(r in overdue for r in shown[i + 1 :])
        )
        after = next(r for r in shown[at + 1 :] if r in overdue)
        await move_to(pilot, f"a:{shown[at]}")
        await pilot.press("o")
        await settle(pilot)
        assert screen.current_action() == after  # not the first row
        await pilot.press("o")
        await settle(pilot)
        assert screen.current_action() == after
        await move_to(pilot, "r:1")
        await pilot.press("space")
        await settle(pilot)
        assert screen.selected == {a for a in shown if a.startswith("halton-warrington-2009/1.")}
        assert "selected" in screen_text(app)


# The action screen ---------------------------------------------------------------------------


async def test_a_reviewer_reads_a_400_character_action_and_can_scroll_it(
    loaded_path: Path,
) -> None:
    manager = open_store(loaded_path)
    with_long_action(manager)
    manager.dispose()
    store = open_store(loaded_path, reviewer=True)
    app = make_app(store, reviewer=True, user="Yasmin Officer (YJB)")
    async with app.run_test(size=(120, 40)) as pilot:
        screen = await open_action(pilot, "stockton-2010/3.2")
        assert not screen.query("#form")  # words to read, not a form
        fields = screen.query_one("#fields")
        assert LONG in region_text(app, fields)  # every word of it, on screen
        measure = action(store, "stockton-2010/3.2").success_measure
        assert words(measure) in region_text(app, fields)
        await pilot.resize_terminal(80, 24)
        await settle(pilot)
        scroll = screen.query_one("#details-scroll")
        assert scroll.focusable
        await focus_on(pilot, scroll)
        assert scroll.max_scroll_y > 0  # at 80x24 it scrolls, rather than being cut
        last = "review mode: the action cannot be edited"  # the last line, under the fields
        assert last not in region_text(app, scroll)
        await pilot.press("end")
        await settle(pilot)
        assert last in region_text(app, scroll)  # brought into view by the keys
    store.dispose()


async def test_details_show_the_owner_role_as_the_plan_does(loaded: Store) -> None:
    app = make_app(loaded)
    async with app.run_test(size=(120, 40)) as pilot:
        screen = await open_action(pilot, "stockton-2010/1.1")
        # The report stated it as "YOS Manager", an alias: the role's name is shown, as in
        # the plan table, the exports and the CLI.
        assert "Owner role Head of Service" in words(screen_text(app))
        await pilot.press("e")
        await settle(pilot)
        assert screen.query_one("#owner", Input).value == "Head of Service"
        await pilot.press("ctrl+s")
        await settle(pilot)
        assert "Nothing to save" in " ".join(str(n.message) for n in app._notifications)


async def test_a_note_dated_last_week_and_evidence_that_expires(loaded: Store) -> None:
    app = make_app(loaded)
    async with app.run_test(size=(120, 40)) as pilot:
        await open_action(pilot, "stockton-2010/3.2")
        await pilot.press("ctrl+n", *"Panel met: 9 cases")
        app.screen.query_one("#on", Input).value = "20/09/2010"  # after today: refused
        await pilot.press("ctrl+s")
        await settle(pilot)
        assert "has not happened yet" in screen_text(app)
        assert app.screen.query_one("#note", TextArea).text == "Panel met: 9 cases"  # kept
        app.screen.query_one("#on", Input).value = "7 Sep 2010"
        await pilot.press("ctrl+s")
        await settle(pilot)
        await pilot.press("ctrl+o")
        await settle(pilot)
        dialog = app.screen
        dialog.query_one("#title", Input).value = "DBS certificate"
        dialog.query_one("#reference", Input).value = "HR file 12"
        dialog.query_one("#expires", Input).value = "31 Mar 2011"
        await pilot.press("ctrl+s")
        await settle(pilot)
    detail = action(loaded, "stockton-2010/3.2")
    assert detail.updates[-1] == (date(2010, 9, 7), "Tess Tester", "Panel met: 9 cases")
    assert any(e.title == "DBS certificate" for e in detail.evidence)
    with loaded.read() as session:
        found = session.scalars(select(Evidence).where(Evidence.title == "DBS certificate"))
        assert found.one().expires_on == date(2011, 3, 31)


# Keys ----------------------------------------------------------------------------------------


async def test_help_lists_the_apps_keys_with_enter_and_not_the_widgets(loaded: Store) -> None:
    app = make_app(loaded)
    async with app.run_test(size=(120, 40)) as pilot:
        await open_plan(pilot, "stockton-2010")
        await pilot.press("question_mark")
        await settle(pilot)
        panel = app.screen.query_one(KeysHelp)
        text = region_text(app, panel)
        assert "Enter Open" in text and "q ^q Quit" in text and "r Reload" in text
        for widgets_own in ("Scroll Left", "Page Right", "Copy selected text", "Focus Next"):
            assert widgets_own not in text, widgets_own
        await pilot.press("enter")  # what the help says: the action opens
        await settle(pilot)
        assert isinstance(app.screen, ActionScreen)


async def test_escape_from_an_action_opened_from_the_palette_goes_to_its_plan(
    loaded: Store,
) -> None:
    app = make_app(loaded)
    async with app.run_test(size=(120, 40)) as pilot:
        await settle(pilot)
        await pilot.press("ctrl+p", *"stockton-2010/3.3")
        await pilot.pause(0.5)
        await pilot.press("enter")
        await settle(pilot)
        assert isinstance(app.screen, ActionScreen) and app.screen.ref == "stockton-2010/3.3"
        await pilot.press("escape")
        await settle(pilot)
        assert isinstance(app.screen, PlanScreen) and app.screen.slug == "stockton-2010"


async def test_a_theme_chosen_in_the_palette_is_remembered(loaded: Store, tmp_path: Path) -> None:
    config = tmp_path / "config.toml"
    config.write_text('user = "Tess Tester"\n\n[keymap]\n"plan.overdue" = "o"\n')
    app = make_app(loaded)
    app.settings = app.settings._replace(config_file=str(config))
    async with app.run_test(size=(120, 40)) as pilot:
        await settle(pilot)
        app.theme = "dracula"  # as the palette's "Theme" sets it
        await settle(pilot)
    assert config.read_text().splitlines() == [
        'theme = "dracula"',
        'user = "Tess Tester"',
        "",
        "[keymap]",
        '"plan.overdue" = "o"',
    ]


async def test_a_sign_off_shows_on_the_plan_and_the_dialog_warns_of_a_draft(
    loaded_path: Path,
) -> None:
    manager = open_store(loaded_path)
    reviewer = open_store(loaded_path, reviewer=True)
    sign_off_4(manager, reviewer)
    app = make_app(reviewer, reviewer=True, user=OFFICER)
    async with app.run_test(size=(120, 40)) as pilot:
        await open_plan(pilot, "stockton-2010")
        await move_to(pilot, "r:4")
        await settle(pilot)
        text = screen_text(app)
        assert "R4 ✓" in text  # the row says so
        assert f"signed off as implemented by {OFFICER}" in words(text)  # and the pane
        await pilot.press("escape")
        await open_plan(pilot, "cambridgeshire-2014")
        await pilot.press("g")
        await settle(pilot)
        assert "this plan is still draft" in words(screen_text(app))
    manager.dispose()
    reviewer.dispose()


async def test_the_sign_off_dialog_says_how_much_evidence_still_awaits_review(
    loaded_path: Path,
) -> None:
    # Stockton's evidence is loaded pending, and more is added to 4.2: a reviewer about to
    # sign off is told how many pieces they have not reviewed yet, by recommendation.
    manager = open_store(loaded_path)
    finish_4(manager)
    # Counted here with the ORM, apart from the screen's SQL.
    from tracker.models import Action, Plan, Recommendation

    with manager.read() as session:
        found = session.execute(
            select(Recommendation.ref)
            .join(Action, Action.recommendation_id == Recommendation.id)
            .join(Evidence, Evidence.action_id == Action.id)
            .join(Plan, Plan.id == Action.plan_id)
            .where(Plan.slug == "stockton-2010", Evidence.review == ReviewState.PENDING)
        ).scalars()
        pending: dict[str, int] = {}
        for ref in found:
            pending[ref] = pending.get(ref, 0) + 1
    assert pending.get("4", 0) >= 1
    reviewer = open_store(loaded_path, reviewer=True)
    app = make_app(reviewer, reviewer=True, user=OFFICER)
    async with app.run_test(size=(120, 40)) as pilot:
        await open_plan(pilot, "stockton-2010")
        await pilot.press("g")
        await settle(pilot)
        shown = words(screen_text(app))
        total = sum(pending.values())
        assert f"{total} pieces of evidence still pending your review" in shown, shown
        assert f"R4 ({pending['4']})" in shown
        assert len(pending) == 1 or ", " in shown  # every recommendation listed
    manager.dispose()
    reviewer.dispose()


async def test_a_manager_sees_a_signed_off_action_read_only_and_why(loaded_path: Path) -> None:
    # Issue 15: the manager's form stayed editable until the save was refused, and a note
    # typed into it was lost. Now it says why it cannot change, and offers no key that writes.
    manager = open_store(loaded_path)
    reviewer = open_store(loaded_path, reviewer=True)
    sign_off_4(manager, reviewer)
    app = make_app(manager)
    async with app.run_test(size=(120, 40)) as pilot:
        screen = await open_action(pilot, "stockton-2010/4.1")
        shown = words(screen_text(app))
        assert "Recommendation 4 was signed off as implemented on" in shown, shown
        assert f"by {OFFICER}: its actions cannot change unless the YJB withdraws" in shown
        await pilot.press("e")  # no form is offered
        await settle(pilot)
        assert not screen.query("#form")
        keys = {b.binding.action for b in screen.active_bindings.values() if b.enabled}
        assert not {"edit", "save", "add_note", "add_evidence"} & keys
        assert "Save" not in screen_lines(app)[-1]
        await pilot.press("ctrl+n")  # a note's dialog is not offered either
        await settle(pilot)
        assert app.screen is screen
        # Once the YJB withdraws the sign-off, a reload gives the form back.
        services.withdraw_sign_off(reviewer, "stockton-2010", "4", OFFICER, "more to do")
        screen.reload()
        await settle(pilot)
        assert "signed off" not in words(screen_text(app))
        await pilot.press("e")
        await settle(pilot)
        assert not screen.query_one("#progress", Input).disabled
        assert not screen.query_one("#text", TextArea).read_only
    manager.dispose()
    reviewer.dispose()


async def test_home_pane_shows_the_plans_next_actions_due_and_latest_note(loaded: Store) -> None:
    # Issue 15: the home screen's empty rows. Under the list, the plan under the cursor's
    # next open actions by target date and its latest progress note (read here with the ORM).
    from tracker.models import Action, Plan, ProgressUpdate
    from tracker.text import uk_day
    from tracker.tui.widgets.table import FastTable
    from tracker.vocab import ActionStatus

    with loaded.read() as session:
        due = session.scalars(
            select(Action)
            .join(Plan)
            .where(
                Plan.slug == "stockton-2010",
                Action.status != ActionStatus.COMPLETE,
                Action.withdrawn_on.is_(None),
                Action.target_on.is_not(None),
            )
            .order_by(Action.target_on, Action.id)
            .limit(3)
        ).all()
        first = (due[0].ref, uk_day(due[0].target_on))
        note = session.scalars(
            select(ProgressUpdate)
            .join(Action)
            .join(Plan)
            .where(Plan.slug == "stockton-2010")
            .order_by(ProgressUpdate.on.desc(), ProgressUpdate.id.desc())
        ).first()
        assert note is not None
        latest = (note.action.ref, uk_day(note.on), note.author)
    app = make_app(loaded)
    async with app.run_test(size=(120, 40)) as pilot:
        await settle(pilot)
        plans = app.screen.query_one("#plans", FastTable)
        plans.move_cursor(row=plans.get_row_index("stockton-2010"))
        await settle(pilot)
        shown = words(screen_text(app))
        assert f"Next due: {first[0]} {first[1]} " in shown, shown
        for action in due:  # each on its line, soonest first; one already past says so
            late = "overdue " if action.target_on < TODAY else ""
            assert f" {action.ref} {uk_day(action.target_on)} {late}" in shown, shown
        assert any(a.target_on < TODAY for a in due)  # the sample has one: the test can fail
        assert f"Latest note: {latest[0]}, {latest[1]}, {latest[2]}:" in shown, shown
