"""Text made fit to parse: mojibake repaired, look-alike letters and odd spaces normalised,
control characters and inline markup (HTML tags, markdown emphasis) removed.

Reports reach the tracker through copy and paste, PDF converters and old word processors, so
the same words arrive in many spellings: `â€™` for `’`, a Greek `ΥΟΤ` for `YOT`, a non-breaking
space, `<i>To:</i>`, `*Risk of Harm*`. Everything here is pure and never raises.
"""

from __future__ import annotations

import html
import re

_CP1252_BYTE = {
    ch: byte
    for byte in range(0x80, 0x100)
    for ch in [bytes([byte]).decode("cp1252", errors="ignore")]
    if ch
}
"""The byte each character stands for when UTF-8 was wrongly read as Windows-1252 (`€` -> 0x80)."""
for _byte in range(0x80, 0x100):
    # Bytes cp1252 leaves undefined (0x81, 0x8d, ...) survive as the Latin-1 control character.
    _CP1252_BYTE.setdefault(chr(_byte), _byte)

_HOMOGLYPHS = str.maketrans(
    "ΑΒΕΖΗΙΚΜΝΟΡΤΥΧοАВЕКМНОРСТХаеорсху",
    "ABEZHIKMNOPTYXoABEKMHOPCTXaeopcxy",
)
"""Greek and Cyrillic letters that OCR and some PDFs put in place of Latin ones (`ΥΟΤ`)."""
_LOOKALIKE = set("ΑΒΕΖΗΙΚΜΝΟΡΤΥΧοАВЕКМНОРСТХаеорсху")
_WORD = re.compile(r"[^\W\d_]+")

_SPACES = str.maketrans(
    {
        "\u00a0": " ",
        "\u2007": " ",
        "\u2009": " ",
        "\u200a": " ",
        "\u202f": " ",
        "\u205f": " ",
        "\u3000": " ",
        "\u2002": " ",
        "\u2003": " ",
        "\u2004": " ",
        "\u2005": " ",
        "\u2006": " ",
        "\u2008": " ",
        "\u2000": " ",
        "\u2001": " ",
        "\u200b": "",
        "\u200c": "",
        "\u200d": "",
        "\u2060": "",
        "\ufeff": "",
        "\u00ad": "",
        "\ufb00": "ff",
        "\ufb01": "fi",
        "\ufb02": "fl",
        "\ufb03": "ffi",
        "\ufb04": "ffl",
        # Symbol-font bullets that Word's PDF export leaves in the private use area.
        "\uf0b7": "•",
        "\uf0a7": "•",
        "\uf076": "•",
        "\uf0d8": "•",
        "\uf0fc": "•",
        "\u2028": "\n",
        "\u2029": "\n",
        "\x0b": "\n",
        "\x0c": "\n",
    }
)
_CONTROL = re.compile(r"[\x00-\x08\x0e-\x1f\x7f-\x9f\x0d]")
_MOJIBAKE_RUN = re.compile("[" + re.escape("".join(_CP1252_BYTE)) + "]{2,}")

_TAG = re.compile(
    r"</?(?:i|b|u|em|strong|span|font|sup|sub|small|big|mark|p|div|br|li|ul|ol|h[1-6]|a)"
    r"(?:\s[^<>]{0,200})?/?>",
    re.IGNORECASE,
)
_EMPHASIS = re.compile(r"(\*{1,3}|_{2,3})(?=[^\s*_])([^*\n]{0,500}?[^\s*_])\1")
_STRAY_STARS = re.compile(r"(?<=\S)\*{1,3}(?=[\s.,;:)]|$)|(?<=[\s(])\*{1,3}(?=\S)")
_MD_HEADING = re.compile(r"^[ \t]{0,3}#{1,6}[ \t]+", re.MULTILINE)
"""A markdown heading's `#`s; spaces only, so that it never reaches back over a line end."""
_MD_LINK = re.compile(r"\[([^\[\]\n]{1,300})\]\([^()\s]{1,500}\)")


def _decode_run(run: str) -> str:
    """A run of Windows-1252 characters with each valid UTF-8 sequence in it decoded."""
    data = bytes(_CP1252_BYTE[ch] for ch in run)
    out: list[str] = []
    i = 0
    while i < len(data):
        lead = data[i]
        size = 2 if 0xC2 <= lead <= 0xDF else 3 if 0xE0 <= lead <= 0xEF else 4
        if 0xC2 <= lead <= 0xF4 and i + size <= len(data):
            try:
                out.append(data[i : i + size].decode("utf-8"))
            except UnicodeDecodeError:
                pass
            else:
                i += size
                continue
        out.append(run[i])
        i += 1
    return "".join(out)


def fix_mojibake(text: str) -> str:
    """`text` with UTF-8 that was read as Windows-1252 or Latin-1 put right (`â€™` -> `’`,
    `Ã©` -> `é`), twice over for text that went wrong twice. Text without it is unchanged."""
    for _ in range(2):
        fixed = _MOJIBAKE_RUN.sub(lambda m: _decode_run(m.group()), text)
        if fixed == text:
            break
        text = fixed
    return text


def _latin_word(match: re.Match[str]) -> str:
    word = match.group()
    if not any(ch in _LOOKALIKE for ch in word):
        return word
    others = [ch for ch in word if ch not in _LOOKALIKE]
    # A word of look-alikes mixed with Latin letters, or a short all-capital acronym (ΥΟΤ, ΜΑΡΡΑ).
    if all(ch.isascii() for ch in others) and (others or (word.isupper() and len(word) <= 8)):
        return word.translate(_HOMOGLYPHS)
    return word


def repair_text(text: str) -> str:
    """Text as a parser wants it: mojibake repaired, look-alike letters made Latin, odd spaces
    and ligatures made plain, line ends unified and other control characters removed. Tabs and
    newlines are kept (they carry tables and paragraphs)."""
    text = fix_mojibake(text)
    text = text.replace("\r\n", "\n").replace("\r", "\n").replace("\x85", "\n")
    text = text.translate(_SPACES)
    text = _CONTROL.sub("", text)
    return _WORD.sub(_latin_word, text)


def strip_markup(text: str) -> str:
    """`text` without inline HTML tags, HTML entities, markdown headings, links and emphasis
    (`*Risk of Harm*` -> `Risk of Harm`). A `* ` bullet at the start of a line is kept."""
    text = _TAG.sub("", text)
    if "&" in text:
        text = html.unescape(text)
    text = _MD_HEADING.sub("", text)
    text = _MD_LINK.sub(r"\1", text)
    for _ in range(3):
        stripped = _EMPHASIS.sub(r"\2", text)
        if stripped == text:
            break
        text = stripped
    return "\n".join(_STRAY_STARS.sub("", line) for line in text.split("\n"))
