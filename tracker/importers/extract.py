"""The text of a report file: `.txt`/`.md` decoded, `.pdf` through pypdf, `.docx` through
python-docx, with what the parser must not see removed (running headers, footers and page
numbers: `pages`). Only a regular file is read (a pipe or a link to /dev/zero never is), and at
most MAX_FILE_BYTES of it. Anything that cannot be read becomes a `ReportError` naming the file
as given and the problem.

The work is bounded by what an inspection report can be, each bound checked before the work it
bounds, so that a small file that would cost far more than its size (a .docx unpacking to
hundreds of MB of XML, a PDF of 20,000 blank pages) is refused at once: a text file's size
before it is read (MAX_TEXT_BYTES); a .docx's unpacked parts (MAX_UNZIPPED_BYTES,
MAX_DOCX_XML_BYTES) from the zip's directory, and its XML tags and paragraphs (MAX_XML_TAGS,
MAX_PARAGRAPHS) from the raw XML before python-docx parses it; a PDF's pages (MAX_PAGES) from
its page tree, and its drawing instructions (MAX_PAGE_CONTENT_BYTES, MAX_PDF_CONTENT_BYTES),
before any text is extracted; and the text of any kind (MAX_CHARS) as soon as it is known (as
it is extracted, from a PDF or a .docx), before the clean-up and the parser.

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
from typing import Any

from tracker.importers.cleanup import repair_text
from tracker.importers.finding import ReportError
from tracker.importers.pages import drop_page_furniture, join_pages, tidy_page

MAX_FILE_BYTES = 50 * 1024 * 1024
"""A report file larger than this (50 MiB) is refused before it is read."""
MAX_CHARS = 1_000_000
"""The longest text read as one report, in characters: a long report is about 100,000, and
the parser takes some seconds a million."""
MAX_TEXT_BYTES = 4 * MAX_CHARS
"""A text report (.txt, .md) larger than this is refused before it is read: at up to four
bytes a character, no more than MAX_CHARS characters fit in it."""
MAX_UNZIPPED_BYTES = 100 * 1024 * 1024
"""A .docx whose parts unpack to more than this (100 MiB) is refused (a zip bomb, not a
report); pictures take most of a real one's."""
MAX_DOCX_XML_BYTES = 20 * 1024 * 1024
"""A .docx whose XML parts (the text, headers, styles) unpack to more than this (20 MiB) is
refused before any is parsed: a long report's are under 5 MiB, and python-docx holds the XML
many times over in memory."""
MAX_XML_TAGS = 500_000
"""A .docx whose XML parts hold more tags than this is refused before python-docx parses them:
a long report's hold under 100,000, and each costs time and memory to read."""
MAX_PARAGRAPHS = 20_000
"""A .docx of more paragraphs than this (a table's cells each hold one) is refused before
python-docx reads it: a long report has about 2,000."""
MAX_PAGES = 500
"""A PDF of more pages than this is refused before any text is read: an inspection report has
under 150."""
MAX_PAGE_CONTENT_BYTES = 1024 * 1024
"""A PDF page whose drawing instructions (its content stream, unpacked, and the drawings it
reuses) are longer than this (1 MiB) is refused before any text is read: a page of text has
some tens of KiB, and pypdf reads its text at some microseconds a byte."""
MAX_PDF_CONTENT_BYTES = 8 * 1024 * 1024
"""A PDF whose pages' drawing instructions come to more than this (8 MiB) is refused before
any text is read."""
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
    chars = 0
    try:
        reader = PdfReader(io.BytesIO(data))
        if reader.is_encrypted and not reader.decrypt(""):
            raise ReportError(where, "is password-protected: save a copy without a password")
        if _page_count(reader) > MAX_PAGES:
            raise ReportError(
                where, f"has more than {MAX_PAGES:,} pages; an inspection report has fewer"
            )
        _check_content(reader, where)
        for number, page in enumerate(reader.pages, start=1):
            try:
                lines = tidy_page(page.extract_text(extraction_mode="layout"))
                if _columns(lines):
                    lines = tidy_page(page.extract_text())
            except Exception:  # pypdf raises many kinds of error on damaged pages
                notes.append(f"{where}: page {number} could not be read and was skipped")
                continue
            pages.append(lines)
            chars += sum(len(line) + 1 for line in lines)
            if chars > MAX_CHARS:
                raise ReportError(where, _too_long(f"more than {MAX_CHARS:,}"))
    except ReportError:
        raise
    except Exception as exc:  # a damaged file can fail anywhere inside pypdf
        raise ReportError(where, f"cannot be read as a PDF ({type(exc).__name__}: {exc})") from None
    text = join_pages(pages)
    if not text.strip():
        raise ReportError(where, "has no text to read (a scanned image?): run OCR on it first")
    return Extracted(text, notes)


def _check_content(reader: Any, where: str) -> None:
    """Refuse a PDF whose pages' drawing instructions (content streams, unpacked) are longer
    than a report's, one page's (MAX_PAGE_CONTENT_BYTES) or all (MAX_PDF_CONTENT_BYTES), before
    any text is extracted: reading the text costs some microseconds a byte."""
    total = 0
    for number, page in enumerate(reader.pages, start=1):
        size = _page_work(page)
        if size > MAX_PAGE_CONTENT_BYTES:
            raise ReportError(
                where,
                f"page {number} holds {size:,} bytes of drawing instructions; a report's page "
                f"has at most {MAX_PAGE_CONTENT_BYTES:,}",
            )
        total += size
        if total > MAX_PDF_CONTENT_BYTES:
            raise ReportError(
                where,
                f"holds more than {MAX_PDF_CONTENT_BYTES:,} bytes of drawing instructions; a "
                "report has fewer",
            )


def _page_work(page: Any) -> int:
    """How many bytes of drawing instructions reading a page's text goes through, at most: its
    content stream, and for each `Do` in it the longest of the forms (drawings reused by name)
    its resources hold (a form drawn 10,000 times is read 10,000 times). 0 for a page pypdf
    cannot read (its text is then skipped, with a note)."""
    from pypdf.generic import DictionaryObject

    try:
        content = page.get_contents()
        data = b"" if content is None else content.get_data()
        forms = 0
        resources = page.get("/Resources")
        resources = resources.get_object() if resources is not None else None
        xobjects = resources.get("/XObject") if isinstance(resources, DictionaryObject) else None
        xobjects = xobjects.get_object() if xobjects is not None else None
        if isinstance(xobjects, DictionaryObject) and b"Do" in data:
            for ref in xobjects.values():
                xobject = ref.get_object()
                if getattr(xobject, "get", lambda _: None)("/Subtype") == "/Form":
                    forms = max(forms, len(xobject.get_data()))
        return len(data) + data.count(b"Do") * forms
    except Exception:  # pypdf raises many kinds of error on damaged pages
        return 0


def _page_count(reader: Any) -> int:
    """How many pages the PDF's page tree holds, counted up to one past MAX_PAGES: walked here,
    one node at a time, rather than by pypdf's `len(reader.pages)`, which reads the whole tree
    first (seconds for 20,000 pages, and a tree that names one branch many times over is read
    that many times). Each node is a step, whether or not it is a page, so a tree of empty
    branches or a loop ends the count too."""
    from pypdf.generic import ArrayObject, DictionaryObject

    stack: list[Any] = [reader.root_object.get("/Pages")]
    pages = steps = 0
    while stack and pages <= MAX_PAGES and steps <= 4 * MAX_PAGES + 100:
        node = stack.pop()
        node = node.get_object() if node is not None else None
        steps += 1
        if not isinstance(node, DictionaryObject):
            continue
        kind = node.get("/Type", "/Pages" if "/Kids" in node else "/Page")
        if kind == "/Page":
            pages += 1
        elif kind == "/Pages":
            kids = node.get("/Kids")
            kids = kids.get_object() if kids is not None else None
            if isinstance(kids, ArrayObject):
                stack.extend(reversed(kids))
    return pages if not stack else MAX_PAGES + 1


_PARAGRAPH = re.compile(rb"<(?:[A-Za-z_][\w.-]*:)?p[\s/>]")
"""The start of a paragraph in WordprocessingML (`<w:p>`, `<w:p w:rsidR=...>`, `<w:p/>`),
whatever the prefix."""


def _docx(data: bytes, where: str) -> Extracted:
    if not zipfile.is_zipfile(io.BytesIO(data)):
        raise ReportError(
            where, "is not a Word .docx file (it is not a zip archive; save an old .doc as .docx)"
        )
    try:
        with zipfile.ZipFile(io.BytesIO(data)) as archive:
            infos = archive.infolist()
            _check_parts(infos, where)
            # Bounded by the sizes the zip's directory gives, checked above: zipfile reads no
            # more than that (and a part that unpacks to more fails its CRC check).
            tags = sum(archive.read(info).count(b"<") for info in infos if _is_xml(info))
            body = archive.read("word/document.xml")
    except ReportError:
        raise
    except (zipfile.BadZipFile, NotImplementedError, OSError, ValueError, EOFError) as exc:
        # NotImplementedError: a damaged header can ask for a zip version or a compression
        # method that Python's zipfile does not have (found by the fuzz test).
        raise ReportError(where, f"is a damaged zip archive ({exc})") from None
    except Exception as exc:  # zlib and the zip's members fail in more ways than these
        raise ReportError(where, f"is a damaged zip archive ({type(exc).__name__})") from None
    _check_body(tags, body, where)
    del body
    try:
        return Extracted("\n".join(_docx_lines(data, where)))
    except ReportError:
        raise
    except Exception as exc:  # python-docx and lxml raise many kinds of error on damaged files
        raise ReportError(
            where, f"cannot be read as a Word document ({type(exc).__name__}: {exc})"
        ) from None


def _check_parts(infos: list[zipfile.ZipInfo], where: str) -> None:
    """Refuse a .docx by its zip's directory, before anything is unpacked: not a Word document,
    or parts (all of them, or the XML ones) that unpack to more than a report's can."""
    if "word/document.xml" not in {info.filename for info in infos}:
        raise ReportError(where, "is a zip archive but not a Word document")
    if sum(info.file_size for info in infos) > MAX_UNZIPPED_BYTES:
        raise ReportError(where, f"unpacks to more than {MAX_UNZIPPED_BYTES:,} bytes")
    xml = sum(info.file_size for info in infos if _is_xml(info))
    if xml > MAX_DOCX_XML_BYTES:
        raise ReportError(
            where,
            f"unpacks to {xml:,} bytes of XML; a report's Word document holds at most "
            f"{MAX_DOCX_XML_BYTES:,}",
        )


def _is_xml(info: zipfile.ZipInfo) -> bool:
    return info.filename.lower().endswith((".xml", ".rels"))


def _check_body(tags: int, body: bytes, where: str) -> None:
    """Refuse a .docx by its raw XML, before python-docx parses it: more tags in its XML parts
    (`tags`), or more paragraphs in its text part (`body`), than a report's."""
    if tags > MAX_XML_TAGS:
        raise ReportError(
            where,
            f"holds {tags:,} XML tags; a report's Word document has at most {MAX_XML_TAGS:,}",
        )
    paragraphs = sum(1 for _ in _PARAGRAPH.finditer(body))
    if paragraphs > MAX_PARAGRAPHS:
        raise ReportError(
            where,
            f"has {paragraphs:,} paragraphs; an inspection report has at most {MAX_PARAGRAPHS:,}",
        )


_W = "{http://schemas.openxmlformats.org/wordprocessingml/2006/main}"
_RUN_TEXT = tuple(_W + tag for tag in ("br", "cr", "noBreakHyphen", "ptab", "t", "tab"))
"""What in a run is text (python-docx's `Run.text`): each element's own str()."""


def _docx_lines(data: bytes, where: str) -> Iterator[str]:
    """The document's paragraphs and its tables' rows (cells joined by tabs) as lines, a blank
    line after each; a list item starts `- `. The same text as python-docx's `Paragraph.text`
    and `_Row.cells`, but walked here: python-docx compiles an XPath for every run and looks
    for the cell above a merged one from the table's top, so a paragraph of a million runs or
    a column of merged cells took minutes. Stops with a ReportError past MAX_PARAGRAPHS
    paragraphs and cells (however the XML names them) or MAX_CHARS characters."""
    from docx import Document

    document = Document(io.BytesIO(data))
    style_names, default_style = _paragraph_styles(document)
    blocks = chars = 0
    for block in document.element.body.iterchildren(_W + "p", _W + "tbl"):
        if block.tag == _W + "tbl":
            lines = list(_table_rows(block))
            blocks += sum(len(cells) for cells in lines)
            rows = ["\t".join(cells) for cells in lines]
        else:
            p_pr = block.pPr
            style_id = block.style
            style = style_names.get(style_id, default_style) if style_id else default_style
            listed = style.startswith("List")
            numbered = p_pr is not None and p_pr.numPr is not None
            rows = [("- " if listed or numbered else "") + _paragraph_text(block)]
            blocks += 1
        for line in rows:
            chars += len(line) + 1
            yield line
        yield ""
        if blocks > MAX_PARAGRAPHS:
            raise ReportError(
                where,
                f"has more than {MAX_PARAGRAPHS:,} paragraphs and table cells; an inspection "
                "report has fewer",
            )
        if chars > MAX_CHARS:
            raise ReportError(where, _too_long(f"more than {MAX_CHARS:,}"))


def _paragraph_text(p: Any) -> str:
    """A `w:p`'s text: its runs', and its hyperlinks' runs'."""
    parts: list[str] = []
    for child in p.iterchildren(_W + "r", _W + "hyperlink"):
        runs = (child,) if child.tag == _W + "r" else child.iterchildren(_W + "r")
        for run in runs:
            parts.extend(str(e) for e in run.iterchildren(*_RUN_TEXT))
    return "".join(parts)


def _table_rows(tbl: Any) -> Iterator[list[str]]:
    """Each row of a `w:tbl` as its cells' text, each cell once however many grid columns it
    spans; a cell merged with the one above (vMerge continue) has that cell's text."""
    above: dict[int, Any] = {}
    for tr in tbl.iterchildren(_W + "tr"):
        offset = tr.grid_before
        roots: dict[int, Any] = {}
        cells: list[Any] = []
        seen: set[int] = set()  # ids of the cells kept in `cells`, so alive and distinct
        for tc in tr.iterchildren(_W + "tc"):
            root = above.get(offset, tc) if tc.vMerge == "continue" else tc
            roots[offset] = root
            if id(root) not in seen:
                seen.add(id(root))
                cells.append(root)
            offset += tc.grid_span
        above = roots
        yield [
            " ".join("\n".join(_paragraph_text(p) for p in tc.iterchildren(_W + "p")).split())
            for tc in cells
        ]


def _paragraph_styles(document: Any) -> tuple[dict[str, str], str]:
    """Each paragraph style's name by its id (a style of another kind by that id: the default
    name), and the default paragraph style's name, looked up once: python-docx's
    `Paragraph.style` looks again for every paragraph, comparing every style (some milliseconds
    each: minutes for a long document)."""
    from docx.enum.style import WD_STYLE_TYPE

    default = document.styles.default(WD_STYLE_TYPE.PARAGRAPH)
    default_name = str(default.name or "") if default is not None else ""
    names: dict[str, str] = {}
    for style in document.styles:
        if style.style_id not in names:
            paragraph = style.type == WD_STYLE_TYPE.PARAGRAPH
            names[style.style_id] = str(style.name or "") if paragraph else default_name
    return names, default_name


def _too_long(length: str) -> str:
    return f"is {length} characters long; one report is at most {MAX_CHARS:,}"


_NOT_REGULAR = (
    (stat.S_ISFIFO, "a named pipe"),
    (stat.S_ISCHR, "a character device"),
    (stat.S_ISBLK, "a block device"),
    (stat.S_ISSOCK, "a socket"),
)


def _not_regular(mode: int) -> str:
    return next((what for test, what in _NOT_REGULAR if test(mode)), "not a file")


def read_report_bytes(path: str | Path, text: bool = False) -> bytes:
    """The bytes of the report file at `path`, read only if it is a regular file (after
    following symbolic links) and at most MAX_FILE_BYTES of it (MAX_TEXT_BYTES of a `text`
    report): a named pipe would block for ever and a link to /dev/zero would never end.
    ReportError otherwise, naming `path`."""
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
    most, what = MAX_FILE_BYTES, "a report"
    if text and most > MAX_TEXT_BYTES:
        most, what = MAX_TEXT_BYTES, "a text report"
    if info.st_size > most:
        raise ReportError(where, f"is {info.st_size:,} bytes; {what} may be at most {most:,}")
    try:
        # O_NONBLOCK: if the file was swapped for a pipe since the check, opening must not hang.
        fd = os.open(file, os.O_RDONLY | getattr(os, "O_NONBLOCK", 0))
        with os.fdopen(fd, "rb") as handle:
            if not stat.S_ISREG(os.fstat(handle.fileno()).st_mode):
                raise ReportError(where, "is not a regular file: give the report file itself")
            data = handle.read(most + 1)
    except OSError as exc:
        raise ReportError(where, f"cannot be read ({exc.strerror or exc})") from None
    if len(data) > most:
        raise ReportError(where, f"is more than {most:,} bytes; {what} may be at most that")
    return data


def extract(path: str | Path) -> Extracted:
    """The text of the report at `path` and notes on anything skipped. Refuses (ReportError)
    a missing file, a folder, anything that is not a regular file (a pipe, a device), a file
    over 50 MiB, an unknown kind of file, binary data, a `.pdf` that is not a PDF and a
    `.docx` that is not a Word document, and anything more than a report can be (the limits
    above: bytes of text, unpacked parts, paragraphs, pages, characters)."""
    where = str(path)
    suffix = Path(path).suffix.lower()
    if suffix not in SUFFIXES:
        kinds = ", ".join(sorted(SUFFIXES))
        raise ReportError(
            where, f"cannot read {suffix or 'files without an extension'}: use {kinds}"
        )
    data = read_report_bytes(path, text=suffix in TEXT_SUFFIXES)
    if not data.strip():
        raise ReportError(where, "is empty: there is no text to read")
    if suffix == ".pdf":
        found = _pdf(data, where)
    elif suffix == ".docx":
        found = _docx(data, where)
    else:
        found = decode_text(data, where)
        check_length(found.text, where)
        found = Extracted(_text_pages(found.text), found.notes)
    check_length(found.text, where)
    return Extracted(repair_text(found.text), found.notes)


def check_length(text: str, where: str) -> None:
    """Refuse (ReportError naming `where`) a text longer than one report can be (MAX_CHARS)."""
    if len(text) > MAX_CHARS:
        raise ReportError(where, _too_long(f"{len(text):,}"))


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
