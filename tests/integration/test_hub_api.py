"""The hub's HTTP API on a real uvicorn (SQLite, and PostgreSQL when READINESS_TEST_PG_URL is set).

RELIABILITY.md tests 10 (duplicate batch in flight), 18 (authentication sweep over every route of
the OpenAPI document), 19 (cross-city access, with a database-level RLS check on PostgreSQL) and
25 (oversize and malformed requests, slow senders).
"""

from __future__ import annotations

import json
import socket
import threading
import time
import uuid
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import httpx
import pytest
from sqlalchemy import func, select, text, update
from sqlalchemy.exc import ProgrammingError

from app.common.clock import format_hlc
from app.hub import admin
from app.hub import tables as ht
from app.hub.db import HubDB
from tests.sync_support import (
    HubThread,
    db_params,
    hub_database,
    make_city,
    new_code,
    pg_app_role,
    pg_base_url,
    pg_schema,
    with_search_path,
)


class Hub:
    def __init__(self, server: HubThread, db_url: str, app: Any) -> None:
        self.server = server
        self.url = server.url
        self.db_url = db_url
        self.app = app
        self.city_a = make_city(db_url, "Lima", "Peru")
        self.city_b = make_city(db_url, "Tbilisi", "Georgia")
        self.http = httpx.Client(base_url=server.url, timeout=30)

    def enroll(self, city: str, name: str = "Ana") -> dict[str, Any]:
        code = new_code(self.db_url, city, name)
        response = self.http.post("/v1/enroll", json={"code": code, "device_name": "test"})
        assert response.status_code == 200, response.text
        return dict(response.json())

    def count(self, table: Any, **where: str) -> int:
        db = HubDB(self.db_url)
        try:
            with db.read() as conn:
                query = select(func.count()).select_from(table)
                for column, value in where.items():
                    query = query.where(table.c[column] == value)
                return int(conn.execute(query).scalar_one())
        finally:
            db.close()


@pytest.fixture(params=db_params())
def hub(request: pytest.FixtureRequest, tmp_path: Path) -> Iterator[Hub]:
    from app.hub.server import create_app

    with hub_database(request.param, tmp_path) as url:
        app = create_app(url, body_timeout=2.0)
        with HubThread(app) as server:
            h = Hub(server, url, app)
            yield h
            h.http.close()
        app.state.db.close()


def contributor_op(city: str, name: str = "Ana", op_id: str | None = None) -> dict[str, Any]:
    person = str(uuid.uuid4())
    return {
        "op_id": op_id or str(uuid.uuid4()),
        "city_id": city,
        "record": {
            "kind": "contributor",
            "id": person,
            "body": {
                "id": person,
                "name": name,
                "role": "",
                "institution": "",
                "device_id": "dev-1",
                "created_at": "2026-11-22T10:00:00Z",
            },
        },
    }


def batch(city: str, ops: list[dict[str, Any]], batch_id: str | None = None) -> dict[str, Any]:
    return {"batch_id": batch_id or str(uuid.uuid4()), "city_id": city, "ops": ops}


def push(
    hub: Hub, token: str, city: str, body: dict[str, Any], key: str | None = None
) -> httpx.Response:
    return hub.http.post(
        f"/v1/cities/{city}/push",
        content=json.dumps(body).encode(),
        headers={
            "Authorization": f"Bearer {token}",
            "Idempotency-Key": key or body["batch_id"],
            "Content-Type": "application/json",
        },
    )


# ---------------------------------------------------------------------------------------------
# Test 18: authentication sweep


def _routes(hub: Hub) -> list[tuple[str, str]]:
    document = hub.http.get("/v1/openapi.json").json()
    found = []
    for path, methods in document["paths"].items():
        for method in methods:
            concrete = path.replace("{city}", hub.city_a).replace("{sha256}", "0" * 64)
            found.append((method.upper(), concrete))
    return found


def test_every_route_refuses_missing_garbage_and_revoked_tokens(hub: Hub) -> None:
    device = hub.enroll(hub.city_a)
    routes = _routes(hub)
    assert len(routes) >= 8
    admin.revoke(hub.db_url, device["device_id"])
    tokens = {
        "none": None,
        "garbage": "rdy_" + "x" * 43,
        "not bearer": "Basic YWxhZGRpbjpvcGVuc2VzYW1l",
        "revoked": device["token"],
    }
    for method, path in routes:
        for label, token in tokens.items():
            headers = {}
            if token:
                headers["Authorization"] = token if label == "not bearer" else f"Bearer {token}"
            response = hub.http.request(method, path, headers=headers, content=b"{}")
            if path == "/v1/health":
                assert response.status_code == 200
            elif path == "/v1/enroll":
                assert response.status_code in (401, 422), (label, response.text)
            else:
                assert response.status_code == 401, (method, path, label, response.text)
                assert device["token"] not in response.text


def test_revocation_takes_effect_on_the_next_request(hub: Hub) -> None:
    device = hub.enroll(hub.city_a)
    headers = {"Authorization": f"Bearer {device['token']}"}
    assert hub.http.get(f"/v1/cities/{hub.city_a}/changes", headers=headers).status_code == 200
    admin.revoke(hub.db_url, device["device_id"])
    assert hub.http.get(f"/v1/cities/{hub.city_a}/changes", headers=headers).status_code == 401


def test_enrollment_codes_are_single_use_expire_and_bad_ones_are_rate_limited(hub: Hub) -> None:
    code = new_code(hub.db_url, hub.city_a, "Ana")
    first = hub.http.post("/v1/enroll", json={"code": code.lower().replace("-", " ")})
    assert first.status_code == 200 and first.json()["city"]["id"] == hub.city_a
    assert hub.http.post("/v1/enroll", json={"code": code}).status_code == 401  # used

    expired = new_code(hub.db_url, hub.city_a, "Bruno")
    db = HubDB(hub.db_url)
    try:
        with db.write() as conn:
            conn.execute(
                update(ht.enrollment_code)
                .where(ht.enrollment_code.c.used_at.is_(None))
                .values(expires_at="2000-01-01T00:00:00Z")
            )
    finally:
        db.close()
    assert hub.http.post("/v1/enroll", json={"code": expired}).status_code == 401

    statuses = [
        hub.http.post("/v1/enroll", json={"code": f"WRONG-{i:04d}"}).status_code for i in range(12)
    ]
    assert statuses[:8] == [401] * 8  # two failures above already count
    assert statuses[-1] == 429
    fresh = new_code(hub.db_url, hub.city_a, "Carla")
    blocked = hub.http.post("/v1/enroll", json={"code": fresh})
    assert blocked.status_code == 429 and int(blocked.headers["Retry-After"]) >= 1


# ---------------------------------------------------------------------------------------------
# Test 19: cross-city access


def test_a_city_a_token_reads_and_writes_nothing_of_city_b(hub: Hub) -> None:
    a = hub.enroll(hub.city_a, "Ana")
    b = hub.enroll(hub.city_b, "Giorgi")
    secret_name = "Giorgi Secret-Name"
    b_op = contributor_op(hub.city_b, secret_name)
    assert push(hub, b["token"], hub.city_b, batch(hub.city_b, [b_op])).status_code == 200
    rows_before = hub.count(ht.record)

    auth = {"Authorization": f"Bearer {a['token']}"}
    for method, path in _routes(hub):
        if "{" in path or not path.startswith("/v1/cities/"):
            continue
        other = path.replace(hub.city_a, hub.city_b)
        response = hub.http.request(method, other, headers=auth, content=b"{}")
        assert response.status_code in (403, 404), (method, other)
        assert hub.city_b not in response.text and secret_name not in response.text

    # City B in the URL, or in the body under city A's URL: refused, nothing written.
    sneaky = batch(hub.city_b, [contributor_op(hub.city_b)])
    assert push(hub, a["token"], hub.city_b, sneaky).status_code == 403
    assert push(hub, a["token"], hub.city_a, sneaky).status_code == 403
    mixed = batch(hub.city_a, [contributor_op(hub.city_a), contributor_op(hub.city_b)])
    assert push(hub, a["token"], hub.city_a, mixed).status_code == 403
    assert hub.count(ht.record) == rows_before

    # A city-B record id referenced from city A is simply unknown here.
    revision = _revision_op(
        hub.city_a, assessment_id=str(uuid.uuid4()), author=b_op["record"]["id"]
    )
    response = push(hub, a["token"], hub.city_a, batch(hub.city_a, [revision]))
    result = response.json()["results"][0]
    assert result["status"] == "quarantined" and "unknown in this city" in result["reason"]
    assert hub.city_b not in response.text and secret_name not in response.text
    page = hub.http.get(f"/v1/cities/{hub.city_a}/changes", headers=auth).json()
    assert all(r["body"].get("name") != secret_name for r in page["records"])
    assert hub.count(ht.record, city_id=hub.city_b) == 1


def _revision_op(city: str, assessment_id: str, author: str) -> dict[str, Any]:
    rid = str(uuid.uuid4())
    return {
        "op_id": str(uuid.uuid4()),
        "city_id": city,
        "record": {
            "kind": "revision",
            "id": rid,
            "body": {
                "id": rid,
                "assessment_id": assessment_id,
                "indicator_id": "QA-01",
                "subject": "city",
                "value": "yes",
                "state": "answered",
                "note": "",
                "evidence": None,
                "attachments": [],
                "parents": [],
                "author_id": author,
                "device_id": "dev-1",
                "hlc": format_hlc(1_700_000_000_000, 0, "dev-1"),
                "created_at": "2026-11-22T10:00:00Z",
                "rationale": "",
                "to_confirm": False,
            },
        },
    }


@pytest.mark.postgres
@pytest.mark.skipif(not pg_base_url(), reason="READINESS_TEST_PG_URL not set")
def test_row_level_security_hides_other_cities_from_the_app_role(tmp_path: Path) -> None:
    from app.hub.server import create_app

    with pg_schema() as (owner_url, schema), pg_app_role(schema) as role:
        admin.init(owner_url, app_role=role)
        city_a = make_city(owner_url, "Lima", "Peru")
        city_b = make_city(owner_url, "Quito", "Ecuador")
        app_url = with_search_path(pg_base_url() or "", schema, user=role)
        app = create_app(app_url, auto_init=False)
        with HubThread(app) as server:
            http = httpx.Client(base_url=server.url)
            tokens = {}
            for city in (city_a, city_b):
                code = admin.enroll_code(owner_url, city, "Ana")[0]
                tokens[city] = http.post("/v1/enroll", json={"code": code}).json()["token"]
                body = batch(city, [contributor_op(city)])
                response = push_raw(http, tokens[city], city, body)
                assert (
                    response.status_code == 200
                    and response.json()["results"][0]["status"] == "applied"
                )
            page = http.get(
                f"/v1/cities/{city_a}/changes",
                headers={"Authorization": f"Bearer {tokens[city_a]}"},
            )
            assert page.status_code == 200 and len(page.json()["records"]) == 1
            http.close()
        app.state.db.close()

        db = HubDB(app_url)
        try:
            with db.read() as conn:
                db.scope(conn, city_id=city_a)
                rows = conn.execute(text("SELECT city_id FROM hub_record")).all()
                devices = conn.execute(text("SELECT city_id FROM hub_device")).all()
                cities = conn.execute(text("SELECT id FROM hub_city")).all()
            assert {r[0] for r in rows} == {city_a} and len(rows) == 1
            assert {r[0] for r in devices} == {city_a}
            assert [r[0] for r in cities] == [city_a]
            with db.read() as conn:  # no scope at all: nothing
                assert conn.execute(text("SELECT count(*) FROM hub_record")).scalar() == 0
            with pytest.raises(ProgrammingError) as refused, db.write() as conn:
                db.scope(conn, city_id=city_a)
                conn.execute(
                    text(
                        "INSERT INTO hub_blob (city_id, sha256, size, content, received_at) "
                        "VALUES (:c, :s, 0, '', 'x')"
                    ),
                    {"c": city_b, "s": "0" * 64},
                )
            # 42501 insufficient_privilege: the row-level security policy refused the row
            assert getattr(refused.value.orig, "sqlstate", None) == "42501"
        finally:
            db.close()


def push_raw(http: httpx.Client, token: str, city: str, body: dict[str, Any]) -> httpx.Response:
    return http.post(
        f"/v1/cities/{city}/push",
        content=json.dumps(body).encode(),
        headers={"Authorization": f"Bearer {token}", "Idempotency-Key": body["batch_id"]},
    )


# ---------------------------------------------------------------------------------------------
# Test 10: duplicate batch in flight, and a reused key with another body


def test_the_same_batch_twice_at_once_is_applied_once(hub: Hub) -> None:
    device = hub.enroll(hub.city_a)
    body = batch(hub.city_a, [contributor_op(hub.city_a) for _ in range(20)])
    entered, release = threading.Event(), threading.Event()

    def hold(_key: Any) -> None:
        if not entered.is_set():
            entered.set()
            release.wait(10)

    hub.app.state.store.push_hook = hold
    first: dict[str, Any] = {}

    def send_first() -> None:
        first["response"] = push(hub, device["token"], hub.city_a, body)

    thread = threading.Thread(target=send_first)
    thread.start()
    assert entered.wait(10)
    second = push(hub, device["token"], hub.city_a, body)
    assert second.status_code == 409 and second.json()["code"] == "in_progress"
    release.set()
    thread.join(10)
    hub.app.state.store.push_hook = None
    assert first["response"].status_code == 200
    assert {r["status"] for r in first["response"].json()["results"]} == {"applied"}

    retry = push(hub, device["token"], hub.city_a, body)
    assert retry.status_code == 200
    before = first["response"].json()["results"]
    again = retry.json()["results"]
    assert [(r["op_id"], r["change_seq"]) for r in again] == [
        (r["op_id"], r["change_seq"]) for r in before
    ]
    assert {r["status"] for r in again} == {"duplicate"}
    assert hub.count(ht.record, city_id=hub.city_a) == 20

    changed = dict(body, ops=body["ops"][:-1])
    mismatch = push(hub, device["token"], hub.city_a, changed)
    assert mismatch.status_code == 422 and mismatch.json()["code"] == "idempotency_mismatch"
    assert hub.count(ht.record, city_id=hub.city_a) == 20


# ---------------------------------------------------------------------------------------------
# Test 25: oversize and malformed requests


def test_oversize_malformed_and_slow_requests_are_refused_and_the_hub_stays_up(hub: Hub) -> None:
    device = hub.enroll(hub.city_a)
    auth = {"Authorization": f"Bearer {device['token']}", "Idempotency-Key": "k1"}
    path = f"/v1/cities/{hub.city_a}/push"

    big = hub.http.post(path, content=b"x" * (50 * 1024 * 1024), headers=auth)
    assert big.status_code == 413

    def chunks() -> Iterator[bytes]:
        for _ in range(40):
            yield b" " * 65536

    streamed = hub.http.post(path, content=chunks(), headers=auth)  # no Content-Length
    assert streamed.status_code == 413

    many = batch(hub.city_a, [contributor_op(hub.city_a) for _ in range(10_000)])
    assert push(hub, device["token"], hub.city_a, many).status_code in (413, 422)
    small_many = batch(hub.city_a, [contributor_op(hub.city_a) for _ in range(201)])
    refused = push(hub, device["token"], hub.city_a, small_many)
    assert refused.status_code == 422 and "more than 200" in refused.json()["detail"]

    deep = b"[" * 100_000 + b"]" * 100_000
    assert hub.http.post(path, content=deep, headers=auth).status_code in (413, 422)
    nested = ("[" * 5000 + "]" * 5000).encode()
    response = hub.http.post(path, content=nested, headers=auth)
    assert response.status_code == 422
    for garbage in (b"{not json", b"\xff\xfe", b'{"batch_id": NaN}', b"[]", b'"text"'):
        assert hub.http.post(path, content=garbage, headers=auth).status_code == 422
    huge_note = contributor_op(hub.city_a)
    huge_note["record"]["body"]["name"] = "n" * 1000
    result = push(hub, device["token"], hub.city_a, batch(hub.city_a, [huge_note])).json()
    assert (
        result["results"][0]["status"] == "quarantined"
        and "longer than" in result["results"][0]["reason"]
    )

    started = time.monotonic()
    status = _slow_drip(hub.server.port, path, device["token"])
    assert status == 408 and time.monotonic() - started < 10
    assert hub.http.get("/v1/health").status_code == 200
    assert hub.count(ht.record) == 0


def _slow_drip(port: int, path: str, token: str) -> int:
    """Send headers promising 1000 bytes, then one byte every 0.3 s; return the HTTP status."""
    with socket.create_connection(("127.0.0.1", port), timeout=15) as sock:
        head = (
            f"POST {path} HTTP/1.1\r\nHost: 127.0.0.1\r\nAuthorization: Bearer {token}\r\n"
            "Content-Type: application/json\r\nContent-Length: 1000\r\n\r\n"
        )
        sock.sendall(head.encode())
        sock.settimeout(0.3)
        for _ in range(40):
            try:
                sock.sendall(b" ")
                data = sock.recv(4096)
                if data:
                    return int(data.split(b" ", 2)[1])
            except TimeoutError:
                continue
            except OSError:
                break
        sock.settimeout(5)
        data = sock.recv(4096)
        return int(data.split(b" ", 2)[1])
