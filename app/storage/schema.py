"""Which schema a database file is at, read with plain SQL: no Alembic, no SQLAlchemy.

Opening a database checks this first; the window's first list does too, before anything else is
imported. The revisions this version knows are constants: tests/unit/test_startup_path.py keeps
them equal to the migrations folder's history as Alembic reads it. Migrating is migrate.py's.
"""

from __future__ import annotations

import sqlite3
from dataclasses import dataclass
from pathlib import Path

from app.common.errors import StorageError

MIGRATIONS_DIR = Path(__file__).resolve().parent / "migrations"
VERSION_TABLE = "alembic_version"

# Every revision in MIGRATIONS_DIR, oldest first; the last is the head. Add each new migration's
# revision id here (tests/unit/test_startup_path.py compares this with Alembic's own history).
REVISIONS: tuple[str, ...] = ("0001", "0002_sync")
HEAD = REVISIONS[-1]


@dataclass(frozen=True)
class SchemaPlan:
    current: str | None  # None: an empty (new) database
    head: str
    known: frozenset[str]

    @property
    def up_to_date(self) -> bool:
        return self.current == self.head


def read_revision(connection: sqlite3.Connection) -> str | None:
    """The schema revision stamped in an open database (None when it has no version table)."""
    row = connection.execute(
        "SELECT 1 FROM sqlite_master WHERE type = 'table' AND name = ?", (VERSION_TABLE,)
    ).fetchone()
    if row is None:
        return None
    rows = connection.execute(f"SELECT version_num FROM {VERSION_TABLE}").fetchall()
    if len(rows) != 1:
        raise StorageError(f"the database has {len(rows)} schema versions stamped; expected one")
    return str(rows[0][0])


def plan(
    connection: sqlite3.Connection, head: str = HEAD, known: frozenset[str] = frozenset(REVISIONS)
) -> SchemaPlan:
    """Where the open database stands against `head` (this version's unless another migrations
    folder is in use); raises StorageError when it was written by a newer version."""
    current = read_revision(connection)
    if current is not None and current not in known:
        raise StorageError(
            f"this database was written by a newer version of Readiness (schema {current}; "
            f"this version knows up to {head}); install the newer version to open it. "
            "The file was not changed."
        )
    return SchemaPlan(current=current, head=head, known=known)
