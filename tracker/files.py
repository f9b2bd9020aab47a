"""Files the tracker reads or writes for a user: an export written whole or not at all, and an
evidence file fingerprinted without ever following a link."""

from __future__ import annotations

import hashlib
import os
import secrets
import stat
from pathlib import Path

from tracker.errors import ServiceError


def write_whole(output: Path, data: bytes) -> None:
    """Write `data` to `output` through a temporary file beside it and a rename, so that a
    reader never sees half a file and a failure leaves any earlier file as it was.

    The file gets the mode an ordinary write would give it: an existing file keeps its own,
    a new one gets 0666 less the umask. ServiceError, naming the file, when the folder is
    missing or not writable."""
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
        temporary.replace(target)
    except OSError as exc:
        if temporary is not None:
            temporary.unlink(missing_ok=True)
        raise ServiceError(f"cannot write {output}: {exc.strerror or exc}") from None


class NotARegularFile(ValueError):
    """What lies at a path is not a regular file (`what` says what it is instead)."""

    def __init__(self, path: str | Path, what: str) -> None:
        super().__init__(f"{path} is {what}")
        self.what = what


def fingerprint(path: str | Path) -> tuple[str, int]:
    """The SHA-256 (hex) and size of the regular file at `path`, read in blocks.

    A symbolic link is refused by the system itself (O_NOFOLLOW), so that nothing can swap the
    file for a link between a look and the open; O_NONBLOCK keeps a pipe put there from
    stalling the read. NotARegularFile for a link or anything else that is not a regular
    file; OSError when it cannot be read."""
    try:
        fd = os.open(path, os.O_RDONLY | os.O_NOFOLLOW | os.O_NONBLOCK)
    except OSError:
        if os.path.islink(path):
            raise NotARegularFile(path, "a symbolic link") from None
        raise
    with os.fdopen(fd, "rb") as handle:
        if not stat.S_ISREG(os.fstat(handle.fileno()).st_mode):
            raise NotARegularFile(path, "not a regular file")
        digest, size = hashlib.sha256(), 0
        while block := handle.read(1024 * 1024):
            digest.update(block)
            size += len(block)
    return digest.hexdigest(), size
