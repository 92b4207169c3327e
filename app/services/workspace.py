"""Opening a data folder: its paths, database, device id, clock and this laptop's user.

`Workspace.open(data_dir)` creates the folders, checks the database file (a damaged one is moved
aside and the newest good backup named), refuses a database written by a newer version, backs up
and migrates an older one, and makes the day's backup once a day. Every service call then runs its
own unit of work through `ws.read()` or `ws.write()`; `write()` returns only after COMMIT.
"""

from __future__ import annotations

import contextlib
import dataclasses
import hashlib
import logging
import os
from collections.abc import Iterator
from pathlib import Path
from types import TracebackType
from typing import Any

from app.common.clock import HybridClock, iso_utc, new_id
from app.common.errors import ValidationError
from app.common.paths import DataPaths
from app.domain import Contributor, Questionnaire
from app.services.cache_folder import cache_dir

log = logging.getLogger("readiness.workspace")

DEVICE_ID = "device.id"
LOCAL_CONTRIBUTOR = "local.contributor_id"
MAX_NAME = 200

# Parsed questionnaires by SHA-256 of their bytes: the same bytes always give the same object.
_QUESTIONNAIRES: dict[str, Questionnaire] = {}


class Workspace:
    """One open data folder. Use as a context manager, or call close()."""

    def __init__(self, paths: DataPaths, database: Any, device_id: str, clock: HybridClock) -> None:
        self.paths = paths
        self.db = database
        self.device_id = device_id
        self.clock = clock
        self._on_disk: set[str] = set()  # questionnaires known to be in this folder's cache

    @classmethod
    def open(
        cls, data_dir: str | os.PathLike[str] | None = None, *, daily_backup: bool = True
    ) -> Workspace:
        from app.storage import answers_repo, catalog
        from app.storage.database import Database

        paths = DataPaths.resolve(data_dir).ensure()
        database = Database.open(paths.database, paths.backups)
        try:
            with database.write() as conn:
                device_id = catalog.get_setting(conn, DEVICE_ID)
                if device_id is None:
                    device_id = new_id()
                    catalog.set_setting(conn, DEVICE_ID, device_id)
                latest = answers_repo.max_hlc(conn)
            clock = HybridClock(device_id)
            if latest:
                clock.observe(latest)
            workspace = cls(paths, database, device_id, clock)
            if daily_backup:
                workspace.make_daily_backup()
        except BaseException:
            database.close()
            raise
        return workspace

    def close(self) -> None:
        self.db.close()

    def __enter__(self) -> Workspace:
        return self

    def __exit__(
        self,
        exc_type: type[BaseException] | None,
        exc: BaseException | None,
        tb: TracebackType | None,
    ) -> None:
        self.close()

    # -- units of work ---------------------------------------------------------------------------

    @contextlib.contextmanager
    def read(self) -> Iterator[Any]:
        with self.db.read() as conn:
            yield conn

    @contextlib.contextmanager
    def write(self) -> Iterator[Any]:
        with self.db.write() as conn:
            yield conn

    def now(self) -> str:
        return iso_utc()

    # -- backups -------------------------------------------------------------------------------

    def make_daily_backup(self) -> Path | None:
        """The day's backup, once a day and only when there is something to keep."""
        from app.storage import backup, catalog, tables

        if backup.has_daily_backup_today(self.paths.backups):
            return None
        with self.read() as conn:
            if catalog.count_rows(conn, tables.Assessment) == 0:
                return None
        info = backup.create_backup(self.paths.database, self.paths.backups, "daily")
        backup.rotate(self.paths.backups)
        return info.path

    # -- the local user's identity -------------------------------------------------------------

    # Who answers a given assessment is services.contributors' rule; this is only its default.

    @property
    def contributor(self) -> Contributor | None:
        """The person using this laptop, once known (never one of the demo's people)."""
        from app.storage import catalog, demo_marks

        with self.read() as conn:
            contributor_id = catalog.get_setting(conn, LOCAL_CONTRIBUTOR)
            if not contributor_id or contributor_id in demo_marks.demo_people(conn):
                return None
            return catalog.get_contributor(conn, contributor_id)

    def set_contributor(self, name: str, role: str = "", institution: str = "") -> Contributor:
        """Set who is using this laptop (found by name, or created)."""
        from app.services.contributors import named
        from app.storage import catalog

        with self.write() as conn:
            found = named(self, conn, name, role, institution).contributor
            catalog.set_setting(conn, LOCAL_CONTRIBUTOR, found.id)
        return found

    # -- questionnaires ------------------------------------------------------------------------

    @property
    def cache(self) -> Path:
        return cache_dir(self.paths)

    def questionnaire(self, conn: Any, sha256: str) -> Questionnaire:
        """The stored questionnaire file with this hash, parsed once (then cached on disk)."""
        cached = _QUESTIONNAIRES.get(sha256)
        if cached is not None:
            if sha256 not in self._on_disk:  # parsed for another folder, or before it was cached
                self._keep_on_disk(cached)
            return cached
        from app.services import questionnaire_cache

        name = f"questionnaire {sha256[:12]}"
        # The hash names the exact bytes, so a cached parse of them needs no read of the bytes.
        questionnaire = questionnaire_cache.read(self.cache, sha256)
        if questionnaire is None:
            from app.common.errors import StorageError
            from app.storage import catalog

            body = catalog.questionnaire_body(conn, sha256)
            if body is None:
                raise StorageError(f"questionnaire {sha256[:12]} is missing from the database")
            questionnaire = questionnaire_cache.load(body, name, self.cache)
        elif questionnaire.source_path != name:
            questionnaire = dataclasses.replace(questionnaire, source_path=name)
        self._on_disk.add(sha256)
        return _QUESTIONNAIRES.setdefault(sha256, questionnaire)

    def _keep_on_disk(self, questionnaire: Questionnaire) -> None:
        from app.services import questionnaire_cache

        if not questionnaire_cache.cache_file(self.cache, questionnaire.sha256).exists():
            questionnaire_cache.write(self.cache, questionnaire)
        self._on_disk.add(questionnaire.sha256)


def cached_questionnaire(sha256: str) -> Questionnaire | None:
    return _QUESTIONNAIRES.get(sha256)


def remember_questionnaire(body: bytes, questionnaire: Questionnaire) -> str:
    """Cache a parsed questionnaire under the hash of its bytes; returns the hash."""
    sha256 = hashlib.sha256(body).hexdigest()
    _QUESTIONNAIRES.setdefault(sha256, questionnaire)
    return sha256


def clean_name(text: str, what: str) -> str:
    name = " ".join((text or "").split())
    if not name:
        raise ValidationError(f"{what} must not be empty")
    if len(name) > MAX_NAME:
        raise ValidationError(f"{what} is longer than {MAX_NAME} characters")
    return name
