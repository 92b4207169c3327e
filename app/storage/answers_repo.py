"""Repository: answer revisions (immutable), their heads, and the outbox row of each local one.

An answer key is (assessment, indicator, subject); subject is a contributor id or "city". The heads
of a key are its revisions that no other revision of the key names as a parent. A local save makes
the current heads the new revision's parents, so it always leaves exactly one head; revisions
pulled from the hub may leave several (a conflict) until someone resolves them.
"""

from __future__ import annotations

from collections.abc import Iterable

from sqlalchemy import Connection, and_, bindparam, delete, func, insert, select

from app.storage import tables as t
from app.storage.outbox import add_outbox
from app.storage.records import CITY, RevisionRecord

Key = tuple[str, str, str]


def _key_filter(table: type[t.AnswerHead] | type[t.Revision], key: Key):  # type: ignore[no-untyped-def]
    assessment_id, indicator_id, subject = key
    return and_(
        table.assessment_id == assessment_id,
        table.indicator_id == indicator_id,
        table.subject == subject,
    )


# The save path runs these prebuilt statements (building a statement costs more than running it).
_KEY = and_(
    t.AnswerHead.assessment_id == bindparam("k_assessment"),
    t.AnswerHead.indicator_id == bindparam("k_indicator"),
    t.AnswerHead.subject == bindparam("k_subject"),
)
_HEAD_IDS = select(t.AnswerHead.revision_id).where(_KEY)
_DELETE_HEADS = delete(t.AnswerHead).where(_KEY)
_INSERT_REVISION = insert(t.Revision)
_INSERT_HEAD = insert(t.AnswerHead)


def _key_params(key: Key) -> dict[str, str]:
    return {"k_assessment": key[0], "k_indicator": key[1], "k_subject": key[2]}


def head_ids(conn: Connection, key: Key) -> tuple[str, ...]:
    rows = conn.execute(_HEAD_IDS, _key_params(key))
    return tuple(sorted(r[0] for r in rows))


def save_local_revision(conn: Connection, record: RevisionRecord, op_id: str, now: str) -> None:
    """Insert a new local revision, make it the only head of its key, queue it for the hub.

    The record's `parents` must be the current heads (read in this same transaction).
    """
    conn.execute(_INSERT_REVISION, record.to_row())
    conn.execute(_DELETE_HEADS, _key_params(record.key))
    conn.execute(
        _INSERT_HEAD,
        {
            "assessment_id": record.assessment_id,
            "indicator_id": record.indicator_id,
            "subject": record.subject,
            "revision_id": record.id,
        },
    )
    add_outbox(conn, "revision", record.id, op_id, now)


def has_revision(conn: Connection, revision_id: str) -> bool:
    return (
        conn.execute(select(t.Revision.id).where(t.Revision.id == revision_id)).first() is not None
    )


def insert_remote_revisions(conn: Connection, records: Iterable[RevisionRecord]) -> set[Key]:
    """Store revisions received from the hub or a bundle (ignoring ones already present) and
    recompute the heads of every key they touch. Returns the touched keys."""
    touched: set[Key] = set()
    for record in records:
        if has_revision(conn, record.id):
            continue
        conn.execute(insert(t.Revision).values(**record.to_row()))
        touched.add(record.key)
    for key in touched:
        recompute_heads(conn, key)
    return touched


def recompute_heads(conn: Connection, key: Key) -> tuple[str, ...]:
    """Heads = revisions of the key that no revision of the key lists as a parent."""
    revisions = revisions_for_key(conn, key)
    replaced = {parent for r in revisions for parent in r.parents}
    heads = sorted(r.id for r in revisions if r.id not in replaced)
    conn.execute(delete(t.AnswerHead).where(_key_filter(t.AnswerHead, key)))
    for revision_id in heads:
        conn.execute(
            insert(t.AnswerHead).values(
                assessment_id=key[0], indicator_id=key[1], subject=key[2], revision_id=revision_id
            )
        )
    return tuple(heads)


def revisions_for_key(conn: Connection, key: Key) -> list[RevisionRecord]:
    rows = conn.execute(
        select(t.Revision)
        .where(_key_filter(t.Revision, key))
        .order_by(t.Revision.hlc, t.Revision.device_id, t.Revision.id)
    )
    return [RevisionRecord.from_row(r) for r in rows]


def revisions_for_indicator(
    conn: Connection, assessment_id: str, indicator_id: str
) -> list[RevisionRecord]:
    """Every revision of an indicator (all subjects), oldest first by HLC."""
    rows = conn.execute(
        select(t.Revision)
        .where(t.Revision.assessment_id == assessment_id, t.Revision.indicator_id == indicator_id)
        .order_by(t.Revision.hlc, t.Revision.device_id, t.Revision.id)
    )
    return [RevisionRecord.from_row(r) for r in rows]


def revisions_for_assessment(conn: Connection, assessment_id: str) -> list[RevisionRecord]:
    rows = conn.execute(
        select(t.Revision)
        .where(t.Revision.assessment_id == assessment_id)
        .order_by(t.Revision.hlc, t.Revision.device_id, t.Revision.id)
    )
    return [RevisionRecord.from_row(r) for r in rows]


def heads_for_assessment(conn: Connection, assessment_id: str) -> list[RevisionRecord]:
    """The head revisions of every answer key of the assessment."""
    rows = conn.execute(
        select(t.Revision)
        .join(t.AnswerHead, t.AnswerHead.revision_id == t.Revision.id)
        .where(t.AnswerHead.assessment_id == assessment_id)
        .order_by(t.Revision.indicator_id, t.Revision.subject, t.Revision.hlc)
    )
    return [RevisionRecord.from_row(r) for r in rows]


def heads_for_indicator(
    conn: Connection, assessment_id: str, indicator_id: str
) -> list[RevisionRecord]:
    rows = conn.execute(
        select(t.Revision)
        .join(t.AnswerHead, t.AnswerHead.revision_id == t.Revision.id)
        .where(
            t.AnswerHead.assessment_id == assessment_id,
            t.AnswerHead.indicator_id == indicator_id,
        )
    )
    return [RevisionRecord.from_row(r) for r in rows]


def contributor_ids(conn: Connection, assessment_id: str) -> list[str]:
    """Authors and subjects of the assessment's contributor answers, plus its creator."""
    subjects = select(t.Revision.subject).where(
        t.Revision.assessment_id == assessment_id, t.Revision.subject != CITY
    )
    authors = select(t.Revision.author_id).where(
        t.Revision.assessment_id == assessment_id, t.Revision.author_id.is_not(None)
    )
    creator = select(t.Assessment.created_by).where(
        t.Assessment.id == assessment_id, t.Assessment.created_by.is_not(None)
    )
    rows = conn.execute(subjects.union(authors, creator))
    return sorted({r[0] for r in rows if r[0]})


def max_hlc(conn: Connection) -> str | None:
    """The latest HLC stored, so a restarted clock never goes backwards."""
    revision = conn.execute(select(func.max(t.Revision.hlc))).scalar_one_or_none()
    event = conn.execute(select(func.max(t.AssessmentEvent.hlc))).scalar_one_or_none()
    values = [v for v in (revision, event) if v]
    return max(values) if values else None
