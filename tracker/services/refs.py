"""The refs the tracker gives new rows: the next free number, never one used before (withdrawn
rows keep theirs). Pure: the services and the plan file's diff (`plan_diff`) both use them."""

from __future__ import annotations

import re
from collections.abc import Sequence


def next_action_ref(rec_ref: str, taken: Sequence[str]) -> str:
    """The next free action ref under recommendation `rec_ref` (`3` -> `3.4` when `3.1`-`3.3`
    exist, withdrawn or not): one more than the highest number used, so a ref is never
    reused. `taken` is every action ref in the plan."""
    pattern = re.compile(rf"^{re.escape(rec_ref)}\.(\d+)$")
    numbers = [int(m.group(1)) for ref in taken if (m := pattern.match(ref))]
    n = max(numbers, default=0) + 1
    used = set(taken)
    while f"{rec_ref}.{n}" in used:
        n += 1
    return f"{rec_ref}.{n}"


def next_recommendation_ref(taken: Sequence[str]) -> str:
    """The next free recommendation ref in a plan: one more than the highest number used."""
    numbers = [int(ref) for ref in taken if ref.isdigit()]
    n = max(numbers, default=0) + 1
    used = set(taken)
    while str(n) in used:
        n += 1
    return str(n)
