"""Repository: what sync reads from and writes to the local database, in bulk.

- Outgoing: the outbox rows of the next batch and the wire bodies of the records they announce
  (plain dicts in the wire field names; `app.sync.wire` checks them).
- Incoming records are stored by `app.storage.sync_inbox`; records that cannot be stored are
  kept in `sync_rejected` (defined here) with the reason: nothing received is dropped silently.

Everything takes the open `Connection` of the caller's unit of work.
"""

from __future__ import annotations

import json
from collections import defaultdict
from collections.abc import Iterable, Iterator, Mapping, Sequence
from typing import Any

from sqlalchemy import (
    Column,
    Connection,
    MetaData,
    PrimaryKeyConstraint,
    Table,
    Text,
    func,
    or_,
    select,
    update,
)

from app.storage import tables as t
from app.storage.demo_marks import demo_record_ids, mark_bodies
from app.storage.outbox import PENDING
from app.storage.records import OutboxRecord

CHUNK = 500
ORDER = ("questionnaire", "contributor", "assessment", "assessment_event", "attachment", "revision")

# Incoming records that could not be stored, with why (migration 0002_sync).
_META = MetaData()
rejected = Table(
    "sync_rejected",
    _META,
    Column("kind", Text, nullable=False),
    Column("record_id", Text, nullable=False),
    Column("source", Text, nullable=False),
    Column("reason", Text, nullable=False),
    Column("payload_json", Text, nullable=False),
    Column("received_at", Text, nullable=False),
    PrimaryKeyConstraint("kind", "record_id", name="pk_sync_rejected"),
)


def chunked(items: Sequence[Any], size: int = CHUNK) -> Iterator[Sequence[Any]]:
    for start in range(0, len(items), size):
        yield items[start : start + size]


# ---------------------------------------------------------------------------------------------
# Outgoing


def _outbox(row: Any) -> OutboxRecord:
    m = row._mapping
    return OutboxRecord(
        op_id=m["op_id"],
        seq=m["seq"],
        record_kind=m["record_kind"],
        record_id=m["record_id"],
        state=m["state"],
        batch_id=m["batch_id"],
        attempts=m["attempts"],
        last_error=m["last_error"],
        last_attempt_at=m["last_attempt_at"],
        created_at=m["created_at"],
    )


def pending_count(conn: Connection) -> int:
    return int(
        conn.execute(
            select(func.count())
            .select_from(t.Outbox)
            .where(t.Outbox.state == PENDING, t.Outbox.record_id.not_in(demo_record_ids()))
        ).scalar_one()
    )


def open_batch(conn: Connection, exclude: Iterable[str] = ()) -> list[OutboxRecord]:
    """The pending rows of the oldest batch already formed (a retry resends exactly them), unless
    the oldest pending row is in no batch yet; batches in `exclude` (in flight) are skipped."""
    query = select(t.Outbox.batch_id).where(
        t.Outbox.state == PENDING, t.Outbox.record_id.not_in(demo_record_ids())
    )
    skipped = list(exclude)
    if skipped:
        query = query.where(or_(t.Outbox.batch_id.is_(None), t.Outbox.batch_id.not_in(skipped)))
    first = conn.execute(query.order_by(t.Outbox.seq).limit(1)).first()
    if first is None or first[0] is None:
        return []
    rows = conn.execute(
        select(t.Outbox)
        .where(
            t.Outbox.state == PENDING,
            t.Outbox.batch_id == first[0],
            t.Outbox.record_id.not_in(demo_record_ids()),
        )
        .order_by(t.Outbox.seq)
    )
    return [_outbox(r) for r in rows]


def unbatched(conn: Connection, limit: int) -> list[OutboxRecord]:
    """The oldest pending rows not yet in a batch, in the order they were written; a demo's
    records are never among them (they stay on this laptop)."""
    rows = conn.execute(
        select(t.Outbox)
        .where(
            t.Outbox.state == PENDING,
            t.Outbox.batch_id.is_(None),
            t.Outbox.record_id.not_in(demo_record_ids()),
        )
        .order_by(t.Outbox.seq)
        .limit(limit)
    )
    return [_outbox(r) for r in rows]


def set_batch(conn: Connection, op_ids: Sequence[str], batch_id: str, now: str) -> None:
    for part in chunked(list(op_ids)):
        conn.execute(
            update(t.Outbox)
            .where(t.Outbox.op_id.in_(part))
            .values(batch_id=batch_id, last_attempt_at=now)
        )


def count_attempt(conn: Connection, batch_id: str, error: str | None, now: str) -> None:
    conn.execute(
        update(t.Outbox)
        .where(t.Outbox.batch_id == batch_id, t.Outbox.state == PENDING)
        .values(attempts=t.Outbox.attempts + 1, last_attempt_at=now, last_error=error)
    )


def mark_acked(conn: Connection, op_ids: Sequence[str]) -> None:
    for part in chunked(list(op_ids)):
        conn.execute(
            update(t.Outbox).where(t.Outbox.op_id.in_(part)).values(state="acked", last_error=None)
        )


def mark_quarantined(conn: Connection, reasons: Mapping[str, str]) -> None:
    for op_id, reason in reasons.items():
        conn.execute(
            update(t.Outbox)
            .where(t.Outbox.op_id == op_id)
            .values(state="quarantined", last_error=reason[:2000])
        )


def sync_state(conn: Connection, scope: str) -> dict[str, Any]:
    """The pull cursor and the last good push and pull of one hub city ({} before the first)."""
    row = conn.execute(select(t.SyncState).where(t.SyncState.scope == scope)).first()
    return dict(row._mapping) if row is not None else {}


def quarantined_ops(conn: Connection) -> list[OutboxRecord]:
    rows = conn.execute(
        select(t.Outbox).where(t.Outbox.state == "quarantined").order_by(t.Outbox.seq)
    )
    return [_outbox(r) for r in rows]


def record_bodies(
    conn: Connection, refs: Iterable[tuple[str, str]]
) -> dict[tuple[str, str], dict[str, Any]]:
    """Wire bodies of records named by (kind, id); records that no longer exist are left out."""
    by_kind: dict[str, list[str]] = defaultdict(list)
    for kind, record_id in refs:
        by_kind[kind].append(record_id)
    found: dict[tuple[str, str], dict[str, Any]] = {}
    for kind, ids in by_kind.items():
        reader = _READERS.get(kind)
        if reader is None:
            continue
        for part in chunked(sorted(set(ids))):
            for body in reader(conn, part):
                found[(kind, body["sha256"] if "sha256" in body else body["id"])] = body
    mark_bodies(conn, found)
    return found


def _questionnaires(conn: Connection, ids: Sequence[str]) -> list[dict[str, Any]]:
    q = t.QuestionnaireVersion
    rows = conn.execute(
        select(q.sha256, q.id, q.version, func.length(q.body)).where(q.sha256.in_(ids))
    )
    return [{"sha256": r[0], "form_id": r[1], "version": r[2], "size": int(r[3])} for r in rows]


def _contributors(conn: Connection, ids: Sequence[str]) -> list[dict[str, Any]]:
    c = t.Contributor
    rows = conn.execute(select(c).where(c.id.in_(ids)))
    return [
        {
            "id": r.id,
            "name": r.name,
            "role": r.role or "",
            "institution": r.institution or "",
            "device_id": r.device_id,
            "created_at": r.created_at,
        }
        for r in rows
    ]


def created_questionnaires(conn: Connection, assessment_ids: Sequence[str]) -> dict[str, str]:
    """The questionnaire each assessment was created with (its 'created' event), by id."""
    e = t.AssessmentEvent
    found: dict[str, str] = {}
    rows = conn.execute(
        select(e.assessment_id, e.payload_json).where(
            e.assessment_id.in_(assessment_ids), e.kind == "created"
        )
    )
    for assessment_id, payload in rows:
        sha = json.loads(payload).get("questionnaire")
        if isinstance(sha, str):
            found.setdefault(assessment_id, sha)
    first_header = conn.execute(
        select(e.assessment_id, e.payload_json)
        .where(e.assessment_id.in_(assessment_ids), e.kind == "header")
        .order_by(e.hlc, e.device_id, e.id)
    )
    for assessment_id, payload in first_header:
        change = json.loads(payload).get("questionnaire") or {}
        if assessment_id not in found and isinstance(change.get("from"), str):
            found[assessment_id] = change["from"]
    return found


def _assessments(conn: Connection, ids: Sequence[str]) -> list[dict[str, Any]]:
    a = t.Assessment
    created = created_questionnaires(conn, ids)
    rows = conn.execute(select(a).where(a.id.in_(ids)))
    return [
        {
            "id": r.id,
            "city": r.city,
            "country": r.country,
            "period": r.period,
            "language": r.language,
            "questionnaire": created.get(r.id, r.questionnaire_sha256),
            "created_at": r.created_at,
            "created_by": r.created_by,
            "previous_assessment_id": r.previous_assessment_id,
            "city_key": r.city_key,
            "device_id": r.device_id,
        }
        for r in rows
    ]


def _events(conn: Connection, ids: Sequence[str]) -> list[dict[str, Any]]:
    e = t.AssessmentEvent
    rows = conn.execute(select(e).where(e.id.in_(ids)))
    return [
        {
            "id": r.id,
            "assessment_id": r.assessment_id,
            "kind": r.kind,
            "payload": json.loads(r.payload_json),
            "author_id": r.author_id,
            "device_id": r.device_id,
            "hlc": r.hlc,
            "created_at": r.created_at,
        }
        for r in rows
    ]


def revision_body(r: Any) -> dict[str, Any]:
    return {
        "id": r.id,
        "assessment_id": r.assessment_id,
        "indicator_id": r.indicator_id,
        "subject": r.subject,
        "value": None if r.value_json is None else json.loads(r.value_json),
        "state": r.state,
        "note": r.note or "",
        "evidence": r.evidence,
        "attachments": json.loads(r.attachments_json or "[]"),
        "parents": json.loads(r.parents_json or "[]"),
        "author_id": r.author_id,
        "device_id": r.device_id,
        "hlc": r.hlc,
        "created_at": r.created_at,
        "rationale": r.rationale or "",
        "to_confirm": bool(r.to_confirm),
    }


def _revisions(conn: Connection, ids: Sequence[str]) -> list[dict[str, Any]]:
    rows = conn.execute(select(t.Revision).where(t.Revision.id.in_(ids)))
    return [revision_body(r) for r in rows]


def _attachments(conn: Connection, ids: Sequence[str]) -> list[dict[str, Any]]:
    a = t.Attachment
    rows = conn.execute(select(a).where(a.sha256.in_(ids)))
    return [
        {
            "sha256": r.sha256,
            "filename": r.filename,
            "size": r.size,
            "media_type": r.media_type,
            "created_at": r.created_at,
        }
        for r in rows
    ]


_READERS = {
    "questionnaire": _questionnaires,
    "contributor": _contributors,
    "assessment": _assessments,
    "assessment_event": _events,
    "revision": _revisions,
    "attachment": _attachments,
}


def assessment_refs(conn: Connection, assessment_id: str) -> list[tuple[str, str]]:
    """Every record one assessment needs, dependencies first (what a bundle carries)."""
    events = column_values(
        conn, t.AssessmentEvent.id, t.AssessmentEvent.assessment_id == assessment_id
    )
    revisions = conn.execute(
        select(t.Revision.id, t.Revision.author_id, t.Revision.subject, t.Revision.attachments_json)
        .where(t.Revision.assessment_id == assessment_id)
        .order_by(t.Revision.hlc, t.Revision.device_id, t.Revision.id)
    ).all()
    record = conn.execute(
        select(t.Assessment.created_by, t.Assessment.questionnaire_sha256).where(
            t.Assessment.id == assessment_id
        )
    ).one()
    event_rows = conn.execute(
        select(t.AssessmentEvent.author_id, t.AssessmentEvent.payload_json).where(
            t.AssessmentEvent.assessment_id == assessment_id
        )
    ).all()
    questionnaires = {record.questionnaire_sha256}
    people = {record.created_by} if record.created_by else set()
    for author, payload in event_rows:
        if author:
            people.add(author)
        data = json.loads(payload)
        if isinstance(data.get("questionnaire"), str):
            questionnaires.add(data["questionnaire"])
        change = data.get("questionnaire")
        if isinstance(change, dict):
            questionnaires.update(v for v in (change.get("from"), change.get("to")) if v)
    files: list[str] = []
    for _id, author, subject, attachments in revisions:
        if author:
            people.add(author)
        if subject != "city":
            people.add(subject)
        files.extend(json.loads(attachments or "[]"))
    known_people = column_values(conn, t.Contributor.id, t.Contributor.id.in_(sorted(people)))
    known_q = column_values(
        conn,
        t.QuestionnaireVersion.sha256,
        t.QuestionnaireVersion.sha256.in_(sorted(questionnaires)),
    )
    refs = [("questionnaire", q) for q in sorted(known_q)]
    refs += [("contributor", c) for c in sorted(known_people)]
    refs.append(("assessment", assessment_id))
    refs += [("assessment_event", e) for e in events]
    refs += [("attachment", f) for f in dict.fromkeys(files)]
    refs += [("revision", r[0]) for r in revisions]
    return refs


def column_values(conn: Connection, column: Any, condition: Any) -> list[str]:
    return [r[0] for r in conn.execute(select(column).where(condition))]
