"""Fill: the navigation tree of domains and sections beside a page of questions.

Keyboard: Tab moves through a question's inputs and on to the next question; Enter commits a
field; Ctrl+PgDown / Ctrl+PgUp go to the next / previous section; Alt+PgDown / Alt+PgUp to the
next / previous question (Alt+Down stays the key that opens a drop-down list); Ctrl+D toggles
"don't know" on the current question; Ctrl+Z (the window's Undo) takes back the last change of
an answer by saving the answer as it was before as a new revision.
Only the current section's questions exist as widgets, so opening a large questionnaire is quick.
The page is rebuilt from every newly loaded assessment, and every save names the assessment it was
typed in, so one assessment's answers never show or save in another.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

from PySide6.QtCore import QItemSelectionModel, QModelIndex, Qt, Signal
from PySide6.QtGui import QKeySequence, QShortcut
from PySide6.QtWidgets import (
    QApplication,
    QComboBox,
    QHBoxLayout,
    QHeaderView,
    QLabel,
    QPushButton,
    QScrollArea,
    QSplitter,
    QTreeView,
    QVBoxLayout,
    QWidget,
)

from app.common.i18n import pick
from app.domain import Answer, Section
from app.ui.backend import LoadedAssessment
from app.ui.fill_state import (
    FILTER_ALL,
    FILTER_DISAGREEMENTS,
    FILTER_DONT_KNOW,
    FILTER_UNANSWERED,
    Attachment,
    FillState,
)
from app.ui.i18n import N_, _
from app.ui.nav_model import KeyRole, KindRole, NavModel
from app.ui.question_widget import QuestionWidget

FILTER_LABELS = (
    (FILTER_ALL, N_("All questions")),
    (FILTER_UNANSWERED, N_("Unanswered")),
    (FILTER_DONT_KNOW, N_("Don't know / not measured")),
    (FILTER_DISAGREEMENTS, N_("Disagreements and conflicts")),
)


@dataclass(frozen=True)
class UndoStep:
    """A saved change of an answer, and what the answer was before it."""

    indicator_id: str
    section_id: str
    before: Answer
    attachments: tuple[Attachment, ...]


class FillPage(QWidget):
    """Signals:
    answer_committed(str, str, object, object): assessment id, indicator id, `Answer`, the
        attachments to save with it.
    section_shown(str, str): assessment id, section id; another section is shown.
    edited(): a question's save state changed (an edit under way, saved, not valid...).
    undo_changed(): an answer change can be undone, or no longer.
    attachment_requested(str): attach a file to this indicator's answer.
    history_requested(str): show this indicator's history.
    """

    answer_committed = Signal(str, str, object, object)
    edited = Signal()
    undo_changed = Signal()
    section_shown = Signal(str, str)
    attachment_requested = Signal(str)
    history_requested = Signal(str)

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("fill_page")
        self._lang = "en"
        self._state: FillState | None = None
        self._section_id: str | None = None
        self._questions: dict[str, QuestionWidget] = {}
        self._assessment_id = ""
        self._undo: list[UndoStep] = []
        self._before: dict[str, UndoStep] = {}  # sent, not saved yet: what to push when saved
        self._undoing: set[str] = set()  # indicators whose save under way is an undo

        self.title = QLabel(self)
        self.title.setObjectName("fill_title")
        self.title.setProperty("role", "page-title")
        self.filter_label = QLabel(self)
        self.filter = QComboBox(self)
        self.filter.setObjectName("filter")
        for key, _label in FILTER_LABELS:
            self.filter.addItem("", key)
        self.filter.currentIndexChanged.connect(self._on_filter_current_index_changed)
        self.filter_label.setBuddy(self.filter)
        self.previous_button = QPushButton(self)
        self.previous_button.setObjectName("previous_section")
        self.previous_button.clicked.connect(lambda: self.go_to_section(-1))
        self.next_button = QPushButton(self)
        self.next_button.setObjectName("next_section")
        self.next_button.clicked.connect(lambda: self.go_to_section(1))
        top = QHBoxLayout()
        top.addWidget(self.title, 1)
        top.addWidget(self.filter_label)
        top.addWidget(self.filter)
        top.addWidget(self.previous_button)
        top.addWidget(self.next_button)

        self.nav_model = NavModel(self)
        self.nav = QTreeView(self)
        self.nav.setObjectName("nav")
        self.nav.setModel(self.nav_model)
        self.nav.setHeaderHidden(True)
        self.nav.setUniformRowHeights(True)
        self.nav.setTextElideMode(Qt.TextElideMode.ElideRight)
        header = self.nav.header()
        header.setStretchLastSection(False)
        header.setSectionResizeMode(0, QHeaderView.ResizeMode.Stretch)
        header.setSectionResizeMode(1, QHeaderView.ResizeMode.ResizeToContents)
        self.nav.selectionModel().currentChanged.connect(self._on_nav_current_changed)

        self.section_title = QLabel(self)
        self.section_title.setObjectName("section_title")
        self.section_title.setProperty("role", "section-title")
        self.section_title.setWordWrap(True)
        self.empty_label = QLabel(self)
        self.empty_label.setObjectName("empty_section")
        self.empty_label.setWordWrap(True)
        self.questions_area = QScrollArea(self)
        self.questions_area.setObjectName("questions")
        self.questions_area.setWidgetResizable(True)
        self.questions_area.setFocusPolicy(Qt.FocusPolicy.NoFocus)
        right = QWidget(self)
        right_layout = QVBoxLayout(right)
        right_layout.setContentsMargins(0, 0, 0, 0)
        right_layout.addWidget(self.section_title)
        right_layout.addWidget(self.empty_label)
        right_layout.addWidget(self.questions_area, 1)

        splitter = QSplitter(Qt.Orientation.Horizontal, self)
        splitter.addWidget(self.nav)
        splitter.addWidget(right)
        splitter.setStretchFactor(0, 1)
        splitter.setStretchFactor(1, 3)
        splitter.setSizes([260, 740])
        splitter.setChildrenCollapsible(False)
        self.nav.setMinimumWidth(180)

        layout = QVBoxLayout(self)
        layout.addLayout(top)
        layout.addWidget(splitter, 1)

        self._add_shortcut(QKeySequence("Ctrl+PgDown"), lambda: self.go_to_section(1))
        self._add_shortcut(QKeySequence("Ctrl+PgUp"), lambda: self.go_to_section(-1))
        self._add_shortcut(QKeySequence("Alt+PgDown"), lambda: self.go_to_question(1))
        self._add_shortcut(QKeySequence("Alt+PgUp"), lambda: self.go_to_question(-1))
        self._add_shortcut(QKeySequence("Ctrl+D"), self._on_dont_know_shortcut_activated)
        self.retranslate("en")

    def _add_shortcut(self, keys: QKeySequence, slot: object) -> None:
        shortcut = QShortcut(keys, self)
        shortcut.setContext(Qt.ShortcutContext.WidgetWithChildrenShortcut)
        shortcut.activated.connect(slot)

    # -- language ----------------------------------------------------------------------------

    def retranslate(self, lang: str) -> None:
        self._lang = lang
        self.filter_label.setText(_("&Show:"))
        self.filter.setAccessibleName(_("Which questions to show"))
        for index, (_key, label) in enumerate(FILTER_LABELS):
            self.filter.setItemText(index, _(label))
        self.previous_button.setText(_("◀ Previous section"))
        self.previous_button.setToolTip(_("Ctrl+PgUp"))
        self.next_button.setText(_("Next section ▶"))
        self.next_button.setToolTip(_("Ctrl+PgDown"))
        self.nav.setAccessibleName(_("Domains and sections"))
        self.questions_area.setAccessibleName(_("Questions"))
        self.nav_model.set_language(lang)
        for question in self._questions.values():
            question.retranslate(lang)
        self._show_titles()

    # -- data --------------------------------------------------------------------------------

    def set_loaded(
        self, loaded: LoadedAssessment, keep_place: bool = False, section_id: str | None = None
    ) -> None:
        """Show an assessment (a new one, or the same one after a refresh).

        A newly loaded assessment always gets a new page, built from its own answers, even when
        the section shown before has the same id (same questionnaire)."""
        same = loaded.snapshot.header.id == self._assessment_id
        self.flush_pending()  # still saved into the assessment it was typed in
        self._state = FillState.from_snapshot(
            loaded.snapshot, loaded.me, loaded.attachments, loaded.drafts
        )
        self._header = loaded.snapshot.header
        self._assessment_id = self._header.id
        self.nav_model.set_nodes(self._state.nav_nodes())
        if keep_place and same and self._section_id and self._questions:
            self._update_questions()
        else:
            if not same:
                self._forget_undo()
            self.nav.expandAll()
            first = self._state.questionnaire.domains[0].sections[0].id
            target = section_id if section_id and self._find_section(section_id) else first
            self._section_id = None  # forces the page to be rebuilt
            self.show_section(target)
        self._show_titles()

    def clear(self) -> None:
        self.flush_pending()
        self._state = None
        self._section_id = None
        self._assessment_id = ""
        self._forget_undo()
        self.nav_model.set_nodes(())
        self._replace_page(None)

    def assessment_id(self) -> str:
        return self._assessment_id

    def flush_pending(self) -> None:
        """Commit every edit that waits for its pause (before the page or assessment changes)."""
        for question in list(self._questions.values()):
            question.flush()

    def has_pending(self) -> bool:
        """Some question has an edit waiting for the end of a pause in typing."""
        return any(q.has_pending() for q in self._questions.values())

    def has_invalid(self) -> bool:
        """Some question shows text that is not a valid value (not saved until corrected)."""
        return any(q.save_state() == "invalid" for q in self._questions.values())

    # -- undo --------------------------------------------------------------------------------

    def can_undo(self) -> bool:
        return bool(self._undo)

    def undo_text(self) -> str:
        """What Undo would take back, for the status line ("" when nothing)."""
        if not self._undo:
            return ""
        return self._undo[-1].indicator_id

    def undo(self) -> None:
        """Take back the last saved change of an answer: save the answer as it was before it,
        as a new revision (history keeps both)."""
        if not self._undo or self._state is None:
            return
        self.flush_pending()
        if not self._undo:
            return
        step = self._undo.pop()
        self.undo_changed.emit()
        if step.section_id != self._section_id:
            self.show_section(step.section_id)
        question = self._questions.get(step.indicator_id)
        if question is None:
            return
        question.load(step.before, step.attachments)
        question.mark_saving()
        self._undoing.add(step.indicator_id)
        self.answer_committed.emit(
            self._assessment_id, step.indicator_id, step.before, list(step.attachments)
        )
        question.focus_first()
        self._scroll_to(question)

    def _forget_undo(self) -> None:
        had = bool(self._undo)
        self._undo.clear()
        self._before.clear()
        self._undoing.clear()
        if had:
            self.undo_changed.emit()

    def question(self, indicator_id: str) -> QuestionWidget | None:
        return self._questions.get(indicator_id)

    def questions(self) -> list[QuestionWidget]:
        return list(self._questions.values())

    def current_section(self) -> str | None:
        return self._section_id

    def state(self) -> FillState | None:
        return self._state

    def mark_saving(self, indicator_id: str) -> None:
        if (question := self._questions.get(indicator_id)) is not None:
            question.mark_saving()

    def mark_saved(
        self, indicator_id: str, answer: Answer, attachments: Sequence[Attachment]
    ) -> None:
        step = self._before.pop(indicator_id, None)
        if indicator_id in self._undoing:
            self._undoing.discard(indicator_id)
        elif step is not None and step.before != answer:
            self._undo.append(step)
            self.undo_changed.emit()
        if (question := self._questions.get(indicator_id)) is not None:
            question.mark_saved(answer, attachments)

    def mark_failed(self, indicator_id: str, reason: str) -> None:
        self._before.pop(indicator_id, None)
        self._undoing.discard(indicator_id)
        if (question := self._questions.get(indicator_id)) is not None:
            question.mark_failed(reason)

    def add_attachment(self, indicator_id: str, attachment: Attachment) -> None:
        """A file was stored: save the answer again with it attached."""
        question = self._questions.get(indicator_id)
        if question is None:
            return
        attachments = [a for a in question.attachments() if a.sha256 != attachment.sha256]
        attachments.append(attachment)
        try:
            answer = question.current_answer()
        except ValueError:
            answer = question.saved_answer()
        self._send(question, answer, attachments)

    # -- navigation --------------------------------------------------------------------------

    def show_section(self, section_id: str, focus: bool = False) -> None:
        if self._state is None:
            return
        section = self._find_section(section_id)
        if section is None:
            return
        if section_id != self._section_id:
            self.flush_pending()
            self._commit_focused()
            self._section_id = section_id
            self._build_page(section)
            self.section_shown.emit(self._assessment_id, section_id)
        index = self.nav_model.index_for_key(section_id)
        if index.isValid() and self.nav.currentIndex().siblingAtColumn(0) != index:
            self.nav.selectionModel().setCurrentIndex(
                index, QItemSelectionModel.SelectionFlag.ClearAndSelect
            )
        self._show_titles()
        if focus:
            self.go_to_question(1, from_start=True)

    def go_to_section(self, step: int) -> None:
        """The next (or previous) section that has questions matching the filter."""
        if self._state is None or self._section_id is None:
            return
        keys = self.nav_model.section_keys()
        position = keys.index(self._section_id)
        which = self._filter()
        candidate = position + step
        while 0 <= candidate < len(keys):
            section = self._find_section(keys[candidate])
            if section and any(self._state.matches(i, which) for i in section.indicators):
                self.show_section(keys[candidate], focus=True)
                return
            candidate += step

    def go_to_question(self, step: int, from_start: bool = False) -> None:
        visible = [q for q in self._questions.values() if not q.isHidden()]
        if not visible:
            return
        current = None if from_start else self._focused_question()
        if current is None or current not in visible:
            target = visible[0] if step > 0 else visible[-1]
        else:
            position = visible.index(current) + step
            if not 0 <= position < len(visible):
                return
            target = visible[position]
        target.focus_first()
        self._scroll_to(target)

    def _scroll_to(self, question: QuestionWidget) -> None:
        """Bring a question's top into view; never scroll sideways."""
        page = self.questions_area.widget()
        if page is None:
            return
        top = question.mapTo(page, question.rect().topLeft()).y()
        bar = self.questions_area.verticalScrollBar()
        viewport = self.questions_area.viewport().height()
        if top < bar.value() or top + min(question.height(), viewport) > bar.value() + viewport:
            bar.setValue(max(0, top - 8))
        self.questions_area.horizontalScrollBar().setValue(0)

    # -- building the page -------------------------------------------------------------------

    def _build_page(self, section: Section) -> None:
        state = self._state
        assert state is not None
        page = QWidget()
        page.setObjectName("section_page")
        layout = QVBoxLayout(page)
        self._questions = {}
        for indicator in section.indicators:
            question = QuestionWidget(indicator, self._lang, page)
            attachments = state.attachments.get(indicator.id, ())
            question.load(state.shown_answer(indicator.id), attachments)
            question.answer_committed.connect(self._on_question_answer_committed)
            question.save_state_changed.connect(lambda _id: self.edited.emit())
            question.attachment_requested.connect(self.attachment_requested)
            question.history_requested.connect(self.history_requested)
            layout.addWidget(question)
            self._questions[indicator.id] = question
        layout.addStretch(1)
        self._replace_page(page)
        self._update_questions()

    def _replace_page(self, page: QWidget | None) -> None:
        old = self.questions_area.takeWidget()
        if page is not None:
            self.questions_area.setWidget(page)
        else:
            self._questions = {}
        if old is not None:
            old.deleteLater()

    def _update_questions(self) -> None:
        """Relevance, filter, computed values, constraints and badges, after every change."""
        state = self._state
        if state is None:
            return
        which = self._filter()
        shown = 0
        for indicator_id, question in self._questions.items():
            indicator = question.indicator
            question.set_computed_value(state.computed_value(indicator_id))
            disagreement, conflict = state.flags(indicator_id)
            question.set_flags(disagreement, conflict, state.answered_by(indicator_id))
            question.set_constraint_failed(state.constraint_failed(indicator_id))
            visible = state.matches(indicator, which)
            if question.isHidden() == visible:
                question.setVisible(visible)
            shown += int(visible)
        self.empty_label.setVisible(shown == 0 and bool(self._questions))

    def _show_titles(self) -> None:
        if self._state is None:
            self.title.setText(_("No assessment open"))
            self.section_title.setText("")
            self.empty_label.setText("")
            return
        header = self._header
        self.title.setText(f"{header.city} · {header.period}")
        section = self._find_section(self._section_id or "")
        if section is not None:
            domain = self._state.questionnaire.domain_of(section.indicators[0].id)
            self.section_title.setText(
                f"{pick(domain.name, self._lang)} › {pick(section.name, self._lang)}"
            )
        self.empty_label.setText(
            _("No question in this section matches the filter. Ctrl+PgDown goes on.")
        )

    def _find_section(self, section_id: str) -> Section | None:
        if self._state is None:
            return None
        for domain in self._state.questionnaire.domains:
            for section in domain.sections:
                if section.id == section_id and section.indicators:
                    return section
        return None

    def _filter(self) -> str:
        return str(self.filter.currentData() or FILTER_ALL)

    def _focused_question(self) -> QuestionWidget | None:
        widget = QApplication.focusWidget()
        while widget is not None:
            if isinstance(widget, QuestionWidget):
                return widget
            widget = widget.parentWidget()
        return None

    def _commit_focused(self) -> None:
        question = self._focused_question()
        if question is not None:
            question.commit_now()

    # -- slots -------------------------------------------------------------------------------

    def _on_nav_current_changed(self, current: QModelIndex, _previous: QModelIndex) -> None:
        if not current.isValid():
            return
        current = current.siblingAtColumn(0)
        key = str(current.data(KeyRole))
        if current.data(KindRole) == "domain":
            child = self.nav_model.index(0, 0, current)
            if child.isValid():
                key = str(child.data(KeyRole))
        self.show_section(key)

    def _on_filter_current_index_changed(self, _index: int) -> None:
        self._update_questions()

    def _on_question_answer_committed(self, indicator_id: str, answer: Answer) -> None:
        question = self._questions[indicator_id]
        self._send(question, answer, question.attachments())

    def _send(
        self, question: QuestionWidget, answer: Answer, attachments: Sequence[Attachment]
    ) -> None:
        """Save an edit of the open assessment; remember the answer before it, for Undo."""
        indicator_id = question.indicator.id
        if indicator_id not in self._before and self._section_id is not None:
            self._before[indicator_id] = UndoStep(
                indicator_id,
                self._section_id,
                question.saved_answer(),
                tuple(question.attachments()),
            )
        question.mark_saving()
        self.answer_committed.emit(self._assessment_id, indicator_id, answer, list(attachments))

    def _on_dont_know_shortcut_activated(self) -> None:
        question = self._focused_question()
        if question is not None:
            question.toggle_dont_know()

    def after_refresh(self, loaded: LoadedAssessment) -> None:
        """A re-scored snapshot: update badges, relevance and counts without touching edits."""
        if self._state is None:
            return
        self._state = FillState.from_snapshot(
            loaded.snapshot, loaded.me, loaded.attachments, loaded.drafts
        )
        self._header = loaded.snapshot.header
        self.nav_model.set_nodes(self._state.nav_nodes())
        self._update_questions()
        self._show_titles()
