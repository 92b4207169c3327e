"""Property-based requests generated from the hub's own OpenAPI document (schemathesis).

Every operation gets schema-driven and edge-case requests, with a valid device token and without
one; none may produce a server error. Examples are capped so the run stays well under a minute.
"""

from __future__ import annotations

import zlib
from collections import Counter
from pathlib import Path
from typing import Any

import pytest
from hypothesis import HealthCheck, given, settings

schemathesis = pytest.importorskip("schemathesis")

from app.hub import admin  # noqa: E402
from tests.sync_support import HubThread, make_city, new_code  # noqa: E402

EXAMPLES = 40


def test_no_generated_request_makes_the_hub_fail(tmp_path: Path) -> None:
    import httpx

    from app.hub.server import create_app

    url = f"sqlite:///{tmp_path / 'hub.sqlite3'}"
    admin.init(url)
    city = make_city(url)
    admin.publish_form(url, Path(__file__).resolve().parents[1] / "data" / "sample-form.yaml")
    app = create_app(url, body_timeout=5.0)
    with HubThread(app) as server:
        token = httpx.post(server.url + "/v1/enroll", json={"code": new_code(url, city)}).json()[
            "token"
        ]
        schema = schemathesis.openapi.from_url(server.url + "/v1/openapi.json")
        operations = [result.ok() for result in schema.get_all_operations()]
        assert len(operations) >= 9
        failures: list[str] = []
        statuses: Counter[int] = Counter()
        for operation in operations:
            _exercise(operation, server.url, city, token, failures, statuses)
    app.state.db.close()
    assert failures == []
    assert statuses[200] and statuses[401] and statuses[422]  # the requests reached real code


def _exercise(
    operation: Any,
    base_url: str,
    city: str,
    token: str,
    failures: list[str],
    statuses: Counter[int],
) -> None:
    @settings(
        max_examples=EXAMPLES,
        deadline=None,
        database=None,
        derandomize=True,
        suppress_health_check=list(HealthCheck),
    )
    @given(case=operation.as_strategy())
    def run(case: Any) -> None:
        if "city" in (case.path_parameters or {}) and _pick(case.path_parameters) % 2:
            case.path_parameters["city"] = city  # half the cases reach the real city
        headers = {"Authorization": f"Bearer {token}"} if _pick(case.body) % 4 else {}
        response = case.call(base_url=base_url, headers=headers, timeout=30)
        statuses[response.status_code] += 1
        if response.status_code >= 500:
            failures.append(f"{operation.method.upper()} {operation.path}: {response.status_code}")

    run()


def _pick(value: Any) -> int:
    return zlib.crc32(repr(value).encode())
