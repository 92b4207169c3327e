"""A new user's first session, done the way a person does it: the wizard, the keyboard and the
mouse, a don't-know, a note and an attachment, the results changing, another language, and the
same answers found again after closing and reopening the window."""

from __future__ import annotations

from pathlib import Path
from typing import Any

from PySide6.QtCore import QDate, QPoint, Qt
from PySide6.QtWidgets import QCheckBox, QRadioButton, QWizard

from app.domain import AnswerState
from app.ui.new_assessment_dialog import NewAssessmentDialog
from app.ui.question_widget import QuestionWidget
from app.ui.value_editors import ChoiceEditor, DateEditor, MultiChoiceEditor, NumberEditor
from tests.ui.conftest import SAMPLE_FORM, wait_idle


def _question(window: Any, indicator_id: str) -> QuestionWidget:
    question = window.fill.question(indicator_id)
    assert question is not None, f"{indicator_id} is not on the current page"
    return question


def _type_number(qtbot: Any, window: Any, indicator_id: str, text: str) -> None:
    editor = _question(window, indicator_id).editor
    assert isinstance(editor, NumberEditor)
    editor.edit.setFocus()
    editor.edit.clear()
    qtbot.keyClicks(editor.edit, text)
    qtbot.keyClick(editor.edit, Qt.Key.Key_Return)
    wait_idle(qtbot, window)


def _radio(window: Any, indicator_id: str, code: str) -> QRadioButton:
    editor = _question(window, indicator_id).editor
    assert isinstance(editor, ChoiceEditor)
    return next(b for b in editor.buttons() if b.property("code") == code)


def _click_box(qtbot: Any, box: QCheckBox) -> None:
    """Click on the check box's square, where a person clicks."""
    qtbot.mouseClick(box, Qt.MouseButton.LeftButton, pos=QPoint(8, box.height() // 2))


def _saved(window: Any, indicator_id: str) -> bool:
    return _question(window, indicator_id).save_state() == "saved"


def _city_state(window: Any, indicator_id: str) -> AnswerState:
    return window.session.current.snapshot.answers[indicator_id].answer.state


def test_new_user_walkthrough(
    qtbot: Any, open_window: Any, answers: Any, tmp_path: Path, monkeypatch: Any
) -> None:
    from app.ui.backend import Backend

    monkeypatch.setattr(
        Backend, "shipped_forms", lambda self: [("Sample questionnaire", str(SAMPLE_FORM))]
    )
    window = open_window()
    assert window.home.model.rowCount() == 0
    assert window.home.empty.isVisible()
    assert not window.tabs.isTabEnabled(1)

    # -- the wizard ---------------------------------------------------------------------------
    qtbot.mouseClick(window.home.new_button, Qt.MouseButton.LeftButton)
    wait_idle(qtbot, window)
    wizard = window.actions_.dialog
    assert isinstance(wizard, NewAssessmentDialog)
    qtbot.keyClicks(wizard.place.city, "Tbilisi ")
    wizard.place.city.insert("· თბილისი")  # QTest types ASCII only; an input method types this
    qtbot.keyClicks(wizard.place.country, "Georgia")
    wizard.place.period.clear()
    qtbot.keyClicks(wizard.place.period, "2026-H1")
    wizard.next()
    assert wizard.form_page.form.currentData() == str(SAMPLE_FORM)
    wizard.next()
    wizard.person.name.clear()
    qtbot.keyClicks(wizard.person.name, "Nino")
    wizard.person.role.setCurrentText("Pathologist")
    qtbot.mouseClick(wizard.button(QWizard.WizardButton.FinishButton), Qt.MouseButton.LeftButton)
    wait_idle(qtbot, window)
    assert window.session.current is not None
    # The window manager gives the focus back to the main window when the wizard closes.
    window.activateWindow()
    qtbot.waitActive(window)
    header = window.session.current.snapshot.header
    assert (header.city, header.country, header.period) == (
        "Tbilisi · თბილისი",
        "Georgia",
        "2026-H1",
    )
    assert window.tabs.currentWidget() is window.fill
    assert window.home.model.rowCount() == 1
    assert window.results.domain_text("PATH").count("No level: insufficient data")

    # -- section 1: numbers by keyboard, a computed value, a radio by mouse ------------------
    _type_number(qtbot, window, "PATH-01", "12")
    _type_number(qtbot, window, "PATH-02", "1500000")
    assert _saved(window, "PATH-01") and _saved(window, "PATH-02")
    assert _question(window, "PATH-03").editor.display.text() == "8.0"  # type: ignore[attr-defined]
    # 8 pathologists per million reach level 5, but one known answer of four scored PATH
    # questions is too little to give the domain a level (skipping must not pay).
    assert window.session.current.snapshot.score.indicator("PATH-03").level == 5
    assert "No level: insufficient data" in window.results.domain_text("PATH")
    qtbot.mouseClick(_radio(window, "PATH-04", "yes"), Qt.MouseButton.LeftButton)
    wait_idle(qtbot, window)
    assert _saved(window, "PATH-04")
    # Fixation documented is level 4 (weight 2); PATH-05 and PATH-06 (now asked) are still
    # unanswered, so they count as level 1 until answered: (5 + 2 * 4 + 1 + 1) / 5 = 3.0.
    path = window.session.current.snapshot.score.domains["PATH"]
    assert (path.level, path.capped_by) == (3, ())
    assert "Level 3" in window.results.domain_text("PATH")
    assert "provisional" in window.results.domain_text("PATH")

    # A note (typed, committed with Enter) and an attachment on PATH-04.
    question = _question(window, "PATH-04")
    question.note.setFocus()
    qtbot.keyClicks(question.note, "SOP 12 in the main laboratory")
    qtbot.keyClick(question.note, Qt.Key.Key_Return)
    wait_idle(qtbot, window)
    evidence = tmp_path / "fixation-sop.pdf"
    evidence.write_bytes(b"%PDF-1.4 fixation SOP")
    answers.files.append(str(evidence))
    qtbot.mouseClick(question.attach_button, Qt.MouseButton.LeftButton)
    wait_idle(qtbot, window)
    assert "fixation-sop.pdf" in question.attachments_label.text()
    assert _saved(window, "PATH-04")

    # -- section 2 via Ctrl+PgDown: decimal, percent made relevant by PATH-04, a date ---------
    qtbot.keyClick(question.note, Qt.Key.Key_PageDown, Qt.KeyboardModifier.ControlModifier)
    assert window.fill.current_section() == "PATH-B"
    assert _question(window, "PATH-06").isVisible()  # relevant: PATH-04 is yes
    _type_number(qtbot, window, "PATH-05", "3.5")
    _type_number(qtbot, window, "PATH-06", "80")
    date_editor = _question(window, "PATH-07").editor
    assert isinstance(date_editor, DateEditor)
    date_editor.edit.setDate(QDate(2025, 3, 1))
    qtbot.keyClick(date_editor.edit, Qt.Key.Key_Return)
    wait_idle(qtbot, window)
    assert all(_saved(window, i) for i in ("PATH-05", "PATH-06", "PATH-07"))

    # -- section 3: check boxes and radios by mouse, a dependent number, a long text ----------
    qtbot.keyClick(date_editor.edit, Qt.Key.Key_PageDown, Qt.KeyboardModifier.ControlModifier)
    assert window.fill.current_section() == "BIO-A"
    multi = _question(window, "BIO-01").editor
    assert isinstance(multi, MultiChoiceEditor)
    boxes = {b.property("code"): b for b in multi.boxes()}
    _click_box(qtbot, boxes["er_pr_her2"])
    _click_box(qtbot, boxes["egfr"])
    wait_idle(qtbot, window)
    assert not _question(window, "BIO-04").isVisible()  # asked only for NGS
    qtbot.mouseClick(_radio(window, "BIO-02", "ngs"), Qt.MouseButton.LeftButton)
    wait_idle(qtbot, window)
    assert _question(window, "BIO-04").isVisible()
    _type_number(qtbot, window, "BIO-04", "250")
    sites = _question(window, "BIO-03").editor
    assert isinstance(sites, MultiChoiceEditor)
    _click_box(qtbot, sites.boxes()[0])
    wait_idle(qtbot, window)
    text = _question(window, "BIO-05").editor.focus_target()
    text.setFocus()
    qtbot.keyClicks(text, "Samples travel by courier twice a week.")
    qtbot.keyClick(text, Qt.Key.Key_Return, Qt.KeyboardModifier.ControlModifier)
    wait_idle(qtbot, window)
    assert all(_saved(window, i) for i in ("BIO-01", "BIO-02", "BIO-03", "BIO-04", "BIO-05"))

    # -- section 4: don't know by Ctrl+D, then a radio by keyboard ----------------------------
    qtbot.keyClick(text, Qt.Key.Key_PageDown, Qt.KeyboardModifier.ControlModifier)
    assert window.fill.current_section() == "QA-A"
    qa01 = _question(window, "QA-01")
    qa01.focus_first()
    qtbot.keyClick(qa01.editor.focus_target(), Qt.Key.Key_D, Qt.KeyboardModifier.ControlModifier)
    wait_idle(qtbot, window)
    assert qa01.state_boxes[AnswerState.DONT_KNOW].isChecked()
    assert _saved(window, "QA-01")
    assert _city_state(window, "QA-01") is AnswerState.DONT_KNOW
    accredited = _radio(window, "QA-03", "accredited")
    accredited.setFocus()
    qtbot.keyClick(accredited, Qt.Key.Key_Space)
    wait_idle(qtbot, window)
    assert _saved(window, "QA-03")

    snapshot = window.session.current.snapshot
    answered = [i for i, ca in snapshot.answers.items() if ca.answer.is_answered]
    assert len(answered) >= 12, answered
    path_node = window.fill.nav_model.nodes()[0]
    assert (path_node.answered, path_node.total) == (6, 6)  # the computed value is not asked

    # -- another language, switched at run time ----------------------------------------------
    window.language_actions["es"].trigger()
    assert window.tabs.tabText(1) == "&Rellenar"
    assert qa01.state_boxes[AnswerState.DONT_KNOW].text() == "No sé"
    window.fill.show_section("PATH-B")
    assert _question(window, "PATH-05").editor.edit.text() == "3,5"  # type: ignore[attr-defined]
    assert "Mediana de días" in _question(window, "PATH-05").title.text()  # content follows too
    window.close()

    # -- reopen on the same data folder: everything is where it was ---------------------------
    again = open_window()
    assert again.tabs.tabText(0) == "&Inicio"  # the language was remembered
    assert again.home.model.rowCount() == 1
    again.home.select(header.id)
    qtbot.keyClick(again.home.table, Qt.Key.Key_Return)
    wait_idle(qtbot, again)
    assert again.fill.current_section() == "PATH-B"  # where it was left
    again.fill.show_section("PATH-A")
    assert _question(again, "PATH-01").editor.edit.text() == "12"  # type: ignore[attr-defined]
    assert _radio(again, "PATH-04", "yes").isChecked()
    reopened = _question(again, "PATH-04")
    assert reopened.note.text() == "SOP 12 in the main laboratory"
    assert "fixation-sop.pdf" in reopened.attachments_label.text()
    again.fill.show_section("QA-A")
    assert _question(again, "QA-01").state_boxes[AnswerState.DONT_KNOW].isChecked()
    assert _radio(again, "QA-03", "accredited").isChecked()
    again.fill.show_section("BIO-A")
    bio01 = _question(again, "BIO-01").editor
    assert isinstance(bio01, MultiChoiceEditor)
    assert [b.property("code") for b in bio01.boxes() if b.isChecked()] == ["er_pr_her2", "egfr"]
