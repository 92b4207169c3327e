"""Alembic environment for the hub database.

Migrations run only through `app.hub.db.HubDB.upgrade()`, which hands over a connection already
inside one transaction (`BEGIN IMMEDIATE` on SQLite), so every pending migration and the version
stamp commit or roll back together.
"""

from __future__ import annotations

from alembic import context

from app.hub.tables import metadata

connection = context.config.attributes.get("connection")
if connection is None:
    raise RuntimeError("run hub migrations through `readiness hub init`, not the alembic command")

context.configure(
    connection=connection,
    target_metadata=metadata,
    render_as_batch=True,
    compare_type=True,
)
with context.begin_transaction():
    context.run_migrations()
