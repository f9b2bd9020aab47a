"""The pane under a list: the highlighted row in full, words wrapped, so that what a column
cuts short can always be read. Plain functions of what was read; `RowDetail` shows them."""

from __future__ import annotations

from typing import TYPE_CHECKING

from rich.text import Text
from textual.app import ComposeResult
from textual.containers import VerticalScroll
from textual.widgets import Static

from tracker.queries.lists import ActionRow
from tracker.text import clean, uk_day
from tracker.tui.widgets.cells import OVERDUE_STYLE, safe

if TYPE_CHECKING:
    from tracker.queries.plan import RecommendationRow, SignOffRow


class RowDetail(VerticalScroll, can_focus=False):
    """The highlighted row in full, under the list (it scrolls when the row holds more than
    it has room for)."""

    DEFAULT_CSS = """
    RowDetail {
        height: auto;
        max-height: 25%;
        min-height: 2;
        padding: 0 1;
        background: $boost;
        scrollbar-size-vertical: 1;
        & > Static {
            width: 1fr;
        }
    }
    """

    def compose(self) -> ComposeResult:
        yield Static("", markup=False)

    _shown: Text | str | None = None

    def show(self, text: Text | str) -> None:
        """Show `text` (from its top); nothing is done when it is what the pane shows already
        (the same row highlighted again as a search refills its list on each key: updated, it
        cost the screen a layout pass per key, issue 17)."""
        if self._shown is not None and type(text) is type(self._shown) and text == self._shown:
            return
        self._shown = text
        self.query_one(Static).update(text)
        self.scroll_home(animate=False)


def words(text: str | None) -> str:
    """Stored words as they were written, line breaks kept, control characters made visible."""
    return clean(text or "").strip()


def action_text(a: ActionRow, with_plan: bool = False) -> Text:
    """An action in full: its ref (`with_plan`: its plan's too) and words first, then
    (dimmer) its colour's reason, status, target, progress, lead, owner role and evidence,
    which the table's columns may cut."""
    line = Text()
    line.append(f"{safe(a.id if with_plan else a.ref)}  ", style="bold")
    line.append(words(a.text))
    facts = Text("\n", style="dim")
    if a.withdrawn is not None:
        facts.append(f"withdrawn {uk_day(a.withdrawn)}")
        if a.withdrawn_reason:
            facts.append(f": {safe(a.withdrawn_reason)}")
    else:
        reason = "" if a.brag.reason == a.status.value else f": {a.brag.reason}"
        facts.append(f"{a.brag.colour.value}{reason} · {a.status.value} · ")
        facts.append(f"{a.progress}% · target {uk_day(a.target, 'none')}")
        if a.overdue:
            facts.append(" (overdue)", style=OVERDUE_STYLE)
    facts.append(f" · lead {safe(a.lead or 'none named')} · owner {safe(a.owner or 'none')}")
    facts.append(f" · {a.evidence} evidence")
    if a.last_update is not None:
        facts.append(f" · last note {uk_day(a.last_update)}")
    line.append_text(facts)
    return line


def recommendation_text(rec: RecommendationRow, signed: SignOffRow | None = None) -> Text:
    """A recommendation in full: its ref and words, then its owner roles and response, and
    the YJB's sign-off when it has one."""
    line = Text()
    line.append(f"R{safe(rec.ref)}  {words(rec.text)}", style="bold")
    owners = "; ".join(safe(o) for o in rec.owners) if rec.owners else "no owner stated"
    facts = Text(f"\nowners {owners}", style="dim")
    if rec.response:
        facts.append(f" · response {safe(rec.response)}")
        if rec.response_reason:
            facts.append(f": {safe(rec.response_reason)}")
    if rec.withdrawn is not None:
        facts.append(f" · withdrawn {uk_day(rec.withdrawn)}")
        if rec.withdrawn_reason:
            facts.append(f": {safe(rec.withdrawn_reason)}")
    if signed is not None:
        facts.append(
            f"\n✓ signed off as implemented by {safe(signed.signed_by)} on "
            f"{uk_day(signed.signed_at.date())}",
            style="bold green",
        )
    line.append_text(facts)
    return line
