"""Database backups: consistent copies made by SQLite itself, rotated, checked, restored.

A backup is written with `VACUUM INTO` (a consistent snapshot even while another connection
writes; copying the file would miss what is still in the -wal), to a temporary name, fsynced and
renamed into place. Names: `readiness-<UTC time>-<kind>.sqlite3`. Kinds: `daily` (the newest
seven are kept), `pre-migration`, `pre-restore` and `manual` (all kept). Restoring copies a backup
into the live database with SQLite's backup API, in one transaction, after backing up the current
state; nothing is ever deleted except daily backups beyond the seventh.
"""

from __future__ import annotations

import contextlib
import os
import re
import sqlite3
from dataclasses import dataclass
from datetime import UTC, datetime
from pathlib import Path

from app.common.clock import utc_now
from app.common.errors import NotFoundError, StorageError
from app.common.paths import make_private
from app.storage.integrity import check_file, is_damage, readonly

KINDS = ("daily", "pre-migration", "pre-restore", "manual")
KEEP_DAILY = 7
_NAME = re.compile(
    r"^readiness-(?P<stamp>\d{8}T\d{6}\d{3})Z-(?P<kind>[a-z-]+?)(?:-(?P<n>\d+))?\.sqlite3$"
)


@dataclass(frozen=True)
class BackupInfo:
    name: str
    path: Path
    kind: str
    created_at: datetime
    size: int

    @property
    def created_iso(self) -> str:
        return self.created_at.strftime("%Y-%m-%dT%H:%M:%SZ")


def parse_name(path: Path) -> BackupInfo | None:
    match = _NAME.match(path.name)
    if not match or match["kind"] not in KINDS:
        return None
    created = datetime.strptime(match["stamp"], "%Y%m%dT%H%M%S%f").replace(tzinfo=UTC)
    try:
        size = path.stat().st_size
    except OSError:
        return None
    return BackupInfo(path.name, path, match["kind"], created, size)


def list_backups(folder: Path) -> list[BackupInfo]:
    """Every backup in the folder, newest first."""
    if not folder.is_dir():
        return []
    found = [info for p in folder.iterdir() if (info := parse_name(p)) is not None]
    return sorted(found, key=lambda b: (b.created_at, b.name), reverse=True)


def create_backup(database: Path, folder: Path, kind: str) -> BackupInfo:
    """Write a consistent copy of `database` into `folder`; returns it."""
    if kind not in KINDS:
        raise ValueError(f"unknown backup kind {kind!r}")
    folder.mkdir(parents=True, exist_ok=True)
    stamp = utc_now().strftime("%Y%m%dT%H%M%S%f")[:-3]
    target = folder / f"readiness-{stamp}Z-{kind}.sqlite3"
    counter = 1
    while target.exists():
        counter += 1
        target = folder / f"readiness-{stamp}Z-{kind}-{counter}.sqlite3"
    temporary = folder / f".{target.name}.tmp"
    temporary.unlink(missing_ok=True)
    try:
        source = sqlite3.connect(database, isolation_level=None, timeout=10)
        try:
            source.execute("VACUUM INTO ?", (str(temporary),))
        finally:
            source.close()
        make_private(temporary)
        _fsync(temporary)
        os.replace(temporary, target)
        _fsync_folder(folder)
    except sqlite3.Error as exc:
        temporary.unlink(missing_ok=True)
        if is_damage(exc):
            raise StorageError(f"cannot back up {database}: the file is damaged ({exc})") from exc
        raise StorageError(f"cannot back up {database}: {exc}") from exc
    except OSError as exc:
        temporary.unlink(missing_ok=True)
        raise StorageError(f"cannot write a backup in {folder}: {exc.strerror or exc}") from exc
    info = parse_name(target)
    assert info is not None
    return info


def rotate(folder: Path, keep_daily: int = KEEP_DAILY) -> list[Path]:
    """Remove daily backups beyond the newest `keep_daily`; returns the removed paths."""
    daily = [b for b in list_backups(folder) if b.kind == "daily"]
    removed = []
    for info in daily[keep_daily:]:
        with contextlib.suppress(FileNotFoundError):
            info.path.unlink()
            removed.append(info.path)
    return removed


def has_daily_backup_today(folder: Path) -> bool:
    today = utc_now().date()
    return any(b.kind == "daily" and b.created_at.date() == today for b in list_backups(folder))


def backup_revision(path: Path) -> str | None:
    """The schema revision stamped in a backup (None for a database without one)."""
    from app.storage.migrate import read_revision

    with readonly(path) as connection:
        return read_revision(connection)


def is_good(info: BackupInfo, known_revisions: frozenset[str]) -> bool:
    """The backup opens, passes quick_check and has a schema this version can read."""
    try:
        if check_file(info.path) is not None:
            return False
        revision = backup_revision(info.path)
    except (StorageError, sqlite3.Error, OSError):
        return False
    return revision is not None and revision in known_revisions


def newest_good(folder: Path, known_revisions: frozenset[str]) -> BackupInfo | None:
    """The newest backup worth offering after damage (pre-restore copies come last)."""
    candidates = list_backups(folder)
    ordered = [b for b in candidates if b.kind != "pre-restore"] + [
        b for b in candidates if b.kind == "pre-restore"
    ]
    for info in ordered:
        if is_good(info, known_revisions):
            return info
    return None


def find_backup(folder: Path, name: str) -> BackupInfo:
    """A backup by file name (or unique prefix); `latest` = the newest that is not pre-restore."""
    backups = list_backups(folder)
    if name == "latest":
        for info in backups:
            if info.kind != "pre-restore":
                return info
        raise NotFoundError(f"no backups in {folder}")
    exact = [b for b in backups if b.name == name or b.name == f"{name}.sqlite3"]
    if exact:
        return exact[0]
    matches = [b for b in backups if b.name.startswith(name)]
    if len(matches) == 1:
        return matches[0]
    if not matches:
        raise NotFoundError(f"no backup named {name!r} in {folder} (see `readiness backup list`)")
    raise NotFoundError(f"{name!r} matches {len(matches)} backups; give more of the name")


def copy_into(backup: Path, database: Path) -> None:
    """Replace the content of `database` with `backup` in one transaction (backup API).

    The caller has closed every other connection to `database` and backed it up.
    """
    try:
        with readonly(backup) as source:
            target = sqlite3.connect(database, isolation_level=None, timeout=10)
            try:
                target.execute("PRAGMA synchronous = FULL")
                source.backup(target)
                target.execute("PRAGMA journal_mode = WAL")
            finally:
                target.close()
    except sqlite3.Error as exc:
        raise StorageError(f"cannot restore {backup.name}: {exc}") from exc


def _fsync(path: Path) -> None:
    fd = os.open(path, os.O_RDONLY)
    try:
        os.fsync(fd)
    finally:
        os.close(fd)


def _fsync_folder(folder: Path) -> None:
    if os.name != "posix":
        return
    with contextlib.suppress(OSError):
        _fsync(folder)
