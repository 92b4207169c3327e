"""The application around the pages: the demo at one click, bundles, languages and numbers, the
crash dialog and log files, the radar chart, the home list cache, and `readiness --self-test`."""

from __future__ import annotations

import logging
import subprocess
import sys
from pathlib import Path
from typing import Any

import pytest
from PySide6.QtCore import QPoint, Qt
from PySide6.QtGui import QColor

from app.domain import Answer
from app.ui import i18n
from app.ui.crash_dialog import CrashDialog
from app.ui.radar_widget import RadarAxis, RadarWidget
from tests.ui.conftest import wait_idle


def test_open_the_demo_in_one_click(qtbot: Any, open_window: Any) -> None:
    window = open_window()
    assert window.home.demo_button.isVisible()
    qtbot.mouseClick(window.home.demo_button, Qt.MouseButton.LeftButton)
    wait_idle(qtbot, window)
    assert window.session.current is not None
    snapshot = window.session.current.snapshot
    assert len(snapshot.questionnaire.indicators) > 90
    assert window.tabs.currentWidget() is window.fill and window.fill.questions()
    assert window.home.model.rowCount() == 1
    # Asking again opens the same demo, never a second one.
    window.show_page(0)
    qtbot.mouseClick(window.home.demo_button, Qt.MouseButton.LeftButton)
    wait_idle(qtbot, window)
    assert window.home.model.rowCount() == 1


def test_entry_points_follow_the_installed_services(qtbot: Any, open_window: Any) -> None:
    window = open_window()
    assert window.pdf_action.isVisible() == window.backend.has_reports()
    assert window.home.import_button.isVisibleTo(window) == window.backend.has_sync()
    assert window.sync_menu.menuAction().isVisible() == window.backend.has_sync()
    assert not window.pdf_action.isEnabled()  # nothing open yet


def test_bundle_export_and_import_between_two_laptops(
    qtbot: Any, open_window: Any, make_assessment: Any, answers: Any, tmp_path: Path, data_dir: Path
) -> None:
    from app.services import answers as answers_service
    from app.services.workspace import Workspace

    assessment_id = make_assessment()
    with Workspace.open(data_dir) as ws:
        answers_service.save_answer(ws, assessment_id, "PATH-04", Answer("yes"))
    first = open_window()
    assert first.has_sync  # this build has the sync service: the bundle actions must show
    first.open_assessment(assessment_id)
    wait_idle(qtbot, first)
    bundle = tmp_path / "testville"
    answers.files.append(str(bundle))
    first.bundle_export_action.trigger()
    wait_idle(qtbot, first)
    assert (tmp_path / "testville.readiness").is_file()

    second_dir = tmp_path / "laptop-2"
    second = open_window(folder=second_dir)
    assert second.home.model.rowCount() == 0
    answers.files.append(str(tmp_path / "testville.readiness"))
    qtbot.mouseClick(second.home.import_button, Qt.MouseButton.LeftButton)
    wait_idle(qtbot, second)
    assert second.home.model.rowCount() == 1
    assert second.session.current.snapshot.header.id == assessment_id
    assert second.session.current.snapshot.answers["PATH-04"].answer.value == "yes"
    assert "Imported" in second.statusBar().currentMessage()


def test_numbers_follow_the_language(qtbot: Any) -> None:
    i18n.set_language("fr")
    assert i18n.format_number(2.5) == "2,5"
    assert i18n.format_number(1500000) == "1500000"  # no group separator to confuse typing
    assert i18n.parse_number("2,5") == 2.5
    assert i18n.parse_number("2.5") == 2.5  # figures pasted from English documents
    assert i18n.parse_number("abc") is None
    assert i18n._("Saved") == "Enregistré"
    i18n.set_language("en")
    assert i18n.format_number(2.5) == "2.5"
    assert i18n.parse_number("1,5") == 1.5  # a comma is a decimal mark in English too
    assert i18n._("Saved") == "Saved"


def test_qt_dialog_strings_are_translated(qtbot: Any) -> None:
    from PySide6.QtWidgets import QDialogButtonBox

    i18n.set_language("es")
    box = QDialogButtonBox(QDialogButtonBox.StandardButton.Cancel)
    qtbot.addWidget(box)
    assert box.button(QDialogButtonBox.StandardButton.Cancel).text().replace("&", "") == "Cancelar"


def test_every_catalogue_translates_every_string() -> None:
    from babel.messages.pofile import read_po

    folder = i18n.catalogue_dir()
    template = read_po((folder / "readiness.pot").open("rb"))
    wanted = {m.id if isinstance(m.id, str) else m.id[0] for m in template if m.id}
    for lang in ("es", "fr", "pt"):
        catalogue = read_po((folder / lang / "LC_MESSAGES" / "readiness.po").open("rb"))
        done = {
            m.id if isinstance(m.id, str) else m.id[0]
            for m in catalogue
            if m.id
            and m.string
            and "fuzzy" not in m.flags
            and (m.string if isinstance(m.string, str) else all(m.string))
        }
        assert wanted <= done, (lang, sorted(wanted - done)[:5])
        assert (folder / lang / "LC_MESSAGES" / "readiness.mo").is_file()


def test_crash_dialog_names_the_log_file(qtbot: Any, tmp_path: Path) -> None:
    try:
        raise ZeroDivisionError("division by zero in the score")
    except ZeroDivisionError as exc:
        dialog = CrashDialog(exc, tmp_path / "logs" / "readiness.log")
    qtbot.addWidget(dialog)
    assert str(tmp_path / "logs" / "readiness.log") in dialog.log_label.text()
    assert "ZeroDivisionError" in dialog.details_text
    assert "division by zero in the score" in dialog.details_text


def test_bugs_are_logged_to_the_rotating_file(
    qtbot: Any, open_window: Any, data_dir: Path, reported: Any
) -> None:
    from app.ui import errors

    window = open_window()
    log_file = errors.log_file()
    assert log_file is not None and log_file.parent == data_dir / "logs"
    handlers = [h for h in logging.getLogger("readiness").handlers if hasattr(h, "maxBytes")]
    assert handlers and handlers[0].maxBytes > 0 and handlers[0].backupCount > 0
    window.runner.db(lambda: 1 / 0).start()
    wait_idle(qtbot, window)
    assert [type(e) for e in reported.bugs] == [ZeroDivisionError]
    reported.items.clear()
    for handler in handlers:
        handler.flush()
    assert "ZeroDivisionError" in log_file.read_text(encoding="utf-8")


def test_radar_draws_each_domain(qtbot: Any) -> None:
    radar = RadarWidget()
    qtbot.addWidget(radar)
    radar.resize(400, 360)
    radar.set_axes(
        [
            RadarAxis("GOV", 4.0),
            RadarAxis("PATH", 2.0, True),
            RadarAxis("BIO", None),
            RadarAxis("QA", 5.0),
            RadarAxis("TX", 1.0),
        ]
    )
    image = radar.grab().toImage()
    accent = radar.palette().highlight().color()

    def near(point: QPoint) -> bool:
        for dx in range(-2, 3):
            for dy in range(-2, 3):
                colour = QColor(image.pixel(point.x() + dx, point.y() + dy))
                if abs(colour.red() - accent.red()) + abs(colour.blue() - accent.blue()) < 60:
                    return True
        return False

    assert near(radar.point_for(0, 4.0).toPoint())  # the GOV vertex at 4
    assert near(radar.point_for(3, 5.0).toPoint())  # QA on the outer ring
    assert "PATH: 2.0" in radar.accessibleDescription()
    assert "BIO: -" in radar.accessibleDescription()


def test_home_list_cache_only_when_the_database_is_unchanged(
    qtbot: Any, open_window: Any, make_assessment: Any, data_dir: Path
) -> None:
    import os

    from app.common.paths import DataPaths
    from app.ui import home_cache
    from app.ui.app import shutdown

    make_assessment()
    window = open_window()
    window.close()
    shutdown(window)
    paths = DataPaths.resolve(data_dir)
    rows = home_cache.load(paths)
    assert rows is not None and [r.city for r in rows] == ["Testville"]
    stat = paths.database.stat()
    os.utime(paths.database, ns=(stat.st_atime_ns, stat.st_mtime_ns + 1_000_000))
    assert home_cache.load(paths) is None  # someone wrote the database since


@pytest.mark.slow
def test_self_test_command(tmp_path: Path) -> None:
    done = subprocess.run(
        [sys.executable, "-m", "app", "--self-test"],
        capture_output=True,
        text=True,
        timeout=300,
        env={**__import__("os").environ, "QT_QPA_PLATFORM": "offscreen"},
    )
    assert done.returncode == 0, done.stdout + done.stderr
    assert "self-test: all checks passed" in done.stdout
    assert "demo opened" in done.stdout
