"""Evidence of implementation: a reference to where it is kept, or a file fingerprinted
(SHA-256 and size) so that a later change to it can be found (`tracker.verify`)."""

from __future__ import annotations

from datetime import date
from pathlib import Path

from tracker.errors import ServiceError
from tracker.files import NotARegularFile, TooLarge, fingerprint
from tracker.models import Evidence
from tracker.queries.lookups import get_action
from tracker.services._audit import audit, check_actor, check_days, check_text, require_editor
from tracker.services.actions import check_open
from tracker.store import Store
from tracker.text import has_control
from tracker.vocab import EvidenceKind

MAX_EVIDENCE_BYTES = 2 * 1024**3 - 1
"""The largest evidence file the tracker fingerprints (2 GiB less a byte: the size column
holds no more)."""


def _fingerprint_evidence(file: Path) -> tuple[str, int, str]:
    """The SHA-256, size and absolute path of an evidence file, read once through one open
    (`tracker.files.fingerprint`): nothing is looked at before that open, so a named pipe,
    a device or a link swapped in for the file is refused, never waited on. ServiceError
    naming the file and what is wrong."""
    try:
        path = file.expanduser()
        # The file itself is never followed (O_NOFOLLOW); the name recorded is the absolute
        # one, with any links among its folders resolved.
        digest, size = fingerprint(path, most=MAX_EVIDENCE_BYTES)
        resolved = path.resolve()
    except NotARegularFile as exc:
        if exc.kind == "a symbolic link":
            raise ServiceError(
                f"evidence file {file} is a symbolic link: give the file itself"
            ) from None
        raise ServiceError(
            f"evidence file {file} is not a regular file but {exc.kind}: give the file itself"
        ) from None
    except TooLarge:
        raise ServiceError(f"evidence file {file} is larger than 2 GiB") from None
    except (FileNotFoundError, NotADirectoryError):
        raise ServiceError(f"evidence file {file} does not exist") from None
    except (OSError, ValueError, RuntimeError) as exc:
        # A name too long, a NUL byte in it, ~user for no such user, unreadable.
        reason = getattr(exc, "strerror", None) or exc
        raise ServiceError(f"evidence file {file} cannot be used ({reason})") from None
    name = str(resolved)
    if has_control(name):
        raise ServiceError(
            f"evidence file {file}: its name holds a control, invisible or undecodable "
            "character; rename the file"
        )
    return digest, size, check_text(name, "the evidence file name")


def add_evidence(
    store: Store,
    ref: str,
    actor: str,
    title: str,
    *,
    file: Path | None = None,
    reference: str | None = None,
    dated: date | None = None,
    kind: EvidenceKind = EvidenceKind.DOCUMENT,
    expires: date | None = None,
) -> int:
    """Attach evidence to an action: a reference to where it is kept, or a file, which is
    fingerprinted (SHA-256 and size) so that a later change to it can be detected. Returns the
    evidence's id."""
    require_editor(store)
    check_actor(actor)
    check_text(title, "the evidence title", required=True)
    check_days(dated=dated, expires=expires)
    if (file is None) == (reference is None):
        raise ServiceError("give either a file or a reference for the evidence, not both")
    digest = size = path_text = None
    if reference is not None:
        check_text(reference, "the evidence reference", required=True)
    if file is not None:
        digest, size, path_text = _fingerprint_evidence(file)
    with store.write() as session:
        action = get_action(session, ref)
        check_open(session, action)
        evidence = Evidence(
            title=title,
            kind=kind,
            dated=dated,
            reference=reference,
            file_path=path_text,
            sha256=digest,
            size=size,
            expires_on=expires,
            added_by=actor,
        )
        action.evidence.append(evidence)
        session.flush()
        what = reference if reference is not None else f"{path_text} (sha256 {digest})"
        audit(
            session,
            actor,
            "action",
            action.id,
            ref,
            "evidence",
            None,
            f"{title}: {what}",
            action.version,
        )
        return evidence.id
