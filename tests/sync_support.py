"""Helpers for the sync and hub tests: a real hub on loopback, databases, enrolled laptops.

- `hub_databases(tmp_path)`: the hub database URLs a test runs against: a SQLite file always,
  plus a fresh PostgreSQL schema when READINESS_TEST_PG_URL is set (dropped afterwards).
- `HubThread`: uvicorn serving `create_app(url)` on 127.0.0.1 and a free port, in a thread.
- `HubProcess`: the same through `readiness hub serve` in a child process (for kill -9 tests).
- `make_city`, `new_code`, `laptop`: a hub city, a one-time code, an enrolled data folder.
"""

from __future__ import annotations

import contextlib
import os
import socket
import subprocess
import sys
import threading
import time
import uuid
from collections.abc import Iterator
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parents[1]
SAMPLE_FORM = ROOT / "tests" / "data" / "sample-form.yaml"
PG_ENV = "READINESS_TEST_PG_URL"


def free_port() -> int:
    with socket.socket(socket.AF_INET, socket.SOCK_STREAM) as sock:
        sock.bind(("127.0.0.1", 0))
        return int(sock.getsockname()[1])


# ---------------------------------------------------------------------------------------------
# Hub databases


def pg_base_url() -> str | None:
    return os.environ.get(PG_ENV) or None


def with_search_path(url: str, schema: str, user: str | None = None) -> str:
    from sqlalchemy.engine import make_url

    parsed = make_url(url)
    if user is not None:
        parsed = parsed.set(username=user, password="app")
    query = dict(parsed.query)
    query["options"] = f"-csearch_path={schema}"
    return parsed.set(query=query).render_as_string(hide_password=False)


@contextlib.contextmanager
def pg_schema() -> Iterator[tuple[str, str]]:
    """A fresh schema in the test database: yields (url with search_path, schema name)."""
    from sqlalchemy import create_engine, text

    base = pg_base_url()
    assert base
    schema = f"t_{uuid.uuid4().hex[:12]}"
    engine = create_engine(base, isolation_level="AUTOCOMMIT")
    try:
        with engine.connect() as conn:
            conn.execute(text(f'CREATE SCHEMA "{schema}"'))
        yield with_search_path(base, schema), schema
    finally:
        with engine.connect() as conn:
            conn.execute(text(f'DROP SCHEMA IF EXISTS "{schema}" CASCADE'))
        engine.dispose()


@contextlib.contextmanager
def pg_app_role(schema: str) -> Iterator[str]:
    """A non-superuser login role (created for the test, dropped after): yields its URL."""
    from sqlalchemy import create_engine, text

    base = pg_base_url()
    assert base
    role = f"app_{uuid.uuid4().hex[:10]}"
    engine = create_engine(base, isolation_level="AUTOCOMMIT")
    with engine.connect() as conn:
        conn.execute(text(f"CREATE ROLE {role} LOGIN PASSWORD 'app' NOSUPERUSER NOBYPASSRLS"))
    try:
        yield role
    finally:
        with engine.connect() as conn:
            conn.execute(text(f"DROP OWNED BY {role}"))
            conn.execute(text(f"DROP ROLE {role}"))
        engine.dispose()


def db_params() -> list[Any]:
    import pytest

    return [
        pytest.param("sqlite", id="sqlite"),
        pytest.param(
            "postgres",
            id="postgres",
            marks=[
                pytest.mark.postgres,
                pytest.mark.skipif(not pg_base_url(), reason=f"{PG_ENV} not set"),
            ],
        ),
    ]


@contextlib.contextmanager
def hub_database(kind: str, tmp_path: Path) -> Iterator[str]:
    """An initialised, empty hub database of `kind` ('sqlite' or 'postgres'): yields its URL."""
    from app.hub import admin

    if kind == "sqlite":
        url = f"sqlite:///{tmp_path / 'hub.sqlite3'}"
        admin.init(url)
        yield url
        return
    with pg_schema() as (url, _schema):
        admin.init(url)
        yield url


# ---------------------------------------------------------------------------------------------
# Servers


class HubThread:
    """uvicorn serving an app on 127.0.0.1 in a background thread."""

    def __init__(
        self, app: Any, *, limit_concurrency: int | None = None, tls_pem: Path | None = None
    ) -> None:
        import uvicorn

        self.port = free_port()
        self.url = f"{'https' if tls_pem else 'http'}://127.0.0.1:{self.port}"
        config = uvicorn.Config(
            app,
            host="127.0.0.1",
            port=self.port,
            log_level="warning",
            lifespan="off",
            ws="none",
            http="h11",
            limit_concurrency=limit_concurrency,
            timeout_keep_alive=5,
            ssl_certfile=str(tls_pem) if tls_pem else None,
            ssl_keyfile=str(tls_pem) if tls_pem else None,
        )
        self.server = uvicorn.Server(config)
        self.thread = threading.Thread(target=self.server.run, name="hub", daemon=True)

    def __enter__(self) -> HubThread:
        self.thread.start()
        deadline = time.monotonic() + 15
        while not self.server.started:
            if time.monotonic() > deadline or not self.thread.is_alive():
                raise RuntimeError("the hub did not start")
            time.sleep(0.01)
        return self

    def __exit__(self, *_exc: object) -> None:
        self.server.should_exit = True
        self.thread.join(15)


def port_is_free(port: int) -> bool:
    """Whether no socket listens on 127.0.0.1:`port` (connections in TIME_WAIT don't count:
    the server binds with SO_REUSEADDR too)."""
    with socket.socket(socket.AF_INET, socket.SOCK_STREAM) as sock:
        sock.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
        try:
            sock.bind(("127.0.0.1", port))
        except OSError:
            return False
        return True


def listener_pid_is(pid: int, port: int) -> bool:
    """Whether the socket listening on 127.0.0.1:`port` belongs to process `pid` (Linux /proc).

    Where /proc is missing the answer is True: the caller has already checked that the port was
    free before the process started, which is the weaker form of the same guarantee.
    """
    tcp = Path("/proc/net/tcp")
    if not tcp.exists():
        return True
    wanted = f"0100007F:{port:04X}"
    inodes = set()
    for line in tcp.read_text().splitlines()[1:]:
        fields = line.split()
        if fields[1] == wanted and fields[3] == "0A":  # 0A: LISTEN
            inodes.add(fields[9])
    if not inodes:
        return False
    fd_dir = Path(f"/proc/{pid}/fd")
    with contextlib.suppress(OSError):
        for fd in fd_dir.iterdir():
            with contextlib.suppress(OSError):
                target = os.readlink(fd)
                if target.startswith("socket:[") and target[8:-1] in inodes:
                    return True
    return False


_LIVE_HUBS: set[HubProcess] = set()


def stop_all_hub_processes() -> None:
    """Kill and reap every hub process a test started and did not stop (a finalizer)."""
    for hub in list(_LIVE_HUBS):
        hub.kill()


class HubProcess:
    """`readiness hub serve` in a child process, so a test can SIGKILL it.

    The process is the test's own: `start` refuses a port that something else holds, waits
    until this very process is the one listening (not an older server on the same port), and
    every started process is killed and reaped by `stop`/`kill` or, at the latest, by the
    `hub_processes_reaped` fixture after the test.
    """

    def __init__(self, db_url: str, data_dir: Path, port: int | None = None) -> None:
        self.port = port or free_port()
        self.url = f"http://127.0.0.1:{self.port}"
        self.db_url = db_url
        self.data_dir = data_dir
        self.proc: subprocess.Popen[bytes] | None = None

    def start(self) -> HubProcess:
        import httpx

        deadline = time.monotonic() + 10
        while not port_is_free(self.port):  # a killed server's socket can linger briefly
            if time.monotonic() > deadline:
                raise RuntimeError(f"port {self.port} is still held by another process")
            time.sleep(0.05)
        self.proc = subprocess.Popen(
            [
                sys.executable,
                "-m",
                "app",
                "--data-dir",
                str(self.data_dir),
                "hub",
                "serve",
                "--db",
                self.db_url,
                "--port",
                str(self.port),
            ],
            cwd=ROOT,
            stdout=subprocess.DEVNULL,
            stderr=subprocess.DEVNULL,
        )
        _LIVE_HUBS.add(self)
        deadline = time.monotonic() + 30
        while time.monotonic() < deadline:
            if self.proc.poll() is not None:
                self.kill()
                raise RuntimeError("the hub process exited")
            with contextlib.suppress(httpx.HTTPError):
                healthy = httpx.get(self.url + "/v1/health", timeout=1).status_code == 200
                if healthy and listener_pid_is(self.proc.pid, self.port):
                    return self
            time.sleep(0.1)
        self.kill()
        raise RuntimeError("the hub process did not start")

    def kill(self) -> None:
        if self.proc is not None:
            if self.proc.poll() is None:
                self.proc.kill()  # SIGKILL: no cleanup, no graceful shutdown
            self.proc.wait(10)
        _LIVE_HUBS.discard(self)

    def stop(self) -> None:
        if self.proc is not None and self.proc.poll() is None:
            self.proc.terminate()
            try:
                self.proc.wait(10)
            except subprocess.TimeoutExpired:
                pass
        self.kill()


# ---------------------------------------------------------------------------------------------
# Cities, codes and laptops


def make_city(db_url: str, name: str = "Lima", country: str = "Peru") -> str:
    from app.hub import admin

    return admin.add_city(db_url, name, country)


def new_code(db_url: str, city: str, contributor: str = "Ana") -> str:
    from app.hub import admin

    return admin.enroll_code(db_url, city, contributor)[0]


def laptop(folder: Path, hub_url: str | None = None, code: str | None = None) -> Any:
    """An open Workspace in `folder`, enrolled with the hub (token file) when a code is given."""
    from app.services import sync
    from app.services.workspace import Workspace

    ws = Workspace.open(folder, daily_backup=False)
    if hub_url and code:
        sync.enroll(ws, hub_url, code, token_file=True)
    return ws


def new_assessment(ws: Any, contributor: str = "Ana") -> str:
    from app.services.assessments import create_assessment

    return create_assessment(ws, "Lima", "Peru", "2026", SAMPLE_FORM, "en", contributor, "lab lead")


def answer(value: Any, state: str = "answered") -> Any:
    from app.domain import Answer, AnswerState

    if state != "answered":
        return Answer(state=AnswerState(state))
    return Answer(value=value)


def city_answer(ws: Any, assessment_id: str, indicator_id: str) -> Any:
    from app.services.assessments import load_snapshot

    return load_snapshot(ws, assessment_id, with_revisions=False).answers[indicator_id]


def fast_policy() -> Any:
    from app.sync.engine import RetryPolicy

    return RetryPolicy(attempts=6, base=0.01, cap=0.05)


# ---------------------------------------------------------------------------------------------
# Hostile bundles (RELIABILITY.md test 24)


def _rezip(entries: list[tuple[Any, bytes]]) -> bytes:
    import io
    import warnings
    import zipfile

    out = io.BytesIO()
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")  # zipfile warns about duplicate names, which we want
        with zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as zf:
            for info, data in entries:
                zf.writestr(info, data)
    return out.getvalue()


def _entries(valid: bytes) -> list[tuple[Any, bytes]]:
    import io
    import zipfile

    with zipfile.ZipFile(io.BytesIO(valid)) as zf:
        return [(info, zf.read(info)) for info in zf.infolist()]


def _patch_headers(
    data: bytes,
    name: str,
    *,
    size: int | None = None,
    flags: int | None = None,
    new_name: bytes | None = None,
) -> bytes:
    """Change the sizes, flags or name bytes of one entry in both of its zip headers."""
    import struct

    raw = bytearray(data)
    encoded = name.encode()
    for signature, name_at, size_at, flag_at in (
        (b"PK\x03\x04", 30, 22, 6),
        (b"PK\x01\x02", 46, 24, 8),
    ):
        start = 0
        while True:
            at = raw.find(signature, start)
            if at < 0:
                break
            start = at + 4
            if raw[at + name_at : at + name_at + len(encoded)] != encoded:
                continue
            if size is not None:
                raw[at + size_at : at + size_at + 4] = struct.pack("<I", size)
            if flags is not None:
                old = struct.unpack("<H", raw[at + flag_at : at + flag_at + 2])[0]
                raw[at + flag_at : at + flag_at + 2] = struct.pack("<H", old | flags)
            if new_name is not None:
                assert len(new_name) == len(encoded)
                raw[at + name_at : at + name_at + len(encoded)] = new_name
    return bytes(raw)


def hostile_bundles(valid: bytes) -> dict[str, bytes]:
    """Variations of a valid bundle that must all be refused before anything is written."""
    import hashlib
    import json
    import stat
    import zipfile

    entries = _entries(valid)
    names = [info.filename for info, _d in entries]
    manifest = json.loads(dict((i.filename, d) for i, d in entries)["manifest.json"])

    def plus(name: str, data: bytes = b"x", mode: int | None = None) -> bytes:
        info = zipfile.ZipInfo(name)
        if mode is not None:
            info.external_attr = mode << 16
        return _rezip([*entries, (info, data)])

    def replaced(name: str, data: bytes, fix_manifest: bool = True) -> bytes:
        changed = dict(manifest)
        if fix_manifest:
            changed["entries"] = dict(manifest["entries"])
            changed["entries"][name] = {
                "sha256": hashlib.sha256(data).hexdigest(),
                "size": len(data),
            }
        out = []
        for info, old in entries:
            if info.filename == name:
                out.append((info, data))
            elif info.filename == "manifest.json":
                out.append((info, json.dumps(changed).encode()))
            else:
                out.append((info, old))
        return _rezip(out)

    sha = hashlib.sha256(b"x").hexdigest()
    cases = {
        "dotdot": plus("../../evil.txt"),
        "dotdot inside": plus("attachments/../../evil.txt"),
        "leading slash": plus("/tmp/evil.txt"),
        "drive letter": plus("C:/evil.txt"),
        "backslash": plus("attachments\\..\\..\\evil.txt"),
        "symlink": plus(f"attachments/{sha}", b"/etc/passwd", stat.S_IFLNK | 0o777),
        "directory": plus("attachments/", b""),
        "duplicate": _rezip([*entries, entries[1]]),
        "unexpected file": plus("notes.txt"),
        "nested zip": plus("inner.zip", valid),
        "records is a zip": replaced("records.json", valid),
        "many entries": _rezip(
            entries + [(zipfile.ZipInfo(f"attachments/{i:064x}"), b"") for i in range(10_000)]
        ),
        "bomb": replaced("records.json", b"[" + b" " * (60 * 1024 * 1024) + b"]"),
        "truncated": valid[: len(valid) // 2],
        "not a zip": b"%PDF-1.4 not a bundle",
        "empty": b"",
        "wrong hash": replaced("records.json", b"[]", fix_manifest=False),
        "missing manifest": _rezip([e for e in entries if e[0].filename != "manifest.json"]),
        "future format": replaced(
            "manifest.json",
            json.dumps(dict(manifest, format_version=99)).encode(),
            fix_manifest=False,
        ),
        "other city in manifest": replaced(
            "manifest.json",
            json.dumps(
                dict(manifest, city=dict(manifest["city"], city_key="georgia/tbilisi"))
            ).encode(),
            fix_manifest=False,
        ),
        "declared size smaller": _patch_headers(valid, "records.json", size=10),
        "declared size larger": _patch_headers(valid, "records.json", size=10_000_000),
        "encrypted": _patch_headers(valid, "records.json", flags=0x1),
        "non utf-8 name": _patch_headers(
            plus("attachments/zzzz.txt"),
            "attachments/zzzz.txt",
            new_name=b"attachments/\xff\xfezz.txt",
        ),
    }
    assert "records.json" in names
    return cases
