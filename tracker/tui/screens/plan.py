"""One plan: header with the clock, a draft's ready-to-submit checklist, recommendations and
their actions; writing the plan (add, edit, withdraw and restore, the plan's details), filter,
search, sort, select and bulk edit, lifecycle steps, export, and the YJB's sign-off."""

from __future__ import annotations

from pathlib import Path
from typing import ClassVar

from textual.binding import Binding, BindingType

from tracker import services
from tracker.queries.plan import pending_reviews
from tracker.text import uk_day
from tracker.tui.dialogs.confirm import ConfirmDialog
from tracker.tui.dialogs.export import PACK, ExportDialog, ExportRequest
from tracker.tui.dialogs.plan import BulkEditDialog, LifecycleDialog, Step
from tracker.tui.dialogs.review import SignOff, SignOffDialog
from tracker.tui.screens.plan_authoring import PlanAuthoring
from tracker.vocab import PlanStatus

DRAFT_FOOTER = (
    "app.toggle_help",
    "back",
    "add_action",
    "add_recommendation",
    "edit",
    "withdraw",
    "edit_plan",
    "next_gap",
    "lifecycle",
)
"""What a draft's footer shows first: writing the plan, then submitting it."""


class PlanScreen(PlanAuthoring):
    """A plan's recommendations and actions, for the Head of Service to write and keep true."""

    BINDINGS: ClassVar[list[BindingType]] = [
        Binding("escape", "back", "Back", id="plan.back"),
        Binding(
            "enter",
            "open_row",
            "Open",
            show=False,
            tooltip="the action under the cursor",
            id="plan.open",
        ),
        Binding("slash", "search", "Search", key_display="/", id="plan.search"),
        Binding("o", "toggle_overdue", "Overdue", id="plan.overdue"),
        Binding("f", "filter", "Filter", id="plan.filter"),
        Binding("c", "clear_filters", "Clear", id="plan.clear"),
        Binding("s", "next_sort", "Sort", id="plan.sort"),
        Binding("space", "toggle_select", "Select", id="plan.select"),
        Binding("b", "bulk_edit", "Bulk edit", id="plan.bulk"),
        Binding("l", "lifecycle", "Lifecycle", id="plan.lifecycle"),
        Binding("x", "export", "Export", id="plan.export"),
        Binding(
            "a",
            "add_action",
            "Add action",
            tooltip="under the recommendation the cursor is on",
            id="plan.add-action",
        ),
        Binding(
            "A",
            "add_recommendation",
            "Add rec",
            tooltip="to this plan",
            id="plan.add-recommendation",
        ),
        Binding(
            "e",
            "edit",
            "Edit",
            tooltip="the recommendation under the cursor; an action opens as a form",
            id="plan.edit",
        ),
        Binding(
            "d",
            "withdraw",
            "Withdraw",
            tooltip="with a reason; on a withdrawn row: restore it",
            id="plan.withdraw",
        ),
        Binding(
            "p",
            "edit_plan",
            "Details",
            tooltip="the plan's area, kind, dates, board meetings",
            id="plan.details",
        ),
        Binding(
            "g",
            "next_gap",
            "Next gap",
            tooltip="the next row the checklist names",
            id="plan.next-gap",
        ),
        Binding("g", "sign_off", "Sign off", id="plan.sign-off"),
        Binding(
            "w",
            "toggle_withdrawn",
            "Withdrawn",
            show=False,
            tooltip="show them, dimmed (again: hide)",
            id="plan.withdrawn",
        ),
        Binding("r", "reload", "Reload", id="plan.reload"),
    ]
    """`g` is the next gap for a manager and the sign-off for a reviewer: a session has one."""

    EDITOR_ACTIONS = frozenset(
        {
            "toggle_select",
            "bulk_edit",
            "lifecycle",
            "add_action",
            "add_recommendation",
            "edit",
            "withdraw",
            "edit_plan",
        }
    )

    def check_action(self, action: str, parameters: tuple[object, ...]) -> bool | None:
        """A reviewer sees the sign-off key and not the editing ones (the services refuse
        their writes anyway); a manager the other way round; a read-only session neither.
        The checklist's key is there while a draft has gaps."""
        settings = self.tracker.settings
        if action in self.EDITOR_ACTIONS:
            return not (settings.reviewer or settings.read_only)
        if action == "sign_off":
            return settings.reviewer and not settings.read_only
        if action == "next_gap":
            detail = self.detail
            return (
                not settings.reviewer
                and detail is not None
                and detail.status is PlanStatus.DRAFT
                and bool(self.gap_keys())
            )
        return True

    def footer_first(self) -> tuple[str, ...]:
        """While the plan is a draft (and this session may write it), the footer shows the
        keys that write it first; later, the keys that follow it (as bound)."""
        settings = self.tracker.settings
        if self.detail is None or self.detail.status is not PlanStatus.DRAFT:
            return ()
        if settings.reviewer or settings.read_only:
            return ()
        return DRAFT_FOOTER

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
        settings = self.tracker.settings

        def record(step: Step | None) -> None:
            if step is not None:
                self._record(step)

        self.app.push_screen(LifecycleDialog(self.detail.status, settings.today), record)

    def _record(self, step: Step, anyway: bool = False) -> None:
        """Record a step; a plan not ready to submit asks first (`services.NotReady`)."""
        tracker, settings, slug = self.tracker, self.tracker.settings, self.slug

        def write() -> Step:
            services.record_step(
                tracker.store, slug, step.step, step.on, settings.user, anyway=anyway
            )
            return step

        def failed(exc: Exception) -> None:
            if isinstance(exc, services.NotReady) and not anyway:
                self._not_ready(step, exc.gaps)
            else:
                self.report(exc)

        self.run_db(write, self._stepped, name="step", failed=failed)

    def _not_ready(self, step: Step, gaps: list[str]) -> None:
        """Show what the plan lacks and ask before recording it as submitted anyway."""
        readiness = None if self.detail is None else self.detail.readiness
        summary = f"{readiness.summary()}\n\n" if readiness is not None else ""
        detail = (
            summary
            + "\n".join(f"• {gap}" for gap in gaps)
            + "\n\nIf it went to HMIP as it is, record it anyway: it is recorded as submitted "
            "incomplete, with what it lacked."
        )
        question = (
            f"Plan {self.slug} is not ready to submit. Record it as submitted on "
            f"{uk_day(step.on)} anyway?"
        )

        def answer(yes: bool | None) -> None:
            if yes:
                self._record(step, anyway=True)

        self.app.push_screen(ConfirmDialog(question, detail, yes="Submit anyway"), answer)

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
                from tracker.exporters import export_pack, export_plan
                from tracker.services.board_reports import issue_board_pack

                if request.fmt == PACK:
                    outputs = request.outputs()
                    formats = [fmt for fmt, _ in outputs]
                    with tracker.lists() as reader:
                        pack = issue_board_pack(
                            lambda: tracker.store,
                            slug,
                            [(fmt, Path(path)) for fmt, path in outputs],
                            lambda: export_pack(
                                reader, slug, formats, settings.today, action_ids=ids
                            ),
                            settings.user,
                            record=request.record and ids is None,
                            guard=tracker.output_guard(),
                            clock=tracker.clock,
                        )
                    files = ", ".join(path for _, path in outputs)
                    if pack.recorded:
                        return f"Wrote {what} to {files}; recorded once as the board report issued"
                    return f"Wrote {what} to {files}"
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
                        guard=tracker.output_guard(),
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

        notes: list[str] = []
        if self.detail.status in (PlanStatus.DRAFT, PlanStatus.SUBMITTED):
            notes.append(
                f"Note: this plan is still {self.detail.status.value}; it has not been agreed "
                "and forwarded to the YJB for monitoring."
            )
        current = self.current_recommendation()

        def read() -> dict[str, int]:
            with tracker.lists() as reader:
                return pending_reviews(reader, slug)

        def ask(pending: dict[str, int]) -> None:
            if pending:
                total = sum(pending.values())
                where = ", ".join(f"R{ref} ({n})" for ref, n in pending.items())
                notes.append(
                    f"{total} piece{'s' if total != 1 else ''} of evidence still pending your "
                    f"review, by recommendation: {where}."
                )
            dialog = SignOffDialog(refs, current, "\n".join(notes))
            self.app.push_screen(dialog, chosen)

        self.run_db(read, ask, name="pending-reviews")

    def _signed(self, message: str) -> None:
        self.notify(message)
        self.action_reload()
