"""Files the tracker reads or writes for a user: one safe way to open a user's file (a regular
file only, never a pipe, device, socket or folder, read within a bound), an export written
whole or not at all, and an evidence file fingerprinted without ever following a link."""

from __future__ import annotations

import errno
import hashlib
import os
import secrets
import stat
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path
from typing import BinaryIO

from tracker.errors import ServiceError
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
        return cls(
            database=sqlite_file_of(db),
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


def kind_of(mode: int) -> str:
    """What a file of this `st_mode` is, in words ("a named pipe", "a folder", ...)."""
    for test, words in (
        (stat.S_ISREG, "a regular file"),
        (stat.S_ISDIR, "a folder"),
        (stat.S_ISLNK, "a symbolic link"),
        (stat.S_ISFIFO, "a named pipe"),
        (stat.S_ISSOCK, "a socket"),
        (stat.S_ISCHR, "a device"),
        (stat.S_ISBLK, "a device"),
    ):
        if test(mode):
            return words
    return "not a file"


class NotARegularFile(ValueError):
    """What lies at a path is not a regular file. `kind` says what it is ("a named pipe", "a
    folder", "a symbolic link", ...); `what` is "a symbolic link" for a link and "not a
    regular file" for anything else."""

    def __init__(self, path: str | Path, kind: str) -> None:
        self.path = path
        self.kind = kind
        self.what = kind if kind == "a symbolic link" else "not a regular file"
        super().__init__(f"{path} is {self.what}" + ("" if kind == self.what else f" ({kind})"))


class TooLarge(ValueError):
    """A user's file is larger than the most the tracker will read of it."""

    def __init__(self, path: str | Path, most: int) -> None:
        super().__init__(f"{path} is larger than {most:,} bytes")
        self.most = most


@contextmanager
def open_regular(
    path: str | Path, *, follow_links: bool = True
) -> Iterator[tuple[BinaryIO, os.stat_result]]:
    """The regular file at `path`, open for reading, with what `fstat` says of it: the one way
    the tracker opens a file a user names.

    Nothing is looked at before the open, so nothing can be swapped in between a look and the
    open: the file is opened with O_NONBLOCK (a named pipe put there opens at once instead of
    waiting for a writer for ever), then the open descriptor itself is asked what it is, and
    anything but a regular file (a pipe, a device such as /dev/zero, a folder) is refused. A
    socket cannot be opened at all. With `follow_links` off a symbolic link is refused by the
    system (O_NOFOLLOW). NotARegularFile for any of these; OSError (FileNotFoundError, ...)
    when it cannot be opened."""
    flags = os.O_RDONLY | os.O_NONBLOCK | getattr(os, "O_CLOEXEC", 0)
    if not follow_links:
        flags |= os.O_NOFOLLOW
    try:
        fd = os.open(path, flags)
    except OSError as exc:
        if exc.errno == errno.ENXIO:
            raise NotARegularFile(path, "a socket") from None
        if not follow_links and exc.errno == errno.ELOOP and os.path.islink(path):
            raise NotARegularFile(path, "a symbolic link") from None
        raise
    try:
        info = os.fstat(fd)
        if not stat.S_ISREG(info.st_mode):
            raise NotARegularFile(path, kind_of(info.st_mode))
        os.set_blocking(fd, True)  # a regular file: ordinary reads from here on
        handle = os.fdopen(fd, "rb")
    except BaseException:
        os.close(fd)
        raise
    with handle:
        yield handle, info


def read_regular(path: str | Path, most: int, *, follow_links: bool = True) -> bytes:
    """The bytes of the regular file at `path` (`open_regular`), at most `most` of them:
    TooLarge if it holds more, however its size was reported (a file still growing, a sparse
    file), so that no file can make the tracker read without end."""
    with open_regular(path, follow_links=follow_links) as (handle, info):
        if info.st_size > most:
            raise TooLarge(path, most)
        data = handle.read(most + 1)
    if len(data) > most:
        raise TooLarge(path, most)
    return data


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
