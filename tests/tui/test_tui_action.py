"""The action screen driven by keys with Pilot: its fields read, then edited in a form built
when asked for (`e`, or a click on a field); validate, save, refusals shown, notes and
evidence, and a concurrent change caught as a conflict with both values shown."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest
from sqlalchemy import select
from textual.pilot import Pilot
from textual.widgets import DataTable, Input, Select, Static, TabbedContent, TextArea

from conftest import TODAY
from tests.support.tui import (
    action,
    make_app,
    move_to,
    open_action,
    open_plan,
    screen_lines,
    screen_text,
    settle,
    table,
)
from tracker import services
from tracker.models import AuditEvent
from tracker.store import Store
from tracker.tui.dialogs.action import ConflictDialog
from tracker.tui.dialogs.confirm import ConfirmDialog
from tracker.tui.screens.action import ActionScreen
from tracker.tui.screens.plan import PlanScreen
from tracker.tui.widgets.keys_help import KeysHelp

FORM_FIELDS = (Input, Select, TextArea)
"""The form's kinds of field: none of them is built until the user edits."""


def form_widgets(screen: ActionScreen) -> list[object]:
    return [w for kind in FORM_FIELDS for w in screen.query(kind)]


async def edit(pilot: Pilot[Any], ref: str) -> ActionScreen:
    """The action open, and its form shown by the edit key."""
    screen = await open_action(pilot, ref)
    await pilot.press("e")
    await settle(pilot)
    assert screen.editing
    return screen


async def test_edit_and_save_an_action_with_history(loaded: Store) -> None:
    app = make_app(loaded)
    async with app.run_test(size=(120, 40)) as pilot:
        await open_plan(pilot, "stockton-2010")
        await move_to(pilot, "a:stockton-2010/3.2")
        await pilot.press("enter")
        await settle(pilot)
        screen = app.screen
        assert isinstance(screen, ActionScreen)
        await pilot.press("e")
        await settle(pilot)
        screen.query_one("#progress", Input).value = "85"
        screen.query_one("#target", Input).value = "31/01/2011"
        screen.query_one("#status", Select).value = "in progress"
        await pilot.press("ctrl+s")
        await settle(pilot)
        assert not screen.editing  # saved: the fields read again, as stored
        assert "31 Jan 2011" in screen_text(app)
        await screen.action_show_tab("history")  # its list is built when first shown
        await settle(pilot)
        history = table(app, "#history-table")
        fields = {str(history.get_row_at(i)[2]) for i in range(history.row_count)}
        assert {"Progress %", "Target date"} <= fields  # named as the form names them
        await pilot.press("escape")  # nothing unsaved: straight back
        await settle(pilot)
        assert isinstance(app.screen, PlanScreen)
    detail = action(loaded, "stockton-2010/3.2")
    assert (detail.row.progress, detail.row.target.isoformat()) == (85, "2011-01-31")  # type: ignore[union-attr]


@pytest.mark.parametrize(
    ("field", "value", "message"),
    [
        ("target", "2026-02-30", "Target date"),
        ("progress", "lots", "Progress %: 'lots' is not a whole number"),
        ("progress", "130", "Progress %: give a number from 0 to 100"),
        ("text", "", "Action: the action's text cannot be empty"),
    ],
)
async def test_invalid_fields_say_what_is_wrong_and_save_nothing(
    loaded: Store, field: str, value: str, message: str
) -> None:
    app = make_app(loaded)
    async with app.run_test(size=(120, 40)) as pilot:
        screen = await edit(pilot, "stockton-2010/3.2")
        if field == "text":
            screen.query_one("#text", TextArea).load_text(value)
        else:
            screen.query_one(f"#{field}", Input).value = value
        await pilot.press("ctrl+s")
        await settle(pilot)
        assert message in str(screen.query_one("#form-error", Static).render())
        if field != "text":
            assert screen.query_one(f"#{field}").has_class("-invalid")
        await pilot.press("escape")
        assert isinstance(app.screen, ConfirmDialog)  # unsaved changes: asked first
        await pilot.press("y")
    assert action(loaded, "stockton-2010/3.2").row.version == 1


async def test_service_refusal_is_shown_not_raised(loaded: Store) -> None:
    app = make_app(loaded)
    async with app.run_test(size=(120, 40)) as pilot:
        screen = await edit(pilot, "stockton-2010/3.2")
        screen.query_one("#override", Select).value = "green"
        await pilot.press("ctrl+s")
        await settle(pilot)
        assert "needs a reason" in str(screen.query_one("#form-error", Static).render())
        screen.query_one("#override_reason", Input).value = "Police data now flowing"
        await pilot.press("ctrl+s")
        await settle(pilot)
    detail = action(loaded, "stockton-2010/3.2")
    assert detail.brag_override is not None and detail.row.brag.overridden


async def test_add_note_and_evidence_file(loaded: Store, tmp_path: Path) -> None:
    proof = tmp_path / "panel-minutes.txt"
    proof.write_text("Compliance panel, 14 September: 12 cases reviewed")
    app = make_app(loaded)
    async with app.run_test(size=(120, 40)) as pilot:
        await open_action(pilot, "stockton-2010/3.2")
        await pilot.press("ctrl+n")
        await pilot.press(*"Panel reviewed 12 cases")
        await pilot.press("ctrl+s")
        await settle(pilot)
        updates = table(app, "#updates-table")
        assert str(updates.get_row_at(0)[2]) == "Panel reviewed 12 cases"
        await pilot.press("ctrl+o")
        dialog = app.screen
        dialog.query_one("#title", Input).value = "Panel minutes"
        dialog.query_one("#file", Input).value = str(proof)
        await pilot.press("ctrl+s")
        await settle(pilot)
        evidence = table(app, "#evidence-table")
        titles = [str(evidence.get_row_at(i)[0]) for i in range(evidence.row_count)]
        assert "Panel minutes" in titles
    detail = action(loaded, "stockton-2010/3.2")
    assert any(e.sha256 and e.where == str(proof.resolve()) for e in detail.evidence)
    assert detail.updates[-1][1:] == ("Tess Tester", "Panel reviewed 12 cases")


async def test_conflict_shows_both_values_and_keep_mine_saves(loaded: Store) -> None:
    ref = "stockton-2010/3.2"
    app = make_app(loaded)
    async with app.run_test(size=(120, 40)) as pilot:
        screen = await edit(pilot, ref)
        services.update_action(
            loaded, ref, "Someone Else", TODAY, services.ActionChanges(progress=70)
        )
        screen.query_one("#progress", Input).value = "90"
        await pilot.press("ctrl+s")
        await settle(pilot)
        dialog = app.screen
        assert isinstance(dialog, ConflictDialog)
        rows = dialog.query_one("#conflict-table", DataTable)
        assert [str(c) for c in rows.get_row_at(0)] == ["progress", "90", "70"]
        await pilot.press("k")
        await settle(pilot)
    detail = action(loaded, ref)
    assert detail.row.progress == 90
    with loaded.read() as session:
        actors = session.scalars(
            select(AuditEvent.actor).where(
                AuditEvent.entity_ref == ref, AuditEvent.field == "progress"
            )
        ).all()
    assert actors == ["Someone Else", "Tess Tester"]  # both changes on the record


@pytest.mark.parametrize("key", ["t", "escape"])
async def test_conflict_take_theirs_shows_the_saved_values(loaded: Store, key: str) -> None:
    ref = "stockton-2010/3.2"
    app = make_app(loaded)
    async with app.run_test(size=(120, 40)) as pilot:
        screen = await edit(pilot, ref)
        services.update_action(
            loaded, ref, "Someone Else", TODAY, services.ActionChanges(lead="New Lead")
        )
        screen.query_one("#lead", Input).value = "My Lead"
        await pilot.press("ctrl+s")
        await settle(pilot)
        assert isinstance(app.screen, ConflictDialog)
        await pilot.press(key)  # Escape leaves the dialog the safe way: nothing overwritten
        await settle(pilot)
        assert app.screen is screen
        assert screen.query_one("#lead", Input).value == "New Lead"
    assert action(loaded, ref).row.lead == "New Lead"


async def test_a_tabs_list_is_built_when_the_tab_is_first_shown(loaded: Store) -> None:
    """Opening an action builds the form only: the Updates, Evidence and History lists are
    built the first time their tab shows (by its key or the tab bar), filled as read."""
    app = make_app(loaded)
    async with app.run_test(size=(120, 40)) as pilot:
        screen = await open_action(pilot, "stockton-2010/3.2")
        for built in ("#updates-table", "#evidence-table", "#history-table"):
            assert not screen.query(built), built
        screen.query_one("#tabs", TabbedContent).active = "evidence"  # as the tab bar does
        await settle(pilot)
        evidence = table(app, "#evidence-table")
        assert evidence.row_count == len(action(loaded, "stockton-2010/3.2").evidence) > 0
        assert not screen.query("#history-table")
        await pilot.press("4")
        await settle(pilot)
        assert app.focused is table(app, "#history-table")
        assert "No changes recorded" in screen_text(app)  # its pane built and described


# The read view, and the form built on edit (issue 17) -----------------------------------------


async def test_details_are_read_with_no_form_built_until_the_edit_key(loaded: Store) -> None:
    """Opening an action builds no Input, Select or TextArea: its fields are words to read,
    every one whole. `e` builds the form, filled as stored, with the cursor in its first field;
    the footer offers `e` while reading and `ctrl+s` while editing."""
    app = make_app(loaded)
    async with app.run_test(size=(120, 40)) as pilot:
        screen = await open_action(pilot, "stockton-2010/3.2")
        assert form_widgets(screen) == []
        detail = action(loaded, "stockton-2010/3.2")
        shown = " ".join(screen_text(app).split())
        for words in (detail.row.text, detail.success_measure, detail.row.lead, "31 Dec 2010"):
            assert words and " ".join(words.split()) in shown, words
        footer = screen_lines(app)[-1]
        assert "e Edit" in footer and "Save" not in footer
        await pilot.press("question_mark")  # the help panel lists it too
        await pilot.pause()
        x, y, width, height = screen.query_one(KeysHelp).region
        shown = [line[x : x + width] for line in screen_lines(app)[y : y + height]]
        assert any(line.strip("▏ ").split() == ["e", "Edit"] for line in shown), shown
        await pilot.press("question_mark")
        await pilot.press("e")
        await settle(pilot)
        assert screen.query_one("#lead", Input).value == detail.row.lead
        assert screen.query_one("#text", TextArea).text == detail.row.text
        assert app.focused is screen.query_one("#text", TextArea)
        footer = screen_lines(app)[-1]
        assert "Save" in footer and "e Edit" not in footer
        assert not screen.query_one("#fields").display  # the form in its place


async def test_a_click_on_a_field_opens_the_form_at_that_field(loaded: Store) -> None:
    app = make_app(loaded)
    async with app.run_test(size=(120, 40)) as pilot:
        screen = await open_action(pilot, "stockton-2010/3.2")
        fields = screen.query_one("#fields")
        row = next(i for i, line in enumerate(screen_lines(app)) if "Target date" in line)
        await pilot.click("#fields", offset=(25, row - fields.region.y))
        await settle(pilot)
        assert screen.editing
        assert app.focused is screen.query_one("#target", Input)


@pytest.mark.parametrize("mode", ["reviewer", "read_only"])
async def test_a_reviewer_or_read_only_session_never_gets_the_form(
    loaded_path: Path, mode: str
) -> None:
    from tracker.store import open_store

    store = open_store(loaded_path, reviewer=mode == "reviewer")
    app = make_app(store, reviewer=mode == "reviewer", read_only=mode == "read_only")
    async with app.run_test(size=(120, 40)) as pilot:
        screen = await open_action(pilot, "stockton-2010/3.2")
        await pilot.press("e")
        row = next(i for i, line in enumerate(screen_lines(app)) if "Target date" in line)
        await pilot.click("#fields", offset=(25, row - screen.query_one("#fields").region.y))
        await screen.action_edit("target")  # called anyway: it says why, and builds nothing
        await settle(pilot)
        assert form_widgets(screen) == [] and not screen.editing
        said = "review mode" if mode == "reviewer" else "read only"
        assert f"{said}: the action cannot be edited" in screen_text(app)
        assert "Edit" not in screen_lines(app)[-1]
    store.dispose()


async def test_a_save_closes_the_form_and_a_second_edit_saves_from_the_new_version(
    loaded: Store,
) -> None:
    ref = "stockton-2010/3.2"
    app = make_app(loaded)
    async with app.run_test(size=(120, 40)) as pilot:
        screen = await edit(pilot, ref)
        screen.query_one("#progress", Input).value = "70"
        await pilot.press("ctrl+s")
        await settle(pilot)
        assert not screen.editing and "70" in screen_text(app)
        await pilot.press("e")  # the same form again, filled from the version just saved
        await settle(pilot)
        assert screen.query_one("#progress", Input).value == "70"
        screen.query_one("#progress", Input).value = "75"
        await pilot.press("ctrl+s")
        await settle(pilot)
        assert not screen.editing
    assert (action(loaded, ref).row.progress, action(loaded, ref).row.version) == (75, 3)


async def test_the_first_frame_shows_the_action_not_loading(loaded: Store) -> None:
    """The screen's mount waits for the read (a few milliseconds, in its thread): the action
    is shown by the time the screen is first drawn, which is then drawn once, not twice."""
    app = make_app(loaded)
    async with app.run_test(size=(120, 40)) as pilot:
        await settle(pilot)
        screen = ActionScreen("stockton-2010/3.2")
        await app.push_screen(screen)  # returns once the screen is mounted
        assert screen.loaded is not None
        assert "Loading" not in str(screen.query_one("#action-header", Static).render())


async def test_a_slow_read_shows_loading_and_then_the_action(
    loaded: Store, monkeypatch: pytest.MonkeyPatch
) -> None:
    """A read that takes long (a server, a busy disk) does not hold the screen back: it shows
    "Loading…" and then the action."""
    import threading

    from tracker.tui.screens import action_base

    read = action_base.action_detail
    answer = threading.Event()

    def slow_read(*args: Any) -> Any:
        answer.wait(10)  # until the test has seen "Loading…": slow however busy the machine
        return read(*args)

    monkeypatch.setattr(action_base, "action_detail", slow_read)
    app = make_app(loaded)
    async with app.run_test(size=(120, 40)) as pilot:
        await settle(pilot)
        screen = ActionScreen("stockton-2010/3.2")
        await app.push_screen(screen)
        assert screen.loaded is None
        await pilot.pause()
        assert "Loading…" in screen_text(app)
        answer.set()
        await settle(pilot)
        assert screen.loaded is not None and "version 1" in screen_text(app)
