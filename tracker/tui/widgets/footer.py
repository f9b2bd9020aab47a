"""The footer of every screen: Textual's Footer, built with the screen and rebuilt only when the
keys it shows change."""

from __future__ import annotations

from typing import Any

from textual.app import ComposeResult
from textual.screen import Screen
from textual.widgets import Footer
from textual.widgets._footer import FooterKey

Shown = tuple[tuple[str, str, str, bool, str], ...]
"""What a footer shows: each key's action, key as displayed, label, enabled, and tooltip."""


class KeyFooter(Footer):
    """Textual's Footer, with its keys in the screen's first frame and rebuilt only when they
    change.

    Textual's Footer composes no keys until the screen first signals its bindings, then
    rebuilds all its key widgets, and again whenever the bindings are signalled as updated: on
    every focus change, screen resume and mount. At start-up that put the keys in a later frame
    than the rest of the home screen, after three rebuilds of the same keys, each restyling
    every key widget twice (a key's `compact` starts True and is then bound to the footer's
    False). This one composes the keys with the screen, each key made with the footer's
    `compact` already, and compares what it would show (action, key, label, enabled, tooltip)
    with what it shows, rebuilding only on a difference."""

    def __init__(self) -> None:
        super().__init__()
        self._shown: Shown | None = None
        # The screen's bindings are known when the footer is composed, with the screen: show
        # them then, rather than wait for the first signal that they changed.
        self.set_reactive(Footer._bindings_ready, True)

    @staticmethod
    def keys_of(screen: Screen[Any]) -> Shown:
        """The keys a footer on `screen` shows now."""
        app = screen.app
        return tuple(
            (binding.action, app.get_key_display(binding), binding.description, enabled, tip)
            for _node, binding, enabled, tip in screen.active_bindings.values()
            if binding.show or binding.key == app.COMMAND_PALETTE_BINDING
        )

    def compose(self) -> ComposeResult:
        self._shown = self.keys_of(self.screen)
        for widget in super().compose():
            if isinstance(widget, FooterKey) and not widget.has_class("-command-palette"):
                # Made compact as the footer is, so that binding it to the footer's `compact`
                # changes nothing and restyles nothing (the palette's key is not bound to it).
                widget.set_reactive(FooterKey.compact, self.compact)
            yield widget

    def bindings_changed(self, screen: Screen[Any]) -> None:
        if self.keys_of(screen) == self._shown:
            return
        super().bindings_changed(screen)  # recomposes (when it is this screen's, and focused)
