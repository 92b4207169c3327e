"""The assessment list read with the standard library's sqlite3 alone (no SQLAlchemy).

The window shows its list before the database stack is imported (docs/architecture.md, "Start-up
path"), so these few queries are plain SQL on a `sqlite3.Connection`: a read-only one of their own
at start-up, or the connection under an open unit of work (`sqlite_connection(conn)`). They return what `assessments_repo.list_assessments` and
`outbox.pending_by_assessment` return (tests compare them), and a digest per assessment of its
questionnaire and answer heads: revisions are immutable, so the digest changes exactly when an
answer (and so the score) can have changed.
"""

from __future__ import annotations

import hashlib
import sqlite3
from dataclasses import dataclass
from typing import Any

PENDING = "pending"  # outbox.PENDING
# A demo's records are never sent (storage.demo_marks): its assessments, in plain SQL.
_DEMO_OWN, _DEMO_MARK = "demo.assessment_id", "demo.mark.assessment."


@dataclass(frozen=True)
class ListedAssessment:
    """One assessment as the list shows it (the columns of `assessment` it needs)."""

    id: str
    city: str
    country: str
    period: str
    language: str
    status: str
    questionnaire_sha256: str
    questionnaire_id: str
    questionnaire_version: str
    created_at: str
    previous_assessment_id: str | None


def sqlite_connection(conn: Any) -> sqlite3.Connection:
    """The sqlite3 connection under an open SQLAlchemy unit of work, for the queries below."""
    raw: sqlite3.Connection = conn.connection.dbapi_connection
    return raw


_ASSESSMENTS = """
SELECT a.id, a.city, a.country, a.period, a.language, a.status, a.questionnaire_sha256,
       q.id, q.version, a.created_at, a.previous_assessment_id
FROM assessment AS a JOIN questionnaire_version AS q ON q.sha256 = a.questionnaire_sha256
ORDER BY a.created_at, a.id
"""

_PENDING = """
SELECT owners.assessment_id, count(*)
FROM outbox JOIN (
    SELECT id AS record_id, id AS assessment_id FROM assessment
    UNION ALL SELECT id, assessment_id FROM assessment_event
    UNION ALL SELECT id, assessment_id FROM revision
) AS owners ON owners.record_id = outbox.record_id
WHERE outbox.state = ? AND owners.assessment_id NOT IN (
    SELECT value FROM setting WHERE key = ?
    UNION SELECT substr(key, ?) FROM setting WHERE key LIKE ?
)
GROUP BY owners.assessment_id
"""

_HEADS = """
SELECT a.id, a.questionnaire_sha256, h.revision_id
FROM assessment AS a LEFT JOIN answer_head AS h ON h.assessment_id = a.id
ORDER BY a.id, h.revision_id
"""


def list_assessments(conn: sqlite3.Connection) -> list[ListedAssessment]:
    """Every assessment, oldest first (created_at, then id)."""
    return [ListedAssessment(*row) for row in conn.execute(_ASSESSMENTS)]


def pending_by_assessment(conn: sqlite3.Connection) -> dict[str, int]:
    """Per assessment, how many of its records (itself, events, revisions) wait to be sent."""
    demo = (_DEMO_OWN, len(_DEMO_MARK) + 1, _DEMO_MARK + "%")
    return {str(row[0]): int(row[1]) for row in conn.execute(_PENDING, (PENDING, *demo))}


_SYNC_SETTINGS = "SELECT key, value FROM setting WHERE key = ? OR key = ? OR key LIKE ?"


def not_synced(conn: sqlite3.Connection, hub_url_key: str) -> tuple[bool, set[str]]:
    """(whether a hub is set up on this laptop, the ids of demo assessments, which never sync)."""
    hub = False
    demos: set[str] = set()
    for key, value in conn.execute(_SYNC_SETTINGS, (hub_url_key, _DEMO_OWN, _DEMO_MARK + "%")):
        if key == hub_url_key:
            hub = bool(value)
        elif key == _DEMO_OWN:
            demos.add(str(value))
        else:
            demos.add(str(key)[len(_DEMO_MARK) :])
    return hub, demos


def answer_digests(conn: sqlite3.Connection) -> dict[str, str]:
    """Per assessment, a digest of its pinned questionnaire and its answer heads' revision ids."""
    digests: dict[str, str] = {}
    current: str | None = None
    hasher = hashlib.sha256()
    for assessment_id, questionnaire, revision_id in conn.execute(_HEADS):
        if assessment_id != current:
            if current is not None:
                digests[current] = hasher.hexdigest()
            current = assessment_id
            hasher = hashlib.sha256(f"{questionnaire}\n".encode())
        if revision_id is not None:
            hasher.update(f"{revision_id}\n".encode())
    if current is not None:
        digests[current] = hasher.hexdigest()
    return digests
