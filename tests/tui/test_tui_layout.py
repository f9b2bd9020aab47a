"""The TUI at the sizes people use it: every field, column and button where a user can see
it at 80x24 and at 120x40, and a large terminal's room used."""

from __future__ import annotations

from pathlib import Path

import pytest
from hypothesis import given
from hypothesis import strategies as st
from textual.widgets import Button, DataTable, Input, Select, TextArea

from conftest import SEEDS, TODAY
from tests.support.tui import (
    keys_of,
    make_app,
    open_action,
    open_plan,
    screen_lines,
    screen_text,
    settle,
)
from tracker import services
from tracker.services.changes import ActionChanges
from tracker.store import Store
from tracker.tui.dialogs.action import EvidenceDialog
from tracker.tui.dialogs.importing import ImportPreview
from tracker.tui.screens.action_form import TEXT_FIELDS, form_values
from tracker.tui.widgets.cells import brag_counts, brag_counts_width
from tracker.tui.widgets.keys_help import KeysHelp
from tracker.tui.widgets.table import FastTable
from tracker.vocab import Brag

SIZES = [(120, 40), (80, 24)]


def on_screen(region: object, size: tuple[int, int]) -> bool:
    """Whether a widget's region is wholly inside the terminal and at least a line tall."""
    x, y, width, height = region  # type: ignore[misc]
    return height >= 1 and width >= 1 and x >= 0 and y >= 0 and y + height <= size[1]


@pytest.mark.parametrize("size", SIZES)
async def test_every_action_field_shows_with_its_value(
    loaded: Store, size: tuple[int, int]
) -> None:
    app = make_app(loaded)
    async with app.run_test(size=size) as pilot:
        screen = await open_action(pilot, "stockton-2010/3.2", edit=True)
        assert screen.loaded is not None
        values = form_values(screen.loaded.detail)
        lines = screen_lines(app)
        for field_id, label in TEXT_FIELDS:
            widget = screen.query_one(f"#{field_id}")
            assert on_screen(widget.region, size), (field_id, widget.region)
            line = lines[widget.region.y]
            assert label in line, (label, line)
            if isinstance(widget, TextArea):
                # The long words wrap: every one of them on screen, from the first.
                x, y, width, height = widget.region
                inside = " ".join(row[x : x + width] for row in lines[y : y + height])
                assert " ".join(values[field_id].split()) == " ".join(inside.split())
                continue
            shown = values[field_id][: widget.region.width - 2]
            assert shown in line, (field_id, shown, line)
        for select_id, text in (("status", "in progress"), ("override", "none (computed)")):
            widget = screen.query_one(f"#{select_id}", Select)
            assert on_screen(widget.region, size), (select_id, widget.region)
            assert text in lines[widget.region.y]


async def test_plan_table_shows_every_column_at_120x40(loaded: Store) -> None:
    app = make_app(loaded)
    async with app.run_test(size=(120, 40)) as pilot:
        await open_plan(pilot, "stockton-2010")
        actions = app.screen.query_one("#actions", FastTable)
        heading = screen_lines(app)[actions.region.y]
        assert heading.split() == [
            "Ref",
            "BRAG",
            "Status",
            "Target",
            "Done",
            "Action",
            "Lead",
            "Ev",
        ]  # fmt: skip  (the owner role only where the words keep 44 cells beside it)
        assert actions.virtual_size.width <= actions.scrollable_content_region.width
        row = screen_lines(app)[actions.region.y + 1 + actions.get_row_index("a:stockton-2010/3.2")]
        assert row.split()[-1] == "1"  # the evidence count, in view


async def test_a_large_terminal_gives_the_words_room(loaded: Store) -> None:
    app = make_app(loaded)
    async with app.run_test(size=(200, 50)) as pilot:
        await open_plan(pilot, "stockton-2010")
        text = screen_text(app)
        heading = screen_lines(app)[app.screen.query_one("#actions").region.y].split()
        assert heading[-3:] == ["Owner", "Lead", "Ev"]
        assert "Hold a fortnightly compliance panel at which case managers present every" in text
        await pilot.press("escape")
        await settle(pilot)
        text = screen_text(app)
        assert "due 21 May 2014 (report not yet published)" in text and "23 Apr 2014" in text


async def test_plans_at_80x24_show_clock_colours_done_and_overdue(loaded: Store) -> None:
    app = make_app(loaded)
    async with app.run_test(size=(80, 24)) as pilot:
        await settle(pilot)
        plans = app.screen.query_one("#plans", FastTable)
        heading = screen_lines(app)[plans.region.y].split()
        assert heading[:5] == ["Plan", "Submission", "BRAG", "Done", "Overdue"]
        expected = {
            "stockton": ("submitted on time 2 Feb 2010", "R2 A3 G4 B4", "38%", "1"),
            "halton": ("submitted 24 Sep 2009", "R6 A2 G0 B1", "22%", "7"),
            "cambridgesh": ("due 21 May 2014", "R1 A1 G5 B1", "12%", "0"),
        }
        lines = screen_lines(app)
        for plan, (_clock, colours, done, overdue) in expected.items():
            line = next(line for line in lines if line.startswith(f" {plan}"))
            assert colours in line, line
            assert line.split()[-2:] == [done, overdue], line
        for plan, (clock, *_) in expected.items():  # the clock whole in the pane below
            app.screen.query_one("#plans", FastTable).move_cursor(
                row=next(i for i, k in enumerate(keys_of(app, "#plans")) if k.startswith(plan))
            )
            await settle(pilot)
            assert clock in " ".join(screen_text(app).split()), clock


async def test_dialog_fields_scroll_and_buttons_stay_in_view_at_80x24(
    loaded: Store, tmp_path: Path
) -> None:
    app = make_app(loaded)
    async with app.run_test(size=(80, 24)) as pilot:
        await open_action(pilot, "stockton-2010/3.2")
        await pilot.press("ctrl+o")
        dialog = app.screen
        assert isinstance(dialog, EvidenceDialog)
        for button in dialog.query(Button):
            assert on_screen(button.region, (80, 24)), button
        assert "OK (ctrl+s)" in screen_text(app) and "Cancel (esc)" in screen_text(app)
        body = dialog.query_one(".dialog-body")
        assert body.max_scroll_y > 0  # the fields scroll rather than push the buttons off
        await pilot.press("tab", "tab", "tab", "tab", "tab")  # title … expires: kind
        await settle(pilot)
        kind = dialog.query_one("#kind", Select)
        assert app.focused is kind
        assert body.region.contains_region(kind.region)
        await pilot.press("ctrl+s")
        await pilot.pause()
        error = dialog.query_one("#dialog-error")
        assert on_screen(error.region, (80, 24))
        assert "give the evidence a title" in screen_text(app)


async def test_import_preview_confirm_button_in_view_at_80x24(loaded: Store) -> None:
    app = make_app(loaded)
    async with app.run_test(size=(80, 24)) as pilot:
        await settle(pilot)
        await pilot.press("i")
        report = SEEDS / "halton-warrington-2009-cci-report.txt"
        app.screen.query_one("#path", Input).value = str(report)
        await pilot.press("ctrl+s")
        await settle(pilot)
        preview = app.screen
        assert isinstance(preview, ImportPreview)
        confirm = preview.query_one("#ok", Button)
        assert on_screen(confirm.region, (80, 24))
        assert "Make the draft plan (ctrl+s)" in screen_text(app)


async def test_help_key_always_in_the_footer_and_lists_every_key_at_80x24(
    loaded: Store,
) -> None:
    app = make_app(loaded)
    async with app.run_test(size=(80, 24)) as pilot:
        await open_plan(pilot, "stockton-2010")
        footer = screen_lines(app)[-1]
        assert footer.split()[:2] == ["?", "Help"], footer
        assert "every key" in screen_lines(app)[-2]  # the status line says so
        await pilot.press("question_mark")
        await pilot.pause()
        assert app.screen.query(KeysHelp)
        text = screen_text(app)
        for description in ("Bulk edit", "Lifecycle", "Export", "Add action"):
            assert description in text, description
        panel = app.screen.query_one(KeysHelp)
        panel.scroll_end(animate=False)  # the rest scroll into view
        await pilot.pause()
        text = screen_text(app)
        for description in ("Withdraw", "Details", "Reload", "Quit"):
            assert description in text, description
        await open_action(pilot, "stockton-2010/3.2")
        assert screen_lines(app)[-1].split()[:2] == ["?", "Help"]


async def test_a_long_list_makes_the_cells_of_the_rows_on_screen_only_and_once() -> None:
    """FastTable draws only the rows on screen: given LazyCells, it makes the cells of those
    rows (and of the rows scrolled to), once each, however often a search refills it."""
    from textual.app import App, ComposeResult

    from tracker.tui.widgets.columns import Column
    from tracker.tui.widgets.table import LazyCells

    made: list[int] = []

    def row(n: int) -> LazyCells:
        return LazyCells(lambda: made.append(n) or (f"plan-{n}", f"{n}%"))

    rows = [(f"plan-{n}", row(n)) for n in range(2000)]

    class Host(App[None]):
        def compose(self) -> ComposeResult:
            yield FastTable(id="t")

        def on_mount(self) -> None:
            table = self.query_one(FastTable)
            table.set_columns([Column("Plan", 12, "plan"), Column("Done", 5, "done")])
            table.add_rows(rows)

    app = Host()
    async with app.run_test(size=(80, 24)) as pilot:
        await pilot.pause()
        table = app.query_one(FastTable)
        assert "plan-0" in screen_text(app)  # type: ignore[arg-type]
        assert 10 < len(made) < 40  # a screenful, not 2,000
        assert set(made) == set(range(len(made)))
        table.clear()
        table.add_rows(rows)  # a search's refill, with the same rows
        await pilot.pause()
        assert len(made) == len(set(made)) < 40  # nothing made twice
        await pilot.press("end")
        await pilot.pause()
        assert 1999 in made and "plan-1999" in screen_text(app)  # type: ignore[arg-type]
        assert len(made) < 80
        assert table.get_row_at(1000) == ["plan-1000", "1000%"] and 1000 in made


async def test_a_resize_keeps_the_cursor_on_its_row(loaded: Store) -> None:
    """A resized terminal gets new columns; the row the user was on stays under the cursor, on
    the home screen, a plan and the overdue list (it went back to the first row)."""
    app = make_app(loaded)
    async with app.run_test(size=(120, 40)) as pilot:
        await settle(pilot)
        screens = [("#plans", None), ("#actions", "stockton-2010"), ("#overdue", "o")]
        for selector, opening in screens:
            if opening == "o":
                await pilot.press("escape")
                await settle(pilot)
                await pilot.press("o")
                await settle(pilot)
            elif opening is not None:
                await open_plan(pilot, opening)
            table = app.screen.query_one(selector, FastTable)
            assert table.row_count >= 3, selector
            await pilot.press("down", "down")
            await settle(pilot)
            key = table.cursor_key
            assert key is not None and table.cursor_row >= 2, selector
            for width, height in ((100, 30), (80, 24), (120, 40)):
                await pilot.resize_terminal(width, height)
                await settle(pilot)
                assert table.cursor_key == key, (selector, width)


@pytest.mark.parametrize("size", SIZES)
async def test_an_actions_lists_fit_the_terminal_without_scrolling_sideways(
    loaded: Store, size: tuple[int, int]
) -> None:
    """Updates, Evidence and History: every column shown has its heading on screen and no list
    is wider than the terminal (at 80 columns History scrolled sideways, and Evidence hid its
    reviewer); a column that gives way is in the pane under the list."""
    ref = "stockton-2010/3.2"
    services.update_action(loaded, ref, "Someone Else", TODAY, ActionChanges(progress=70))
    app = make_app(loaded)
    async with app.run_test(size=size) as pilot:
        screen = await open_action(pilot, ref)
        for key, tab in (("2", "updates"), ("3", "evidence"), ("4", "history")):
            await pilot.press(key)
            await settle(pilot)
            table = screen.query_one(f"#{tab}-table", DataTable)
            assert table.row_count >= 1, tab
            region = table.scrollable_content_region
            assert table.virtual_size.width <= region.width, (tab, table.virtual_size, region)
            heading = screen_lines(app)[table.region.y]
            labels = [str(column.label) for column in table.columns.values()]
            for label in labels:
                assert label in heading, (tab, label, heading)
            wanted = {
                "updates": {"Date", "Author", "Note"},
                "evidence": {"Title", "Date", "Review", "Reviewer"}
                | ({"Kind", "File: SHA-256, size"} if size[0] >= 120 else set()),
                "history": {"When (UTC)", "Who", "Field", "Old", "New"},
            }[tab]
            assert wanted <= set(labels), (tab, labels)
        shown = screen_text(app)
        assert "was: 60" in shown and "now: 70" in shown  # the change in full, under its list


@pytest.mark.parametrize("size", [(120, 40), (200, 50)])
async def test_the_keys_panel_leaves_each_table_fitted_not_scrolling_sideways(
    loaded: Store, size: tuple[int, int]
) -> None:
    """`?` docks the keys beside the table: the home screen's, a plan's and the overdue list's
    columns fit what is left (they scrolled sideways, the last ones out of sight), and come
    back when it closes. (At 80 columns the panel leaves 48, less than the columns a table
    always shows need: there the table scrolls sideways until the panel closes.)"""
    app = make_app(loaded)
    async with app.run_test(size=size) as pilot:
        await settle(pilot)
        for selector, opening in (("#plans", None), ("#actions", "plan"), ("#overdue", "o")):
            if opening == "plan":
                await open_plan(pilot, "stockton-2010")
            elif opening == "o":
                await pilot.press("escape")
                await settle(pilot)
                await pilot.press("o")
                await settle(pilot)
            table = app.screen.query_one(selector, FastTable)
            wide = [c.label for c in table.columns]
            await pilot.press("question_mark")
            await settle(pilot)
            help_panel = app.screen.query_one(KeysHelp)
            assert table.region.right <= help_panel.region.x, selector
            assert table.virtual_size.width <= table.scrollable_content_region.width, selector
            heading = screen_lines(app)[table.region.y][: table.region.right]
            for column in table.columns:
                assert column.label in heading, (selector, column.label, heading)
            await pilot.press("question_mark")
            await settle(pilot)
            assert [c.label for c in table.columns] == wide, selector


@pytest.mark.parametrize("size", [(120, 40), (200, 50)])
async def test_the_keys_panel_leaves_an_actions_lists_fitted(
    loaded: Store, size: tuple[int, int]
) -> None:
    """`?` beside an action's Updates, Evidence or History: the list's columns fit the room
    the panel leaves (they kept the terminal's width, and the last ones scrolled out of sight
    behind the panel), the cursor stays on its row, and the columns come back when it
    closes."""
    ref = "stockton-2010/3.2"
    for progress in (65, 70):
        services.update_action(loaded, ref, "Someone Else", TODAY, ActionChanges(progress=progress))
    app = make_app(loaded)
    async with app.run_test(size=size) as pilot:
        screen = await open_action(pilot, ref)
        for key, tab in (("2", "updates"), ("3", "evidence"), ("4", "history")):
            await pilot.press(key)
            await settle(pilot)
            table = screen.query_one(f"#{tab}-table", DataTable)
            wide = [str(c.label) for c in table.columns.values()]
            last = table.row_count - 1
            table.move_cursor(row=last, animate=False)
            await pilot.press("question_mark")
            await settle(pilot)
            help_panel = app.screen.query_one(KeysHelp)
            assert table.region.right <= help_panel.region.x, tab
            assert table.virtual_size.width <= table.scrollable_content_region.width, tab
            heading = screen_lines(app)[table.region.y][: table.region.right]
            for column in table.columns.values():
                assert str(column.label) in heading, (tab, column.label, heading)
            assert table.cursor_row == last, tab
            await pilot.press("question_mark")
            await settle(pilot)
            assert [str(c.label) for c in table.columns.values()] == wide, tab
            assert table.cursor_row == last, tab


async def test_the_home_screen_shows_two_figure_colour_counts_whole(loaded: Store) -> None:
    """A plan of many actions: its colour counts (`R0 A1 G12 B0`) show whole in the BRAG
    column, not cut to `G1…`."""
    from tracker.services.changes import NewAction

    plan = "cambridgeshire-2014"
    for n in range(12):
        services.add_action(
            loaded, f"{plan}/1", "Tess Tester", TODAY, NewAction(f"Extra step {n}", target_on=TODAY)
        )
    app = make_app(loaded)
    async with app.run_test(size=(120, 40)) as pilot:
        await settle(pilot)
        table = app.screen.query_one("#plans", FastTable)
        row = next(line for line in screen_lines(app) if line.lstrip().startswith(plan))
        heading = screen_lines(app)[table.region.y]
        at = heading.index("BRAG")
        shown = row[at:].split("  ")[0].strip()
        letters = [part[0] for part in shown.split()]
        assert letters == ["R", "A", "G", "B"] and "…" not in shown, (shown, row)
        assert sum(int(part[1:]) for part in shown.split()) >= 12


@given(st.dictionaries(st.sampled_from(list(Brag)), st.integers(0, 10_000)))
def test_the_colour_counts_width_is_what_they_take_on_screen(counts: dict[Brag, int]) -> None:
    assert brag_counts_width(counts) == brag_counts(counts).cell_len
