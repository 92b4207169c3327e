"""The assessment list: every assessment with its progress, domain levels and unsent records.

Scoring every assessment on every listing means reading each questionnaire and answer set (tens
of ms each, after the database stack is loaded). The list keeps each assessment's listed score in
the data folder's `cache/assessment-scores.json` instead, with a digest of its questionnaire and
answer heads (`app.storage.list_reader.answer_digests`): while the digest is unchanged the answers
are, and so is the score. The file is only a cache: ignored when missing, damaged or written by
another version, and rewritten by the next full listing.

- `list_assessments(ws)`: the exact list; scores what the cache cannot answer, then saves it.
- `quick_list(paths)`: the window's first list, with nothing but sqlite3 (no SQLAlchemy, no
  questionnaire): it refuses a newer schema like opening does, leaves any other doubt about the
  file to opening (which runs after the first paint), and takes scores from the cache. An
  assessment whose answers changed since it was last listed keeps its last listed score, marked
  `scored=False`, until the exact list replaces it.
"""

from __future__ import annotations

import json
import logging
from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from app import __version__
from app.common.paths import DataPaths
from app.services.cache_folder import cache_dir
from app.services.sync_settings import HUB_URL as HUB_URL_SETTING

log = logging.getLogger("readiness.assessments.list")

SCORES_FILE = "assessment-scores.json"
FORMAT = 1  # bump when listed scores would differ for the same answers


@dataclass(frozen=True)
class AssessmentSummary:
    """One line of the assessment list."""

    id: str
    city: str
    country: str
    period: str
    status: str
    language: str
    progress: float  # share of applicable scored indicators with a city answer, 0-1
    levels: dict[str, int | None] = field(default_factory=dict)  # domain id -> level
    questionnaire_id: str = ""
    questionnaire_version: str = ""
    questionnaire_hash: str = ""
    pending_sync: int = 0
    created_at: str = ""
    previous_assessment_id: str | None = None
    # False: progress and levels are the last listed ones; the answers have changed since.
    scored: bool = True
    # Whether its changes travel to a hub: a hub is set up here and it is not the demo.
    syncs: bool = False


@dataclass(frozen=True)
class ListedScore:
    digest: str  # of the questionnaire and answer heads this score was computed from
    progress: float
    levels: tuple[tuple[str, int | None], ...]


class ScoreCache:
    """The listed scores file of one data folder (read at creation, written by `save()`)."""

    def __init__(self, folder: Path) -> None:
        self.file = folder / SCORES_FILE
        self._items = self._load()
        self._changed = False

    def get(self, assessment_id: str) -> ListedScore | None:
        return self._items.get(assessment_id)

    def put(self, assessment_id: str, score: ListedScore) -> None:
        if self._items.get(assessment_id) != score:
            self._items[assessment_id] = score
            self._changed = True

    def keep_only(self, assessment_ids: Iterable[str]) -> None:
        wanted = set(assessment_ids)
        for gone in set(self._items) - wanted:
            del self._items[gone]
            self._changed = True

    def save(self) -> None:
        """Write the file when something changed (best effort: a cache never fails a listing)."""
        if not self._changed:
            return
        from app.common.fileio import atomic_write

        document = {
            "format": FORMAT,
            "version": __version__,
            "scores": {
                key: {"digest": s.digest, "progress": s.progress, "levels": list(s.levels)}
                for key, s in self._items.items()
            },
        }
        try:
            self.file.parent.mkdir(parents=True, exist_ok=True)
            with atomic_write(self.file) as handle:
                handle.write(json.dumps(document, ensure_ascii=False).encode("utf-8"))
            self._changed = False
        except Exception:
            log.warning("could not write %s", self.file, exc_info=True)

    def _load(self) -> dict[str, ListedScore]:
        try:
            document = json.loads(self.file.read_bytes())
            if document.get("format") != FORMAT or document.get("version") != __version__:
                return {}
            return {
                str(key): ListedScore(
                    digest=str(item["digest"]),
                    progress=float(item["progress"]),
                    levels=tuple(
                        (str(domain), None if level is None else int(level))
                        for domain, level in item["levels"]
                    ),
                )
                for key, item in document["scores"].items()
            }
        except FileNotFoundError:
            return {}
        except (OSError, ValueError, KeyError, TypeError, AttributeError):
            log.info("ignoring the unreadable %s", self.file)
            return {}


def list_assessments(ws: Any) -> list[AssessmentSummary]:
    """Every assessment in this data folder, oldest first, with its current score."""
    from app.services.assessments import progress_of, require_assessment, score_in
    from app.storage import list_reader

    cache = ScoreCache(cache_dir(ws.paths))
    summaries = []
    with ws.read() as conn:
        raw = list_reader.sqlite_connection(conn)
        listed = list_reader.list_assessments(raw)
        waiting = list_reader.pending_by_assessment(raw)
        targets = list_reader.not_synced(raw, HUB_URL_SETTING)
        digests = list_reader.answer_digests(raw)
        for item in listed:
            digest = digests.get(item.id, "")
            known = cache.get(item.id)
            if known is None or known.digest != digest:
                result = score_in(ws, conn, require_assessment(conn, item.id))
                levels = tuple((domain, r.level) for domain, r in result.domains.items())
                known = ListedScore(digest, progress_of(result), levels)
                cache.put(item.id, known)
            summaries.append(_summary(item, known, waiting, scored=True, targets=targets))
    cache.keep_only(item.id for item in listed)
    cache.save()
    return summaries


def quick_list(paths: DataPaths) -> list[AssessmentSummary] | None:
    """The list from the database file and the cache alone; None when the database must first
    be opened (created, migrated, or checked and found unreadable: see `database.peek`).
    Raises StorageError for a database written by a newer version."""
    from app.storage import database, list_reader

    def read(conn: Any) -> tuple[list[Any], dict[str, int], dict[str, str], Any]:
        return (
            list_reader.list_assessments(conn),
            list_reader.pending_by_assessment(conn),
            list_reader.answer_digests(conn),
            list_reader.not_synced(conn, HUB_URL_SETTING),
        )

    found = database.peek(paths.database, read)
    if found is None:
        return None
    listed, waiting, digests, targets = found
    cache = ScoreCache(cache_dir(paths))
    summaries = []
    for item in listed:
        known = cache.get(item.id)
        exact = known is not None and known.digest == digests.get(item.id, "")
        summaries.append(_summary(item, known, waiting, scored=exact, targets=targets))
    return summaries


def _summary(
    item: Any,
    score: ListedScore | None,
    waiting: Mapping[str, int],
    scored: bool,
    targets: tuple[bool, set[str]] = (False, set()),
) -> AssessmentSummary:
    hub_set_up, demos = targets
    return AssessmentSummary(
        syncs=hub_set_up and item.id not in demos,
        id=item.id,
        city=item.city,
        country=item.country,
        period=item.period,
        status=item.status,
        language=item.language,
        progress=score.progress if score else 0.0,
        levels=dict(score.levels) if score else {},
        questionnaire_id=item.questionnaire_id,
        questionnaire_version=item.questionnaire_version,
        questionnaire_hash=item.questionnaire_sha256,
        pending_sync=waiting.get(item.id, 0),
        created_at=item.created_at,
        previous_assessment_id=item.previous_assessment_id,
        scored=scored,
    )
