"""Opening the local database safely: check, refuse, back up, migrate, then hand out transactions.

`Database.open(path, backups)`:
1. A damaged file (bad header, `quick_check` failing, "not a database") is moved aside with its
   -wal/-shm, never overwritten, and StorageError names the newest good backup.
2. A file stamped with a schema this version does not know (a newer version wrote it) is refused
   before anything is written to it.
3. An older schema is backed up (`pre-migration`) and migrated in one transaction.
4. The engine is created with the durable pragmas (see engine.py).
"""

from __future__ import annotations

import contextlib
import sqlite3
from collections.abc import Iterator
from pathlib import Path

from sqlalchemy import Connection, Engine

from app.common.errors import StorageError
from app.storage import backup, integrity, migrate
from app.storage.engine import make_engine, read_transaction, write_transaction


class Database:
    """The open local database: one engine, units of work as `read()` and `write()` blocks."""

    def __init__(self, path: Path, backups: Path, engine: Engine) -> None:
        self.path = path
        self.backups = backups
        self.engine = engine

    @classmethod
    def open(cls, path: Path, backups: Path, *, script_location: Path | None = None) -> Database:
        prepare(path, backups, script_location=script_location)
        return cls(path, backups, make_engine(path))

    @contextlib.contextmanager
    def write(self) -> Iterator[Connection]:
        """One BEGIN IMMEDIATE transaction; leaving the block commits (and only then returns)."""
        with write_transaction(self.engine) as connection:
            yield connection

    @contextlib.contextmanager
    def read(self) -> Iterator[Connection]:
        with read_transaction(self.engine) as connection:
            yield connection

    def close(self) -> None:
        self.engine.dispose()


def prepare(path: Path, backups: Path, *, script_location: Path | None = None) -> str:
    """Steps 1-3 above; returns the schema revision the file is at afterwards."""
    _move_orphan_side_files(path)
    damage = integrity.check_file(path)
    if (
        damage is None
        and path.exists()
        and path.stat().st_size == 0
        and backup.list_backups(backups)
    ):
        # An empty file where backups exist is a lost database, not a new one.
        damage = integrity.Damage("the file is empty")
    if damage is not None:
        raise _damaged(path, backups, damage, script_location)
    if path.exists() and path.stat().st_size > 0:
        try:
            with integrity.readonly(path) as connection:
                plan = migrate.plan(connection, script_location)
        except sqlite3.Error as exc:
            if integrity.is_damage(exc):
                raise _damaged(path, backups, integrity.Damage(str(exc)), script_location) from exc
            raise StorageError(f"{path}: cannot be opened: {exc}") from exc
        if plan.up_to_date:
            return plan.head
        if plan.current is not None or _has_tables(path):
            backup.create_backup(path, backups, "pre-migration")
    return migrate.upgrade(path, script_location=script_location)


def _has_tables(path: Path) -> bool:
    with integrity.readonly(path) as connection:
        return bool(connection.execute("SELECT count(*) FROM sqlite_master").fetchone()[0] > 0)


def _move_orphan_side_files(path: Path) -> None:
    # A -wal without its database must not be replayed into a new, empty file.
    if path.exists():
        return
    for suffix in integrity.SIDE_FILES:
        side = Path(str(path) + suffix)
        if side.exists():
            stamp = side.stat().st_mtime_ns
            side.rename(side.with_name(f"{path.name}.orphan-{stamp}{suffix}"))


def _damaged(
    path: Path, backups: Path, damage: integrity.Damage, script_location: Path | None
) -> StorageError:
    moved = integrity.move_aside(path)
    known = frozenset(migrate.known_revisions(script_location))
    good = backup.newest_good(backups, known)
    message = (
        f"the database {path} is damaged ({damage.reason}); it was moved to {moved.name} "
        "and nothing was deleted. "
    )
    if good is not None:
        message += (
            f"The newest good backup is {good.name} ({good.created_iso}): "
            f"restore it with `readiness backup restore {good.name}`."
        )
    else:
        message += "No good backup was found; starting again creates a new, empty database."
    return StorageError(message)


def restore(
    path: Path, backups: Path, name: str, *, script_location: Path | None = None
) -> tuple[backup.BackupInfo, backup.BackupInfo | None]:
    """Put backup `name` (or `latest`) in place of the database at `path`.

    Every connection to `path` must be closed. The current database is backed up first
    (`pre-restore`), or moved aside when damaged; then the backup is copied in one transaction and
    migrated when it is older. Returns (the backup restored, the pre-restore backup or None).
    """
    chosen = backup.find_backup(backups, name)
    known = frozenset(migrate.known_revisions(script_location))
    if integrity.check_file(chosen.path) is not None:
        raise StorageError(f"backup {chosen.name} is damaged; choose another one")
    revision = backup.backup_revision(chosen.path)
    if revision is None or revision not in known:
        raise StorageError(
            f"backup {chosen.name} was written by a newer version of Readiness (schema "
            f"{revision}); it cannot be restored by this version"
        )
    _move_orphan_side_files(path)
    saved: backup.BackupInfo | None = None
    if path.exists() and path.stat().st_size > 0:
        if integrity.check_file(path) is None:
            saved = backup.create_backup(path, backups, "pre-restore")
        else:
            integrity.move_aside(path)
    backup.copy_into(chosen.path, path)
    prepare(path, backups, script_location=script_location)
    return chosen, saved
