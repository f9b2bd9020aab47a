"""The store on a real SQLite file: pragmas, migrations, backups, the append-only audit trail,
a writer waiting out a held lock; and on the PostgreSQL test server, the roles of
docs/deployment.md."""

from __future__ import annotations

import json
import re
import sqlite3
import threading
import time
import uuid
from pathlib import Path

import pytest
from alembic.config import Config
from alembic.script import ScriptDirectory
from sqlalchemy import create_engine, text
from sqlalchemy.engine import make_url
from sqlalchemy.exc import DatabaseError

from conftest import ROOT, SERVER_URL, snapshot
from tracker.models import AuditEvent, AuditTrailIsAppendOnly
from tracker.store import (
    SCHEMA_HEAD,
    Store,
    StoreError,
    current_revision,
    migrations_dir,
    open_store,
    upgrade,
)


def test_schema_head_constant_matches_the_migrations() -> None:
    config = Config()
    config.set_main_option("script_location", str(migrations_dir()))
    assert ScriptDirectory.from_config(config).get_current_head() == SCHEMA_HEAD


def test_new_file_is_created_at_head_with_wal_and_foreign_keys(tmp_path: Path) -> None:
    store = open_store(tmp_path / "new.db")
    try:
        assert current_revision(store.engine) == SCHEMA_HEAD
        with store.read() as session:
            assert session.execute(text("PRAGMA journal_mode")).scalar() == "wal"
            assert session.execute(text("PRAGMA foreign_keys")).scalar() == 1
            assert session.execute(text("PRAGMA busy_timeout")).scalar() == 30000
    finally:
        store.dispose()
    assert not list(tmp_path.glob("*.bak")), "a new database needs no backup"


def test_default_roles_are_seeded(store: Store) -> None:
    from tracker.queries.lookups import find_role

    with store.read() as session:
        chair = find_role(session, "Chair of the YOS Management Board")
        assert chair is not None
        assert chair.name == "Chair of the Management Board"
        manager = find_role(session, "  yos   MANAGER ")
        assert manager is not None and manager.name == "Head of Service"


def test_upgrade_from_first_revision_keeps_data_and_backs_up(tmp_path: Path) -> None:
    path = tmp_path / "old.db"
    engine = create_engine(f"sqlite:///{path}")
    old = Store(f"sqlite:///{path}", engine, None)  # type: ignore[arg-type]
    upgrade(old, "0001")
    with engine.begin() as conn:
        conn.execute(
            text("INSERT INTO inspections (area, kind, published) VALUES ('Halton', 'CCI', NULL)")
        )
        conn.execute(
            text(
                "INSERT INTO plans (slug, inspection_id, status, created_at, version) "
                "VALUES ('halton-2009', 1, 'draft', '2009-09-01 10:00:00', 1)"
            )
        )
    engine.dispose()
    assert current_revision(create_engine(f"sqlite:///{path}")) == "0001"

    store = open_store(path)
    try:
        assert current_revision(store.engine) == SCHEMA_HEAD
        with store.read() as session:
            row = session.execute(text("SELECT slug, status FROM plans")).one()
            assert tuple(row) == ("halton-2009", "draft")
    finally:
        store.dispose()
    backups = list(tmp_path.glob("old.db.*.bak"))
    assert len(backups) == 1
    with sqlite3.connect(backups[0]) as conn:
        assert conn.execute("SELECT version_num FROM alembic_version").fetchone() == ("0001",)
        assert conn.execute("SELECT slug FROM plans").fetchone() == ("halton-2009",)


def test_unopenable_targets_say_why(tmp_path: Path) -> None:
    with pytest.raises(StoreError, match=r"folder .* does not exist"):
        open_store(tmp_path / "nowhere" / "x.db")
    junk = tmp_path / "junk.db"
    junk.write_bytes(b"this is not a database" * 100)
    with pytest.raises(StoreError, match="cannot open database"):
        open_store(junk)
    with pytest.raises(StoreError, match="no such database driver"):
        open_store("postgresql+nosuchdriver://u@localhost/db")


def test_audit_trail_is_append_only(loaded: Store) -> None:
    with pytest.raises(AuditTrailIsAppendOnly), loaded.write() as session:
        event = session.query(AuditEvent).first()
        assert event is not None
        event.new_value = "rewritten"
    with pytest.raises(DatabaseError, match="append-only"), loaded.write() as session:
        session.execute(text("DELETE FROM audit_events"))
    with loaded.read() as session:
        assert session.query(AuditEvent).count() > 0


def test_write_rolls_back_whole_on_error(loaded: Store) -> None:
    with pytest.raises(RuntimeError), loaded.write() as session:
        session.execute(text("UPDATE actions SET lead = 'half done'"))
        raise RuntimeError("stop")
    with loaded.read() as session:
        assert (
            session.execute(text("SELECT count(*) FROM actions WHERE lead = 'half done'")).scalar()
            == 0
        )


def test_a_writer_waits_out_a_lock_held_longer_than_pythons_default_timeout(  # type: ignore[no-untyped-def]
    tracker, loaded_path: Path
) -> None:
    held, released = threading.Event(), threading.Event()
    hold_for = 6.5  # Python's sqlite3 gives up after 5 s unless told otherwise

    def hold_the_write_lock() -> None:
        conn = sqlite3.connect(loaded_path, isolation_level=None)
        try:
            conn.execute("BEGIN IMMEDIATE")
            conn.execute("UPDATE actions SET lead = 'holder' WHERE ref = '1.1'")
            held.set()
            time.sleep(hold_for)
            conn.execute("COMMIT")
        finally:
            conn.close()
            released.set()

    holder = threading.Thread(target=hold_the_write_lock)
    holder.start()
    assert held.wait(10)
    began = time.monotonic()
    result = tracker("update", "stockton-2010/1.2", "--progress", "55", db=loaded_path)
    waited = time.monotonic() - began
    holder.join()
    assert result.code == 0, result.err
    assert "locked" not in result.err
    assert waited >= hold_for - 1.5, f"the update did not wait for the lock ({waited:.1f} s)"
    rows = json.loads(tracker("actions", "--plan", "stockton-2010", "--json", db=loaded_path).out)
    found = {r["id"]: r for r in rows}
    assert found["stockton-2010/1.2"]["progress"] == 55
    assert found["stockton-2010/1.1"]["lead"] == "holder"  # the holder's change is kept too


def test_a_writer_that_times_out_on_a_held_lock_says_so_in_a_sentence(
    loaded_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    # Issue 14, point 5: after the busy timeout (30 s; 1 s here), no "database is locked"
    # traceback but a sentence, and nothing saved.
    from datetime import date

    from tracker import services
    from tracker.services import ActionChanges

    monkeypatch.setattr("tracker.store.BUSY_TIMEOUT_SECONDS", 1.0)
    store = open_store(loaded_path)
    holder = sqlite3.connect(loaded_path, isolation_level=None)
    try:
        holder.execute("BEGIN IMMEDIATE")
        before = time.monotonic()
        with pytest.raises(StoreError) as refused:
            services.update_action(
                store, "stockton-2010/1.2", "tester", date(2010, 9, 15), ActionChanges(progress=7)
            )
        assert time.monotonic() - before >= 0.9
        message = str(refused.value)
        assert "stayed locked by another program's change for 1 seconds" in message, message
        assert "Nothing was saved" in message
        holder.execute("ROLLBACK")
    finally:
        holder.close()
        store.dispose()
    with sqlite3.connect(loaded_path) as conn:
        progress = conn.execute("SELECT progress FROM actions WHERE ref = '1.2'").fetchall()
    assert (7,) not in progress


def test_a_role_with_many_aliases_loads_in_a_few_statements_and_too_many_are_refused(
    store: Store, tmp_path: Path
) -> None:
    # Issue 14, point 5: 4,000 aliases took 72-84 s inside the load's write transaction, one
    # look-up and one flush each. Now a plan file gives at most 100 per role, and those go in
    # by batches: the statements a load runs do not grow with the aliases.
    from sqlalchemy import event

    from tracker import services
    from tracker.errors import PlanFileError
    from tracker.planfile import parse_plan

    sample = (ROOT / "sample_plans" / "cambridgeshire-2014.toml").read_text("utf-8")

    def plan_with(slug: str, count: int) -> bytes:
        names = ", ".join(f'"Alias {slug} {i}"' for i in range(count))
        text_ = sample.replace('id = "cambridgeshire-2014"', f'id = "{slug}"')
        return f'{text_}\n[[roles]]\nname = "Role {slug}"\naliases = [{names}]\n'.encode()

    with pytest.raises(PlanFileError, match=r"roles\[1\]\.aliases: has 4000 entries; the most"):
        parse_plan(plan_with("big-2014", 4000), "big.toml")
    statements: dict[int, int] = {}
    for count in (10, 100):
        doc = parse_plan(plan_with(f"p{count}-2014", count), "p.toml")
        seen = [0]

        def counted(*_: object, seen: list[int] = seen) -> None:
            seen[0] += 1

        event.listen(store.engine, "before_cursor_execute", counted)
        try:
            services.load_plans(store, [("p.toml", doc)], "tester")
        finally:
            event.remove(store.engine, "before_cursor_execute", counted)
        statements[count] = seen[0]
    assert statements[100] <= statements[10] + 5, statements
    with store.read() as session:
        from tracker.queries.lookups import find_role

        role = find_role(session, "alias p100-2014 99")
        assert role is not None and role.name == "Role p100-2014"


def test_a_migration_that_fails_is_a_store_error_not_a_traceback(tmp_path: Path) -> None:
    path = tmp_path / "odd.db"
    with sqlite3.connect(path) as conn:
        # At the first revision by its stamp, but a table of a later one is already there.
        conn.execute("CREATE TABLE alembic_version (version_num VARCHAR(32) PRIMARY KEY)")
        conn.execute("INSERT INTO alembic_version VALUES ('0001')")
        conn.execute("CREATE TABLE board_reports (id INTEGER PRIMARY KEY)")
    with pytest.raises(StoreError, match=r"cannot upgrade database .* to schema"):
        open_store(path)


def _docs_sql() -> list[str]:
    """The SQL blocks of docs/deployment.md's section on roles, as written there."""
    text_ = (ROOT / "docs" / "deployment.md").read_text("utf-8")
    section = text_.split("### Roles", 1)[1].split("\n### ", 1)[0]
    return [b.split("\n```", 1)[0] for b in section.split("```sql\n")[1:]]


@pytest.mark.skipif(SERVER_URL is None, reason="roles are PostgreSQL's: needs the test server")
def test_postgresql_roles_from_the_docs_let_each_login_do_only_its_part(  # type: ignore[no-untyped-def]
    tracker, loaded_target: str, tmp_path: Path
) -> None:
    assert SERVER_URL is not None
    sample = (ROOT / "sample_plans" / "cambridgeshire-2014.toml").read_text("utf-8")
    new_plan = tmp_path / "new.toml"
    new_plan.write_text(sample.replace('id = "cambridgeshire-2014"', 'id = "new-2014"'), "utf-8")
    database = str(make_url(loaded_target).database)
    tag = f"t{uuid.uuid4().hex[:8]}"
    groups, grants, logins = _docs_sql()
    assert "CREATE ROLE tracker_viewer" in groups and "ON DATABASE tracker " in grants

    def ours(sql: str) -> str:
        sql = sql.replace("tracker_", f"{tag}_")
        return sql.replace("DATABASE tracker ", f'DATABASE "{database}" ')

    made = re.findall(r"CREATE ROLE (\w+) LOGIN PASSWORD '([^']*)' IN ROLE (\w+);", logins)
    assert {group for _, _, group in made} == {
        "tracker_editor",
        "tracker_reviewer",
        "tracker_viewer",
    }
    people = {group.split("_")[1]: (f"{tag}_{name}", password) for name, password, group in made}
    admin_engine = create_engine(loaded_target, isolation_level="AUTOCOMMIT")
    try:
        with admin_engine.connect() as conn:
            conn.exec_driver_sql(ours(groups))
            for _ in range(2):  # "running it twice does no harm"
                conn.exec_driver_sql(ours(grants))
            for name, password, group in made:
                conn.exec_driver_sql(
                    f"CREATE ROLE {tag}_{name} LOGIN PASSWORD '{password}' IN ROLE {ours(group)}"
                )
        server = make_url(loaded_target)
        url = {
            group: server.set(username=login, password=password).render_as_string(False)
            for group, (login, password) in people.items()
        }
        before = snapshot(loaded_target)
        refused = [
            ("viewer", ["update", "stockton-2010/1.2", "--progress", "5"]),
            ("viewer", ["evidence", "add", "stockton-2010/1.2", "--title", "t", "--ref", "r"]),
            ("reviewer", ["update", "stockton-2010/1.2", "--progress", "5"]),
            ("reviewer", ["evidence", "add", "stockton-2010/1.2", "--title", "t", "--ref", "r"]),
            (
                "reviewer",
                ["step", "cambridgeshire-2014", "submitted", "--on", "2014-05-19", "--anyway"],
            ),
            ("reviewer", ["load", str(new_plan)]),
        ]
        for group, args in refused:
            result = tracker(*args, db=url[group])
            assert result.code == 1, (group, args, result)
            assert "permission denied" in result.err and "Traceback" not in result.err, result.err
        assert snapshot(loaded_target) == before
        for group in people:
            assert tracker("plans", db=url[group]).code == 0
            assert tracker("--read-only", "actions", db=url[group]).code == 0
        evidence = json.loads(
            tracker("evidence", "list", "stockton-2010/1.2", "--json", db=url["viewer"]).out
        )[0]["id"]
        reviewed = tracker(
            "--as", "yjb-link", "--reviewer", "review", "evidence", str(evidence), "--accept",
            db=url["reviewer"],
        )  # fmt: skip
        assert reviewed.code == 0, reviewed.err
        edited = tracker("update", "stockton-2010/1.2", "--progress", "45", db=url["editor"])
        assert edited.code == 0, edited.err

        # The editor's login finishes and evidences an action, then tries to sign it off and
        # accept its evidence as if it were the YJB (issue 14, 2a): the service sees a
        # reviewer's session and another name; the server refuses, by the grants above.
        as_manager = {"TRACKER_USER": "Miriam"}
        done = tracker(
            "update", "stockton-2010/4.2", "--status", "complete", db=url["editor"], **as_manager
        )
        assert done.code == 0, done.err
        added = tracker(
            "evidence", "add", "stockton-2010/4.2", "--title", "Audit", "--ref", "QA/4.2",
            db=url["editor"], **as_manager,
        )  # fmt: skip
        assert added.code == 0, added.err
        own = json.loads(
            tracker("evidence", "list", "stockton-2010/4.2", "--json", db=url["editor"]).out
        )[-1]["id"]
        before = snapshot(loaded_target)
        officer = ("--as", "Yasmin Officer (YJB)", "--reviewer")
        for args in (
            ["review", "sign-off", "stockton-2010", "4"],
            ["review", "evidence", str(own), "--accept"],
        ):
            result = tracker(*officer, *args, db=url["editor"])
            assert result.code == 1, (args, result)
            assert "permission denied" in result.err, result.err
            assert "Traceback" not in result.err, result.err
        assert snapshot(loaded_target) == before
        # Nor by writing the rows another way: the login, not the tracker, is what counts.
        editor_engine = create_engine(url["editor"])
        try:
            for sql in (
                f"UPDATE evidence SET review = 'accepted', reviewer = 'x' WHERE id = {own}",
                "UPDATE plans SET status = 'closed' WHERE slug = 'stockton-2010'",
                "INSERT INTO sign_offs (plan_id, signed_by, signed_at, state) "
                "SELECT id, 'x', now(), '{}' FROM plans WHERE slug = 'stockton-2010'",
            ):
                with (
                    pytest.raises(DatabaseError, match="permission denied"),
                    editor_engine.begin() as conn,
                ):
                    conn.exec_driver_sql(sql)
            # The audit trail records the login whatever account the client sends.
            with editor_engine.begin() as conn:
                conn.exec_driver_sql(
                    "INSERT INTO audit_events (at, actor, account, entity, entity_id, "
                    "entity_ref, field) VALUES (now(), 'Miriam', 'somebody-else', 'plan', 1, "
                    "'stockton-2010', 'probe')"
                )
        finally:
            editor_engine.dispose()
        # The YJB's own login may accept it (nobody at the YJB worked on it).
        accepted = tracker(*officer, "review", "evidence", str(own), "--accept", db=url["reviewer"])
        assert accepted.code == 0, accepted.err
        with admin_engine.connect() as conn:
            accounts = dict(
                conn.exec_driver_sql(
                    "SELECT field, account FROM audit_events WHERE entity_ref = "
                    "'stockton-2010/4.2' OR field = 'probe'"
                ).all()
            )
        assert accounts["status"] == accounts["evidence"] == people["editor"][0], accounts
        assert accounts["probe"] == people["editor"][0], accounts
        assert accounts["evidence review"] == people["reviewer"][0], accounts
        # ... and the audit trail shows both: the name given and the login.
        shown = tracker("history", "stockton-2010/4.2", db=url["viewer"]).out
        assert f"Yasmin Officer (YJB) (login {people['reviewer'][0]})" in shown, shown
    finally:
        with admin_engine.connect() as conn:
            for name in [*(login for login, _ in people.values()), *(f"{tag}_{g}" for g in people)]:
                conn.exec_driver_sql(f"DROP OWNED BY {name}")
                conn.exec_driver_sql(f"DROP ROLE {name}")
        admin_engine.dispose()
