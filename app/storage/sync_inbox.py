"""Repository: records received from the hub or a bundle, stored once, with what follows.

Records are inserted only when new here (by id), inside the caller's transaction, dependencies
first; the assessment status and questionnaire are re-derived from their events. Heads of touched
answer keys are replaced by the caller (`replace_heads`), which computes them with the one merge
rule (`app.sync.merge`). Records that cannot be stored (a missing reference, a broken record) are
kept in `sync_rejected` with the reason: nothing received is dropped silently.
"""

from __future__ import annotations

import json
from collections import defaultdict
from collections.abc import Callable, Iterable, Mapping, Sequence
from dataclasses import dataclass, field
from typing import Any

from sqlalchemy import Connection, and_, func, insert, or_, select, update

from app.storage import tables as t
from app.storage.outbox import add_outbox
from app.storage.sync_repo import ORDER, chunked, column_values, rejected

# ---------------------------------------------------------------------------------------------
# Incoming


@dataclass
class Applied:
    added: dict[str, int] = field(default_factory=lambda: defaultdict(int))
    new: list[tuple[str, str]] = field(default_factory=list)  # (kind, id) inserted now, in order
    rejected: list[tuple[str, str, str]] = field(default_factory=list)  # (kind, id, reason)
    touched_keys: set[tuple[str, str, str]] = field(default_factory=set)
    hlcs: list[str] = field(default_factory=list)

    @property
    def total(self) -> int:
        return sum(self.added.values())


def existing(conn: Connection, kind: str, ids: Sequence[str]) -> set[str]:
    column = {
        "questionnaire": t.QuestionnaireVersion.sha256,
        "contributor": t.Contributor.id,
        "assessment": t.Assessment.id,
        "assessment_event": t.AssessmentEvent.id,
        "revision": t.Revision.id,
        "attachment": t.Attachment.sha256,
    }[kind]
    found: set[str] = set()
    for part in chunked(sorted(set(ids))):
        found.update(r[0] for r in conn.execute(select(column).where(column.in_(part))))
    return found


def insert_records(
    conn: Connection,
    records: Sequence[tuple[str, str, Mapping[str, Any]]],
    blobs: Mapping[tuple[str, str], bytes],
    *,
    origin: str,
    source: str,
    now: str,
    attachment_present: Callable[[str], bool] | None = None,
) -> Applied:
    """Store (kind, id, body) records that are new here, dependencies first; set the others aside.

    `blobs` holds questionnaire file bytes by (kind, sha). `attachment_present(sha)` says whether
    an attachment's content file is in place (it is written before this transaction).
    """
    result = Applied()
    by_kind: dict[str, list[tuple[str, Mapping[str, Any]]]] = defaultdict(list)
    for kind, record_id, body in records:
        by_kind[kind].append((record_id, body))
    for kind in ORDER:
        items = list(dict(by_kind.get(kind, [])).items())
        if not items:
            continue
        present = existing(conn, kind, [i for i, _b in items])
        fresh = [(i, b) for i, b in items if i not in present]
        if fresh:
            _INSERTERS[kind](_Insert(conn, blobs, result, origin, now, attachment_present), fresh)
    if result.rejected:
        _reject(conn, result.rejected, {(k, i): b for k, i, b in records}, source, now)
    inserted = set(result.new)
    touched = {i for k, i in inserted if k == "assessment"}
    touched |= {
        str(b["assessment_id"])
        for k, i, b in records
        if k == "assessment_event" and (k, i) in inserted
    }
    if touched:
        rederive_assessments(conn, sorted(touched))
    return result


def _missing(conn: Connection, column: Any, wanted: Iterable[str | None]) -> set[str]:
    ids = sorted({w for w in wanted if w})
    if not ids:
        return set()
    found: set[str] = set()
    for part in chunked(ids):
        found.update(r[0] for r in conn.execute(select(column).where(column.in_(part))))
    return set(ids) - found


Items = list[tuple[str, Mapping[str, Any]]]


@dataclass
class _Insert:
    conn: Connection
    blobs: Mapping[tuple[str, str], bytes]
    result: Applied
    origin: str
    now: str
    attachment_present: Callable[[str], bool] | None


def _insert_questionnaires(c: _Insert, items: Items) -> None:
    conn, blobs, result, now = c.conn, c.blobs, c.result, c.now
    for sha, body in items:
        data = blobs.get(("questionnaire", sha))
        if data is None:
            result.rejected.append(
                ("questionnaire", sha, "the questionnaire file was not received")
            )
            continue
        conn.execute(
            insert(t.QuestionnaireVersion).values(
                sha256=sha, id=body["form_id"], version=body["version"], body=data, installed_at=now
            )
        )
        result.new.append(("questionnaire", sha))
        result.added["questionnaire"] += 1


def _insert_contributors(c: _Insert, items: Items) -> None:
    conn, result = c.conn, c.result
    rows = [
        {
            "id": i,
            "name": b["name"],
            "role": b["role"],
            "institution": b["institution"],
            "device_id": b["device_id"],
            "created_at": b["created_at"],
        }
        for i, b in items
    ]
    conn.execute(insert(t.Contributor), rows)
    result.new.extend(("contributor", i) for i, _b in items)
    result.added["contributor"] += len(rows)


def _insert_assessments(c: _Insert, items: Items) -> None:
    conn, result = c.conn, c.result
    no_q = _missing(conn, t.QuestionnaireVersion.sha256, (b["questionnaire"] for _i, b in items))
    no_people = _missing(conn, t.Contributor.id, (b["created_by"] for _i, b in items))
    for record_id, body in items:
        if body["questionnaire"] in no_q:
            result.rejected.append(
                ("assessment", record_id, "its questionnaire file is unknown here")
            )
            continue
        if body["created_by"] in no_people:
            result.rejected.append(("assessment", record_id, "its creator is unknown here"))
            continue
        previous = body["previous_assessment_id"]
        if previous and _missing(conn, t.Assessment.id, [previous]):
            previous = None  # the earlier round is not on this laptop; the link is informational
        conn.execute(
            insert(t.Assessment).values(
                id=record_id,
                city=body["city"],
                country=body["country"],
                period=body["period"],
                language=body["language"],
                questionnaire_sha256=body["questionnaire"],
                status="draft",
                created_at=body["created_at"],
                created_by=body["created_by"],
                previous_assessment_id=previous,
                city_key=body["city_key"],
                device_id=body["device_id"],
            )
        )
        result.new.append(("assessment", record_id))
        result.added["assessment"] += 1


def _insert_events(c: _Insert, items: Items) -> None:
    conn, result, origin = c.conn, c.result, c.origin
    no_assessment = _missing(conn, t.Assessment.id, (b["assessment_id"] for _i, b in items))
    no_people = _missing(conn, t.Contributor.id, (b["author_id"] for _i, b in items))
    rows = []
    for record_id, b in items:
        if b["assessment_id"] in no_assessment:
            result.rejected.append(
                ("assessment_event", record_id, "its assessment is unknown here")
            )
        elif b["author_id"] in no_people:
            result.rejected.append(("assessment_event", record_id, "its author is unknown here"))
        else:
            rows.append(
                {
                    "id": record_id,
                    "assessment_id": b["assessment_id"],
                    "kind": b["kind"],
                    "payload_json": json.dumps(b["payload"], ensure_ascii=False, sort_keys=True),
                    "author_id": b["author_id"],
                    "device_id": b["device_id"],
                    "hlc": b["hlc"],
                    "created_at": b["created_at"],
                    "origin": origin,
                }
            )
            result.hlcs.append(b["hlc"])
    if rows:
        conn.execute(insert(t.AssessmentEvent), rows)
        result.new.extend(("assessment_event", r["id"]) for r in rows)
        result.added["assessment_event"] += len(rows)


def _insert_attachments(c: _Insert, items: Items) -> None:
    conn, result, present = c.conn, c.result, c.attachment_present
    for sha, b in items:
        if present is not None and not present(sha):
            result.rejected.append(("attachment", sha, "the attachment's content was not received"))
            continue
        conn.execute(
            insert(t.Attachment).values(
                sha256=sha,
                filename=b["filename"],
                size=b["size"],
                media_type=b["media_type"],
                created_at=b["created_at"],
            )
        )
        result.new.append(("attachment", sha))
        result.added["attachment"] += 1


def _insert_revisions(c: _Insert, items: Items) -> None:
    conn, result, origin = c.conn, c.result, c.origin
    no_assessment = _missing(conn, t.Assessment.id, (b["assessment_id"] for _i, b in items))
    no_people = _missing(conn, t.Contributor.id, (b["author_id"] for _i, b in items))
    no_files = _missing(conn, t.Attachment.sha256, (f for _i, b in items for f in b["attachments"]))
    rows = []
    for record_id, b in items:
        if b["assessment_id"] in no_assessment:
            result.rejected.append(("revision", record_id, "its assessment is unknown here"))
            continue
        if b["author_id"] in no_people:
            result.rejected.append(("revision", record_id, "its author is unknown here"))
            continue
        if any(f in no_files for f in b["attachments"]):
            result.rejected.append(
                ("revision", record_id, "an attachment it names is unknown here")
            )
            continue
        value = b["value"]
        rows.append(
            (
                record_id,
                b["assessment_id"],
                b["indicator_id"],
                b["subject"],
                None if value is None else json.dumps(value, ensure_ascii=False),
                b["state"],
                b["note"],
                b["evidence"],
                _id_list(b["attachments"]),
                _id_list(b["parents"]),
                b["author_id"],
                b["device_id"],
                b["hlc"],
                b["created_at"],
                b["rationale"],
                bool(b["to_confirm"]),
                origin,
            )
        )
        result.touched_keys.add((b["assessment_id"], b["indicator_id"], b["subject"]))
        result.hlcs.append(b["hlc"])
    if rows:
        # Thousands of rows per page: the driver's executemany, without per-row compilation.
        conn.exec_driver_sql(_INSERT_REVISION, rows)
    result.new.extend(("revision", r[0]) for r in rows)
    result.added["revision"] += len(rows)


_REVISION_COLUMNS = (
    "id, assessment_id, indicator_id, subject, value_json, state, note, evidence, "
    "attachments_json, parents_json, author_id, device_id, hlc, created_at, rationale, "
    "to_confirm, origin"
)
_INSERT_REVISION = f"INSERT INTO revision ({_REVISION_COLUMNS}) VALUES ({', '.join('?' * 17)})"


def _id_list(items: Sequence[str]) -> str:
    """encode_list() for ids and hashes, which the wire format limits to characters JSON takes
    as they are."""
    return "[" + ", ".join(f'"{item}"' for item in items) + "]"


_INSERTERS: dict[str, Callable[[_Insert, Items], None]] = {
    "questionnaire": _insert_questionnaires,
    "contributor": _insert_contributors,
    "assessment": _insert_assessments,
    "assessment_event": _insert_events,
    "attachment": _insert_attachments,
    "revision": _insert_revisions,
}


def _reject(
    conn: Connection,
    problems: Sequence[tuple[str, str, str]],
    bodies: Mapping[tuple[str, str], Any],
    source: str,
    now: str,
) -> None:
    keep_rejected(
        conn, [(k, i, r, bodies.get((k, i))) for k, i, r in problems], source=source, now=now
    )


def keep_rejected(
    conn: Connection, items: Sequence[tuple[str, str, str, Any]], *, source: str, now: str
) -> None:
    """Keep incoming records that could not be stored, with the reason (once per record)."""
    for kind, record_id, reason, payload in items:
        key = and_(rejected.c.kind == kind[:40], rejected.c.record_id == record_id[:200])
        if conn.execute(select(rejected.c.kind).where(key)).first():
            continue
        conn.execute(
            insert(rejected).values(
                kind=kind[:40],
                record_id=record_id[:200],
                source=source,
                reason=reason[:2000],
                payload_json=json.dumps(payload, default=str)[:2_000_000],  # ASCII: any text fits
                received_at=now,
            )
        )


def rejected_records(conn: Connection) -> list[dict[str, str]]:
    rows = conn.execute(
        select(
            rejected.c.kind,
            rejected.c.record_id,
            rejected.c.source,
            rejected.c.reason,
            rejected.c.received_at,
        ).order_by(rejected.c.received_at, rejected.c.kind)
    )
    return [dict(r._mapping) for r in rows]


def queue_records(
    conn: Connection, refs: Sequence[tuple[str, str]], new_op_id: Any, now: str
) -> int:
    """Queue records received from a bundle so that this laptop relays them to its hub."""
    return sum(1 for kind, record_id in refs if add_outbox(conn, kind, record_id, new_op_id(), now))


# ---------------------------------------------------------------------------------------------
# Heads and materialised assessment fields


@dataclass(frozen=True)
class KeyRevision:
    id: str
    parents: tuple[str, ...]
    hlc: str
    device_id: str
    state: str
    value_json: str | None


def key_revisions(
    conn: Connection, keys: Iterable[tuple[str, str, str]]
) -> dict[tuple[str, str, str], list[KeyRevision]]:
    """Every revision of the given answer keys (for recomputing their heads)."""
    wanted = set(keys)
    by_assessment: dict[str, set[str]] = defaultdict(set)
    for assessment_id, indicator_id, _subject in wanted:
        by_assessment[assessment_id].add(indicator_id)
    found: dict[tuple[str, str, str], list[KeyRevision]] = defaultdict(list)
    r = t.Revision
    for assessment_id, indicators in by_assessment.items():
        for part in chunked(sorted(indicators)):
            rows = conn.execute(
                select(
                    r.indicator_id,
                    r.subject,
                    r.id,
                    r.parents_json,
                    r.hlc,
                    r.device_id,
                    r.state,
                    r.value_json,
                ).where(r.assessment_id == assessment_id, r.indicator_id.in_(list(part)))
            )
            for row in rows:
                key = (assessment_id, row[0], row[1])
                if key in wanted:
                    found[key].append(
                        KeyRevision(
                            row[2],
                            tuple(json.loads(row[3] or "[]")),
                            row[4],
                            row[5],
                            row[6],
                            row[7],
                        )
                    )
    return found


def replace_heads(conn: Connection, heads: Mapping[tuple[str, str, str], Sequence[str]]) -> None:
    """Make `heads[key]` the head revisions of each key (computed by the caller)."""
    if not heads:
        return
    conn.exec_driver_sql(
        "DELETE FROM answer_head WHERE assessment_id = ? AND indicator_id = ? AND subject = ?",
        list(heads),
    )
    rows = [(k[0], k[1], k[2], rid) for k, ids in heads.items() for rid in ids]
    if not rows:
        return
    conn.exec_driver_sql(
        "INSERT INTO answer_head (assessment_id, indicator_id, subject, revision_id) "
        "VALUES (?, ?, ?, ?)",
        rows,
    )


def conflicted_heads(conn: Connection) -> dict[tuple[str, str, str], list[tuple[str, str | None]]]:
    """Keys with several heads: (state, value_json) of each head."""
    h, r = t.AnswerHead, t.Revision
    multi = (
        select(h.assessment_id, h.indicator_id, h.subject)
        .group_by(h.assessment_id, h.indicator_id, h.subject)
        .having(func.count() > 1)
        .subquery()
    )
    rows = conn.execute(
        select(h.assessment_id, h.indicator_id, h.subject, r.state, r.value_json)
        .join(r, r.id == h.revision_id)
        .join(
            multi,
            and_(
                multi.c.assessment_id == h.assessment_id,
                multi.c.indicator_id == h.indicator_id,
                multi.c.subject == h.subject,
            ),
        )
    )
    found: dict[tuple[str, str, str], list[tuple[str, str | None]]] = defaultdict(list)
    for row in rows:
        found[(row[0], row[1], row[2])].append((row[3], row[4]))
    return found


def rederive_assessments(conn: Connection, assessment_ids: Sequence[str]) -> None:
    """Status = the latest status event's target; questionnaire = the latest header change's.

    "Latest" is the largest (hlc, device_id, id), the same order on every replica.
    """
    e = t.AssessmentEvent
    for part in chunked(list(assessment_ids)):
        rows = conn.execute(
            select(e.assessment_id, e.kind, e.payload_json)
            .where(e.assessment_id.in_(part), or_(e.kind == "status", e.kind == "header"))
            .order_by(e.hlc, e.device_id, e.id)
        )
        status: dict[str, str] = {}
        questionnaire: dict[str, str] = {}
        for assessment_id, kind, payload in rows:
            data = json.loads(payload)
            if kind == "status" and isinstance(data.get("to"), str):
                status[assessment_id] = data["to"]
            change = data.get("questionnaire") if kind == "header" else None
            if isinstance(change, dict) and isinstance(change.get("to"), str):
                questionnaire[assessment_id] = change["to"]
        known = set(
            column_values(
                conn,
                t.QuestionnaireVersion.sha256,
                t.QuestionnaireVersion.sha256.in_(sorted(set(questionnaire.values()))),
            )
        )
        for assessment_id, value in status.items():
            conn.execute(
                update(t.Assessment).where(t.Assessment.id == assessment_id).values(status=value)
            )
        for assessment_id, sha in questionnaire.items():
            if sha in known:
                conn.execute(
                    update(t.Assessment)
                    .where(t.Assessment.id == assessment_id)
                    .values(questionnaire_sha256=sha)
                )
