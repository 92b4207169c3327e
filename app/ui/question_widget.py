"""One question of the questionnaire: text, guidance, an editor for its type, state, note,
evidence, attachments, and a visible save state.

The widget never saves. It emits `answer_committed` when the person finished an edit that changed
the answer; the page saves it and calls back `mark_saved()` or `mark_failed(reason)`. "Saved"
appears only after the commit returned; a failed save keeps what was typed and shows why.

An edit is finished when focus leaves the field, on Enter, or after a pause of `PAUSE_MS` in
typing (or in moving through a radio group with the arrow keys): a crash loses at most the last
second of typing, and arrow keys do not write one revision per press. Until then the question
says "Not saved yet" and `has_pending()` is true.
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import TYPE_CHECKING

from PySide6.QtCore import Qt, QTimer, Signal
from PySide6.QtWidgets import (
    QApplication,
    QCheckBox,
    QComboBox,
    QFrame,
    QHBoxLayout,
    QLabel,
    QPushButton,
    QVBoxLayout,
    QWidget,
)

from app.common.i18n import pick
from app.domain import Answer, AnswerState, AnswerType, EvidenceType, Indicator
from app.ui.i18n import N_, _
from app.ui.value_editors import EditorError, NoteEdit, ValueEditor, make_editor

if TYPE_CHECKING:
    from app.ui.fill_state import Attachment

STATE_LABELS = {
    AnswerState.DONT_KNOW: N_("Don't know"),
    AnswerState.NOT_APPLICABLE: N_("Not applicable"),
    AnswerState.NOT_MEASURED: N_("Not measured"),
}
EVIDENCE_LABELS = {
    EvidenceType.DOCUMENT: N_("Document"),
    EvidenceType.AUDIT: N_("Audit or register record"),
    EvidenceType.REGISTER: N_("Register"),
    EvidenceType.OBSERVATION: N_("Observation"),
    EvidenceType.ESTIMATE: N_("Estimate"),
}


# A pause this long in typing commits the field.
PAUSE_MS = 900


class SaveState:
    UNCHANGED = "unchanged"
    PENDING = "pending"
    SAVING = "saving"
    SAVED = "saved"
    FAILED = "failed"
    INVALID = "invalid"


class QuestionWidget(QFrame):
    """Signals:
    answer_committed(str, object): indicator id and the new `Answer`, after an edit.
    edited(str): indicator id; an edit is under way and not saved yet.
    save_state_changed(str): indicator id; `save_state()` changed.
    attachment_requested(str): the person asked to attach a file to this answer.
    history_requested(str): the person asked for this answer's history.
    """

    answer_committed = Signal(str, object)
    edited = Signal(str)
    save_state_changed = Signal(str)
    attachment_requested = Signal(str)
    history_requested = Signal(str)

    def __init__(self, indicator: Indicator, lang: str, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.indicator = indicator
        self.lang = lang
        self.setObjectName(f"question_{indicator.id}")
        self.setProperty("role", "question")
        self.setFrameShape(QFrame.Shape.StyledPanel)
        self._saved = Answer(state=AnswerState.UNANSWERED)
        self._save_state = SaveState.UNCHANGED
        self._reason = ""
        self._attachments: list[Attachment] = []
        self._loading = False
        self._pause = QTimer(self)
        self._pause.setSingleShot(True)
        self._pause.setInterval(PAUSE_MS)
        self._pause.timeout.connect(self._on_editor_committed)
        self._build()
        self.retranslate(lang)

    # -- building --------------------------------------------------------------------------------

    def _build(self) -> None:
        ind = self.indicator
        self.title = QLabel(self)
        self.title.setWordWrap(True)
        self.title.setTextFormat(Qt.TextFormat.PlainText)
        self.title.setProperty("role", "question-title")
        self.badges = QLabel(self)
        self.badges.setProperty("role", "badge")
        self.save_label = QLabel(self)
        self.save_label.setObjectName("save_state")
        self.save_label.setWordWrap(True)
        top = QHBoxLayout()
        top.addWidget(self.title, 1)
        top.addWidget(self.badges)
        top.addWidget(self.save_label)

        self.help = QLabel(self)
        self.help.setWordWrap(True)
        self.help.setTextFormat(Qt.TextFormat.PlainText)
        self.help.setProperty("role", "help")
        self.guidance = QLabel(self)
        self.guidance.setWordWrap(True)
        self.guidance.setTextFormat(Qt.TextFormat.PlainText)
        self.guidance.setProperty("role", "guidance")

        self.editor: ValueEditor = make_editor(ind, self.lang, self)
        self.editor.committed.connect(self._on_editor_committed)
        self.editor.edited.connect(self._on_edited)

        self.state_boxes: dict[AnswerState, QCheckBox] = {}
        states = QHBoxLayout()
        computed = ind.type is AnswerType.COMPUTED
        for state in ind.allowed_states:
            if state is AnswerState.ANSWERED or computed:
                continue
            box = QCheckBox(self)
            box.setObjectName(f"state_{state.value}")
            box.toggled.connect(lambda checked, s=state: self._on_state_toggled(s, checked))
            states.addWidget(box)
            self.state_boxes[state] = box
        # Not between the answer and the note (Tab, Space would erase the answer): it sits last,
        # after History, and every clear can be undone.
        self.clear_button = QPushButton(self)
        self.clear_button.setObjectName("clear")
        self.clear_button.clicked.connect(self._on_clear_clicked)
        self.clear_button.setVisible(not computed)
        states.addStretch(1)

        self.message = QLabel(self)
        self.message.setObjectName("message")
        self.message.setWordWrap(True)
        self.message.setProperty("role", "error")
        self.message.hide()

        self.note_label = QLabel(self)
        self.note = NoteEdit(self)
        self.note.setObjectName("note")
        self.note.editing_finished.connect(self._on_editor_committed)
        self.note.textChanged.connect(self._on_note_text_changed)
        self.note_label.setBuddy(self.note)
        self.evidence_label = QLabel(self)
        self.evidence = QComboBox(self)
        self.evidence.setObjectName("evidence")
        self.evidence.addItem("", None)
        for kind in EvidenceType:
            self.evidence.addItem("", kind.value)
        self.evidence.activated.connect(lambda _i: self._on_editor_committed())
        self.evidence_label.setBuddy(self.evidence)
        self.attachments_label = QLabel(self)
        self.attachments_label.setObjectName("attachments")
        self.attachments_label.setWordWrap(True)
        self.attach_button = QPushButton(self)
        self.attach_button.setObjectName("attach")
        self.attach_button.clicked.connect(
            lambda: self.attachment_requested.emit(self.indicator.id)
        )
        self.history_button = QPushButton(self)
        self.history_button.setObjectName("history")
        self.history_button.clicked.connect(lambda: self.history_requested.emit(self.indicator.id))
        # Two short rows rather than one long one: the page must fit 1024 pixels at 150 %.
        note_row = QHBoxLayout()
        note_row.addWidget(self.note_label)
        note_row.addWidget(self.note, 1)
        details = QHBoxLayout()
        details.addWidget(self.evidence_label)
        details.addWidget(self.evidence)
        details.addStretch(1)
        details.addWidget(self.attach_button)
        details.addWidget(self.history_button)
        details.addWidget(self.clear_button)
        QWidget.setTabOrder(self.history_button, self.clear_button)  # last, as on the screen

        layout = QVBoxLayout(self)
        layout.addLayout(top)
        layout.addWidget(self.help)
        layout.addWidget(self.guidance)
        layout.addWidget(self.editor)
        layout.addLayout(states)
        layout.addWidget(self.message)
        if not computed:
            layout.addLayout(note_row)
            layout.addLayout(details)
            layout.addWidget(self.attachments_label)
        else:
            hidden: tuple[QWidget, ...] = (
                self.note_label,
                self.note,
                self.evidence_label,
                self.evidence,
                self.attachments_label,
                self.attach_button,
                self.history_button,
            )
            for widget in hidden:
                widget.hide()

    def retranslate(self, lang: str) -> None:
        self.lang = lang
        ind = self.indicator
        required = "" if ind.required or not ind.scored else _(" (optional)")
        self.title.setText(f"{ind.id}  {pick(ind.label, lang)}{required}")
        help_text = pick(ind.help, lang)
        self.help.setText(help_text)
        self.help.setVisible(bool(help_text))
        guidance = pick(ind.guidance, lang)
        self.guidance.setText(_("Evidence: {text}").format(text=guidance) if guidance else "")
        self.guidance.setVisible(bool(guidance))
        self.editor.retranslate(lang)
        self.editor.set_accessible_label(pick(ind.label, lang) or ind.id)
        for state, box in self.state_boxes.items():
            box.setText(_(STATE_LABELS[state]))
            box.setAccessibleName(f"{ind.id}: {_(STATE_LABELS[state])}")
        self.clear_button.setText(_("Clear answer"))
        named = "{id}: {what}".format
        self.clear_button.setAccessibleName(named(id=ind.id, what=_("Clear answer")))
        self.note_label.setText(_("&Note:"))
        self.note.setAccessibleName(named(id=ind.id, what=_("Note")))
        self.note.setPlaceholderText(_("Source, context, who to ask…"))
        self.evidence_label.setText(_("E&vidence type:"))
        self.evidence.setAccessibleName(named(id=ind.id, what=_("Evidence type")))
        self.evidence.setItemText(0, _("(not given)"))
        for index, kind in enumerate(EvidenceType, start=1):
            self.evidence.setItemText(index, _(EVIDENCE_LABELS[kind]))
        self.attach_button.setText(_("Attach file…"))
        self.attach_button.setAccessibleName(named(id=ind.id, what=_("Attach file")))
        self.history_button.setText(_("History…"))
        self.history_button.setAccessibleName(named(id=ind.id, what=_("Answer history")))
        self._show_attachments()
        self._show_save_state()

    # -- what the page calls -------------------------------------------------------------------

    def load(self, answer: Answer | None, attachments: Sequence[Attachment] = ()) -> None:
        """Show a stored answer without emitting anything."""
        answer = answer or Answer(state=AnswerState.UNANSWERED)
        self._loading = True
        try:
            self.editor.set_value(answer.value if answer.state is AnswerState.ANSWERED else None)
            for state, box in self.state_boxes.items():
                box.setChecked(answer.state is state)
            self.note.setPlainText(answer.note)
            index = self.evidence.findData(answer.evidence) if answer.evidence else 0
            self.evidence.setCurrentIndex(max(0, index))
        finally:
            self._loading = False
        self._pause.stop()
        self._update_editor_enabled()
        self._saved = answer
        self._attachments = list(attachments)
        self._show_attachments()
        self._set_save_state(SaveState.UNCHANGED)

    def set_computed_value(self, value: object) -> None:
        if self.indicator.type is AnswerType.COMPUTED:
            self.editor.set_value(value)  # type: ignore[arg-type]

    def set_flags(self, disagreement: bool, conflict: bool, answered_by: str = "") -> None:
        parts = []
        if conflict:
            parts.append(_("Conflict"))
        if disagreement:
            parts.append(_("Disagreement"))
        self.badges.setText(" · ".join(parts))
        self.badges.setVisible(bool(parts))
        tip = _("Answer by {names}").format(names=answered_by) if answered_by else ""
        self.title.setToolTip(tip)

    def set_constraint_failed(self, failed: bool) -> None:
        if self._save_state in (SaveState.FAILED, SaveState.INVALID):
            return
        text = pick(self.indicator.constraint_message, self.lang) if failed else ""
        if failed and not text:
            text = _("This answer does not fit with the other answers.")
        self._show_message(text)

    def mark_saving(self) -> None:
        self._set_save_state(SaveState.SAVING)

    def mark_saved(self, answer: Answer, attachments: Sequence[Attachment] | None = None) -> None:
        self._saved = answer
        if attachments is not None:
            self._attachments = list(attachments)
            self._show_attachments()
        # Typing that went on during the save is not saved yet.
        self._set_save_state(SaveState.PENDING if self.has_pending() else SaveState.SAVED)

    def mark_failed(self, reason: str) -> None:
        """The save did not happen: keep what was typed, say why."""
        self._reason = reason
        self._set_save_state(SaveState.FAILED)

    def current_answer(self) -> Answer:
        """The answer as shown; raises EditorError for text that is not a valid value."""
        note = self.note.toPlainText().strip()
        evidence = self.evidence.currentData()
        evidence = evidence if isinstance(evidence, str) else None
        for state, box in self.state_boxes.items():
            if box.isChecked():
                return Answer(state=state, note=note, evidence=evidence)
        value = self.editor.value()
        if value is None:
            return Answer(state=AnswerState.UNANSWERED, note=note, evidence=evidence)
        return Answer(value=value, note=note, evidence=evidence)

    def saved_answer(self) -> Answer:
        return self._saved

    def save_state(self) -> str:
        return self._save_state

    def save_reason(self) -> str:
        return self._reason

    def attachments(self) -> list[Attachment]:
        return list(self._attachments)

    def focus_first(self) -> None:
        target = self.editor.focus_target()
        if not target.isEnabled():
            boxes = list(self.state_boxes.values())
            target = boxes[0] if boxes else self.note
        target.setFocus(Qt.FocusReason.ShortcutFocusReason)

    def toggle_dont_know(self) -> None:
        box = self.state_boxes.get(AnswerState.DONT_KNOW)
        if box is not None:
            box.setChecked(not box.isChecked())

    def commit_now(self) -> None:
        """Commit what is shown (used before leaving the page)."""
        self._on_editor_committed()

    def has_pending(self) -> bool:
        """An edit waits for its pause to end before it is committed."""
        return self._pause.isActive()

    def flush(self) -> None:
        """Commit an edit that waits for its pause (before the page goes away)."""
        if self._pause.isActive():
            self._on_editor_committed()

    # -- slots -------------------------------------------------------------------------------

    def _on_edited(self) -> None:
        if self._loading:
            return
        self._pause.start()
        if self._save_state != SaveState.SAVING:
            self._set_save_state(SaveState.PENDING)
        self.edited.emit(self.indicator.id)

    def _on_note_text_changed(self) -> None:
        if not self._loading and self.note.toPlainText().strip() != self._saved.note:
            self._on_edited()

    def _on_editor_committed(self) -> None:
        self._pause.stop()
        if self._loading:
            return
        try:
            answer = self.current_answer()
        except EditorError as exc:
            self._reason = str(exc)
            self._set_save_state(SaveState.INVALID)
            return
        if answer == self._saved:
            if self._save_state in (SaveState.INVALID, SaveState.PENDING, SaveState.FAILED):
                self._set_save_state(SaveState.UNCHANGED)  # corrected back: nothing to save
            return
        self.answer_committed.emit(self.indicator.id, answer)

    def _on_state_toggled(self, state: AnswerState, checked: bool) -> None:
        if self._loading:
            return
        if checked:
            for other, box in self.state_boxes.items():
                if other is not state and box.isChecked():
                    box.blockSignals(True)
                    box.setChecked(False)
                    box.blockSignals(False)
        self._update_editor_enabled()
        self._on_editor_committed()

    def _on_clear_clicked(self) -> None:
        self._loading = True
        try:
            self.editor.set_value(None)
            for box in self.state_boxes.values():
                box.setChecked(False)
        finally:
            self._loading = False
        self._update_editor_enabled()
        self._on_editor_committed()

    # -- display -----------------------------------------------------------------------------

    def _update_editor_enabled(self) -> None:
        stated = any(box.isChecked() for box in self.state_boxes.values())
        focused = QApplication.focusWidget()
        had_focus = focused is not None and self.editor.isAncestorOf(focused)
        self.editor.setEnabled(not stated and self.indicator.type is not AnswerType.COMPUTED)
        if had_focus and not self.editor.isEnabled():
            # Keep the keyboard user in this question: on the state that was just chosen.
            checked = [box for box in self.state_boxes.values() if box.isChecked()]
            if checked:
                checked[0].setFocus(Qt.FocusReason.OtherFocusReason)
        if self.indicator.type is AnswerType.COMPUTED:
            self.editor.setEnabled(True)

    def _set_save_state(self, state: str) -> None:
        changed = state != self._save_state
        self._save_state = state
        self.setProperty("saveState", state)
        self.style().unpolish(self)
        self.style().polish(self)
        self._show_save_state()
        if changed:
            self.save_state_changed.emit(self.indicator.id)

    def _show_save_state(self) -> None:
        state = self._save_state
        if state == SaveState.SAVING:
            self.save_label.setText(_("Saving…"))
        elif state == SaveState.SAVED:
            self.save_label.setText(_("Saved"))
        elif state in (SaveState.FAILED, SaveState.INVALID):
            self.save_label.setText(_("Not saved"))
        elif state == SaveState.PENDING:
            self.save_label.setText(_("Not saved yet"))
        else:
            self.save_label.setText("")
        self.save_label.setProperty("saveState", state)
        self.save_label.style().unpolish(self.save_label)
        self.save_label.style().polish(self.save_label)
        if state in (SaveState.FAILED, SaveState.INVALID):
            self._show_message(self._reason)
        elif state in (SaveState.SAVED, SaveState.UNCHANGED):
            self._show_message("")

    def _show_message(self, text: str) -> None:
        self.message.setText(text)
        self.message.setVisible(bool(text))

    def _show_attachments(self) -> None:
        if self._attachments:
            names = ", ".join(a.name for a in self._attachments)
            self.attachments_label.setText(_("Attachments: {names}").format(names=names))
        else:
            self.attachments_label.setText("")
        self.attachments_label.setVisible(
            bool(self._attachments) and self.indicator.type is not AnswerType.COMPUTED
        )
