"""Documents made for the importer's tests: a PDF and a Word file of a report's text, laid out
as a person would make them (pages with a running header, Word's own list styles)."""

from __future__ import annotations

import re
import textwrap
from pathlib import Path

import docx

PAGE_LINES = 58
HEADER = "HMI Probation inspection report"


def _pdf_text(text: str) -> bytes:
    return text.encode("cp1252", errors="replace")


def _escape(data: bytes) -> bytes:
    return data.replace(b"\\", b"\\\\").replace(b"(", b"\\(").replace(b")", b"\\)")


def _show(x: float, y: float, size: int, words: str) -> bytes:
    """A PDF text operation that shows `words` at (x, y) in Helvetica of `size` points."""
    return b"BT /F1 %d Tf %.1f %.1f Td (%s) Tj ET" % (size, x, y, _escape(_pdf_text(words)))


def layout(text: str, width: int = 88) -> list[list[tuple[float, list[str]]]]:
    """The seed's lines laid out as a word processor would: paragraphs wrapped at `width`
    characters with a hanging indent for list items, a blank line's worth of space between
    paragraphs, tab-separated cells in columns; pages of PAGE_LINES lines."""
    rows: list[tuple[float, list[str]]] = []
    for line in text.split("\n"):
        if not line.strip():
            rows.append((0, []))
        elif "\t" in line:
            rows.append((0, line.split("\t")))
        else:
            bullet = re.match(r"- (?:\(\d+\) )?", line)
            indent = 14 if bullet else 0
            for i, piece in enumerate(textwrap.wrap(line, width)):
                rows.append((indent if i else 0, [piece]))
    pages = [rows[i : i + PAGE_LINES] for i in range(0, len(rows), PAGE_LINES)]
    return pages


def make_pdf(text: str) -> bytes:
    """A valid PDF of `text` in Helvetica, several pages, each with the same running header
    and a "Page N of M" footer, written by hand (no PDF library needed)."""
    pages = layout(text)
    objects: list[bytes] = [
        b"<< /Type /Font /Subtype /Type1 /BaseFont /Helvetica /Encoding /WinAnsiEncoding >>",
        b"",  # the page tree, filled in below
    ]
    kids: list[int] = []
    for number, rows in enumerate(pages, start=1):
        ops: list[bytes] = [_show(50, 810, 8, HEADER)]
        y = 780.0
        for indent, cells in rows:
            for column, cell in enumerate(cells):
                if cell.strip():
                    ops.append(_show(50 + indent + 260 * column, y, 9, cell.strip()))
            y -= 12.5
        ops.append(_show(270, 30, 8, f"Page {number} of {len(pages)}"))
        stream = b"\n".join(ops)
        objects.append(b"<< /Length %d >>\nstream\n%s\nendstream" % (len(stream), stream))
        objects.append(
            b"<< /Type /Page /Parent 2 0 R /MediaBox [0 0 595 842] "
            b"/Resources << /Font << /F1 1 0 R >> >> /Contents %d 0 R >>" % len(objects)
        )
        kids.append(len(objects))
    objects[1] = b"<< /Type /Pages /Kids [%s] /Count %d >>" % (
        b" ".join(b"%d 0 R" % k for k in kids),
        len(kids),
    )
    objects.append(b"<< /Type /Catalog /Pages 2 0 R >>")
    out = bytearray(b"%PDF-1.4\n")
    offsets = []
    for number, body in enumerate(objects, start=1):
        offsets.append(len(out))
        out += b"%d 0 obj\n%s\nendobj\n" % (number, body)
    xref = len(out)
    out += b"xref\n0 %d\n0000000000 65535 f \n" % (len(objects) + 1)
    out += b"".join(b"%010d 00000 n \n" % offset for offset in offsets)
    out += b"trailer\n<< /Size %d /Root %d 0 R >>\nstartxref\n%d\n%%%%EOF\n" % (
        len(objects) + 1,
        len(objects),
        xref,
    )
    return bytes(out)


def make_docx(text: str, path: Path) -> None:
    """A Word document of `text` as a person would type it: list items in Word's list styles
    (the "(1)" numbers left to Word's numbering), tab-separated lines as tables."""
    document = docx.Document()
    table_rows: list[list[str]] = []

    def flush() -> None:
        if table_rows:
            columns = max(len(r) for r in table_rows)
            table = document.add_table(rows=len(table_rows), cols=columns)
            for r, cells in enumerate(table_rows):
                for c, cell in enumerate(cells):
                    table.cell(r, c).text = cell
            table_rows.clear()

    for line in text.split("\n"):
        if "\t" in line:
            table_rows.append(line.split("\t"))
            continue
        flush()
        if not line.strip():
            continue
        numbered = re.match(r"- \(\d+\) ", line)
        if numbered:
            document.add_paragraph(line[numbered.end() :], style="List Number")
        elif line.startswith("- "):
            document.add_paragraph(line[2:], style="List Bullet")
        else:
            document.add_paragraph(line)
    flush()
    document.save(str(path))
