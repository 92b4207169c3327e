"""Sync benchmarks (DESIGN.md 10), run as a script: `python tests/bench/bench_sync.py`.

1. push + pull of 20,000 revisions over loopback: laptop A pushes them to a hub running in its
   own process (`readiness hub serve`, SQLite), laptop B pulls them all   (budget <= 10 s)
2. a sync with nothing to send or receive                                  (budget <= 100 ms)
3. one feed page of a hub holding 1,000 cities x 5 rounds x 100 indicators x 3 contributors
   (1.5 million revisions, written with bulk INSERTs)                      (budget <= 50 ms)

Each figure is printed beside its budget with the ratio (<= 1.0 is within budget).
Options: --revisions N, --cities N, --skip-big (leave out 3).
"""

from __future__ import annotations

import argparse
import hashlib
import json
import random
import shutil
import statistics
import sys
import tempfile
import time
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parents[2]
sys.path.insert(0, str(ROOT))

from app.common.clock import format_hlc, iso_utc, new_id  # noqa: E402

ANSWERS = [
    "PATH-01",
    "PATH-02",
    "PATH-05",
    "PATH-06",
    "BIO-04",
    "BIO-05",
    "QA-04",
    "QA-05",
    "PATH-04",
    "QA-02",
]


def report(name: str, seconds: float, budget: float) -> dict[str, Any]:
    ratio = seconds / budget
    print(
        f"{name:<58} {seconds * 1000:10.1f} ms   budget {budget * 1000:8.0f} ms   ratio {ratio:5.2f}"
    )
    return {
        "name": name,
        "ms": round(seconds * 1000, 1),
        "budget_ms": budget * 1000,
        "ratio": round(ratio, 3),
    }


def fill(ws: Any, assessments: list[str], revisions: int) -> int:
    """`revisions` answer changes: in each assessment (a round), 100 contributors answer 10
    questions and revise each answer a few times (chains of parents); written in one transaction
    and queued exactly as saved answers are."""
    from app.services.contributors import named
    from app.services.sync_replica import apply_records
    from app.storage import sync_inbox
    from app.sync import wire

    values = {
        "PATH-01": 5,
        "PATH-02": 1000,
        "PATH-05": 12,
        "PATH-06": 40,
        "BIO-04": 3,
        "BIO-05": "notes: équipe, лаборатория",
        "QA-04": "body",
        "QA-05": 4,
        "PATH-04": "partial",
        "QA-02": "yes",
    }
    with ws.write() as conn:
        people = [named(ws, conn, f"Person {n:03d}").contributor.id for n in range(100)]
        last: dict[tuple[str, str, str], str] = {}
        records = []
        for n in range(revisions):
            person = people[n % 100]
            indicator = ANSWERS[(n // 100) % len(ANSWERS)]
            assessment = assessments[(n // 1000) % len(assessments)]
            value = values[indicator]
            if isinstance(value, int):
                value = value + n % 7
            rid = new_id()
            key = (assessment, person, indicator)
            parents = [last[key]] if key in last else []
            last[key] = rid
            body = {
                "id": rid,
                "assessment_id": assessment,
                "indicator_id": indicator,
                "subject": person,
                "value": value,
                "state": "answered",
                "note": "",
                "evidence": None,
                "attachments": [],
                "parents": parents,
                "author_id": person,
                "device_id": ws.device_id,
                "hlc": ws.clock.now(),
                "created_at": iso_utc(),
                "rationale": "",
                "to_confirm": False,
            }
            records.append(wire.check_record({"kind": "revision", "id": rid, "body": body}))
        applied = apply_records(ws, conn, records, {}, source="bench")
        sync_inbox.queue_records(conn, applied.new, new_id, ws.now())
    return int(applied.added["revision"])


def bench_push_pull(work: Path, revisions: int) -> list[dict[str, Any]]:
    from app.hub import admin
    from app.services import sync
    from app.storage import outbox
    from tests.sync_support import HubProcess, laptop, new_assessment

    url = f"sqlite:///{work / 'hub.sqlite3'}"
    admin.init(url)
    city = admin.add_city(url, "Lima", "Peru")
    hub = HubProcess(url, work / "hub-data").start()
    results = []
    try:
        a = laptop(work / "a", hub.url, admin.enroll_code(url, city, "Ana")[0])
        b = laptop(work / "b", hub.url, admin.enroll_code(url, city, "Bruno")[0])
        assessments = [new_assessment(a) for _ in range(4)]
        started = time.perf_counter()
        made = fill(a, assessments, revisions)
        print(
            f"(setup: {made} revisions saved on laptop A in {time.perf_counter() - started:.1f} s)"
        )
        with a.read() as conn:
            queued = outbox.count_by_state(conn)["pending"]

        started = time.perf_counter()
        pushed = sync.sync_now(a)
        push_time = time.perf_counter() - started
        assert pushed.pushed == queued and pushed.quarantined == 0, pushed
        started = time.perf_counter()
        pulled = sync.sync_now(b)
        pull_time = time.perf_counter() - started
        assert pulled.pulled == queued, (pulled, queued)
        print(
            f"(A sent {pushed.pushed} records in {push_time:.2f} s; B received {pulled.pulled} in {pull_time:.2f} s)"
        )
        results.append(
            report(f"push + pull of {made:,} revisions over loopback", push_time + pull_time, 10.0)
        )

        timings = []
        for _ in range(7):
            started = time.perf_counter()
            nothing = sync.sync_now(a)
            timings.append(time.perf_counter() - started)
            assert nothing.pushed == nothing.pulled == 0
        results.append(report("no-change sync (median of 7)", statistics.median(timings), 0.100))
        a.close()
        b.close()
    finally:
        hub.stop()
    return results


def bench_big_hub(work: Path, cities: int) -> list[dict[str, Any]]:
    """1,000 cities x 5 rounds x 100 indicators x 3 contributors, then timed feed pages."""
    import httpx
    from sqlalchemy import insert

    from app.hub import admin, security
    from app.hub import tables as ht
    from app.hub.db import HubDB
    from app.sync import wire
    from tests.sync_support import HubProcess

    url = f"sqlite:///{work / 'big-hub.sqlite3'}"
    admin.init(url)
    db = HubDB(url)
    rng = random.Random(7)
    sample = []
    tokens: dict[str, str] = {}
    started = time.perf_counter()
    with db.write() as conn:
        for c in range(cities):
            city = new_id()
            conn.execute(
                insert(ht.city).values(
                    id=city,
                    name=f"City {c}",
                    name_key=f"city {c}",
                    country="X",
                    change_seq=0,
                    created_at=iso_utc(),
                )
            )
            rows = []
            seq = 0
            people = [new_id() for _ in range(3)]
            for _round in range(5):
                assessment = new_id()
                for indicator in range(100):
                    for person in people:
                        seq += 1
                        rid = new_id()
                        body = {
                            "id": rid,
                            "assessment_id": assessment,
                            "indicator_id": f"IND-{indicator:03d}",
                            "subject": person,
                            "value": rng.choice(["yes", "partial", "no"]),
                            "state": "answered",
                            "note": "",
                            "evidence": None,
                            "attachments": [],
                            "parents": [],
                            "author_id": person,
                            "device_id": person,
                            "hlc": format_hlc(1_700_000_000_000 + seq, 0, person),
                            "created_at": "2026-11-22T10:00:00Z",
                            "rationale": "",
                            "to_confirm": False,
                        }
                        text = wire.canonical_json(body)
                        rows.append(
                            {
                                "city_id": city,
                                "kind": "revision",
                                "record_id": rid,
                                "change_seq": seq,
                                "body": text,
                                "fingerprint": hashlib.sha256(text.encode()).hexdigest(),
                                "assessment_id": assessment,
                                "device_id": None,
                                "flags": None,
                                "received_at": "2026-11-22T10:00:00Z",
                            }
                        )
            conn.execute(insert(ht.record), rows)
            conn.execute(ht.city.update().where(ht.city.c.id == city).values(change_seq=seq))
            if c % max(1, cities // 20) == 0:
                token = security.new_token()
                conn.execute(
                    insert(ht.device).values(
                        id=new_id(),
                        city_id=city,
                        contributor="x",
                        token_hash=security.token_hash(token),
                        created_at=iso_utc(),
                    )
                )
                tokens[city] = token
                sample.append((city, seq))
    db.close()
    total = cities * 5 * 100 * 3
    print(
        f"(setup: {total:,} revisions in {cities} cities written in {time.perf_counter() - started:.1f} s)"
    )
    hub = HubProcess(url, work / "big-hub-data").start()
    timings = []
    try:
        with httpx.Client(base_url=hub.url, timeout=30) as http:
            for i in range(60):
                city, head = sample[i % len(sample)]
                since = rng.randrange(0, head - 500)
                started = time.perf_counter()
                response = http.get(
                    f"/v1/cities/{city}/changes",
                    params={"since": since, "limit": 500},
                    headers={"Authorization": f"Bearer {tokens[city]}"},
                )
                page = response.json()
                timings.append(time.perf_counter() - started)
                assert response.status_code == 200 and len(page["records"]) == 500, response.text[
                    :200
                ]
    finally:
        hub.stop()
    timings = timings[5:]  # the first requests warm the process up
    results = [
        report(
            f"feed page of 500 on a {total:,}-revision hub (median)",
            statistics.median(timings),
            0.050,
        )
    ]
    results.append(
        report("   same, 95th percentile", sorted(timings)[int(len(timings) * 0.95) - 1], 0.050)
    )
    return results


def main() -> int:
    parser = argparse.ArgumentParser(
        description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter
    )
    parser.add_argument("--revisions", type=int, default=20_000)
    parser.add_argument("--cities", type=int, default=1000)
    parser.add_argument("--skip-big", action="store_true")
    parser.add_argument("--json", metavar="FILE", help="also write the figures as JSON")
    args = parser.parse_args()
    work = Path(tempfile.mkdtemp(prefix="bench-sync-"))
    try:
        results = bench_push_pull(work, args.revisions)
        if not args.skip_big:
            results += bench_big_hub(work, args.cities)
    finally:
        shutil.rmtree(work, ignore_errors=True)
    if args.json:
        Path(args.json).write_text(json.dumps(results, indent=1), encoding="utf-8")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
