"""Files the tracker reads or writes for a user: one safe way to open a user's file (a regular
file only, never a pipe, device, socket or folder, read within a bound: `tracker.regular`,
whose names this module gives too), an export written whole or not at all, and an evidence
file fingerprinted without ever following a link."""

from __future__ import annotations

import hashlib
import os
import secrets
import stat
from dataclasses import dataclass
from pathlib import Path

from tracker.errors import ServiceError
from tracker.regular import NotARegularFile as NotARegularFile
from tracker.regular import TooLarge as TooLarge
from tracker.regular import kind_of as kind_of
from tracker.regular import open_regular as open_regular
from tracker.regular import read_regular as read_regular
from tracker.schema import sqlite_file_of

BLOCK = 1024 * 1024
"""How much is read at a time."""


COMPANION_SUFFIXES = ("-wal", "-shm", "-journal")
"""What SQLite keeps beside a database file while it is in use."""


def _identity(path: Path) -> tuple[int, int] | None:
    """The (device, inode) of what `path` names, following links; None when nothing is there
    (or it cannot be looked at)."""
    try:
        info = os.stat(path)
    except (OSError, ValueError):
        return None
    return info.st_dev, info.st_ino


@dataclass(frozen=True)
class OutputGuard:
    """What a file the tracker writes for a user may be: never the open database or one of
    its companions (`-wal`, `-shm`, `-journal`), by any name (a hard or symbolic link, a path
    through `..`), and, when `may_replace` is off (a read-only or reviewer session not given
    --force), never a file that is already there. `database` is the SQLite file in use (None
    for a server); `session` says in words why nothing may be replaced."""

    database: Path | None = None
    may_replace: bool = True
    session: str = ""

    @classmethod
    def for_session(
        cls, db: str | Path, *, read_only: bool, reviewer: bool, force: bool = False
    ) -> OutputGuard:
        """The guard for a session on database `db` (a path or URL): a read-only or reviewer
        session replaces no file unless `force` (--force) is given; none writes the database."""
        session = "a read-only session" if read_only else "a reviewer's session"
        database = sqlite_file_of(db)
        return cls(
            database=None if database is None else Path(database),
            may_replace=force or not (read_only or reviewer),
            session=session if (read_only or reviewer) else "",
        )

    def _protected(self) -> list[tuple[Path, str]]:
        """The database and its companions, each with what it is in words."""
        if self.database is None:
            return []
        base = self.database.expanduser()
        return [(base, "the database")] + [
            (base.with_name(base.name + s), f"the database's {s} file") for s in COMPANION_SUFFIXES
        ]

    def check(self, output: Path) -> None:
        """ServiceError, naming the file and the problem, when `output` may not be written:
        it is (by name, resolved path or inode) the database or a companion, or it exists and
        this session may replace nothing."""
        target = output.expanduser()
        resolved = _resolved(target)
        found = {_identity(target), _identity(resolved)} - {None}
        for protected, what in self._protected():
            if (
                protected == target
                or _resolved(protected) == resolved
                or _identity(protected) in found
            ):
                raise ServiceError(
                    f"cannot write {output}: it is {what} in use ({protected}); choose another file"
                )
        if not self.may_replace and (target.exists() or target.is_symlink()):
            raise ServiceError(
                f"cannot write {output}: it already exists, and {self.session or 'this session'}"
                " replaces no file unless told to (--force)"
            )


def _resolved(path: Path) -> Path:
    """`path` with every link and `..` resolved, as far as it can be."""
    try:
        return path.resolve()
    except (OSError, RuntimeError, ValueError):
        return path


def write_whole(output: Path, data: bytes, *, guard: OutputGuard) -> None:
    """Write `data` to `output` through a temporary file beside it and a rename, so that a
    reader never sees half a file and a failure leaves any earlier file as it was.

    The file gets the mode an ordinary write would give it: an existing file keeps its own,
    a new one gets 0666 less the umask. ServiceError, naming the file, when the folder is
    missing or not writable, or when `guard` refuses it (the database, or a file there already
    in a session that may replace none); it is asked again just before the rename."""
    guard.check(output)
    target = output.expanduser()
    folder = target.resolve().parent
    if not folder.is_dir():
        raise ServiceError(f"cannot write {output}: folder {folder} does not exist")
    if target.is_dir():
        raise ServiceError(f"cannot write {output}: it is a folder")
    temporary: Path | None = None
    try:
        try:
            keep: int | None = stat.S_IMODE(target.stat().st_mode)
        except FileNotFoundError:
            keep = None
        # Created by hand rather than with tempfile, whose files are always 0600: os.open
        # lets the kernel apply the umask, with no process-wide os.umask() call to race with.
        name = folder / f".tracker-{secrets.token_hex(8)}"
        handle = os.open(name, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o666)
        temporary = name
        with os.fdopen(handle, "wb") as stream:
            stream.write(data)
        if keep is not None:
            temporary.chmod(keep)
        guard.check(output)  # once more: nothing put there meanwhile is written over
        temporary.replace(target)
    except OSError as exc:
        if temporary is not None:
            temporary.unlink(missing_ok=True)
        raise ServiceError(f"cannot write {output}: {exc.strerror or exc}") from None
    except ServiceError:
        if temporary is not None:
            temporary.unlink(missing_ok=True)
        raise


def copy_regular(
    path: str | Path, destination: Path, *, most: int | None = None, follow_links: bool = True
) -> int:
    """Copy the regular file at `path` (`open_regular`) to `destination`, a new file (0600)
    that must not exist yet; returns the bytes copied. TooLarge past `most` (the partial copy
    is removed)."""
    with open_regular(path, follow_links=follow_links) as (handle, _info):
        fd = os.open(destination, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600)
        copied = 0
        try:
            with os.fdopen(fd, "wb") as out:
                while block := handle.read(BLOCK):
                    copied += len(block)
                    if most is not None and copied > most:
                        raise TooLarge(path, most)
                    out.write(block)
        except BaseException:
            destination.unlink(missing_ok=True)
            raise
    return copied


def fingerprint(path: str | Path, most: int | None = None) -> tuple[str, int]:
    """The SHA-256 (hex) and size of the regular file at `path`, read in blocks.

    Opened by `open_regular` without following a link: a symbolic link is refused by the
    system itself (O_NOFOLLOW), so that nothing can swap the file for a link between a look
    and the open, and a pipe, device or folder put there is refused without a read.
    NotARegularFile for those; TooLarge past `most` bytes; OSError when it cannot be read."""
    with open_regular(path, follow_links=False) as (handle, info):
        if most is not None and info.st_size > most:
            raise TooLarge(path, most)
        digest, size = hashlib.sha256(), 0
        while block := handle.read(BLOCK):
            digest.update(block)
            size += len(block)
            if most is not None and size > most:
                raise TooLarge(path, most)
    return digest.hexdigest(), size
