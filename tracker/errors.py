"""The errors every layer raises for a request the tracker refuses, in the user's words.

Standard library only, so that the light reads (`tracker.queries`) and the CLI can name them
without importing the database layer.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from tracker.models import AuditEvent


class ServiceError(Exception):
    """A request the tracker refuses; the message says what is wrong, in the user's words."""


class NotFoundError(ServiceError):
    """No plan or action has the id given."""


class NothingToChange(ServiceError):
    """A change that would leave every value as it is already: refused, so that the audit
    trail never records a change that was not one."""


class ConflictError(ServiceError):
    """Someone else changed the row since the editor read it; nothing was saved."""

    def __init__(self, message: str, current_version: int, changes: list[AuditEvent]) -> None:
        super().__init__(message)
        self.current_version = current_version
        self.changes = changes


class PlanFileError(ValueError):
    """A plan file that cannot be loaded: `where` is the file and key (or line), `problem` what
    is wrong with it."""

    def __init__(self, where: str, problem: str) -> None:
        super().__init__(f"{where}: {problem}")
        self.where = where
        self.problem = problem


class StoreError(Exception):
    """The database cannot be opened or used; the message says which and why."""


def no_plan(slug: str) -> NotFoundError:
    """The error for a plan id that names no plan."""
    return NotFoundError(f"no plan {slug!r} (see `tracker plans`)")
