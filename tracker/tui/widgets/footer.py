"""The footer of every screen: the keys the screen offers now, in one line that looks as
Textual's Footer does."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any, ClassVar

from rich.cells import cell_len, set_cell_size
from rich.segment import Segment
from rich.style import Style
from textual import events
from textual.binding import ActiveBinding, Binding
from textual.screen import Screen
from textual.strip import Strip
from textual.widget import Widget

PINNED = frozenset({"reload", "quit"})
"""The actions whose keys the footer always shows, at the end of its keys: a narrow footer
gives way in the middle, never here."""

Shown = tuple[tuple[str, str, str, bool, str], ...]
"""What a footer shows: each key's action, key as displayed, label, enabled, and tooltip."""


@dataclass(frozen=True)
class FooterKey:
    """A key the footer shows, where it shows it (columns `start` to `end`), and what it does."""

    key: str
    display: str
    description: str
    enabled: bool
    tooltip: str
    start: int
    end: int


class KeyFooter(Widget):
    """The screen's keys in one line, drawn as Textual's Footer draws them (each key in the
    footer's key colour, its label after it, the command palette's key at the right edge; a
    key under the mouse is highlighted, and clicking it presses it).

    Textual's Footer is a container of one widget per key, which it rebuilds whenever the
    screen's bindings are signalled as changed (every focus change, and every time a screen is
    shown): at start-up, the keys were the dearest part of the home screen after the list, and
    came a frame after it. This footer is one widget: it reads the keys when it draws, and
    redraws (no rebuild) when they change."""

    ALLOW_SELECT = False
    COMPONENT_CLASSES: ClassVar[set[str]] = {
        "key-footer--item",
        "key-footer--key",
        "key-footer--description",
        "key-footer--hover",
        "key-footer--border",
    }
    DEFAULT_CSS = """
    KeyFooter {
        dock: bottom;
        height: 1;
        color: $footer-foreground;
        background: $footer-background;
        & > .key-footer--item {
            background: $footer-item-background;
        }
        & > .key-footer--key {
            color: $footer-key-foreground;
            background: $footer-key-background;
            text-style: bold;
        }
        & > .key-footer--description {
            color: $footer-description-foreground;
            background: $footer-description-background;
        }
        & > .key-footer--hover {
            color: $footer-key-foreground;
            background: $block-hover-background;
        }
        & > .key-footer--border {
            color: $foreground 20%;
        }
    }
    """

    def __init__(self) -> None:
        super().__init__()
        self._shown: Shown | None = None
        self._keys: list[FooterKey] = []
        """The keys as last drawn, the palette's last: where the mouse finds them."""
        self._hover: FooterKey | None = None

    @staticmethod
    def bindings_of(screen: Screen[Any]) -> list[ActiveBinding]:
        """The screen's active bindings in the order the footer shows them: the actions the
        screen puts first (its `footer_first`, if it has one), then each node's keys in the
        order its class declares them. (A keymap moves a remapped key to the end of its
        node's bindings; here it keeps its place, so `?` stays first whatever its key.)"""
        found = list(screen.active_bindings.values())
        first = getattr(screen, "footer_first", None)
        order = {action: i for i, action in enumerate(first())} if callable(first) else {}
        nodes: dict[int, int] = {}
        for active in found:
            nodes.setdefault(id(active.node), len(nodes))
        declared = {id(active.node): _declared(active.node) for active in found}

        def place(pair: tuple[int, ActiveBinding]) -> tuple[int, int, int, int]:
            index, active = pair
            ids = declared[id(active.node)]
            binding = active.binding
            return (
                order.get(binding.action, len(order)),
                nodes[id(active.node)],
                ids.get(binding.id or "", len(ids)),
                index,
            )

        return [active for _, active in sorted(enumerate(found), key=place)]

    @classmethod
    def keys_of(cls, screen: Screen[Any]) -> Shown:
        """The keys a footer on `screen` shows now (as Textual's Footer chooses them)."""
        app = screen.app
        return tuple(
            (binding.action, app.get_key_display(binding), binding.description, enabled, tip)
            for _node, binding, enabled, tip in cls.bindings_of(screen)
            if binding.show or binding.key == app.COMMAND_PALETTE_BINDING
        )

    def on_mount(self) -> None:
        self.screen.bindings_updated_signal.subscribe(self, self._bindings_changed)

    def on_unmount(self) -> None:
        self.screen.bindings_updated_signal.unsubscribe(self)

    def _bindings_changed(self, screen: Screen[Any]) -> None:
        if self.keys_of(screen) != self._shown:
            self.refresh()

    # Drawing -----------------------------------------------------------------------------------

    def _place_keys(self, width: int) -> tuple[list[FooterKey], FooterKey | None]:
        """The keys laid out in `width` cells, as Textual's Footer draws them: one per action
        (its first key), from the left, each ` key label `; the command palette's key at the
        right edge, `▏key label `. Only whole keys: when they do not all fit, the last ones
        in the screen's order give way (never a key cut in the middle of its word), except
        reload and quit, which keep their place at the end."""
        screen, app = self.screen, self.app
        self._shown = self.keys_of(screen)
        wanted: list[tuple[Binding, bool, str]] = []
        palette: FooterKey | None = None
        seen: set[str] = set()
        for _node, binding, enabled, tooltip in self.bindings_of(screen):
            display = app.get_key_display(binding)
            label = binding.description
            if binding.key == app.COMMAND_PALETTE_BINDING:
                if app.ENABLE_COMMAND_PALETTE:
                    size = 1 + cell_len(display) + 1 + cell_len(label) + 1
                    tip = binding.tooltip or label
                    palette = FooterKey(
                        binding.key, display, label, enabled, tip, width - size, width
                    )
                continue
            if not binding.show or binding.action in seen:
                continue  # an action bound to several keys shows its first
            seen.add(binding.action)
            wanted.append((binding, enabled, tooltip))

        def width_of(binding: Binding) -> int:
            display, label = app.get_key_display(binding), binding.description
            return cell_len(display) + (2 + cell_len(label) + 1 if label else 0)

        room = width if palette is None else max(0, palette.start)
        pinned = [w for w in wanted if w[0].action in PINNED]
        room -= sum(width_of(b) for b, _, _ in pinned)
        chosen: list[tuple[Binding, bool, str]] = []
        for item in wanted:
            if item in pinned:
                continue
            if width_of(item[0]) > room:
                break  # a less wanted key never takes the place of a more wanted one
            chosen.append(item)
            room -= width_of(item[0])
        keys: list[FooterKey] = []
        x = 0
        for binding, enabled, tooltip in [*chosen, *pinned]:
            display, end = app.get_key_display(binding), x + width_of(binding)
            keys.append(
                FooterKey(binding.key, display, binding.description, enabled, tooltip, x, end)
            )
            x = end
        self._keys = keys if palette is None else [*keys, palette]
        return keys, palette

    def render_line(self, y: int) -> Strip:
        width = self.size.width
        keys, palette = self._place_keys(width)
        room = width if palette is None else max(0, palette.start)
        base = self.rich_style
        item = self.get_component_rich_style("key-footer--item")
        key_style = self.get_component_rich_style("key-footer--key", partial=True)
        label_style = self.get_component_rich_style("key-footer--description", partial=True)
        hover = Style(bgcolor=self.get_component_rich_style("key-footer--hover").bgcolor)
        dim = Style(dim=True)

        def style_of(key: FooterKey) -> Style:
            style = item + hover if key == self._hover else item
            return style if key.enabled else style + dim

        segments: list[Segment] = []
        x = 0

        def add(text: str, style: Style, limit: int) -> None:
            nonlocal x
            cut = set_cell_size(text, limit - x) if cell_len(text) > limit - x else text
            if cut:
                segments.append(Segment(cut, style))
                x += cell_len(cut)

        for key in keys:
            style = style_of(key)
            if key.description:  # as Textual's FooterKey: ` key ` then `label `
                add(f" {key.display} ", style + key_style, room)
                add(f"{key.description} ", style + label_style, room)
            else:
                add(key.display, style + key_style, room)
        # Blank cells carry only the background, as Textual draws a widget's empty space.
        if x < room:
            segments.append(Segment(" " * (room - x), Style(bgcolor=base.bgcolor)))
            x = room
        if palette is not None:
            style = style_of(palette)
            border = Style(color=self.get_component_rich_style("key-footer--border").color)
            add("▏", style + border, width)
            add(palette.display, style + key_style, width)
            add(f" {palette.description}", style + label_style, width)
            add(" ", Style(bgcolor=style.bgcolor), width)  # its padding
        if x < width:
            segments.append(Segment(" " * (width - x), Style(bgcolor=base.bgcolor)))
        return Strip(segments, width)

    # The mouse ---------------------------------------------------------------------------------

    def _key_at(self, x: int) -> FooterKey | None:
        return next((k for k in reversed(self._keys) if k.start <= x < k.end), None)

    def on_mouse_move(self, event: events.MouseMove) -> None:
        found = self._key_at(event.x)
        if found != self._hover:
            self._hover = found
            self.tooltip = (found.tooltip or None) if found is not None else None
            self.refresh()

    def on_leave(self) -> None:
        if self._hover is not None:
            self._hover = None
            self.tooltip = None
            self.refresh()

    def on_mouse_down(self, event: events.MouseDown) -> None:
        """Clicking a key presses it (a key not available now rings the bell)."""
        found = self._key_at(event.x)
        if found is None:
            return
        if found.enabled:
            self.app.simulate_key(found.key)
        else:
            self.app.bell()


def _declared(node: object) -> dict[str, int]:
    """The ids of a node's bindings in the order its classes declare them (a base class's
    first, as Textual merges them)."""
    ids: dict[str, int] = {}
    for cls in reversed(type(node).__mro__):
        for binding in cls.__dict__.get("BINDINGS", ()):
            if isinstance(binding, Binding) and binding.id and binding.id not in ids:
                ids[binding.id] = len(ids)
    return ids
