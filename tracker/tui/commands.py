"""The command palette (ctrl+p): every key's command on the current screen, every plan and
every action, found by name."""

from __future__ import annotations

import asyncio
from functools import partial
from typing import TYPE_CHECKING

from textual.command import DiscoveryHit, Hit, Hits, Provider

from tracker.queries.lists import action_rows, plan_rows
from tracker.text import one_line

if TYPE_CHECKING:
    from tracker.tui.app import TrackerApp


class TrackerCommands(Provider):
    """Screen commands ("Overdue", "Bulk edit"), "Open plan …" and "Open action …"."""

    async def startup(self) -> None:
        """Read the plans and actions once, off the event loop."""
        app: TrackerApp = self.app  # type: ignore[assignment]
        today = app.settings.today

        def read() -> tuple[list[str], list[tuple[str, str]]]:
            with app.lists() as reader:
                plans = [p.id for p in plan_rows(reader, today)]
                actions = [(a.id, a.text) for a in action_rows(reader, today)]
            return plans, actions

        self.plans, self.actions = await asyncio.to_thread(read)

    def _commands(self) -> list[tuple[str, object, str]]:
        app: TrackerApp = self.app  # type: ignore[assignment]
        found: list[tuple[str, object, str]] = []
        seen: set[str] = set()
        for active in self.screen.active_bindings.values():
            binding = active.binding
            if not binding.description or binding.description in seen or not active.enabled:
                continue
            seen.add(binding.description)
            run = partial(app.run_action, binding.action, active.node)
            found.append((binding.description, run, f"key {binding.key_display or binding.key}"))
        for plan in self.plans:
            found.append((f"Open plan {plan}", partial(app.open_plan, plan), "plan"))
        for ref, text in self.actions:
            found.append(
                (
                    f"Open action {ref}: {one_line(text, 60)}",
                    partial(app.open_action, ref, via_plan=True),
                    "action",
                )
            )
        return found

    async def discover(self) -> Hits:
        for name, run, help_text in self._commands():
            yield DiscoveryHit(name, run, help=help_text)  # type: ignore[arg-type]

    async def search(self, query: str) -> Hits:
        matcher = self.matcher(query)
        for name, run, help_text in self._commands():
            score = matcher.match(name)
            if score > 0:
                yield Hit(score, matcher.highlight(name), run, help=help_text)  # type: ignore[arg-type]
