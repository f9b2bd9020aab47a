"""Text made safe to show: stored control characters, terminal escapes and invisible formatting
characters (bidirectional overrides, zero-width spaces) are refused on the way in and
neutralised on the way out."""

from __future__ import annotations

import re
from datetime import UTC, date, datetime

_FORMAT = (
    # Unicode's format characters (category Cf): soft hyphen, Arabic and Syriac marks, the
    # zero-width space, joiners and direction marks, the bidirectional embeddings, overrides
    # and isolates (U+202A-202E, U+2066-2069), word joiner and invisible operators, the byte
    # order mark, interlinear annotation, and the astral format controls and tags.
    "\u00ad\u0600-\u0605\u061c\u06dd\u070f\u0890\u0891\u08e2\u180e\u200b-\u200f"
    "\u202a-\u202e\u2060-\u2064\u2066-\u206f\ufeff\ufff9-\ufffb"
    "\U000110bd\U000110cd\U00013430-\U0001343f\U0001bca0-\U0001bca3"
    "\U0001d173-\U0001d17a\U000e0001\U000e0020-\U000e007f"
    # The line and paragraph separators (Zl, Zp), which break a line where nothing shows it.
    "\u2028\u2029"
)
"""Characters that show nothing, or reorder what is around them, so that text holding them
reads as something it is not (`tests/unit/test_text.py` holds this list to the Unicode
database: every character of categories Cf, Zl and Zp is in it)."""
_SURROGATE = "\ud800-\udfff"
"""Lone surrogates: what bytes that are not UTF-8 become in a command's arguments or a file's
name; no database can store them and no terminal can show them."""
# C0 controls except tab and newline, DEL, and C1 controls (which include CSI, 0x9b).
_C0_C1 = "\x00-\x08\x0b-\x1f\x7f-\x9f"
_CONTROL = re.compile(f"[{_C0_C1}{_FORMAT}{_SURROGATE}]")
# What JSON and TOML writers leave raw: they escape the C0 controls but not DEL, C1 or the
# format characters of the Basic Multilingual Plane.
_LEFT_RAW = re.compile(
    "[\x7f-\x9f\u00ad\u0600-\u0605\u061c\u06dd\u070f\u0890\u0891"
    "\u08e2\u180e\u200b-\u200f\u202a-\u202e\u2060-\u2064"
    "\u2066-\u206f\ufeff\ufff9-\ufffb\u2028\u2029"
    # ... and the astral format characters (the tag characters U+E0001, U+E0020-E007F, which
    # hide text inside what shows as an emoji flag, among them).
    "\U000110bd\U000110cd\U00013430-\U0001343f\U0001bca0-\U0001bca3"
    "\U0001d173-\U0001d17a\U000e0001\U000e0020-\U000e007f]"
)


def _visible(match: re.Match[str]) -> str:
    code = ord(match.group())
    if code < 0x20:
        return chr(0x2400 + code)  # the Unicode "control picture", e.g. ␛ for ESC
    if code == 0x7F:
        return "␡"
    if code <= 0xFF:
        return f"\\x{code:02x}"
    return f"\\u{code:04x}" if code <= 0xFFFF else f"\\U{code:08x}"


def clean(text: str) -> str:
    """`text` with every control character other than tab and newline, every invisible
    formatting character (a bidirectional override, a zero-width space) and every lone
    surrogate made visible (`\\u202e`), so that stored text can never drive the terminal nor
    show as something it is not."""
    return _CONTROL.sub(_visible, text)


def has_control(text: str) -> bool:
    """Whether `text` holds a control character other than tab and newline, an invisible
    formatting character (Unicode category Cf, such as U+202E RIGHT-TO-LEFT OVERRIDE or U+200B
    ZERO WIDTH SPACE; the line and paragraph separators) or a lone surrogate: what stored text
    is refused for."""
    return _CONTROL.search(text) is not None


def first_control(text: str) -> str | None:
    """The first character `has_control` objects to, named (`U+202E`), or None."""
    found = _CONTROL.search(text)
    return None if found is None else f"U+{ord(found.group()):04X}"


def one_line(text: str, width: int | None = None) -> str:
    """`text` cleaned and folded onto one line, cut to `width` with an ellipsis if given."""
    flat = " ".join(clean(text).split())
    if width is not None and len(flat) > width:
        return flat[: max(width - 1, 0)] + "…"
    return flat


def escape_left_raw(text: str, *, json: bool = False) -> str:
    """TOML (or, with `json`, JSON) text with DEL, the C1 controls (which include CSI, U+009B)
    and the format characters (bidirectional overrides, zero-width spaces, the line
    separators, the astral tag characters) written as escapes. Their writers escape the C0
    controls but leave these raw, and a terminal acts on them or shows text as what it is
    not; they can only stand inside a string, where the escape means the same. Beyond the
    Basic Multilingual Plane, TOML writes `\\UXXXXXXXX` and JSON a surrogate pair."""
    if text.isascii() and "\x7f" not in text:
        # Nothing to escape (every character escaped is DEL or beyond ASCII): two scans in C,
        # where the pattern's would take 12 ms over the 600 KB of `actions --json` at scale 10.
        return text

    def escaped(match: re.Match[str]) -> str:
        code = ord(match.group())
        if code <= 0xFFFF:
            return f"\\u{code:04x}"
        if not json:
            return f"\\U{code:08x}"
        code -= 0x10000
        return f"\\u{0xD800 + (code >> 10):04x}\\u{0xDC00 + (code & 0x3FF):04x}"

    return _LEFT_RAW.sub(escaped, text)


_MONTHS = ("Jan", "Feb", "Mar", "Apr", "May", "Jun", "Jul", "Aug", "Sep", "Oct", "Nov", "Dec")


def uk_day(d: date | None, missing: str = "") -> str:
    """`6 Jan 2010`: a date the UK way, as people read it (`missing` when unknown). Spelt out
    rather than with strftime so that the locale cannot change it."""
    return missing if d is None else f"{d.day} {_MONTHS[d.month - 1]} {d.year}"


def uk_moment(at: datetime) -> str:
    """`14 Sep 2010 10:15`: a stored timestamp in UTC, the UK way."""
    utc = at.astimezone(UTC) if at.tzinfo else at
    return f"{uk_day(utc.date())} {utc:%H:%M}"
