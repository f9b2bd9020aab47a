"""Bad inspection reports for `tracker import`: empty, binary, mislabelled, damaged,
encrypted, a zip bomb, files that are not regular files, and bad plan ids."""

from __future__ import annotations

import io
import os
import random
import zipfile
from pathlib import Path

from bench.reliability.cases import Case, zip_bytes
from bench.reliability.editors import SHARED_PLAN
from bench.reliability.settings import ROOT


def report_cases(folder: Path) -> list[Case]:
    """Bad inspection reports for `tracker import`."""
    seed = (ROOT / "tests" / "seeds" / "stockton-2010-board-report.txt").read_text("utf-8")
    rng = random.Random(11)
    files: dict[str, tuple[bytes, tuple[str, ...]]] = {
        "empty.txt": (b"", ("empty",)),
        "blank.md": (b"  \n\t\n", ("empty",)),
        "nul.txt": (seed.encode()[:500] + b"\x00" + seed.encode()[500:], ("binary",)),
        "random.txt": (rng.randbytes(8192), ("binary", "not an inspection report", "no ")),
        "random.pdf": (rng.randbytes(8192), ("not a PDF",)),
        "random.docx": (rng.randbytes(8192), ("not a zip", "not a Word")),
        "text.pdf": (seed.encode(), ("not a PDF",)),
        "header-only.pdf": (b"%PDF-1.4\n", ("PDF", "no text")),
        "damaged.pdf": (
            b"%PDF-1.4\n1 0 obj << /Type /Catalog >> endobj\ntrailer << >>\n%%EOF",
            ("PDF", "no text"),
        ),
        "blank-page.pdf": (_blank_pdf(), ("no text",)),
        "encrypted.pdf": (_blank_pdf(password="secret"), ("password",)),
        "pdf-named.txt": (_blank_pdf(), ("PDF",)),
        "zip-named.md": (zip_bytes({"a.txt": "x"}), ("zip",)),
        "not-word.docx": (zip_bytes({"hello.txt": "not word"}), ("not a Word",)),
        "word-xml-garbage.docx": (
            zip_bytes({"word/document.xml": "<not xml", "[Content_Types].xml": "<x"}),
            ("Word", "docx"),
        ),
        "no-recommendations.docx": (_docx_bytes("The weather in Hostileshire was fine."), ()),
        "zip-bomb.docx": (_zip_bomb(), ("unpacks to more than",)),
        "report.doc": (seed.encode(), ("cannot read .doc",)),
        "report.rtf": (b"{\\rtf1 hello}", ("cannot read .rtf",)),
        "report": (seed.encode(), ("without an extension",)),
        "plan.toml": (
            (ROOT / "sample_plans" / "stockton-2010.toml").read_bytes(),
            ("cannot read",),
        ),
        "lorem.txt": (b"Lorem ipsum dolor sit amet. " * 200, ()),
        "latin-1-noise.txt": (bytes(rng.randrange(0xA0, 0x100) for _ in range(3000)), ()),
        "utf-16-odd.txt": (b"\xff\xfe" + b"a\x00b\x00c", ("UTF-16",)),
        "no-recommendations.txt": (seed.split("recommendation")[0].encode(), ()),
    }
    cases: list[Case] = []
    for name, (data, expect) in files.items():
        path = folder / name
        path.write_bytes(data)
        # () means: any message that says it cannot import this report.
        words = expect or ("recommendation", "not an inspection report", "report", "area")
        cases.append(Case(f"import/{name}", ("import", str(path)), words))
    sparse = folder / "over-50-mib.txt"
    with sparse.open("wb") as handle:
        handle.truncate(51 * 1024 * 1024)
    seed_file = folder / "stockton-seed.txt"
    seed_file.write_text(seed, "utf-8")
    (folder / "folder.pdf").mkdir(exist_ok=True)
    fifo = folder / "fifo.txt"
    os.mkfifo(fifo)
    for name, target in (("dev-zero.pdf", "/dev/zero"), ("dev-zero.txt", "/dev/zero")):
        (folder / name).symlink_to(target)
    (folder / "dangling.txt").symlink_to(folder / "nowhere.txt")
    cases += [
        Case("import/over-50-mib.txt", ("import", str(sparse)), ("bytes",)),
        Case("import/folder.pdf", ("import", str(folder / "folder.pdf")), ("folder",)),
        Case("import/missing.txt", ("import", str(folder / "missing.txt")), ("does not exist",)),
        Case("import/dangling.txt", ("import", str(folder / "dangling.txt")), ("does not exist",)),
        Case("import/fifo.txt", ("import", str(fifo)), ("regular file", "pipe"), isolate=True),
        Case(
            "import/dev-zero.pdf", ("import", str(folder / "dev-zero.pdf")), ("regular",), 1, True
        ),
        Case(
            "import/dev-zero.txt", ("import", str(folder / "dev-zero.txt")), ("regular",), 1, True
        ),
        Case(
            "import/id-taken",
            ("import", str(seed_file), "--id", SHARED_PLAN),
            ("already in the database",),
        ),
        Case("import/id-upper", ("import", str(seed_file), "--id", "Bad-Id"), ("plan id",)),
        Case("import/id-path", ("import", str(seed_file), "--id", "../../x"), ("plan id",)),
        Case("import/id-escape", ("import", str(seed_file), "--id", "x\x1b[2J"), ("plan id",)),
    ]
    return cases


def _blank_pdf(password: str | None = None) -> bytes:
    from pypdf import PdfWriter

    writer = PdfWriter()
    writer.add_blank_page(width=595, height=842)
    if password is not None:
        writer.encrypt(password)
    buffer = io.BytesIO()
    writer.write(buffer)
    return buffer.getvalue()


def _docx_bytes(paragraph: str) -> bytes:
    from docx import Document

    document = Document()
    document.add_paragraph(paragraph)
    buffer = io.BytesIO()
    document.save(buffer)
    return buffer.getvalue()


def _zip_bomb() -> bytes:
    """A .docx-looking zip whose one part unpacks to 310 MiB of zeros (about 300 KiB packed)."""
    buffer = io.BytesIO()
    block = bytes(1024 * 1024)
    with zipfile.ZipFile(buffer, "w", zipfile.ZIP_DEFLATED) as archive:
        archive.writestr("word/document.xml", "<w:document/>")
        with archive.open("word/media/zeros.bin", "w") as member:
            for _ in range(310):
                member.write(block)
    return buffer.getvalue()
