"""The only reader: every read of the database, as SQL sent through one of two executors.

- `reader`: the `Query` (one SQL text, its columns by name), the `Reader` protocol, the light
  sqlite3 executor and `reader_for`, which chooses the executor (standard library only);
- `session`: the same SQL through a SQLAlchemy session (PostgreSQL, or inside a write);
- `lists`: the plans and actions lists; `plan`: one plan's header, recommendations and
  actions, and its sign-offs; `action`: one action, its evidence, the audit trail;
  `exports`: a plan read for export, the portfolio, changes since a board report;
  `plandoc`: a plan whole, as a plan file holds it; `roles`: role names and aliases;
- `lookups`: the ORM rows and facts the services read inside their own transactions.

Nothing here writes, and "today" is always an argument. Only `session` and `lookups` import
SQLAlchemy: a read on a SQLite file at the schema head needs none.
"""
