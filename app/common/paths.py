"""Where the product keeps its files. One place, so `--data-dir` can move all of them.

Layout under the data folder:
    readiness.sqlite3      the local database
    backups/               rotating database backups
    attachments/           answer attachments, stored by SHA-256
    logs/                  rotating log files
    hub.sqlite3            the embedded hub database (hub commands only)
    device-token           the sync token, only when the user chose --token-file
"""

from __future__ import annotations

import os
from dataclasses import dataclass
from pathlib import Path

APP_NAME = "Readiness"
DATA_DIR_ENV = "READINESS_DATA_DIR"


def default_data_dir() -> Path:
    """The platform's per-user data folder (or `$READINESS_DATA_DIR`)."""
    env = os.environ.get(DATA_DIR_ENV)
    if env:
        return Path(env).expanduser()
    import platformdirs

    return Path(platformdirs.user_data_dir(APP_NAME, appauthor=False))


@dataclass(frozen=True)
class DataPaths:
    """Every path the product writes to, derived from one data folder."""

    root: Path

    @classmethod
    def resolve(cls, data_dir: str | os.PathLike[str] | None = None) -> DataPaths:
        root = Path(data_dir).expanduser() if data_dir else default_data_dir()
        return cls(root.absolute())

    @property
    def database(self) -> Path:
        return self.root / "readiness.sqlite3"

    @property
    def backups(self) -> Path:
        return self.root / "backups"

    @property
    def attachments(self) -> Path:
        return self.root / "attachments"

    @property
    def logs(self) -> Path:
        return self.root / "logs"

    @property
    def hub_database(self) -> Path:
        return self.root / "hub.sqlite3"

    @property
    def token_file(self) -> Path:
        return self.root / "device-token"

    def ensure(self) -> DataPaths:
        """Create the folders (not the files), readable by this user only. Returns self."""
        for folder in (self.root, self.backups, self.attachments, self.logs):
            folder.mkdir(mode=0o700, parents=True, exist_ok=True)
        return self


def make_private(*paths: Path) -> None:
    """Files 0600 and folders 0700 on Linux and macOS (health-system data: this user only).
    Paths that do not exist are skipped; on Windows the per-user app-data folder's ACL does it."""
    if os.name != "posix":
        return
    for path in paths:
        try:
            path.chmod(0o700 if path.is_dir() else 0o600)
        except FileNotFoundError:
            continue


def resources_dir() -> Path:
    """The shipped `resources/` folder: fonts, icons, stylesheet, compiled translations."""
    return _shipped_folder("resources")


INSTALLED_DATA = Path("share") / "readiness"


def forms_dir() -> Path:
    """The shipped questionnaire definitions folder `forms/`."""
    return _shipped_folder("forms")


def _shipped_folder(name: str) -> Path:
    """A folder shipped with the code (`forms` or `resources`).

    Frozen: inside the bundle. From a checkout (or an editable install): beside `app/`. From an
    installed wheel: `share/readiness/NAME` under the installation's data folder (the wheel puts
    it there: it cannot sit inside the `app` package). The checkout's path is returned when none
    exists, so messages name where the files were expected.
    """
    import sys

    frozen_root = getattr(sys, "_MEIPASS", None)
    if frozen_root:
        return Path(frozen_root) / name
    checkout = Path(__file__).resolve().parents[2]
    beside_code = checkout / name
    # beside `app/` only in a checkout: in site-packages a stray `resources/` may be anyone's
    if beside_code.is_dir() and (checkout / "pyproject.toml").is_file():
        return beside_code
    for data_root in _installation_data_roots():
        installed = data_root / INSTALLED_DATA / name
        if installed.is_dir():
            return installed
    return beside_code


def _installation_data_roots() -> list[Path]:
    """Where pip puts a wheel's data files: the environment's prefix, or the user's base."""
    import sysconfig

    return [
        Path(sysconfig.get_path("data")),
        Path(sysconfig.get_path("data", sysconfig.get_preferred_scheme("user"))),
    ]
