"""The text of a report file: `.txt`/`.md` decoded, `.pdf` through pypdf, `.docx` through
python-docx, with what the parser must not see removed (running headers, footers and page
numbers: `pages`). Only a regular file is read (a pipe or a link to /dev/zero never is), and at
most MAX_FILE_BYTES of it. Anything that cannot be read becomes a `ReportError` naming the file
as given and the problem.

PDF pages are read in pypdf's layout mode, which keeps the blank line between paragraphs (the
parser needs it to tell a wrapped line from the next paragraph) and the columns of a table;
a page laid out in several text columns is read in plain mode instead.
"""

from __future__ import annotations

import codecs
import contextlib
import io
import logging
import os
import re
import stat
import warnings
import zipfile
from collections.abc import Iterator
from dataclasses import dataclass, field
from pathlib import Path

from tracker.importers.cleanup import repair_text
from tracker.importers.finding import ReportError
from tracker.importers.pages import drop_page_furniture, join_pages, tidy_page

MAX_FILE_BYTES = 50 * 1024 * 1024
"""A report file larger than this (50 MiB) is refused before it is read."""
MAX_UNZIPPED_BYTES = 300 * 1024 * 1024
"""A .docx whose parts unpack to more than this is refused (a zip bomb, not a report)."""
TEXT_SUFFIXES = frozenset({".txt", ".md", ".markdown", ".text"})
SUFFIXES = TEXT_SUFFIXES | {".pdf", ".docx"}

_BINARY = re.compile(r"[\x00-\x08\x0e-\x1f\x7f]")


@dataclass(frozen=True)
class Extracted:
    """A report's text and notes on anything skipped while reading it."""

    text: str
    notes: list[str] = field(default_factory=list)


def decode_text(data: bytes, where: str) -> Extracted:
    """Bytes of a text file as text: UTF-8 (with or without a byte order mark), UTF-16 with a
    byte order mark, else Windows-1252 or Latin-1 (noted). Binary data is refused."""
    if data.startswith(codecs.BOM_UTF8):
        return Extracted(data[3:].decode("utf-8", errors="replace"))
    if data[:2] in (codecs.BOM_UTF16_LE, codecs.BOM_UTF16_BE):
        try:
            return Extracted(data.decode("utf-16"))
        except UnicodeDecodeError:
            raise ReportError(where, "is not valid UTF-16 text") from None
    if data.startswith(b"%PDF-"):
        raise ReportError(where, "is a PDF, not a text file: give it the name ending .pdf")
    if data.startswith(b"PK\x03\x04"):
        raise ReportError(where, "is a zip archive (a .docx?), not a text file")
    if b"\x00" in data:
        raise ReportError(where, "is a binary file, not text")
    notes: list[str] = []
    try:
        text = data.decode("utf-8")
    except UnicodeDecodeError:
        try:
            text = data.decode("cp1252")
            notes.append(f"{where} is not UTF-8: read as Windows-1252")
        except UnicodeDecodeError:
            text = data.decode("latin-1")
            notes.append(f"{where} is not UTF-8: read as Latin-1")
    controls = len(_BINARY.findall(text)) + len(re.findall(r"[\x80-\x9f]", text))
    if controls > max(8, len(text) // 200):
        raise ReportError(where, "looks like a binary file, not text")
    return Extracted(text, notes)


def _columns(lines: list[str]) -> bool:
    """Whether a layout-mode page is laid out in columns of prose: most lines are two runs of
    several words with a wide gap between (a table's short cells do not count)."""
    filled = [line.strip() for line in lines if line.strip()]
    prose = [
        parts
        for parts in (re.split(r" {8,}", line) for line in filled)
        if len(parts) == 2 and all(len(part.split()) >= 4 for part in parts)
    ]
    return len(filled) >= 6 and len(prose) > 0.4 * len(filled)


@contextlib.contextmanager
def _quiet_pypdf() -> Iterator[None]:
    """pypdf's own warnings ("EOF marker not found", printed to stderr through its logger and
    Python's warnings) kept quiet: the user gets one message from us, or none."""
    logger = logging.getLogger("pypdf")
    level = logger.level
    logger.setLevel(logging.CRITICAL + 1)
    try:
        with warnings.catch_warnings():
            warnings.simplefilter("ignore")
            yield
    finally:
        logger.setLevel(level)


def _pdf(data: bytes, where: str) -> Extracted:
    if b"%PDF-" not in data[:1024]:
        raise ReportError(where, "is not a PDF: it does not start with '%PDF-'")
    with _quiet_pypdf():
        return _pdf_pages(data, where)


def _pdf_pages(data: bytes, where: str) -> Extracted:
    from pypdf import PdfReader

    notes: list[str] = []
    pages: list[list[str]] = []
    try:
        reader = PdfReader(io.BytesIO(data))
        if reader.is_encrypted and not reader.decrypt(""):
            raise ReportError(where, "is password-protected: save a copy without a password")
        for number, page in enumerate(reader.pages, start=1):
            try:
                lines = tidy_page(page.extract_text(extraction_mode="layout"))
                if _columns(lines):
                    lines = tidy_page(page.extract_text())
            except Exception:  # pypdf raises many kinds of error on damaged pages
                notes.append(f"{where}: page {number} could not be read and was skipped")
                continue
            pages.append(lines)
    except ReportError:
        raise
    except Exception as exc:  # a damaged file can fail anywhere inside pypdf
        raise ReportError(where, f"cannot be read as a PDF ({type(exc).__name__}: {exc})") from None
    text = join_pages(pages)
    if not text.strip():
        raise ReportError(where, "has no text to read (a scanned image?): run OCR on it first")
    return Extracted(text, notes)


def _docx(data: bytes, where: str) -> Extracted:
    from docx import Document
    from docx.table import Table

    if not zipfile.is_zipfile(io.BytesIO(data)):
        raise ReportError(
            where, "is not a Word .docx file (it is not a zip archive; save an old .doc as .docx)"
        )
    try:
        with zipfile.ZipFile(io.BytesIO(data)) as archive:
            infos = archive.infolist()
    except (zipfile.BadZipFile, NotImplementedError, OSError, ValueError, EOFError) as exc:
        # NotImplementedError: a damaged header can ask for a zip version or a compression
        # method that Python's zipfile does not have (found by the fuzz test).
        raise ReportError(where, f"is a damaged zip archive ({exc})") from None
    if "word/document.xml" not in {info.filename for info in infos}:
        raise ReportError(where, "is a zip archive but not a Word document")
    if sum(info.file_size for info in infos) > MAX_UNZIPPED_BYTES:
        raise ReportError(where, f"unpacks to more than {MAX_UNZIPPED_BYTES:,} bytes")
    lines: list[str] = []
    try:
        for block in Document(io.BytesIO(data)).iter_inner_content():
            if isinstance(block, Table):
                for row in block.rows:
                    cells: list[str] = []
                    seen: set[int] = set()
                    for cell in row.cells:
                        if id(cell._tc) not in seen:  # a merged cell appears once per column
                            seen.add(id(cell._tc))
                            cells.append(" ".join(cell.text.split()))
                    lines.append("\t".join(cells))
            else:
                p_pr = block._p.pPr
                style = block.style.name if block.style is not None else None
                listed = str(style or "").startswith("List")
                numbered = p_pr is not None and p_pr.numPr is not None
                lines.append(("- " if listed or numbered else "") + block.text)
            lines.append("")
    except Exception as exc:  # python-docx and lxml raise many kinds of error on damaged files
        raise ReportError(
            where, f"cannot be read as a Word document ({type(exc).__name__}: {exc})"
        ) from None
    return Extracted("\n".join(lines))


_NOT_REGULAR = (
    (stat.S_ISFIFO, "a named pipe"),
    (stat.S_ISCHR, "a character device"),
    (stat.S_ISBLK, "a block device"),
    (stat.S_ISSOCK, "a socket"),
)


def _not_regular(mode: int) -> str:
    return next((what for test, what in _NOT_REGULAR if test(mode)), "not a file")


def read_report_bytes(path: str | Path) -> bytes:
    """The bytes of the report file at `path`, read only if it is a regular file (after
    following symbolic links) and at most MAX_FILE_BYTES of it: a named pipe would block for
    ever and a link to /dev/zero would never end. ReportError otherwise, naming `path`."""
    file = Path(path)
    where = str(path)
    try:
        info = file.stat()  # follows symbolic links: what would be read
    except FileNotFoundError:
        raise ReportError(where, "does not exist") from None
    except OSError as exc:
        raise ReportError(where, f"cannot be read ({exc.strerror or exc})") from None
    if stat.S_ISDIR(info.st_mode):
        raise ReportError(where, "is a folder, not a report")
    target = f" (a link to {file.resolve()})" if file.is_symlink() else ""
    if not stat.S_ISREG(info.st_mode):
        raise ReportError(
            where,
            f"is {_not_regular(info.st_mode)}{target}, not a regular file: give the report "
            "file itself",
        )
    if info.st_size > MAX_FILE_BYTES:
        raise ReportError(
            where, f"is {info.st_size:,} bytes; a report may be at most {MAX_FILE_BYTES:,}"
        )
    try:
        # O_NONBLOCK: if the file was swapped for a pipe since the check, opening must not hang.
        fd = os.open(file, os.O_RDONLY | getattr(os, "O_NONBLOCK", 0))
        with os.fdopen(fd, "rb") as handle:
            if not stat.S_ISREG(os.fstat(handle.fileno()).st_mode):
                raise ReportError(where, "is not a regular file: give the report file itself")
            data = handle.read(MAX_FILE_BYTES + 1)
    except OSError as exc:
        raise ReportError(where, f"cannot be read ({exc.strerror or exc})") from None
    if len(data) > MAX_FILE_BYTES:
        raise ReportError(
            where, f"is more than {MAX_FILE_BYTES:,} bytes; a report may be at most that"
        )
    return data


def extract(path: str | Path) -> Extracted:
    """The text of the report at `path` and notes on anything skipped. Refuses (ReportError)
    a missing file, a folder, anything that is not a regular file (a pipe, a device), a file
    over 50 MiB, an unknown kind of file, binary data, a `.pdf` that is not a PDF and a
    `.docx` that is not a Word document."""
    where = str(path)
    suffix = Path(path).suffix.lower()
    if suffix not in SUFFIXES:
        kinds = ", ".join(sorted(SUFFIXES))
        raise ReportError(
            where, f"cannot read {suffix or 'files without an extension'}: use {kinds}"
        )
    data = read_report_bytes(path)
    if not data.strip():
        raise ReportError(where, "is empty: there is no text to read")
    if suffix == ".pdf":
        found = _pdf(data, where)
    elif suffix == ".docx":
        found = _docx(data, where)
    else:
        found = decode_text(data, where)
        found = Extracted(_text_pages(found.text), found.notes)
    return Extracted(repair_text(found.text), found.notes)


def _text_pages(text: str) -> str:
    """A text file without its pages' running headers, footers and page numbers: its pages
    are those between form feeds (what `pdftotext` writes), else those its page numbers end
    (text copied out of a PDF)."""
    if "\f" in text:
        return join_pages([tidy_page(page) for page in text.split("\f")])
    return drop_page_furniture(text)


def extract_text(path: str | Path) -> str:
    """The text of the report at `path` (.txt, .md, .pdf or .docx), ready for `parse_report`.
    Raises ReportError, naming the file, for anything that cannot be read."""
    return extract(path).text
