"""The hub's HTTP API (FastAPI): `create_app(db_url)`.

Routes (RELIABILITY.md 2.4; every route except health and enroll needs
`Authorization: Bearer <device token>`, and a token only ever sees its own city):

    GET  /v1/health                               liveness, no data
    POST /v1/enroll                               one-time code -> device token (rate-limited)
    GET  /v1/cities/{city}/devices                the public signing keys of the city's laptops
    GET  /v1/cities/{city}/forms                  published questionnaire versions
    GET  /v1/cities/{city}/forms/{sha256}         one published questionnaire file
    POST /v1/cities/{city}/push                   a batch of <= 200 ops, Idempotency-Key header
    GET  /v1/cities/{city}/changes?since=&limit=  the city's feed, one page
    GET  /v1/cities/{city}/conflicts              answers with concurrent, different heads
    PUT  /v1/cities/{city}/blobs/{sha256}         content of a questionnaire file or attachment
    GET  /v1/cities/{city}/blobs/{sha256}

Bodies are capped at 1 MiB (64 MiB for blobs), slow senders get 408, and at most
`max_in_flight` requests run at once. Tokens are never logged; errors never name another city.
"""

from __future__ import annotations

import logging
from typing import Annotated, Any

from fastapi import FastAPI, Path, Query, Request
from fastapi.concurrency import run_in_threadpool
from fastapi.exceptions import RequestValidationError
from fastapi.responses import JSONResponse, Response
from fastapi.security import HTTPBearer

from app import __version__
from app.hub import openapi_schemas as schemas
from app.hub import security
from app.hub.db import HubDatabaseError, HubDB
from app.hub.limits import BodyLimit, ConcurrencyLimit
from app.hub.store import HubError, HubStore
from app.sync import wire
from app.sync.wire import WireError

log = logging.getLogger("readiness.hub")

CityId = Annotated[str, Path(min_length=1, max_length=64, pattern=r"^[A-Za-z0-9._:-]+$")]
Sha = Annotated[str, Path(min_length=64, max_length=64, pattern=r"^[0-9a-f]{64}$")]
AUTH: list[dict[str, list[str]]] = [{"deviceToken": []}]


def create_app(
    db_url: str,
    *,
    max_body: int = wire.MAX_BODY,
    max_blob: int = wire.MAX_BLOB,
    body_timeout: float = 30.0,
    max_in_flight: int = 32,
    enroll_limiter: security.EnrollLimiter | None = None,
    auto_init: bool = True,
) -> FastAPI:
    """The hub application over the database at `db_url` (SQLite URL/path or PostgreSQL URL)."""
    db = HubDB(db_url)
    db.require_schema(auto_init=auto_init)
    store = HubStore(db)
    limiter = enroll_limiter or security.EnrollLimiter()
    app = FastAPI(
        title="Readiness hub",
        version=__version__,
        description="Sync hub of Readiness: enrollment, push, pull feed, conflicts, forms.",
        openapi_url="/v1/openapi.json",
        docs_url=None,
        redoc_url=None,
    )
    app.state.store = store
    app.state.db = db
    # Declares the bearer scheme in the OpenAPI document; authentication itself is in HubStore.
    HTTPBearer(auto_error=False, scheme_name="deviceToken")

    @app.exception_handler(HubError)
    async def _hub_error(_request: Request, exc: HubError) -> JSONResponse:
        headers = {"Retry-After": str(int(exc.retry_after))} if exc.retry_after else None
        content = {"detail": exc.detail, **({"code": exc.code} if exc.code else {})}
        return JSONResponse(content, status_code=exc.status, headers=headers)

    @app.exception_handler(HubDatabaseError)
    async def _db_error(_request: Request, exc: HubDatabaseError) -> JSONResponse:
        log.error("hub database problem: %s", exc)
        return JSONResponse(
            {"detail": "the hub's database is unavailable; try again later"},
            status_code=503,
            headers={"Retry-After": "5"},
        )

    @app.exception_handler(RequestValidationError)
    async def _invalid(_request: Request, exc: RequestValidationError) -> JSONResponse:
        problems = [
            f"{'.'.join(str(p) for p in e.get('loc', ()))}: {e.get('msg', 'invalid')}"
            for e in exc.errors()[:3]
        ]
        return JSONResponse({"detail": "invalid request: " + "; ".join(problems)}, status_code=422)

    def token_of(request: Request) -> str | None:
        return security.bearer_token(request.headers.get("authorization"))

    @app.get("/v1/health", tags=["hub"], responses=schemas.HEALTH)
    async def health() -> dict[str, Any]:
        return {"status": "ok", "version": __version__}

    @app.post(
        "/v1/enroll",
        tags=["devices"],
        responses=schemas.ENROLL_RESPONSES,
        openapi_extra={"requestBody": schemas.ENROLL_BODY},
    )
    async def enroll(request: Request) -> JSONResponse:
        client = request.client.host if request.client else "unknown"
        wait = limiter.blocked_for(client)
        if wait:
            raise HubError(
                429, "too many failed enrollment attempts; wait and try again", "rate_limited", wait
            )
        try:
            document = wire.loads(await request.body(), "enroll")
            code, name, local_id, public_key = _enroll_fields(document)
        except WireError as exc:
            limiter.failed(client)
            raise HubError(422, str(exc)) from None
        try:
            answer = await run_in_threadpool(store.enroll, code, name, local_id, public_key)
        except HubError as exc:
            if exc.status == 401:
                limiter.failed(client)
            raise
        return JSONResponse(answer, headers={"Cache-Control": "no-store"})

    @app.get(
        "/v1/cities/{city}/forms",
        tags=["forms"],
        openapi_extra={"security": AUTH},
        responses=schemas.with_errors(schemas.FORMS),
    )
    async def forms(request: Request, city: CityId) -> dict[str, Any]:
        return await run_in_threadpool(store.forms, token_of(request), city)

    @app.get(
        "/v1/cities/{city}/devices",
        tags=["devices"],
        openapi_extra={"security": AUTH},
        responses=schemas.with_errors(schemas.DEVICE_KEYS),
    )
    async def device_keys(request: Request, city: CityId) -> dict[str, Any]:
        return await run_in_threadpool(store.device_keys, token_of(request), city)

    @app.get(
        "/v1/cities/{city}/forms/{sha256}",
        tags=["forms"],
        openapi_extra={"security": AUTH},
        responses=schemas.with_errors(schemas.BYTES, 404),
        response_class=Response,
    )
    async def form_body(request: Request, city: CityId, sha256: Sha) -> Response:
        data = await run_in_threadpool(store.form_body, token_of(request), city, sha256)
        return Response(data, media_type="application/octet-stream")

    @app.post(
        "/v1/cities/{city}/push",
        tags=["sync"],
        openapi_extra={
            "security": AUTH,
            "requestBody": schemas.PUSH_BODY,
            "parameters": [schemas.IDEMPOTENCY_KEY],
        },
        responses=schemas.with_errors(schemas.PUSH_RESPONSE, 409, 413),
    )
    async def push(request: Request, city: CityId) -> JSONResponse:
        token = token_of(request)
        body = await request.body()
        key = request.headers.get("idempotency-key")
        result = await run_in_threadpool(store.push, token, city, body, key)
        return JSONResponse(result)

    @app.get(
        "/v1/cities/{city}/changes",
        tags=["sync"],
        openapi_extra={"security": AUTH},
        responses=schemas.with_errors(schemas.PAGE),
        response_class=Response,
    )
    async def changes(
        request: Request,
        city: CityId,
        since: Annotated[int, Query(ge=0, le=2**62)] = 0,
        limit: Annotated[int, Query(ge=1, le=wire.MAX_PAGE)] = 500,
    ) -> Response:
        text = await run_in_threadpool(store.changes, token_of(request), city, since, limit)
        return Response(text, media_type="application/json")

    @app.get(
        "/v1/cities/{city}/conflicts",
        tags=["sync"],
        openapi_extra={"security": AUTH},
        responses=schemas.with_errors(schemas.CONFLICTS),
    )
    async def conflicts(request: Request, city: CityId) -> dict[str, Any]:
        return await run_in_threadpool(store.conflicts, token_of(request), city)

    @app.put(
        "/v1/cities/{city}/blobs/{sha256}",
        tags=["sync"],
        openapi_extra={"security": AUTH, "requestBody": schemas.BLOB_BODY},
        responses=schemas.with_errors(schemas.BLOB_STORED, 413),
    )
    async def put_blob(request: Request, city: CityId, sha256: Sha) -> dict[str, Any]:
        token = token_of(request)
        data = await request.body()
        return await run_in_threadpool(store.put_blob, token, city, sha256, data)

    @app.get(
        "/v1/cities/{city}/blobs/{sha256}",
        tags=["sync"],
        openapi_extra={"security": AUTH},
        responses=schemas.with_errors(schemas.BYTES, 404),
        response_class=Response,
    )
    async def get_blob(request: Request, city: CityId, sha256: Sha) -> Response:
        data = await run_in_threadpool(store.get_blob, token_of(request), city, sha256)
        return Response(data, media_type="application/octet-stream")

    original_openapi = app.openapi

    def openapi() -> dict[str, Any]:
        if app.openapi_schema is None:
            document = original_openapi()
            document.setdefault("components", {})["securitySchemes"] = schemas.SECURITY_SCHEMES
            app.openapi_schema = document
        return app.openapi_schema

    app.openapi = openapi  # type: ignore[method-assign]

    app.add_middleware(
        BodyLimit,
        default_limit=max_body,
        limits=[(r"^/v1/cities/[^/]+/blobs/", max_blob)],
        body_timeout=body_timeout,
    )
    app.add_middleware(ConcurrencyLimit, max_in_flight=max_in_flight)
    return app


def _enroll_fields(document: Any) -> tuple[str, str, str, str | None]:
    from app.sync import signing

    if not isinstance(document, dict):
        raise WireError("enroll: expected an object")
    unknown = sorted(set(document) - {"code", "device_name", "local_device_id", "public_key"})
    if unknown:
        raise WireError(f"enroll: unknown field {unknown[0]!r}")
    code = wire.check_text(document.get("code"), "enroll.code", 64, empty=False)
    name = wire.check_text(document.get("device_name", ""), "enroll.device_name", 100)
    local = document.get("local_device_id", "")
    if local:
        wire.check_id(local, "enroll.local_device_id")
    key = document.get("public_key")
    if key is not None:
        try:
            signing.check_public_key(key, "enroll.public_key")
        except signing.SignatureError as exc:
            raise WireError(str(exc)) from None
    return code, name, str(local or ""), key
