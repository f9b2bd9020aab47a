"""One action: its fields to read, and a form to edit them (`e`) with validation; progress
notes, evidence and history. Saving checks the version read against the stored one, so a
concurrent change is never lost."""

from __future__ import annotations

from pathlib import Path
from typing import ClassVar

from textual.binding import Binding, BindingType
from textual.widgets import DataTable, Static, TabbedContent

from tracker import services
from tracker.services import ActionChanges, ConflictError
from tracker.tui.dialogs.action import (
    ConflictDialog,
    EvidenceDialog,
    NewEvidence,
    NewNote,
    NoteDialog,
)
from tracker.tui.dialogs.review import Review, ReviewDialog
from tracker.tui.screens.action_base import ActionScreenBase
from tracker.tui.screens.action_form import TEXT_FIELDS, Loaded, form_values
from tracker.tui.screens.base import screen_words
from tracker.tui.widgets.cells import safe


class ActionScreen(ActionScreenBase):
    """Edit an action; add notes and evidence; read its history."""

    BINDINGS: ClassVar[list[BindingType]] = [
        Binding("e", "edit", "Edit", id="action.edit"),
        Binding("ctrl+s", "save", "Save", id="action.save"),
        Binding("ctrl+n", "add_note", "Note", id="action.note"),
        Binding("ctrl+o", "add_evidence", "Evidence", id="action.evidence"),
        Binding("escape", "back", "Back", id="action.back"),
        Binding("v", "review_evidence", "Review evidence", id="action.review"),
        Binding("1", "show_tab('details')", "Details tab", show=False, id="action.tab-details"),
        Binding("2", "show_tab('updates')", "Updates tab", show=False, id="action.tab-updates"),
        Binding("3", "show_tab('evidence')", "Evidence tab", show=False, id="action.tab-evidence"),
        Binding("4", "show_tab('history')", "History tab", show=False, id="action.tab-history"),
    ]
    """Keys 1-4 show a tab (when the cursor is not in a text field, where they type)."""

    EDITOR_ACTIONS = frozenset({"add_note", "add_evidence"})

    def check_action(self, action: str, parameters: tuple[object, ...]) -> bool | None:
        """A reviewer reviews evidence and cannot edit (the services refuse it anyway); a
        manager edits and does not review; a read-only session does neither. `e` opens the
        form and `ctrl+s` saves it: the one shown while the fields are read, the other while
        they are edited."""
        settings = self.tracker.settings
        if action == "edit":
            return self.may_edit() and not self.editing
        if action == "save":
            return self.may_edit() and self.editing
        if action in self.EDITOR_ACTIONS:
            return self.may_edit()
        if action == "review_evidence":
            return settings.reviewer and not settings.read_only
        return True

    async def action_edit(self, field: str = "") -> None:
        """Edit the fields: the form in place of the read view, the cursor in `field` (the
        one clicked) or the first."""
        await self.open_form(field)

    # Saving ------------------------------------------------------------------------------------

    def action_save(self) -> None:
        """Save the form; say what is wrong if it cannot be saved."""
        if self.loaded is None or not self.editing:
            return
        error = self.query_one("#form-error", Static)
        for widget in self.query("#form .-invalid"):
            widget.remove_class("-invalid")
        try:
            changes = self.pending()
        except ValueError as exc:
            error.update(str(exc))
            # Said where it is seen too: in a short terminal the form's last line is below.
            self.notify(str(exc), title="Not saved", severity="error", timeout=6)
            label = str(exc).split(":")[0]
            for field_id, field_label in TEXT_FIELDS:
                if field_label == label:
                    self.query_one(f"#{field_id}").add_class("-invalid")
            return
        if changes is None:
            self.notify("Nothing to save", timeout=2)
            return
        self._write(changes, self.loaded.detail.row.version)

    def _write(self, changes: ActionChanges, version: int) -> None:
        tracker, settings, ref = self.tracker, self.tracker.settings, self.ref

        def write() -> int:
            return services.update_action(
                tracker.store, ref, settings.user, settings.today, changes, expected_version=version
            )

        def failed(exc: Exception) -> None:
            if isinstance(exc, ConflictError):
                self.reload(then=lambda fresh: self._conflict(changes, fresh, exc))
            else:
                self.query_one("#form-error", Static).update(screen_words(str(exc)))

        self.run_db(write, self._saved, name="save", failed=failed)

    def _saved(self, version: int) -> None:
        """Saved: the fields read again, shown as stored (the read view)."""
        self.notify(f"Saved {self.ref} (version {version})", timeout=3)

        def shown(loaded: Loaded) -> None:
            self.close_form()
            self.show(loaded)

        self.reload(then=shown)

    def _conflict(self, mine: ActionChanges, fresh: Loaded, exc: Exception) -> None:
        ours = self.values()
        theirs = form_values(fresh.detail)
        fields = {
            "text": "text",
            "owner": "owner",
            "lead": "lead",
            "start": "start_on",
            "target": "target_on",
            "progress": "progress",
            "status": "status",
            "success_measure": "success_measure",
            "impact_check": "impact_check",
            "override": "brag_override",
            "override_reason": "brag_override_reason",
        }
        rows = [
            (name, safe(ours[name] or "(empty)", 40), safe(theirs[name] or "(empty)", 40))
            for name, attr in fields.items()
            if getattr(mine, attr, None) is not None or attr in mine.clear
        ]

        def chosen(choice: str | None) -> None:
            if choice == "mine":
                self._write(mine, fresh.detail.row.version)
            else:
                self.show(fresh)
                self.notify("Showing the saved values; your edits were set aside", timeout=4)

        self.app.push_screen(ConflictDialog(str(exc), rows), chosen)

    # Notes and evidence ------------------------------------------------------------------------

    def action_add_note(self) -> None:
        """Add a progress note, dated the day it is about (today unless given); the dialog
        saves it, and keeps the words typed if it is refused."""
        tracker, settings, ref = self.tracker, self.tracker.settings, self.ref

        def save(note: NewNote) -> int:
            # The note's date is the day it tells of; the audit trail keeps when it was written.
            return services.add_note(tracker.store, ref, settings.user, note.on, note.text)

        def added(version: int | None) -> None:
            if version is not None:
                self._added("Note added", "updates")

        self.app.push_screen(NoteDialog(save, settings.today), added)

    def action_add_evidence(self) -> None:
        """Attach evidence: a file (fingerprinted) or a reference; the dialog saves it, and
        keeps what was typed if it is refused."""
        tracker, settings, ref = self.tracker, self.tracker.settings, self.ref

        def save(item: NewEvidence) -> int:
            return services.add_evidence(
                tracker.store,
                ref,
                settings.user,
                item.title,
                file=Path(item.file) if item.file else None,
                reference=item.reference,
                dated=item.dated,
                kind=item.kind,
                expires=item.expires,
            )

        def added(evidence: int | None) -> None:
            if evidence is not None:
                self._added("Evidence added", "evidence")

        self.app.push_screen(EvidenceDialog(save), added)

    def _added(self, message: str, tab: str) -> None:
        self.notify(message, timeout=3)
        self.call_later(self.action_show_tab, tab)
        self.reload()

    # Review ------------------------------------------------------------------------------------

    def action_review_evidence(self) -> None:
        """Reviewers: accept or query the piece of evidence under the cursor."""
        if self.loaded is None:
            return
        tabs = self.query_one("#tabs", TabbedContent)
        evidence = self.loaded.detail.evidence
        if not evidence:
            self.notify("This action has no evidence to review", severity="warning")
            return
        if tabs.active != "evidence":
            self.call_later(self.action_show_tab, "evidence")
            self.notify("Choose the evidence, then press v again", timeout=3)
            return
        row = self.query_one("#evidence-table", DataTable).cursor_row
        item = evidence[min(max(row, 0), len(evidence) - 1)]
        tracker, settings = self.tracker, self.tracker.settings

        def decided(review: Review | None) -> None:
            if review is None:
                return

            def write() -> str:
                services.review_evidence(
                    tracker.store,
                    item.id,
                    settings.user,
                    review.decision,
                    settings.today,
                    review.comment,
                )
                return f"Evidence {review.decision.value}: {safe(item.title, 40)}"

            self.run_db(write, lambda message: self._added(message, "evidence"), name="review")

        self.app.push_screen(ReviewDialog(safe(item.title)), decided)
