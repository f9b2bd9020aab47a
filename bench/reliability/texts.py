"""Hand-written plan files that are broken as text: malformed TOML, impossible dates,
encodings, NUL bytes, binary data, emptiness and size."""

from __future__ import annotations

import gzip
import random

from bench.reliability.cases import zip_bytes


def hand_written_toml(base_text: str) -> dict[str, bytes]:
    """Plan files that are broken as text: malformed TOML, impossible dates, encodings, NUL
    bytes, binary data, emptiness and size. Name -> bytes."""
    good = base_text.encode("utf-8")
    published = "published = 2010-01-06"
    assert published in base_text

    def date_swap(day: str) -> bytes:
        return base_text.replace(published, f"published = {day}").encode("utf-8")

    lines = base_text.splitlines(keepends=True)
    files: dict[str, bytes] = {
        "toml/unterminated-string": b'format = 1\nid = "hostile\n',
        "toml/unterminated-multiline": b'format = 1\nnotes = """never closed\n',
        "toml/unclosed-array": b"format = 1\nboard = [1, 2\n",
        "toml/unclosed-table-header": b"format = 1\n[inspection\narea = 'x'\n",
        "toml/unclosed-array-table": b"format = 1\n[[recommendations]\nref = '1'\n",
        "toml/duplicate-key": good.replace(b'id = "hostile"', b'id = "hostile"\nid = "again"'),
        "toml/duplicate-table": good + b'\n[inspection]\narea = "Again"\n',
        "toml/key-without-value": b"format = 1\nid =\n",
        "toml/bare-word-value": b"format = 1\nid = hostile\n",
        "toml/bad-escape": b'format = 1\nid = "host\\qile"\n',
        "toml/only-equals": b"=\n",
        "toml/inline-table-newline": b"format = 1\ninspection = { area = 'x',\n kind = 'CCI' }\n",
        "toml/raw-escape-byte": good.replace(b"Hostileshire", b"Hostile\x1b[2Jshire"),
        "toml/raw-bell-byte": good.replace(b"Hostileshire", b"Hostile\x07shire"),
        "toml/truncated-half": good[: len(good) // 2] + b'"unterminated',
        "toml/cut-inside-string": "".join(lines[:3]).encode() + b'title = "Host',
        "toml/dotted-key-clash": b"format = 1\ninspection = 'x'\ninspection.area = 'y'\n",
        "toml/deep-nesting": b"x = " + b"[" * 100_000 + b"]" * 100_000 + b"\n",
        "date/feb-31": date_swap("2010-02-31"),
        "date/feb-29-not-leap": date_swap("2011-02-29"),
        "date/feb-30": date_swap("2010-02-30"),
        "date/april-31": date_swap("2010-04-31"),
        "date/month-13": date_swap("2010-13-01"),
        "date/month-0": date_swap("2010-00-10"),
        "date/day-0": date_swap("2010-01-00"),
        "date/year-0": date_swap("0000-01-06"),
        "date/no-leading-zeros": date_swap("2010-1-6"),
        "date/hour-25": date_swap("2010-01-06T25:00:00"),
        "date/uk-style": date_swap("06/01/2010"),
        "date/quoted-impossible": date_swap('"2010-02-31"'),
        "date/update-june-31": good.replace(b"date = 2010-03-01", b"date = 2010-06-31"),
        "empty/zero-bytes": b"",
        "empty/whitespace": b" \n\t\n   \n",
        "empty/comments-only": b"# a plan\n# nothing here\n",
        "empty/bom-only": b"\xef\xbb\xbf",
        "nul/middle": good[:200] + b"\x00" + good[200:],
        "nul/start": b"\x00" + good,
        "nul/in-comment": b"# \x00\n" + good,
        "encoding/latin-1": good.replace(b"Hostileshire", "Hôstileshire".encode("latin-1")),
        "encoding/cp1252-quotes": good.replace(b"Begun.", "\u201cBegun\u201d".encode("cp1252")),
        "encoding/invalid-byte-ff": good.replace(b"Hostileshire", b"Host\xffshire"),
        "encoding/truncated-multibyte": good + "# é".encode()[:-1],
        "encoding/overlong-slash": good.replace(b"Hostileshire", b"Host\xc0\xafshire"),
        "encoding/surrogate": good.replace(b"Hostileshire", b"Host\xed\xa0\x80shire"),
        "encoding/utf-16-bom": "\ufeff".encode("utf-16-le") + base_text.encode("utf-16-le"),
        "encoding/utf-16-be": base_text.encode("utf-16-be"),
        "encoding/utf-32": base_text.encode("utf-32"),
        "encoding/bom-then-text": b"\xef\xbb\xbf" + b"garbage = = =\n",
        "binary/random": random.Random(7).randbytes(4096),
        "binary/png": b"\x89PNG\r\n\x1a\n" + random.Random(8).randbytes(512),
        "binary/zip": zip_bytes({"word/document.xml": "<w:document/>"}),
        "binary/pdf": b"%PDF-1.4\n%\xe2\xe3\xcf\xd3\n1 0 obj\n<< /Type /Catalog >>\nendobj\n",
        "binary/elf": b"\x7fELF\x02\x01\x01" + bytes(120),
        "binary/gzip": gzip.compress(good),
        "size/over-20-mib": b"# " + b"x" * (21 * 1024 * 1024) + b"\n" + good,
        "size/19-mib-string": good.replace(
            b"Hostileshire", b"Hostileshire" + b"y" * (19 * 1024 * 1024)
        ),
        "size/long-line-many-keys": good
        + b"[extra]\n"
        + b"".join(b"k%d = %d\n" % (i, i) for i in range(50_000)),
    }
    return files


HAND_EXPECT = {
    "toml": ("TOML", "unknown key", "nest"),
    "date": ("TOML", "published", "date"),
    "empty": ("required", "TOML"),
    "nul": ("binary",),
    "encoding": ("UTF-8", "binary", "TOML"),
    "binary": ("binary", "UTF-8", "TOML"),
    "size": ("bytes", "characters", "unknown key"),
}
"""Words the message must hold, by kind of hand-written plan file."""
