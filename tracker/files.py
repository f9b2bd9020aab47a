"""Writing a file a user asked for (an export): whole or not at all."""

from __future__ import annotations

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
