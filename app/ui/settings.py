"""The window's own settings, typed, with defaults and a schema version.

Two stores: the data folder's `gui-settings.ini` (language, hub address, window geometry), so
`--data-dir` moves everything; and a per-user QSettings that remembers only which data folder to
open when none is given. The contributor identity lives in the database (the workspace).
"""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

from PySide6.QtCore import QByteArray, QSettings

from app.common.i18n import LANGUAGES

SCHEMA_VERSION = 1
FILE_NAME = "gui-settings.ini"


@dataclass
class GuiSettings:
    # "" until someone chooses a language: the window then follows the system's (see i18n).
    language: str = ""
    hub_url: str = ""


class SettingsStore:
    def __init__(self, data_root: Path) -> None:
        self._qs = QSettings(str(data_root / FILE_NAME), QSettings.Format.IniFormat)
        self._migrate()

    def _migrate(self) -> None:
        version = int(str(self._qs.value("schema_version", 0) or 0))
        if version < SCHEMA_VERSION:
            # Version 1 is the first; later versions add their steps here, in order.
            self._qs.setValue("schema_version", SCHEMA_VERSION)

    def load(self) -> GuiSettings:
        language = str(self._qs.value("language", "") or "")
        return GuiSettings(
            language=language if language in LANGUAGES else "",
            hub_url=str(self._qs.value("hub_url", "") or ""),
        )

    def save(self, settings: GuiSettings) -> None:
        if settings.language in LANGUAGES:
            self._qs.setValue("language", settings.language)
        else:  # not chosen: keep following the system's language
            self._qs.remove("language")
        self._qs.setValue("hub_url", settings.hub_url)
        self._qs.sync()

    def geometry(self) -> tuple[QByteArray | None, QByteArray | None]:
        geometry = self._qs.value("window/geometry")
        state = self._qs.value("window/state")
        return (
            geometry if isinstance(geometry, QByteArray) else None,
            state if isinstance(state, QByteArray) else None,
        )

    def last_section(self, assessment_id: str) -> str:
        """The fill view's section shown last in this assessment ("" when never opened)."""
        return str(self._qs.value(f"sections/{assessment_id}", "") or "")

    def set_last_section(self, assessment_id: str, section_id: str) -> None:
        self._qs.setValue(f"sections/{assessment_id}", section_id)

    def save_geometry(self, geometry: QByteArray, state: QByteArray) -> None:
        self._qs.setValue("window/geometry", geometry)
        self._qs.setValue("window/state", state)
        self._qs.sync()


def _user_settings() -> QSettings:
    return QSettings(
        QSettings.Format.IniFormat, QSettings.Scope.UserScope, "Readiness", "Readiness"
    )


def chosen_data_dir() -> str | None:
    """The data folder the person chose in the settings, if any."""
    value = _user_settings().value("data_dir", "")
    return str(value) if value else None


def choose_data_dir(path: str) -> None:
    settings = _user_settings()
    settings.setValue("data_dir", path)
    settings.sync()
