"""Reports that cost far more than their size (issue 14, point 7): each refused, before the
work it would cost, with a message naming the file and the limit. The files are built here just
over each limit (`tracker.importers.extract`'s constants), small on disk: an 855 KB .docx that
unpacked to 280 MB of text used 5 GB and was killed at 400 s; a PDF of 20,000 pages was killed
at 400 s; a 49 MiB text file took 19 s and 872 MB before it was refused for its length."""

from __future__ import annotations

import importlib
import io
import zipfile
import zlib
from pathlib import Path

import docx
import pytest
from pypdf import PdfWriter

from conftest import SEEDS
from tests.support.documents import make_docx
from tracker.importers import ReportError, extract, preview
from tracker.importers.extract import _docx_lines

limits = importlib.import_module("tracker.importers.extract")
"""The limits (`tracker.importers.extract`'s name is also its function's)."""

HALTON = SEEDS / "halton-warrington-2009-cci-report.txt"


def refused(path: Path, *words: str) -> str:
    with pytest.raises(ReportError) as caught:
        preview(path)
    message = str(caught.value)
    assert message.startswith(f"{path}: "), "the message must name the file"
    for word in words:
        assert word in message, (word, message)
    return message


# Text -----------------------------------------------------------------------------------------


def test_a_text_file_too_large_for_a_report_is_refused_before_it_is_read(tmp_path: Path) -> None:
    huge = tmp_path / "huge.txt"
    with huge.open("wb") as handle:
        handle.truncate(limits.MAX_TEXT_BYTES + 1)  # sparse: nothing is written, nor read
    refused(huge, f"is {limits.MAX_TEXT_BYTES + 1:,} bytes; a text report may be at most")
    # Any other kind of report may be larger (pictures), to the general limit.
    assert limits.MAX_TEXT_BYTES < limits.MAX_FILE_BYTES


def test_text_longer_than_a_report_is_refused_as_soon_as_it_is_decoded(tmp_path: Path) -> None:
    long = tmp_path / "long.md"
    long.write_bytes(b"word " * (limits.MAX_CHARS // 5) + b"x")
    refused(long, f"is {limits.MAX_CHARS + 1:,} characters long", f"{limits.MAX_CHARS:,}")


# Word -----------------------------------------------------------------------------------------


def _template() -> bytes:
    buffer = io.BytesIO()
    docx.Document().save(buffer)
    return buffer.getvalue()


TEMPLATE = _template()


def word(path: Path, body: bytes, extra: dict[str, bytes] | None = None) -> Path:
    """A .docx of python-docx's template whose body is `body` (WordprocessingML), and any
    `extra` parts, deflated (so a huge part is small on disk)."""
    out = io.BytesIO()
    with (
        zipfile.ZipFile(io.BytesIO(TEMPLATE)) as source,
        zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as target,
    ):
        for info in source.infolist():
            data = source.read(info)
            if info.filename == "word/document.xml":
                head = data.partition(b"<w:body>")[0]
                data = head + b"<w:body>" + body + b"<w:sectPr/></w:body></w:document>"
            target.writestr(info.filename, data)
        for name, data in (extra or {}).items():
            target.writestr(name, data)
    path.write_bytes(out.getvalue())
    return path


def paragraph(text: str) -> bytes:
    return b"<w:p><w:r><w:t>" + text.encode() + b"</w:t></w:r></w:p>"


def test_a_docx_whose_xml_unpacks_to_more_than_a_report_is_refused_unread(tmp_path: Path) -> None:
    # Blank space inside the body: 20 MiB of XML that deflates to some KiB.
    padding = b" " * (limits.MAX_DOCX_XML_BYTES + 1)
    path = word(tmp_path / "xml-bomb.docx", paragraph("Hello") + padding)
    assert path.stat().st_size < 100_000
    refused(path, "bytes of XML", f"at most {limits.MAX_DOCX_XML_BYTES:,}")


def test_a_docx_whose_parts_unpack_to_more_than_a_report_is_refused(tmp_path: Path) -> None:
    path = tmp_path / "zip-bomb.docx"
    word(path, paragraph("Hello"))
    block = bytes(1024 * 1024)
    with (
        zipfile.ZipFile(path, "a", zipfile.ZIP_DEFLATED) as archive,
        archive.open("word/media/zeros.bin", "w") as member,
    ):
        for _ in range(limits.MAX_UNZIPPED_BYTES // len(block) + 1):
            member.write(block)
    refused(path, f"unpacks to more than {limits.MAX_UNZIPPED_BYTES:,} bytes")


def test_a_docx_of_more_xml_tags_than_a_report_is_refused_before_it_is_parsed(
    tmp_path: Path,
) -> None:
    # One paragraph of half a million empty runs: python-docx took minutes over such.
    runs = b"<w:r/>" * (limits.MAX_XML_TAGS + 1)
    path = word(tmp_path / "runs.docx", b"<w:p>" + runs + b"</w:p>")
    refused(path, "XML tags", f"at most {limits.MAX_XML_TAGS:,}")


@pytest.mark.parametrize("prefix", [b"w", b"x"])
def test_a_docx_of_more_paragraphs_than_a_report_is_refused_whatever_the_prefix(
    tmp_path: Path, prefix: bytes
) -> None:
    namespace = b' xmlns:x="http://schemas.openxmlformats.org/wordprocessingml/2006/main"'
    empty = b"<" + prefix + b":p" + (namespace if prefix == b"x" else b"") + b"/>"
    path = word(tmp_path / "paragraphs.docx", empty * (limits.MAX_PARAGRAPHS + 1))
    refused(path, f"has {limits.MAX_PARAGRAPHS + 1:,} paragraphs", f"{limits.MAX_PARAGRAPHS:,}")


def test_a_docx_of_more_text_than_a_report_is_refused_as_it_is_read(tmp_path: Path) -> None:
    half = "word " * (limits.MAX_CHARS // 10)
    path = word(tmp_path / "long.docx", paragraph(half) * 3)
    refused(path, f"more than {limits.MAX_CHARS:,} characters long")


def _python_docx_lines(path: Path) -> list[str]:
    """The text as the importer read it before (python-docx's own `Paragraph.text`,
    `Paragraph.style` and `_Row.cells`): the reading it does itself now must match."""
    from docx.table import Table

    lines: list[str] = []
    for block in docx.Document(str(path)).iter_inner_content():
        if isinstance(block, Table):
            for row in block.rows:
                cells: list[str] = []
                seen: set[int] = set()
                for cell in row.cells:
                    if id(cell._tc) not in seen:
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
    return lines


def test_the_docx_text_is_what_python_docx_reads(tmp_path: Path) -> None:
    seed = tmp_path / "halton.docx"
    make_docx(HALTON.read_text("utf-8"), seed)
    document = docx.Document()
    document.add_paragraph("Heading", style="Heading 1")
    document.add_paragraph("a bullet", style="List Bullet")
    run = document.add_paragraph("tab\there, ").add_run("break")
    run.add_break()
    run.add_text("after")
    table = document.add_table(rows=4, cols=3)
    for r in range(4):
        for c in range(3):
            table.cell(r, c).text = f"r{r}c{c}"
    table.cell(0, 0).merge(table.cell(0, 1))  # across: gridSpan
    table.cell(1, 2).merge(table.cell(3, 2))  # down: vMerge
    table.cell(2, 0).add_paragraph("second paragraph")
    merged = tmp_path / "merged.docx"
    document.save(str(merged))
    for path in (seed, merged):
        assert list(_docx_lines(path.read_bytes(), str(path))) == _python_docx_lines(path)


def test_a_column_of_merged_cells_is_read_at_once(tmp_path: Path) -> None:
    # python-docx looked for each merged cell's top from the table's top, recursively.
    rows = [
        b"<w:tr><w:tc><w:tcPr><w:vMerge"
        + (b' w:val="restart"' if i == 0 else b"")
        + b"/></w:tcPr>"
        + paragraph("top" if i == 0 else "")
        + b"</w:tc>"
        + b"<w:tc>"
        + paragraph(f"row {i}")
        + b"</w:tc></w:tr>"
        for i in range(5000)
    ]
    table = b"<w:tbl><w:tblGrid><w:gridCol/><w:gridCol/></w:tblGrid>" + b"".join(rows) + b"</w:tbl>"
    path = word(tmp_path / "merged.docx", table)
    text = extract(path).text
    assert "top\trow 4999" in text


# PDF ------------------------------------------------------------------------------------------


def blank_pdf(path: Path, pages: int) -> Path:
    writer = PdfWriter()
    for _ in range(pages):
        writer.add_blank_page(595, 842)
    with path.open("wb") as handle:
        writer.write(handle)
    return path


def hand_pdf(path: Path, contents: list[bytes], form: bytes | None = None, count: int = 0) -> Path:
    """A PDF written by hand: one page per content stream (deflated), optionally a form
    XObject `/F` every page may draw, and a page tree whose /Count says `count` (the true
    number when 0)."""
    objects: list[bytes] = [b"", b"<< /Type /Catalog /Pages 1 0 R >>"]

    def stream(data: bytes) -> bytes:
        packed = zlib.compress(data)
        return b"<< /Length %d /Filter /FlateDecode >>\nstream\n%s\nendstream" % (
            len(packed),
            packed,
        )

    xobject = b""
    if form is not None:
        objects.append(stream(form).replace(b"<< ", b"<< /Type /XObject /Subtype /Form ", 1))
        xobject = b" /XObject << /F %d 0 R >>" % len(objects)
    kids = []
    for content in contents:
        objects.append(stream(content))
        objects.append(
            b"<< /Type /Page /Parent 1 0 R /MediaBox [0 0 595 842] /Resources <<%s >> "
            b"/Contents %d 0 R >>" % (xobject, len(objects))
        )
        kids.append(len(objects))
    objects[0] = b"<< /Type /Pages /Kids [%s] /Count %d >>" % (
        b" ".join(b"%d 0 R" % k for k in kids),
        count or len(kids),
    )
    out = bytearray(b"%PDF-1.4\n")
    offsets = []
    for number, body in enumerate(objects, start=1):
        offsets.append(len(out))
        out += b"%d 0 obj\n%s\nendobj\n" % (number, body)
    xref = len(out)
    out += b"xref\n0 %d\n0000000000 65535 f \n" % (len(objects) + 1)
    out += b"".join(b"%010d 00000 n \n" % offset for offset in offsets)
    out += b"trailer\n<< /Size %d /Root 2 0 R >>\nstartxref\n%d\n%%%%EOF\n" % (
        len(objects) + 1,
        xref,
    )
    path.write_bytes(bytes(out))
    return path


def test_a_pdf_of_more_pages_than_a_report_is_refused_before_any_text_is_read(
    tmp_path: Path,
) -> None:
    path = blank_pdf(tmp_path / "pages.pdf", limits.MAX_PAGES + 1)
    refused(path, f"has more than {limits.MAX_PAGES:,} pages")


def test_a_pdf_whose_page_tree_understates_its_pages_is_counted_by_its_tree(
    tmp_path: Path,
) -> None:
    contents = [b"BT ET"] * (limits.MAX_PAGES + 1)
    path = hand_pdf(tmp_path / "lying.pdf", contents, count=1)
    refused(path, f"has more than {limits.MAX_PAGES:,} pages")


def test_a_pdf_page_with_more_drawing_than_a_report_page_is_refused(tmp_path: Path) -> None:
    page = b"%" + b" " * limits.MAX_PAGE_CONTENT_BYTES + b"\nBT ET"
    path = hand_pdf(tmp_path / "heavy.pdf", [page])
    refused(path, "page 1 holds", f"at most {limits.MAX_PAGE_CONTENT_BYTES:,}")


def test_a_form_drawn_thousands_of_times_counts_each_time(tmp_path: Path) -> None:
    form = b"%" + b" " * 100_000 + b"\n"
    page = b"/F Do\n" * 20
    path = hand_pdf(tmp_path / "forms.pdf", [page], form=form)
    refused(path, "page 1 holds", "drawing instructions")


def test_a_pdf_whose_pages_together_draw_more_than_a_report_is_refused(tmp_path: Path) -> None:
    page = b"%" + b" " * (limits.MAX_PAGE_CONTENT_BYTES - 100) + b"\nBT ET"
    pages = limits.MAX_PDF_CONTENT_BYTES // len(page) + 1
    path = hand_pdf(tmp_path / "heavy.pdf", [page] * pages)
    refused(path, f"holds more than {limits.MAX_PDF_CONTENT_BYTES:,} bytes")
