"""The fill view's walkthrough findings, one by one: the demo's answers never show in another
assessment (and the demo shows its own at once), the wizard accepts its suggested values, Undo
restores the previous answer as a new revision, the clear button is not on the way to the note,
"&" in an option label shows as typed, and numbers take either decimal mark."""

from __future__ import annotations

from typing import Any

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st
from PySide6.QtCore import QPoint, Qt
from PySide6.QtWidgets import QApplication, QWizard

from app.domain import UNANSWERED, Answer, AnswerState, AnswerType
from app.ui.new_assessment_dialog import NewAssessmentDialog
from app.ui.value_editors import ChoiceEditor, MultiChoiceEditor, NumberEditor, plain_label
from tests.ui.conftest import wait_idle


def _full_form(window: Any) -> str:
    return next(path for label, path in window.backend.shipped_forms() if "core" not in path)


def _click(qtbot: Any, button: Any) -> None:
    qtbot.mouseClick(button, Qt.MouseButton.LeftButton, pos=QPoint(6, button.height() // 2))


def _shown(window: Any) -> dict[str, Answer]:
    return {q.indicator.id: q.current_answer() for q in window.fill.questions()}


def test_the_demo_answers_never_show_in_another_assessment(qtbot: Any, open_window: Any) -> None:
    window = open_window()
    window.actions_.open_demo()
    wait_idle(qtbot, window)
    demo = window.session.assessment_id
    demo_shown = _shown(window)
    assert any(a != UNANSWERED for a in demo_shown.values())  # the demo opens filled in at once
    other = window.backend.create_assessment(
        "Other", "Land", "2026", _full_form(window), "en", "Ana", "Pathologist"
    )
    window.show_page(0)
    window.open_assessment(other)
    wait_idle(qtbot, window)
    assert window.fill.current_section() == next(iter(window.fill.nav_model.section_keys()))
    assert all(a.state is AnswerState.UNANSWERED and not a.note for a in _shown(window).values())
    # Ticking one box saves that box only, into the assessment shown.
    question = next(q for q in window.fill.questions() if isinstance(q.editor, MultiChoiceEditor))
    box = question.editor.boxes()[0]
    _click(qtbot, box)
    wait_idle(qtbot, window)
    snapshot = window.backend.load(other).snapshot
    answered = {i for i, c in snapshot.answers.items() if c.answer.is_answered}
    assert answered == {question.indicator.id}
    assert snapshot.answers[question.indicator.id].answer == Answer((box.property("code"),))
    # And back: the demo shows its own answers at once, unchanged.
    window.open_assessment(demo)
    wait_idle(qtbot, window)
    assert _shown(window) == demo_shown


def _wizard(qtbot: Any, window: Any) -> NewAssessmentDialog:
    window.new_action.trigger()
    wait_idle(qtbot, window)
    wizard = window.actions_.dialog
    assert isinstance(wizard, NewAssessmentDialog)
    return wizard


def test_the_wizard_accepts_every_suggested_value(qtbot: Any, open_window: Any) -> None:
    window = open_window()
    wizard = _wizard(qtbot, window)
    next_button = wizard.button(QWizard.WizardButton.NextButton)
    qtbot.keyClicks(wizard.place.city, "Tbilisi")
    qtbot.keyClicks(wizard.place.country, "Georgia")
    assert wizard.place.period.text()  # a period is suggested...
    assert next_button.isEnabled()  # ... and counts as filled
    wizard.next()
    assert next_button.isEnabled()  # questionnaire and language: the suggested ones
    wizard.next()
    qtbot.keyClicks(wizard.person.name, "Nino")
    finish = wizard.button(QWizard.WizardButton.FinishButton)
    assert finish.isEnabled()
    qtbot.mouseClick(finish, Qt.MouseButton.LeftButton)
    wait_idle(qtbot, window)
    first = window.session.assessment_id
    assert first is not None

    # The second time the name and role are remembered: Finish with nothing typed there.
    wizard = _wizard(qtbot, window)
    qtbot.keyClicks(wizard.place.city, "Kutaisi")
    qtbot.keyClicks(wizard.place.country, "Georgia")
    wizard.next()
    wizard.next()
    assert wizard.person.name.text() == "Nino"
    finish = wizard.button(QWizard.WizardButton.FinishButton)
    assert finish.isEnabled()
    wizard.person.name.clear()
    assert not finish.isEnabled()  # an empty name is refused...
    qtbot.keyClicks(wizard.person.name, "Nino")
    assert finish.isEnabled()  # ... the same name retyped is accepted
    qtbot.mouseClick(finish, Qt.MouseButton.LeftButton)
    wait_idle(qtbot, window)
    assert window.session.assessment_id not in (None, first)
    assert len(window.backend.list_assessments()) == 2


def test_the_questionnaire_choices_say_what_they_hold(qtbot: Any, open_window: Any) -> None:
    window = open_window()
    wizard = _wizard(qtbot, window)
    labels = [wizard.form_page.form.itemText(i) for i in range(wizard.form_page.form.count())]
    for (label, _path), shown in zip(window.backend.shipped_forms(), labels, strict=True):
        assert label == shown
        assert "questions" in shown
    wizard.reject()


@pytest.fixture
def opened(qtbot: Any, open_window: Any, make_assessment: Any) -> Any:
    assessment_id = make_assessment()
    window = open_window()
    window.open_assessment(assessment_id)
    wait_idle(qtbot, window)
    return window


def _radio(window: Any, indicator_id: str, code: str) -> Any:
    editor = window.fill.question(indicator_id).editor
    assert isinstance(editor, ChoiceEditor)
    return next(b for b in editor.buttons() if b.property("code") == code)


def test_undo_restores_the_previous_answer_as_a_new_revision(qtbot: Any, opened: Any) -> None:
    window = opened
    assessment_id = window.session.assessment_id
    assert not window.undo_action.isEnabled() and not window.undo_link.isVisible()
    _click(qtbot, _radio(window, "PATH-04", "yes"))
    wait_idle(qtbot, window)
    _click(qtbot, window.fill.question("PATH-04").clear_button)  # clearing can be undone too
    wait_idle(qtbot, window)
    assert window.fill.question("PATH-04").current_answer() == UNANSWERED
    assert window.undo_link.isVisible() and "PATH-04" in window.undo_link.text()
    window.undo_link.linkActivated.emit("undo")  # the status line's link
    wait_idle(qtbot, window)
    assert window.fill.question("PATH-04").current_answer() == Answer("yes")
    assert window.backend.load(assessment_id).snapshot.answers["PATH-04"].answer == Answer("yes")
    # Ctrl+Z: back to unanswered; every step is a revision of its own.
    qtbot.keyClick(window, Qt.Key.Key_Z, Qt.KeyboardModifier.ControlModifier)
    wait_idle(qtbot, window)
    assert window.fill.question("PATH-04").current_answer() == UNANSWERED
    assert len(window.backend.history(assessment_id, "PATH-04")) == 4
    assert not window.undo_action.isEnabled()


def test_the_clear_button_is_not_on_the_way_to_the_note(qtbot: Any, opened: Any) -> None:
    window = opened
    for question in window.fill.questions():
        if question.indicator.type is AnswerType.COMPUTED:
            continue
        boxes = list(question.state_boxes.values())
        start = boxes[-1] if boxes else question.editor.focus_target()
        start.setFocus()
        qtbot.waitUntil(start.hasFocus)
        seen = []
        while QApplication.focusWidget() is not question.note:
            seen.append(QApplication.focusWidget())
            qtbot.keyClick(QApplication.focusWidget(), Qt.Key.Key_Tab)
            assert len(seen) < 20, question.indicator.id
        assert question.clear_button not in seen, question.indicator.id


def test_an_ampersand_in_an_option_shows_as_typed(qtbot: Any) -> None:
    from app.domain import Indicator, Option

    indicator = Indicator(
        id="X-01",
        type=AnswerType.SINGLE_CHOICE,
        label={"en": "Stains"},
        options=(Option("he", {"en": "H&E"}), Option("ihc", {"en": "IHC & ISH"})),
    )
    editor = ChoiceEditor(indicator, "en")
    qtbot.addWidget(editor)
    # Qt reads one "&" as a mnemonic; the label shows "H&E" only when it is doubled.
    assert [b.text() for b in editor.buttons()] == ["H&&E", "IHC && ISH"]
    assert plain_label("a&&b") == "a&&&&b"


@given(st.integers(0, 10_000), st.integers(1, 99), st.sampled_from([",", "."]))
@settings(max_examples=50, deadline=None)
def test_either_decimal_mark_reads_the_same_in_every_language(
    whole: int, fraction: int, mark: str
) -> None:
    from app.common.i18n import LANGUAGES
    from app.ui import i18n

    text = f"{whole}{mark}{fraction:02d}"
    try:
        for lang in LANGUAGES:
            i18n.set_language(lang)
            assert i18n.parse_number(text) == pytest.approx(whole + fraction / 100), (lang, text)
    finally:
        i18n.set_language("en")


def test_a_corrected_number_clears_not_saved(qtbot: Any, opened: Any) -> None:
    window = opened
    window.fill.show_section("PATH-B")
    question = window.fill.question("PATH-05")
    editor = question.editor
    assert isinstance(editor, NumberEditor)
    editor.edit.setFocus()
    qtbot.keyClicks(editor.edit, "1,2,3")
    qtbot.keyClick(editor.edit, Qt.Key.Key_Return)
    wait_idle(qtbot, window)
    assert question.save_state() == "invalid"
    assert question.save_label.text() == "Not saved"
    assert window.save_status.text() == "Some answers are not saved"
    editor.edit.clear()
    qtbot.keyClicks(editor.edit, "6,5")
    qtbot.keyClick(editor.edit, Qt.Key.Key_Return)
    wait_idle(qtbot, window)
    assert question.save_state() == "saved"
    assert not question.message.isVisible()
    assert window.save_status.text() == "All changes saved"
    assessment_id = window.session.assessment_id
    assert window.backend.load(assessment_id).snapshot.answers["PATH-05"].answer.value == 6.5


def test_the_window_fits_the_screen_with_its_status_bar(qtbot: Any, open_window: Any) -> None:
    from app.ui.main_window import TITLE_BAR

    window = open_window()
    area = window.screen().availableGeometry()
    assert window.width() <= area.width()
    assert window.height() + TITLE_BAR <= area.height() or (
        window.height() == window.minimumHeight()
    )
    bar = window.statusBar()
    assert bar.isVisible()
    assert bar.geometry().bottom() <= window.rect().bottom()


def test_reopening_returns_to_the_section_left(
    qtbot: Any, open_window: Any, make_assessment: Any
) -> None:
    first, second = make_assessment(), make_assessment("Otherville")
    window = open_window()
    window.open_assessment(first)
    wait_idle(qtbot, window)
    window.fill.show_section("PATH-B")
    window.open_assessment(second)
    wait_idle(qtbot, window)
    assert window.fill.current_section() == "PATH-A"  # never opened: the first section
    window.close()
    again = open_window()
    again.open_assessment(first)
    wait_idle(qtbot, again)
    assert again.fill.current_section() == "PATH-B"
