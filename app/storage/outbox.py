"""Repository: the outbox (records waiting for the hub) and the pull cursor per hub city.

An outbox row is written in the same transaction as the record it announces (the transactional
outbox), so a record can never exist without its row or the other way round. Rows move
pending -> acked or quarantined; they are never deleted by this module.
"""

from __future__ import annotations

from collections.abc import Iterable

from sqlalchemy import Connection, bindparam, func, insert, literal, select, union_all, update

from app.storage import tables as t
from app.storage.demo_marks import demo_record_ids
from app.storage.records import OutboxRecord

PENDING, ACKED, QUARANTINED = "pending", "acked", "quarantined"


_QUEUED = select(t.Outbox.op_id).where(t.Outbox.record_id == bindparam("record_id"))
_INSERT = insert(t.Outbox).values(
    seq=select(func.coalesce(func.max(t.Outbox.seq), 0) + 1).scalar_subquery()
)


def add_outbox(conn: Connection, kind: str, record_id: str, op_id: str, now: str) -> bool:
    """Queue a record once (a record already queued keeps its row); True when queued now."""
    if conn.execute(_QUEUED, {"record_id": record_id}).first():
        return False
    conn.execute(
        _INSERT,
        {
            "op_id": op_id,
            "record_kind": kind,
            "record_id": record_id,
            "state": PENDING,
            "attempts": 0,
            "created_at": now,
        },
    )
    return True


def _record(row: object) -> OutboxRecord:
    m = row._mapping  # type: ignore[attr-defined]
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


def pending(conn: Connection, limit: int = 200) -> list[OutboxRecord]:
    """The oldest pending rows, in the order they were written."""
    rows = conn.execute(
        select(t.Outbox).where(t.Outbox.state == PENDING).order_by(t.Outbox.seq).limit(limit)
    )
    return [_record(r) for r in rows]


def by_state(conn: Connection, state: str) -> list[OutboxRecord]:
    rows = conn.execute(select(t.Outbox).where(t.Outbox.state == state).order_by(t.Outbox.seq))
    return [_record(r) for r in rows]


def assign_batch(conn: Connection, op_ids: Iterable[str], batch_id: str, now: str) -> None:
    """Remember the batch before sending it, so a retry reuses the same idempotency key."""
    conn.execute(
        update(t.Outbox)
        .where(t.Outbox.op_id.in_(list(op_ids)))
        .values(batch_id=batch_id, attempts=t.Outbox.attempts + 1, last_attempt_at=now)
    )


def mark_acked(conn: Connection, op_ids: Iterable[str]) -> None:
    conn.execute(
        update(t.Outbox)
        .where(t.Outbox.op_id.in_(list(op_ids)))
        .values(state=ACKED, last_error=None)
    )


def mark_quarantined(conn: Connection, op_id: str, reason: str) -> None:
    conn.execute(
        update(t.Outbox).where(t.Outbox.op_id == op_id).values(state=QUARANTINED, last_error=reason)
    )


def record_failure(conn: Connection, op_ids: Iterable[str], error: str) -> None:
    """A send that failed in transit: the rows stay pending, the error is kept for display."""
    conn.execute(update(t.Outbox).where(t.Outbox.op_id.in_(list(op_ids))).values(last_error=error))


def count_by_state(conn: Connection) -> dict[str, int]:
    """Outbox rows per state; a demo's rows are not counted (they are never sent)."""
    rows = conn.execute(
        select(t.Outbox.state, func.count())
        .where(t.Outbox.record_id.not_in(demo_record_ids()))
        .group_by(t.Outbox.state)
    )
    return {r[0]: int(r[1]) for r in rows}


def pending_by_assessment(conn: Connection) -> dict[str, int]:
    """Per assessment, how many of its records (itself, events, revisions) wait to be sent."""
    owners = union_all(
        select(t.Assessment.id.label("record_id"), t.Assessment.id.label("assessment_id")),
        select(t.AssessmentEvent.id, t.AssessmentEvent.assessment_id),
        select(t.Revision.id, t.Revision.assessment_id),
    ).subquery()
    rows = conn.execute(
        select(owners.c.assessment_id, func.count())
        .select_from(t.Outbox)
        .join(owners, owners.c.record_id == t.Outbox.record_id)
        .where(t.Outbox.state == PENDING, t.Outbox.record_id.not_in(demo_record_ids()))
        .group_by(owners.c.assessment_id)
    )
    return {r[0]: int(r[1]) for r in rows}


# ---------------------------------------------------------------------------------------------
# Pull cursor per hub city


def get_cursor(conn: Connection, scope: str) -> int:
    value = conn.execute(
        select(t.SyncState.pull_cursor).where(t.SyncState.scope == scope)
    ).scalar_one_or_none()
    return int(value or 0)


def set_cursor(conn: Connection, scope: str, cursor: int, now: str) -> None:
    updated = conn.execute(
        update(t.SyncState)
        .where(t.SyncState.scope == scope)
        .values(pull_cursor=cursor, last_pull_ok_at=now)
    )
    if updated.rowcount == 0:
        conn.execute(
            insert(t.SyncState).values(scope=scope, pull_cursor=cursor, last_pull_ok_at=now)
        )


def note_push_ok(conn: Connection, scope: str, now: str) -> None:
    updated = conn.execute(
        update(t.SyncState).where(t.SyncState.scope == scope).values(last_push_ok_at=now)
    )
    if updated.rowcount == 0:
        conn.execute(
            insert(t.SyncState).values(scope=scope, pull_cursor=literal(0), last_push_ok_at=now)
        )
