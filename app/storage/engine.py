"""The SQLite engine: durable pragmas, explicit transactions, and errors people can act on.

Every connection runs in WAL mode with `synchronous=FULL` (a commit survives a power cut, not only a
crash), enforced foreign keys and a busy timeout. pysqlite's own transaction handling is switched off
(`isolation_level=None`) and SQLAlchemy's "begin" event emits `BEGIN IMMEDIATE` itself, so DDL is
transactional and a writer takes the write lock at the start instead of failing half-way (the
SQLAlchemy recipe for pysqlite, see RELIABILITY.md 1a). Read-only units of work use a deferred
`BEGIN` so they never wait for the writer.
"""

from __future__ import annotations

import contextlib
import sqlite3
from collections.abc import Iterator
from pathlib import Path
from typing import Any

from sqlalchemy import Connection, Engine, create_engine, event
from sqlalchemy.exc import DBAPIError
from sqlalchemy.pool import NullPool

from app.common.errors import StorageError
from app.common.paths import make_private

BUSY_TIMEOUT_MS = 10_000
_READONLY = "readiness_readonly"


def make_engine(path: Path, *, foreign_keys: bool = True, pooled: bool = True) -> Engine:
    """An engine for the database file at `path` with the product's pragmas.

    `foreign_keys=False` is only for migrations: batch ALTERs copy tables, which enforced foreign
    keys would forbid, and the pragma cannot change inside a transaction.
    """
    engine = create_engine(
        f"sqlite+pysqlite:///{path}",
        connect_args={"check_same_thread": False, "timeout": BUSY_TIMEOUT_MS / 1000},
        poolclass=None if pooled else NullPool,
    )

    @event.listens_for(engine, "connect")
    def _on_connect(dbapi_connection: sqlite3.Connection, _record: Any) -> None:
        dbapi_connection.isolation_level = None  # we emit BEGIN ourselves
        cursor = dbapi_connection.cursor()
        try:
            cursor.execute(f"PRAGMA busy_timeout = {BUSY_TIMEOUT_MS}")
            cursor.execute("PRAGMA journal_mode = WAL")
            cursor.execute("PRAGMA synchronous = FULL")
            cursor.execute(f"PRAGMA foreign_keys = {'ON' if foreign_keys else 'OFF'}")
        finally:
            cursor.close()
        # This user only; SQLite gives the -wal and -shm files the database file's mode.
        make_private(*(Path(f"{path}{suffix}") for suffix in ("", "-wal", "-shm")))

    @event.listens_for(engine, "begin")
    def _on_begin(connection: Connection) -> None:
        if connection.get_execution_options().get(_READONLY):
            connection.exec_driver_sql("BEGIN")
        else:
            connection.exec_driver_sql("BEGIN IMMEDIATE")

    return engine


@contextlib.contextmanager
def write_transaction(engine: Engine) -> Iterator[Connection]:
    """One `BEGIN IMMEDIATE ... COMMIT`; returns only after the commit (or raises, rolled back)."""
    with translate_errors(), engine.begin() as connection:
        yield connection


@contextlib.contextmanager
def read_transaction(engine: Engine) -> Iterator[Connection]:
    """A consistent read snapshot (deferred BEGIN), rolled back at the end."""
    with translate_errors(), engine.connect() as connection:
        connection = connection.execution_options(**{_READONLY: True})
        with connection.begin():
            yield connection


@contextlib.contextmanager
def translate_errors() -> Iterator[None]:
    """Turn SQLite failures a person can act on (disk full, locked, damaged) into StorageError."""
    try:
        yield
    except DBAPIError as exc:
        if exc.orig is None or not _actionable(exc.orig):
            raise
        raise storage_error(exc.orig) from exc
    except sqlite3.Error as exc:
        if not _actionable(exc):
            raise
        raise storage_error(exc) from exc


def _actionable(exc: BaseException | None) -> bool:
    # Constraint violations and misuse are bugs, not something the person can fix.
    bug = (sqlite3.IntegrityError, sqlite3.ProgrammingError, sqlite3.InterfaceError)
    return isinstance(exc, sqlite3.Error) and not isinstance(exc, bug)


def storage_error(exc: BaseException) -> StorageError:
    text = str(exc)
    lowered = text.lower()
    if "disk is full" in lowered or "disk full" in lowered:
        return StorageError("could not save: the disk is full; free some space and try again")
    if "locked" in lowered or "busy" in lowered:
        return StorageError(
            "could not save: the database is busy in another program; close it and try again"
        )
    if "malformed" in lowered or "not a database" in lowered or "corrupt" in lowered:
        return StorageError(f"the database file is damaged ({text}); restore a backup")
    if "readonly" in lowered or "read-only" in lowered:
        return StorageError("could not save: the database file is read-only")
    if "i/o" in lowered or "disk i/o" in lowered:
        return StorageError(f"could not save: a disk error occurred ({text}); try again")
    return StorageError(f"database error: {text}")
