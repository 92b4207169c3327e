"""Backups of the local database, as the faces offer them: list, create, restore.

Restoring never deletes anything: the current database is backed up first (`pre-restore`), and a
damaged one is moved aside. A backup from an older schema is migrated after it is put in place.
"""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

from app.services.workspace import Workspace


@dataclass(frozen=True)
class Backup:
    name: str
    path: Path
    kind: str  # daily, pre-migration, pre-restore, manual
    created_at: str  # ISO UTC
    size: int


def _public(info: object) -> Backup:
    return Backup(
        name=info.name,  # type: ignore[attr-defined]
        path=info.path,  # type: ignore[attr-defined]
        kind=info.kind,  # type: ignore[attr-defined]
        created_at=info.created_iso,  # type: ignore[attr-defined]
        size=info.size,  # type: ignore[attr-defined]
    )


def list_backups(ws: Workspace) -> list[Backup]:
    """Every backup of this data folder, newest first."""
    from app.storage import backup

    return [_public(info) for info in backup.list_backups(ws.paths.backups)]


def list_backups_in(data_dir: str | Path | None) -> list[Backup]:
    """The backups of a data folder without opening its database (it may be damaged)."""
    from app.common.paths import DataPaths
    from app.storage import backup

    return [_public(info) for info in backup.list_backups(DataPaths.resolve(data_dir).backups)]


def create_backup(ws: Workspace, reason: str = "manual") -> Path:
    """A consistent copy of the database now (`reason`: manual, daily, pre-migration)."""
    from app.storage import backup

    info = backup.create_backup(ws.paths.database, ws.paths.backups, reason)
    if reason == "daily":
        backup.rotate(ws.paths.backups)
    return info.path


def restore_backup(ws: Workspace, name_or_latest: str) -> tuple[Backup, Backup | None]:
    """Put a backup in place of the database (the workspace reopens on it).

    Returns (the backup restored, the backup made of the database it replaced, if any).
    """
    from app.storage.database import Database, restore

    ws.close()
    try:
        chosen, saved = restore(ws.paths.database, ws.paths.backups, name_or_latest)
    finally:
        ws.db = Database.open(ws.paths.database, ws.paths.backups)
    return _public(chosen), (_public(saved) if saved else None)


def restore_into(data_dir: str | Path | None, name_or_latest: str) -> tuple[Backup, Backup | None]:
    """Restore without opening the workspace first (the database may be damaged or missing)."""
    from app.common.paths import DataPaths
    from app.storage.database import restore

    paths = DataPaths.resolve(data_dir).ensure()
    chosen, saved = restore(paths.database, paths.backups, name_or_latest)
    return _public(chosen), (_public(saved) if saved else None)
