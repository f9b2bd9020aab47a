"""Evidence integrity: re-hash evidence files and report any that changed or went missing.

A recorded path is looked at as it is: a symbolic link is never followed (a link put where the
file was is a change, not the file), nothing but a regular file is opened (a pipe there would
block for ever), and a recorded path that is not absolute is never resolved against wherever
`tracker verify` happens to run.
"""

from __future__ import annotations

import os
from dataclasses import dataclass

from tracker.files import NotARegularFile, fingerprint
from tracker.planfile import evidence_path_problem
from tracker.queries.action import evidence_files
from tracker.queries.reader import Reader

STATES = ("ok", "changed", "missing", "unreadable")
"""What a check can find."""


@dataclass(frozen=True)
class EvidenceCheck:
    """One evidence file and what was found: ok, changed, missing or unreadable."""

    action: str
    evidence_id: int
    title: str
    path: str
    state: str
    detail: str = ""


def check_file(path: str, sha256: str | None, size: int | None) -> tuple[str, str]:
    """(state, detail) for the evidence file recorded at `path` with that SHA-256 and size."""
    problem = evidence_path_problem(path)
    if problem is not None:
        return "unreadable", f"the recorded path {problem}"
    if not os.path.lexists(path):
        return "missing", "no such file"
    try:
        digest, now = fingerprint(path)
    except NotARegularFile as exc:
        return "changed", f"now {exc.what}"
    except OSError as exc:
        return "unreadable", str(exc.strerror or exc)
    if digest != sha256 or now != size:
        recorded = f"{str(sha256)[:12]}… size {size}"
        return "changed", f"now sha256 {digest[:12]}… size {now}; recorded {recorded}"
    return "ok", ""


def verify_evidence(reader: Reader, plan: str | None = None) -> list[EvidenceCheck]:
    """Every evidence file (of one plan, or all), re-hashed and compared with its record.
    NotFoundError for an unknown plan."""
    checks = []
    for found in evidence_files(reader, plan):
        state, detail = check_file(found.path, found.sha256, found.size)
        checks.append(
            EvidenceCheck(found.action, found.evidence_id, found.title, found.path, state, detail)
        )
    return checks
