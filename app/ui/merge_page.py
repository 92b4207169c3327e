"""Merge: for each indicator where contributors disagree (or sync left a conflict), every
contributor's answer side by side; the coordinator picks one or enters the city answer, always
with a rationale."""

from __future__ import annotations

from PySide6.QtCore import Qt, Signal
from PySide6.QtWidgets import (
    QAbstractItemView,
    QComboBox,
    QFormLayout,
    QHBoxLayout,
    QHeaderView,
    QLabel,
    QLineEdit,
    QListView,
    QListWidget,
    QListWidgetItem,
    QPushButton,
    QSizePolicy,
    QSplitter,
    QTableWidget,
    QTableWidgetItem,
    QVBoxLayout,
    QWidget,
)

from app.common.i18n import pick
from app.domain import Answer, AnswerState, CityAnswer, Indicator, Questionnaire
from app.ui.answer_text import STATE_NAMES, describe_answer
from app.ui.backend import LoadedAssessment
from app.ui.i18n import N_, _, format_timestamp
from app.ui.value_editors import EditorError, ValueEditor, make_editor

COLUMNS = (N_("Contributor"), N_("Role"), N_("Answer"), N_("Note"), N_("Changed"))


class MergePage(QWidget):
    """Signals:
    city_answer_chosen(str, object, str): indicator id, the city `Answer`, the rationale.
    """

    city_answer_chosen = Signal(str, object, str)

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("merge_page")
        self._lang = "en"
        self._questionnaire: Questionnaire | None = None
        self._answers: dict[str, CityAnswer] = {}
        self._current: str | None = None
        self._editor: ValueEditor | None = None

        self.intro = QLabel(self)
        self.intro.setWordWrap(True)
        self.list = QListWidget(self)
        self.list.setObjectName("disputed")
        self.list.setWordWrap(True)
        self.list.setTextElideMode(Qt.TextElideMode.ElideNone)
        self.list.currentItemChanged.connect(self._on_list_current_item_changed)

        self.question = QLabel(self)
        self.question.setObjectName("merge_question")
        self.question.setWordWrap(True)
        self.question.setProperty("role", "question-title")
        self.table = QTableWidget(0, len(COLUMNS), self)
        self.table.setObjectName("contributor_answers")
        self.table.setEditTriggers(QAbstractItemView.EditTrigger.NoEditTriggers)
        self.table.setSelectionBehavior(QAbstractItemView.SelectionBehavior.SelectRows)
        self.table.setSelectionMode(QAbstractItemView.SelectionMode.SingleSelection)
        self.table.verticalHeader().setVisible(False)
        self.table.horizontalHeader().setSectionResizeMode(QHeaderView.ResizeMode.ResizeToContents)
        self.table.horizontalHeader().setSectionResizeMode(3, QHeaderView.ResizeMode.Stretch)
        self.table.setWordWrap(True)
        self.table.setSizeAdjustPolicy(QAbstractItemView.SizeAdjustPolicy.AdjustToContents)
        self.table.setSizePolicy(QSizePolicy.Policy.Expanding, QSizePolicy.Policy.Maximum)
        self.use_button = QPushButton(self)
        self.use_button.setObjectName("use_selected")
        self.use_button.clicked.connect(self._on_use_button_clicked)

        self.own_label = QLabel(self)
        self.state = QComboBox(self)
        self.state.setObjectName("city_state")
        for state in (
            AnswerState.ANSWERED,
            AnswerState.DONT_KNOW,
            AnswerState.NOT_APPLICABLE,
            AnswerState.NOT_MEASURED,
        ):
            self.state.addItem("", state.value)
        self.state.currentIndexChanged.connect(self._on_state_current_index_changed)
        self.editor_slot = QVBoxLayout()
        self.rationale = QLineEdit(self)
        self.rationale.setObjectName("rationale")
        self.rationale.returnPressed.connect(self._on_set_button_clicked)  # Enter sets it
        self.set_button = QPushButton(self)
        self.set_button.setObjectName("set_city_answer")
        self.set_button.clicked.connect(self._on_set_button_clicked)
        self.message = QLabel(self)
        self.message.setObjectName("merge_message")
        self.message.setProperty("role", "error")
        self.message.setWordWrap(True)

        self.form = QFormLayout()
        self.state_label = QLabel(self)
        self.value_label = QLabel(self)
        self.rationale_label = QLabel(self)
        self.form.addRow(self.state_label, self.state)
        self.form.addRow(self.value_label, self.editor_slot)
        self.form.addRow(self.rationale_label, self.rationale)
        self.state_label.setBuddy(self.state)
        self.rationale_label.setBuddy(self.rationale)

        right = QWidget(self)
        right_layout = QVBoxLayout(right)
        right_layout.addWidget(self.question)
        right_layout.addWidget(self.table)
        use_row = QHBoxLayout()
        use_row.addStretch(1)
        use_row.addWidget(self.use_button)
        right_layout.addLayout(use_row)
        right_layout.addWidget(self.own_label)
        right_layout.addLayout(self.form)
        set_row = QHBoxLayout()
        set_row.addWidget(self.message, 1)
        set_row.addWidget(self.set_button)
        right_layout.addLayout(set_row)
        right_layout.addStretch(1)

        splitter = QSplitter(Qt.Orientation.Horizontal, self)
        splitter.addWidget(self.list)
        splitter.addWidget(right)
        splitter.setStretchFactor(0, 1)
        splitter.setStretchFactor(1, 3)
        splitter.setSizes([330, 900])
        splitter.setChildrenCollapsible(False)
        layout = QVBoxLayout(self)
        layout.addWidget(self.intro)
        layout.addWidget(splitter, 1)
        self.retranslate("en")
        self._show_indicator(None)

    def retranslate(self, lang: str) -> None:
        self._lang = lang
        self.intro.setText(
            _(
                "Questions where contributors gave different answers, or where answers synced "
                "from two computers clash. Until you choose, the lowest level counts."
            )
        )
        self.list.setAccessibleName(_("Questions to resolve"))
        self.table.setAccessibleName(_("Contributors' answers"))
        self.table.setHorizontalHeaderLabels([_(c) for c in COLUMNS])
        self.use_button.setText(_("&Use the selected answer"))
        self.own_label.setText(_("Or enter the city answer:"))
        self.state_label.setText(_("&State:"))
        self.value_label.setText(_("Value:"))
        self.rationale_label.setText(_("&Rationale:"))
        self.state.setAccessibleName(_("State of the city answer"))
        for index in range(self.state.count()):
            self.state.setItemText(index, _(STATE_NAMES[AnswerState(self.state.itemData(index))]))
        self.rationale.setAccessibleName(_("Rationale for the city answer"))
        self.rationale.setPlaceholderText(_("Why this is the city's answer (required)"))
        self.set_button.setText(_("Set &city answer"))
        self._fill_list()
        self._show_indicator(self._current)

    # -- data --------------------------------------------------------------------------------

    def set_loaded(self, loaded: LoadedAssessment) -> None:
        self._questionnaire = loaded.snapshot.questionnaire
        self._answers = dict(loaded.snapshot.answers)
        self._fill_list()

    def clear(self) -> None:
        self._questionnaire = None
        self._answers = {}
        self._fill_list()

    def disputed(self) -> list[str]:
        q = self._questionnaire
        if q is None:
            return []
        return [
            i.id
            for i in q.indicators
            if (ca := self._answers.get(i.id)) is not None and (ca.disagreement or ca.conflict)
        ]

    def select(self, indicator_id: str) -> None:
        for row in range(self.list.count()):
            item = self.list.item(row)
            if item.data(Qt.ItemDataRole.UserRole) == indicator_id:
                self.list.setCurrentItem(item)
                return

    def set_message(self, text: str) -> None:
        self.message.setText(text)

    # -- internals ---------------------------------------------------------------------------

    def _fill_list(self) -> None:
        keep = self._current
        self.list.blockSignals(True)
        self.list.clear()
        q = self._questionnaire
        for indicator_id in self.disputed():
            assert q is not None
            ca = self._answers[indicator_id]
            badge = _("Conflict") if ca.conflict else _("Disagreement")
            text = f"{indicator_id}  {pick(q.indicator(indicator_id).label, self._lang)}"
            item = QListWidgetItem(f"[{badge}] {text}")
            item.setData(Qt.ItemDataRole.UserRole, indicator_id)
            item.setToolTip(text)
            self.list.addItem(item)
        self.list.blockSignals(False)
        ids = self.disputed()
        if keep in ids:
            self.select(keep)
            self._show_indicator(keep)
        elif ids:
            self.list.setCurrentRow(0)
        else:
            self._show_indicator(None)

    def _show_indicator(self, indicator_id: str | None) -> None:
        if indicator_id != self._current:
            # A justification belongs to one question: never reused by accident for the next.
            self.rationale.clear()
        self._current = indicator_id
        self.table.setRowCount(0)
        self.message.setText("")
        if self._editor is not None:
            self._editor.setParent(None)
            self._editor.deleteLater()
            self._editor = None
        enabled = indicator_id is not None and self._questionnaire is not None
        for widget in (self.use_button, self.state, self.rationale, self.set_button):
            widget.setEnabled(enabled)
        if not enabled or indicator_id is None or self._questionnaire is None:
            empty = _("Nothing to resolve: every question has one agreed answer.")
            self.question.setText(empty if self._questionnaire else "")
            return
        indicator = self._questionnaire.indicator(indicator_id)
        self.question.setText(f"{indicator.id}  {pick(indicator.label, self._lang)}")
        ca = self._answers[indicator_id]
        self.table.setRowCount(len(ca.contributors))
        for row, given in enumerate(ca.contributors):
            cells = (
                given.contributor.name,
                given.contributor.role,
                describe_answer(indicator, given.answer, self._lang),
                given.answer.note,
                format_timestamp(given.changed_at),
            )
            for column, text in enumerate(cells):
                self.table.setItem(row, column, QTableWidgetItem(text))
        self.table.resizeRowsToContents()
        if ca.contributors:
            self.table.selectRow(0)
        self._editor = make_editor(indicator, self._lang, self)
        self._editor.set_accessible_label(_("City answer: {label}").format(label=indicator.id))
        self.editor_slot.addWidget(self._editor)
        self._editor.show()  # at once: a layout would show it only after the next event loop
        self._chain_tab_order(self._editor)
        self._set_allowed_states(indicator)
        self._on_state_current_index_changed(self.state.currentIndex())

    def _chain_tab_order(self, editor: ValueEditor) -> None:
        """State, the value's inputs, Rationale, Set: the order on the screen (the editor is
        built after the rationale, so Qt's order would put it last)."""
        previous: QWidget = self.state
        for widget in editor.findChildren(QWidget):
            if widget.focusPolicy() & Qt.FocusPolicy.TabFocus and widget.parentWidget() is editor:
                QWidget.setTabOrder(previous, widget)
                previous = widget
        QWidget.setTabOrder(previous, self.rationale)
        QWidget.setTabOrder(self.rationale, self.set_button)

    def _set_allowed_states(self, indicator: Indicator) -> None:
        allowed = {s.value for s in indicator.allowed_states}
        view = self.state.view()
        for index in range(self.state.count()):
            if isinstance(view, QListView):
                view.setRowHidden(index, self.state.itemData(index) not in allowed)
        self.state.setCurrentIndex(0)

    def _chosen_contributor_answer(self) -> Answer | None:
        if self._current is None:
            return None
        row = self.table.currentRow()
        contributors = self._answers[self._current].contributors
        if not 0 <= row < len(contributors):
            return None
        return contributors[row].answer

    def _emit_choice(self, answer: Answer) -> None:
        rationale = self.rationale.text().strip()
        if not rationale:
            self.message.setText(_("Give a rationale: it is kept in the audit trail."))
            self.rationale.setFocus()
            return
        assert self._current is not None
        self.city_answer_chosen.emit(self._current, answer, rationale)

    # -- slots -------------------------------------------------------------------------------

    def _on_list_current_item_changed(
        self, current: QListWidgetItem | None, _previous: QListWidgetItem | None
    ) -> None:
        self._show_indicator(current.data(Qt.ItemDataRole.UserRole) if current else None)

    def _on_state_current_index_changed(self, _index: int) -> None:
        if self._editor is not None:
            self._editor.setEnabled(self.state.currentData() == AnswerState.ANSWERED.value)

    def _on_use_button_clicked(self) -> None:
        answer = self._chosen_contributor_answer()
        if answer is None:
            self.message.setText(_("Select a contributor's answer first."))
            return
        self._emit_choice(Answer(answer.value, answer.state, answer.note, answer.evidence))

    def _on_set_button_clicked(self) -> None:
        state = AnswerState(self.state.currentData())
        if state is not AnswerState.ANSWERED:
            self._emit_choice(Answer(state=state))
            return
        assert self._editor is not None
        try:
            value = self._editor.value()
        except EditorError as exc:
            self.message.setText(str(exc))
            return
        if value is None:
            self.message.setText(_("Enter a value, or choose a state such as don't know."))
            return
        self._emit_choice(Answer(value=value))
