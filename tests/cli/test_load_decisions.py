"""A plan file's word is not the YJB's (issue 14, point 2c): a manager who loads a file saying
its evidence was accepted or queried, or the plan closed, gets the evidence pending and the plan
open, what the file said kept "as stated in the file" (the evidence's review comment, the
plan's notes), never a sign-off; `load --update` keeps the database's reviews and closing."""

from __future__ import annotations

import sqlite3
from contextlib import closing
from pathlib import Path

from conftest import SAMPLES
from tracker.services.plans import AS_STATED

STOCKTON = next(p for p in SAMPLES if p.name == "stockton-2010.toml")


def reviews(db: Path) -> list[tuple[str, str | None, str | None]]:
    with closing(sqlite3.connect(db)) as conn:
        return conn.execute(
            "SELECT review, reviewer, review_comment FROM evidence ORDER BY id"
        ).fetchall()


def plan_row(db: Path, slug: str) -> tuple[str, str | None, str | None]:
    with closing(sqlite3.connect(db)) as conn:
        row = conn.execute(
            "SELECT status, closed_on, notes FROM plans WHERE slug = ?", (slug,)
        ).fetchone()
    return row[0], row[1], row[2]


def test_a_managers_load_takes_no_review_decision_from_the_file(  # type: ignore[no-untyped-def]
    tracker, db_path: Path
) -> None:
    stated = STOCKTON.read_text(encoding="utf-8")
    assert 'review = "accepted"' in stated and 'review = "queried"' in stated
    result = tracker("load", str(STOCKTON), db=db_path)
    assert result.code == 0, result
    rows = reviews(db_path)
    assert rows and all(review == "pending" and who is None for review, who, _ in rows)
    comments = [c for _, _, c in rows if c and c.startswith(AS_STATED)]
    assert any(
        "accepted by YJB link officer (North East) on 2010-05-18: Template addresses" in c
        for c in comments
    )
    assert any("queried by YJB link officer (North East) on 2010-07-20" in c for c in comments)
    assert len(comments) == stated.count('review = "accepted"') + stated.count('review = "queried"')
    # Nothing awaits anyone's sign-off as done: the reviewer sees every item to review.
    portfolio = tracker("--reviewer", "portfolio", "-f", "json", db=db_path)
    assert portfolio.code == 0, portfolio


def test_a_managers_load_does_not_close_a_plan(  # type: ignore[no-untyped-def]
    tracker, db_path: Path, tmp_path: Path
) -> None:
    text = STOCKTON.read_text(encoding="utf-8").replace(
        'status = "monitoring"', 'status = "closed"\nclosed = 2012-01-10', 1
    )
    closed = tmp_path / "closed.toml"
    closed.write_text(text, encoding="utf-8")
    result = tracker("load", str(closed), db=db_path)
    assert result.code == 0, result
    status, closed_on, notes = plan_row(db_path, "stockton-2010")
    assert status == "monitoring" and closed_on is None
    assert notes is not None and notes.endswith(f"{AS_STATED}: closed on 2012-01-10")
    assert notes.startswith("Written from the council board report")
    with closing(sqlite3.connect(db_path)) as conn:
        assert conn.execute("SELECT count(*) FROM sign_offs").fetchone()[0] == 0


def test_load_update_keeps_the_databases_review_and_closing(  # type: ignore[no-untyped-def]
    tracker, db_path: Path, tmp_path: Path
) -> None:
    assert tracker("load", str(STOCKTON), db=db_path).code == 0
    dumped = tracker("dump", "stockton-2010", db=db_path)
    assert dumped.code == 0, dumped
    text = dumped.out.replace(
        'review = "pending"', 'review = "accepted"\nreviewer = "Me"\nreviewed = 2010-06-01', 1
    )
    text = text.replace('status = "monitoring"', 'status = "closed"\nclosed = 2012-01-10', 1)
    assert 'review = "accepted"' in text
    changed = tmp_path / "changed.toml"
    changed.write_text(text, encoding="utf-8")
    before = reviews(db_path)
    tracker("load", "--update", str(changed), db=db_path)
    assert reviews(db_path) == before
    status, closed_on, _ = plan_row(db_path, "stockton-2010")
    assert status == "monitoring" and closed_on is None
