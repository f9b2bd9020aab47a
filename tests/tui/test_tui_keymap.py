"""The keys as the user set them: a theme from the config or the palette, a keymap that moves
several keys, and the footer that shows each screen's keys as remapped."""

from __future__ import annotations

from typing import Any

from textual.widgets import HelpPanel, TabbedContent

from tests.support.tui import (
    action_keys,
    make_app,
    open_action,
    open_plan,
    screen_lines,
    settle,
)
from tracker.store import Store
from tracker.tui.screens.plans import PlansScreen

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
        assert app.screen.query(HelpPanel)
        await pilot.press("f1")
        screen = await open_action(pilot, "stockton-2010/3.2")
        await pilot.press("h")
        await pilot.pause()
        assert screen.query_one("#tabs", TabbedContent).active == "history"


# The footer ------------------------------------------------------------------------------------


def footer_line(app: Any) -> str:
    return screen_lines(app)[-1]


async def test_the_footer_follows_the_screen_and_is_not_rebuilt_for_the_same_keys(
    loaded: Store,
) -> None:
    """The footer (tracker.tui.widgets.footer.KeyFooter) shows each screen's keys, with a
    remapped key as remapped, and keeps its key widgets when the keys it shows stay the same
    (Textual's own footer rebuilds them all on every focus change and return to a screen)."""
    app = make_app(loaded, keymap={"plan.overdue": "z"})
    async with app.run_test(size=(160, 40)) as pilot:
        await settle(pilot)
        assert "Import report" in footer_line(app)
        home = app.screen.query_one("KeyFooter")
        before = list(home.children)
        await open_plan(pilot, "stockton-2010")
        shown = footer_line(app)
        assert "Lifecycle" in shown and "Import report" not in shown
        assert " z Overdue" in shown and " o Overdue" not in shown
        await pilot.press("escape")
        await settle(pilot)
        assert "Import report" in footer_line(app) and "Lifecycle" not in footer_line(app)
        assert list(home.children) == before
