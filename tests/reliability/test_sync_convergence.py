"""Randomized convergence (Jepsen-lite) and clock chaos: RELIABILITY.md tests 15 and 16.

In-process, as DESIGN.md 11 asks: the real sync loop (`app.sync.engine.SyncLoop`), the real merge
and wire code, and the real hub (`app.hub.store.HubStore` on SQLite) talk through a faulty
in-process transport that loses requests, loses responses, delivers pushes twice and loses pull
pages. The laptops are in-memory replicas that follow the same contract as the database replica
(`app.services.sync_replica`), which the HTTP tests cover.

Each schedule: a fresh city with 3 devices; device 0 creates the assessment and everyone pulls it;
then random edits, resolutions and syncs under faults; then a quiet, fault-free phase. Expect: all
replicas hold exactly the server's records, every revision ever saved is on the server, and every
replica shows the same heads, provisional winner and conflict flags as the server's DAG.

A fourth, adversarial device of the same city pushes now and then: far-future clocks, revisions
"by" an honest device's contributor, revisions in an honest device's name. Every one of them is
quarantined, and nothing honest is.
"""

from __future__ import annotations

import random
import time
from collections import Counter
from collections.abc import Mapping, Sequence
from concurrent.futures import Executor, Future
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import pytest
from sqlalchemy import event, insert, select

from app.common.clock import MAX_SKEW_MS, HybridClock, format_hlc, iso_utc, new_id, parse_hlc
from app.common.errors import HubUnreachable
from app.hub import security
from app.hub import tables as ht
from app.hub.db import HubDB
from app.hub.store import HubError, HubStore
from app.sync import merge, wire
from app.sync.engine import OutBatch, OutOp, PageApplied, RetryPolicy, SyncLoop
from app.sync.errors import TransientError
from app.sync.wire import OpResult, Page, Record
from tests.sync_support import SAMPLE_FORM

SCHEDULES = 1000
CHAOS_SCHEDULES = 200
KEYS = [("QA-01", "city"), ("QA-02", "city"), ("PATH-04", "city")]
VALUES = ["yes", "partial", "no"]
FORM = SAMPLE_FORM.read_bytes()
FORM_SHA = __import__("hashlib").sha256(FORM).hexdigest()


# ---------------------------------------------------------------------------------------------
# A device: an in-memory replica with an outbox, a pull cursor and its own clock


class SkewedClock(HybridClock):
    """A device clock that is wrong by `offset_ms`, and can be stepped backwards."""

    def __init__(self, device_id: str, offset_ms: int = 0) -> None:
        super().__init__(device_id)
        self.offset_ms = offset_ms

    def _physical_ms(self) -> int:
        return max(0, time.time_ns() // 1_000_000 + self.offset_ms)


@dataclass
class Device:
    name: str
    city_id: str
    clock: SkewedClock
    records: dict[tuple[str, str], Record] = field(default_factory=dict)
    outbox: list[dict[str, Any]] = field(default_factory=list)  # op_id, key, state, batch_id
    cursor: int = 0
    contributor_id: str = ""
    issued: list[str] = field(default_factory=list)  # every HLC this device gave out

    # -- local writes ----------------------------------------------------------------------

    def save(self, record: Record) -> None:
        self.records[(record.kind, record.id)] = record
        self.outbox.append(
            {
                "op_id": new_id(),
                "key": (record.kind, record.id),
                "state": "pending",
                "batch_id": None,
            }
        )

    def now(self) -> str:
        hlc = self.clock.now()
        self.issued.append(hlc)
        return hlc

    def revisions(self, key: tuple[str, str, str]) -> list[Any]:
        return [
            _node(r)
            for (kind, _id), r in self.records.items()
            if kind == "revision" and _key(r.body) == key
        ]

    def edit(
        self, assessment_id: str, indicator: str, subject: str, value: str, saved: list[str]
    ) -> None:
        key = (assessment_id, indicator, subject)
        parents = sorted(n.id for n in merge.heads(self.revisions(key)))
        rid = new_id()
        body = {
            "id": rid,
            "assessment_id": assessment_id,
            "indicator_id": indicator,
            "subject": subject,
            "value": value,
            "state": "answered",
            "note": "",
            "evidence": None,
            "attachments": [],
            "parents": parents,
            "author_id": self.contributor_id,
            "device_id": self.name,
            "hlc": self.now(),
            "created_at": iso_utc(),
            "rationale": "",
            "to_confirm": False,
        }
        self.save(wire.check_record({"kind": "revision", "id": rid, "body": body}))
        saved.append(rid)

    def state(self) -> dict[tuple[str, str, str], tuple[tuple[str, ...], str, bool]]:
        return view([r for (k, _i), r in self.records.items() if k == "revision"])


def _key(body: Mapping[str, Any]) -> tuple[str, str, str]:
    return (body["assessment_id"], body["indicator_id"], body["subject"])


def _node(record: Record) -> merge.Node:
    b = record.body
    return merge.Node(
        b["id"], tuple(b["parents"]), b["hlc"], b["device_id"], (b["state"], b["value"])
    )


def view(
    revisions: Sequence[Record],
) -> dict[tuple[str, str, str], tuple[tuple[str, ...], str, bool]]:
    """Per answer key: (head ids, provisional winner, conflict), from the DAG alone."""
    grouped: dict[tuple[str, str, str], list[merge.Node]] = {}
    for r in revisions:
        grouped.setdefault(_key(r.body), []).append(_node(r))
    out = {}
    for key, nodes in grouped.items():
        state = merge.answer_state(nodes)
        out[key] = (tuple(sorted(h.id for h in state.heads)), state.winner.id, state.conflict)
    return out


class MemoryReplica:
    """The replica contract of app.sync.engine, over a Device."""

    def __init__(self, device: Device) -> None:
        self.d = device

    def pending_count(self) -> int:
        return sum(1 for o in self.d.outbox if o["state"] == "pending")

    def next_batch(
        self, max_ops: int, max_bytes: int, exclude: frozenset[str] = frozenset()
    ) -> OutBatch | None:
        pending = [
            o for o in self.d.outbox if o["state"] == "pending" and o["batch_id"] not in exclude
        ]
        if not pending:
            return None
        if pending[0]["batch_id"] is not None:
            chosen = [o for o in pending if o["batch_id"] == pending[0]["batch_id"]]
        else:
            chosen = []
            for o in pending:
                if o["batch_id"] is not None or len(chosen) >= max_ops:
                    break
                chosen.append(o)
            batch_id = new_id()
            for o in chosen:
                o["batch_id"] = batch_id
        ops = tuple(OutOp(o["op_id"], self.d.records[o["key"]]) for o in chosen)
        return OutBatch(chosen[0]["batch_id"], self.d.city_id, ops)

    def rebatch(self, batch: OutBatch, parts: int) -> None:
        ids = {op.op_id for op in batch.ops}
        for o in self.d.outbox:
            if o["op_id"] in ids:
                o["batch_id"] = None

    def record_results(self, batch: OutBatch, results: Sequence[OpResult]) -> None:
        by_id = {r.op_id: r for r in results}
        for o in self.d.outbox:
            if o["op_id"] in by_id:
                o["state"] = "quarantined" if by_id[o["op_id"]].status == "quarantined" else "acked"
                o["reason"] = by_id[o["op_id"]].reason

    def quarantine_local(self, op: OutOp, reason: str) -> None:
        raise AssertionError(f"nothing should be set aside locally: {reason}")

    def note_failure(self, batch: OutBatch, error: str) -> None:
        pass

    def blob(self, kind: str, sha256: str) -> bytes:
        assert (kind, sha256) == ("questionnaire", FORM_SHA)
        return FORM

    def has_blob(self, kind: str, sha256: str) -> bool:
        return (kind, sha256) in self.d.records

    def store_attachment(self, sha256: str, data: bytes) -> None:
        raise AssertionError("no attachments in these schedules")

    def cursor(self) -> int:
        return self.d.cursor

    def apply_page(self, page: Page, blobs: Mapping[tuple[str, str], bytes]) -> PageApplied:
        assert all(e.record is not None for e in page.entries)
        added = 0
        for record in page.records:
            if (record.kind, record.id) not in self.d.records:
                self.d.records[(record.kind, record.id)] = record
                added += 1
                if record.kind == "revision":
                    self.d.clock.observe(record.body["hlc"])
        self.d.cursor = page.next_since
        return PageApplied(added, 0)

    def conflicts(self) -> int:
        return sum(1 for _h, _w, c in self.d.state().values() if c)


# ---------------------------------------------------------------------------------------------
# The hub behind a faulty in-process transport


FAULTS: Counter[str] = Counter()  # what the faulty transport did, over all schedules
EVIL = "evil"
ADVERSARY: dict[str, str] = {}  # city -> the adversarial device's token


class FaultyHub:
    def __init__(self, store: HubStore, token: str, city_id: str, rng: random.Random) -> None:
        self.store, self.token, self.city_id, self.rng = store, token, city_id, rng
        self.faults = True

    def _roll(self, p: float, fault: str = "") -> bool:
        hit = self.faults and self.rng.random() < p
        if hit:
            FAULTS[fault] += 1
        return hit

    def push(self, batch: OutBatch) -> list[OpResult]:
        if self._roll(0.3, "lost push"):
            raise TransientError("request lost")
        body = batch.body
        try:
            response = self.store.push(self.token, self.city_id, body, batch.batch_id)
            if self._roll(0.3, "push delivered twice"):
                response = self.store.push(self.token, self.city_id, body, batch.batch_id)
        except HubError as exc:
            if exc.status == 409:
                raise TransientError("in progress") from None
            raise
        if self._roll(0.3, "lost push response"):
            raise TransientError("response lost")
        return wire.check_push_response(response, batch.op_ids)

    def changes(self, since: int, limit: int) -> Page:
        text = self.store.changes(self.token, self.city_id, since, limit)
        if self._roll(0.3, "lost page"):
            raise TransientError("page lost")
        return wire.check_page(wire.loads(text), since)

    def put_blob(self, kind: str, sha256: str, data: bytes) -> None:
        if self._roll(0.2, "lost upload"):
            raise TransientError("upload lost")
        self.store.put_blob(self.token, self.city_id, sha256, data)

    def get_blob(self, kind: str, sha256: str) -> bytes:
        return self.store.get_blob(self.token, self.city_id, sha256)


@pytest.fixture(scope="module")
def store(tmp_path_factory: pytest.TempPathFactory) -> Any:
    from app.hub import admin

    folder = Path("/dev/shm") if Path("/dev/shm").is_dir() else tmp_path_factory.mktemp("hub")
    path = folder / f"convergence-{new_id()}.sqlite3"
    url = f"sqlite:///{path}"
    admin.init(url)
    db = HubDB(url)

    @event.listens_for(db.engine, "connect")
    def _fast(dbapi_connection: Any, _record: Any) -> None:
        dbapi_connection.execute("PRAGMA synchronous = OFF")  # in-process test: no power cuts

    yield HubStore(db)
    db.close()
    for suffix in ("", "-wal", "-shm"):
        Path(str(path) + suffix).unlink(missing_ok=True)


def new_city(store: HubStore, devices: int) -> tuple[str, list[str]]:
    """A city with `devices` honest devices (dev0, dev1, ...) and, last, the adversary "evil"."""
    city_id = new_id()
    tokens = [security.new_token() for _ in range(devices + 1)]
    with store.db.write() as conn:
        conn.execute(
            insert(ht.city).values(
                id=city_id,
                name=city_id,
                name_key=city_id,
                country="X",
                change_seq=0,
                created_at=iso_utc(),
            )
        )
        for n, token in enumerate(tokens):
            conn.execute(
                insert(ht.device).values(
                    id=new_id(),
                    city_id=city_id,
                    contributor=f"P{n}",
                    local_device_id=f"dev{n}" if n < devices else EVIL,
                    token_hash=security.token_hash(token),
                    created_at=iso_utc(),
                    last_seen_at=iso_utc(),
                )
            )
    return city_id, tokens


def setup_devices(
    store: HubStore, rng: random.Random, offsets: Sequence[int]
) -> tuple[list[Device], list[FaultyHub], str]:
    city_id, tokens = new_city(store, len(offsets))
    devices = [
        Device(f"dev{n}", city_id, SkewedClock(f"dev{n}", off)) for n, off in enumerate(offsets)
    ]
    hubs = [FaultyHub(store, t, city_id, rng) for t in tokens[:-1]]
    ADVERSARY[city_id] = tokens[-1]
    first = devices[0]
    first.save(
        wire.check_record(
            {
                "kind": "questionnaire",
                "id": FORM_SHA,
                "body": {
                    "sha256": FORM_SHA,
                    "form_id": "sample-readiness",
                    "version": "0.1",
                    "size": len(FORM),
                },
            }
        )
    )
    for d in devices:
        d.contributor_id = new_id()
        d.save(
            wire.check_record(
                {
                    "kind": "contributor",
                    "id": d.contributor_id,
                    "body": {
                        "id": d.contributor_id,
                        "name": d.name,
                        "role": "",
                        "institution": "",
                        "device_id": d.name,
                        "created_at": iso_utc(),
                    },
                }
            )
        )
    assessment = new_id()
    first.save(
        wire.check_record(
            {
                "kind": "assessment",
                "id": assessment,
                "body": {
                    "id": assessment,
                    "city": "Lima",
                    "country": "Peru",
                    "period": "2026",
                    "language": "en",
                    "questionnaire": FORM_SHA,
                    "created_at": iso_utc(),
                    "created_by": first.contributor_id,
                    "previous_assessment_id": None,
                    "city_key": "peru/lima",
                    "device_id": first.name,
                },
            }
        )
    )
    for hub in hubs:
        hub.faults = False
    for d, hub in zip(devices, hubs, strict=True):  # device 0 first: the others pull its work
        assert sync(d, hub)
    for hub in hubs:
        hub.faults = True
    return devices, hubs, assessment


class Inline(Executor):
    """Runs each network call at once, on this thread: schedules stay fast and reproducible.
    (The HTTP tests run the loop with its default worker thread.)"""

    def submit(self, fn: Any, /, *args: Any, **kwargs: Any) -> Future[Any]:
        future: Future[Any] = Future()
        try:
            future.set_result(fn(*args, **kwargs))
        except BaseException as exc:  # handed to the caller through the future, as a pool does
            future.set_exception(exc)
        return future


def sync(device: Device, hub: FaultyHub) -> bool:
    loop = SyncLoop(
        MemoryReplica(device),
        hub,
        policy=RetryPolicy(attempts=3),
        sleep=lambda _s: None,
        page_limit=8,
        network=Inline,
        hub_name="hub",
    )
    try:
        loop.run()
        return True
    except HubUnreachable:
        return False


def server_revisions(store: HubStore, city_id: str) -> dict[str, Record]:
    with store.db.read() as conn:
        rows = conn.execute(
            select(ht.record.c.kind, ht.record.c.record_id, ht.record.c.body).where(
                ht.record.c.city_id == city_id
            )
        ).all()
    out = {}
    for kind, rid, body in rows:
        record = wire.check_record({"kind": kind, "id": rid, "body": wire.loads(body)})
        out[f"{kind}:{rid}"] = record
    return out


def attack(store: HubStore, devices: Sequence[Device], assessment: str, rng: random.Random) -> None:
    """The adversary pushes one forged revision; the hub must quarantine it with a reason."""
    victim = rng.choice(devices)
    kind = rng.choice(["future clock", "forged author", "forged device"])
    far = format_hlc(9_999_999_999_999 - rng.randrange(10**6), rng.randrange(100_000), EVIL)
    writer = victim.name if kind == "forged device" else EVIL
    rid = new_id()
    body = {
        "id": rid,
        "assessment_id": assessment,
        "indicator_id": rng.choice(KEYS)[0],
        "subject": "city",
        "value": rng.choice(VALUES),
        "state": "answered",
        "note": "",
        "evidence": None,
        "attachments": [],
        "parents": [],
        "author_id": None if kind == "future clock" else victim.contributor_id,
        "device_id": writer,
        "hlc": far if kind == "future clock" else format_hlc(time.time_ns() // 10**6, 0, writer),
        "created_at": iso_utc(),
        "rationale": "",
        "to_confirm": False,
    }
    batch = OutBatch(
        new_id(),
        victim.city_id,
        (OutOp(new_id(), wire.check_record({"kind": "revision", "id": rid, "body": body})),),
    )
    token = ADVERSARY[victim.city_id]
    response = store.push(token, victim.city_id, batch.body, batch.batch_id)
    (result,) = wire.check_push_response(response, batch.op_ids)
    assert result.status == "quarantined" and result.reason, (kind, result)
    FAULTS[f"attack: {kind}"] += 1


def run_schedule(store: HubStore, seed: int, *, chaos: bool) -> None:
    rng = random.Random(seed)
    year = 365 * 24 * 3600 * 1000
    # Honest clocks: years behind, right, or ahead by less than the allowed skew (a clock
    # further ahead is refused by the hub: test_a_clock_far_ahead_is_refused_not_adopted).
    ahead = MAX_SKEW_MS // 2
    offsets = [rng.choice([-2 * year, 0, ahead]) if chaos else 0 for _ in range(3)]
    devices, hubs, assessment = setup_devices(store, rng, offsets)
    saved: list[str] = []
    step_back_at = rng.randrange(12) if chaos else -1
    for step in range(12):
        n = rng.randrange(3)
        device, hub = devices[n], hubs[n]
        if step == step_back_at:
            device.clock.offset_ms -= rng.choice([3_600_000, 30 * 24 * 3600 * 1000])  # steps back
        action = rng.random()
        if rng.random() < 0.1:
            attack(store, devices, assessment, rng)
        if action < 0.4:
            indicator, subject = rng.choice(KEYS)
            device.edit(assessment, indicator, subject, rng.choice(VALUES), saved)
        elif action < 0.6:
            conflicted = [k for k, (_h, _w, c) in device.state().items() if c]
            if conflicted:
                FAULTS["resolutions"] += 1
                key = rng.choice(conflicted)
                device.edit(
                    key[0], key[1], key[2], rng.choice(VALUES), saved
                )  # parents = all heads
        else:
            sync(device, hub)
    for hub in hubs:
        hub.faults = False
    for _round in range(2):
        for device, hub in zip(devices, hubs, strict=True):
            assert sync(device, hub)
    resolved: set[tuple[str, str, str]] = set()
    if rng.random() < 0.5:  # someone resolves every conflict they see; all others follow
        resolver = rng.choice(devices)
        for key, (_heads, _winner, conflict) in resolver.state().items():
            if conflict:
                FAULTS["resolutions"] += 1
                resolver.edit(key[0], key[1], key[2], rng.choice(VALUES), saved)
                resolved.add(key)
        if resolved:
            for _round in range(2):
                for device, hub in zip(devices, hubs, strict=True):
                    assert sync(device, hub)

    city_id = devices[0].city_id
    server = server_revisions(store, city_id)
    server_ids = {r.id for r in server.values() if r.kind == "revision"}
    assert set(saved) <= server_ids, f"seed {seed}: lost revisions"
    expected = view([r for r in server.values() if r.kind == "revision"])
    FAULTS["conflicts seen"] += any(c for _h, _w, c in expected.values())
    assert not any(expected[key][2] for key in resolved), f"seed {seed}: a resolution did not hold"
    for device in devices:
        assert {f"{k}:{i}" for k, i in device.records} == set(server), f"seed {seed}: {device.name}"
        assert device.state() == expected, f"seed {seed}: {device.name} shows another state"
        assert all(o["state"] == "acked" for o in device.outbox), f"seed {seed}: outbox not drained"
        stamps = [parse_hlc(h)[:2] for h in device.issued]
        assert stamps == sorted(stamps) and len(set(device.issued)) == len(device.issued)
    hub_view = store.conflicts(hubs[0].token, city_id)["conflicts"]
    assert {(c["assessment_id"], c["indicator_id"], c["subject"]) for c in hub_view} == {
        k for k, (_h, _w, c) in expected.items() if c
    }
    for c in hub_view:
        key = (c["assessment_id"], c["indicator_id"], c["subject"])
        assert c["winner"] == expected[key][1]


@pytest.mark.slow
def test_replicas_converge_under_lost_and_duplicated_messages(store: HubStore) -> None:
    # how long the schedules take is bench_sync.py's business, not a test's
    FAULTS.clear()
    for seed in range(SCHEDULES):
        run_schedule(store, seed, chaos=False)
    for fault in ("lost push", "push delivered twice", "lost push response", "lost page"):
        assert FAULTS[fault] > SCHEDULES // 4, (fault, FAULTS)  # the faults really happened
    assert FAULTS["conflicts seen"] > SCHEDULES // 10, FAULTS
    assert FAULTS["resolutions"] > SCHEDULES // 20, FAULTS
    for kind in ("future clock", "forged author", "forged device"):
        assert FAULTS[f"attack: {kind}"] > SCHEDULES // 4, FAULTS  # the attacks really happened


@pytest.mark.slow
def test_clock_chaos_changes_neither_conflicts_nor_convergence(store: HubStore) -> None:
    for seed in range(10_000, 10_000 + CHAOS_SCHEDULES):
        run_schedule(store, seed, chaos=True)


def test_a_device_whose_clock_runs_years_behind_still_wins_nothing_by_time_alone(
    store: HubStore,
) -> None:
    """Resolution order comes from parents: a late clock cannot hide a newer revision."""
    rng = random.Random(1)
    year = 365 * 24 * 3600 * 1000
    devices, hubs, assessment = setup_devices(store, rng, [0, -2 * year, 0])
    for hub in hubs:
        hub.faults = False
    early, late = devices[0], devices[1]
    saved: list[str] = []
    early.edit(assessment, "QA-01", "city", "yes", saved)
    sync(early, hubs[0])
    sync(late, hubs[1])
    late.edit(assessment, "QA-01", "city", "no", saved)  # sees "yes" as parent despite its clock
    sync(late, hubs[1])
    sync(early, hubs[0])
    key = (assessment, "QA-01", "city")
    for device in (early, late):
        heads, winner, conflict = device.state()[key]
        assert heads == (saved[1],) and winner == saved[1] and not conflict


def test_a_clock_far_ahead_is_refused_not_adopted(store: HubStore) -> None:
    """A device whose clock runs years ahead has its revisions refused with a reason; the
    others never move their clocks there, and still converge."""
    rng = random.Random(2)
    year = 365 * 24 * 3600 * 1000
    devices, hubs, assessment = setup_devices(store, rng, [0, 0, 0])
    for hub in hubs:
        hub.faults = False
    ahead = devices[2]
    ahead.clock.offset_ms = 2 * year
    saved: list[str] = []
    devices[0].edit(assessment, "QA-01", "city", "yes", saved)
    ahead.edit(assessment, "QA-01", "city", "no", saved)
    for device, hub in zip(devices, hubs, strict=True):
        assert sync(device, hub)
    refused = [o for o in ahead.outbox if o["state"] == "quarantined"]
    assert len(refused) == 1 and "ahead of the hub's clock" in refused[0]["reason"]
    for device in devices[:2]:
        assert all(o["state"] == "acked" for o in device.outbox)
        assert parse_hlc(device.now())[0] < time.time_ns() // 10**6 + MAX_SKEW_MS
    assert saved[1] not in {r.id for r in server_revisions(store, ahead.city_id).values()}
