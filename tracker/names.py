"""People's names as the audit trail keeps them: one written form for one name, and a way to
tell when two different names would look the same on a screen.

The own-work rule (nobody reviews or signs off their own work) compares names; a name that
looks like another but is not the same string would pass it, and the audit trail would then
show two identical-looking names for two "people". So a user name is kept in Unicode's NFKC
form (the fullwidth, mathematical and compatibility letters become the plain ones) with its
spaces collapsed, invisible and bidirectional controls are refused (`tracker.text`), and two
names are the same person for the rule when their *skeletons* are equal: each letter replaced
by the plain Latin letter it can be mistaken for (Unicode's confusables data, from the
confusable_homoglyphs package), case and spacing folded.
"""

from __future__ import annotations

import os
import unicodedata
from functools import cache
from typing import Any

from tracker.text import first_control


class BadName(ValueError):
    """A user name that cannot be kept: the message says why."""


def user_name(raw: str) -> str:
    """`raw` in the one form the tracker keeps a user name in: NFKC, runs of spaces made one,
    trimmed. ValueError (naming the character) for an empty name or one holding a control,
    an invisible or a bidirectional character."""
    bad = first_control(raw)
    if bad is not None:
        raise BadName(
            f"the user name holds an invisible or control character ({bad}); "
            "give the name as it is written"
        )
    name = " ".join(unicodedata.normalize("NFKC", raw).split())
    if not name:
        raise BadName("the user name cannot be empty")
    return name


@cache
def _homoglyphs() -> dict[str, Any]:
    # Loaded only for a name that is not plain ASCII (about 0.15 s, 0.9 MB of data).
    from confusable_homoglyphs import confusables  # type: ignore[import-untyped]

    data: dict[str, Any] = confusables.confusables_data
    return data


@cache
def _plain(char: str) -> str:
    """The plain (ASCII) letter `char` can be mistaken for, or `char`."""
    if char.isascii():
        return char
    found = _homoglyphs().get(char)
    if found:
        plain = sorted(str(h["c"]) for h in found if str(h["c"]).isascii() and h["c"].isalnum())
        if plain:
            return plain[0]
    return char


def skeleton(name: str) -> str:
    """What `name` looks like: NFKC, controls dropped, each letter its plain look-alike, case
    and spaces folded. Two names with the same skeleton read as the same name."""
    # As Unicode's skeleton (UTS #39): decomposed, so that a letter's marks are compared
    # apart from the letter (a Cyrillic ё reads as ë, not as e).
    text = unicodedata.normalize("NFD", unicodedata.normalize("NFKC", name))
    text = "".join(c for c in text if first_control(c) is None)
    if not text.isascii():
        text = "".join(_plain(c) for c in text)
    return " ".join(text.casefold().split())


def same_person(name: str) -> str:
    """A user name folded for the own-work rule: `--as "yjb  officer"` is `YJB Officer`, and
    so is `YJB Оfficer` with a Cyrillic О."""
    return skeleton(name)


def _folded(name: str) -> str:
    return " ".join(name.casefold().split())


def look_alike(name: str, others: list[str]) -> str | None:
    """The first of `others` that reads as `name` without being it, or None. Names that
    differ only in case or spacing (`yjb officer`, `YJB Officer`) are plainly the same name
    written two ways, not look-alikes."""
    mine = skeleton(name)
    for other in others:
        if _folded(other) != _folded(name) and skeleton(other) == mine:
            return other
    return None


def differences(name: str, other: str) -> str:
    """Where two look-alike names differ, for a message: the first character that is not
    the same, named (`'а' U+0430 CYRILLIC SMALL LETTER A where the other has 'a'`)."""
    for mine, theirs in zip(name, other, strict=False):
        if mine != theirs:
            return (
                f"{mine!r} U+{ord(mine):04X} {unicodedata.name(mine, 'unnamed')} where the "
                f"other has {theirs!r}"
            )
    return "a different length"


def os_account() -> str | None:
    """The operating-system account this process runs as (from the system's user database,
    not from $USER, which anyone can set), or None where there is none to ask."""
    try:
        import pwd

        return pwd.getpwuid(os.geteuid()).pw_name
    except (ImportError, KeyError, OSError, AttributeError):
        import getpass

        try:
            return getpass.getuser()
        except (KeyError, OSError):
            return None
