"""One plan: header with the clock, recommendations and their actions; filter, search, sort,
select and bulk edit, and lifecycle steps."""

from __future__ import annotations

from collections.abc import Callable
from datetime import date
from pathlib import Path
from typing import Any, ClassVar

from rich.text import Text
from textual import on
from textual.app import ComposeResult
from textual.binding import Binding, BindingType
from textual.widgets import Footer, Header, Input, Static

from tracker import queries, services
from tracker.queries import ActionRow, PlanDetail
from tracker.tui.base import TrackerScreen, brag_bar, brag_cell, safe
from tracker.tui.screens.modals import (
    BulkEditDialog,
    ExportDialog,
    ExportRequest,
    FilterDialog,
    Filters,
    LifecycleDialog,
    SignOff,
    SignOffDialog,
    Step,
)
from tracker.tui.table import Cell, FastTable
from tracker.vocab import ActionStatus, Brag

BRAG_ORDER = {Brag.RED: 0, Brag.AMBER: 1, Brag.GREEN: 2, Brag.BLUE: 3}
STATUS_ORDER = {s: i for i, s in enumerate(ActionStatus)}

SORTS: list[tuple[str, Callable[[ActionRow], Any] | None]] = [
    ("recommendation", None),
    ("target date", lambda a: (a.target is None, a.target or date.max)),
    ("colour", lambda a: BRAG_ORDER[a.brag.colour]),
    ("status", lambda a: STATUS_ORDER[a.status]),
    ("lead", lambda a: (a.lead or "~").casefold()),
    ("progress", lambda a: a.progress),
]
"""The orders the plan can be read in; `s` steps through them. The first keeps actions under
their recommendations."""

COLUMN_SORT = {"Target": 1, "BRAG": 2, "Status": 3, "Lead": 4, "Done": 5, "Ref": 0}


def _day(d: date | None) -> str:
    return d.strftime("%d %b %Y") if d else "-"


class PlanScreen(TrackerScreen):
    """A plan's recommendations and actions, for the Head of Service to keep true."""

    AUTO_FOCUS = "#actions"
    BINDINGS: ClassVar[list[BindingType]] = [
        Binding("escape", "back", "Back", id="plan.back"),
        Binding("slash", "search", "Search", key_display="/", id="plan.search"),
        Binding("o", "toggle_overdue", "Overdue", id="plan.overdue"),
        Binding("f", "filter", "Filter", id="plan.filter"),
        Binding("c", "clear_filters", "Clear", id="plan.clear"),
        Binding("s", "next_sort", "Sort", id="plan.sort"),
        Binding("space", "toggle_select", "Select", id="plan.select"),
        Binding("b", "bulk_edit", "Bulk edit", id="plan.bulk"),
        Binding("l", "lifecycle", "Lifecycle", id="plan.lifecycle"),
        Binding("x", "export", "Export", id="plan.export"),
        Binding("g", "sign_off", "Sign off", id="plan.sign-off"),
        Binding("r", "reload", "Reload", show=False, id="plan.reload"),
    ]

    def __init__(self, slug: str) -> None:
        super().__init__()
        self.slug = slug
        self.detail: PlanDetail | None = None
        self.filters = Filters()
        self.overdue_only = False
        self.search_text = ""
        self.sort_index = 0
        self.selected: set[str] = set()

    def compose(self) -> ComposeResult:
        yield Header()
        yield Static("Loading…", id="plan-header")
        yield Input(
            placeholder="Search actions: text, ref, lead, owner (Enter keeps, Esc clears)",
            id="search",
            classes="hidden",
        )
        yield FastTable(id="actions")
        yield Static("", id="status-line", classes="status-line")
        yield Footer()

    def on_mount(self) -> None:
        self.make_columns()

    EDITOR_ACTIONS = frozenset({"toggle_select", "bulk_edit", "lifecycle"})

    def check_action(self, action: str, parameters: tuple[object, ...]) -> bool | None:
        """A reviewer sees the sign-off key and not the editing ones (the services refuse
        their writes anyway); a manager the other way round; a read-only session neither."""
        settings = self.tracker.settings
        if action in self.EDITOR_ACTIONS:
            return not (settings.reviewer or settings.read_only)
        if action == "sign_off":
            return settings.reviewer and not settings.read_only
        return True

    def make_columns(self) -> None:
        """Columns of fixed widths (colour, status and dates first, so they show even at 80
        columns; fixed, because the table is refilled often and must not re-measure); the
        action's words take the room a wide terminal has."""
        table = self.query_one("#actions", FastTable)
        table.clear(columns=True)
        for label, width in (
            (" ", 1),
            ("Ref", 5),
            ("BRAG", 8),
            ("Status", 11),
            ("Target", 10),
            ("Done", 4),
            ("Action", self.text_width()),
            ("Owner", 22),
            ("Lead", 22),
            ("Ev", 3),
        ):
            table.add_column(label, width=width)

    def on_screen_resume(self) -> None:
        """Shown (first time, or back from an action): read the plan, so changes show."""
        self.action_reload()

    def action_reload(self) -> None:
        """Read the plan again."""
        slug, today, store = self.slug, self.tracker.settings.today, self.tracker.store

        def read() -> PlanDetail:
            with store.read() as session:
                return queries.plan_detail(session, slug, today)

        self.run_db(read, self.show_plan, name="plan")

    # Showing ---------------------------------------------------------------------------------

    def show_plan(self, detail: PlanDetail) -> None:
        """Show a freshly read plan."""
        self.detail = detail
        self.sub_title = detail.id
        self.selected &= {a.id for a in detail.actions}
        # Most important first: the header is capped at five lines, so on a small terminal the
        # scores and lifecycle dates are what gets cut, never the clock or the colours.
        header = Text()
        header.append(f"{safe(detail.area)}", style="bold")
        header.append(f" · {detail.kind.value} · published {_day(detail.published)}")
        clock_style = "bold red" if detail.clock.startswith("overdue") else "bold"
        header.append(" · ")
        header.append(detail.clock, style=clock_style)
        header.append("\n")
        header.append(brag_bar(detail.summary.counts, 24))
        header.append(
            f" · {detail.summary.percent_complete}% complete · "
            f"{detail.summary.overdue} overdue · {detail.summary.total} actions"
        )
        header.append(f"\n{detail.status.value}")
        steps = [f"{s.value} {_day(d)}" for s, d in detail.steps.items() if d is not None]
        if steps:
            header.append(f" ({'; '.join(steps)})", style="dim")
        if detail.next_meeting:
            header.append(f" · next board {_day(detail.next_meeting)}")
        if detail.scores:
            header.append("\n" + " · ".join(safe(s.text()) for s in detail.scores), style="dim")
        self.query_one("#plan-header", Static).update(header)
        self.refill()

    def visible_actions(self) -> list[ActionRow]:
        """The actions that pass the filters and search, in the chosen order."""
        if self.detail is None:
            return []
        found = [a for a in self.detail.actions if self._passes(a)]
        key = SORTS[self.sort_index][1]
        return sorted(found, key=key) if key is not None else found

    def _passes(self, a: ActionRow) -> bool:
        f = self.filters
        if self.overdue_only and not a.overdue:
            return False
        if f.owner and a.owner != f.owner:
            return False
        if f.status and a.status is not f.status:
            return False
        if f.brag and a.brag.colour is not f.brag:
            return False
        if self.search_text:
            haystack = " ".join([a.ref, a.text, a.lead or "", a.owner or ""]).casefold()
            return all(word in haystack for word in self.search_text.casefold().split())
        return True

    def refill(self) -> None:
        """Rebuild the table from the plan, filters, search and order."""
        if self.detail is None:
            return
        table = self.query_one("#actions", FastTable)
        current = self.current_key()
        table.clear()
        visible = self.visible_actions()
        grouped = SORTS[self.sort_index][1] is None
        rows: list[tuple[str, list[Cell]]] = []
        if grouped:
            by_rec: dict[str, list[ActionRow]] = {}
            for a in visible:
                by_rec.setdefault(a.recommendation, []).append(a)
            for rec in self.detail.recommendations:
                actions = by_rec.get(rec.ref, [])
                if not actions and self._filtering():
                    continue
                owners = ", ".join(rec.owners) if rec.owners else "no owner stated"
                response = f" [{rec.response}]" if rec.response else ""
                rows.append(
                    (
                        f"r:{rec.ref}",
                        [
                            "",
                            Text(f"R{rec.ref}", style="bold"),
                            "",
                            "",
                            "",
                            "",
                            Text(safe(rec.text, self.text_width()), style="bold"),
                            Text(safe(owners + response, 22), style="italic"),
                        ],
                    )
                )
                rows.extend(self._action_cells(a) for a in actions)
        else:
            rows.extend(self._action_cells(a) for a in visible)
        table.add_rows(rows)
        self._restore_cursor(table, current)
        self._status(len(visible))

    def _filtering(self) -> bool:
        return bool(self.overdue_only or self.search_text or self.filters.describe())

    def text_width(self) -> int:
        """How much of an action's words to show: more on a wide terminal."""
        return max(40, self.app.size.width - 95)

    def on_resize(self) -> None:
        """Use the room of a larger (or smaller) terminal."""
        if self.query_one("#actions", FastTable).columns and self.detail is not None:
            self.make_columns()
            self.refill()

    def _action_cells(self, a: ActionRow) -> tuple[str, list[Cell]]:
        target_style = "bold red" if a.overdue else ""
        return (
            f"a:{a.id}",
            [
                Text("●", style="bold yellow") if a.id in self.selected else "",
                a.ref,
                brag_cell(a.brag.colour, a.brag.overridden),
                a.status.value,
                Text(a.target.isoformat() if a.target else "none", style=target_style),
                f"{a.progress}%",
                safe(a.text, self.text_width()),
                safe(a.owner or "-", 22),
                safe(a.lead or "-", 22),
                str(a.evidence),
            ],
        )

    def _restore_cursor(self, table: FastTable, key: str | None) -> None:
        if table.row_count == 0:
            return
        if key is not None and table.has_key(key):
            table.move_cursor(row=table.get_row_index(key))
            return
        for index in range(table.row_count):
            if table.key_at(index).startswith("a:"):
                table.move_cursor(row=index)
                return

    def _status(self, shown: int) -> None:
        assert self.detail is not None
        parts = [f"{shown} of {len(self.detail.actions)} actions"]
        if self.overdue_only:
            parts.append("overdue only")
        if self.filters.describe():
            parts.append(self.filters.describe())
        if self.search_text:
            parts.append(f"search “{safe(self.search_text)}”")
        parts.append(f"sorted by {SORTS[self.sort_index][0]}")
        if self.selected:
            parts.append(f"{len(self.selected)} selected (b: bulk edit)")
        self.query_one("#status-line", Static).update(" · ".join(parts))

    def current_key(self) -> str | None:
        """The row key under the cursor."""
        return self.query_one("#actions", FastTable).cursor_key

    def current_action(self) -> str | None:
        """The action id under the cursor (None on a recommendation row)."""
        key = self.current_key()
        return key[2:] if key and key.startswith("a:") else None

    # Keys ------------------------------------------------------------------------------------

    @on(FastTable.RowSelected, "#actions")
    def _open(self) -> None:
        ref = self.current_action()
        if ref is not None:
            self.tracker.open_action(ref)

    @on(FastTable.HeaderSelected, "#actions")
    def _sort_by_header(self, event: FastTable.HeaderSelected) -> None:
        index = COLUMN_SORT.get(str(event.label))
        if index is not None:
            self.sort_index = index
            self.refill()

    def action_back(self) -> None:
        """Back to the plans; in the search box, Escape clears and closes the search instead."""
        box = self.query_one("#search", Input)
        if box.has_focus:
            box.value = ""
            box.add_class("hidden")
            self.query_one("#actions", FastTable).focus()
            return
        self.app.pop_screen()

    def action_search(self) -> None:
        """Show the search box."""
        box = self.query_one("#search", Input)
        box.remove_class("hidden")
        box.focus()

    @on(Input.Changed, "#search")
    def _search_changed(self, event: Input.Changed) -> None:
        if event.value.strip() != self.search_text:
            self.search_text = event.value.strip()
            self.refill()

    @on(Input.Submitted, "#search")
    def _search_done(self) -> None:
        self.query_one("#actions", FastTable).focus()

    def action_toggle_overdue(self) -> None:
        """Show only overdue actions, or all again."""
        self.overdue_only = not self.overdue_only
        self.refill()

    def action_filter(self) -> None:
        """Choose owner, status and colour filters."""
        if self.detail is None:
            return
        owners = sorted({a.owner for a in self.detail.actions if a.owner})

        def chosen(filters: Filters | None) -> None:
            if filters is not None:
                self.filters = filters
                self.refill()

        self.app.push_screen(FilterDialog(owners, self.filters), chosen)

    def action_clear_filters(self) -> None:
        """Show every action again."""
        self.filters = Filters()
        self.overdue_only = False
        self.search_text = ""
        box = self.query_one("#search", Input)
        box.value = ""
        box.add_class("hidden")
        self.refill()

    def action_next_sort(self) -> None:
        """Read the plan in the next order."""
        self.sort_index = (self.sort_index + 1) % len(SORTS)
        self.refill()
        self.notify(f"Sorted by {SORTS[self.sort_index][0]}", timeout=2)

    def action_toggle_select(self) -> None:
        """Mark or unmark the action under the cursor for a bulk edit."""
        ref = self.current_action()
        if ref is None:
            return
        self.selected ^= {ref}
        table = self.query_one("#actions", FastTable)
        row = table.cursor_row
        self.refill()
        table.move_cursor(row=min(row + 1, table.row_count - 1))

    def action_bulk_edit(self) -> None:
        """Change status, lead or target of the selected actions (or the one under the cursor)."""
        if self.detail is None:
            return
        refs = sorted(self.selected) or ([r] if (r := self.current_action()) else [])
        if not refs:
            self.notify("Select actions with space first", severity="warning")
            return
        versions: dict[str, int | None] = {
            a.id: a.version for a in self.detail.actions if a.id in refs
        }
        store, settings = self.tracker.store, self.tracker.settings

        def apply(changes: services.ActionChanges | None) -> None:
            if changes is None:
                return

            def write() -> list[str]:
                return services.bulk_update(store, versions, settings.user, settings.today, changes)

            self.run_db(write, self._bulk_done, name="bulk")

        self.app.push_screen(BulkEditDialog(len(refs)), apply)

    def _bulk_done(self, refs: list[str]) -> None:
        self.selected.clear()
        self.notify(f"Changed {len(refs)} action{'s' if len(refs) != 1 else ''}")
        self.action_reload()

    def action_lifecycle(self) -> None:
        """Record the plan's next lifecycle step (submitted, agreed, forwarded, closed)."""
        if self.detail is None:
            return
        store, settings, slug = self.tracker.store, self.tracker.settings, self.slug

        def record(step: Step | None) -> None:
            if step is None:
                return

            def write() -> Step:
                services.record_step(store, slug, step.step, step.on, settings.user)
                return step

            self.run_db(write, self._stepped, name="step")

        self.app.push_screen(LifecycleDialog(self.detail.status, settings.today), record)

    def _stepped(self, step: Step) -> None:
        self.notify(f"Plan is now {step.step.value} ({_day(step.on)})")
        self.action_reload()

    # Export and sign-off ----------------------------------------------------------------------

    def action_export(self) -> None:
        """Export the plan, as filtered on screen, to a file (board report, spreadsheet, …)."""
        if self.detail is None:
            return
        settings, store, slug = self.tracker.settings, self.tracker.store, self.slug
        ids = [a.id for a in self.visible_actions()] if self._filtering() else None
        total = len(self.detail.actions)
        what = f"{len(ids)} of {total} actions" if ids is not None else f"plan {slug}"
        stem = str(Path.cwd() / f"{slug}-{settings.today.isoformat()}")
        can_record = not (settings.reviewer or settings.read_only)

        def chosen(request: ExportRequest | None) -> None:
            if request is None:
                return

            def write() -> str:
                from tracker.exporters import export_plan, record_board_report
                from tracker.files import write_whole

                with store.read() as session:
                    data = export_plan(session, slug, request.fmt, settings.today, action_ids=ids)
                write_whole(Path(request.path), data)
                if request.record:
                    record_board_report(store, slug, settings.user, request.fmt)
                return request.path

            self.run_db(write, lambda path: self.notify(f"Wrote {what} to {path}"), name="export")

        self.app.push_screen(ExportDialog(what, stem, can_record), chosen)

    def current_recommendation(self) -> str | None:
        """The recommendation of the row under the cursor."""
        key = self.current_key()
        if key is None or self.detail is None:
            return None
        if key.startswith("r:"):
            return key[2:]
        return next((a.recommendation for a in self.detail.actions if a.id == key[2:]), None)

    def action_sign_off(self) -> None:
        """Reviewers: sign off a recommendation as implemented, or the plan as closed."""
        if self.detail is None:
            return
        settings, store, slug = self.tracker.settings, self.tracker.store, self.slug
        refs = [r.ref for r in self.detail.recommendations]

        def chosen(choice: SignOff | None) -> None:
            if choice is None:
                return

            def write() -> str:
                from tracker import review

                if choice.recommendation is None:
                    review.sign_off_plan(store, slug, settings.user, settings.today)
                    return f"Plan {slug} signed off and closed"
                review.sign_off_recommendation(
                    store, slug, choice.recommendation, settings.user, settings.today
                )
                return f"Recommendation {choice.recommendation} signed off as implemented"

            self.run_db(write, self._signed, name="sign-off")

        self.app.push_screen(SignOffDialog(refs, self.current_recommendation()), chosen)

    def _signed(self, message: str) -> None:
        self.notify(message)
        self.action_reload()
