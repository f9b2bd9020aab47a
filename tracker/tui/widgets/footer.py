"""The footer of every screen: Textual's Footer, rebuilt only when the keys it shows change."""

from __future__ import annotations

from typing import Any

from textual.screen import Screen
from textual.widgets import Footer


class KeyFooter(Footer):
    """Textual's Footer, recomposed only when the keys it shows change.

    Textual's Footer rebuilds all its key widgets whenever the screen's bindings are signalled
    as updated: on every focus change, screen resume and mount, which at start-up meant three
    rebuilds of the same keys, each restyling every key widget (pyinstrument put the footer
    among the home screen's largest costs). This one compares what it would show (action, key,
    label, enabled, tooltip) with what it showed last and rebuilds only on a difference."""

    def __init__(self) -> None:
        super().__init__()
        self._shown: tuple[tuple[str, str, str, bool, str], ...] | None = None

    def bindings_changed(self, screen: Screen[Any]) -> None:
        app = screen.app
        shown = tuple(
            (binding.action, app.get_key_display(binding), binding.description, enabled, tip)
            for _node, binding, enabled, tip in screen.active_bindings.values()
            if binding.show or binding.key == app.COMMAND_PALETTE_BINDING
        )
        if shown == self._shown:
            return
        super().bindings_changed(screen)
        if app.app_focus and self.is_attached and screen is self.screen:
            self._shown = shown  # a rebuild is on its way (Footer only rebuilds in these cases)
