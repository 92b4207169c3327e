"""Checking a database file before it is used, and moving a damaged one aside (never deleting it).

The check opens the file read-only (no checkpoint, no recovery written back), verifies the
100-byte header and runs `PRAGMA quick_check`. Only SQLite's "corrupt" and "not a database"
answers count as damage: a busy or unreadable file is reported, never moved.
"""

from __future__ import annotations

import contextlib
import os
import sqlite3
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path
from urllib.parse import quote

from app.common.clock import utc_now
from app.common.errors import StorageError

SQLITE_HEADER = b"SQLite format 3\x00"
_DAMAGE_CODES = {11, 26}  # SQLITE_CORRUPT, SQLITE_NOTADB (primary result codes)
SIDE_FILES = ("-wal", "-shm", "-journal")


@dataclass(frozen=True)
class Damage:
    """Why a file is unusable, in words a person can pass on."""

    reason: str


def open_readonly(path: Path) -> sqlite3.Connection:
    """A read-only connection: it never writes the database file (no checkpoint on close)."""
    uri = f"file:{quote(str(path))}?mode=ro"
    return sqlite3.connect(uri, uri=True, isolation_level=None, check_same_thread=False)


@contextlib.contextmanager
def readonly(path: Path) -> Iterator[sqlite3.Connection]:
    connection = open_readonly(path)
    try:
        yield connection
    finally:
        connection.close()


def is_damage(exc: sqlite3.Error) -> bool:
    code = getattr(exc, "sqlite_errorcode", None)
    if code is not None:
        return (code & 0xFF) in _DAMAGE_CODES
    text = str(exc).lower()
    return "malformed" in text or "not a database" in text


def check_file(path: Path) -> Damage | None:
    """None when the file is usable (or absent); a Damage when it is damaged.

    Raises StorageError when the file cannot be checked at all (locked, no permission).
    """
    if not path.exists():
        return None
    size = path.stat().st_size
    if size == 0:
        return None  # SQLite's own empty database; the caller decides whether that is suspicious
    with path.open("rb") as handle:
        header = handle.read(100)
    if len(header) < 100 or not header.startswith(SQLITE_HEADER):
        return Damage("the file does not start with a valid SQLite header")
    try:
        with readonly(path) as connection:
            rows = [r[0] for r in connection.execute("PRAGMA quick_check(20)")]
    except sqlite3.Error as exc:
        if is_damage(exc):
            return Damage(str(exc))
        raise StorageError(f"{path}: cannot be checked: {exc}") from exc
    if rows != ["ok"]:
        return Damage("; ".join(str(r) for r in rows[:3]))
    return None


def integrity_check(path: Path) -> list[str]:
    """The full `PRAGMA integrity_check` (slow on big files; tests and `backup` use it)."""
    with readonly(path) as connection:
        return [str(r[0]) for r in connection.execute("PRAGMA integrity_check")]


def move_aside(path: Path) -> Path:
    """Rename the database and its -wal/-shm/-journal files to `<name>.damaged-<time>[-wal...]`.

    Returns the new path of the main file. Nothing is deleted.
    """
    stamp = utc_now().strftime("%Y%m%dT%H%M%S%fZ")
    target = path.with_name(f"{path.name}.damaged-{stamp}")
    # The side files move first: a main file without its WAL must never sit at the live path.
    for suffix in SIDE_FILES:
        side = Path(str(path) + suffix)
        if side.exists():
            os.replace(side, Path(str(target) + suffix))
    os.replace(path, target)
    return target
