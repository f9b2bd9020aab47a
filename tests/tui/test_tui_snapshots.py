"""Snapshots of every screen and dialog at 120x40, and of the main screens at 80x24 and
200x50 too: fixed data, a fixed "today", fixed times
in the audit trail, and fixed folders, so that a change in what a user sees shows as a diff to
review (`pytest tests/tui/test_tui_snapshots.py --snapshot-update`, then look at each SVG)."""

from __future__ import annotations

from collections.abc import Awaitable, Callable, Iterator
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

import pytest
from textual.pilot import Pilot
from textual.widgets import Input

from conftest import SEEDS, TODAY
from tests.support.tui import (
    focus_on,
    make_app,
    open_action,
    open_plan,
    settle,
    tree_loaded,
)
from tracker import services
from tracker.models import AuditEvent
from tracker.queries import lookups
from tracker.services import ActionChanges
from tracker.store import Store, open_store
from tracker.tui.app import TrackerApp
from tracker.tui.widgets.table import FastTable

SIZE = (120, 40)
Before = Callable[[Pilot[Any]], Awaitable[None]]


@pytest.fixture
def fixed(loaded_path: Path, monkeypatch: pytest.MonkeyPatch) -> Iterator[Store]:
    """The samples with a history for action 3.2 at fixed times (audit events are
    append-only, so the edits that led to its values are written as their events), run from
    /tmp (the export dialog proposes a file in the current folder)."""
    store = open_store(loaded_path)
    ref = "stockton-2010/3.2"
    with store.write() as session:
        action_id = lookups.get_action(session, ref).id
        for at, actor, field, old, new in (
            (datetime(2010, 9, 1, 9, 30, tzinfo=UTC), "Miriam Robertson", "progress", "40", "60"),
            (
                datetime(2010, 9, 15, 10, 15, tzinfo=UTC),
                "Tess Tester",
                "lead",
                "Jo Bloggs",
                "Team Manager (Court and Custody)",
            ),
        ):
            session.add(
                AuditEvent(
                    at=at,
                    actor=actor,
                    entity="action",
                    entity_id=action_id,
                    entity_ref=ref,
                    entity_version=1,
                    field=field,
                    old_value=old,
                    new_value=new,
                )
            )
    monkeypatch.chdir("/tmp")
    yield store
    store.dispose()


@pytest.fixture
def snap_compare(snap_compare: Any) -> Any:
    """The plugin's snap_compare, with the text cursor held steady before the screenshot:
    a focused field's cursor blinks every half second, and a screenshot taken a little later
    (on a busy machine) caught it in the other half of the blink."""

    def compare(app: TrackerApp, *, run_before: Before | None = None, **kwargs: Any) -> bool:
        async def before(pilot: Pilot[Any]) -> None:
            if run_before is not None:
                await run_before(pilot)
            focused = pilot.app.focused
            if focused is not None and hasattr(focused, "cursor_blink"):
                focused.cursor_blink = False  # shown, and no longer blinking
                await pilot.pause()

        return bool(snap_compare(app, run_before=before, **kwargs))

    return compare


def reviewer_app(path: Path) -> TrackerApp:
    return make_app(open_store(path, reviewer=True), reviewer=True, user="Yasmin Officer (YJB)")


def at_plan(*keys: str, plan: str = "stockton-2010") -> Before:
    async def before(pilot: Pilot[Any]) -> None:
        await open_plan(pilot, plan)
        if keys:
            await pilot.press(*keys)
            await settle(pilot)

    return before


def at_action(*keys: str, ref: str = "stockton-2010/3.2") -> Before:
    async def before(pilot: Pilot[Any]) -> None:
        await open_action(pilot, ref)
        if keys:
            await pilot.press(*keys)
            await settle(pilot)

    return before


def at_plans(*keys: str) -> Before:
    async def before(pilot: Pilot[Any]) -> None:
        await settle(pilot)
        if keys:
            await pilot.press(*keys)
            await settle(pilot)

    return before


def test_snapshot_plans(snap_compare: Any, fixed: Store) -> None:
    assert snap_compare(make_app(fixed), terminal_size=SIZE, run_before=at_plans())


def test_snapshot_plan(snap_compare: Any, fixed: Store) -> None:
    assert snap_compare(make_app(fixed), terminal_size=SIZE, run_before=at_plan())


@pytest.mark.parametrize(
    "tab", ["1", "2", "3", "4"], ids=["details", "updates", "evidence", "history"]
)
def test_snapshot_action_tab(snap_compare: Any, fixed: Store, tab: str) -> None:
    ref = "stockton-2010/1.1" if tab == "3" else "stockton-2010/3.2"
    before = at_action(tab, ref=ref)
    assert snap_compare(make_app(fixed), terminal_size=SIZE, run_before=before)


def test_snapshot_bulk_edit(snap_compare: Any, fixed: Store) -> None:
    async def before(pilot: Pilot[Any]) -> None:
        await at_plan("space", "space")(pilot)  # actions 1.1 and 1.2
        await pilot.press("b")
        await settle(pilot)

    assert snap_compare(make_app(fixed), terminal_size=SIZE, run_before=before)


def test_snapshot_help_panel(snap_compare: Any, fixed: Store) -> None:
    before = at_plan("question_mark")
    assert snap_compare(make_app(fixed), terminal_size=SIZE, run_before=before)


def test_snapshot_command_palette(snap_compare: Any, fixed: Store) -> None:
    async def before(pilot: Pilot[Any]) -> None:
        await settle(pilot)
        await pilot.press("ctrl+p", *"3.3 text")
        await pilot.pause(0.8)

    assert snap_compare(make_app(fixed), terminal_size=SIZE, run_before=before)


def test_snapshot_conflict(snap_compare: Any, fixed: Store) -> None:
    async def before(pilot: Pilot[Any]) -> None:
        screen = await open_action(pilot, "stockton-2010/5.2")
        services.update_action(
            fixed, "stockton-2010/5.2", "Someone Else", TODAY, ActionChanges(progress=70)
        )
        await pilot.press("e")
        await settle(pilot)
        screen.query_one("#progress", Input).value = "90"
        await pilot.press("ctrl+s")
        await settle(pilot)

    assert snap_compare(make_app(fixed), terminal_size=SIZE, run_before=before)


def test_snapshot_filter(snap_compare: Any, fixed: Store) -> None:
    assert snap_compare(make_app(fixed), terminal_size=SIZE, run_before=at_plan("f"))


def test_snapshot_lifecycle_draft(snap_compare: Any, fixed: Store) -> None:
    before = at_plan("l", plan="cambridgeshire-2014")
    assert snap_compare(make_app(fixed), terminal_size=SIZE, run_before=before)


def test_snapshot_lifecycle_nothing_left(snap_compare: Any, fixed: Store) -> None:
    assert snap_compare(make_app(fixed), terminal_size=SIZE, run_before=at_plan("l"))


def test_snapshot_note(snap_compare: Any, fixed: Store) -> None:
    assert snap_compare(make_app(fixed), terminal_size=SIZE, run_before=at_action("ctrl+n"))


def test_snapshot_evidence(snap_compare: Any, fixed: Store) -> None:
    assert snap_compare(make_app(fixed), terminal_size=SIZE, run_before=at_action("ctrl+o"))


def test_snapshot_import_dialog(
    snap_compare: Any, fixed: Store, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.chdir(SEEDS)  # the folder tree shows the seed reports

    async def before(pilot: Pilot[Any]) -> None:
        await at_plans("i")(pilot)
        await tree_loaded(pilot)

    assert snap_compare(make_app(fixed), terminal_size=SIZE, run_before=before)


def test_snapshot_import_preview(snap_compare: Any, fixed: Store) -> None:
    async def before(pilot: Pilot[Any]) -> None:
        await at_plans("i")(pilot)
        dialog = pilot.app.screen
        report = SEEDS / "halton-warrington-2009-cci-report.txt"
        dialog.query_one("#path", Input).value = str(report)
        await pilot.press("ctrl+s")
        await settle(pilot)

    assert snap_compare(make_app(fixed), terminal_size=SIZE, run_before=before)


def test_snapshot_export(snap_compare: Any, fixed: Store) -> None:
    assert snap_compare(make_app(fixed), terminal_size=SIZE, run_before=at_plan("x"))


def test_snapshot_export_filtered(snap_compare: Any, fixed: Store) -> None:
    assert snap_compare(make_app(fixed), terminal_size=SIZE, run_before=at_plan("o", "x"))


def test_snapshot_confirm_discard(snap_compare: Any, fixed: Store) -> None:
    async def before(pilot: Pilot[Any]) -> None:
        screen = await open_action(pilot, "stockton-2010/3.2")
        await pilot.press("e")
        await settle(pilot)
        screen.query_one("#progress", Input).value = "99"
        await pilot.press("escape")
        await settle(pilot)

    assert snap_compare(make_app(fixed), terminal_size=SIZE, run_before=before)


def test_snapshot_reviewer_plans(snap_compare: Any, fixed: Store, loaded_path: Path) -> None:
    app = reviewer_app(loaded_path)
    assert snap_compare(app, terminal_size=SIZE, run_before=at_plans())
    app.store.dispose()


def test_snapshot_reviewer_action(snap_compare: Any, fixed: Store, loaded_path: Path) -> None:
    app = reviewer_app(loaded_path)
    before = at_action("3", ref="stockton-2010/1.1")
    assert snap_compare(app, terminal_size=SIZE, run_before=before)
    app.store.dispose()


def test_snapshot_review_dialog(snap_compare: Any, fixed: Store, loaded_path: Path) -> None:
    app = reviewer_app(loaded_path)
    before = at_action("3", "v", ref="stockton-2010/1.1")
    assert snap_compare(app, terminal_size=SIZE, run_before=before)
    app.store.dispose()


def test_snapshot_sign_off_dialog(snap_compare: Any, fixed: Store, loaded_path: Path) -> None:
    app = reviewer_app(loaded_path)
    assert snap_compare(app, terminal_size=SIZE, run_before=at_plan("g"))
    app.store.dispose()


def test_snapshot_portfolio_export(snap_compare: Any, fixed: Store, loaded_path: Path) -> None:
    app = reviewer_app(loaded_path)
    assert snap_compare(app, terminal_size=SIZE, run_before=at_plans("x"))
    app.store.dispose()


# Writing the plan -------------------------------------------------------------------------------


def test_snapshot_draft_plan(snap_compare: Any, fixed: Store) -> None:
    """A draft's ready-to-submit checklist above the table; the footer shows first the keys
    that write the plan."""
    before = at_plan(plan="cambridgeshire-2014")
    assert snap_compare(make_app(fixed), terminal_size=SIZE, run_before=before)


def test_snapshot_withdrawn_shown(snap_compare: Any, fixed: Store) -> None:
    async def before(pilot: Pilot[Any]) -> None:
        services.withdraw_action(
            fixed, "stockton-2010/3.2", "Tess Tester", TODAY, "Merged into 3.1"
        )
        await at_plan("w")(pilot)

    assert snap_compare(make_app(fixed), terminal_size=SIZE, run_before=before)


def test_snapshot_add_action(snap_compare: Any, fixed: Store) -> None:
    async def before(pilot: Pilot[Any]) -> None:
        await at_plan("a", plan="cambridgeshire-2014")(pilot)
        # The dialog opens once the roles are read (in a worker): its first field focused.
        await focus_on(pilot, pilot.app.screen.query_one("#text"))

    assert snap_compare(make_app(fixed), terminal_size=SIZE, run_before=before)


def test_snapshot_edit_recommendation(snap_compare: Any, fixed: Store) -> None:
    async def before(pilot: Pilot[Any]) -> None:
        await open_plan(pilot, "stockton-2010")
        table = pilot.app.screen.query_one("#actions", FastTable)
        table.move_cursor(row=table.get_row_index("r:2"))
        await pilot.press("e")
        await settle(pilot)
        await focus_on(pilot, pilot.app.screen.query_one("#text"))

    assert snap_compare(make_app(fixed), terminal_size=SIZE, run_before=before)


def test_snapshot_withdraw(snap_compare: Any, fixed: Store) -> None:
    assert snap_compare(make_app(fixed), terminal_size=SIZE, run_before=at_plan("d"))


def test_snapshot_plan_details(snap_compare: Any, fixed: Store) -> None:
    assert snap_compare(make_app(fixed), terminal_size=SIZE, run_before=at_plan("p"))


def test_snapshot_new_plan(snap_compare: Any, fixed: Store) -> None:
    assert snap_compare(make_app(fixed), terminal_size=SIZE, run_before=at_plans("n"))


def test_snapshot_not_ready_to_submit(snap_compare: Any, fixed: Store) -> None:
    before = at_plan("l", "ctrl+s", plan="cambridgeshire-2014")
    assert snap_compare(make_app(fixed), terminal_size=SIZE, run_before=before)


def test_every_dialog_has_a_snapshot() -> None:
    import importlib
    import pkgutil

    import tracker.tui.dialogs
    from tracker.tui.dialogs.base import FittedModal

    modules = [
        importlib.import_module(f"tracker.tui.dialogs.{info.name}")
        for info in pkgutil.iter_modules(tracker.tui.dialogs.__path__)
    ]
    dialogs = {
        name
        for module in modules
        for name, value in vars(module).items()
        if isinstance(value, type)
        and issubclass(value, FittedModal)
        and value.__module__ == module.__name__
        and name not in {"FittedModal", "Dialog", "SavingDialog", "FileExportDialog"}
    }
    shown = {
        "FilterDialog", "BulkEditDialog", "LifecycleDialog", "NoteDialog", "EvidenceDialog",
        "ConflictDialog", "ConfirmDialog", "ExportDialog", "PortfolioExportDialog",
        "ImportDialog", "ImportPreview", "ReviewDialog", "SignOffDialog", "AddActionDialog",
        "RecommendationDialog", "WithdrawDialog", "PlanDetailsDialog", "NewPlanDialog",
    }  # fmt: skip
    assert dialogs == shown


# Every main screen at the small and the large size (issue 15: every word readable) -----------

LONG_ACTION = (
    "Hold a fortnightly compliance panel at which case managers present every case with two "
    "unacceptable absences, to agree re-engagement work before a warning or breach; the panel "
    "records its decision on the case file, tells the child and the parent or carer in writing "
    "within two working days, reviews each case again at its next sitting, and reports the "
    "numbers seen, re-engaged and breached to the Management Board every quarter, by team"
)
"""The sample plans' longest words and longer: 400 characters, to be read whole."""

SCREENS: dict[str, Before] = {
    "plans": at_plans(),
    "overdue": at_plans("o"),
    "plan": at_plan(*["down"] * 9),  # the cursor on 3.2, read whole in the pane below
    "draft": at_plan(plan="cambridgeshire-2014"),
    "details": at_action(),
    "updates": at_action("2"),
    "help": at_plan("question_mark"),
}


@pytest.mark.parametrize("size", [(80, 24), (200, 50)], ids=["80x24", "200x50"])
@pytest.mark.parametrize("screen", list(SCREENS))
def test_snapshot_screen_sizes(
    snap_compare: Any, fixed: Store, screen: str, size: tuple[int, int]
) -> None:
    services.update_action(
        fixed, "stockton-2010/3.2", "Tess Tester", TODAY, ActionChanges(text=LONG_ACTION)
    )
    assert snap_compare(make_app(fixed), terminal_size=size, run_before=SCREENS[screen])


def test_snapshot_overdue(snap_compare: Any, fixed: Store) -> None:
    assert snap_compare(make_app(fixed), terminal_size=SIZE, run_before=at_plans("o"))


def test_snapshot_reviewer_reads_a_long_action(
    snap_compare: Any, fixed: Store, loaded_path: Path
) -> None:
    services.update_action(
        fixed, "stockton-2010/3.2", "Tess Tester", TODAY, ActionChanges(text=LONG_ACTION)
    )
    app = reviewer_app(loaded_path)
    assert snap_compare(app, terminal_size=(80, 24), run_before=at_action())
    app.store.dispose()


# The dialogs at the small size (issue 15): a form at 80x24 shows every field and its buttons --


async def _add_action(pilot: Pilot[Any]) -> None:
    await at_plan("a", plan="cambridgeshire-2014")(pilot)
    await focus_on(pilot, pilot.app.screen.query_one("#text"))


async def _bulk_edit(pilot: Pilot[Any]) -> None:
    await at_plan("space", "space")(pilot)
    await pilot.press("b")
    await settle(pilot)


async def _conflict(pilot: Pilot[Any]) -> None:
    store = pilot.app.store  # type: ignore[attr-defined]
    screen = await open_action(pilot, "stockton-2010/5.2")
    services.update_action(
        store, "stockton-2010/5.2", "Someone Else", TODAY, ActionChanges(progress=70)
    )
    await pilot.press("e")
    await settle(pilot)
    screen.query_one("#progress", Input).value = "90"
    await pilot.press("ctrl+s")
    await settle(pilot)


async def _confirm_discard(pilot: Pilot[Any]) -> None:
    screen = await open_action(pilot, "stockton-2010/3.2")
    await pilot.press("e")
    await settle(pilot)
    screen.query_one("#progress", Input).value = "99"
    await pilot.press("escape")
    await settle(pilot)


async def _import(pilot: Pilot[Any]) -> None:
    await at_plans("i")(pilot)
    await tree_loaded(pilot)


async def _import_preview(pilot: Pilot[Any]) -> None:
    await at_plans("i")(pilot)
    report = SEEDS / "halton-warrington-2009-cci-report.txt"
    pilot.app.screen.query_one("#path", Input).value = str(report)
    await pilot.press("ctrl+s")
    await settle(pilot)


async def _edit_recommendation(pilot: Pilot[Any]) -> None:
    await open_plan(pilot, "stockton-2010")
    table = pilot.app.screen.query_one("#actions", FastTable)
    table.move_cursor(row=table.get_row_index("r:2"))
    await pilot.press("e")
    await settle(pilot)
    await focus_on(pilot, pilot.app.screen.query_one("#text"))


DIALOGS: dict[str, Before] = {
    "filter": at_plan("f"),
    "bulk-edit": _bulk_edit,
    "lifecycle": at_plan("l", plan="cambridgeshire-2014"),
    "note": at_action("ctrl+n"),
    "evidence": at_action("ctrl+o"),
    "export": at_plan("x"),
    "withdraw": at_plan("d"),
    "plan-details": at_plan("p"),
    "new-plan": at_plans("n"),
    "add-action": _add_action,
    "conflict": _conflict,
    "confirm-discard": _confirm_discard,
    "import": _import,
    "import-preview": _import_preview,
    "edit-recommendation": _edit_recommendation,
    "review": at_action("3", "v", ref="stockton-2010/1.1"),
    "sign-off": at_plan("g"),
    "portfolio-export": at_plans("x"),
}
"""Every dialog (`test_every_dialog_has_a_snapshot` holds the list to the code), as opened."""
REVIEWERS = {"review", "sign-off", "portfolio-export"}
"""The dialogs only a YJB reviewer's session opens."""
SMALL_DIALOGS = list(DIALOGS)[:10]
"""The ten first snapshotted at 80x24 (their files keep that test's name)."""


def _dialog_app(dialog: str, fixed: Store, loaded_path: Path) -> TrackerApp:
    return reviewer_app(loaded_path) if dialog in REVIEWERS else make_app(fixed)


@pytest.mark.parametrize("dialog", SMALL_DIALOGS)
def test_snapshot_dialogs_at_80x24(snap_compare: Any, fixed: Store, dialog: str) -> None:
    assert snap_compare(make_app(fixed), terminal_size=(80, 24), run_before=DIALOGS[dialog])


@pytest.mark.parametrize("size", [(80, 24), (200, 50)], ids=["80x24", "200x50"])
@pytest.mark.parametrize("dialog", [d for d in DIALOGS if d not in SMALL_DIALOGS])
def test_snapshot_more_dialogs_small_and_large(
    snap_compare: Any,
    fixed: Store,
    loaded_path: Path,
    monkeypatch: pytest.MonkeyPatch,
    dialog: str,
    size: tuple[int, int],
) -> None:
    if dialog == "import":
        monkeypatch.chdir(SEEDS)  # its folder tree shows the seed reports
    app = _dialog_app(dialog, fixed, loaded_path)
    assert snap_compare(app, terminal_size=size, run_before=DIALOGS[dialog])


@pytest.mark.parametrize("dialog", SMALL_DIALOGS)
def test_snapshot_dialogs_at_200x50(snap_compare: Any, fixed: Store, dialog: str) -> None:
    assert snap_compare(make_app(fixed), terminal_size=(200, 50), run_before=DIALOGS[dialog])
