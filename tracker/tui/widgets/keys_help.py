"""The help panel (`?`): the keys of the screen showing, in the footer's order, each with what
it does, then the keys that work everywhere. Only the tracker's own keys: not the scrolling
and copying keys of Textual's widgets, which its own KeyPanel lists."""

from __future__ import annotations

from typing import Any

from rich.console import Group
from rich.table import Table
from rich.text import Text
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import VerticalScroll
from textual.dom import DOMNode
from textual.screen import Screen
from textual.widgets import Static

from tracker.tui.widgets.footer import _declared

MOVING = (
    ("↑ ↓", "move the cursor (PgUp PgDn: a page, Home End: the ends)"),
    ("tab", "the next field or list (shift+tab: the one before)"),
)
"""Keys every list and form has, said once."""


def key_rows(screen: Screen[Any]) -> tuple[list[tuple[str, Text]], list[tuple[str, Text]]]:
    """The screen's own keys and the keys that work everywhere, as (keys, what it does): one
    row per action, its keys together, the screen's in the order its footer shows them. A
    screen's key that the list under the cursor answers first (Enter, which opens the row)
    is listed too: it does what the screen says."""
    app = screen.app
    found: list[tuple[DOMNode, Binding]] = []
    for node, bindings in screen._modal_binding_chain:
        for _key, binding in bindings:
            wanted = node is screen or node is app
            if wanted and app._check_action_state(binding.action, node) is not False:
                found.append((node, binding))
    first = screen.footer_first() if hasattr(screen, "footer_first") else ()
    order = {action: i for i, action in enumerate(first)}
    declared = {id(node): _declared(node) for node, _ in found}
    found.sort(
        key=lambda pair: (
            order.get(pair[1].action, len(order)),
            pair[0] is app,
            declared[id(pair[0])].get(pair[1].id or "", 999),
        )
    )
    mine: dict[str, tuple[list[str], Binding]] = {}
    everywhere: dict[str, tuple[list[str], Binding]] = {}
    for node, binding in found:
        if binding.system or not binding.id or not binding.description:
            continue  # Textual's own (focus, copy) and the widgets' keys
        where = everywhere if node is app or binding.action.startswith("app.") else mine
        # One row per action: `q` and `ctrl+q` both quit; `?` is bound on the app and on
        # each screen (so that it comes first in the footer), with one id.
        keys, _ = where.setdefault(binding.action.removeprefix("app."), ([], binding))
        shown = "Enter" if binding.key == "enter" else app.get_key_display(binding)
        if shown not in keys:
            keys.append(shown)

    def rows(found: dict[str, tuple[list[str], Binding]]) -> list[tuple[str, Text]]:
        made = []
        for keys, binding in found.values():
            said = Text(binding.description)
            if binding.tooltip:
                said.append(f": {binding.tooltip}", style="dim")
            made.append((" ".join(keys), said))
        return made

    general = rows(everywhere)
    if app.ENABLE_COMMAND_PALETTE:
        palette = app.get_key_display(Binding(app.COMMAND_PALETTE_BINDING, ""))
        general.append((palette, Text("Find any command, plan or action by name")))
    general.extend((k, Text(s)) for k, s in MOVING)
    return rows(mine), general


class KeysHelp(VerticalScroll, can_focus=False):
    """The panel `?` shows at the right of the screen (again: hides it)."""

    DEFAULT_CSS = """
    KeysHelp {
        split: right;
        width: 33%;
        min-width: 32;
        max-width: 60;
        height: 1fr;
        border-left: vkey $foreground 30%;
        padding: 0 1;
        background: $surface;
        scrollbar-size-vertical: 1;
    }
    """

    def compose(self) -> ComposeResult:
        yield Static(id="keys-help-table")

    def on_mount(self) -> None:
        self.refresh_keys()
        self.screen.bindings_updated_signal.subscribe(self, lambda _: self.refresh_keys())

    def on_unmount(self) -> None:
        self.screen.bindings_updated_signal.unsubscribe(self)

    def refresh_keys(self) -> None:
        """List the keys that work now (a draft's, a reviewer's)."""
        mine, general = key_rows(self.screen)
        parts: list[Text | Table] = []
        for title, rows in (("This screen", mine), ("Everywhere", general)):
            table = Table(box=None, show_header=False, padding=(0, 1, 0, 0), expand=True)
            table.add_column("Key", style="bold", no_wrap=True)
            table.add_column("Does", ratio=1)
            for keys, said in rows:
                table.add_row(keys, said)
            parts.extend([Text(title, style="bold underline"), table, Text("")])
        self.query_one("#keys-help-table", Static).update(Group(*parts))
