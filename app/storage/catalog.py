"""Repository: settings, questionnaire versions, contributors and attachments.

Every function takes the open transaction (`Connection`) of the caller's unit of work.
"""

from __future__ import annotations

from collections.abc import Iterable

from sqlalchemy import Connection, bindparam, delete, func, insert, select, update

from app.domain import Contributor
from app.storage import tables as t
from app.storage.records import AttachmentRecord

# ---------------------------------------------------------------------------------------------
# Settings


_GET_SETTING = select(t.Setting.value).where(t.Setting.key == bindparam("key"))
_GET_CONTRIBUTOR = select(t.Contributor).where(t.Contributor.id == bindparam("id"))


def get_setting(conn: Connection, key: str) -> str | None:
    return conn.execute(_GET_SETTING, {"key": key}).scalar_one_or_none()


def set_setting(conn: Connection, key: str, value: str) -> None:
    updated = conn.execute(update(t.Setting).where(t.Setting.key == key).values(value=value))
    if updated.rowcount == 0:
        conn.execute(insert(t.Setting).values(key=key, value=value))


def delete_setting(conn: Connection, key: str) -> None:
    conn.execute(delete(t.Setting).where(t.Setting.key == key))


# ---------------------------------------------------------------------------------------------
# Questionnaire versions (the exact file bytes an assessment pinned)


def put_questionnaire(
    conn: Connection, sha256: str, questionnaire_id: str, version: str, body: bytes, now: str
) -> bool:
    """Store a questionnaire file once; True when it was new."""
    exists = conn.execute(
        select(t.QuestionnaireVersion.sha256).where(t.QuestionnaireVersion.sha256 == sha256)
    ).first()
    if exists:
        return False
    conn.execute(
        insert(t.QuestionnaireVersion).values(
            sha256=sha256, id=questionnaire_id, version=version, body=body, installed_at=now
        )
    )
    return True


def questionnaire_body(conn: Connection, sha256: str) -> bytes | None:
    return conn.execute(
        select(t.QuestionnaireVersion.body).where(t.QuestionnaireVersion.sha256 == sha256)
    ).scalar_one_or_none()


def questionnaire_versions(conn: Connection) -> list[tuple[str, str, str]]:
    """(id, version, sha256) of every stored questionnaire file."""
    rows = conn.execute(
        select(
            t.QuestionnaireVersion.id,
            t.QuestionnaireVersion.version,
            t.QuestionnaireVersion.sha256,
        ).order_by(t.QuestionnaireVersion.id, t.QuestionnaireVersion.version)
    )
    return [(r[0], r[1], r[2]) for r in rows]


# ---------------------------------------------------------------------------------------------
# Contributors


def _contributor(row: object) -> Contributor:
    m = row._mapping  # type: ignore[attr-defined]
    return Contributor(
        id=m["id"],
        name=m["name"],
        role=m["role"] or "",
        institution=m["institution"] or "",
        device_id=m["device_id"],
    )


def insert_contributor(conn: Connection, contributor: Contributor, now: str) -> None:
    conn.execute(
        insert(t.Contributor).values(
            id=contributor.id,
            name=contributor.name,
            role=contributor.role,
            institution=contributor.institution,
            device_id=contributor.device_id,
            created_at=now,
        )
    )


def get_contributor(conn: Connection, contributor_id: str) -> Contributor | None:
    row = conn.execute(_GET_CONTRIBUTOR, {"id": contributor_id}).first()
    return _contributor(row) if row else None


def get_contributors(conn: Connection, ids: Iterable[str]) -> dict[str, Contributor]:
    wanted = sorted(set(ids))
    if not wanted:
        return {}
    rows = conn.execute(select(t.Contributor).where(t.Contributor.id.in_(wanted)))
    return {c.id: c for c in map(_contributor, rows)}


def find_contributor(conn: Connection, name: str, device_id: str) -> Contributor | None:
    """The contributor with this exact name, preferring one created on this device."""
    rows = conn.execute(
        select(t.Contributor)
        .where(t.Contributor.name == name)
        .order_by((t.Contributor.device_id == device_id).desc(), t.Contributor.created_at)
    ).first()
    return _contributor(rows) if rows else None


_NAMED = (
    select(t.Contributor)
    .where(t.Contributor.name == bindparam("name"))
    .order_by((t.Contributor.device_id == bindparam("device")).desc(), t.Contributor.created_at)
)


def contributors_named(conn: Connection, name: str, device_id: str) -> list[Contributor]:
    """Every contributor with this exact name, this device's first, oldest first."""
    return [_contributor(r) for r in conn.execute(_NAMED, {"name": name, "device": device_id})]


def all_contributors(conn: Connection) -> list[Contributor]:
    rows = conn.execute(select(t.Contributor).order_by(t.Contributor.created_at, t.Contributor.id))
    return [_contributor(r) for r in rows]


# ---------------------------------------------------------------------------------------------
# Attachments (metadata; the content is a file named by its SHA-256)


def put_attachment(conn: Connection, record: AttachmentRecord) -> bool:
    exists = conn.execute(
        select(t.Attachment.sha256).where(t.Attachment.sha256 == record.sha256)
    ).first()
    if exists:
        return False
    conn.execute(
        insert(t.Attachment).values(
            sha256=record.sha256,
            filename=record.filename,
            size=record.size,
            media_type=record.media_type,
            created_at=record.created_at,
        )
    )
    return True


def get_attachments(conn: Connection, hashes: Iterable[str]) -> dict[str, AttachmentRecord]:
    wanted = sorted(set(hashes))
    if not wanted:
        return {}
    rows = conn.execute(select(t.Attachment).where(t.Attachment.sha256.in_(wanted)))
    return {
        r.sha256: AttachmentRecord(r.sha256, r.filename, r.size, r.media_type, r.created_at)
        for r in rows
    }


def count_rows(conn: Connection, table: type[t.Base]) -> int:
    return int(conn.execute(select(func.count()).select_from(table)).scalar_one())
