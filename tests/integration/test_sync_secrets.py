"""Secrets at rest: RELIABILITY.md test 21.

After enrolling, syncing, forcing errors and exporting, the device token is in none of: the
laptop's database (and its WAL), the hub's database (only its SHA-256 is), every log record
emitted at DEBUG level, the data folder's files, or a bundle export. It lives in the keyring, or in
the token file the user chose (mode 0600). With no usable keyring the user is told plainly, the
one-time code is not spent, and nothing is written.
"""

from __future__ import annotations

import logging
import os
import stat
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import keyring
import pytest
from keyring.backend import KeyringBackend
from keyring.backends import fail

from app.common.errors import HubUnreachable
from app.hub import admin
from app.services import sync
from app.sync.errors import EnrollmentNeeded
from app.sync.token_store import NoKeyring
from tests.sync_support import HubThread, fast_policy, laptop, make_city, new_assessment, new_code


class MemoryKeyring(KeyringBackend):
    priority = 1  # type: ignore[assignment]

    def __init__(self) -> None:
        super().__init__()
        self.items: dict[tuple[str, str], str] = {}

    def get_password(self, service: str, username: str) -> str | None:
        return self.items.get((service, username))

    def set_password(self, service: str, username: str, password: str) -> None:
        self.items[(service, username)] = password

    def delete_password(self, service: str, username: str) -> None:
        self.items.pop((service, username), None)


@pytest.fixture
def hub(tmp_path: Path) -> Iterator[Any]:
    from app.hub.server import create_app

    url = f"sqlite:///{tmp_path / 'hub' / 'hub.sqlite3'}"
    (tmp_path / "hub").mkdir()
    admin.init(url)
    app = create_app(url)
    with HubThread(app) as server:
        server.db_url = url  # type: ignore[attr-defined]
        server.city = make_city(url)  # type: ignore[attr-defined]
        yield server
    app.state.db.close()


@pytest.fixture
def with_keyring(request: pytest.FixtureRequest) -> Iterator[Any]:
    previous = keyring.get_keyring()
    backend: Any = request.param() if callable(request.param) else request.param
    keyring.set_keyring(backend)
    yield backend
    keyring.set_keyring(previous)


def files_containing(folder: Path, secret: str) -> list[str]:
    needle = secret.encode()
    return [str(p) for p in folder.rglob("*") if p.is_file() and needle in p.read_bytes()]


def exercise(ws: Any, hub: Any, caplog: pytest.LogCaptureFixture, tmp_path: Path) -> None:
    """Sync, fail in two ways, export: everything that could leak a token."""
    assessment = new_assessment(ws)
    with caplog.at_level(logging.DEBUG):
        sync.sync_now(ws, policy=fast_policy())
        sync.export_bundle(ws, assessment, tmp_path / "export.readiness")
        device = sync.current_enrollment(ws)
        assert device is not None
        admin.revoke(hub.db_url, device.device_id)
        with pytest.raises(EnrollmentNeeded):
            sync.sync_now(ws, policy=fast_policy())
        from app.services.sync import HUB_URL
        from app.storage import catalog

        with ws.write() as conn:
            catalog.set_setting(conn, HUB_URL, "http://127.0.0.1:9")
        with pytest.raises(HubUnreachable):
            sync.sync_now(ws, policy=fast_policy())
        sync.sync_status(ws)


@pytest.mark.parametrize("with_keyring", [MemoryKeyring], indirect=True)
def test_the_token_lives_only_in_the_keyring(
    hub: Any, with_keyring: MemoryKeyring, tmp_path: Path, caplog: pytest.LogCaptureFixture
) -> None:
    ws = laptop(tmp_path / "ana")
    try:
        enrolled = sync.enroll(ws, hub.url, new_code(hub.db_url, hub.city))
        assert enrolled.token_store == "keyring"
        (token,) = with_keyring.items.values()
        assert token.startswith("rdy_") and len(token) > 40
        assert not ws.paths.token_file.exists()
        exercise(ws, hub, caplog, tmp_path)
    finally:
        ws.close()
    assert files_containing(tmp_path, token) == []  # data folder, both databases, the export
    assert token not in caplog.text and all(token not in str(r.args) for r in caplog.records)


def test_the_token_file_is_only_written_by_choice_and_only_for_its_owner(
    hub: Any, tmp_path: Path, caplog: pytest.LogCaptureFixture
) -> None:
    ws = laptop(tmp_path / "ana")
    try:
        sync.enroll(ws, hub.url, new_code(hub.db_url, hub.city), token_file=True)
        token = ws.paths.token_file.read_text().strip()
        mode = stat.S_IMODE(os.stat(ws.paths.token_file).st_mode)
        assert mode == 0o600
        exercise(ws, hub, caplog, tmp_path)
    finally:
        ws.close()
    leaks = files_containing(tmp_path, token)
    assert leaks == [str(tmp_path / "ana" / "device-token")]
    assert token not in caplog.text


@pytest.mark.parametrize("with_keyring", [fail.Keyring], indirect=True)
def test_without_a_keyring_the_user_is_told_and_nothing_is_spent_or_written(
    hub: Any, with_keyring: Any, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    from app.cli import main

    code = new_code(hub.db_url, hub.city)
    folder = tmp_path / "ana"
    assert main(["--data-dir", str(folder), "sync", "enroll", hub.url, code]) == 1
    err = capsys.readouterr().err
    assert "keyring" in err and "--token-file" in err and len(err.strip().splitlines()) == 1
    assert not (folder / "device-token").exists()
    ws = laptop(folder)
    try:
        assert sync.current_enrollment(ws) is None
        with pytest.raises(NoKeyring):
            sync.enroll(ws, hub.url, code)
    finally:
        ws.close()
    # The code was never sent, so it still works when the user chooses the token file.
    assert main(["--data-dir", str(folder), "sync", "enroll", hub.url, code, "--token-file"]) == 0
    assert capsys.readouterr().out.strip().splitlines()[-1]
    assert (folder / "device-token").exists()
