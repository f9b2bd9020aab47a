"""Writing a file a user asked for (an export): whole or not at all."""

from __future__ import annotations

import tempfile
from pathlib import Path

from tracker.services import ServiceError


def write_whole(output: Path, data: bytes) -> None:
    """Write `data` to `output` through a temporary file beside it and a rename, so that a
    reader never sees half a file and a failure leaves any earlier file as it was.
    ServiceError, naming the file, when the folder is missing or not writable."""
    target = output.expanduser()
    folder = target.resolve().parent
    if not folder.is_dir():
        raise ServiceError(f"cannot write {output}: folder {folder} does not exist")
    if target.is_dir():
        raise ServiceError(f"cannot write {output}: it is a folder")
    temporary: Path | None = None
    try:
        with tempfile.NamedTemporaryFile(dir=folder, prefix=".tracker-", delete=False) as handle:
            temporary = Path(handle.name)
            handle.write(data)
        temporary.replace(target)
    except OSError as exc:
        if temporary is not None:
            temporary.unlink(missing_ok=True)
        raise ServiceError(f"cannot write {output}: {exc.strerror or exc}") from None
