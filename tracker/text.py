"""Text made safe to show: stored control characters and terminal escapes are neutralised."""

from __future__ import annotations

import re

# C0 controls except tab and newline, DEL, and C1 controls (which include CSI, 0x9b).
_CONTROL = re.compile(r"[\x00-\x08\x0b-\x1f\x7f-\x9f]")


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
