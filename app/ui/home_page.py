"""Home: the assessments on this computer, and the ways to start one."""

from __future__ import annotations

from collections.abc import Sequence

from PySide6.QtCore import QModelIndex, QSortFilterProxyModel, Qt, Signal
from PySide6.QtGui import QKeyEvent
from PySide6.QtWidgets import (
    QAbstractItemView,
    QHBoxLayout,
    QHeaderView,
    QLabel,
    QPushButton,
    QTableView,
    QVBoxLayout,
    QWidget,
)

from app.ui.assessment_model import AssessmentRow, AssessmentTableModel, IdRole, SortRole
from app.ui.i18n import _


class _AssessmentTable(QTableView):
    """Enter opens the current row, like a double click."""

    activated_by_key = Signal(QModelIndex)

    def keyPressEvent(self, event: QKeyEvent) -> None:  # noqa: N802 - Qt override
        if event.key() in (Qt.Key.Key_Return, Qt.Key.Key_Enter) and self.currentIndex().isValid():
            self.activated_by_key.emit(self.currentIndex())
            return
        super().keyPressEvent(event)


class HomePage(QWidget):
    """Signals:
    new_requested(): the person wants to start a new assessment.
    demo_requested(): open (creating if needed) the demo assessment.
    open_requested(str): open the assessment with this id.
    import_requested(): import a bundle file (shown only when the sync service exists).
    """

    new_requested = Signal()
    demo_requested = Signal()
    open_requested = Signal(str)
    import_requested = Signal()

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("home_page")
        self.model = AssessmentTableModel(self)
        self.proxy = QSortFilterProxyModel(self)
        self.proxy.setSourceModel(self.model)
        self.proxy.setSortRole(SortRole)

        self.title = QLabel(self)
        self.title.setProperty("role", "page-title")
        self.intro = QLabel(self)
        self.intro.setWordWrap(True)
        self.new_button = QPushButton(self)
        self.new_button.setObjectName("new_assessment")
        self.new_button.clicked.connect(self.new_requested)
        self.demo_button = QPushButton(self)
        self.demo_button.setObjectName("open_demo")
        self.demo_button.clicked.connect(self.demo_requested)
        self.import_button = QPushButton(self)
        self.import_button.setObjectName("import_bundle")
        self.import_button.clicked.connect(self.import_requested)
        self.import_button.hide()
        self.open_button = QPushButton(self)
        self.open_button.setObjectName("open_selected")
        self.open_button.clicked.connect(self._on_open_button_clicked)
        self.open_button.setEnabled(False)
        buttons = QHBoxLayout()
        for button in (self.new_button, self.demo_button, self.import_button):
            buttons.addWidget(button)
        buttons.addStretch(1)
        buttons.addWidget(self.open_button)

        self.table = _AssessmentTable(self)
        self.table.setObjectName("assessments")
        self.table.setModel(self.proxy)
        self.table.setSortingEnabled(True)
        self.table.sortByColumn(0, Qt.SortOrder.AscendingOrder)
        self.table.setSelectionBehavior(QAbstractItemView.SelectionBehavior.SelectRows)
        self.table.setSelectionMode(QAbstractItemView.SelectionMode.SingleSelection)
        self.table.setEditTriggers(QAbstractItemView.EditTrigger.NoEditTriggers)
        self.table.verticalHeader().setVisible(False)
        self.table.setAlternatingRowColors(True)
        header = self.table.horizontalHeader()
        header.setSectionResizeMode(QHeaderView.ResizeMode.ResizeToContents)
        header.setSectionResizeMode(0, QHeaderView.ResizeMode.Stretch)
        self.table.doubleClicked.connect(self._on_table_activated)
        self.table.activated_by_key.connect(self._on_table_activated)
        self.table.selectionModel().currentRowChanged.connect(
            lambda current, _prev: self.open_button.setEnabled(current.isValid())
        )
        self.empty = QLabel(self)
        self.empty.setObjectName("no_assessments")
        self.empty.setWordWrap(True)

        layout = QVBoxLayout(self)
        layout.addWidget(self.title)
        layout.addWidget(self.intro)
        layout.addLayout(buttons)
        layout.addWidget(self.table, 1)
        layout.addWidget(self.empty)
        self.retranslate("en")
        self._update_empty()

    def retranslate(self, _lang: str) -> None:
        self.title.setText(_("Assessments on this computer"))
        self.intro.setText(
            _(
                "Each assessment measures one city's readiness for precision oncology in one "
                "period. Answers are saved as you type them; nothing needs a connection."
            )
        )
        self.new_button.setText(_("&New assessment…"))
        self.demo_button.setText(_("Open the &demo"))
        self.demo_button.setToolTip(_("A filled-in assessment of a fictional city"))
        self.import_button.setText(_("&Import a file…"))
        self.open_button.setText(_("&Open"))
        self.table.setAccessibleName(_("Assessments"))
        self.empty.setText(
            _("No assessment yet. Start a new one, or open the demo to look around first.")
        )
        self.model.retranslate()

    def set_rows(self, rows: Sequence[AssessmentRow]) -> None:
        current = self.current_id()
        self.model.set_rows(rows)
        if current:
            self.select(current)
        self._update_empty()

    def set_import_available(self, available: bool) -> None:
        self.import_button.setVisible(available)

    def select(self, assessment_id: str) -> None:
        row = self.model.row_of(assessment_id)
        if row < 0:
            return
        index = self.proxy.mapFromSource(self.model.index(row, 0))
        self.table.setCurrentIndex(index)
        self.table.selectRow(index.row())

    def current_id(self) -> str | None:
        index = self.table.currentIndex()
        if not index.isValid():
            return None
        value = index.siblingAtColumn(0).data(IdRole)
        return str(value) if value else None

    def _update_empty(self) -> None:
        has_rows = self.model.rowCount() > 0
        self.empty.setVisible(not has_rows)
        self.table.setVisible(has_rows)

    def _on_table_activated(self, index: QModelIndex) -> None:
        value = index.siblingAtColumn(0).data(IdRole)
        if value:
            self.open_requested.emit(str(value))

    def _on_open_button_clicked(self) -> None:
        current = self.current_id()
        if current:
            self.open_requested.emit(current)
