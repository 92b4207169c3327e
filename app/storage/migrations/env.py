"""Alembic environment for the local database.

Migrations run only through `app.storage.migrate`, which hands over a connection that is already
inside one `BEGIN IMMEDIATE` transaction with foreign keys off; every statement of every pending
migration (and the version stamp) commits or rolls back together.
"""

from __future__ import annotations

from alembic import context

from app.storage.tables import Base

connection = context.config.attributes.get("connection")
if connection is None:
    raise RuntimeError(
        "run migrations through app.storage.migrate.upgrade(), not the alembic command"
    )

context.configure(
    connection=connection,
    target_metadata=Base.metadata,
    render_as_batch=True,
    compare_type=True,
)
with context.begin_transaction():
    context.run_migrations()
