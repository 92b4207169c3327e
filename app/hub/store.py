"""The hub's behaviour, independent of HTTP: enroll, push, the feed, conflicts, forms, blobs.

`HubStore` methods take the device token and the city of the request and do everything inside
one transaction: authenticate (a revoked or unknown token -> 401), check the city against the
token's city (-> 403, before anything is read or written), then work. The FastAPI app
(`server.py`) is a thin layer over these methods, and the randomized convergence tests call them
in-process.

Push (RELIABILITY.md 2.4): the batch's `Idempotency-Key` must equal its `batch_id`. Under the city
row's lock: a batch seen before returns its stored response (or 422 when the body differs); each
op already applied by this device returns its stored result (`duplicate`); a record the city
already has with the same content is a `duplicate`, with different content it is quarantined;
an invalid record is quarantined with the reason and does not block the rest; valid records get
the next `change_seq` numbers of the city's feed.
"""

from __future__ import annotations

import hashlib
import json
import logging
import threading
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta
from typing import Any, cast

from sqlalchemy import Connection, bindparam, func, insert, select, update

from app.common.clock import iso_utc, new_id
from app.hub import security
from app.hub import tables as ht
from app.hub.checks import CityContext, FormCache
from app.hub.db import HubDB
from app.sync import merge, wire
from app.sync.wire import OpResult, Record, WireError

log = logging.getLogger("readiness.hub")

SEEN_EVERY = timedelta(minutes=5)


# Statements built once: building an expression costs far more than running it on an index.
_DEVICE_BY_TOKEN = select(
    ht.device.c.id,
    ht.device.c.city_id,
    ht.device.c.contributor,
    ht.device.c.local_device_id,
    ht.device.c.revoked_at,
    ht.device.c.last_seen_at,
).where(ht.device.c.token_hash == bindparam("digest"))
_DEVICE_SEEN = (
    update(ht.device)
    .where(ht.device.c.id == bindparam("device"))
    .values(last_seen_at=bindparam("seen"))
)
_STORED_BATCH = select(ht.push_batch.c.fingerprint, ht.push_batch.c.response).where(
    ht.push_batch.c.device_id == bindparam("device"),
    ht.push_batch.c.batch_id == bindparam("batch"),
)
_INSERT_BATCH = insert(ht.push_batch)
_INSERT_RECORD = insert(ht.record)
_LOCK_CITY = select(ht.city.c.change_seq).where(ht.city.c.id == bindparam("city")).with_for_update()
_CITY_HEAD = select(ht.city.c.change_seq).where(ht.city.c.id == bindparam("city"))
_PRIOR_OPS = select(
    ht.applied_op.c.op_id,
    ht.applied_op.c.status,
    ht.applied_op.c.change_seq,
    ht.applied_op.c.reason,
    ht.applied_op.c.flags,
).where(
    ht.applied_op.c.device_id == bindparam("device"),
    ht.applied_op.c.op_id.in_(bindparam("ops", expanding=True)),
)
_TAKE_SEQS = (
    update(ht.city)
    .where(ht.city.c.id == bindparam("city"))
    .values(change_seq=ht.city.c.change_seq + bindparam("count"))
    .returning(ht.city.c.change_seq)
)
_FEED_PAGE = (
    select(
        ht.record.c.change_seq,
        ht.record.c.kind,
        ht.record.c.record_id,
        ht.record.c.body,
        ht.record.c.flags,
        ht.device.c.local_device_id,  # who really sent it (None: the coordinator's import)
    )
    .select_from(ht.record.outerjoin(ht.device, ht.device.c.id == ht.record.c.device_id))
    .where(ht.record.c.city_id == bindparam("city"), ht.record.c.change_seq > bindparam("since"))
    .order_by(ht.record.c.change_seq)
    .limit(bindparam("limit"))
)


class HubError(Exception):
    """A refusal with its HTTP status; `detail` never names another city's data."""

    def __init__(
        self, status: int, detail: str, code: str = "", retry_after: float | None = None
    ) -> None:
        super().__init__(detail)
        self.status = status
        self.detail = detail
        self.code = code
        self.retry_after = retry_after


@dataclass(frozen=True)
class Device:
    id: str
    city_id: str
    contributor: str
    last_seen_at: str | None
    local_device_id: str = ""  # the id the laptop writes into its records


@dataclass
class _Item:
    op_id: str | None
    record: Record | None
    raw: Any
    problem: str | None


class HubStore:
    def __init__(self, db: HubDB, forms: FormCache | None = None) -> None:
        self.db = db
        self.form_cache = forms or FormCache()
        self._inflight: set[tuple[str, str]] = set()
        self._lock = threading.Lock()
        # Test seam: called with the (device, batch) key once a push is registered in flight.
        self.push_hook: Callable[[tuple[str, str]], None] | None = None

    # -- authentication ------------------------------------------------------------------------

    def _authenticate(self, conn: Connection, token: str | None, city_id: str | None) -> Device:
        if not token:
            raise HubError(401, "a device token is required (Authorization: Bearer ...)")
        digest = security.token_hash(token)
        self.db.scope(conn, token_hash=digest)
        row = conn.execute(_DEVICE_BY_TOKEN, {"digest": digest}).first()
        if row is None or row.revoked_at is not None:
            raise HubError(401, "unknown or revoked device token")
        if city_id is not None and row.city_id != city_id:
            raise HubError(403, "this device is not enrolled in that city")
        self.db.scope(conn, city_id=row.city_id)
        return Device(
            row.id, row.city_id, row.contributor, row.last_seen_at, row.local_device_id or ""
        )

    def _seen(self, conn: Connection, device: Device) -> None:
        now = datetime.now(UTC)
        if device.last_seen_at:
            last = datetime.strptime(device.last_seen_at, "%Y-%m-%dT%H:%M:%SZ").replace(tzinfo=UTC)
            if now - last < SEEN_EVERY:
                return
        conn.execute(_DEVICE_SEEN, {"device": device.id, "seen": iso_utc(now)})

    def authenticate(self, token: str | None, city_id: str | None = None) -> Device:
        with self.db.read() as conn:
            return self._authenticate(conn, token, city_id)

    # -- enrollment ----------------------------------------------------------------------------

    def enroll(
        self, code: str, device_name: str, local_device_id: str, public_key: str | None = None
    ) -> dict[str, Any]:
        """Trade a valid, unused, unexpired code for a new device token (401 otherwise)."""
        digest = security.code_hash(code)
        now = iso_utc()
        refused = HubError(
            401, "the enrollment code is not valid (unknown, already used or expired)"
        )
        with self.db.write() as conn:
            self.db.scope(conn, code_hash=digest)
            c = ht.enrollment_code.c
            row = conn.execute(
                select(c.city_id, c.contributor, c.expires_at, c.used_at).where(
                    c.code_hash == digest
                )
            ).first()
            if row is None or row.used_at is not None or row.expires_at <= now:
                raise refused
            self.db.scope(conn, city_id=row.city_id)
            self._claim_local_id(conn, row.city_id, row.contributor, local_device_id, now)
            token = security.new_token()
            device_id = new_id()
            used = conn.execute(
                update(ht.enrollment_code)
                .where(c.code_hash == digest, c.used_at.is_(None))
                .values(used_at=now, device_id=device_id)
            )
            if used.rowcount != 1:
                raise refused
            conn.execute(
                insert(ht.device).values(
                    id=device_id,
                    city_id=row.city_id,
                    contributor=row.contributor,
                    device_name=device_name,
                    local_device_id=local_device_id,
                    public_key=public_key,
                    token_hash=security.token_hash(token),
                    created_at=now,
                    last_seen_at=now,
                )
            )
            city = conn.execute(
                select(ht.city.c.id, ht.city.c.name, ht.city.c.country).where(
                    ht.city.c.id == row.city_id
                )
            ).one()
        log.info("device %s enrolled in city %s", device_id, city.id)
        return {
            "token": token,
            "device_id": device_id,
            "city": {"id": city.id, "name": city.name, "country": city.country},
            "contributor": row.contributor,
        }

    @staticmethod
    def _claim_local_id(
        conn: Connection, city_id: str, contributor: str, local_device_id: str, now: str
    ) -> None:
        """A laptop id belongs to one active device of a city: records are bound to it. The same
        person enrolling the same laptop again replaces the old token; anyone else is refused."""
        if not local_device_id:
            return
        d = ht.device.c
        holders = conn.execute(
            select(d.id, d.contributor).where(
                d.city_id == city_id, d.local_device_id == local_device_id, d.revoked_at.is_(None)
            )
        ).all()
        if any(h.contributor != contributor for h in holders):
            raise HubError(
                409,
                "this laptop is already enrolled in the city for another contributor; the "
                "coordinator must revoke that device first (hub revoke DEVICE)",
                "device_taken",
            )
        for holder in holders:
            conn.execute(update(ht.device).where(d.id == holder.id).values(revoked_at=now))
            log.info("device %s replaced by a new enrollment of the same laptop", holder.id)

    # -- push ----------------------------------------------------------------------------------

    def push(self, token: str | None, city_id: str, body: bytes, key: str | None) -> dict[str, Any]:
        if not token:
            raise HubError(401, "a device token is required (Authorization: Bearer ...)")
        if not key:
            self.authenticate(token, city_id)
            raise HubError(422, "the Idempotency-Key header is required", "idempotency_key_missing")
        # The same token with the same key while that batch is being applied: 409.
        flight = (security.token_hash(token), key[:200])
        with self._lock:
            if flight in self._inflight:
                raise HubError(
                    409, "this batch is already being applied; retry shortly", "in_progress", 1.0
                )
            self._inflight.add(flight)
        try:
            if self.push_hook is not None:
                self.push_hook(flight)
            with self.db.write() as conn:
                device = self._authenticate(conn, token, city_id)
                request, fingerprint = _parse_push(body, key, city_id)
                self._lock_city(conn, city_id)
                stored = conn.execute(
                    _STORED_BATCH, {"device": device.id, "batch": request.batch_id}
                ).first()
                if stored is not None:
                    if stored.fingerprint != fingerprint:
                        raise HubError(
                            422,
                            "this batch id was used before with a different body",
                            "idempotency_mismatch",
                        )
                    return _replayed(json.loads(stored.response))
                items = [_Item(op.op_id, op.record, op.raw, op.problem) for op in request.ops]
                results = self._apply(conn, city_id, device, items)
                response = {"batch_id": request.batch_id, "results": [r.to_json() for r in results]}
                conn.execute(
                    _INSERT_BATCH,
                    {
                        "device_id": device.id,
                        "batch_id": request.batch_id,
                        "city_id": city_id,
                        "fingerprint": fingerprint,
                        "response": wire.canonical_json(response),
                        "created_at": iso_utc(),
                    },
                )
                self._seen(conn, device)
        finally:
            with self._lock:
                self._inflight.discard(flight)
        counts = {s: sum(1 for r in results if r.status == s) for s in wire.OP_STATUSES}
        log.info("push from device %s: %s", device.id, counts)
        return response

    def _lock_city(self, conn: Connection, city_id: str) -> int:
        # The row lock serialises writers per city, so change_seq values commit in order.
        row = conn.execute(_LOCK_CITY, {"city": city_id}).first()
        if row is None:
            raise HubError(404, "no such city")
        return int(row[0])

    def _apply(
        self,
        conn: Connection,
        city_id: str,
        device: Device | None,
        items: Sequence[_Item],
        signer: str | None = None,
    ) -> list[OpResult]:
        """Validate and store items (under the city lock); one result per item, in order.

        `device` is the pushing device (from its token), None for the coordinator's import of a
        bundle signed by the laptop `signer`; either is the sender the identity rules bind to."""
        now = iso_utc()
        device_id = device.id if device is not None else None
        sender = device.local_device_id if device is not None else signer
        ctx = CityContext(conn, city_id, self.form_cache, sender=sender)
        ctx.preload([i.record for i in items if i.record is not None])
        prior = self._prior_ops(conn, device_id, [i.op_id for i in items if i.op_id])
        results: list[OpResult | None] = []
        accepted: list[tuple[int, Record, tuple[str, ...]]] = []
        in_batch: dict[tuple[str, str], tuple[str, int]] = {}  # key -> (fingerprint, index)
        followers: list[tuple[int, int]] = []  # (result index, index of the accepted one)
        refused: list[tuple[int, _Item, str]] = []
        for item in items:
            index = len(results)
            if item.op_id and item.op_id in prior:
                results.append(prior[item.op_id])
                continue
            record = item.record
            if record is None:
                refused.append((index, item, item.problem or "malformed record"))
                results.append(None)
                continue
            key = (record.kind, record.id)
            fp = record.fingerprint
            if key in ctx.existing or key in in_batch:
                first_fp, where = ctx.existing.get(key) or in_batch[key]
                if first_fp != fp:
                    refused.append(
                        (index, item, "a different record with this id is already in this city")
                    )
                    results.append(None)
                elif key in ctx.existing:
                    results.append(OpResult(item.op_id or "", "duplicate", where))
                else:
                    followers.append((index, where))
                    results.append(None)
                continue
            reason, flags = ctx.check(record)
            if reason:
                refused.append((index, item, reason))
                results.append(None)
                continue
            ctx.accept(record)
            in_batch[key] = (fp, len(accepted))
            accepted.append((index, record, flags))
            results.append(None)
        seqs = self._take_seqs(conn, city_id, len(accepted))
        rows = []
        for (index, record, flags), seq in zip(accepted, seqs, strict=True):
            results[index] = OpResult(items[index].op_id or "", "applied", seq, None, flags)
            rows.append(
                {
                    "city_id": city_id,
                    "kind": record.kind,
                    "record_id": record.id,
                    "change_seq": seq,
                    "body": record.canonical,
                    "fingerprint": record.fingerprint,
                    "assessment_id": record.body.get("assessment_id")
                    if record.kind in ("assessment_event", "revision")
                    else (record.id if record.kind == "assessment" else None),
                    "device_id": device_id,
                    "flags": ",".join(flags) or None,
                    "received_at": now,
                }
            )
        for index, first in followers:
            results[index] = OpResult(items[index].op_id or "", "duplicate", seqs[first])
        for index, item, reason in refused:
            results[index] = OpResult(item.op_id or "", "quarantined", None, reason)
        if rows:
            conn.execute(_INSERT_RECORD, rows)
        if refused:
            conn.execute(
                insert(ht.quarantine),
                [
                    {
                        "city_id": city_id,
                        "device_id": device_id,
                        "op_id": item.op_id,
                        "kind": item.record.kind if item.record else None,
                        "record_id": item.record.id if item.record else None,
                        "payload": _payload_text(item),
                        "reason": reason,
                        "received_at": now,
                    }
                    for _index, item, reason in refused
                ],
            )
        final = [r for r in results if r is not None]
        assert len(final) == len(items)
        if device_id is not None:
            fresh = [
                (i, r)
                for i, r in zip(items, final, strict=True)
                if i.op_id and i.op_id not in prior
            ]
            if fresh:
                conn.execute(
                    insert(ht.applied_op),
                    [
                        {
                            "device_id": device_id,
                            "op_id": item.op_id,
                            "city_id": city_id,
                            "status": r.status,
                            "change_seq": r.change_seq,
                            "reason": r.reason,
                            "flags": ",".join(r.flags) or None,
                            "created_at": now,
                        }
                        for item, r in fresh
                    ],
                )
        return final

    def _prior_ops(
        self, conn: Connection, device_id: str | None, op_ids: list[str]
    ) -> dict[str, OpResult]:
        if device_id is None or not op_ids:
            return {}
        found: dict[str, OpResult] = {}
        for start in range(0, len(op_ids), 500):
            rows = conn.execute(
                _PRIOR_OPS, {"device": device_id, "ops": op_ids[start : start + 500]}
            )
            for op_id, status, seq, reason, flags in rows:
                again = "quarantined" if status == "quarantined" else "duplicate"
                found[op_id] = OpResult(
                    op_id, again, seq, reason, tuple(filter(None, (flags or "").split(",")))
                )
        return found

    def _take_seqs(self, conn: Connection, city_id: str, count: int) -> list[int]:
        if count == 0:
            return []
        end = conn.execute(_TAKE_SEQS, {"city": city_id, "count": count}).scalar_one()
        return list(range(int(end) - count + 1, int(end) + 1))

    def import_records(
        self, city_id: str, records: Sequence[Record], signer: str | None = None
    ) -> list[OpResult]:
        """Apply records from a bundle signed by the laptop `signer` (hub admin import): the
        same checks as a push from that laptop."""
        with self.db.write() as conn:
            self.db.scope(conn, city_id=city_id)
            self._lock_city(conn, city_id)
            items = [_Item(None, r, None, None) for r in records]
            return self._apply(conn, city_id, None, items, signer)

    # -- the feed ------------------------------------------------------------------------------

    def changes(self, token: str | None, city_id: str, since: int, limit: int) -> str:
        """One page of the city's feed as JSON text: records with change_seq > since."""
        limit = max(1, min(limit, wire.MAX_PAGE))
        with self.db.read() as conn:
            device = self._authenticate(conn, token, city_id)
            rows = conn.execute(
                _FEED_PAGE, {"city": city_id, "since": since, "limit": limit + 1}
            ).all()
            if not rows and since > 0:
                head = conn.execute(_CITY_HEAD, {"city": city_id}).scalar_one()
                if since > int(head):
                    # A laptop ahead of the feed: the hub was restored from an older backup.
                    raise HubError(
                        409,
                        "the pull cursor is ahead of this hub's feed (restored from a backup?); "
                        "read the feed again from the start",
                        "cursor_ahead",
                    )
        if device.last_seen_at is None or _stale(device.last_seen_at):
            with self.db.write() as conn:
                self._seen(conn, self._authenticate(conn, token, city_id))
        has_more = len(rows) > limit
        rows = rows[:limit]
        parts = []
        for seq, kind, record_id, body, flags, sender in rows:
            extra = ""
            if flags:
                extra = ',"flags":' + json.dumps(flags.split(","))
            if sender:
                extra += ',"sent_by":' + json.dumps(sender)
            parts.append(
                f'{{"seq":{int(seq)},"kind":{json.dumps(kind)},"id":{json.dumps(record_id)},'
                f'"body":{body}{extra}}}'
            )
        next_since = int(rows[-1][0]) if rows else since
        return (
            f'{{"records":[{",".join(parts)}],"next_since":{next_since},'
            f'"has_more":{"true" if has_more else "false"}}}'
        )

    def conflicts(self, token: str | None, city_id: str) -> dict[str, Any]:
        """Answers whose heads hold different values, computed from the revision DAG."""
        r = ht.record.c
        with self.db.read() as conn:
            self._authenticate(conn, token, city_id)
            bodies = [
                json.loads(text)
                for (text,) in conn.execute(
                    select(r.body).where(r.city_id == city_id, r.kind == "revision")
                )
            ]
        nodes = [
            (
                merge.Node(b["id"], tuple(b["parents"]), b["hlc"], b["device_id"], None),
                b,
            )
            for b in bodies
        ]
        by_id = {n.id: b for n, b in nodes}
        found = merge.conflicts(
            [n for n, _b in nodes],
            key_of=lambda n: tuple(
                by_id[n.id][k] for k in ("assessment_id", "indicator_id", "subject")
            ),
            value_of=lambda n: (by_id[n.id]["state"], merge._hashable(by_id[n.id]["value"])),
        )
        items = []
        for found_key, state in sorted(found.items(), key=lambda item: str(item[0])):
            key = cast(tuple[str, str, str], found_key)
            items.append(
                {
                    "assessment_id": key[0],
                    "indicator_id": key[1],
                    "subject": key[2],
                    "winner": state.winner.id,
                    "heads": [
                        {
                            "revision_id": h.id,
                            "state": by_id[h.id]["state"],
                            "value": by_id[h.id]["value"],
                            "hlc": h.hlc,
                            "device_id": h.device_id,
                        }
                        for h in state.heads
                    ],
                }
            )
        return {"conflicts": items}

    def device_keys(self, token: str | None, city_id: str) -> dict[str, Any]:
        """The public signing keys of the city's active laptops, by their own device id."""
        d = ht.device.c
        with self.db.read() as conn:
            self._authenticate(conn, token, city_id)
            rows = conn.execute(
                select(d.local_device_id, d.public_key).where(
                    d.city_id == city_id, d.revoked_at.is_(None), d.public_key.is_not(None)
                )
            ).all()
        return {"devices": {r[0]: r[1] for r in rows if r[0]}}

    # -- forms and blobs -----------------------------------------------------------------------

    def forms(self, token: str | None, city_id: str) -> dict[str, Any]:
        f = ht.form.c
        with self.db.read() as conn:
            self._authenticate(conn, token, city_id)
            rows = conn.execute(
                select(
                    f.form_id, f.version, f.sha256, func.length(f.body), f.published_at
                ).order_by(f.form_id, f.published_at)
            ).all()
        return {
            "forms": [
                {
                    "id": r[0],
                    "version": r[1],
                    "sha256": r[2],
                    "size": int(r[3]),
                    "published_at": r[4],
                }
                for r in rows
            ]
        }

    def form_body(self, token: str | None, city_id: str, sha256: str) -> bytes:
        with self.db.read() as conn:
            self._authenticate(conn, token, city_id)
            body = conn.execute(select(ht.form.c.body).where(ht.form.c.sha256 == sha256)).scalar()
        if body is None:
            raise HubError(404, "no such form")
        return bytes(body)

    def put_blob(self, token: str | None, city_id: str, sha256: str, data: bytes) -> dict[str, Any]:
        if not wire.SHA_RE.match(sha256):
            self.authenticate(token, city_id)
            raise HubError(404, "no such content")
        if not wire.blob_sha_ok(data, sha256):
            self.authenticate(token, city_id)
            raise HubError(422, "the content does not match its SHA-256", "hash_mismatch")
        with self.db.write() as conn:
            device = self._authenticate(conn, token, city_id)
            b = ht.blob.c
            exists = conn.execute(
                select(b.size).where(b.city_id == city_id, b.sha256 == sha256)
            ).first()
            if exists is None:
                conn.execute(
                    insert(ht.blob).values(
                        city_id=city_id,
                        sha256=sha256,
                        size=len(data),
                        content=data,
                        received_at=iso_utc(),
                    )
                )
            self._seen(conn, device)
        return {"sha256": sha256, "size": len(data), "stored": exists is None}

    def get_blob(self, token: str | None, city_id: str, sha256: str) -> bytes:
        with self.db.read() as conn:
            self._authenticate(conn, token, city_id)
            data = conn.execute(
                select(ht.blob.c.content).where(
                    ht.blob.c.city_id == city_id, ht.blob.c.sha256 == sha256
                )
            ).scalar()
        if data is None:
            raise HubError(404, "no such content")
        return bytes(data)


def _parse_push(body: bytes, key: str, city_id: str) -> tuple[wire.PushRequest, str]:
    try:
        document = wire.loads(body, "push")
        request = wire.check_push(document)
    except WireError as exc:
        raise HubError(422, str(exc), "invalid_batch") from None
    if key != request.batch_id:
        raise HubError(
            422, "the Idempotency-Key header must equal batch_id", "idempotency_key_mismatch"
        )
    if request.city_id != city_id or any(op.city_id != city_id for op in request.ops):
        raise HubError(403, "the batch names another city than the one in the URL")
    return request, hashlib.sha256(body).hexdigest()  # a retry sends the very same bytes


def _replayed(response: dict[str, Any]) -> dict[str, Any]:
    """A stored batch response sent again: what was applied then is a duplicate now."""
    for result in response.get("results", []):
        if result.get("status") == "applied":
            result["status"] = "duplicate"
    return response


def _stale(moment: str) -> bool:
    try:
        last = datetime.strptime(moment, "%Y-%m-%dT%H:%M:%SZ").replace(tzinfo=UTC)
    except ValueError:
        return True
    return datetime.now(UTC) - last >= SEEN_EVERY


def _payload_text(item: _Item) -> str:
    document = item.record.envelope() if item.record is not None else item.raw
    try:  # escaped to ASCII: a refused record may hold text no UTF-8 column can keep
        text = json.dumps(document, sort_keys=True, separators=(",", ":"), allow_nan=False)
    except (TypeError, ValueError):
        text = json.dumps(str(document))
    return text[:2_000_000]
