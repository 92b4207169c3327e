"""The laptop's database as the sync loop's `Replica`: outbox batches out, feed pages in.

Every method is its own unit of work. A pulled page, the heads it changes and the new cursor are
written in ONE transaction, so an interrupted pull only means the page is fetched again. Heads
are computed with the one merge rule (`app.sync.merge.heads`).
"""

from __future__ import annotations

import hashlib
from collections.abc import Iterable, Mapping, Sequence
from typing import Any

from app.common.clock import new_id, physical_ms, too_far_ahead
from app.common.errors import StorageError
from app.services.workspace import Workspace
from app.sync import merge
from app.sync.engine import OutBatch, OutOp, PageApplied, op_size
from app.sync.wire import OpResult, Page, Record


class WorkspaceReplica:
    """One data folder, replicating one hub city (the pull cursor's scope)."""

    def __init__(self, ws: Workspace, city_id: str) -> None:
        self.ws = ws
        self.city_id = city_id
        self.set_aside = 0  # ops quarantined here (never sent) during this run

    # -- outgoing ------------------------------------------------------------------------------

    def pending_count(self) -> int:
        from app.storage import sync_repo

        with self.ws.read() as conn:
            return sync_repo.pending_count(conn)

    def next_batch(
        self, max_ops: int, max_bytes: int, exclude: frozenset[str] = frozenset()
    ) -> OutBatch | None:
        """The oldest batch already formed (not in `exclude`: in flight), else a new one."""
        from app.storage import sync_repo

        while True:
            with self.ws.write() as conn:
                rows = sync_repo.open_batch(conn, exclude)
                fresh = not rows
                if fresh:
                    rows = sync_repo.unbatched(conn, max_ops)
                if not rows:
                    return None
                batch_id = new_id() if fresh else str(rows[0].batch_id)
                bodies = sync_repo.record_bodies(conn, [(r.record_kind, r.record_id) for r in rows])
                ops: list[OutOp] = []
                problems: dict[str, str] = {}
                size = 0
                for row in rows:
                    body = bodies.get((row.record_kind, row.record_id))
                    if body is None:
                        problems[row.op_id] = f"{row.record_kind} {row.record_id} is missing here"
                        continue
                    # The hub checks every record; here only what would break the batch itself.
                    record = Record(row.record_kind, row.record_id, body)
                    try:
                        record.canonical  # noqa: B018 - computed now: NaN or the like is refused here
                    except ValueError as exc:
                        problems[row.op_id] = f"cannot be sent: {exc}"
                        continue
                    op = OutOp(row.op_id, record)
                    if fresh:
                        size += op_size(op, self.city_id)
                        if ops and size > max_bytes:
                            break
                    ops.append(op)
                if problems:
                    sync_repo.mark_quarantined(conn, problems)
                    self.set_aside += len(problems)
                if ops and fresh:
                    sync_repo.set_batch(conn, [o.op_id for o in ops], batch_id, self.ws.now())
            if ops:
                return OutBatch(batch_id, self.city_id, tuple(ops))

    def rebatch(self, batch: OutBatch, parts: int) -> None:
        from app.storage import sync_repo

        size = max(1, -(-len(batch.ops) // parts))
        with self.ws.write() as conn:
            for start in range(0, len(batch.ops), size):
                chunk = batch.ops[start : start + size]
                sync_repo.set_batch(conn, [o.op_id for o in chunk], new_id(), self.ws.now())

    def record_results(self, batch: OutBatch, results: Sequence[OpResult]) -> None:
        from app.storage import outbox, sync_repo

        done = [r.op_id for r in results if r.status in ("applied", "duplicate")]
        refused = {
            r.op_id: r.reason or "refused by the hub" for r in results if r.status == "quarantined"
        }
        applied = sorted(r.change_seq for r in results if r.status == "applied" and r.change_seq)
        with self.ws.write() as conn:
            sync_repo.mark_acked(conn, done)
            sync_repo.mark_quarantined(conn, refused)
            outbox.note_push_ok(conn, self.city_id, self.ws.now())
            cursor = outbox.get_cursor(conn, self.city_id)
            if applied and applied == list(range(cursor + 1, cursor + len(applied) + 1)):
                # The feed's next entries are exactly what we just sent: no need to pull them back.
                outbox.set_cursor(conn, self.city_id, applied[-1], self.ws.now())

    def quarantine_local(self, op: OutOp, reason: str) -> None:
        from app.storage import sync_repo

        with self.ws.write() as conn:
            sync_repo.mark_quarantined(conn, {op.op_id: reason})

    def note_failure(self, batch: OutBatch, error: str) -> None:
        from app.storage import sync_repo

        with self.ws.write() as conn:
            sync_repo.count_attempt(conn, batch.batch_id, error[:500], self.ws.now())

    # -- contents (questionnaire files and attachments) -----------------------------------------

    def blob(self, kind: str, sha256: str) -> bytes:
        if kind == "questionnaire":
            from app.storage import catalog

            with self.ws.read() as conn:
                body = catalog.questionnaire_body(conn, sha256)
            if body is None:
                raise StorageError(f"questionnaire {sha256[:12]} is missing from the database")
            return bytes(body)
        path = self.ws.paths.attachments / sha256
        try:
            data = path.read_bytes()
        except OSError as exc:
            raise StorageError(f"attachment {path} cannot be read: {exc.strerror}") from None
        if hashlib.sha256(data).hexdigest() != sha256:
            raise StorageError(f"attachment {path} is damaged (its content changed)")
        return data

    def has_blob(self, kind: str, sha256: str) -> bool:
        if kind == "questionnaire":
            from app.storage import sync_inbox

            with self.ws.read() as conn:
                return bool(sync_inbox.existing(conn, "questionnaire", [sha256]))
        return (self.ws.paths.attachments / sha256).is_file()

    def store_attachment(self, sha256: str, data: bytes) -> None:
        store_attachment(self.ws, sha256, data)

    # -- incoming ------------------------------------------------------------------------------

    def cursor(self) -> int:
        from app.storage import outbox

        with self.ws.read() as conn:
            return outbox.get_cursor(conn, self.city_id)

    def apply_page(self, page: Page, blobs: Mapping[tuple[str, str], bytes]) -> PageApplied:
        from app.storage import outbox, sync_inbox

        broken = [e for e in page.entries if e.record is None]
        with self.ws.write() as conn:
            now = self.ws.now()
            applied = apply_records(self.ws, conn, page.records, blobs, source="hub")
            if broken:
                sync_inbox.keep_rejected(
                    conn,
                    [(_kind(e.raw), _rid(e.raw, e.seq), e.problem or "", e.raw) for e in broken],
                    source="hub",
                    now=now,
                )
            outbox.set_cursor(conn, self.city_id, page.next_since, now)
        return PageApplied(applied.total, len(applied.rejected) + len(broken))

    def conflicts(self) -> int:
        with self.ws.read() as conn:
            return count_conflicts(conn)


def apply_records(
    ws: Workspace,
    conn: Any,
    records: Iterable[Record],
    blobs: Mapping[tuple[str, str], bytes],
    *,
    source: str,
) -> Any:
    """Insert checked records in the caller's transaction, then recompute the touched heads."""
    from app.storage import sync_inbox

    attachments = ws.paths.attachments
    applied = sync_inbox.insert_records(
        conn,
        [(r.kind, r.id, r.body) for r in records],
        blobs,
        origin="remote",
        source=source,
        now=ws.now(),
        attachment_present=lambda sha: (attachments / sha).is_file(),
    )
    if applied.touched_keys:
        revisions = sync_inbox.key_revisions(conn, applied.touched_keys)
        sync_inbox.replace_heads(
            conn, {key: [r.id for r in merge.heads(revs)] for key, revs in revisions.items()}
        )
    # Move this laptop's clock past what it received, never to a clock too far in the future.
    now = physical_ms()
    acceptable = [h for h in applied.hlcs if not too_far_ahead(h, now)]
    if acceptable:
        ws.clock.observe(max(acceptable))
    return applied


def count_conflicts(conn: Any, assessment_id: str | None = None) -> int:
    """Answer keys whose heads hold different answers (state and value)."""
    from app.storage import sync_inbox

    return sum(
        1
        for key, heads in sync_inbox.conflicted_heads(conn).items()
        if (assessment_id is None or key[0] == assessment_id) and len(set(heads)) > 1
    )


def store_attachment(ws: Workspace, sha256: str, data: bytes) -> None:
    """Keep received attachment content under its SHA-256 (checked), written atomically."""
    from app.common.fileio import atomic_write

    if hashlib.sha256(data).hexdigest() != sha256:
        raise StorageError(f"attachment {sha256[:12]} arrived damaged")
    target = ws.paths.attachments / sha256
    if target.is_file() and target.stat().st_size == len(data):
        return
    ws.paths.attachments.mkdir(parents=True, exist_ok=True)
    with atomic_write(target) as handle:
        handle.write(data)


def _kind(raw: Any) -> str:
    kind = raw.get("kind") if isinstance(raw, dict) else None
    return kind if isinstance(kind, str) else "unknown"


def _rid(raw: Any, seq: int) -> str:
    record_id = raw.get("id") if isinstance(raw, dict) else None
    return record_id if isinstance(record_id, str) else f"seq-{seq}"
