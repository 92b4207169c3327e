"""Opening the local database safely: check, refuse, back up, migrate, then hand out transactions.

`Database.open(path, backups)`:
1. A damaged file (bad header, `quick_check` failing, "not a database") is moved aside with its
   -wal/-shm, never overwritten, and StorageError names the newest good backup.
2. A file stamped with a schema this version does not know (a newer version wrote it) is refused
   before anything is written to it.
3. An older schema is backed up (`pre-migration`) and migrated in one transaction.
4. The engine is created with the durable pragmas (see engine.py).

Steps 1 and 2 (`check`) use the standard library's sqlite3 only, and `peek` reads a file that
needs none of steps 1-3 without them, so the window can show its list before SQLAlchemy is
imported (this module imports it when an engine is made) and before `quick_check`, which opening
runs once the window is up (DESIGN.md section 10).
"""

from __future__ import annotations

import contextlib
import sqlite3
from collections.abc import Callable, Iterator
from pathlib import Path
from typing import TYPE_CHECKING, TypeVar

from app.common.errors import StorageError
from app.storage import integrity, schema

if TYPE_CHECKING:
    from sqlalchemy import Connection, Engine

    from app.storage import backup

T = TypeVar("T")


class Database:
    """The open local database: one engine, units of work as `read()` and `write()` blocks."""

    def __init__(self, path: Path, backups: Path, engine: Engine) -> None:
        self.path = path
        self.backups = backups
        self.engine = engine

    @classmethod
    def open(cls, path: Path, backups: Path, *, script_location: Path | None = None) -> Database:
        from app.storage.engine import make_engine

        prepare(path, backups, script_location=script_location)
        return cls(path, backups, make_engine(path))

    @contextlib.contextmanager
    def write(self) -> Iterator[Connection]:
        """One BEGIN IMMEDIATE transaction; leaving the block commits (and only then returns)."""
        from app.storage.engine import write_transaction

        with write_transaction(self.engine) as connection:
            yield connection

    @contextlib.contextmanager
    def read(self) -> Iterator[Connection]:
        from app.storage.engine import read_transaction

        with read_transaction(self.engine) as connection:
            yield connection

    def close(self) -> None:
        self.engine.dispose()


def prepare(path: Path, backups: Path, *, script_location: Path | None = None) -> str:
    """Steps 1-3 above; returns the schema revision the file is at afterwards."""
    plan = check(path, backups, script_location=script_location)
    if plan is not None:
        if plan.up_to_date:
            return plan.head
        if plan.current is not None or _has_tables(path):
            from app.storage import backup

            backup.create_backup(path, backups, "pre-migration")
    from app.storage import migrate

    return migrate.upgrade(path, script_location=script_location)


def check(
    path: Path, backups: Path, *, script_location: Path | None = None
) -> schema.SchemaPlan | None:
    """Steps 1 and 2 above; it writes nothing (a damaged file, or a -wal left without its
    database, is only renamed aside).

    Returns where the schema stands, or None when there is no database yet (no file, or SQLite's
    empty file). Raises StorageError for a damaged file (moved aside) or a newer schema.
    """
    _move_orphan_side_files(path)
    damage = integrity.check_file(path)
    if damage is None and path.exists() and path.stat().st_size == 0 and _has_backups(backups):
        # An empty file where backups exist is a lost database, not a new one.
        damage = integrity.Damage("the file is empty")
    if damage is not None:
        raise _damaged(path, backups, damage, script_location)
    if not path.exists() or path.stat().st_size == 0:
        return None
    try:
        with integrity.readonly(path) as connection:
            if script_location is None:
                return schema.plan(connection)
            from app.storage import migrate

            return migrate.plan(connection, script_location)
    except sqlite3.Error as exc:
        if integrity.is_damage(exc):
            raise _damaged(path, backups, integrity.Damage(str(exc)), script_location) from exc
        raise StorageError(f"{path}: cannot be opened: {exc}") from exc


def peek(path: Path, read: Callable[[sqlite3.Connection], T]) -> T | None:
    """`read(connection)` in one read-only transaction, when the file exists at this version's
    schema; None when it must first go through `Database.open` (no file yet, an older schema, or
    a file SQLite cannot read: opening says what is wrong and moves a damaged file aside).

    Raises StorageError for a newer schema, the file untouched. Writes nothing, never migrates,
    and runs no `quick_check` (opening does, once the window is up).
    """
    if not path.is_file() or path.stat().st_size == 0:
        return None
    try:
        with integrity.readonly(path) as connection:
            connection.execute("BEGIN")  # the schema check and the reads see one snapshot
            try:
                if not schema.plan(connection).up_to_date:
                    return None
                return read(connection)
            finally:
                connection.execute("ROLLBACK")
    except sqlite3.DatabaseError:
        return None


def _has_backups(backups: Path) -> bool:
    from app.storage import backup

    return bool(backup.list_backups(backups))


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
    from app.storage import backup, migrate

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
    from app.storage import backup, migrate

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
