"""The YJB's sign-offs where people look for them: `tracker signoffs`, the board report's
"YJB sign-offs" section (Markdown, HTML, Word) and the portfolio. The plan file has no place
for them (docs/plan-format.md), so the TOML export is unchanged by a sign-off."""

from __future__ import annotations

import io
import json
import re
from collections.abc import Iterator
from datetime import UTC, datetime

import openpyxl
import pytest
from docx import Document

from conftest import TODAY
from tests.support.signoffs import OFFICER, finish_4, sign_off_4
from tracker import services
from tracker.exporters import export_plan, export_portfolio
from tracker.exporters.data import PORTFOLIO_COLUMNS
from tracker.queries import lookups
from tracker.queries import plan as plan_reads
from tracker.queries.session import SessionReader
from tracker.services import ActionChanges
from tracker.store import Store, open_store
from tracker.vocab import ActionStatus

PLAN = "stockton-2010"


@pytest.fixture
def reviewer(loaded_target: str, loaded: Store) -> Iterator[Store]:
    store = open_store(loaded_target, reviewer=True)
    yield store
    store.dispose()


def export(store: Store, fmt: str) -> bytes:
    with store.read() as session:
        return export_plan(SessionReader(session), PLAN, fmt, TODAY)


def moment(at: datetime) -> str:
    utc = at.astimezone(UTC)
    return f"{utc.day} {utc:%b} {utc.year} {utc:%H:%M} UTC"


def test_signoffs_command_lists_who_when_and_the_state(  # type: ignore[no-untyped-def]
    tracker, loaded: Store, reviewer: Store, loaded_target: str
) -> None:
    none = tracker("signoffs", PLAN, db=loaded_target)
    assert none.code == 0 and none.out == f"plan {PLAN} has no sign-offs yet\n"
    assert json.loads(tracker("signoffs", PLAN, "--json", db=loaded_target).out) == []
    before, after = sign_off_4(loaded, reviewer)
    listed = json.loads(tracker("signoffs", PLAN, "--json", db=loaded_target).out)
    assert len(listed) == 1
    item = listed[0]
    assert (item["recommendation"], item["what"], item["signed_by"]) == (
        "4",
        "recommendation 4 implemented",
        OFFICER,
    )
    signed_at = datetime.fromisoformat(item["signed_at"])
    assert signed_at.utcoffset() is not None and before <= signed_at <= after
    assert item["as_of"] == TODAY.isoformat()
    actions = item["state"]["recommendations"][0]["actions"]
    assert [(a["ref"], a["brag"]) for a in actions] == [("4.1", "blue"), ("4.2", "blue")]
    text = tracker("signoffs", PLAN, db=loaded_target)
    assert text.code == 0
    header, row = text.out.splitlines()
    assert header.split()[:4] == ["WHEN", "(UTC)", "AS", "OF"]
    assert row.startswith(signed_at.astimezone(UTC).strftime("%Y-%m-%d %H:%M:%S"))
    assert "2010-09-15" in row and OFFICER in row and "recommendation 4 implemented" in row
    assert "2 actions, all blue" in row
    missing = tracker("signoffs", "nope", db=loaded_target)
    assert missing.code == 1 and "no plan 'nope'" in missing.err


def test_the_plans_own_sign_off_is_listed_last(loaded: Store, reviewer: Store) -> None:
    with loaded.read() as session:
        rows = [r for r in lookups.get_plan(session, PLAN).recommendations]
        refs = [(r.ref, [a.ref for a in r.actions]) for r in rows]
    for _, actions in refs:
        for ref in actions:
            with loaded.read() as session:
                done = lookups.get_action(session, f"{PLAN}/{ref}").status
            if done is not ActionStatus.COMPLETE:
                services.update_action(
                    loaded,
                    f"{PLAN}/{ref}",
                    "Miriam",
                    TODAY,
                    ActionChanges(status=ActionStatus.COMPLETE),
                )
            services.add_evidence(loaded, f"{PLAN}/{ref}", "Miriam", "Audit", reference=ref)
    for rec, _ in refs:
        services.sign_off_recommendation(reviewer, PLAN, rec, OFFICER, TODAY)
    services.sign_off_plan(reviewer, PLAN, OFFICER, TODAY)
    with loaded.read() as session:
        listed = plan_reads.sign_offs(SessionReader(session), PLAN)
    assert [s.what for s in listed] == [
        *(f"recommendation {r} implemented" for r, _ in refs),
        "plan closed",
    ]
    assert listed[-1].summary.startswith("13 actions, all blue; ")


def test_board_report_has_a_sign_offs_section_in_every_format(
    loaded: Store, reviewer: Store
) -> None:
    first = export(loaded, "md").decode()
    assert "## YJB sign-offs\n\nNone yet: the YJB has not signed off" in first
    finish_4(loaded)
    toml_before = export(loaded, "toml")
    sign_off_4(loaded, reviewer)
    with loaded.read() as session:
        signed_at = plan_reads.sign_offs(SessionReader(session), PLAN)[0].signed_at
    md = export(loaded, "md").decode()
    section = md.split("## YJB sign-offs", 1)[1].split("\n## ", 1)[0]
    assert "| When | Who | Signed off | State then |" in section
    row = next(line for line in section.splitlines() if OFFICER in line)
    assert row.startswith(f"| {moment(signed_at)} | {OFFICER} | Recommendation 4, as implemented |")
    assert "2 actions, all blue; 3 evidence (1 accepted, 2 pending) (as of 15 Sep 2010)" in row
    html = export(loaded, "html").decode()
    part = html.split('<section id="sign-offs">', 1)[1].split("</section>", 1)[0]
    assert f'<span class="nowrap">{moment(signed_at)}</span>' in part
    assert "Recommendation 4, as implemented" in part
    doc = Document(io.BytesIO(export(loaded, "docx")))
    table = next(t for t in doc.tables if t.rows[0].cells[0].text == "When")
    assert [c.text for c in table.rows[1].cells][:3] == [
        moment(signed_at),
        OFFICER,
        "Recommendation 4, as implemented",
    ]
    # the plan file has no place for a sign-off: it is the service's plan, not the YJB's record
    assert export(loaded, "toml") == toml_before


def test_portfolio_counts_recommendations_signed_off(  # type: ignore[no-untyped-def]
    tracker, loaded: Store, reviewer: Store, loaded_target: str
) -> None:
    sign_off_4(loaded, reviewer)
    with loaded.read() as session:
        sheet = openpyxl.load_workbook(
            io.BytesIO(export_portfolio(SessionReader(session), TODAY, "xlsx"))
        )
        page = export_portfolio(SessionReader(session), TODAY, "html").decode()
    ws = sheet.active
    assert ws is not None
    rows = {
        r[0]: dict(zip(PORTFOLIO_COLUMNS, r, strict=True))
        for r in ws.iter_rows(2, values_only=True)
    }
    assert (rows[PLAN]["Recommendations"], rows[PLAN]["Signed off"]) == (5, 1)
    assert (rows["cambridgeshire-2014"]["Signed off"]) == 0
    assert re.search(r"<td>stockton-2010</td>.*?<td class=\"num\">1 of 5</td>", page, re.S)
    data = json.loads(tracker("portfolio", "-f", "json", db=loaded_target).out)
    stockton = next(r for r in data if r["plan"] == PLAN)
    assert (stockton["recommendations"], stockton["signed_off"]) == (5, 1)
