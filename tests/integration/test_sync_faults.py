"""Faults between a laptop and a real hub (RELIABILITY.md tests 9, 11 and 12).

9. The response of a push is lost after the hub committed: the retry reuses the batch id and op
   ids, the hub's count does not change, the ops come back `duplicate`, the outbox drains.
11. The connection breaks after k pages of a pull: the cursor covers only fully applied pages,
   a rerun converges, no duplicates.
12. The hub is SIGKILLed while it handles pushes, then restarted: every batch was applied
   all-or-nothing, the retry completes and the feed has no holes.
"""

from __future__ import annotations

import contextlib
import json
import random
import threading
import time
from collections.abc import Callable, Iterator
from pathlib import Path
from typing import Any

import httpx
import pytest
from sqlalchemy import func, select

from app.common.errors import HubUnreachable
from app.hub import tables as ht
from app.hub.db import HubDB
from app.services import sync
from app.services.answers import import_answers
from app.storage import outbox
from tests.sync_support import (
    HubProcess,
    HubThread,
    db_params,
    fast_policy,
    hub_database,
    laptop,
    make_city,
    new_assessment,
    new_code,
)


class Faulty(httpx.BaseTransport):
    """Forwards requests to the real transport, except where `rule` says to lose one."""

    def __init__(self, rule: Callable[[httpx.Request, int], str]) -> None:
        self.inner = httpx.HTTPTransport()
        self.rule = rule
        self.seen: list[tuple[str, str, bytes, str | None]] = []
        self.responses: list[tuple[str, bytes]] = []

    def handle_request(self, request: httpx.Request) -> httpx.Response:
        body = request.read()
        self.seen.append(
            (request.method, request.url.path, body, request.headers.get("idempotency-key"))
        )
        action = self.rule(request, len(self.seen))
        if action == "lose_request":
            raise httpx.ConnectError("request lost on the way")
        response = self.inner.handle_request(request)
        content = response.read()
        self.responses.append((request.url.path, content))
        if action == "lose_response":
            response.close()
            raise httpx.ReadError("response lost on the way back")
        return httpx.Response(response.status_code, headers=response.headers, content=content)

    def close(self) -> None:
        self.inner.close()


@pytest.fixture(params=db_params())
def hub(request: pytest.FixtureRequest, tmp_path: Path) -> Iterator[Any]:
    from app.hub.server import create_app

    with hub_database(request.param, tmp_path) as url:
        app = create_app(url)
        with HubThread(app) as server:
            server.db_url = url  # type: ignore[attr-defined]
            server.city = make_city(url)  # type: ignore[attr-defined]
            yield server
        app.state.db.close()


def hub_count(db_url: str, table: Any = ht.record) -> int:
    db = HubDB(db_url)
    try:
        with db.read() as conn:
            return int(conn.execute(select(func.count()).select_from(table)).scalar_one())
    finally:
        db.close()


def many_answers(ws: Any, assessment: str, people: int) -> None:
    for n in range(people):
        import_answers(
            ws,
            assessment,
            {
                "PATH-01": n,
                "PATH-02": n + 1000,
                "PATH-04": ["yes", "partial", "no"][n % 3],
                "PATH-05": n % 60,
                "PATH-06": n % 100,
                "BIO-04": n,
                "BIO-05": f"notes of person {n}",
                "QA-02": "yes",
                "QA-04": f"text {n}",
                "QA-05": n % 50,
            },
            f"Person {n:03d}",
        )


def test_a_lost_push_response_is_retried_with_the_same_key_and_applied_once(
    hub: Any, tmp_path: Path
) -> None:
    ws = laptop(tmp_path / "ana", hub.url, new_code(hub.db_url, hub.city))
    try:
        assessment = new_assessment(ws)
        many_answers(ws, assessment, 3)
        with ws.read() as conn:
            queued = sum(outbox.count_by_state(conn).values())

        def rule(request: httpx.Request, n: int) -> str:
            pushes = [s for s in transport.seen if s[1].endswith("/push")]
            return (
                "lose_response"
                if request.url.path.endswith("/push") and len(pushes) == 1
                else "pass"
            )

        transport = Faulty(rule)
        result = sync.sync_now(ws, transport=transport, policy=fast_policy())
        pushes = [s for s in transport.seen if s[1].endswith("/push")]
        assert len(pushes) == 2 and pushes[0][2:] == pushes[1][2:]  # same body, same key
        replies = [json.loads(c) for p, c in transport.responses if p.endswith("/push")]
        assert {r["status"] for r in replies[0]["results"]} == {"applied"}
        assert {r["status"] for r in replies[1]["results"]} == {"duplicate"}
        assert [r["change_seq"] for r in replies[0]["results"]] == [
            r["change_seq"] for r in replies[1]["results"]
        ]
        assert result.pushed == queued and result.quarantined == 0
        assert hub_count(hub.db_url) == queued
        with ws.read() as conn:
            assert outbox.count_by_state(conn) == {"acked": queued}
    finally:
        ws.close()


def test_an_interrupted_pull_keeps_only_whole_pages_and_a_rerun_converges(
    hub: Any, tmp_path: Path
) -> None:
    from app.storage import catalog
    from app.storage import tables as t

    source = laptop(tmp_path / "ana", hub.url, new_code(hub.db_url, hub.city, "Ana"))
    target = laptop(tmp_path / "bruno", hub.url, new_code(hub.db_url, hub.city, "Bruno"))
    try:
        assessment = new_assessment(source)
        many_answers(source, assessment, 4)
        sync.sync_now(source, policy=fast_policy())
        total = hub_count(hub.db_url)
        page = 7
        broken_after = 3

        def rule(request: httpx.Request, n: int) -> str:
            pages = [s for s in transport.seen if s[1].endswith("/changes")]
            return (
                "lose_request"
                if request.url.path.endswith("/changes") and len(pages) > broken_after
                else "pass"
            )

        transport = Faulty(rule)
        with pytest.raises(HubUnreachable):
            sync.sync_now(target, transport=transport, policy=fast_policy(), page_limit=page)
        with target.read() as conn:
            cursor = outbox.get_cursor(conn, hub.city)
            here = sum(
                catalog.count_rows(conn, table)
                for table in (
                    t.QuestionnaireVersion,
                    t.Contributor,
                    t.Assessment,
                    t.AssessmentEvent,
                    t.Revision,
                )
            )
        assert cursor == broken_after * page  # the feed is gapless, so pages end on multiples
        assert here == cursor  # exactly the records of the pages applied, with their cursor

        again = sync.sync_now(target, policy=fast_policy(), page_limit=page)
        assert again.pulled == total - cursor
        with target.read() as conn:
            assert outbox.get_cursor(conn, hub.city) == total
            from app.storage import sync_repo

            records = sync_repo.assessment_refs(conn, assessment)
        assert len(records) == total  # every record of the city, each exactly once
        assert sync.sync_now(target, policy=fast_policy()).pulled == 0
    finally:
        source.close()
        target.close()


@pytest.mark.slow
@pytest.mark.parametrize("kind", ["sqlite", "postgres"])
def test_a_hub_killed_mid_push_applies_batches_whole_and_the_retry_completes(
    kind: str, tmp_path: Path
) -> None:
    from tests.sync_support import pg_base_url

    if kind == "postgres" and not pg_base_url():
        pytest.skip("READINESS_TEST_PG_URL not set")
    with hub_database(kind, tmp_path) as url:
        city = make_city(url)
        server = HubProcess(url, tmp_path / "hub-data").start()
        ws = laptop(tmp_path / "ana", server.url, new_code(url, city))
        try:
            assessment = new_assessment(ws)
            many_answers(ws, assessment, 120)
            with ws.read() as conn:
                queued = sum(outbox.count_by_state(conn).values())
            rng = random.Random(12)
            kills = 0
            for _round in range(3):

                def run() -> None:
                    with contextlib.suppress(HubUnreachable):  # the kill may cut it short
                        sync.sync_now(ws, policy=fast_policy())

                thread = threading.Thread(target=run)
                thread.start()
                time.sleep(rng.uniform(0.05, 0.4))
                if thread.is_alive():
                    server.kill()
                    kills += 1
                thread.join(60)
                server.kill()  # whether or not the push was cut short: one server at a time
                _check_feed(url)
                server = HubProcess(url, tmp_path / "hub-data", server.port).start()
            assert kills >= 1
            result = sync.sync_now(ws, policy=fast_policy())
            assert result.quarantined == 0
            with ws.read() as conn:
                assert outbox.count_by_state(conn) == {"acked": queued}
            assert hub_count(url) == queued
            assert _check_feed(url) == queued
        finally:
            server.stop()
            ws.close()


def _check_feed(url: str) -> int:
    """Every batch is whole and the feed has no holes; returns the number of records."""
    db = HubDB(url)
    try:
        with db.read() as conn:
            seqs = sorted(int(r[0]) for r in conn.execute(select(ht.record.c.change_seq)))
            batches = conn.execute(select(ht.push_batch.c.response)).all()
            applied = {r[0] for r in conn.execute(select(ht.applied_op.c.op_id))}
    finally:
        db.close()
    assert seqs == list(range(1, len(seqs) + 1))
    for (response,) in batches:
        ops = {r["op_id"] for r in json.loads(response)["results"]}
        assert ops <= applied  # a committed batch has all of its ops
    return len(seqs)


def test_a_hub_restored_from_an_older_backup_is_read_again_from_the_start(tmp_path: Path) -> None:
    import sqlite3

    from app.hub import admin
    from app.services.answers import save_answer
    from tests.sync_support import answer, city_answer

    path = tmp_path / "hub.sqlite3"
    url = f"sqlite:///{path}"
    admin.init(url)
    city = make_city(url)
    server = HubProcess(url, tmp_path / "hub-data").start()
    a = laptop(tmp_path / "ana", server.url, new_code(url, city, "Ana"))
    b = laptop(tmp_path / "bruno", server.url, new_code(url, city, "Bruno"))
    try:
        assessment = new_assessment(a)
        sync.sync_now(a, policy=fast_policy())
        with sqlite3.connect(path) as live, sqlite3.connect(tmp_path / "backup.sqlite3") as copy:
            live.backup(copy)
        many_answers(a, assessment, 3)
        sync.sync_now(a, policy=fast_policy())
        sync.sync_now(b, policy=fast_policy())
        with b.read() as conn:
            ahead = outbox.get_cursor(conn, city)

        server.stop()
        for suffix in ("-wal", "-shm"):
            Path(str(path) + suffix).unlink(missing_ok=True)
        (tmp_path / "backup.sqlite3").replace(path)
        server = HubProcess(url, tmp_path / "hub-data", server.port).start()
        assert hub_count(url) < ahead

        save_answer(a, assessment, "QA-01", answer("partial"), "Ana")
        sync.sync_now(a, policy=fast_policy())
        assert hub_count(url) < ahead  # the new record's number is one B has already passed
        sync.sync_now(b, policy=fast_policy())
        assert city_answer(b, assessment, "QA-01").answer.value == "partial"

        sync.export_bundle(a, assessment, tmp_path / "a.readiness")
        admin.import_bundle(url, tmp_path / "a.readiness")  # the city sends what the hub lost
        assert hub_count(url) > ahead
        sync.sync_now(b, policy=fast_policy())
        with b.read() as conn:
            assert outbox.get_cursor(conn, city) == hub_count(url)
    finally:
        server.stop()
        a.close()
        b.close()


def test_a_broken_record_from_the_hub_is_kept_aside_with_its_reason(tmp_path: Path) -> None:
    from app.services.sync_replica import WorkspaceReplica
    from app.sync import wire

    ws = laptop(tmp_path / "ana")
    try:
        good_person = {
            "id": "p-1",
            "name": "Ana",
            "role": "",
            "institution": "",
            "device_id": "d-1",
            "created_at": "2026-11-22T10:00:00Z",
        }
        broken = dict(good_person, id="p-2", name="")  # a name is required
        page = wire.check_page(
            {
                "records": [
                    {"seq": 1, "kind": "contributor", "id": "p-1", "body": good_person},
                    {"seq": 2, "kind": "contributor", "id": "p-2", "body": broken},
                ],
                "next_since": 2,
                "has_more": False,
            },
            since=0,
        )
        applied = WorkspaceReplica(ws, "city-1").apply_page(page, {})
        assert (applied.added, applied.rejected) == (1, 1)
        status = sync.sync_status(ws)
        assert [(r["kind"], r["record_id"], r["source"]) for r in status.rejected] == [
            ("contributor", "p-2", "hub")
        ]
        assert "name" in status.rejected[0]["reason"]
        with ws.read() as conn:
            assert outbox.get_cursor(conn, "city-1") == 2
    finally:
        ws.close()
