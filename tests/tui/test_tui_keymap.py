"""The keys as the user set them: a theme from the config or the palette, a keymap that moves
several keys, and the footer that shows each screen's keys as remapped."""

from __future__ import annotations

from typing import Any

from textual.widgets import Input, TabbedContent

from tests.support.tui import (
    action_keys,
    make_app,
    open_action,
    open_plan,
    screen_lines,
    screen_text,
    settle,
)
from tracker.store import Store
from tracker.tui.screens.plans import PlansScreen
from tracker.tui.widgets.footer import KeyFooter
from tracker.tui.widgets.keys_help import KeysHelp

# Themes and keymap -----------------------------------------------------------------------------


async def test_theme_from_the_config_and_switched_from_the_palette(loaded: Store) -> None:
    app = make_app(loaded, theme="nord")
    async with app.run_test(size=(120, 40)) as pilot:
        await settle(pilot)
        assert app.theme == "nord"
        await pilot.press("ctrl+p", *"theme")
        await pilot.pause(0.5)
        await pilot.press("enter")
        await pilot.pause(0.5)
        await pilot.press(*"dracula")
        await pilot.pause(0.5)
        await pilot.press("enter")
        await pilot.pause(0.5)
        assert app.theme == "dracula"


async def test_an_unknown_theme_in_the_config_is_named(loaded: Store) -> None:
    app = make_app(loaded, theme="no-such-theme")
    async with app.run_test(size=(120, 40)) as pilot:
        await settle(pilot)
        messages = [str(n.message) for n in app._notifications]
        assert any("no theme 'no-such-theme'" in m for m in messages), messages
        assert isinstance(app.screen, PlansScreen)


async def test_a_keymap_moves_several_keys(loaded: Store) -> None:
    keymap = {
        "plan.overdue": "z",
        "plan.filter": "ctrl+f",
        "app.help": "f1",
        "action.tab-history": "h",
    }
    app = make_app(loaded, keymap=keymap)
    async with app.run_test(size=(120, 40)) as pilot:
        await open_plan(pilot, "stockton-2010")
        footer = screen_lines(app)[-1]
        assert "z Overdue" in footer and "f1 Help" in footer
        await pilot.press("z")
        assert action_keys(app) == ["stockton-2010/3.1"]
        await pilot.press("o")  # the old key does nothing now
        assert action_keys(app) == ["stockton-2010/3.1"]
        await pilot.press("ctrl+f")
        await pilot.pause()
        assert app.screen.query("#owner")  # the filter dialog
        await pilot.press("escape", "f1")
        await pilot.pause()
        assert app.screen.query(KeysHelp)
        await pilot.press("f1")
        screen = await open_action(pilot, "stockton-2010/3.2")
        await pilot.press("h")
        await pilot.pause()
        assert screen.query_one("#tabs", TabbedContent).active == "history"


# The footer ------------------------------------------------------------------------------------


def footer_line(app: Any) -> str:
    return screen_lines(app)[-1]


async def test_the_footer_follows_the_screen_and_a_click_on_a_key_presses_it(
    loaded: Store,
) -> None:
    """The footer (tracker.tui.widgets.footer.KeyFooter, one widget drawing every key, where
    Textual's Footer has a widget per key and rebuilds them all on every focus change) shows
    each screen's keys, a remapped key as remapped; a click on a key presses it."""
    app = make_app(loaded, keymap={"plan.overdue": "z"})
    async with app.run_test(size=(160, 40)) as pilot:
        await settle(pilot)
        assert "Import report" in footer_line(app)
        assert not app.screen.query_one(KeyFooter).children
        await open_plan(pilot, "stockton-2010")
        shown = footer_line(app)
        assert "Lifecycle" in shown and "Import report" not in shown
        assert " z Overdue" in shown and " o Overdue" not in shown
        await pilot.click(KeyFooter, offset=(shown.index(" z Overdue") + 1, 0))
        await pilot.pause()
        assert "overdue only" in screen_text(app)
        await pilot.press("escape")
        await settle(pilot)
        assert "Import report" in footer_line(app) and "Lifecycle" not in footer_line(app)
        await pilot.click(KeyFooter, offset=(footer_line(app).index(" / Search") + 1, 0))
        await pilot.pause()
        assert isinstance(app.focused, Input) and app.focused.id == "search"
