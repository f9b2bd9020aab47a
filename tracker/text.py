"""Text made safe to show: stored control characters and terminal escapes are neutralised."""

from __future__ import annotations

import re
from datetime import UTC, date, datetime

# C0 controls except tab and newline, DEL, and C1 controls (which include CSI, 0x9b).
_CONTROL = re.compile(r"[\x00-\x08\x0b-\x1f\x7f-\x9f]")
# What JSON and TOML writers leave raw: they escape the C0 controls but not DEL or C1.
_LEFT_RAW = re.compile(r"[\x7f-\x9f]")


def _visible(match: re.Match[str]) -> str:
    code = ord(match.group())
    if code < 0x20:
        return chr(0x2400 + code)  # the Unicode "control picture", e.g. ␛ for ESC
    return "␡" if code == 0x7F else f"\\x{code:02x}"


def clean(text: str) -> str:
    """`text` with every control character other than tab and newline made visible, so that a
    stored escape sequence can never drive the terminal."""
    return _CONTROL.sub(_visible, text)


def has_control(text: str) -> bool:
    """Whether `text` holds a control character other than tab and newline."""
    return _CONTROL.search(text) is not None


def one_line(text: str, width: int | None = None) -> str:
    """`text` cleaned and folded onto one line, cut to `width` with an ellipsis if given."""
    flat = " ".join(clean(text).split())
    if width is not None and len(flat) > width:
        return flat[: max(width - 1, 0)] + "…"
    return flat


def escape_left_raw(text: str) -> str:
    """TOML or JSON text with DEL and the C1 controls (which include CSI, U+009B) written as
    `\\u` escapes. Their writers escape the C0 controls but leave these raw, and a terminal
    acts on them; they can only stand inside a string, where the escape means the same."""
    return _LEFT_RAW.sub(lambda m: f"\\u{ord(m.group()):04x}", text)


_MONTHS = ("Jan", "Feb", "Mar", "Apr", "May", "Jun", "Jul", "Aug", "Sep", "Oct", "Nov", "Dec")


def uk_day(d: date | None, missing: str = "") -> str:
    """`6 Jan 2010`: a date the UK way, as people read it (`missing` when unknown). Spelt out
    rather than with strftime so that the locale cannot change it."""
    return missing if d is None else f"{d.day} {_MONTHS[d.month - 1]} {d.year}"


def uk_moment(at: datetime) -> str:
    """`14 Sep 2010 10:15`: a stored timestamp in UTC, the UK way."""
    utc = at.astimezone(UTC) if at.tzinfo else at
    return f"{uk_day(utc.date())} {utc:%H:%M}"
