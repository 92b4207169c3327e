"""Around the questionnaire: status changes, the next round, a newer questionnaire version,
settings, backups and report exports, each through the window's own dialogs."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest
from PySide6.QtCore import Qt
from PySide6.QtWidgets import QDialogButtonBox

from app.domain import Answer
from app.ui.backups_dialog import BackupsDialog
from app.ui.settings_dialog import SettingsDialog
from app.ui.status_dialog import StatusDialog
from tests.ui.conftest import SAMPLE_FORM, wait_idle


@pytest.fixture
def answered(data_dir: Path, make_assessment: Any) -> str:
    from app.services import answers
    from app.services.workspace import Workspace

    assessment_id = make_assessment()
    with Workspace.open(data_dir) as ws:
        answers.save_answer(ws, assessment_id, "PATH-04", Answer("partial"))
        answers.save_answer(ws, assessment_id, "QA-01", Answer("yes"))
    return assessment_id


@pytest.fixture
def window(qtbot: Any, open_window: Any, answered: str) -> Any:
    opened = open_window()
    opened.open_assessment(answered)
    wait_idle(qtbot, opened)
    return opened


def _ok(dialog: Any) -> Any:
    return dialog.buttons.button(QDialogButtonBox.StandardButton.Ok)


def test_status_review_finalise_reopen(qtbot: Any, window: Any, answers: Any) -> None:
    window.status_action.trigger()
    dialog = window.actions_.dialog
    assert isinstance(dialog, StatusDialog)
    assert set(dialog.choices) == {"in_review", "final"}
    dialog.choices["in_review"].setChecked(True)
    qtbot.mouseClick(_ok(dialog), Qt.MouseButton.LeftButton)
    wait_idle(qtbot, window)
    assert window.session.current.snapshot.header.status == "in_review"
    assert window.home.model.rows()[0].status == "in_review"

    window.status_action.trigger()
    dialog = window.actions_.dialog
    dialog.choices["final"].setChecked(True)
    answers.confirm.append(True)
    qtbot.mouseClick(_ok(dialog), Qt.MouseButton.LeftButton)
    wait_idle(qtbot, window)
    assert window.session.current.snapshot.header.status == "final"
    assert "locked" in answers.asked[-1]
    assert not window.move_action.isEnabled()  # only a draft moves to another version

    # Reopening needs a reason: OK stays disabled until one is typed.
    window.status_action.trigger()
    dialog = window.actions_.dialog
    dialog.choices["draft"].setChecked(True)
    assert not _ok(dialog).isEnabled()
    qtbot.keyClicks(dialog.reason, "EQA results arrived late")
    assert _ok(dialog).isEnabled()
    qtbot.mouseClick(_ok(dialog), Qt.MouseButton.LeftButton)
    wait_idle(qtbot, window)
    assert window.session.current.snapshot.header.status == "draft"


def test_a_final_assessment_refuses_answers_at_the_field(
    qtbot: Any, window: Any, answers: Any, data_dir: Path, answered: str
) -> None:
    from app.services import assessments
    from app.services.workspace import Workspace

    with Workspace.open(data_dir) as ws:
        assessments.set_status(ws, answered, "final")
    question = window.fill.question("PATH-04")
    button = next(b for b in question.editor.buttons() if b.property("code") == "yes")
    qtbot.mouseClick(button, Qt.MouseButton.LeftButton)
    wait_idle(qtbot, window)
    assert question.save_state() == "failed"
    assert "is final; reopen it first" in question.message.text()


def test_start_the_next_round(qtbot: Any, window: Any, answers: Any, answered: str) -> None:
    answers.texts.append("2027")
    window.next_round_action.trigger()
    wait_idle(qtbot, window)
    header = window.session.current.snapshot.header
    assert (header.period, header.previous_assessment_id) == ("2027", answered)
    assert window.home.model.rowCount() == 2
    question = window.fill.question("PATH-04")
    assert next(b for b in question.editor.buttons() if b.isChecked()).property("code") == "partial"


def test_move_a_draft_to_a_newer_version(
    qtbot: Any, window: Any, answers: Any, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    from app.ui.backend import Backend

    newer = tmp_path / "sample-0.2.yaml"
    newer.write_text(
        SAMPLE_FORM.read_text(encoding="utf-8").replace('version: "0.1"', 'version: "0.2"'),
        encoding="utf-8",
    )
    monkeypatch.setattr(Backend, "shipped_forms", lambda self: [("Sample 0.2", str(newer))])
    answers.items.append(0)
    answers.confirm.append(True)
    window.move_action.trigger()
    wait_idle(qtbot, window)
    header = window.session.current.snapshot.header
    assert header.questionnaire_version == "0.2"
    assert window.session.current.snapshot.answers["PATH-04"].answer.value == "partial"


def test_settings_change_identity_and_language(qtbot: Any, window: Any) -> None:
    window.settings_action.trigger()
    wait_idle(qtbot, window)
    dialog = window.actions_.dialog
    assert isinstance(dialog, SettingsDialog)
    assert dialog.name.text() == "Ana"
    assert not dialog.hub.isVisible() or window.backend.has_sync()
    dialog.name.clear()
    qtbot.keyClicks(dialog.name, "Ana Lima")
    dialog.role.clear()
    qtbot.keyClicks(dialog.role, "Laboratory manager")
    dialog.language.setCurrentIndex(dialog.language.findData("fr"))
    dialog.accept()
    wait_idle(qtbot, window)
    assert window.backend.contributor().name == "Ana Lima"
    assert window.tabs.tabText(0) == "&Accueil"
    assert window.store.load().language == "fr"


def test_backups_create_and_restore(
    qtbot: Any, window: Any, answers: Any, data_dir: Path, answered: str
) -> None:
    window.backups_action.trigger()
    wait_idle(qtbot, window)
    dialog = window.actions_.dialog
    assert isinstance(dialog, BackupsDialog)
    before = dialog.table.rowCount()
    qtbot.mouseClick(dialog.create_button, Qt.MouseButton.LeftButton)
    wait_idle(qtbot, window)
    assert dialog.table.rowCount() == before + 1
    assert "made" in dialog.message.text()
    made = dialog.selected()

    # An answer after the backup, then restore the backup (after confirming).
    question = window.fill.question("PATH-04")
    qtbot.mouseClick(
        next(b for b in question.editor.buttons() if b.property("code") == "no"),
        Qt.MouseButton.LeftButton,
    )
    wait_idle(qtbot, window)
    assert window.session.current.snapshot.answers["PATH-04"].answer.value == "no"
    row = next(r for r in range(dialog.table.rowCount()) if dialog.table.item(r, 0).text() == made)
    dialog.table.selectRow(row)
    answers.confirm.append(False)
    qtbot.mouseClick(dialog.restore_button, Qt.MouseButton.LeftButton)
    wait_idle(qtbot, window)
    assert window.session.current is not None  # declined: nothing happened
    answers.confirm.append(True)
    qtbot.mouseClick(dialog.restore_button, Qt.MouseButton.LeftButton)
    wait_idle(qtbot, window)
    assert "restored" in dialog.message.text()
    assert window.session.current is None
    assert window.tabs.currentIndex() == 0
    dialog.close()
    window.open_assessment(answered)
    wait_idle(qtbot, window)
    assert window.session.current.snapshot.answers["PATH-04"].answer.value == "partial"


def test_export_pdf_and_excel(qtbot: Any, window: Any, answers: Any, tmp_path: Path) -> None:
    assert window.backend.has_reports()  # this build has the reports service
    assert window.pdf_action.isVisible() and window.pdf_action.isEnabled()
    answers.files.append(str(tmp_path / "testville"))
    window.pdf_action.trigger()
    wait_idle(qtbot, window, timeout=60_000)
    pdf = tmp_path / "testville.pdf"
    assert pdf.read_bytes().startswith(b"%PDF-")
    answers.files.append(str(tmp_path / "testville.xlsx"))
    window.xlsx_action.trigger()
    wait_idle(qtbot, window, timeout=60_000)
    assert (tmp_path / "testville.xlsx").read_bytes()[:2] == b"PK"
    assert "testville.xlsx" in window.statusBar().currentMessage()
