"""Transport security: RELIABILITY.md test 20, with a throwaway CA from `trustme`.

The client talks to a hub whose certificate chains to a CA it trusts; it refuses an untrusted CA,
a hostname mismatch, plain http:// to anything but this computer, and redirects. On every refused
connection the device token never reaches the server.
"""

from __future__ import annotations

import ssl
from pathlib import Path
from typing import Any

import pytest

trustme = pytest.importorskip("trustme")

from app.services import sync  # noqa: E402
from app.sync.client import HubClient, check_hub_url  # noqa: E402
from app.sync.errors import HubRefused  # noqa: E402
from tests.sync_support import HubThread, laptop, make_city, new_assessment, new_code  # noqa: E402


class Recorder:
    """Wraps the hub app and records the Authorization header of every request that arrives."""

    def __init__(self, app: Any, redirect: bool = False) -> None:
        self.app = app
        self.redirect = redirect
        self.seen: list[str | None] = []

    async def __call__(self, scope: Any, receive: Any, send: Any) -> None:
        if scope["type"] == "http":
            headers = dict(scope.get("headers", []))
            auth = headers.get(b"authorization")
            self.seen.append(auth.decode() if auth else None)
            if self.redirect:
                await send(
                    {
                        "type": "http.response.start",
                        "status": 307,
                        "headers": [
                            (b"location", b"http://example.invalid/steal"),
                            (b"content-length", b"0"),
                        ],
                    }
                )
                await send({"type": "http.response.body", "body": b""})
                return
        await self.app(scope, receive, send)


@pytest.fixture
def ca() -> Any:
    return trustme.CA()


def serve(
    tmp_path: Path, ca: Any, names: tuple[str, ...], redirect: bool = False
) -> tuple[Any, Recorder, str]:
    from app.hub.server import create_app

    pem = tmp_path / f"server-{'-'.join(names)}.pem"
    ca.issue_cert(*names).private_key_and_cert_chain_pem.write_to_path(str(pem))
    url = f"sqlite:///{tmp_path / 'hub.sqlite3'}"
    recorder = Recorder(create_app(url), redirect)
    return HubThread(recorder, tls_pem=pem), recorder, url


def trusting(ca: Any) -> ssl.SSLContext:
    context = ssl.create_default_context()
    ca.configure_trust(context)
    return context


def test_a_trusted_certificate_carries_enrollment_and_sync(tmp_path: Path, ca: Any) -> None:
    server, recorder, url = serve(tmp_path, ca, ("127.0.0.1", "localhost"))
    with server:
        city = make_city(url)
        ws = laptop(tmp_path / "ana")
        try:
            sync.enroll(ws, server.url, new_code(url, city), token_file=True, verify=trusting(ca))
            new_assessment(ws)
            result = sync.sync_now(ws, verify=trusting(ca))
            assert result.pushed >= 4
        finally:
            ws.close()
    assert any(s and s.startswith("Bearer rdy_") for s in recorder.seen)


@pytest.mark.parametrize(
    "names", [("127.0.0.1",), ("hub.example.org",)], ids=["untrusted-ca", "wrong-host"]
)
def test_untrusted_or_mismatched_certificates_are_refused_and_get_no_token(
    tmp_path: Path, ca: Any, names: tuple[str, ...]
) -> None:
    server, recorder, _url = serve(tmp_path, ca, names)
    verify: Any = True if names == ("127.0.0.1",) else trusting(ca)  # system CAs vs. ours
    with server:
        with HubClient(server.url, "rdy_secret-token", "c1", verify=verify) as client:
            with pytest.raises(HubRefused, match="not trusted"):
                client.changes(0, 10)
    assert recorder.seen == []  # no HTTP request, so no token, ever reached the server


def test_redirects_are_not_followed(tmp_path: Path, ca: Any) -> None:
    server, recorder, _url = serve(tmp_path, ca, ("127.0.0.1",), redirect=True)
    with server:
        with HubClient(server.url, "rdy_secret-token", "c1", verify=trusting(ca)) as client:
            with pytest.raises(HubRefused, match="redirect"):
                client.changes(0, 10)
    assert len(recorder.seen) == 1


@pytest.mark.parametrize(
    "url",
    [
        "http://hub.example.org",
        "http://10.0.0.5:8765",
        "ftp://hub.example.org",
        "https://user:pw@hub.example.org",
        "https://hub.example.org/?token=x",
        "hub.example.org",
    ],
)
def test_unsafe_hub_addresses_are_refused_before_any_connection(url: str) -> None:
    with pytest.raises(HubRefused):
        check_hub_url(url)


@pytest.mark.parametrize(
    "url",
    [
        "http://127.0.0.1:8765",
        "http://localhost:1/",
        "http://[::1]:8765",
        "https://hub.example.org/readiness/",
    ],
)
def test_https_and_loopback_http_are_accepted(url: str) -> None:
    assert check_hub_url(url).startswith(("http://", "https://"))
    assert not check_hub_url(url).endswith("/")
