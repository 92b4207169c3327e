"""The HTTP client of the hub (httpx): one attempt per call, failures sorted for the sync loop.

- Only `https://` addresses, except plain `http://` to this computer (127.0.0.1, ::1, localhost)
  for a hub run on the same laptop or in tests. Redirects are never followed, so the token can
  never be sent to a downgraded or different address.
- The device token travels in the `Authorization: Bearer` header only after the TLS handshake has
  verified the hub's certificate against the operating system's trust store (`truststore`), plus
  the certificates of the file named by `SSL_CERT_FILE`, if set.
- The system's proxy settings apply (HTTPS_PROXY/HTTP_PROXY/NO_PROXY, and on Windows and macOS
  the static proxy of the system settings); never to a hub on this computer. PAC files, WPAD and
  proxies that need NTLM or Kerberos are not supported.
- Timeouts, lost connections, 5xx, 409 (batch in progress), 429 and 503 are `TransientError`
  (retried by the sync loop with backoff); 401 means enroll again; 413 means split the batch.
"""

from __future__ import annotations

import functools
import os
import ssl
from typing import Any
from urllib.parse import quote, urlsplit

import httpx

from app.sync import wire
from app.sync.engine import OutBatch
from app.sync.errors import (
    BatchRejected,
    BatchTooLarge,
    CursorAhead,
    EnrollmentNeeded,
    HubRefused,
    HubUnreachable,
    KeyMismatch,
    TransientError,
)
from app.sync.wire import OpResult, Page, WireError

LOOPBACK = frozenset({"127.0.0.1", "::1", "localhost"})
DEFAULT_TIMEOUT = httpx.Timeout(30.0, connect=10.0)
USER_AGENT = "readiness-sync/1"


@functools.lru_cache(maxsize=1)
def default_tls() -> ssl.SSLContext:
    """The operating system's trust store (Windows certificate store, macOS keychain, the
    distribution's CA certificates on Linux), so a CA deployed by group policy or a ministry's
    TLS-inspecting proxy is trusted as the browser trusts it; plus SSL_CERT_FILE's certificates.
    Made once per process: loading a store takes ~100 ms, which would dominate an idle sync."""
    import truststore

    context = truststore.SSLContext(ssl.PROTOCOL_TLS_CLIENT)
    extra = os.environ.get("SSL_CERT_FILE")
    if extra and os.path.isfile(extra):
        context.load_verify_locations(cafile=extra)
    return context


def check_hub_url(url: str) -> str:
    """The hub's base address, normalised; UserError when it is not safe to send a token to."""
    text = (url or "").strip()
    parts = urlsplit(text)
    host = (parts.hostname or "").lower()
    if parts.scheme not in ("https", "http") or not host:
        raise HubRefused(f"{text!r} is not a hub address (expected https://host[:port])")
    if parts.scheme == "http" and host not in LOOPBACK:
        raise HubRefused(
            f"refusing plain http:// to {host}: the device token would travel unencrypted; "
            "use the hub's https:// address"
        )
    if parts.username or parts.password:
        raise HubRefused("the hub address must not contain a user name or password")
    if parts.query or parts.fragment:
        raise HubRefused("the hub address must not contain '?' or '#'")
    try:
        port = parts.port
    except ValueError:
        raise HubRefused(f"{text!r} has an invalid port") from None
    netloc = f"[{host}]" if ":" in host else host
    if port:
        netloc += f":{port}"
    return f"{parts.scheme}://{netloc}{parts.path.rstrip('/')}"


class HubClient:
    """Calls of one hub for one enrolled city. Implements the sync loop's `Hub` port."""

    def __init__(
        self,
        base_url: str,
        token: str | None = None,
        city_id: str | None = None,
        *,
        transport: httpx.BaseTransport | None = None,
        verify: ssl.SSLContext | str | bool = True,
        timeout: httpx.Timeout | float = DEFAULT_TIMEOUT,
    ) -> None:
        self.base_url = check_hub_url(base_url)
        self.city_id = city_id
        self._token = token
        self._http = httpx.Client(
            base_url=self.base_url,
            transport=transport,
            verify=default_tls() if verify is True else verify,
            timeout=timeout,
            follow_redirects=False,
            headers={"User-Agent": USER_AGENT},
            # the system's proxy, but never for a hub on this computer (Windows' proxy
            # exceptions, where "<local>" usually is, are not read by httpx)
            trust_env=urlsplit(self.base_url).hostname not in LOOPBACK,
        )

    def close(self) -> None:
        self._http.close()

    def __enter__(self) -> HubClient:
        return self

    def __exit__(self, *_exc: object) -> None:
        self.close()

    def __repr__(self) -> str:  # never shows the token
        return f"HubClient({self.base_url!r}, city={self.city_id!r})"

    # -- calls ---------------------------------------------------------------------------------

    def health(self) -> dict[str, Any]:
        return self._json(self._send("GET", "/v1/health", auth=False))

    def enroll(
        self, code: str, device_name: str, local_device_id: str, public_key: str | None = None
    ) -> dict[str, Any]:
        """Trade a one-time code for a device token. Never retried: a code works once."""
        body = {
            "code": code.strip(),
            "device_name": device_name,
            "local_device_id": local_device_id,
        }
        if public_key is not None:
            body["public_key"] = public_key
        try:
            response = self._send("POST", "/v1/enroll", json_body=body, auth=False)
        except EnrollmentNeeded:
            raise HubRefused(
                "the hub refused the enrollment code (unknown, already used or expired); "
                "ask the hub's administrator for a new one"
            ) from None
        except (BatchRejected, BatchTooLarge) as exc:
            raise HubRefused(f"the hub refused the enrollment request ({exc})") from None
        except TransientError as exc:
            if exc.retry_after and exc.retry_after > 1:
                raise HubRefused(
                    "too many failed enrollment attempts from this network; try again in "
                    f"{int(exc.retry_after // 60) + 1} minutes"
                ) from None
            raise HubUnreachable(
                f"the hub at {self.base_url} could not be reached ({exc}); nothing was changed, "
                "the code was not used"
            ) from None
        document = self._json(response)
        try:
            token = wire.check_text(document.get("token"), "token", 200, empty=False)
            device_id = wire.check_id(document.get("device_id"), "device_id")
            city = document.get("city")
            if not isinstance(city, dict):
                raise WireError("city: expected an object")
            city_id = wire.check_id(city.get("id"), "city.id")
            name = wire.check_text(city.get("name"), "city.name", wire.MAX_NAME)
            country = wire.check_text(city.get("country", ""), "city.country", wire.MAX_NAME)
        except WireError as exc:
            raise HubRefused(f"the hub sent an invalid enrollment answer ({exc})") from None
        return {
            "token": token,
            "device_id": device_id,
            "city": {"id": city_id, "name": name, "country": country},
            "contributor": document.get("contributor"),
        }

    def push(self, batch: OutBatch) -> list[OpResult]:
        response = self._send(
            "POST",
            f"{self._city_path()}/push",
            content=batch.body,
            headers={"Idempotency-Key": batch.batch_id, "Content-Type": "application/json"},
        )
        try:
            return wire.check_push_response(self._json(response), batch.op_ids)
        except WireError as exc:
            raise HubRefused(f"the hub sent an invalid push answer ({exc})") from None

    def changes(self, since: int, limit: int) -> Page:
        response = self._send(
            "GET", f"{self._city_path()}/changes", params={"since": since, "limit": limit}
        )
        try:
            return wire.check_page(self._json(response), since)
        except WireError as exc:
            raise HubRefused(f"the hub sent an invalid page of changes ({exc})") from None

    def conflicts(self) -> dict[str, Any]:
        return self._json(self._send("GET", f"{self._city_path()}/conflicts"))

    def forms(self) -> list[dict[str, Any]]:
        document = self._json(self._send("GET", f"{self._city_path()}/forms"))
        forms = document.get("forms")
        if not isinstance(forms, list):
            raise HubRefused("the hub sent an invalid list of forms")
        return [f for f in forms if isinstance(f, dict)]

    def device_keys(self) -> dict[str, str]:
        """The public signing keys of the city's laptops, by their own device id."""
        from app.sync import signing

        document = self._json(self._send("GET", f"{self._city_path()}/devices"))
        devices = document.get("devices")
        if not isinstance(devices, dict):
            raise HubRefused("the hub sent an invalid list of device keys")
        keys: dict[str, str] = {}
        for device_id, key in devices.items():
            try:
                keys[wire.check_id(device_id, "devices")] = signing.check_public_key(key)
            except (WireError, signing.SignatureError) as exc:
                raise HubRefused(f"the hub sent an invalid device key ({exc})") from None
        return keys

    def form_body(self, sha256: str) -> bytes:
        data = self._send("GET", f"{self._city_path()}/forms/{quote(sha256)}").content
        if not wire.blob_sha_ok(data, sha256):
            raise TransientError(f"form {sha256[:12]} arrived damaged")
        return data

    def put_blob(self, kind: str, sha256: str, data: bytes) -> None:
        self._send(
            "PUT",
            f"{self._city_path()}/blobs/{quote(sha256)}",
            content=data,
            headers={"Content-Type": "application/octet-stream"},
        )

    def get_blob(self, kind: str, sha256: str) -> bytes:
        data = self._send("GET", f"{self._city_path()}/blobs/{quote(sha256)}").content
        if not wire.blob_sha_ok(data, sha256):
            raise TransientError(f"{kind} {sha256[:12]} arrived damaged")
        return data

    # -- plumbing ------------------------------------------------------------------------------

    def _city_path(self) -> str:
        if not self.city_id:
            raise EnrollmentNeeded("this laptop is not enrolled with a hub city")
        return f"/v1/cities/{quote(self.city_id)}"

    def _send(
        self,
        method: str,
        path: str,
        *,
        json_body: Any = None,
        content: bytes | None = None,
        params: dict[str, Any] | None = None,
        headers: dict[str, str] | None = None,
        auth: bool = True,
    ) -> httpx.Response:
        sent_headers = dict(headers or {})
        if auth:
            if not self._token:
                raise EnrollmentNeeded("no device token: enroll this laptop with the hub first")
            sent_headers["Authorization"] = f"Bearer {self._token}"
        if json_body is not None:
            content = wire.canonical_json(json_body).encode("utf-8")
            sent_headers.setdefault("Content-Type", "application/json")
        try:
            response = self._http.request(
                method, path, content=content, params=params, headers=sent_headers
            )
        except httpx.TimeoutException as exc:
            raise TransientError(f"timed out talking to {self.base_url}") from exc
        except httpx.TransportError as exc:
            if _certificate_problem(exc):
                raise HubRefused(
                    f"the certificate of {self.base_url} is not trusted ({_root(exc)}); "
                    "nothing was sent"
                ) from None
            raise TransientError(f"cannot connect to {self.base_url}: {_root(exc)}") from exc
        return self._check_status(response)

    def _check_status(self, response: httpx.Response) -> httpx.Response:
        status = response.status_code
        if 200 <= status < 300:
            return response
        detail = _detail(response)
        if 300 <= status < 400:
            raise HubRefused(
                f"the hub answered with a redirect ({status}); give its final https:// address"
            )
        if status == 401:
            raise EnrollmentNeeded(
                "the hub no longer accepts this laptop's token (revoked or unknown). Unsent "
                "changes are kept; enroll again with `readiness sync enroll URL CODE`"
                + (f" ({detail})" if detail else "")
            )
        if status == 409 and _code(response) == "cursor_ahead":
            raise CursorAhead(detail)
        if status == 409 and _code(response) == "device_taken":
            raise HubRefused(f"the hub refused the enrollment: {detail}")
        if status == 413:
            raise BatchTooLarge(detail or "request too large")
        if status == 422:
            if _code(response) == "idempotency_mismatch":
                raise KeyMismatch(detail)
            raise BatchRejected(detail or "unprocessable request")
        if status in (408, 409, 425, 429, 502, 503, 504) or status >= 500:
            raise TransientError(
                f"the hub is busy or failing ({status}{': ' + detail if detail else ''})",
                _retry_after(response),
            )
        raise HubRefused(f"the hub refused the request ({status}{': ' + detail if detail else ''})")

    @staticmethod
    def _json(response: httpx.Response) -> dict[str, Any]:
        try:
            document = wire.loads(response.content, "hub response")
        except WireError as exc:
            raise HubRefused(f"the hub sent an invalid answer ({exc})") from None
        if not isinstance(document, dict):
            raise HubRefused("the hub sent an invalid answer (not a JSON object)")
        return document


def _detail(response: httpx.Response) -> str:
    try:
        document = response.json()
    except ValueError:
        return ""
    detail = document.get("detail") if isinstance(document, dict) else None
    return str(detail)[:300] if isinstance(detail, str) else ""


def _code(response: httpx.Response) -> str:
    try:
        document = response.json()
    except ValueError:
        return ""
    return str(document.get("code", "")) if isinstance(document, dict) else ""


def _retry_after(response: httpx.Response) -> float | None:
    value = response.headers.get("Retry-After")
    try:
        return max(0.0, float(value)) if value else None
    except ValueError:
        return None


def _certificate_problem(exc: BaseException) -> bool:
    seen: BaseException | None = exc
    while seen is not None:
        if isinstance(seen, ssl.SSLCertVerificationError):
            return True
        if "CERTIFICATE_VERIFY_FAILED" in str(seen) or "certificate verify failed" in str(seen):
            return True
        seen = seen.__cause__ or seen.__context__
    return False


def _root(exc: BaseException) -> str:
    seen: BaseException = exc
    while (seen.__cause__ or seen.__context__) is not None:
        seen = seen.__cause__ or seen.__context__  # type: ignore[assignment]
    text = str(seen) or type(seen).__name__
    return text[:200]
