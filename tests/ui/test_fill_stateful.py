"""The fill view never shows or saves one assessment's answers in another, whatever the sequence.

A Hypothesis state machine drives the real main window (offscreen, synchronous task runner) the way
a person does: create an assessment with the wizard (full or core questionnaire, accepting the
suggested values), open one from the home list, go to a section, answer (mouse and keyboard), mark
don't know, type a note (left to its pause, or left with Tab), undo, switch the language, go
Home, close and reopen the window. The model is what the steps meant: for each assessment, the
answer of each question the steps touched. After every step:

- the fill view shows the open assessment, and each question on the page shows the model's answer;
- the services return exactly the model's answers for the open assessment (the database holds
  the answers the steps made, and no other: nothing copied from another assessment).
At the end of each run every assessment is checked against the model the same way.
"""

from __future__ import annotations

import itertools
import os
import shutil
import tempfile
import time
from pathlib import Path
from typing import Any

import pytest
from hypothesis import HealthCheck, settings
from hypothesis import strategies as st
from hypothesis.stateful import (
    Bundle,
    RuleBasedStateMachine,
    initialize,
    invariant,
    precondition,
    rule,
)
from PySide6.QtCore import QEventLoop, QPoint, Qt
from PySide6.QtGui import QTextCursor
from PySide6.QtWidgets import QApplication, QWizard

from app.common.i18n import LANGUAGES
from app.domain import UNANSWERED, Answer, AnswerState, AnswerType
from app.ui import errors, prompts
from app.ui.i18n import _
from app.ui.new_assessment_dialog import NewAssessmentDialog
from app.ui.question_widget import QuestionWidget
from app.ui.value_editors import ChoiceEditor, MultiChoiceEditor, NumberEditor

# Examples per run: CI runs 200 (READINESS_STATEFUL_EXAMPLES overrides it locally).
EXAMPLES = int(os.environ.get("READINESS_STATEFUL_EXAMPLES", "200"))
STEPS = 10
PAUSE_MS = 20  # the typing pause, shortened so that a run takes seconds, not minutes


def _questionnaire_path(core: bool) -> str:
    """The newest shipped full (or core) questionnaire: what the wizard suggests."""
    from app.domain.version_order import version_key
    from app.forms import shipped_forms
    from app.forms.registry import form_header

    found = []
    for path in shipped_forms():
        header = form_header(path)
        if header is not None and ("core" in path.stem) == core:
            found.append((version_key(header[1]), str(path)))
    assert found, "the shipped questionnaires are missing"
    return max(found)[1]


class FillMachine(RuleBasedStateMachine):
    """One run: a new window on a new data folder, copied from a template that holds an empty
    database and the parsed questionnaires (each run starts from the same state, quickly)."""

    qtbot: Any = None
    template: Path = Path()

    assessments = Bundle("assessments")

    def __init__(self) -> None:
        super().__init__()
        self.folder = Path(tempfile.mkdtemp(dir=self.template.parent)) / "data"
        shutil.copytree(self.template, self.folder)
        self.window: Any = None
        self.expected: dict[str, dict[str, Answer]] = {}  # assessment -> indicator -> answer
        self.undo: list[tuple[str, str, Answer]] = []  # (assessment, indicator, answer before)
        self.opened: str | None = None  # the assessment the fill view shows
        self.names = itertools.count(1)
        self._open_window()

    # -- the window ----------------------------------------------------------------------------

    def _open_window(self) -> None:
        from app.ui.app import create_window

        window = create_window(self.folder, synchronous=True)
        window.show()
        self.qtbot.waitExposed(window)
        self._activate(window)
        self._idle(window)
        self.window = window
        self.opened = None
        self.undo = []

    def _close_window(self) -> None:
        from app.ui.app import shutdown

        window = self.window
        window.close()
        shutdown(window)
        window.deleteLater()
        self.window = None

    def _activate(self, window: Any) -> None:
        """What the window manager does when a window shows or its dialog closes."""
        window.activateWindow()
        window.windowHandle().requestActivate()
        self.qtbot.waitUntil(lambda: QApplication.activeWindow() is window)

    def _idle(self, window: Any = None) -> None:
        window = window or self.window
        deadline = time.monotonic() + 10
        while window.runner.busy:  # results come through the event loop; no polling delay
            assert time.monotonic() < deadline, "the window's work did not finish"
            QApplication.processEvents(QEventLoop.ProcessEventsFlag.WaitForMoreEvents, 20)

    def teardown(self) -> None:
        try:
            if self.window is not None:
                self._idle()
                for assessment_id in self.expected:
                    self._check_database(assessment_id)
                self._close_window()
        finally:
            shutil.rmtree(self.folder.parent, ignore_errors=True)

    # -- helpers -------------------------------------------------------------------------------

    def _questions(self) -> list[QuestionWidget]:
        """The questions a person can act on: the Fill page shown, relevant ones only."""
        self.window.show_page(1)
        if QApplication.activeWindow() is not self.window:
            self._activate(self.window)
        return [
            q
            for q in self.window.fill.questions()
            if not q.isHidden() and q.indicator.type is not AnswerType.COMPUTED
        ]

    def _key(
        self, key: Qt.Key, modifier: Qt.KeyboardModifier = Qt.KeyboardModifier.NoModifier
    ) -> None:
        """A key press where the focus is (the focus must be somewhere in the window)."""
        focused = QApplication.focusWidget()
        assert focused is not None, (QApplication.activeWindow(), self.window.isActiveWindow())
        self.qtbot.keyClick(focused, key, modifier)

    def _click(self, button: Any) -> None:
        """A click on a radio button's or check box's circle or box (its left end)."""
        self.qtbot.mouseClick(
            button, Qt.MouseButton.LeftButton, pos=QPoint(6, button.height() // 2)
        )

    def _shown(self, indicator_id: str) -> Answer:
        assert self.opened is not None
        return self.expected[self.opened].get(indicator_id, UNANSWERED)

    def _changed(self, question: QuestionWidget, answer: Answer) -> None:
        """The model after a step changed `question` to `answer` (once saved)."""
        assert self.opened is not None
        before = self._shown(question.indicator.id)
        if answer != before:
            self.undo.append((self.opened, question.indicator.id, before))
            self.expected[self.opened][question.indicator.id] = answer

    def _own_answers(self, assessment_id: str) -> dict[str, Answer]:
        """What the services return: this person's answers in the assessment."""
        loaded = self.window.backend.load(assessment_id)
        found = {}
        for indicator_id, city in loaded.snapshot.answers.items():
            for given in city.contributors:
                if given.contributor.id == loaded.me and given.answer != UNANSWERED:
                    found[indicator_id] = given.answer
        found.update(loaded.drafts)  # a note without an answer yet
        return found

    def _check_database(self, assessment_id: str) -> None:
        wanted = {i: a for i, a in self.expected[assessment_id].items() if a != UNANSWERED}
        assert self._own_answers(assessment_id) == wanted, assessment_id

    # -- rules ---------------------------------------------------------------------------------

    @initialize(target=assessments, core=st.booleans())
    def first_assessment(self, core: bool) -> str:
        return self._create(core)

    @rule(target=assessments, core=st.booleans())
    def create(self, core: bool) -> str:
        return self._create(core)

    def _create(self, core: bool) -> str:
        """With the wizard, accepting every suggested value (period, name, role, language)."""
        window = self.window
        window.new_action.trigger()
        self._idle()
        wizard = window.actions_.dialog
        assert isinstance(wizard, NewAssessmentDialog)
        number = next(self.names)
        self.qtbot.keyClicks(wizard.place.city, f"City {number}")
        self.qtbot.keyClicks(wizard.place.country, "Land")
        assert wizard.button(QWizard.WizardButton.NextButton).isEnabled()  # period suggested
        wizard.next()
        form = wizard.form_page.form
        form.setCurrentIndex(form.findData(_questionnaire_path(core)))
        wizard.next()
        if not wizard.person.name.text():
            self.qtbot.keyClicks(wizard.person.name, "Ana")
        finish = wizard.button(QWizard.WizardButton.FinishButton)
        assert finish.isEnabled()  # the remembered name counts as filled
        self.qtbot.mouseClick(finish, Qt.MouseButton.LeftButton)
        self._idle()
        self._activate(window)
        assessment_id = window.session.assessment_id
        assert assessment_id is not None and assessment_id not in self.expected
        self.expected[assessment_id] = {}
        if self.opened != assessment_id:
            self.undo = []  # undo belongs to the assessment shown
        self.opened = assessment_id
        return assessment_id

    @rule(assessment_id=assessments)
    def open_from_home(self, assessment_id: str) -> None:
        window = self.window
        window.show_page(0)
        window.home.select(assessment_id)
        self.qtbot.keyClick(window.home.table, Qt.Key.Key_Return)
        self._idle()
        if self.opened != assessment_id:
            self.undo = []
        self.opened = assessment_id

    @precondition(lambda self: self.opened is not None)
    @rule(data=st.data())
    def go_to_section(self, data: st.DataObject) -> None:
        keys = self.window.fill.nav_model.section_keys()
        self.window.fill.show_section(data.draw(st.sampled_from(keys)), focus=True)

    @precondition(lambda self: self.opened is not None)
    @rule(data=st.data())
    def answer(self, data: st.DataObject) -> None:
        candidates = [q for q in self._questions() if q.editor.isEnabled()]
        if not candidates:
            return
        question = data.draw(st.sampled_from(candidates))
        before = self._shown(question.indicator.id)
        editor = question.editor
        value: Any
        if isinstance(editor, ChoiceEditor) and editor.combo() is None:
            buttons = editor.buttons()
            button = data.draw(st.sampled_from(buttons))
            value = str(button.property("code"))
            if data.draw(st.booleans()):
                self._click(button)
            else:  # the keyboard: Space on a button, arrows, then leave the group with Tab
                button.setFocus()
                self.qtbot.keyClick(button, Qt.Key.Key_Space)
                for key in data.draw(
                    st.lists(st.sampled_from([Qt.Key.Key_Right, Qt.Key.Key_Left]), max_size=3)
                ):
                    self._key(key)
                value = editor.value()
                self._key(Qt.Key.Key_Tab)
        elif isinstance(editor, ChoiceEditor):
            combo = editor.combo()
            assert combo is not None
            index = data.draw(st.integers(1, combo.count() - 1))
            value = combo.itemData(index)
            combo.setCurrentIndex(index)
            combo.activated.emit(index)  # what choosing with the mouse or Enter sends
        elif isinstance(editor, MultiChoiceEditor):
            box = data.draw(st.sampled_from(editor.boxes()))
            self._click(box)
            value = editor.value()
        elif isinstance(editor, NumberEditor):
            ind = question.indicator
            low = int(ind.minimum) if ind.minimum is not None else 0
            high = int(ind.maximum) if ind.maximum is not None else 100 + low
            value = data.draw(st.integers(max(low, 0), min(high, low + 500)))
            editor.edit.setFocus()
            editor.edit.selectAll()
            self.qtbot.keyClicks(editor.edit, str(value))
            self.qtbot.keyClick(editor.edit, Qt.Key.Key_Return)
        else:
            return
        self._idle()
        new = Answer(value=value, note=before.note, evidence=before.evidence)
        if value is None:
            new = Answer(state=AnswerState.UNANSWERED, note=before.note, evidence=before.evidence)
        self._changed(question, new)

    @precondition(lambda self: self.opened is not None)
    @rule(data=st.data())
    def dont_know(self, data: st.DataObject) -> None:
        candidates = [
            q
            for q in self._questions()
            if AnswerState.DONT_KNOW in q.state_boxes
            and not q.state_boxes[AnswerState.DONT_KNOW].isChecked()
        ]
        if not candidates:
            return
        question = data.draw(st.sampled_from(candidates))
        before = self._shown(question.indicator.id)
        if data.draw(st.booleans()):
            self._click(question.state_boxes[AnswerState.DONT_KNOW])
        else:
            question.focus_first()
            self.qtbot.waitUntil(lambda: question.isAncestorOf(QApplication.focusWidget()))
            self._key(Qt.Key.Key_D, Qt.KeyboardModifier.ControlModifier)
        self._idle()
        self._changed(
            question,
            Answer(state=AnswerState.DONT_KNOW, note=before.note, evidence=before.evidence),
        )

    @precondition(lambda self: self.opened is not None)
    @rule(data=st.data(), text=st.text("abc xyz-,", min_size=1, max_size=8), pause=st.booleans())
    def note(self, data: st.DataObject, text: str, pause: bool) -> None:
        candidates = self._questions()
        if not candidates:
            return
        question = data.draw(st.sampled_from(candidates))
        before = self._shown(question.indicator.id)
        typed_before = question.note.toPlainText()  # as on screen: a trailing space stays there
        question.note.setFocus()
        question.note.moveCursor(QTextCursor.MoveOperation.End)
        self.qtbot.waitUntil(question.note.hasFocus)
        self.qtbot.keyClicks(question.note, text)
        if pause:  # left alone: saved after the pause, still with the focus in the note
            self.qtbot.waitUntil(lambda: not question.has_pending(), timeout=5000)
        else:
            self.qtbot.keyClick(question.note, Qt.Key.Key_Tab)
        self._idle()
        note = (typed_before + text).strip()
        self._changed(question, Answer(before.value, before.state, note, before.evidence))

    @precondition(lambda self: self.opened is not None)
    @rule()
    def undo_last(self) -> None:
        self.window.undo_action.trigger()
        self._idle()
        if self.undo:
            assessment_id, indicator_id, before = self.undo.pop()
            assert assessment_id == self.opened
            self.expected[assessment_id][indicator_id] = before

    @rule(lang=st.sampled_from(LANGUAGES))
    def switch_language(self, lang: str) -> None:
        self.window.set_language(lang)
        self._idle()

    @rule()
    def go_home(self) -> None:
        self.window.show_page(0)

    @rule()
    def reopen_window(self) -> None:
        self._close_window()
        self._open_window()

    # -- what must hold after every step -----------------------------------------------------

    @invariant()
    def view_and_database_follow_the_steps(self) -> None:
        window = self.window
        if window is None:
            return
        assert window.actions_.dialog is None  # no wizard left open
        if self.opened is None:
            assert window.session.assessment_id is None
            return
        assert window.session.assessment_id == self.opened
        fill = window.fill
        assert fill.assessment_id() == self.opened
        stored = self._own_answers(self.opened)
        wanted = {i: a for i, a in self.expected[self.opened].items() if a != UNANSWERED}
        assert stored == wanted
        for question in fill.questions():
            if question.indicator.type is AnswerType.COMPUTED:
                continue
            indicator_id = question.indicator.id
            assert question.current_answer() == self._shown(indicator_id), indicator_id
            assert question.saved_answer() == self._shown(indicator_id), indicator_id
            assert question.save_state() in ("unchanged", "saved"), indicator_id
        assert window.save_status.text() == _("All changes saved")
        assert fill.can_undo() == bool(self.undo)


FillMachine.TestCase.settings = settings(
    max_examples=EXAMPLES,
    stateful_step_count=STEPS,
    deadline=None,
    suppress_health_check=list(HealthCheck),
)


def test_fill_view_follows_the_open_assessment(
    qtbot: Any, monkeypatch: pytest.MonkeyPatch, tmp_path: Path
) -> None:
    monkeypatch.setattr("app.ui.question_widget.PAUSE_MS", PAUSE_MS)
    reported: list[BaseException] = []
    errors.set_shower(lambda _parent, exc: reported.append(exc))
    prompts.set_hooks(
        lambda *_a: pytest.fail("unexpected confirmation"),
        lambda *_a: pytest.fail("unexpected file question"),
        lambda *_a: pytest.fail("unexpected text question"),
    )
    FillMachine.qtbot = qtbot
    # In memory where the system has it: each save's fsync would make up most of the time.
    shm = Path("/dev/shm")
    in_memory = shm.is_dir() and os.access(shm, os.W_OK)
    folder = Path(tempfile.mkdtemp(dir=shm)) if in_memory else tmp_path / "data"
    template = folder / "template"
    from app.ui.backend import Backend

    backend = Backend(template)
    backend.paths.ensure()
    backend.open()
    from app.forms import shipped_forms

    # every shipped version parsed once, kept in the template's cache
    assert len(backend.shipped_forms()) == len(shipped_forms())
    backend.close()
    FillMachine.template = template
    try:
        from hypothesis.stateful import run_state_machine_as_test

        run_state_machine_as_test(FillMachine, settings=FillMachine.TestCase.settings)
    finally:
        errors.set_shower(None)
        prompts.set_hooks()
        if in_memory:
            shutil.rmtree(folder, ignore_errors=True)
    assert reported == []
