"""A busy database, and what each read of tracker.queries should give on it, worked out the
slow, obvious way: from the ORM objects (`session.scalars(select(Model))`), in Python, without
the reads' SQL. tests/store/test_read_agreement.py holds the SQL to it on every executor.

One module per module of tracker.queries, each answering the reads of its name; `busy` makes
the database, `orm` finds and orders the objects they read. The orders are Python's: on
PostgreSQL they assume a C collation (the test cluster's, as .ci/run makes it), where text sorts
by code point as it does on SQLite.
"""

from __future__ import annotations

from tests.store.oracle.action import action_detail, evidence_files, evidence_of, history
from tests.store.oracle.busy import LEAD, make_busy
from tests.store.oracle.exports import changes_since, last_board_report, plan_data, portfolio_rows
from tests.store.oracle.lists import action_row, action_rows, plan_rows
from tests.store.oracle.plan import plan_detail, sign_offs
from tests.store.oracle.plandoc import plan_doc
from tests.store.oracle.roles import known_role_names, role_called, roles

__all__ = [
    "LEAD",
    "action_detail",
    "action_row",
    "action_rows",
    "changes_since",
    "evidence_files",
    "evidence_of",
    "history",
    "known_role_names",
    "last_board_report",
    "make_busy",
    "plan_data",
    "plan_detail",
    "plan_doc",
    "plan_rows",
    "portfolio_rows",
    "role_called",
    "roles",
    "sign_offs",
]
