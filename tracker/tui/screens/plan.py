"""One plan: header with the clock, recommendations and their actions; filter, search, sort,
select and bulk edit, lifecycle steps, export, and the YJB's sign-off."""

from __future__ import annotations

from pathlib import Path
from typing import ClassVar

from textual.binding import Binding, BindingType

from tracker import services
from tracker.text import uk_day
from tracker.tui.dialogs.export import ExportDialog, ExportRequest
from tracker.tui.dialogs.plan import BulkEditDialog, LifecycleDialog, Step
from tracker.tui.dialogs.review import SignOff, SignOffDialog
from tracker.tui.screens.plan_base import PlanScreenBase


class PlanScreen(PlanScreenBase):
    """A plan's recommendations and actions, for the Head of Service to keep true."""

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
        tracker, settings = self.tracker, self.tracker.settings

        def apply(changes: services.ActionChanges | None) -> None:
            if changes is None:
                return

            def write() -> list[str]:
                return services.bulk_update(
                    tracker.store, versions, settings.user, settings.today, changes
                )

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
        tracker, settings, slug = self.tracker, self.tracker.settings, self.slug

        def record(step: Step | None) -> None:
            if step is None:
                return

            def write() -> Step:
                services.record_step(tracker.store, slug, step.step, step.on, settings.user)
                return step

            self.run_db(write, self._stepped, name="step")

        self.app.push_screen(LifecycleDialog(self.detail.status, settings.today), record)

    def _stepped(self, step: Step) -> None:
        self.notify(f"Plan is now {step.step.value} ({uk_day(step.on)})")
        self.action_reload()

    # Export and sign-off ----------------------------------------------------------------------

    def action_export(self) -> None:
        """Export the plan, as filtered on screen, to a file (board report, spreadsheet, …)."""
        if self.detail is None:
            return
        settings, tracker, slug = self.tracker.settings, self.tracker, self.slug
        filtered = self._filtering()
        ids = [a.id for a in self.visible_actions()] if filtered else None
        total = len(self.detail.actions)
        what = f"{len(ids)} of {total} actions" if ids is not None else f"plan {slug}"
        stem = str(Path.cwd() / f"{slug}-{settings.today.isoformat()}")
        can_record = not (settings.reviewer or settings.read_only)

        def chosen(request: ExportRequest | None) -> None:
            if request is None:
                return

            def write() -> str:
                from tracker.exporters import export_plan

                with tracker.lists() as reader:
                    issued = services.issue_board_report(
                        lambda: tracker.store,
                        slug,
                        request.fmt,
                        lambda: export_plan(
                            reader, slug, request.fmt, settings.today, action_ids=ids
                        ),
                        Path(request.path),
                        settings.user,
                        record=request.record and ids is None,
                        clock=tracker.clock,
                    )
                if issued.recorded:
                    return f"Wrote {what} to {request.path}; recorded as the board report issued"
                return f"Wrote {what} to {request.path}"

            self.run_db(write, lambda message: self.notify(message), name="export")

        self.app.push_screen(ExportDialog(what, stem, can_record, filtered), chosen)

    def action_sign_off(self) -> None:
        """Reviewers: sign off a recommendation as implemented, or the plan as closed."""
        if self.detail is None:
            return
        settings, tracker, slug = self.tracker.settings, self.tracker, self.slug
        refs = [r.ref for r in self.detail.recommendations]

        def chosen(choice: SignOff | None) -> None:
            if choice is None:
                return

            def write() -> str:
                if choice.recommendation is None:
                    services.sign_off_plan(tracker.store, slug, settings.user, settings.today)
                    return f"Plan {slug} signed off and closed"
                services.sign_off_recommendation(
                    tracker.store, slug, choice.recommendation, settings.user, settings.today
                )
                return f"Recommendation {choice.recommendation} signed off as implemented"

            self.run_db(write, self._signed, name="sign-off")

        self.app.push_screen(SignOffDialog(refs, self.current_recommendation()), chosen)

    def _signed(self, message: str) -> None:
        self.notify(message)
        self.action_reload()
