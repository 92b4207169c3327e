"""Help > About Readiness (version, folders, questionnaires, licence) and Help > User guide."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
from PySide6.QtCore import QUrl

from app import __version__
from app.forms import form_header, shipped_forms
from app.ui import desktop, help_menu, i18n
from app.ui.about_dialog import AboutDialog
from tests.ui.conftest import wait_idle


@pytest.fixture(autouse=True)
def _english_system(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(i18n, "system_locale_name", lambda: "en-GB")


@pytest.fixture
def opened() -> Iterator[list[str]]:
    """What would have been handed to the desktop."""
    paths: list[str] = []

    def opener(url: QUrl) -> bool:
        paths.append(url.toLocalFile())
        return True

    desktop.set_opener(opener)
    yield paths
    desktop.set_opener(None)


def _about(qtbot: Any, window: Any) -> AboutDialog:
    window.help.about_action.trigger()
    wait_idle(qtbot, window)
    dialog = window.help.dialog
    assert isinstance(dialog, AboutDialog) and dialog.isVisible()
    qtbot.waitUntil(lambda: dialog.forms.rowCount() > 0)
    return dialog


def test_about_shows_version_folders_and_questionnaires(
    qtbot: Any, open_window: Any, data_dir: Path, make_assessment: Any, opened: list[str]
) -> None:
    make_assessment()  # stores the sample questionnaire, which is not a shipped one
    window = open_window()
    assert window.help.menu.title() == "&Help"
    dialog = _about(qtbot, window)
    assert __version__ in dialog.version.text()
    assert dialog.data_label.text() == str(data_dir)
    assert dialog.log_label.text() == str(data_dir / "logs")
    assert "Apache License, version 2.0" in dialog.licence.text()

    rows = dialog.questionnaire_rows()
    listed = {(row[0], row[1]) for row in rows}
    shipped = {form_header(path) for path in shipped_forms()}
    assert shipped and shipped <= listed
    for form_id, version, title, count, origin in rows:
        assert title and int(count) > 0
        assert origin == ("shipped" if (form_id, version) in shipped else "received")
    received = [row for row in rows if row[4] == "received"]
    assert len(received) == 1 and int(received[0][3]) >= 10

    dialog.open_data.click()
    dialog.open_logs.click()
    assert opened == [str(data_dir), str(data_dir / "logs")]
    assert not dialog.message.isVisible()


def test_about_titles_follow_the_language(qtbot: Any, open_window: Any) -> None:
    window = open_window()
    window.set_language("fr")
    assert window.help.about_action.text() == "À &propos de Readiness"
    dialog = _about(qtbot, window)
    assert dialog.windowTitle() == "À propos de Readiness"
    header = dialog.forms.horizontalHeaderItem(3)
    assert header is not None and header.text() == "Questions"


def test_a_folder_that_does_not_open_is_said_so(
    qtbot: Any, open_window: Any, data_dir: Path
) -> None:
    desktop.set_opener(lambda _url: False)
    try:
        window = open_window()
        dialog = _about(qtbot, window)
        dialog.open_logs.click()
        assert dialog.message.isVisible() and str(data_dir / "logs") in dialog.message.text()
    finally:
        desktop.set_opener(None)


def test_user_guide_entry_only_when_shipped(
    qtbot: Any,
    open_window: Any,
    opened: list[str],
    monkeypatch: pytest.MonkeyPatch,
    tmp_path: Path,
) -> None:
    guide = help_menu.user_guide("en")
    assert guide is not None and guide.name == "user-guide.md"  # shipped in docs/
    window = open_window()
    assert window.help.guide_action is not None
    window.help.guide_action.trigger()
    window.set_language("es")
    window.help.guide_action.trigger()
    spanish = guide.with_name("user-guide.es.md")
    assert opened == [str(guide), str(spanish) if spanish.is_file() else str(guide)]
    i18n.set_language("en")

    monkeypatch.setattr(help_menu, "user_guide", lambda _lang: None)
    bare = open_window(folder=tmp_path / "other-data")
    assert bare.help.guide_action is None
    assert [action.text() for action in bare.help.menu.actions()] == ["&About Readiness"]
