"""The `tracker` command: parses arguments, calls `tracker.services` (every write) and
`tracker.queries` (every read), prints.

Exit status: 0 done, 1 a user error (message on stderr, nothing written), 2 bad usage.
Text output never prints a stored control character raw (`tracker.text.clean`). A command's
module is imported when the command runs, and the TUI and the database layer only by the
commands that need them, so that the others start quickly (`tracker plans` on a SQLite file
imports no SQLAlchemy).

- `group`: the `tracker` group, its options and the errors it reports; `context`: the
  settings and the store opened on first use; `output`: JSON, tables, an export's bytes;
- `launch`: the screen (`tracker`, `tracker demo`); `lists`: the reads (`check` among them);
  `edits`: a manager's changes; `authoring`: writing a plan (`action`, `rec`, `plan`);
  `review`: the YJB's; `exchange`: import, export, dump, portfolio; `admin`: backup, restore,
  verify.
"""

from __future__ import annotations

from collections.abc import Sequence

from tracker.cli.group import LazyGroup, main

evidence = LazyGroup("evidence", help="Evidence of implementation.")
evidence.register(
    {
        "add": "tracker.cli.edits:evidence_add",
        "list": "tracker.cli.lists:evidence_list",
    }
)

action = LazyGroup("action", help="Add, withdraw and restore a plan's actions.")
action.register(
    {
        "add": "tracker.cli.authoring:action_add",
        "withdraw": "tracker.cli.authoring:action_withdraw",
        "restore": "tracker.cli.authoring:action_restore",
    }
)
rec = LazyGroup("rec", help="Add, edit, withdraw and restore a plan's recommendations.")
rec.register(
    {
        "add": "tracker.cli.authoring:rec_add",
        "edit": "tracker.cli.authoring:rec_edit",
        "withdraw": "tracker.cli.authoring:rec_withdraw",
        "restore": "tracker.cli.authoring:rec_restore",
    }
)
plan = LazyGroup("plan", help="Start a plan without a report; edit a plan's own details.")
plan.register(
    {
        "new": "tracker.cli.authoring:plan_new",
        "edit": "tracker.cli.authoring:plan_edit",
    }
)

main.add_command(evidence)
main.add_command(action)
main.add_command(rec)
main.add_command(plan)
main.register(
    {
        "demo": "tracker.cli.launch:demo",
        "load": "tracker.cli.edits:load",
        "edit": "tracker.cli.planedit:edit",
        "update": "tracker.cli.edits:update",
        "step": "tracker.cli.edits:step",
        "check": "tracker.cli.lists:check",
        "plans": "tracker.cli.lists:plans",
        "actions": "tracker.cli.lists:actions",
        "signoffs": "tracker.cli.lists:signoffs",
        "history": "tracker.cli.lists:history",
        "roles": "tracker.cli.lists:roles",
        "digest": "tracker.cli.lists:digest",
        "review": "tracker.cli.review:review",
        "import": "tracker.cli.exchange:import_report",
        "export": "tracker.cli.exchange:export",
        "dump": "tracker.cli.exchange:dump",
        "portfolio": "tracker.cli.exchange:portfolio",
        "backup": "tracker.cli.admin:backup",
        "restore": "tracker.cli.admin:restore",
        "verify": "tracker.cli.admin:verify",
    }
)


def run(argv: Sequence[str] | None = None) -> int:
    """Run the command line; return its exit status (for tests)."""
    try:
        main.main(args=list(argv) if argv is not None else None, prog_name="tracker")
    except SystemExit as exc:
        return int(exc.code or 0)
    return 0


__all__ = ["main", "run"]
