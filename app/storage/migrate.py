"""Bringing a database file to the schema this version of the product knows.

Sequence (RELIABILITY.md 1a): the caller backs the file up first; then, on a connection with
foreign keys OFF, one `BEGIN IMMEDIATE` transaction runs every pending Alembic migration and the
version stamp, checks `PRAGMA foreign_key_check`, compares row counts and checksums of the user's
data, and commits. Any failure (or a crash) leaves the file at its old revision. A database stamped
with a revision this version does not know (written by a newer version) is refused before anything
is written.

Checking where a file stands needs no Alembic (schema.py: constants and plain SQL). Alembic (with
mako and pygments, ~0.3 s and ~11 MiB) is imported only when a migration is due, or for another
migrations folder (tests).
"""

from __future__ import annotations

import hashlib
import sqlite3
from collections.abc import Callable
from pathlib import Path

from app.common.errors import StorageError
from app.storage import schema
from app.storage.schema import HEAD as HEAD
from app.storage.schema import MIGRATIONS_DIR as MIGRATIONS_DIR
from app.storage.schema import REVISIONS as REVISIONS
from app.storage.schema import VERSION_TABLE as VERSION_TABLE
from app.storage.schema import SchemaPlan as SchemaPlan
from app.storage.schema import read_revision as read_revision


def _script(script_location: Path | None = None):  # type: ignore[no-untyped-def]
    from alembic.config import Config
    from alembic.script import ScriptDirectory

    config = Config()
    config.set_main_option("script_location", str(script_location or MIGRATIONS_DIR))
    return config, ScriptDirectory.from_config(config)


def schema_head(script_location: Path | None = None) -> str:
    """The newest revision (the product's own without Alembic; another folder's through it)."""
    if script_location is None:
        return HEAD
    return alembic_head(script_location)


def known_revisions(script_location: Path | None = None) -> set[str]:
    if script_location is None:
        return set(REVISIONS)
    return alembic_revisions(script_location)


def alembic_head(script_location: Path | None = None) -> str:
    """The head as Alembic reads it from the migrations folder."""
    _config, script = _script(script_location)
    head = script.get_current_head()
    assert head is not None, "the migrations folder has no revisions"
    return str(head)


def alembic_revisions(script_location: Path | None = None) -> set[str]:
    """Every revision as Alembic reads it from the migrations folder."""
    _config, script = _script(script_location)
    return {str(rev.revision) for rev in script.walk_revisions()}


def plan(connection: sqlite3.Connection, script_location: Path | None = None) -> SchemaPlan:
    """Where the open database stands; raises StorageError when it is newer than this version."""
    if script_location is None:
        return schema.plan(connection)
    return schema.plan(
        connection,
        head=alembic_head(script_location),
        known=frozenset(alembic_revisions(script_location)),
    )


def upgrade(
    path: Path,
    *,
    target: str = "head",
    script_location: Path | None = None,
    on_statement: Callable[[str], None] | None = None,
) -> str:
    """Run the pending migrations on the file at `path` in one transaction; return the revision.

    `on_statement` is called before every SQL statement and before COMMIT (crash tests use it
    to fail mid-way).
    """
    from alembic import command
    from sqlalchemy import event

    from app.storage.engine import make_engine, translate_errors

    config, _script_dir = _script(script_location)
    engine = make_engine(path, foreign_keys=False, pooled=False)
    if on_statement is not None:
        hook = on_statement

        @event.listens_for(engine, "before_cursor_execute")
        def _before(_conn, _cursor, statement, _params, _context, _many):  # type: ignore[no-untyped-def]
            hook(statement)

        @event.listens_for(engine, "commit")
        def _commit(_conn):  # type: ignore[no-untyped-def]
            hook("COMMIT")

    try:
        with translate_errors(), engine.connect() as connection:
            with connection.begin():
                raw = connection.connection.dbapi_connection
                assert isinstance(raw, sqlite3.Connection)
                before = table_fingerprints(raw)
                config.attributes["connection"] = connection
                command.upgrade(config, target)
                _check_foreign_keys(raw)
                _check_guards(raw)
                _compare(before, table_fingerprints(raw))
                revision = read_revision(raw)
    finally:
        engine.dispose()
    return revision or ""


def _check_guards(connection: sqlite3.Connection) -> None:
    from app.storage.guards import guard_names

    present = {
        r[0] for r in connection.execute("SELECT name FROM sqlite_master WHERE type = 'trigger'")
    }
    missing = sorted(set(guard_names()) - present)
    if missing:
        raise StorageError(
            f"migration stopped: immutability triggers missing ({', '.join(missing)})"
        )


def _check_foreign_keys(connection: sqlite3.Connection) -> None:
    problems = connection.execute("PRAGMA foreign_key_check").fetchall()
    if problems:
        shown = ", ".join(f"{row[0]} row {row[1]} -> {row[2]}" for row in problems[:5])
        raise StorageError(f"migration stopped: broken references after the upgrade ({shown})")


Fingerprints = dict[str, tuple[int, dict[str, str]]]


def user_tables(connection: sqlite3.Connection) -> list[str]:
    """Every table of the product (not SQLite's or Alembic's own)."""
    return [
        row[0]
        for row in connection.execute(
            "SELECT name FROM sqlite_master WHERE type = 'table' "
            "AND name NOT LIKE 'sqlite_%' AND name != ? ORDER BY name",
            (VERSION_TABLE,),
        )
    ]


def table_columns(connection: sqlite3.Connection, table: str) -> tuple[str, ...]:
    return tuple(row[1] for row in connection.execute(f'PRAGMA table_info("{table}")'))


def table_fingerprints(connection: sqlite3.Connection) -> Fingerprints:
    """Per table: the row count and, per column, a checksum of its values (order-free)."""
    result: Fingerprints = {}
    for table in user_tables(connection):
        columns = table_columns(connection, table)
        count = int(connection.execute(f'SELECT count(*) FROM "{table}"').fetchone()[0])
        result[table] = (count, {c: content_digest(connection, table, (c,)) for c in columns})
    return result


def content_digest(connection: sqlite3.Connection, table: str, columns: tuple[str, ...]) -> str:
    """A checksum of the given columns of every row, independent of row order."""
    quoted = ", ".join(f'"{c}"' for c in columns)
    digests = sorted(
        hashlib.sha256(repr(tuple(row)).encode("utf-8")).digest()
        for row in connection.execute(f'SELECT {quoted} FROM "{table}"')
    )
    return hashlib.sha256(b"".join(digests)).hexdigest()


def _compare(before: Fingerprints, after: Fingerprints) -> None:
    # A migration may add tables and columns; it must not lose rows or change kept values.
    for table, (count, digests) in before.items():
        if table not in after:
            continue
        new_count, new_digests = after[table]
        if new_count != count:
            raise StorageError(
                f"migration stopped: table {table} had {count} rows before and {new_count} "
                "after; nothing was changed"
            )
        for column, digest in digests.items():
            if column in new_digests and new_digests[column] != digest:
                raise StorageError(
                    f"migration stopped: values of {table}.{column} changed; nothing was changed"
                )


def data_checksums(connection: sqlite3.Connection) -> dict[str, str]:
    """Per table, a checksum over every column of every row (tests and restores compare these)."""
    return {
        table: content_digest(connection, table, table_columns(connection, table))
        for table in user_tables(connection)
    }
