"""Headline scores and ratings in a report's lines.

- Core Case Inspection scores: a heading such as "Safeguarding score:" followed by
  "Score: 79% Comment: MINIMUM improvement required" (or "Score: Comment:" on one line and
  "78% MINIMUM improvement required" on the next); or one line, "Safeguarding: 79% (minimum)".
- A table comparing several areas (a press or web summary): the area's own row only.
- Prose with no percentages ("minimum improvement in relation to ... risk of harm ...").
- 2018-onward ratings: "Governance and leadership: Good", a name with its rating on the next
  line, or "rated 'Requires improvement' overall".

Section scores (1.1, 2.3 ...) and the breakdown tables of an appendix are not headline scores.
Pure; never raises.
"""

from __future__ import annotations

import re

from tracker.importers.finding import FoundRating, FoundScore
from tracker.vocab import Improvement, Rating

_AREAS = (
    (re.compile(r"safeguarding", re.IGNORECASE), "Safeguarding"),
    (re.compile(r"risk of harm", re.IGNORECASE), "Risk of Harm to others"),
    (re.compile(r"likelihood of (?:re-?)?offending", re.IGNORECASE), "Likelihood of Reoffending"),
)
_NAME = r"safeguarding|risk of harm(?: to others)?|likelihood of (?:re-?)?offending"
_LEVEL = re.compile(r"\b(minimum|moderate|substantial|drastic)\b", re.IGNORECASE)
_PERCENT = re.compile(r"(?<![\d.])(\d{1,3})\s*%")
_HEADING = re.compile(
    rf"^(?:public protection\s*[-–—:]?\s*)?(?P<name>{_NAME})(?:\s+work)?\s+score\s*:?\s*"
    r"(?P<rest>.*)$",
    re.IGNORECASE,
)
_INLINE = re.compile(
    rf"^(?:public protection\s*[-–—:]?\s*)?(?P<name>{_NAME})(?:\s+(?:work|thread))?(?:\s+score)?"
    r"\s*[:\-–—=\t ]\s*(?P<pct>\d{1,3})\s*%(?P<rest>.*)$",
    re.IGNORECASE,
)
_CELLS = re.compile(r"\t+|\s{2,}|\s*\|\s*")


def score_name(text: str) -> str | None:
    """The canonical headline score name `text` speaks of, or None."""
    for pattern, name in _AREAS:
        if pattern.search(text):
            return name
    return None


def _level(text: str) -> Improvement | None:
    match = _LEVEL.search(text)
    return Improvement(match.group(1).upper()) if match else None


def _percent(text: str) -> int | None:
    match = _PERCENT.search(text)
    if match is None or int(match.group(1)) > 100:
        return None
    return int(match.group(1))


def _short_lines_after(lines: list[str], index: int, count: int) -> list[str]:
    """Up to `count` non-blank lines after `index`, stopping at one that is long prose."""
    found: list[str] = []
    for line in lines[index + 1 : index + 6]:
        if not line:
            continue
        if len(line.split()) > 8:
            break
        found.append(line)
        if len(found) == count:
            break
    return found


def _from_score_line(lines: list[str], index: int, name: str) -> FoundScore:
    text = lines[index]
    if _percent(text) is None or _level(text) is None:
        text = " ".join([text, *_short_lines_after(lines, index, 2)])
    return FoundScore(name, _percent(text), _level(text))


def _explicit_scores(lines: list[str]) -> list[FoundScore]:
    scores: dict[str, FoundScore] = {}
    for i, line in enumerate(lines):
        heading = _HEADING.match(line)
        inline = _INLINE.match(line)
        if inline and "%" not in inline.group("rest"):
            name = score_name(inline.group("name")) or ""
            found = _from_score_line(lines, i, name)
        elif heading and (
            _percent(heading.group("rest")) is not None or _level(heading.group("rest"))
        ):
            # One line: "Safeguarding score: Score: 68% Comment: MODERATE improvement required".
            name = score_name(heading.group("name")) or ""
            rest = heading.group("rest")
            found = FoundScore(name, _percent(rest), _level(rest))
        elif heading and not heading.group("rest").strip():
            name = score_name(heading.group("name")) or ""
            found = FoundScore(name)
            seen = 0
            for j in range(i + 1, min(len(lines), i + 12)):
                if not lines[j]:
                    continue
                seen += 1
                if _HEADING.match(lines[j]) or seen > 6:
                    break
                if re.match(r"score\b", lines[j], re.IGNORECASE):
                    found = _from_score_line(lines, j, name)
                    break
        else:
            continue
        if found.name and found.name not in scores and (found.percent or found.improvement):
            scores[found.name] = found
    return list(scores.values())


def _norm_area(text: str) -> str:
    """An area's name for matching: case, punctuation, spacing and "&" for "and" aside."""
    text = re.sub(r"['’]", "", text.casefold()).replace("&", " and ").replace("-", " ")
    return " ".join(re.sub(r"[^\w ]", " ", text).split())


def _cells(line: str) -> list[str]:
    return [c.strip() for c in _CELLS.split(line.strip().strip("|")) if c.strip()]


_BARE_SCORE = re.compile(r"(?P<n>\d{1,3})(?:\s*\(?[A-Za-z]+\)?(?:\s+improvement.*)?)?")


def _cell_percent(cell: str) -> int | None:
    """The score in a table cell: "79%", or a bare "79" in a table of percentages."""
    found = _percent(cell)
    if found is not None:
        return found
    match = _BARE_SCORE.fullmatch(cell.strip())
    if match is None or int(match.group("n")) > 100:
        return None
    return int(match.group("n"))


def _table_scores(lines: list[str], area: str) -> tuple[list[FoundScore], list[str]]:
    """Scores from the area's own row of a table comparing several areas."""
    for i, line in enumerate(lines):
        header = _cells(line)
        names = [score_name(c) for c in header if "%" not in c]
        columns = [n for n in names if n]
        if len(columns) < 2 or _PERCENT.search(line):
            continue
        rows: list[tuple[str, list[str]]] = []
        for row_line in lines[i + 1 : i + 200]:
            if not row_line or re.fullmatch(r"[\s|:+-]*", row_line):
                if rows:
                    break
                continue
            cells = _cells(row_line)
            values = [c for c in cells[1:] if _cell_percent(c) is not None]
            if len(cells) < 2 or len(values) != len(columns) or _PERCENT.search(cells[0]):
                break
            rows.append((cells[0], values))
        if len(rows) < 1:
            continue
        return _own_row(rows, columns, area)
    return [], []


def _own_row(
    rows: list[tuple[str, list[str]]], columns: list[str], area: str
) -> tuple[list[FoundScore], list[str]]:
    """The scores in the area's own row of a comparison table: the row whose name is the
    area's, case, punctuation, spacing and "&"/"and" aside. Only when no row is, and exactly
    one row's name starts with the area's (or the area's with the row's: "Eastshire YOS"),
    that row is taken, with a note; with several such rows ("Halton", "Halton and Warrington")
    none is, since taking a neighbour's scores would be worse than taking none."""
    wanted = _norm_area(area)

    def scores(values: list[str]) -> list[FoundScore]:
        return [
            FoundScore(name, _cell_percent(value), _level(value))
            for name, value in zip(columns, values, strict=True)
        ]

    if wanted:
        for label, values in rows:
            if _norm_area(label) == wanted:
                return scores(values), []
        near = [
            (label, values)
            for label, values in rows
            if _norm_area(label).startswith(wanted + " ")
            or wanted.startswith(_norm_area(label) + " ")
        ]
        if len(near) == 1:
            label, values = near[0]
            return scores(values), [
                f"the scores table has no row named {area}: took the row '{label}', the only "
                "one whose name begins the same way; check it is the area's own"
            ]
    listed = ", ".join(label for label, _ in rows)
    return [], [
        f"a table compares the scores of {listed}, but none of its rows is "
        f"{area or 'the area inspected'}: no scores taken from it"
    ]


def _prose_scores(flat: str) -> list[FoundScore]:
    """Improvement levels stated in words for named areas, when a report gives no percentages
    ("minimum recommendations for improvement in relation to ... risk of harm ...")."""
    for sentence in re.split(r"(?<=[.!?])\s+", flat):
        if len(sentence) > 1500:
            continue
        levels = {m.group(1).lower() for m in _LEVEL.finditer(sentence)}
        near = re.search(
            r"\b(minimum|moderate|substantial|drastic)\b\W+(?:\w+\W+){0,3}?improve",
            sentence,
            re.IGNORECASE,
        )
        if len(levels) != 1 or near is None:
            continue
        names: list[str] = []
        for match in re.finditer(_NAME, sentence, re.IGNORECASE):
            name = score_name(match.group())
            if name and name not in names:
                names.append(name)
        if names:
            level = Improvement(near.group(1).upper())
            return [FoundScore(name, None, level) for name in names]
    return []


def find_scores(lines: list[str], flat: str, area: str) -> tuple[list[FoundScore], list[str]]:
    """The report's headline scores in its order, and notes on anything doubtful."""
    explicit = _explicit_scores(lines)
    if explicit:
        return explicit, []
    tabled, notes = _table_scores(lines, area)
    if tabled:
        return tabled, notes
    return _prose_scores(flat), notes


_RATING = r"outstanding|good|requires improvement|inadequate"
_RATING_LINE = re.compile(
    rf"^(?:\d+(?:\.\d+)*\.?\s+)?(?P<name>[A-Za-z][^:\t|]{{1,80}}?)\s*(?::|\t+|\s{{2,}}|\|)\s*"
    rf"['‘\"“]?(?P<r>{_RATING})['’\"”]?\s*\.?\s*\|?$",
    re.IGNORECASE,
)
_RATED_OVERALL = re.compile(
    rf"\brated\s+(?:as\s+)?['‘\"“]?(?P<r>{_RATING})['’\"”]?\s+overall|overall\s+rating\s+"
    rf"(?:of|was|is|:)\s*['‘\"“]?(?P<r2>{_RATING})\b"
    # Prose: "the overall rating of the service was Good", "the overall judgement was that
    # Westby YOT was good", "Wigan Youth Justice Service was rated as 'Requires improvement'".
    rf"|\boverall\s+(?:rating|judgement|judgment|grade|finding)\b[^.]{{0,100}}?\b(?:was|is|as|:)"
    rf"\s*['‘\"“]?(?P<r3>{_RATING})\b"
    rf"|\b(?:YOS|YOT|YJS|youth\s+(?:offending|justice)\s+(?:service|team)|the\s+service|the\s+"
    rf"partnership)\s+(?:was|has\s+been|is)\s+(?:rated|judged|graded)\s+(?:as\s+|to\s+be\s+)?"
    rf"['‘\"“]?(?P<r4>{_RATING})\b",
    re.IGNORECASE,
)


def _rating(text: str) -> Rating:
    wanted = " ".join(text.split()).casefold()
    return next(r for r in Rating if r.value.casefold() == wanted)


def find_ratings(lines: list[str], flat: str) -> list[FoundRating]:
    """2018-onward ratings in the report's order, one per name."""
    found: dict[str, FoundRating] = {}

    def add(name: str, rating: str) -> None:
        name = " ".join(name.split()).strip(" -–—:")
        if re.fullmatch(r"(?i)overall(?: rating)?", name) or re.search(
            r"(?i)\boverall\b.*\brated\b|\brated\b.*\boverall\b", name
        ):
            # "Overall rating", "Overall, Northshire YOT was rated as": the overall rating.
            name = "Overall"
        if name and name.casefold() not in {"rating", "score", "comment", "ratings"}:
            found.setdefault(name.casefold(), FoundRating(name, _rating(rating)))

    previous = ""
    for line in lines:
        match = _RATING_LINE.match(line)
        if match and len(match.group("name").split()) <= 10:
            add(match.group("name"), match.group("r"))
        elif (
            re.fullmatch(rf"(?i)(?:{_RATING})", line)
            and 0 < len(previous.split()) <= 10
            and not re.search(r"[.!?;,]$", previous)
        ):
            add(re.sub(r"^\d+(?:\.\d+)*\.?\s+", "", previous), line)
        if line:
            previous = line
    overall = _RATED_OVERALL.search(flat)
    if overall:
        add("Overall", next(r for r in overall.group("r", "r2", "r3", "r4") if r))
    return list(found.values())
