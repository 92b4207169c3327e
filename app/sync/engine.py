"""The resumable sync loop: push the outbox, then pull the city's feed (RELIABILITY.md 2.5).

It talks to two ports: a `Replica` (the laptop's database, implemented by the sync service) and a
`Hub` (the HTTP client, or an in-process hub in tests). Every step can fail and be retried without
harm: a batch keeps its id (the idempotency key) across retries, ops are acknowledged only from a
hub response, and each pulled page is applied together with its cursor. Transient failures are
retried with exponential backoff and full jitter; after the last attempt the hub counts as
unreachable and everything unsent stays queued for the next run.
"""

from __future__ import annotations

import functools
import random
import time
from collections.abc import Callable, Mapping, Sequence
from concurrent.futures import Executor, Future, ThreadPoolExecutor
from dataclasses import dataclass, field
from typing import Protocol, TypeVar

from app.sync import wire
from app.sync.errors import (
    BatchRejected,
    BatchTooLarge,
    CursorAhead,
    HubRefused,
    HubUnreachable,
    KeyMismatch,
    TransientError,
)
from app.sync.wire import OpResult, Page, Record

MAX_BATCH_BYTES = 900 * 1024  # stays under the hub's 1 MiB body limit with the frame around it
PAGE_LIMIT = 1000

Progress = Callable[[str, int, int | None], None]  # (phase, done, total or None)
Cancel = Callable[[], bool]
T = TypeVar("T")


@dataclass(frozen=True)
class OutOp:
    op_id: str
    record: Record

    def to_json(self, city_id: str) -> dict[str, object]:
        return {"op_id": self.op_id, "city_id": city_id, "record": self.record.envelope()}

    def text(self, city_id: str) -> str:
        """The op as canonical JSON (keys sorted: city_id, op_id, record{body, id, kind})."""
        record = self.record
        return (
            f'{{"city_id":{_quote(city_id)},"op_id":{_quote(self.op_id)},"record":'
            f'{{"body":{record.canonical},"id":{_quote(record.id)},"kind":{_quote(record.kind)}}}}}'
        )


def _quote(text: str) -> str:
    # Ids and kinds are checked to hold only [A-Za-z0-9._:-], which JSON needs no escapes for.
    return f'"{text}"' if wire.ID_RE.match(text) else wire.canonical_json(text)


@dataclass(frozen=True)
class OutBatch:
    batch_id: str
    city_id: str
    ops: tuple[OutOp, ...]

    @functools.cached_property
    def body(self) -> bytes:
        """The exact bytes sent (canonical JSON); a retry sends the same bytes under the same key."""
        ops = ",".join(op.text(self.city_id) for op in self.ops)
        return (
            f'{{"batch_id":{_quote(self.batch_id)},"city_id":{_quote(self.city_id)},"ops":[{ops}]}}'
        ).encode()

    @property
    def op_ids(self) -> list[str]:
        return [op.op_id for op in self.ops]


def op_size(op: OutOp, city_id: str) -> int:
    """The op's size in a batch body (ids are ASCII, so only the body text needs encoding)."""
    return (
        len(op.record.canonical.encode("utf-8"))
        + len(op.op_id)
        + len(op.record.id)
        + len(city_id)
        + 70
    )


@dataclass(frozen=True)
class PageApplied:
    added: int  # records new to this replica
    rejected: int  # records set aside with a reason


class Replica(Protocol):
    def pending_count(self) -> int: ...
    def next_batch(
        self, max_ops: int, max_bytes: int, exclude: frozenset[str] = frozenset()
    ) -> OutBatch | None: ...
    def rebatch(self, batch: OutBatch, parts: int) -> None: ...
    def record_results(self, batch: OutBatch, results: Sequence[OpResult]) -> None: ...
    def quarantine_local(self, op: OutOp, reason: str) -> None: ...
    def note_failure(self, batch: OutBatch, error: str) -> None: ...
    def blob(self, kind: str, sha256: str) -> bytes: ...
    def has_blob(self, kind: str, sha256: str) -> bool: ...
    def store_attachment(self, sha256: str, data: bytes) -> None: ...
    def cursor(self) -> int: ...
    def apply_page(self, page: Page, blobs: Mapping[tuple[str, str], bytes]) -> PageApplied: ...
    def conflicts(self) -> int: ...


class Hub(Protocol):
    def push(self, batch: OutBatch) -> list[OpResult]: ...
    def changes(self, since: int, limit: int) -> Page: ...
    def put_blob(self, kind: str, sha256: str, data: bytes) -> None: ...
    def get_blob(self, kind: str, sha256: str) -> bytes: ...


@dataclass(frozen=True)
class RetryPolicy:
    attempts: int = 5
    base: float = 0.5
    cap: float = 8.0

    def delay(self, attempt: int, rng: random.Random, retry_after: float | None) -> float:
        """Full jitter: uniform(0, min(cap, base * 2**attempt)), never before Retry-After."""
        ceiling = min(self.cap, self.base * (2**attempt))
        return max(rng.uniform(0, ceiling), min(retry_after or 0.0, self.cap))


@dataclass
class SyncResult:
    pushed: int = 0
    pulled: int = 0
    conflicts: int = 0
    quarantined: int = 0
    cancelled: bool = False
    flagged: int = 0  # stored by the hub but flagged (e.g. answers to retired questions)
    refused: int = 0  # of `quarantined`: this laptop's own changes refused (`sync now` exit 4)

    def to_json(self) -> dict[str, int]:
        return {
            "pushed": self.pushed,
            "pulled": self.pulled,
            "conflicts": self.conflicts,
            "quarantined": self.quarantined,
        }


@dataclass
class SyncLoop:
    replica: Replica
    hub: Hub
    policy: RetryPolicy = field(default_factory=RetryPolicy)
    sleep: Callable[[float], None] = time.sleep
    rng: random.Random = field(default_factory=random.Random)
    progress: Progress | None = None
    cancel: Cancel | None = None
    page_limit: int = PAGE_LIMIT
    max_batch_ops: int = wire.MAX_OPS
    max_batch_bytes: int = MAX_BATCH_BYTES
    hub_name: str = "the hub"
    # Runs the network calls; one worker thread by default (tests may run them inline).
    network: Callable[[], Executor] = functools.partial(
        ThreadPoolExecutor, max_workers=1, thread_name_prefix="sync-net"
    )
    _network: Executor = field(init=False, repr=False)

    def run(self) -> SyncResult:
        """Push, then pull. Network calls run on one worker thread so that the next batch is
        prepared (and the previous page applied) while the hub works; every database write stays
        on the calling thread."""
        result = SyncResult()
        with self.network() as network:
            self._network = network
            finished = self._push(result) and self._pull(result)
        result.cancelled = not finished
        result.conflicts = self.replica.conflicts()
        return result

    # -- push --------------------------------------------------------------------------------

    def _push(self, result: SyncResult) -> bool:
        """Batches go out one at a time and in order; while the hub works on one, the next is
        prepared, and it is sent as soon as the previous one is through (its results are then
        recorded while the hub already works on the next)."""
        total = self.replica.pending_count()
        if total == 0:
            return True
        done = 0
        mismatches = 0
        batch = self.replica.next_batch(self.max_batch_ops, self.max_batch_bytes)
        failures: list[str] = []
        sending = self._network.submit(self._send, batch, failures) if batch else None
        while batch is not None and sending is not None:
            upcoming = self.replica.next_batch(
                self.max_batch_ops, self.max_batch_bytes, frozenset({batch.batch_id})
            )
            try:
                results = sending.result()
            except (BatchTooLarge, BatchRejected) as exc:
                reason = (
                    "too large for the hub (over its size limit)"
                    if isinstance(exc, BatchTooLarge)
                    else f"refused by the hub: {exc}"
                )
                if self._split_or_quarantine(batch, reason):
                    result.quarantined += 1
                    result.refused += 1
                batch, sending, failures = self._restart(batch, failures)
                continue
            except KeyMismatch:
                mismatches += 1
                if mismatches > 3:
                    raise HubRefused(
                        f"{self.hub_name} keeps refusing this laptop's batches; "
                        "your changes are kept: try again later"
                    ) from None
                self.replica.rebatch(batch, 1)
                batch, sending, failures = self._restart(batch, failures)
                continue
            except HubUnreachable:
                self._note_failures(batch, failures)
                raise
            finished, finished_failures = batch, failures
            batch, sending, failures = upcoming, None, []
            if batch is not None and not self._cancelled():
                sending = self._network.submit(self._send, batch, failures)
            self._note_failures(finished, finished_failures)
            self.replica.record_results(finished, results)
            for item in results:
                if item.status == "quarantined":
                    result.quarantined += 1
                    result.refused += 1
                else:
                    result.pushed += 1
                    result.flagged += 1 if item.flags else 0
            done += len(finished.ops)
            self._report("push", done, total)
        return batch is None

    def _restart(
        self, failed: OutBatch, failures: list[str]
    ) -> tuple[OutBatch | None, Future[list[OpResult]] | None, list[str]]:
        """After a batch was split or renamed: start again from the oldest pending batch."""
        self._note_failures(failed, failures)
        batch = self.replica.next_batch(self.max_batch_ops, self.max_batch_bytes)
        fresh: list[str] = []
        if batch is None or self._cancelled():
            return batch, None, fresh
        return batch, self._network.submit(self._send, batch, fresh), fresh

    def _note_failures(self, batch: OutBatch, failures: list[str]) -> None:
        for failure in failures:
            self.replica.note_failure(batch, failure)

    def _send(self, batch: OutBatch, failures: list[str]) -> list[OpResult]:
        """On the network thread: upload the batch's contents, then the batch itself."""
        for op in batch.ops:
            if op.record.kind in wire.BLOB_KINDS:
                data = self.replica.blob(op.record.kind, op.record.id)
                self._retry(
                    functools.partial(self.hub.put_blob, op.record.kind, op.record.id, data)
                )
        return self._retry(lambda: self.hub.push(batch), failures.append)

    def _split_or_quarantine(self, batch: OutBatch, reason: str) -> bool:
        """Halve a refused batch; a single op that is still refused is set aside. True if so."""
        if len(batch.ops) > 1:
            self.replica.rebatch(batch, 2)
            return False
        self.replica.quarantine_local(batch.ops[0], reason)
        return True

    # -- pull --------------------------------------------------------------------------------

    def _pull(self, result: SyncResult) -> bool:
        try:
            return self._pull_from(self.replica.cursor(), result)
        except CursorAhead:
            # The hub lost the end of its feed (restored from a backup): read it all again;
            # records already here are skipped, so this is harmless.
            return self._pull_from(0, result)

    def _pull_from(self, since: int, result: SyncResult) -> bool:
        fetching: Future[tuple[Page, dict[tuple[str, str], bytes]]] | None
        fetching = self._network.submit(self._fetch, since)
        pages = 0
        while fetching is not None:
            if self._cancelled():
                return False
            page, blobs = fetching.result()
            fetching = None
            if page.has_more and page.next_since != since:
                fetching = self._network.submit(self._fetch, page.next_since)  # read ahead
            for (kind, sha256), data in blobs.items():
                if kind == "attachment":
                    self.replica.store_attachment(sha256, data)
            applied = self.replica.apply_page(page, blobs)
            result.pulled += applied.added
            result.quarantined += applied.rejected
            pages += 1
            self._report("pull", pages, None)
            since = page.next_since
        return True

    def _fetch(self, since: int) -> tuple[Page, dict[tuple[str, str], bytes]]:
        """On the network thread: one page and the contents its records need."""
        page = self._retry(lambda: self.hub.changes(since, self.page_limit))
        blobs: dict[tuple[str, str], bytes] = {}
        for record in page.records:
            if record.kind not in wire.BLOB_KINDS or self.replica.has_blob(record.kind, record.id):
                continue
            blobs[(record.kind, record.id)] = self._retry(
                functools.partial(self.hub.get_blob, record.kind, record.id)
            )
        return page, blobs

    # -- helpers -----------------------------------------------------------------------------

    def _retry(self, call: Callable[[], T], on_failure: Callable[[str], None] | None = None) -> T:
        last: TransientError | None = None
        for attempt in range(self.policy.attempts):
            if attempt:
                assert last is not None
                self.sleep(self.policy.delay(attempt - 1, self.rng, last.retry_after))
                if self._cancelled():
                    break
            try:
                return call()
            except TransientError as exc:
                last = exc
                if on_failure is not None:
                    on_failure(str(exc))
        reason = f" ({last})" if last else ""
        raise HubUnreachable(
            f"{self.hub_name} could not be reached{reason}; nothing was lost, unsent changes "
            "stay queued for the next sync"
        )

    def _cancelled(self) -> bool:
        return bool(self.cancel and self.cancel())

    def _report(self, phase: str, done: int, total: int | None) -> None:
        if self.progress is not None:
            self.progress(phase, done, total)
