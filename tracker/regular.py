"""Opening a file a user names, safely: a regular file only, never a pipe, device, socket or
folder, read within a bound. The standard library only, with no pathlib: the config file is
read this way before the small reads print (`tracker.config`), which import neither pathlib
nor what `tracker.files` builds on it (issue 17); `tracker.files` gives these names too."""

from __future__ import annotations

import errno
import os
import stat
from collections.abc import Iterator
from contextlib import contextmanager
from typing import TYPE_CHECKING, BinaryIO

if TYPE_CHECKING:
    from pathlib import Path


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
