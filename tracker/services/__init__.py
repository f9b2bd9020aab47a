"""The only writer: one function per use-case, one transaction each, audited.

Each use-case checks its input and raises a `ServiceError` whose message a YOS manager can act
on, records an audit event for each field it changes (who, when, old and new value), and
either commits all of its work or none of it. An edit based on an older version of a row than
the one stored raises `ConflictError` naming what changed since, and saves nothing.

- `plans`: load plan files, record lifecycle steps; `roles`: roles and their aliases;
- `actions`: edit actions (one or several), add progress notes; `evidence`: attach evidence;
- `authoring`: add, withdraw and restore actions, and the ready-to-submit checklist;
  `recommendations`: add, edit, withdraw and restore them; `plan_details`: the plan's own
  details, and a plan started without a report; `_writing`: what those three share;
- `plan_update`: apply a plan file to its plan in the database (`tracker load --update`,
  `tracker edit`), the differences `plan_diff` finds made as one change;
- `review`: the YJB's review of evidence and sign-offs (a reviewer's store only);
- `board_reports`: write an export's file, record a board report as issued;
- `_audit`: who may write, the checks on stored text, the audit event.

The services read through `tracker.queries` (its look-ups, inside their own transaction);
nothing else in the tracker writes to the database.
"""

from __future__ import annotations

from importlib import import_module
from typing import TYPE_CHECKING, Any

from tracker.errors import ConflictError, NotFoundError, NothingToChange, ServiceError
from tracker.vocab import CLEARABLE, TEXT_AFTER_AGREEMENT

if TYPE_CHECKING:
    from tracker.services._audit import (
        SHORT_TEXT,
        check_actor,
        require_editor,
        require_reviewer,
    )
    from tracker.services._writing import (
        NeedsConfirmation,
        split_recommendation_ref,
    )
    from tracker.services.actions import add_note, bulk_update, update_action
    from tracker.services.authoring import (
        add_action,
        restore_action,
        withdraw_action,
    )
    from tracker.services.board_reports import (
        Issued,
        issue_board_report,
        record_board_report,
        write_export,
    )
    from tracker.services.changes import (
        PLAN_CLEARABLE,
        ActionChanges,
        NewAction,
        PlanChanges,
        RecommendationChanges,
        ScoreValue,
    )
    from tracker.services.evidence import MAX_EVIDENCE_BYTES, add_evidence
    from tracker.services.plan_details import (
        edit_plan,
        new_plan,
    )
    from tracker.services.plan_update import FileRefused, UpdateReport, update_plan
    from tracker.services.plans import STEP_FIELD, NotReady, load_plans, record_step
    from tracker.services.recommendations import (
        add_recommendation,
        edit_recommendation,
        restore_recommendation,
        withdraw_recommendation,
    )
    from tracker.services.review import (
        review_evidence,
        same_person,
        sign_off_plan,
        sign_off_recommendation,
        withdraw_sign_off,
    )

_HOMES = {
    "SHORT_TEXT": "_audit",
    "check_actor": "_audit",
    "require_editor": "_audit",
    "require_reviewer": "_audit",
    "ActionChanges": "changes",
    "add_note": "actions",
    "bulk_update": "actions",
    "update_action": "actions",
    "NeedsConfirmation": "_writing",
    "NewAction": "changes",
    "PlanChanges": "changes",
    "RecommendationChanges": "changes",
    "ScoreValue": "changes",
    "add_action": "authoring",
    "add_recommendation": "recommendations",
    "edit_plan": "plan_details",
    "edit_recommendation": "recommendations",
    "new_plan": "plan_details",
    "restore_action": "authoring",
    "restore_recommendation": "recommendations",
    "withdraw_action": "authoring",
    "withdraw_recommendation": "recommendations",
    "PLAN_CLEARABLE": "changes",
    "split_recommendation_ref": "_writing",
    "NotReady": "plans",
    "FileRefused": "plan_update",
    "UpdateReport": "plan_update",
    "update_plan": "plan_update",
    "Issued": "board_reports",
    "issue_board_report": "board_reports",
    "record_board_report": "board_reports",
    "write_export": "board_reports",
    "MAX_EVIDENCE_BYTES": "evidence",
    "add_evidence": "evidence",
    "STEP_FIELD": "plans",
    "load_plans": "plans",
    "record_step": "plans",
    "review_evidence": "review",
    "same_person": "review",
    "sign_off_plan": "review",
    "sign_off_recommendation": "review",
    "withdraw_sign_off": "review",
}
"""Where each use-case lives. They are imported when first used, not with the package: most
import SQLAlchemy, and an export written from a SQLite file (`issue_board_report`) needs none
of it."""


def __getattr__(name: str) -> Any:
    home = _HOMES.get(name)
    if home is None:
        raise AttributeError(f"module {__name__!r} has no attribute {name!r}")
    return getattr(import_module(f"{__name__}.{home}"), name)


__all__ = [
    "CLEARABLE",
    "MAX_EVIDENCE_BYTES",
    "PLAN_CLEARABLE",
    "SHORT_TEXT",
    "STEP_FIELD",
    "TEXT_AFTER_AGREEMENT",
    "ActionChanges",
    "ConflictError",
    "FileRefused",
    "Issued",
    "NeedsConfirmation",
    "NewAction",
    "NotFoundError",
    "NotReady",
    "NothingToChange",
    "PlanChanges",
    "RecommendationChanges",
    "ScoreValue",
    "ServiceError",
    "UpdateReport",
    "add_action",
    "add_evidence",
    "add_note",
    "add_recommendation",
    "bulk_update",
    "check_actor",
    "edit_plan",
    "edit_recommendation",
    "issue_board_report",
    "load_plans",
    "new_plan",
    "record_board_report",
    "record_step",
    "require_editor",
    "require_reviewer",
    "restore_action",
    "restore_recommendation",
    "review_evidence",
    "same_person",
    "sign_off_plan",
    "sign_off_recommendation",
    "split_recommendation_ref",
    "update_action",
    "update_plan",
    "withdraw_action",
    "withdraw_recommendation",
    "withdraw_sign_off",
    "write_export",
]
