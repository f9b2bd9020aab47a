"""What the Office formats (DOCX, XLSX) share: text their XML can hold, and a package that is
the same bytes every time it is written from the same plan on the same day.
"""

from __future__ import annotations

import io
import re
import struct
import zipfile
import zlib
from datetime import date
from typing import IO, TYPE_CHECKING

from tracker.text import clean

if TYPE_CHECKING:
    from _typeshed import SizedBuffer, StrPath

ZIP_YEARS = (1980, 2107)
"""The years a zip file can date its members in."""

# XML 1.0 cannot hold these even escaped; `clean` has already dealt with C0 and C1 controls.
_NOT_XML = re.compile("[\ud800-\udfff\ufffe\uffff]")


def xml_text(text: str) -> str:
    """Stored text made safe inside a DOCX or XLSX part: control characters made visible (as
    everywhere), and the few code points XML refuses (U+FFFE, U+FFFF, lone surrogates) shown as
    U+FFFD, so that an odd character in a note can never stop an export."""
    return _NOT_XML.sub("\ufffd", clean(text))


def zip_stamp(today: date) -> tuple[int, int, int, int, int, int]:
    """`today` as a zip member's date: the zip format's first or last day (1 Jan 1980, 31 Dec
    2107) for a day outside the years it can hold."""
    if today.year < ZIP_YEARS[0]:
        return (ZIP_YEARS[0], 1, 1, 0, 0, 0)
    if today.year > ZIP_YEARS[1]:
        return (ZIP_YEARS[1], 12, 31, 0, 0, 0)
    return (today.year, today.month, today.day, 0, 0, 0)


def _member(name: str, stamp: tuple[int, int, int, int, int, int]) -> zipfile.ZipInfo:
    info = zipfile.ZipInfo(name, date_time=stamp)
    info.compress_type = zipfile.ZIP_DEFLATED
    info.external_attr = 0o644 << 16
    return info


def stable_zip(data: bytes, today: date) -> bytes:
    """The package `data` (a zip) written again with every member dated `today` (`zip_stamp`)
    rather than the clock, in the same order and compressed the same way, so that two exports
    of the same plan on the same day are byte-identical."""
    stamp = zip_stamp(today)
    out = io.BytesIO()
    with (
        zipfile.ZipFile(io.BytesIO(data)) as source,
        zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as target,
    ):
        for member in source.infolist():
            target.writestr(_member(member.filename, stamp), source.read(member))
    return out.getvalue()


class DatedZip(zipfile.ZipFile):
    """A zip package being written whose every member is dated `today` (`zip_stamp`), as
    `stable_zip` would date them afterwards: the same bytes, without compressing the package
    twice. For a writer that adds members by name (`writestr(name, data)`, `write(path,
    name)`), as openpyxl's does."""

    def __init__(self, file: IO[bytes], today: date) -> None:
        super().__init__(file, "w", zipfile.ZIP_DEFLATED)
        self.stamp = zip_stamp(today)

    def writestr(
        self,
        zinfo_or_arcname: str | zipfile.ZipInfo,
        data: SizedBuffer | str,
        compress_type: int | None = None,
        compresslevel: int | None = None,
    ) -> None:
        if isinstance(zinfo_or_arcname, zipfile.ZipInfo):
            zinfo_or_arcname = zinfo_or_arcname.filename
        super().writestr(_member(zinfo_or_arcname, self.stamp), data)

    def write(
        self,
        filename: StrPath,
        arcname: StrPath | None = None,
        compress_type: int | None = None,
        compresslevel: int | None = None,
    ) -> None:
        with open(filename, "rb") as file:
            self.writestr(str(arcname if arcname is not None else filename), file.read())


def solid_png(rgb: str, width: int = 4, height: int = 4) -> bytes:
    """A PNG image of one colour (`rgb`, hex without `#`), written with zlib: the bar of a
    chart in a DOCX, which Word stretches to the bar's length. No imaging library is needed
    for a rectangle, and the same colour gives the same bytes."""

    def chunk(kind: bytes, body: bytes) -> bytes:
        crc = zlib.crc32(kind + body) & 0xFFFFFFFF
        return struct.pack(">I", len(body)) + kind + body + struct.pack(">I", crc)

    pixel = bytes.fromhex(rgb)
    rows = b"".join(b"\x00" + pixel * width for _ in range(height))
    header = struct.pack(">IIBBBBB", width, height, 8, 2, 0, 0, 0)  # 8-bit RGB
    return (
        b"\x89PNG\r\n\x1a\n"
        + chunk(b"IHDR", header)
        + chunk(b"IDAT", zlib.compress(rows, 9))
        + chunk(b"IEND", b"")
    )
