"""Alembic environment for derek's store.  Migrations run programmatically from
derek.store.db.migrate(), which passes an open connection in config.attributes; there is
no alembic.ini and no logging setup here (the CLI owns the terminal)."""
from __future__ import annotations

from alembic import context

connection = context.config.attributes.get("connection")
if connection is None:  # pragma: no cover - only reachable from the alembic CLI
    raise RuntimeError("derek's migrations run through derek.store.db.migrate(url)")

context.configure(connection=connection, target_metadata=None,
                  render_as_batch=connection.dialect.name == "sqlite")
with context.begin_transaction():
    context.run_migrations()
