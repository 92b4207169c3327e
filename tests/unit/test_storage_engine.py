"""The engine: durable pragmas, explicit BEGIN IMMEDIATE (transactional DDL), immutable history."""

from __future__ import annotations

import sqlite3
import threading
from pathlib import Path

import pytest
from sqlalchemy import text
from sqlalchemy.exc import IntegrityError

from app.common.errors import StorageError
from app.storage.database import Database
from app.storage.engine import storage_error


@pytest.fixture
def db(tmp_path: Path):
    database = Database.open(tmp_path / "r.sqlite3", tmp_path / "backups")
    yield database
    database.close()


def test_pragmas_are_durable(db: Database) -> None:
    with db.write() as conn:
        assert conn.exec_driver_sql("PRAGMA journal_mode").scalar() == "wal"
        assert conn.exec_driver_sql("PRAGMA synchronous").scalar() == 2  # FULL
        assert conn.exec_driver_sql("PRAGMA foreign_keys").scalar() == 1
        assert conn.exec_driver_sql("PRAGMA busy_timeout").scalar() >= 5000


def test_ddl_is_rolled_back_with_the_transaction(db: Database) -> None:
    # With pysqlite's default handling the CREATE TABLE would survive the rollback.
    with pytest.raises(RuntimeError), db.write() as conn:
        conn.exec_driver_sql("CREATE TABLE scratch (a)")
        raise RuntimeError("abort")
    with db.read() as conn:
        assert (
            conn.execute(text("SELECT count(*) FROM sqlite_master WHERE name='scratch'")).scalar()
            == 0
        )


def test_write_takes_the_lock_at_begin(db: Database, tmp_path: Path) -> None:
    """BEGIN IMMEDIATE: a second writer waits at BEGIN, never fails half-way through."""
    other = sqlite3.connect(tmp_path / "r.sqlite3", isolation_level=None, timeout=0)
    try:
        with db.write() as conn:
            conn.exec_driver_sql("INSERT INTO setting (key, value) VALUES ('a', '1')")
            with pytest.raises(sqlite3.OperationalError) as busy:
                other.execute("BEGIN IMMEDIATE")
            # the error's code, not SQLite's words for it
            assert busy.value.sqlite_errorcode == sqlite3.SQLITE_BUSY
        # Readers are never blocked (WAL).
        with db.read() as conn:
            assert conn.exec_driver_sql("SELECT value FROM setting WHERE key='a'").scalar() == "1"
    finally:
        other.close()


def test_reads_see_a_consistent_snapshot(db: Database) -> None:
    with db.write() as conn:
        conn.exec_driver_sql("INSERT INTO setting (key, value) VALUES ('n', '0')")
    seen = []
    with db.read() as conn:
        seen.append(conn.exec_driver_sql("SELECT value FROM setting WHERE key='n'").scalar())

        def writer() -> None:
            with db.write() as wconn:
                wconn.exec_driver_sql("UPDATE setting SET value='1' WHERE key='n'")

        thread = threading.Thread(target=writer)
        thread.start()
        thread.join()
        seen.append(conn.exec_driver_sql("SELECT value FROM setting WHERE key='n'").scalar())
    assert seen == ["0", "0"]


def test_revisions_and_events_cannot_be_changed(db: Database) -> None:
    with db.write() as conn:
        for trigger in ("trg_revision_no_update", "trg_revision_no_delete"):
            assert (
                conn.exec_driver_sql(
                    "SELECT count(*) FROM sqlite_master WHERE type='trigger' AND name=?", (trigger,)
                ).scalar()
                == 1
            )
    with db.write() as conn:
        conn.exec_driver_sql("INSERT INTO questionnaire_version VALUES ('h', 'q', '1', x'00', 't')")
        conn.exec_driver_sql(
            "INSERT INTO assessment (id, city, country, period, language, questionnaire_sha256,"
            " created_at, city_key, device_id) VALUES ('a', 'c', 'k', 'p', 'en', 'h', 't', 'k/c', 'd')"
        )
        conn.exec_driver_sql(
            "INSERT INTO revision (id, assessment_id, indicator_id, subject, state, device_id, hlc,"
            " created_at) VALUES ('r', 'a', 'X-01', 'city', 'answered', 'd', 'h', 't')"
        )
        conn.exec_driver_sql(
            "INSERT INTO assessment_event (id, assessment_id, kind, payload_json, device_id, hlc,"
            " created_at) VALUES ('e', 'a', 'created', '{}', 'd', 'h', 't')"
        )
    with pytest.raises(IntegrityError, match="immutable"), db.write() as conn:
        conn.exec_driver_sql("DELETE FROM revision")
    with pytest.raises(IntegrityError, match="immutable"), db.write() as conn:
        conn.exec_driver_sql("UPDATE revision SET state = 'dont_know'")
    with pytest.raises(IntegrityError, match="immutable"), db.write() as conn:
        conn.exec_driver_sql("UPDATE assessment_event SET kind = 'x'")


@pytest.mark.parametrize(
    ("message", "expected"),
    [
        ("database or disk is full", "disk is full"),
        ("database is locked", "busy"),
        ("database disk image is malformed", "damaged"),
        ("attempt to write a readonly database", "read-only"),
        ("disk I/O error", "disk error"),
    ],
)
def test_sqlite_failures_become_clear_messages(message: str, expected: str) -> None:
    error = storage_error(sqlite3.OperationalError(message))
    assert isinstance(error, StorageError)
    assert expected in str(error)


def test_constraint_violations_stay_bugs(db: Database) -> None:
    with pytest.raises(IntegrityError), db.write() as conn:
        conn.exec_driver_sql("INSERT INTO setting (key, value) VALUES ('k', NULL)")
