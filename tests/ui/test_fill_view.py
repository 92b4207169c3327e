"""The fill view: keyboard-only use, live relevance, filters, multiple choice rules, constraints,
and every answer type rendered."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest
from PySide6.QtCore import Qt
from PySide6.QtWidgets import QApplication, QComboBox

from app.domain import Answer, AnswerState, AnswerType
from app.ui.value_editors import (
    ChoiceEditor,
    ComputedEditor,
    DateEditor,
    MultiChoiceEditor,
    NumberEditor,
    TextEditor,
)
from tests.ui.conftest import wait_idle


@pytest.fixture
def window(qtbot: Any, open_window: Any, make_assessment: Any) -> Any:
    assessment_id = make_assessment()
    opened = open_window()
    opened.open_assessment(assessment_id)
    wait_idle(qtbot, opened)
    return opened


def _focused_question(window: Any) -> str | None:
    widget = QApplication.focusWidget()
    while widget is not None:
        if widget.property("role") == "question":
            return widget.objectName().removeprefix("question_")
        widget = widget.parentWidget()
    return None


def test_every_answer_type_has_its_editor(qtbot: Any, window: Any) -> None:
    expected = {
        AnswerType.INTEGER: NumberEditor,
        AnswerType.DECIMAL: NumberEditor,
        AnswerType.PERCENT: NumberEditor,
        AnswerType.COMPUTED: ComputedEditor,
        AnswerType.YES_PARTIAL_NO: ChoiceEditor,
        AnswerType.SINGLE_CHOICE: ChoiceEditor,
        AnswerType.MULTIPLE_CHOICE: MultiChoiceEditor,
        AnswerType.DATE: DateEditor,
        AnswerType.TEXT: TextEditor,
        AnswerType.LONG_TEXT: TextEditor,
    }
    seen: set[AnswerType] = set()
    for section in window.fill.nav_model.section_keys():
        window.fill.show_section(section)
        for question in window.fill.questions():
            kind = question.indicator.type
            assert isinstance(question.editor, expected[kind]), question.indicator.id
            seen.add(kind)
            # Every input has an accessible name.
            for child in question.findChildren(QComboBox) + [question.note]:
                assert child.accessibleName(), (question.indicator.id, child)
            assert question.editor.focus_target().accessibleName()
    assert seen == set(expected)


def test_keyboard_only_answering(qtbot: Any, window: Any) -> None:
    fill = window.fill
    assert _focused_question(window) == "PATH-01"  # the first question has the focus on open
    first = fill.question("PATH-01").editor.edit
    qtbot.keyClicks(first, "9")
    # Tab leaves the field (commits it) and moves on through the question's inputs.
    qtbot.keyClick(first, Qt.Key.Key_Tab)
    wait_idle(qtbot, window)
    assert fill.question("PATH-01").save_state() == "saved"
    assert QApplication.focusWidget() is fill.question("PATH-01").state_boxes[AnswerState.DONT_KNOW]

    # Alt+PgDown / Alt+PgUp go from question to question, skipping nothing visible.
    focus = QApplication.focusWidget()
    qtbot.keyClick(focus, Qt.Key.Key_PageDown, Qt.KeyboardModifier.AltModifier)
    assert _focused_question(window) == "PATH-02"
    qtbot.keyClick(QApplication.focusWidget(), Qt.Key.Key_PageDown, Qt.KeyboardModifier.AltModifier)
    assert _focused_question(window) == "PATH-03"
    qtbot.keyClick(QApplication.focusWidget(), Qt.Key.Key_PageDown, Qt.KeyboardModifier.AltModifier)
    assert _focused_question(window) == "PATH-04"
    qtbot.keyClick(QApplication.focusWidget(), Qt.Key.Key_PageUp, Qt.KeyboardModifier.AltModifier)
    assert _focused_question(window) == "PATH-03"
    qtbot.keyClick(QApplication.focusWidget(), Qt.Key.Key_PageDown, Qt.KeyboardModifier.AltModifier)

    # Radio buttons: arrow keys choose; Ctrl+D marks don't know and back.
    radio = QApplication.focusWidget()
    qtbot.keyClick(radio, Qt.Key.Key_Space)
    wait_idle(qtbot, window)
    question = fill.question("PATH-04")
    assert question.saved_answer().value == "yes"
    revisions = _revision_count(window, "PATH-04")
    qtbot.keyClick(QApplication.focusWidget(), Qt.Key.Key_Right)
    qtbot.keyClick(QApplication.focusWidget(), Qt.Key.Key_Right)
    qtbot.keyClick(QApplication.focusWidget(), Qt.Key.Key_Left)
    wait_idle(qtbot, window)
    # Arrow keys move through the choices without writing a revision per key press...
    assert question.saved_answer().value == "yes"
    assert question.save_state() == "pending"
    # ... the choice is saved after a pause.
    qtbot.waitUntil(lambda: question.saved_answer().value == "partial", timeout=5000)
    wait_idle(qtbot, window)
    assert _revision_count(window, "PATH-04") == revisions + 1
    qtbot.keyClick(QApplication.focusWidget(), Qt.Key.Key_D, Qt.KeyboardModifier.ControlModifier)
    wait_idle(qtbot, window)
    assert question.saved_answer().state is AnswerState.DONT_KNOW
    assert not question.editor.isEnabled()

    # Ctrl+PgDown / Ctrl+PgUp change section and put the focus on its first question.
    qtbot.keyClick(
        QApplication.focusWidget(), Qt.Key.Key_PageDown, Qt.KeyboardModifier.ControlModifier
    )
    assert fill.current_section() == "PATH-B"
    assert _focused_question(window) == "PATH-05"
    qtbot.keyClick(
        QApplication.focusWidget(), Qt.Key.Key_PageUp, Qt.KeyboardModifier.ControlModifier
    )
    assert fill.current_section() == "PATH-A"


def _revision_count(window: Any, indicator_id: str) -> int:
    return len(window.backend.history(window.session.assessment_id, indicator_id))


def test_question_keys_leave_drop_down_keys_alone(qtbot: Any, window: Any) -> None:
    """Alt+Down opens a drop-down list (Windows users' key), it does not move to a question."""
    fill = window.fill
    combo = fill.question("PATH-01").evidence
    combo.setFocus()
    qtbot.waitUntil(combo.hasFocus)
    qtbot.keyClick(combo, Qt.Key.Key_Down, Qt.KeyboardModifier.AltModifier)
    assert _focused_question(window) == "PATH-01"
    combo.hidePopup()


def test_focus_is_always_visible(qtbot: Any, window: Any) -> None:
    """The stylesheet draws a focus outline on every kind of input."""
    sheet = QApplication.instance().styleSheet()
    for selector in (
        "QLineEdit:focus",
        "QRadioButton:focus",
        "QCheckBox:focus",
        "QPushButton:focus",
        "QComboBox:focus",
        "QTreeView:focus",
        "QPlainTextEdit:focus",
    ):
        assert selector in sheet
    edit = window.fill.question("PATH-01").editor.edit
    edit.setFocus()
    qtbot.waitUntil(edit.hasFocus)
    focused = edit.grab().toImage()
    window.fill.question("PATH-01").note.setFocus()
    qtbot.waitUntil(lambda: not edit.hasFocus())
    assert edit.grab().toImage() != focused  # the outline is drawn


def test_relevance_applies_live(qtbot: Any, window: Any, data_dir: Path) -> None:
    fill = window.fill
    fill.show_section("PATH-B")
    assert not fill.question("PATH-06").isVisibleTo(fill)  # needs PATH-04 yes or partial
    assert not fill.question("PATH-07").isVisibleTo(fill)  # needs PATH-04 answered
    fill.show_section("PATH-A")
    button = next(
        b for b in fill.question("PATH-04").editor.buttons() if b.property("code") == "no"
    )
    qtbot.mouseClick(button, Qt.MouseButton.LeftButton)
    wait_idle(qtbot, window)
    fill.show_section("PATH-B")
    assert not fill.question("PATH-06").isVisibleTo(fill)
    assert fill.question("PATH-07").isVisibleTo(fill)
    fill.show_section("PATH-A")
    button = next(
        b for b in fill.question("PATH-04").editor.buttons() if b.property("code") == "partial"
    )
    qtbot.mouseClick(button, Qt.MouseButton.LeftButton)
    wait_idle(qtbot, window)
    fill.show_section("PATH-B")
    assert fill.question("PATH-06").isVisibleTo(fill)
    # The navigation counts only what is asked.
    assert fill.nav_model.nodes()[0].children[1].total == 3


def test_exclusive_option_clears_the_others(qtbot: Any, window: Any) -> None:
    fill = window.fill
    fill.show_section("BIO-A")
    editor = fill.question("BIO-03").editor
    boxes = {b.property("code"): b for b in editor.boxes()}
    boxes["in_city"].setChecked(True)
    boxes["abroad"].setChecked(True)
    wait_idle(qtbot, window)
    assert fill.question("BIO-03").saved_answer().value == ("in_city", "abroad")
    boxes["nowhere"].setChecked(True)
    wait_idle(qtbot, window)
    assert [c for c, b in boxes.items() if b.isChecked()] == ["nowhere"]
    assert fill.question("BIO-03").saved_answer().value == ("nowhere",)
    assert not fill.question("BIO-05").isVisibleTo(fill)  # not asked when nothing is tested
    boxes["national"].setChecked(True)
    wait_idle(qtbot, window)
    assert [c for c, b in boxes.items() if b.isChecked()] == ["national"]


def test_constraint_message_inline(qtbot: Any, window: Any, data_dir: Path) -> None:
    fill = window.fill
    fill.show_section("BIO-A")
    editor = fill.question("BIO-01").editor
    for box in editor.boxes()[:3]:
        box.setChecked(True)
    wait_idle(qtbot, window)
    radio = next(b for b in fill.question("BIO-02").editor.buttons() if b.property("code") == "ngs")
    radio.setChecked(True)
    wait_idle(qtbot, window)
    number = fill.question("BIO-04").editor.edit
    number.setFocus()
    qtbot.keyClicks(number, "2")  # fewer samples than markers offered breaks the constraint
    qtbot.keyClick(number, Qt.Key.Key_Return)
    wait_idle(qtbot, window)
    question = fill.question("BIO-04")
    assert question.save_state() == "saved"
    assert question.message.isVisibleTo(fill) and question.message.text()


def test_filters(qtbot: Any, window: Any, data_dir: Path) -> None:
    from app.services import answers
    from app.services.workspace import Workspace

    header = window.session.current.snapshot.header
    with Workspace.open(data_dir) as ws:
        answers.save_answer(ws, header.id, "PATH-01", Answer(3))
        answers.save_answer(ws, header.id, "PATH-02", Answer(state=AnswerState.DONT_KNOW))
        answers.save_answer(ws, header.id, "PATH-04", Answer("yes"), "Ben")
    window.open_assessment(header.id)
    wait_idle(qtbot, window)
    fill = window.fill

    def shown() -> list[str]:
        return [q.indicator.id for q in fill.questions() if q.isVisibleTo(fill)]

    assert shown() == ["PATH-01", "PATH-02", "PATH-03", "PATH-04"]
    fill.filter.setCurrentIndex(fill.filter.findData("unanswered"))
    assert shown() == []
    assert fill.empty_label.isVisibleTo(fill)
    fill.filter.setCurrentIndex(fill.filter.findData("dont_know"))
    assert shown() == ["PATH-02"]
    fill.filter.setCurrentIndex(fill.filter.findData("unanswered"))
    fill.go_to_section(1)  # the next section with unanswered questions
    assert fill.current_section() == "PATH-B"
    assert shown() == ["PATH-05", "PATH-06", "PATH-07"]
