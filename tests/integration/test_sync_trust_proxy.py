"""The hub client trusts what the operating system trusts, and goes through the system's proxy.

- Certificates: the OS trust store (truststore) plus SSL_CERT_FILE: a hub whose certificate comes
  from a private CA is refused until that CA is trusted, then accepted, with nothing else changed.
- Proxy: with HTTPS_PROXY set, the request for a hub by name goes through a CONNECT tunnel of the
  proxy (here a small one in the test, that records what it was asked); a hub on this computer
  is never proxied, even with a proxy that does not work.
"""

from __future__ import annotations

import select
import socket
import threading
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest

from app.sync import client as client_module
from app.sync.client import HubClient
from app.sync.errors import HubRefused, TransientError
from tests.sync_support import HubThread, free_port

trustme = pytest.importorskip("trustme")


@pytest.fixture(autouse=True)
def _fresh_trust(monkeypatch: pytest.MonkeyPatch) -> Iterator[None]:
    for name in ("SSL_CERT_FILE", "HTTPS_PROXY", "https_proxy", "HTTP_PROXY", "http_proxy",
                 "ALL_PROXY", "all_proxy", "NO_PROXY", "no_proxy"):  # fmt: skip
        monkeypatch.delenv(name, raising=False)
    client_module.default_tls.cache_clear()
    yield
    client_module.default_tls.cache_clear()


def tls_hub(tmp_path: Path, ca: Any, *names: str) -> HubThread:
    from app.hub.server import create_app

    pem = tmp_path / "hub.pem"
    ca.issue_cert(*names).private_key_and_cert_chain_pem.write_to_path(str(pem))
    return HubThread(create_app(f"sqlite:///{tmp_path / 'hub.sqlite3'}"), tls_pem=pem)


def test_the_default_trust_is_the_operating_systems_store() -> None:
    import truststore

    # not certifi's bundle: a CA deployed by group policy or MDM lives only in the OS store
    assert isinstance(client_module.default_tls(), truststore.SSLContext)
    assert client_module.default_tls().verify_mode.name == "CERT_REQUIRED"


def test_a_private_ca_is_trusted_once_named_and_only_then(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    ca = trustme.CA()
    with tls_hub(tmp_path, ca, "127.0.0.1") as hub:
        with HubClient(hub.url) as client, pytest.raises(HubRefused) as refused:
            client.health()
        assert "not trusted" in str(refused.value)

        ca_file = tmp_path / "ministry-ca.pem"
        ca.cert_pem.write_to_path(str(ca_file))
        monkeypatch.setenv("SSL_CERT_FILE", str(ca_file))
        client_module.default_tls.cache_clear()
        with HubClient(hub.url) as client:
            assert client.health()["status"] == "ok"


class ConnectProxy:
    """An HTTP proxy that only tunnels (CONNECT), to 127.0.0.1 whatever the name asked for."""

    def __init__(self) -> None:
        self.port = free_port()
        self.asked: list[str] = []
        self.listener = socket.create_server(("127.0.0.1", self.port))
        self.thread = threading.Thread(target=self.serve, daemon=True)
        self.stopping = False

    def __enter__(self) -> ConnectProxy:
        self.thread.start()
        return self

    def __exit__(self, *_exc: object) -> None:
        self.stopping = True
        self.listener.close()
        self.thread.join(5)

    def serve(self) -> None:
        while not self.stopping:
            try:
                conn, _ = self.listener.accept()
            except OSError:
                return
            threading.Thread(target=self.tunnel, args=(conn,), daemon=True).start()

    def tunnel(self, conn: socket.socket) -> None:
        with conn:
            head = b""
            while b"\r\n\r\n" not in head:
                chunk = conn.recv(4096)
                if not chunk:
                    return
                head += chunk
            method, target = head.split(b" ")[:2]
            self.asked.append(f"{method.decode()} {target.decode()}")
            if method != b"CONNECT":
                conn.sendall(b"HTTP/1.1 405 Method Not Allowed\r\ncontent-length: 0\r\n\r\n")
                return
            port = int(target.rsplit(b":", 1)[1])
            with socket.create_connection(("127.0.0.1", port)) as upstream:
                conn.sendall(b"HTTP/1.1 200 Connection established\r\n\r\n")
                pair = {conn: upstream, upstream: conn}
                while True:
                    ready, _, _ = select.select(list(pair), [], [], 5)
                    if not ready:
                        return
                    for side in ready:
                        data = side.recv(65536)
                        if not data:
                            return
                        pair[side].sendall(data)


def test_a_hub_by_name_is_reached_through_the_system_proxy(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    ca = trustme.CA()
    ca_file = tmp_path / "ca.pem"
    ca.cert_pem.write_to_path(str(ca_file))
    monkeypatch.setenv("SSL_CERT_FILE", str(ca_file))
    with tls_hub(tmp_path, ca, "hub.ministry.test") as hub, ConnectProxy() as proxy:
        monkeypatch.setenv("HTTPS_PROXY", f"http://127.0.0.1:{proxy.port}")
        url = f"https://hub.ministry.test:{hub.port}"  # a name only the proxy can reach
        with HubClient(url) as client:
            assert client.health()["status"] == "ok"
        assert proxy.asked == [f"CONNECT hub.ministry.test:{hub.port}"]

        monkeypatch.setenv("NO_PROXY", "ministry.test")
        with HubClient(url) as client, pytest.raises(TransientError):
            client.health()  # no proxy: the name does not resolve
        assert len(proxy.asked) == 1


def test_a_hub_on_this_computer_is_never_proxied(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    from app.hub.server import create_app

    dead = free_port()  # nothing listens there: a proxy that cannot work
    for name in ("HTTP_PROXY", "HTTPS_PROXY", "ALL_PROXY"):
        monkeypatch.setenv(name, f"http://127.0.0.1:{dead}")
    with HubThread(create_app(f"sqlite:///{tmp_path / 'hub.sqlite3'}")) as hub:
        with HubClient(hub.url) as client:
            assert client.health()["status"] == "ok"
