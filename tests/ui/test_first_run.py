"""The first start: the welcome page and its three choices, the system's language, and bundle
files handed to the window from outside (`readiness gui FILE`, a later start, macOS's file-open
event)."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path
from typing import Any

import pytest
from PySide6.QtCore import Qt
from PySide6.QtGui import QFileOpenEvent
from PySide6.QtWidgets import QApplication

from app.domain import Answer
from app.ui import i18n
from app.ui.settings import GuiSettings, SettingsStore
from tests.ui.conftest import SAMPLE_FORM, wait_idle

ROOT = Path(__file__).resolve().parents[2]


@pytest.fixture(autouse=True)
def _english_system(monkeypatch: pytest.MonkeyPatch) -> None:
    """The machine running the tests may be in any language: these tests set the system's."""
    monkeypatch.setattr(i18n, "system_locale_name", lambda: "en-GB")


def _system_language(monkeypatch: pytest.MonkeyPatch, name: str) -> None:
    monkeypatch.setattr(i18n, "system_locale_name", lambda: name)


# -- the welcome page ---------------------------------------------------------------------------


def test_first_run_shows_the_welcome_choices(qtbot: Any, open_window: Any) -> None:
    window = open_window()
    home = window.home
    assert home.showing_welcome and home.welcome.isVisible()
    assert not home.table.isVisible() and not home.list_page.isVisible()
    assert home.welcome.title.text() == "Welcome to Readiness"
    assert "precision oncology" in home.welcome.what.text()
    assert "saved on this computer" in home.welcome.kept.text()
    assert home.welcome.demo_button.isVisible() and home.welcome.new_button.isVisible()
    assert home.welcome.import_button.isVisible() == window.has_sync
    assert home.demo_button is home.welcome.demo_button  # the choice shown now
    # The same choices stay in the File menu.
    assert window.demo_action.isVisible() and window.new_action.isVisible()


def test_open_the_demo_from_the_welcome_page(qtbot: Any, open_window: Any) -> None:
    window = open_window()
    qtbot.mouseClick(window.home.welcome.demo_button, Qt.MouseButton.LeftButton)
    wait_idle(qtbot, window)
    assert window.session.current is not None
    assert len(window.session.current.snapshot.questionnaire.indicators) > 90
    assert window.tabs.currentWidget() is window.fill
    window.show_page(0)
    home = window.home
    assert not home.showing_welcome and home.table.isVisible() and not home.welcome.isVisible()
    assert home.model.rowCount() == 1
    # From now on the list page's buttons offer the same choices.
    assert home.demo_button is home.list_demo_button and home.demo_button.isVisible()
    assert home.new_button.isVisible()


def test_new_assessment_from_the_welcome_page(
    qtbot: Any, open_window: Any, monkeypatch: pytest.MonkeyPatch
) -> None:
    from app.ui.backend import Backend
    from app.ui.new_assessment_dialog import NewAssessmentDialog

    monkeypatch.setattr(
        Backend, "shipped_forms", lambda self: [("Sample questionnaire", str(SAMPLE_FORM))]
    )
    window = open_window()
    qtbot.mouseClick(window.home.welcome.new_button, Qt.MouseButton.LeftButton)
    wait_idle(qtbot, window)
    assert isinstance(window.actions_.dialog, NewAssessmentDialog)
    window.actions_.dialog.reject()


def test_with_an_assessment_the_list_shows(
    qtbot: Any, open_window: Any, make_assessment: Any
) -> None:
    make_assessment(city="Kisumu")
    window = open_window()
    home = window.home
    assert not home.showing_welcome and not home.welcome.isVisible()
    assert home.table.isVisible() and home.model.rows()[0].city == "Kisumu"


# -- the system's language ----------------------------------------------------------------------


def test_first_run_speaks_the_system_language(
    qtbot: Any, open_window: Any, monkeypatch: pytest.MonkeyPatch, data_dir: Path
) -> None:
    _system_language(monkeypatch, "es-ES")
    window = open_window()
    assert i18n.current_language() == "es"
    assert window.tabs.tabText(0) == "&Inicio"
    assert window.home.welcome.title.text() == "Bienvenido a Readiness"
    assert window.language_actions["es"].isChecked()
    assert SettingsStore(data_dir).load().language == ""  # followed, not chosen


@pytest.mark.parametrize("name", ["de-DE", "C", ""])
def test_other_system_languages_give_english(
    qtbot: Any, open_window: Any, monkeypatch: pytest.MonkeyPatch, name: str
) -> None:
    _system_language(monkeypatch, name)
    window = open_window()
    assert i18n.current_language() == "en"
    assert window.tabs.tabText(0) == "&Home"


def test_a_chosen_language_wins_over_the_system(
    qtbot: Any, open_window: Any, monkeypatch: pytest.MonkeyPatch, data_dir: Path
) -> None:
    from app.ui.app import shutdown

    _system_language(monkeypatch, "pt-BR")
    first = open_window()
    assert first.tabs.tabText(0) == "&Início"
    first.language_actions["en"].trigger()  # View > Language > English
    assert first.tabs.tabText(0) == "&Home"
    first.close()
    shutdown(first)
    assert SettingsStore(data_dir).load().language == "en"
    again = open_window()
    assert i18n.current_language() == "en" and again.tabs.tabText(0) == "&Home"


def test_settings_saved_elsewhere_keep_the_language_unchosen(data_dir: Path) -> None:
    store = SettingsStore(data_dir)
    store.save(GuiSettings(language=store.load().language, hub_url="https://hub.example"))
    assert store.load() == GuiSettings(language="", hub_url="https://hub.example")
    store.save(GuiSettings(language="fr", hub_url=""))
    assert store.load().language == "fr"


# -- bundle files from outside ------------------------------------------------------------------


@pytest.fixture
def bundle(tmp_path: Path) -> tuple[Path, str]:
    """A bundle exported from another laptop's data folder: (file, assessment id)."""
    from app.services import answers, assessments, sync
    from app.services.workspace import Workspace

    (tmp_path / "outbox").mkdir()
    with Workspace.open(tmp_path / "laptop-2") as ws:
        assessment_id = assessments.create_assessment(
            ws, "Cusco", "Peru", "2026", str(SAMPLE_FORM), "es", "Rosa", "Pathologist"
        )
        answers.save_answer(ws, assessment_id, "PATH-04", Answer("yes"))
        made = sync.export_bundle(ws, assessment_id, tmp_path / "outbox" / "cusco.readiness")
    return made.path, assessment_id


def _imported_text(window: Any, opener: Any, qtbot: Any) -> str:
    wait_idle(qtbot, window)
    qtbot.waitUntil(lambda: opener.message is not None and opener.message.isVisible())
    return str(opener.message.text())


def test_a_bundle_given_at_start_is_imported_after_asking(
    qtbot: Any, open_window: Any, answers: Any, bundle: tuple[Path, str]
) -> None:
    from app.ui.open_files import accept_files

    path, assessment_id = bundle
    window = open_window()
    opener = accept_files(window)
    answers.confirm.append(True)
    opener.open_bundle(str(path))
    text = _imported_text(window, opener, qtbot)
    assert answers.asked and "cusco.readiness" in answers.asked[0]
    assert "Imported Cusco · 2026 from cusco.readiness" in text
    assert window.session.current.snapshot.header.id == assessment_id
    assert window.session.current.snapshot.answers["PATH-04"].answer.value == "yes"
    assert window.home.model.rowCount() == 1 and not window.home.showing_welcome
    assert text in window.statusBar().currentMessage()

    # The same file again adds nothing, and says so.
    assert opener.message is not None
    opener.message.close()
    answers.confirm.append(True)
    opener.open_bundle(str(path))
    assert "holds nothing new" in _imported_text(window, opener, qtbot)
    assert window.home.model.rowCount() == 1


def test_a_refused_or_broken_bundle_imports_nothing(
    qtbot: Any,
    open_window: Any,
    answers: Any,
    reported: Any,
    bundle: tuple[Path, str],
    tmp_path: Path,
) -> None:
    from app.ui.open_files import accept_files

    path, _id = bundle
    window = open_window()
    opener = accept_files(window)
    answers.confirm.append(False)
    opener.open_bundle(str(path))
    wait_idle(qtbot, window)
    assert window.home.model.rowCount() == 0 and opener.message is None

    broken = tmp_path / "broken.readiness"
    broken.write_bytes(path.read_bytes()[:200])
    answers.confirm.append(True)
    opener.open_bundle(str(broken))
    wait_idle(qtbot, window)
    assert len(reported.messages) == 1 and "nothing was imported" in reported.messages[0]

    opener.open_bundle(str(tmp_path / "missing.readiness"))  # no question for a missing file
    assert "missing.readiness: no such bundle file" in reported.messages[1]
    assert window.home.model.rowCount() == 0 and opener.message is None


def test_a_later_start_with_a_bundle_imports_it_in_the_running_window(
    qtbot: Any, open_window: Any, answers: Any, bundle: tuple[Path, str], data_dir: Path
) -> None:
    """`readiness gui --data-dir D cusco.readiness` while a window is open on D: that window
    comes forward and imports the file (named relative to the later start's own folder)."""
    from app.ui.open_files import accept_files
    from app.ui.single_instance import Claim, SingleInstance

    path, assessment_id = bundle
    window = open_window()
    guard = SingleInstance(data_dir)
    try:
        assert guard.claim() is Claim.PRIMARY
        opener = accept_files(window)
        guard.activated.connect(opener.on_activated)
        answers.confirm.append(True)
        env = {**os.environ, "QT_QPA_PLATFORM": "offscreen", "PYTHONPATH": str(ROOT)}
        with qtbot.waitSignal(guard.activated, timeout=30_000) as signal:
            later = subprocess.Popen(
                [sys.executable, "-m", "app", "gui", "--data-dir", str(data_dir), path.name],
                cwd=path.parent,
                env=env,
                stdout=subprocess.PIPE,
                stderr=subprocess.PIPE,
                text=True,
            )
        qtbot.waitUntil(lambda: later.poll() is not None, timeout=30_000)
        _out, err = later.communicate()
        assert later.returncode == 0, err
        assert str(path) in signal.args[0]  # made absolute by the later start
        text = _imported_text(window, opener, qtbot)
        assert "Imported Cusco · 2026" in text
        assert window.session.current.snapshot.header.id == assessment_id
    finally:
        guard.release()


def test_macos_file_open_event_imports_the_bundle(
    qtbot: Any, open_window: Any, answers: Any, bundle: tuple[Path, str]
) -> None:
    from app.ui.open_files import accept_files

    path, assessment_id = bundle
    window = open_window()
    opener = accept_files(window)
    answers.confirm.append(True)
    app = QApplication.instance()
    assert app is not None
    assert QApplication.sendEvent(app, QFileOpenEvent(str(path)))
    text = _imported_text(window, opener, qtbot)
    assert "Imported Cusco" in text
    assert window.session.current.snapshot.header.id == assessment_id


def test_the_gui_command_takes_a_bundle(tmp_path: Path) -> None:
    from app.cli import build_parser
    from app.ui.open_files import bundle_arguments, forwarded_arguments

    args = build_parser().parse_args(["gui", "São Paulo.readiness"])
    assert args.bundle == "São Paulo.readiness"
    assert build_parser().parse_args(["gui"]).bundle is None
    assert bundle_arguments(["gui", "--data-dir", "d", "x.READINESS", "notes.txt"]) == [
        "x.READINESS"
    ]
    assert forwarded_arguments(["gui", "x.readiness"]) == [
        "gui",
        str(Path("x.readiness").absolute()),
    ]
