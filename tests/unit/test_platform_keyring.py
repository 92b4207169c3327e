"""The hub token and the operating system's keyring: Windows Credential Locker, macOS Keychain,
Secret Service on Linux desktops, and nothing at all on a headless or minimal Linux.

Without a usable keyring the person is told what to do and nothing is written; the token goes to
a file only when they asked for one, readable by them alone.
"""

from __future__ import annotations

import os
import stat
import sys
from collections.abc import Iterator
from pathlib import Path

import keyring
import pytest
from keyring.backend import KeyringBackend
from keyring.backends import fail, null
from keyring.errors import PasswordSetError

from app.common.errors import UserError
from app.sync import token_store

TOKEN = "rdy_4f9c2a7e1b0d48c6a2f1e9b7c3d5a8f0"
HUB = "https://hub.example.org"


class MemoryKeyring(KeyringBackend):
    """A working keyring, as on a Windows or macOS laptop."""

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


class RefusingKeyring(MemoryKeyring):
    """A keyring that says no (a locked keychain, a cancelled prompt)."""

    def set_password(self, service: str, username: str, password: str) -> None:
        raise PasswordSetError("user cancelled the prompt")


@pytest.fixture
def use_keyring() -> Iterator[object]:
    previous = keyring.get_keyring()

    def use(backend: KeyringBackend) -> KeyringBackend:
        keyring.set_keyring(backend)
        return backend

    yield use
    keyring.set_keyring(previous)


def files_under(folder: Path) -> list[Path]:
    return [p for p in folder.rglob("*") if p.is_file()]


@pytest.mark.parametrize("backend", [fail.Keyring(), null.Keyring()], ids=["fail", "null"])
def test_no_keyring_is_said_plainly_and_nothing_is_written(
    use_keyring: object, backend: KeyringBackend, tmp_path: Path
) -> None:
    use_keyring(backend)  # type: ignore[operator]
    problem = token_store.keyring_problem()
    assert problem and type(backend).__name__ in problem
    with pytest.raises(UserError) as caught:
        token_store.save_token(TOKEN, hub_url=HUB, device_id="dev-1", token_file=None)
    message = str(caught.value)
    assert "Nothing was written" in message and "--token-file" in message
    assert TOKEN not in message
    assert files_under(tmp_path) == []  # no plain-text fallback anywhere


def test_a_refusing_keyring_is_a_message_not_a_crash(use_keyring: object) -> None:
    use_keyring(RefusingKeyring())  # type: ignore[operator]
    with pytest.raises(UserError, match="refused"):
        token_store.save_token(TOKEN, hub_url=HUB, device_id="dev-1", token_file=None)


def test_a_working_keyring_keeps_the_token_per_hub_and_device(use_keyring: object) -> None:
    ring = use_keyring(MemoryKeyring())  # type: ignore[operator]
    assert token_store.keyring_problem() is None
    where = token_store.save_token(TOKEN, hub_url=HUB, device_id="dev-1", token_file=None)
    assert where == token_store.KEYRING
    [((service, account), secret)] = ring.items.items()  # type: ignore[attr-defined]
    assert (service, secret) == (token_store.SERVICE, TOKEN) and "dev-1" in account
    assert (
        token_store.load_token(where, hub_url=HUB, device_id="dev-1", token_file=Path("x")) == TOKEN
    )
    token_store.delete_token(where, hub_url=HUB, device_id="dev-1", token_file=Path("x"))
    assert ring.items == {}  # type: ignore[attr-defined]


def test_the_token_file_chosen_without_a_keyring_is_private(
    use_keyring: object, tmp_path: Path
) -> None:
    use_keyring(fail.Keyring())  # type: ignore[operator]
    token_file = tmp_path / "data" / "device-token"
    where = token_store.save_token(TOKEN, hub_url=HUB, device_id="dev-1", token_file=token_file)
    assert where == token_store.FILE
    assert token_file.read_text(encoding="utf-8").strip() == TOKEN
    if os.name == "posix":
        assert stat.S_IMODE(token_file.stat().st_mode) == 0o600
    assert (
        token_store.load_token(where, hub_url=HUB, device_id="dev-1", token_file=token_file)
        == TOKEN
    )


def test_a_missing_keyring_package_is_reported(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setitem(sys.modules, "keyring", None)  # import keyring now fails
    assert token_store.keyring_problem() == "the keyring package is not installed"


def test_the_backends_each_platform_needs_are_installed() -> None:
    """The frozen bundle collects keyring's backends; the ones for this platform must import."""
    import importlib

    wanted = {"win32": "keyring.backends.Windows", "darwin": "keyring.backends.macOS"}
    importlib.import_module(wanted.get(sys.platform, "keyring.backends.SecretService"))
