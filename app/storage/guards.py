"""Triggers that make the audit trail immutable inside the database itself.

Revisions and assessment events are never updated or deleted; the triggers turn any attempt into
an error, whatever code tries it. A batch migration that rebuilds one of these tables drops its
triggers with the old table, so every such migration calls `install_guards` again; the migration
runner refuses to commit a schema without them.
"""

from __future__ import annotations

from collections.abc import Callable

IMMUTABLE_TABLES = ("revision", "assessment_event")


def guard_names() -> list[str]:
    return [f"trg_{t}_{verb}" for t in IMMUTABLE_TABLES for verb in ("no_update", "no_delete")]


def guard_statements() -> list[str]:
    statements = []
    for table in IMMUTABLE_TABLES:
        for verb, action in (("no_update", "UPDATE"), ("no_delete", "DELETE")):
            statements.append(
                f"CREATE TRIGGER IF NOT EXISTS trg_{table}_{verb} BEFORE {action} ON {table} "
                f"BEGIN SELECT RAISE(ABORT, '{table} rows are immutable'); END"
            )
    return statements


def install_guards(execute: Callable[[str], object]) -> None:
    """Create the triggers (idempotent); `execute` is e.g. `alembic.op.execute`."""
    for statement in guard_statements():
        execute(statement)
