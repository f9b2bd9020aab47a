"""The report's recommendations: where the list is, its items, and the roles that own them.

Lists are found under headings ("Recommendations (primary responsibility is indicated in
brackets)", "Key Recommendations of Inspection", "Areas requiring improvement", "We recommend
that:") or owner headings ("The YOT Management Board should:"), which give their owner to the
items below them until the next heading. Items start with `•`, `-`, `*`, `(1)`, `1.`, `1)` or
"Recommendation 1:"; lines that wrap are joined back, and a page header or page number that
interrupts a list is skipped (and said). Owners are a bracketed list of roles at the end of an
item, read by `owners`; an item with none has no owners: they are never guessed. Pure; never
raises.
"""

from __future__ import annotations

import re
from collections.abc import Iterable
from dataclasses import dataclass, field

from tracker.importers.finding import FoundRecommendation
from tracker.importers.owners import owner_heading, owners_in_brackets, role_like, split_owners

_BULLET = re.compile(r"^(?:[•●▪◦■□➢►‣⁃∙·]\s*|[*\-–—+]\s+|o\s+(?=[a-z]))")
"""A bullet character, or a lower-case `o` and a space: Word's second-level bullet pasted as
text (`o make sure ...`)."""
_NUMBER = re.compile(
    r"^(?:\((?P<a>\d{1,3})\)|(?P<b>\d{1,3})[.)](?!\d)|(?P<c>\d{1,3})(?=\t| {3,}| / ))"
    r"(?:\s*/)?\s*(?=\S)"
)
"""`(1)`, `1.`, `1)`, or a number set off by a tab (`1<TAB>text`, a Word list pasted as text)."""
_REC_NUMBER = re.compile(r"^(?:recommendation|rec\.?|r)\s*(?P<n>\d{1,3})\s*[:.)\-–—]\s*", re.I)
_LETTER = re.compile(r"^\(?(?:[a-h]|i{1,3}|iv|v|vi{1,3})[.)]\s+(?=\S)")
_TOC = re.compile(r"(?:\t|\s{2,}|\.{3,}|…|\s)\s*\d{1,3}$")
_NUMBERING = re.compile(r"^(?:\d{1,2}(?:\.\d{1,2})*\.?|[IVX]{1,4}\.)\s+")
_ENDS_SENTENCE = re.compile(r"[.!?)\]\"'’”]$")
_PAGE_FURNITURE = re.compile(
    r"(?:page\s*)?\d{1,4}(?:\s*(?:of|/)\s*\d{1,4})?|[-–—]\s*\d{1,4}\s*[-–—]", re.IGNORECASE
)
"""A line that is only a page number ("12", "Page 3 of 40", "- 7 -")."""


@dataclass(frozen=True)
class Marker:
    """A list item's opening: its family (bullet, number, letter), its number, the rest."""

    family: str
    number: int | None
    text: str


def marker(line: str) -> Marker | None:
    """The list marker that opens `line`, or None for a line that is not a list item."""
    bullet = _BULLET.match(line)
    rest = line[bullet.end() :] if bullet else line
    number = _NUMBER.match(rest)
    if number:
        value = int(number.group("a") or number.group("b") or number.group("c"))
        return Marker("number", value, rest[number.end() :])
    rec = _REC_NUMBER.match(rest)
    if rec:
        return Marker("number", int(rec.group("n")), rest[rec.end() :])
    letter = _LETTER.match(rest)
    if letter and not bullet:
        return Marker("letter", None, rest[letter.end() :])
    if bullet and rest.strip():
        return Marker("bullet", None, rest)
    return None


_TRAILING_GROUP = re.compile(r"\(([^()]{2,400})\)[\s.;,]*(?:\b(?:and|or)\b)?[\s.;,]*$")


def _split_item(text: str, brackets: bool, known: Iterable[str]) -> tuple[str, list[str] | None]:
    match = _TRAILING_GROUP.search(text)
    if match:
        owners = owners_in_brackets(match.group(1), brackets, known)
        if owners is not None:
            return text[: match.start()], owners
    return text, None


def heading_rank(line: str) -> tuple[int, bool] | None:
    """How surely `line` heads the report's recommendations (4 inspection recommendations,
    3 plain "Recommendations", 2 "Areas requiring improvement", 1 "Areas for improvement"),
    and whether it says owners are given in brackets; None for any other line."""
    if _TOC.search(line) or len(line.split()) > 16 or _REC_NUMBER.match(line):
        return None
    text = _NUMBERING.sub("", line).strip().rstrip(":").strip()
    brackets = bool(re.search(r"bracket|primary responsibility", text, re.I))
    if text.endswith(".") and not brackets:
        return None
    if re.match(
        r"(?:key\s+|main\s+|our\s+|the\s+|inspection\s+|hmip\s+|hmi probation\s+)*"
        r"recommendations?\b",
        text,
        re.I,
    ):
        if re.search(r"inspect|responsib|bracket|\bkey\b|hmi", text, re.I):
            return 4, brackets
        if re.search(
            r"\b(?:for|to)\s+(?:the\s+)?(?:committee|cabinet|members|council)\b", text, re.I
        ):
            return None
        return 3, brackets
    if re.search(r"recommend", text, re.I) and re.search(
        r"\bhmi\b|\bhmip\b|inspectorate|inspectors?['’]?|probation", text, re.I
    ):
        return 4, brackets
    if line.rstrip().endswith(":") and re.search(
        r"\b(?:we|inspectors?|hmi probation|hmip|inspection|report)\s+(?:also\s+)?"
        r"(?:recommends?|recommended|made the following recommendations)\b",
        text,
        re.I,
    ):
        return 3, brackets
    if re.match(
        r"(?:key\s+)?areas?\s+(?:requiring|that require|needing|in need of)\s+"
        r"(?:further\s+)?improvement|improvements?\s+(?:required|needed)|"
        r"priorities\s+for\s+improvement",
        text,
        re.I,
    ):
        return 2, brackets
    if re.match(
        r"(?:key\s+)?areas?\s+for\s+(?:further\s+)?(?:improvement|development)", text, re.I
    ):
        return 1, brackets
    return None


@dataclass
class _Item:
    number: int | None
    parts: list[str]
    heading_owners: list[str]

    def text(self) -> str:
        joined = ""
        for part in self.parts:
            if re.search(r"[A-Za-z]-$", joined) and part[:1].islower():
                joined += part  # "outcome-" + "focused": a compound word split by the wrap
            else:
                joined = f"{joined} {part}" if joined else part
        return " ".join(joined.split())


@dataclass
class Section:
    """One list of recommendations found under a heading."""

    heading: str
    rank: int
    start: int
    end: int
    items: list[FoundRecommendation] = field(default_factory=list)
    notes: list[str] = field(default_factory=list)
    lead: str = ""
    """The heading and the sentences between it and the first item (where a count is said)."""


def _is_title(line: str) -> bool:
    """A short heading such as "Next steps" or "SERVICE USERS' PERSPECTIVE"."""
    words = line.split()
    if not words or not line[:1].isupper():
        return False
    if len(words) <= 12 and line.isupper() and any(ch.isalpha() for ch in line):
        return True
    return len(words) <= 6 and not re.search(r"[.,;!?]$", line)


_SMALL_WORDS = frozenset(
    {"a", "an", "and", "at", "by", "for", "in", "of", "on", "or", "the", "to", "with"}
)


def _section_heading(text: str, lines: list[str], at: int, loose: bool = False) -> bool:
    """Whether a numbered line is a paper's next section ("4. BACKGROUND", "5. Financial
    Implications") rather than the next item: all capitals, or a few words in title case that
    stand above a paragraph of prose (not above another item or another heading); `loose`
    (after paragraphs of prose, no item yet): in sentence case too ("9. Any other business")."""
    words = text.split()
    if not words or len(words) > 10 or re.search(r"[.,;:!?]$", text):
        return False
    letters = [ch for ch in text if ch.isalpha()]
    if letters and all(ch.isupper() for ch in letters) and any(len(w) > 2 for w in words):
        return True
    titled = all(w[:1].isupper() or w.lower() in _SMALL_WORDS for w in words)
    if len(words) > 6 or not (titled or loose) or not words[0][:1].isupper():
        return False
    following = next((line for line in lines[at + 1 : at + 4] if line), "")
    prose = len(following.split()) >= 6 or bool(re.search(r"[.!?]$", following))
    return prose and marker(following) is None


def _ends_section(line: str, item: _Item | None, blank: bool) -> bool:
    """Whether a plain line after a list item is a new heading rather than more of the item."""
    complete = item is None or bool(_ENDS_SENTENCE.search(item.parts[-1]))
    if not (blank or complete):
        return False
    if line.endswith(":") and len(line.split()) <= 15:
        return True
    return _is_title(line)


_DUE_CELL = re.compile(
    r"(?:\d{1,2}(?:st|nd|rd|th)?\s+)?(?:jan|feb|mar|apr|may|jun|jul|aug|sep|sept|oct|nov|dec)"
    r"[a-z]*\.?\s+\d{4}|\d{1,2}/\d{1,2}/\d{2,4}",
    re.IGNORECASE,
)
"""A table cell that is only a date or a month ("March 2023", "31/03/2023")."""


def _owner_cell(text: str, known: list[str]) -> tuple[str, list[str] | None]:
    """A table row's item ("Assessments are reviewed<TAB>YOS Manager", a council paper's
    table of recommendations with a column for the lead) as its text and the owners its last
    cell names, when that cell reads as a list of roles; else the text as it is."""
    cells = [cell.strip() for cell in re.split(r"\t| {3,}| / ", text) if cell.strip()]
    if len(cells) >= 3 and _DUE_CELL.fullmatch(cells[-1]):
        cells = cells[:-1]  # an action plan's column for the date due ("March 2023"), not text
    if len(cells) < 2:
        return text, None
    owners = owners_in_brackets(cells[-1], True, known)
    if owners is None:
        return text, None
    return " ".join(cells[:-1]), owners


def owner_line(line: str, known: list[str]) -> list[str] | None:
    """The owners an owner heading gives, whether it stands alone ("The YOT Management Board
    should:") or is itself a list item ("• The YOT Management Board should:")."""
    found = owner_heading(line, known)
    if found is not None:
        return found
    item = marker(line)
    if item is not None and item.text.rstrip().endswith(":"):
        return owner_heading(item.text.strip(), known)
    return None


def parse_section(
    lines: list[str], start: int, heading: str, rank: int, brackets: bool, known: list[str]
) -> Section:
    """The items of the list that starts after the heading at `lines[start - 1]`."""
    section = Section(heading, rank, start, start)
    items: list[_Item] = []
    current: _Item | None = None
    family: str | None = None
    owners_here: list[str] = owner_heading(heading, known) or []
    blank = False
    intro = 0
    i = start
    skip_to = start
    for i in range(start, len(lines)):
        line = lines[i]
        if i < skip_to:
            continue
        if not line:
            blank = True
            continue
        if _PAGE_FURNITURE.fullmatch(line):
            continue  # a page number left between the items of a list
        heading_owners = owner_line(line, known)
        if heading_owners is not None:
            # The items under a new owner heading may be marked another way ("1." then "•").
            current, owners_here, blank = None, heading_owners, False
            family = None if items else family
            continue
        found = marker(line)
        if found is not None and heading_rank(line) is None:
            # A council paper's next numbered section ("9. Any other business"), after items
            # or after paragraphs of prose (read below as paragraph recommendations).
            if (
                (items or intro)
                and found.family == "number"
                and _section_heading(found.text, lines, i, loose=not items)
            ):
                break
            if family is None or found.family == family:
                if (
                    family == "number"
                    and _ends_section(found.text, current, blank)
                    and (current is not None and found.number not in (1, (current.number or 0) + 1))
                ):
                    break
                family = family or found.family
                text, cell_owners = _owner_cell(found.text.strip(), known)
                current = _Item(found.number, [text], cell_owners or owners_here)
                items.append(current)
            elif current is not None and found.family != "number":
                current.parts.append(line)  # a sub-item: "(a) ..." or "• ..." under "1. ..."
            elif _ends_section(found.text, current, True):
                break
            elif current is not None:
                current.parts.append(line)
            blank = False
            continue
        if current is None:
            intro += 1
            section.lead += " " + line
            if heading_rank(line) is not None or (items and _ends_section(line, None, True)):
                break
            if intro > 12 or (not items and _is_title(line) and intro > 1):
                break
            blank = False
            continue
        open_owner = brackets and _split_item(current.text(), True, known)[1] is None
        if (
            _ends_section(line, current, blank)
            or (blank and not (line[:1].islower() or open_owner))
            or (not blank and brackets and not open_owner)
        ):
            resume = _next_item(lines, i, family, current)
            if resume is None:
                break
            skipped = " ".join(" ".join(lines[i:resume]).split())
            section.notes.append(
                f"skipped '{skipped[:80]}' between recommendations (a page header or footer?)"
            )
            blank, skip_to = False, resume
            continue
        current.parts.append(line)
        blank = False
    else:
        i = len(lines)
    section.end = i
    if not items:
        items, i = _paragraph_items(lines, start, heading, owner_heading(heading, known) or [])
        section.end = max(i, start)
        if items:
            section.notes.append(
                f"recommendations read from the {len(items)} paragraph"
                f"{'s' if len(items) > 1 else ''} after "
                f"'{one_line_of(heading)}': check them (the report gives no list markers)"
            )
    section.lead = f"{heading} {section.lead}"
    section.items, notes = _finish(items, brackets, known)
    section.notes += notes
    return section


_RUNNING_HEADER = re.compile(r"(?:\s{2,}|\t)\d{1,4}$|^\d{1,4}(?:\s{2,}|\t)|\bpage\s+\d", re.I)
"""A line that carries a page number at its edge, set apart by a wide gap ("... Eastshire   12")."""


def _next_item(lines: list[str], at: int, family: str | None, item: _Item) -> int | None:
    """Where a list resumes after page furniture (a running header, a footer) that interrupts
    it at `lines[at]`: the index of the next item within the next few lines, or None when the
    list has really ended. A numbered list resumes at the next number; a bulleted list, which
    has no numbers to go by, only after lines that carry a page number."""
    if family not in ("number", "bullet") or (family == "number" and item.number is None):
        return None
    filled = 0
    for j in range(at, min(len(lines), at + 12)):
        if not lines[j]:
            continue
        found = marker(lines[j])
        if found is not None and found.family == family:
            if j == at:
                return None
            if family == "number":
                return j if found.number == (item.number or 0) + 1 else None
            skipped = [line for line in lines[at:j] if line]
            return j if all(_RUNNING_HEADER.search(line) for line in skipped) else None
        filled += 1
        if filled > 3 or len(lines[j].split()) > 16:
            return None
    return None


_INSTRUCTION = re.compile(
    r"\b(?:should|must|needs?\s+to|ought\s+to|(?:is|are)\s+asked\s+to)\b|"
    r"^(?:(?:to|we\s+recommend\s+that|that)\s+)?(?:ensure|make\s+sure|develop|improve|review|"
    r"strengthen|establish|introduce|implement|provide|undertake|increase|reduce|embed|agree|"
    r"put\s+in\s+place|work\s+with|consider|prioritise|monitor|evaluate)\b",
    re.I,
)
"""An instruction: "... should ...", "Ensure that ...", "Develop a strategy ..."."""
_OUTCOMES = re.compile(
    r"(?:want|like|expect|hope)s?\s+to\s+see|\boutcomes?\b|following\s+(?:improvements|changes)",
    re.I,
)
"""A lead-in to outcomes the inspectors want to see, given as plain paragraphs."""
_SUBJECT = re.compile(
    r"^(?:(?:we|inspectors?|hmi\s+probation)\s+recommends?\s+that\s+)?(?:the\s+)?"
    r"(?P<who>[A-Z][\w'’&,()\- ]{1,120}?)\s+(?:should|must|needs?\s+to|(?:is|are)\s+asked\s+to)\b",
    re.I,
)


def one_line_of(text: str, most: int = 60) -> str:
    """`text` on one line, cut to `most` characters."""
    flat = " ".join(text.split())
    return flat if len(flat) <= most else flat[: most - 1] + "…"


def subject_owners(text: str, known: list[str]) -> list[str] | None:
    """The owners an instruction names as its subject ("The YOT Strategic Management Board
    should make sure ..."), when every name in it is a role; None otherwise."""
    match = _SUBJECT.match(text)
    if match is None:
        return None
    owners = split_owners(match.group("who"), known)
    if owners and all(role_like(o) for o in owners):
        return owners
    return None


def _paragraph_items(
    lines: list[str], start: int, heading: str, owners_here: list[str]
) -> tuple[list[_Item], int]:
    """Recommendations written as plain paragraphs after a heading or a sentence about them:
    each paragraph an instruction (or, after a lead-in to the outcomes the inspectors want to
    see, a sentence of prose), until a heading or a paragraph that is neither."""
    outcomes = bool(_OUTCOMES.search(heading))
    items: list[_Item] = []
    lead = 0
    i = start
    while i < len(lines):
        if not lines[i]:
            i += 1
            continue
        j = i
        while j < len(lines) and lines[j]:
            j += 1
        block = lines[i:j]
        whole = all(line[:1].isupper() and _ENDS_SENTENCE.search(line) for line in block)
        parts = [[line] for line in block] if len(block) > 1 and whole else [block]
        for part in parts:
            text = _Item(None, part, []).text()
            if heading_rank(part[0]) is not None or owner_heading(part[0]) is not None:
                return items, i
            if len(part) == 1 and _is_title(text) and not _INSTRUCTION.search(text):
                return items, i
            prose = bool(re.search(r"[.!?]$", text)) and 3 <= len(text.split()) <= 150
            if prose and (_INSTRUCTION.search(text) or outcomes):
                items.append(_Item(None, part, list(owners_here)))
            elif not items and lead < 2 and prose:
                lead += 1
                outcomes = outcomes or bool(_OUTCOMES.search(text))
            else:
                return items, i
        i = j
    return items, i


def _finish(
    items: list[_Item], brackets: bool, known: list[str]
) -> tuple[list[FoundRecommendation], list[str]]:
    notes: list[str] = []
    found: list[tuple[int | None, str, list[str]]] = []
    for item in items:
        text, owners = _split_item(item.text(), brackets, known)
        text = re.sub(r"(?:[\s.;,:]|\b(?:and|or)\b)+$", "", text).strip()
        if text:
            if owners is None and not item.heading_owners:
                owners = subject_owners(text, known)
            found.append((item.number, text, owners if owners is not None else item.heading_owners))
    numbers = [n for n, _, _ in found]
    if found and all(n is not None for n in numbers) and len(set(numbers)) == len(numbers):
        refs = [str(n) for n in numbers]
    else:
        refs = [str(i) for i in range(1, len(found) + 1)]
        if any(n is not None for n in numbers):
            notes.append(
                "the report's recommendation numbers repeat or are missing: "
                f"numbered 1 to {len(found)} in the report's order"
            )
    return [
        FoundRecommendation(ref, text, list(owners))
        for ref, (_, text, owners) in zip(refs, found, strict=True)
    ], notes


_RESOLUTION = re.compile(
    r"that\s+(?:the\s+)?(?:members?|cabinet|council|board|committee|panel|executive)\b.{0,80}?"
    r"\b(?:note|notes|approve|approves|agree|agrees|endorse|endorses|receive|receives|consider|"
    r"considers|accept|accepts)\b",
    re.I,
)


def _resolutions(items: list[FoundRecommendation]) -> bool:
    """Whether a list is a council paper's own resolutions ("That Members note the report")."""
    return all(_RESOLUTION.match(r.text) for r in items)


_NUMBER_WORDS = {
    w: n
    for n, w in enumerate(
        [
            "one",
            "two",
            "three",
            "four",
            "five",
            "six",
            "seven",
            "eight",
            "nine",
            "ten",
            "eleven",
            "twelve",
            "thirteen",
            "fourteen",
            "fifteen",
        ],
        start=1,
    )
}
_COUNT = re.compile(
    rf"\b(?P<n>{'|'.join(_NUMBER_WORDS)}|\d{{1,2}})\s+(?:[\w-]+\s+){{0,2}}?"
    r"(?:recommendations|areas?\s+(?:for|requiring)\s+improvement)\b",
    re.I,
)


def _stated_count(text: str) -> int | None:
    """How many recommendations a heading or a sentence says there are ("we have made five
    recommendations", "the following 7 recommendations"), or None."""
    match = _COUNT.search(text)
    if match is None:
        return None
    word = match.group("n").casefold()
    return _NUMBER_WORDS.get(word) or int(word)


def _brackets(text: str) -> bool:
    return bool(re.search(r"bracket|primary responsibility", text, re.I))


def _announcement(lines: list[str], at: int) -> tuple[int, str] | None:
    """A paragraph starting at `lines[at]` that announces the list of recommendations ("The
    inspectors made six recommendations, set out below:", "HMIP recommended that:"): the
    index of its last line and its text; None for any other line."""
    if at > 0 and lines[at - 1]:
        return None
    end = at
    while end + 1 < len(lines) and lines[end + 1] and end - at < 6:
        if marker(lines[end + 1]) is not None:
            break
        end += 1
    text = " ".join(" ".join(lines[at : end + 1]).split())
    if len(text.split()) > 80 or not re.search(
        r"recommend|want\s+to\s+see|like\s+to\s+see", text, re.I
    ):
        return None
    if _RESOLUTION.search(text):
        return None
    if (
        text.endswith(":")
        or re.search(r"\b(?:following|below|as\s+follows)\b", text, re.I)
        or _stated_count(text) is not None
    ):
        return end, text
    return None


def find_recommendations(
    lines: list[str], known: list[str] | None = None
) -> tuple[list[FoundRecommendation], list[str]]:
    """The report's recommendations in its order, and notes on any doubt about the list."""
    names = known or []
    sections: list[Section] = []
    i = 0
    while i < len(lines):
        line = lines[i]
        ranked = heading_rank(line) if line else None
        announced = _announcement(lines, i) if ranked is None and line else None
        if announced is not None:
            end, sentence = announced
            section = parse_section(lines, end + 1, sentence, 3, _brackets(sentence), names)
            if section.items and not _resolutions(section.items):
                sections.append(section)
                i = max(section.end, end + 1)
                continue
        if ranked is None and line and owner_line(line, names) is not None:
            ranked = (3, False)
            section = parse_section(lines, i, line, 3, False, names)
        elif ranked is not None:
            section = parse_section(lines, i + 1, line, ranked[0], ranked[1], names)
        else:
            i += 1
            continue
        if section.items and not _resolutions(section.items):
            sections.append(section)
            i = max(section.end, i + 1)
        else:
            i += 1
    if not sections:
        return [], []
    best = max(s.rank for s in sections)
    chosen = [s for s in sections if s.rank == best]
    first = chosen[0]
    notes = list(first.notes)
    heading = " ".join(_NUMBERING.sub("", first.heading).split()).rstrip(":")
    if best == 1:
        notes.append(
            f"no list of recommendations found: took the items under '{heading}'; "
            "check these are the report's recommendations"
        )
    stated = _stated_count(first.lead)
    if stated is not None and stated != len(first.items):
        notes.append(
            f"the report says it makes {stated} recommendation{'s' if stated != 1 else ''}, "
            f"but {len(first.items)} were found: check the list"
        )
    if len(chosen) > 1:
        notes.append(
            f"the report has {len(chosen)} lists headed like '{heading}': used the first, "
            f"with {len(first.items)} items"
        )
    return first.items, notes
