"""Writing the plan from its screen: add an action under a recommendation, add or edit a
recommendation, withdraw a row or restore a withdrawn one, edit the plan's own details. Each
dialog saves itself through `tracker.services` in a thread worker (`SavingDialog`), so a
refusal stays in the dialog with what was typed; the plan is read again when it closes.
`PlanScreen` adds the keys."""

from __future__ import annotations

from collections.abc import Callable

from tracker import services
from tracker.queries.lists import ActionRow
from tracker.queries.plan import RecommendationRow
from tracker.queries.roles import role_names
from tracker.text import one_line, uk_day
from tracker.tui.dialogs.authoring import (
    AddActionDialog,
    RecommendationDialog,
    RecommendationForm,
    Withdrawal,
    WithdrawDialog,
)
from tracker.tui.dialogs.confirm import ConfirmDialog
from tracker.tui.dialogs.plan_details import PlanDetailsDialog, PlanEdit
from tracker.tui.screens.plan_gaps import PlanGaps
from tracker.tui.widgets.table import FastTable


class PlanAuthoring(PlanGaps):
    """The plan screen's writing of the plan (the keys are `PlanScreen`'s)."""

    def __init__(self, slug: str, at_first_gap: bool = False) -> None:
        super().__init__(slug, at_first_gap)
        self.roles: list[str] | None = None

    def _key(self, action: str, default: str) -> str:
        return self.key_for(action) or default

    def _with_roles(self, then: Callable[[list[str]], object]) -> None:
        """Hand the known role names (read once, in a worker) to `then`."""
        if self.roles is not None:
            then(self.roles)
            return
        tracker = self.tracker

        def read() -> list[str]:
            with tracker.lists() as reader:
                return role_names(reader)

        def done(roles: list[str]) -> None:
            self.roles = roles
            then(roles)

        self.run_db(read, done, name="roles")

    def _recommendation(self, ref: str) -> RecommendationRow | None:
        assert self.detail is not None
        return next((r for r in self.detail.recommendations if r.ref == ref), None)

    def _withdrawn_recommendation(self, ref: str) -> RecommendationRow | None:
        assert self.detail is not None
        return next((r for r in self.detail.withdrawn_recommendations if r.ref == ref), None)

    def _action(self, id: str, withdrawn: bool = False) -> ActionRow | None:
        assert self.detail is not None
        rows = self.detail.withdrawn_actions if withdrawn else self.detail.actions
        return next((a for a in rows if a.id == id), None)

    def _saved(self, message: str, cursor: str | None = None) -> None:
        """After a write: say so, and read the plan again with the cursor on `cursor`."""
        self.notify(message, timeout=4, markup=False)
        if cursor is not None:
            self.cursor_to = cursor
        self.action_reload()

    # Adding -----------------------------------------------------------------------------------

    def action_add_action(self) -> None:
        """Add an action under the recommendation the cursor is on (or its action's)."""
        if self.detail is None:
            return
        ref = self.current_recommendation()
        if ref is None:
            key = self._key("add_recommendation", "A")
            self.notify(f"The plan has no recommendations yet: {key} adds one", timeout=4)
            return
        rec = self._recommendation(ref)
        if rec is None:
            key = self._key("withdraw", "d")
            self.notify(
                f"Recommendation {one_line(ref, 20)} is withdrawn: {key} on it restores it",
                severity="warning",
                markup=False,
            )
            return
        tracker, settings, rec_id = self.tracker, self.tracker.settings, f"{self.slug}/{rec.ref}"

        def save(new: services.NewAction) -> str:
            return services.add_action(tracker.store, rec_id, settings.user, settings.today, new)

        def done(added: str | None) -> None:
            if added is not None:
                self._saved(f"Added action {added}", f"a:{added}")

        self._with_roles(
            lambda roles: self.app.push_screen(
                AddActionDialog(save, rec.ref, rec.text, roles), done
            )
        )

    def action_add_recommendation(self) -> None:
        """Add a recommendation to the plan (its ref is the next free number)."""
        if self.detail is None:
            return
        tracker, settings, slug = self.tracker, self.tracker.settings, self.slug

        def save(form: RecommendationForm) -> str:
            return services.add_recommendation(
                tracker.store,
                slug,
                settings.user,
                form.text,
                owners=form.owners,
                response=form.response,
                response_reason=form.reason,
            )

        def done(added: str | None) -> None:
            if added is not None:
                ref = added.rpartition("/")[2]
                key = self._key("add_action", "a")
                self._saved(f"Added recommendation {ref}: {key} adds its actions", f"r:{ref}")

        self._with_roles(
            lambda roles: self.app.push_screen(RecommendationDialog(save, roles), done)
        )

    # Editing ----------------------------------------------------------------------------------

    def action_edit(self) -> None:
        """Edit the row under the cursor: a recommendation in its dialog, an action on its
        own screen, its form open."""
        row = self.current_row()
        if self.detail is None or row is None:
            return
        kind, ref = row
        if kind in ("a", "wa"):
            self.tracker.open_action(ref, edit=True)
            return
        rec = self._recommendation(ref)
        if rec is None:
            key = self._key("withdraw", "d")
            self.notify(
                f"Recommendation {one_line(ref, 20)} is withdrawn: {key} on it restores it",
                severity="warning",
                markup=False,
            )
            return
        tracker, settings, rec_id = self.tracker, self.tracker.settings, f"{self.slug}/{rec.ref}"

        def save(form: RecommendationForm) -> str:
            assert form.changes is not None
            version = services.edit_recommendation(
                tracker.store,
                rec_id,
                settings.user,
                form.changes,
                expected_version=form.version,
                confirmed=form.confirmed,
            )
            return f"Saved recommendation {rec.ref} (version {version})"

        def done(message: str | None) -> None:
            if message is not None:
                self._saved(message)

        self._with_roles(
            lambda roles: self.app.push_screen(RecommendationDialog(save, roles, rec), done)
        )

    def action_edit_plan(self) -> None:
        """Edit the plan's own details (area, kind, dates, title, board meetings)."""
        detail = self.detail
        if detail is None:
            return
        tracker, settings, slug = self.tracker, self.tracker.settings, self.slug

        def save(edit: PlanEdit) -> int:
            return services.edit_plan(
                tracker.store, slug, settings.user, edit.changes, expected_version=edit.version
            )

        def done(version: int | None) -> None:
            if version is not None:
                self._saved(f"Saved the plan's details (version {version})")

        self.app.push_screen(PlanDetailsDialog(save, detail), done)

    # Withdrawing and restoring ----------------------------------------------------------------

    def _neighbour(self) -> str | None:
        """The row the cursor goes to when the one under it leaves the table."""
        table = self.query_one("#actions", FastTable)
        row = table.cursor_row
        for index in (row + 1, row - 1):
            if 0 <= index < table.row_count:
                return table.key_at(index)
        return None

    def action_withdraw(self) -> None:
        """Withdraw the row under the cursor, with a reason; on a withdrawn row, restore it."""
        row = self.current_row()
        if self.detail is None or row is None:
            return
        kind, ref = row
        if kind == "wa":
            self._restore_action(ref)
            return
        if kind == "wr":
            self._restore_recommendation(ref)
            return
        tracker, settings = self.tracker, self.tracker.settings
        shows, restores = self._key("toggle_withdrawn", "w"), self._key("withdraw", "d")
        after = (
            "It leaves the plan's counts, colours and exports, and stays in its history; "
            f"{shows} shows withdrawn rows, and {restores} on one restores it."
        )
        cursor = f"w{kind}:{ref}" if self.show_withdrawn else self._neighbour()
        if kind == "a":
            action = self._action(ref)
            if action is None:
                return

            def save_action(w: Withdrawal) -> int:
                return services.withdraw_action(
                    tracker.store,
                    ref,
                    settings.user,
                    settings.today,
                    w.reason,
                    expected_version=w.version,
                )

            dialog = WithdrawDialog(
                save_action, f"action {action.ref}", action.text, after, action.version
            )
            what = f"action {action.ref}"
        else:
            rec = self._recommendation(ref)
            if rec is None:
                return
            live = sum(1 for a in self.detail.actions if a.recommendation == rec.ref)
            if live:
                with_it = f"Its {live} action{'s are' if live != 1 else ' is'} withdrawn with it."
                after = f"{with_it} {after}"
            rec_id = f"{self.slug}/{rec.ref}"

            def save_rec(w: Withdrawal) -> int:
                return services.withdraw_recommendation(
                    tracker.store,
                    rec_id,
                    settings.user,
                    settings.today,
                    w.reason,
                    expected_version=w.version,
                )

            dialog = WithdrawDialog(
                save_rec, f"recommendation {rec.ref}", rec.text, after, rec.version
            )
            what = f"recommendation {rec.ref}"

        def done(version: int | None) -> None:
            if version is not None:
                self._saved(f"Withdrew {what} ({restores} on it restores it)", cursor)

        self.app.push_screen(dialog, done)

    def _restore_action(self, id: str) -> None:
        action = self._action(id, withdrawn=True)
        if action is None:
            return
        tracker, settings = self.tracker, self.tracker.settings
        why = f"Withdrawn {uk_day(action.withdrawn)}: {one_line(action.withdrawn_reason or '')}"

        def answer(yes: bool | None) -> None:
            if not yes:
                return
            self.run_db(
                lambda: services.restore_action(
                    tracker.store, id, settings.user, expected_version=action.version
                ),
                lambda _: self._saved(f"Restored action {action.ref}", f"a:{id}"),
                name="restore",
            )

        question = f"Restore action {one_line(action.ref, 20)}?"
        self.app.push_screen(ConfirmDialog(question, why, yes="Restore"), answer)

    def _restore_recommendation(self, ref: str) -> None:
        rec = self._withdrawn_recommendation(ref)
        if rec is None:
            return
        tracker, settings, rec_id = self.tracker, self.tracker.settings, f"{self.slug}/{ref}"
        why = f"Withdrawn {uk_day(rec.withdrawn)}: {one_line(rec.withdrawn_reason or '')}"
        why += "\nThe actions withdrawn with it come back with it."

        def answer(yes: bool | None) -> None:
            if not yes:
                return
            self.run_db(
                lambda: services.restore_recommendation(
                    tracker.store, rec_id, settings.user, expected_version=rec.version
                ),
                lambda _: self._saved(f"Restored recommendation {rec.ref}", f"r:{ref}"),
                name="restore",
            )

        question = f"Restore recommendation {one_line(ref, 20)}?"
        self.app.push_screen(ConfirmDialog(question, why, yes="Restore"), answer)
