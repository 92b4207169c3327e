"""The home list as it was when the window last closed, shown at once on the next start.

Even the plain read of the list (see assessment_list.quick_list) needs the database thread and
its imports while the window is being built; these rows are a few hundred bytes read at once.
At a clean close the window writes the rows together with a fingerprint of the database file
(size, modification time, no write-ahead log left). On the next start the rows are shown only if
the fingerprint is unchanged, that is if nothing (this window, the command line, a sync) wrote to
the database since: then they are exactly what the database would give, and the list is not read
again at start (docs/architecture.md, "Start-up path").
"""

from __future__ import annotations

import json
import logging
from dataclasses import asdict
from typing import Any

from app import __version__
from app.common.paths import DataPaths
from app.ui.assessment_model import AssessmentRow

log = logging.getLogger("readiness.ui.cache")

FILE_NAME = "gui-home-cache.json"
FORMAT = 1


def fingerprint(paths: DataPaths) -> dict[str, Any] | None:
    """What changes whenever the database is written; None when there is no database."""
    try:
        stat = paths.database.stat()
    except OSError:
        return None
    wal = paths.database.with_name(paths.database.name + "-wal")
    wal_size = wal.stat().st_size if wal.exists() else 0
    return {"size": stat.st_size, "mtime_ns": stat.st_mtime_ns, "wal": wal_size}


def load(paths: DataPaths) -> list[AssessmentRow] | None:
    """The cached rows, only when the database is exactly as it was when they were written."""
    try:
        data = json.loads((paths.root / FILE_NAME).read_text(encoding="utf-8"))
        if data.get("format") != FORMAT or data.get("version") != __version__:
            return None
        current = fingerprint(paths)
        if current is None or current["wal"] or data.get("database") != current:
            return None
        return [_row(item) for item in data["rows"]]
    except (OSError, ValueError, KeyError, TypeError):
        return None


def save(paths: DataPaths, rows: list[AssessmentRow]) -> None:
    """Remember the rows with the database's fingerprint (call after the database is closed)."""
    current = fingerprint(paths)
    if current is None:
        return
    document = {
        "format": FORMAT,
        "version": __version__,
        "database": current,
        "rows": [asdict(row) for row in rows],
    }
    from app.common.fileio import atomic_write

    try:
        with atomic_write(paths.root / FILE_NAME) as handle:
            handle.write(json.dumps(document, ensure_ascii=False).encode("utf-8"))
    except Exception:  # a cache: never worth failing a close for
        log.warning("could not write the home list cache", exc_info=True)


def forget(paths: DataPaths) -> None:
    (paths.root / FILE_NAME).unlink(missing_ok=True)


def _row(item: dict[str, Any]) -> AssessmentRow:
    levels = tuple((str(domain), level) for domain, level in item.get("levels", ()))
    return AssessmentRow(**{**item, "levels": levels})
