"""Repository: assessments and their immutable events."""

from __future__ import annotations

import json
from typing import Any

from sqlalchemy import Connection, bindparam, insert, select, update

from app.storage import tables as t
from app.storage.records import AssessmentRecord, EventRecord


def _columns() -> tuple[Any, ...]:
    return (
        t.Assessment.__table__,
        t.QuestionnaireVersion.id.label("q_id"),
        t.QuestionnaireVersion.version.label("q_version"),
    )


def _record(row: Any) -> AssessmentRecord:
    m = row._mapping
    return AssessmentRecord(
        id=m["id"],
        city=m["city"],
        country=m["country"],
        period=m["period"],
        language=m["language"],
        questionnaire_sha256=m["questionnaire_sha256"],
        status=m["status"],
        created_at=m["created_at"],
        created_by=m["created_by"],
        previous_assessment_id=m["previous_assessment_id"],
        city_key=m["city_key"],
        device_id=m["device_id"],
        questionnaire_id=m["q_id"],
        questionnaire_version=m["q_version"],
    )


def _select() -> Any:
    return select(*_columns()).join(
        t.QuestionnaireVersion,
        t.QuestionnaireVersion.sha256 == t.Assessment.questionnaire_sha256,
    )


def insert_assessment(conn: Connection, record: AssessmentRecord) -> None:
    conn.execute(
        insert(t.Assessment).values(
            id=record.id,
            city=record.city,
            country=record.country,
            period=record.period,
            language=record.language,
            questionnaire_sha256=record.questionnaire_sha256,
            status=record.status,
            created_at=record.created_at,
            created_by=record.created_by,
            previous_assessment_id=record.previous_assessment_id,
            city_key=record.city_key,
            device_id=record.device_id,
        )
    )


_GET = _select().where(t.Assessment.id == bindparam("id"))


def get_assessment(conn: Connection, assessment_id: str) -> AssessmentRecord | None:
    row = conn.execute(_GET, {"id": assessment_id}).first()
    return _record(row) if row else None


def list_assessments(conn: Connection) -> list[AssessmentRecord]:
    rows = conn.execute(_select().order_by(t.Assessment.created_at, t.Assessment.id))
    return [_record(r) for r in rows]


def ids_with_prefix(conn: Connection, prefix: str, limit: int = 5) -> list[str]:
    # Ids are lower-case UUID text; LIKE with escaped wildcards keeps the index usable.
    escaped = prefix.replace("\\", "\\\\").replace("%", "\\%").replace("_", "\\_")
    rows = conn.execute(
        select(t.Assessment.id)
        .where(t.Assessment.id.like(f"{escaped}%", escape="\\"))
        .order_by(t.Assessment.id)
        .limit(limit)
    )
    return [r[0] for r in rows]


def set_status(conn: Connection, assessment_id: str, status: str) -> None:
    """Materialise the status; only together with insert_event(kind='status')."""
    conn.execute(update(t.Assessment).where(t.Assessment.id == assessment_id).values(status=status))


def set_questionnaire(conn: Connection, assessment_id: str, sha256: str) -> None:
    """Materialise a questionnaire change; only together with insert_event(kind='header')."""
    conn.execute(
        update(t.Assessment)
        .where(t.Assessment.id == assessment_id)
        .values(questionnaire_sha256=sha256)
    )


def insert_event(conn: Connection, event: EventRecord) -> None:
    conn.execute(
        insert(t.AssessmentEvent).values(
            id=event.id,
            assessment_id=event.assessment_id,
            kind=event.kind,
            payload_json=json.dumps(event.payload, ensure_ascii=False, sort_keys=True),
            author_id=event.author_id,
            device_id=event.device_id,
            hlc=event.hlc,
            created_at=event.created_at,
            origin=event.origin,
        )
    )


def list_events(conn: Connection, assessment_id: str) -> list[EventRecord]:
    rows = conn.execute(
        select(t.AssessmentEvent)
        .where(t.AssessmentEvent.assessment_id == assessment_id)
        .order_by(t.AssessmentEvent.hlc, t.AssessmentEvent.device_id, t.AssessmentEvent.id)
    )
    return [
        EventRecord(
            id=r.id,
            assessment_id=r.assessment_id,
            kind=r.kind,
            payload=json.loads(r.payload_json),
            author_id=r.author_id,
            device_id=r.device_id,
            hlc=r.hlc,
            created_at=r.created_at,
            origin=r.origin,
        )
        for r in rows
    ]
