"""Where the device token lives: the operating system's keyring, or a file the user chose.

The token never goes into the database, the settings, the logs or any export. Without a usable
keyring (headless Linux has only the `fail` backend) the person is told plainly, and the token is
written to a file only when they asked for it (`--token-file`): that file is readable by its owner
alone (mode 0600) and written atomically.
"""

from __future__ import annotations

import contextlib
import os
from pathlib import Path

from app.common.errors import UserError
from app.common.fileio import atomic_write

SERVICE = "readiness-hub"
KEYRING = "keyring"
FILE = "file"


class NoKeyring(UserError):
    """No usable keyring on this computer."""


def keyring_problem() -> str | None:
    """Why the keyring cannot hold a token, or None when it can."""
    try:
        import keyring
        from keyring.backends import fail
    except ImportError:
        return "the keyring package is not installed"
    try:
        backend = keyring.get_keyring()
    except Exception as exc:  # a broken backend configuration
        return f"the keyring cannot be opened ({exc})"
    if isinstance(backend, fail.Keyring) or getattr(backend, "priority", 1) <= 0:
        return f"no usable keyring backend is available ({type(backend).__name__})"
    return None


def no_keyring_message(problem: str, token_file: Path) -> str:
    return (
        f"cannot store the hub token safely: {problem}. Nothing was written. Either start a "
        "keyring service (e.g. GNOME Keyring or KWallet; on Windows and macOS the system one), "
        f"or enroll again with --token-file to keep the token in {token_file}, readable only by you"
    )


def account(hub_url: str, device_id: str) -> str:
    """The keyring entry of a device token: keyed by the hub's device id (unique), so a hub that
    moves to a new address keeps working with the same token."""
    return f"device:{device_id}"


def save_token(token: str, *, hub_url: str, device_id: str, token_file: Path | None) -> str:
    """Store the token; returns where (`keyring` or `file`). `token_file` = the user's choice."""
    if token_file is not None:
        write_token_file(token_file, token)
        return FILE
    problem = keyring_problem()
    if problem:
        raise NoKeyring(no_keyring_message(problem, Path("device-token")))
    import keyring
    from keyring.errors import KeyringError

    try:
        keyring.set_password(SERVICE, account(hub_url, device_id), token)
    except KeyringError as exc:
        raise NoKeyring(f"the keyring refused to store the hub token ({exc})") from None
    return KEYRING


def load_token(store: str, *, hub_url: str, device_id: str, token_file: Path) -> str | None:
    """The stored token, or None when it is not there any more."""
    if store == FILE:
        try:
            text = token_file.read_text(encoding="utf-8").strip()
        except FileNotFoundError:
            return None
        except OSError as exc:
            raise UserError(f"{token_file}: cannot read the hub token: {exc.strerror}") from None
        return text or None
    problem = keyring_problem()
    if problem:
        raise NoKeyring(f"cannot read the hub token from the keyring: {problem}")
    import keyring
    from keyring.errors import KeyringError

    try:
        return keyring.get_password(SERVICE, account(hub_url, device_id))
    except KeyringError as exc:
        raise NoKeyring(f"cannot read the hub token from the keyring ({exc})") from None


def delete_token(store: str, *, hub_url: str, device_id: str, token_file: Path) -> None:
    """Forget a token (after re-enrolling elsewhere); missing tokens are fine."""
    if store == FILE:
        with contextlib.suppress(FileNotFoundError):
            token_file.unlink()
        return
    try:
        import keyring

        keyring.delete_password(SERVICE, account(hub_url, device_id))
    except Exception:  # nothing to delete, or no keyring: nothing to clean up either way
        return


def write_token_file(path: Path, token: str) -> None:
    """Write the token readable by its owner only (mkstemp creates 0600; chmod makes sure)."""
    path.parent.mkdir(parents=True, exist_ok=True)
    with atomic_write(path) as handle:
        if os.name == "posix":
            os.fchmod(handle.fileno(), 0o600)
        handle.write(token.encode("utf-8") + b"\n")
    with contextlib.suppress(OSError):
        os.chmod(path, 0o600)
