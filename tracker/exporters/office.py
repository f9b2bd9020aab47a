"""What the Office formats (DOCX, XLSX) share: text their XML can hold, and a package that is
the same bytes every time it is written from the same plan on the same day.
"""

from __future__ import annotations

import io
import re
import zipfile
from datetime import date

from tracker.text import clean

ZIP_YEARS = (1980, 2107)
"""The years a zip file can date its members in."""

# XML 1.0 cannot hold these even escaped; `clean` has already dealt with C0 and C1 controls.
_NOT_XML = re.compile("[\ud800-\udfff\ufffe\uffff]")


def xml_text(text: str) -> str:
    """Stored text made safe inside a DOCX or XLSX part: control characters made visible (as
    everywhere), and the few code points XML refuses (U+FFFE, U+FFFF, lone surrogates) shown as
    U+FFFD, so that an odd character in a note can never stop an export."""
    return _NOT_XML.sub("\ufffd", clean(text))


def stable_zip(data: bytes, today: date) -> bytes:
    """The package `data` (a zip) written again with every member dated `today` (the zip
    format's first or last day, 1 Jan 1980 or 31 Dec 2107, for a day outside them) rather than
    the clock, in the same order and compressed the same way, so that two exports of the same
    plan on the same day are byte-identical."""
    if today.year < ZIP_YEARS[0]:
        stamp = (ZIP_YEARS[0], 1, 1, 0, 0, 0)
    elif today.year > ZIP_YEARS[1]:
        stamp = (ZIP_YEARS[1], 12, 31, 0, 0, 0)
    else:
        stamp = (today.year, today.month, today.day, 0, 0, 0)
    out = io.BytesIO()
    with (
        zipfile.ZipFile(io.BytesIO(data)) as source,
        zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as target,
    ):
        for member in source.infolist():
            info = zipfile.ZipInfo(member.filename, date_time=stamp)
            info.compress_type = zipfile.ZIP_DEFLATED
            info.external_attr = 0o644 << 16
            target.writestr(info, source.read(member))
    return out.getvalue()
