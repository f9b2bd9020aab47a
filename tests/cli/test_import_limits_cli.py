"""`tracker import` of reports that cost far more than their size (issue 14, point 7), in a
real process: exit 1, one message naming the file and the limit, no traceback, nothing
written. The files are built just over each limit (tests/unit/test_import_limits.py tries
every limit in process)."""

from __future__ import annotations

import importlib
import io
import zipfile
from collections.abc import Callable
from pathlib import Path
from typing import Any

import docx
import pytest
from pypdf import PdfWriter

from conftest import snapshot

limits = importlib.import_module("tracker.importers.extract")


def _docx_of(body: bytes) -> bytes:
    template = io.BytesIO()
    docx.Document().save(template)
    out = io.BytesIO()
    with (
        zipfile.ZipFile(template) as source,
        zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as target,
    ):
        for info in source.infolist():
            data = source.read(info)
            if info.filename == "word/document.xml":
                head = data.partition(b"<w:body>")[0]
                data = head + b"<w:body>" + body + b"<w:sectPr/></w:body></w:document>"
            target.writestr(info.filename, data)
    return out.getvalue()


def xml_bomb(path: Path) -> None:
    path.write_bytes(_docx_of(b"<w:p/>" + b" " * (limits.MAX_DOCX_XML_BYTES + 1)))


def paragraphs(path: Path) -> None:
    path.write_bytes(_docx_of(b"<w:p/>" * (limits.MAX_PARAGRAPHS + 1)))


def pages(path: Path) -> None:
    writer = PdfWriter()
    for _ in range(limits.MAX_PAGES + 1):
        writer.add_blank_page(595, 842)
    with path.open("wb") as handle:
        writer.write(handle)


def text(path: Path) -> None:
    with path.open("wb") as handle:
        handle.truncate(limits.MAX_TEXT_BYTES + 1)


CASES: list[tuple[str, Callable[[Path], None], str]] = [
    (
        "xml-bomb.docx",
        xml_bomb,
        f"a report's Word document holds at most {limits.MAX_DOCX_XML_BYTES:,}",
    ),
    ("paragraphs.docx", paragraphs, f"an inspection report has at most {limits.MAX_PARAGRAPHS:,}"),
    ("pages.pdf", pages, f"has more than {limits.MAX_PAGES:,} pages"),
    ("huge.txt", text, f"a text report may be at most {limits.MAX_TEXT_BYTES:,}"),
]


@pytest.mark.parametrize(("name", "make", "words"), CASES, ids=[c[0] for c in CASES])
def test_a_report_beyond_a_limit_is_refused_with_the_file_and_the_limit(
    tracker: Any, loaded_path: Path, tmp_path: Path, name: str, make: Any, words: str
) -> None:
    path = tmp_path / name
    make(path)
    before = snapshot(loaded_path)
    done = tracker("import", str(path), db=loaded_path)
    assert done.code == 1, (done.out, done.err)
    assert done.err.startswith(f"tracker: {path}: "), done.err
    assert words in done.err, done.err
    assert done.err.count("\n") == 1 and "Traceback" not in done.err
    assert snapshot(loaded_path) == before
