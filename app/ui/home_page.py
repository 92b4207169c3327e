"""Home: the assessments on this computer, and the ways to start one.

While the data folder holds no assessment, the welcome page stands in for the list (its choices
stay on the list page's buttons and in the File menu once assessments exist). Until the first list
arrives neither is decided: the list page shows without its table.
"""

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
    QStackedLayout,
    QTableView,
    QVBoxLayout,
    QWidget,
)

from app.ui.assessment_model import AssessmentRow, AssessmentTableModel, IdRole, SortRole
from app.ui.i18n import _
from app.ui.welcome_page import WelcomePage


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

        self.list_page = QWidget(self)
        self.list_page.setObjectName("assessment_list")
        self.title = QLabel(self.list_page)
        self.title.setProperty("role", "page-title")
        self.intro = QLabel(self.list_page)
        self.intro.setWordWrap(True)
        self.list_new_button = QPushButton(self.list_page)
        self.list_new_button.setObjectName("new_assessment")
        self.list_new_button.clicked.connect(self.new_requested)
        self.list_demo_button = QPushButton(self.list_page)
        self.list_demo_button.setObjectName("open_demo")
        self.list_demo_button.clicked.connect(self.demo_requested)
        self.list_import_button = QPushButton(self.list_page)
        self.list_import_button.setObjectName("import_bundle")
        self.list_import_button.clicked.connect(self.import_requested)
        self.list_import_button.hide()
        self.open_button = QPushButton(self.list_page)
        self.open_button.setObjectName("open_selected")
        self.open_button.clicked.connect(self._on_open_button_clicked)
        self.open_button.setEnabled(False)
        buttons = QHBoxLayout()
        for button in (self.list_new_button, self.list_demo_button, self.list_import_button):
            buttons.addWidget(button)
        buttons.addStretch(1)
        buttons.addWidget(self.open_button)

        self.table = _AssessmentTable(self.list_page)
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
        self.table.hide()  # until the first list says there is something to show

        self.welcome = WelcomePage(self)
        self.welcome.new_requested.connect(self.new_requested)
        self.welcome.demo_requested.connect(self.demo_requested)
        self.welcome.import_requested.connect(self.import_requested)
        self.empty = self.welcome  # what stands in for an empty list

        layout = QVBoxLayout(self.list_page)
        layout.setContentsMargins(0, 0, 0, 0)
        layout.addWidget(self.title)
        layout.addWidget(self.intro)
        layout.addLayout(buttons)
        layout.addWidget(self.table, 1)
        self.stack = QStackedLayout(self)
        self.stack.addWidget(self.list_page)
        self.stack.addWidget(self.welcome)
        self.retranslate("en")

    # The ways to start one, as shown now: the welcome page's choices, or the list page's buttons.

    @property
    def showing_welcome(self) -> bool:
        return self.stack.currentWidget() is self.welcome

    @property
    def new_button(self) -> QPushButton:
        return self.welcome.new_button if self.showing_welcome else self.list_new_button

    @property
    def demo_button(self) -> QPushButton:
        return self.welcome.demo_button if self.showing_welcome else self.list_demo_button

    @property
    def import_button(self) -> QPushButton:
        return self.welcome.import_button if self.showing_welcome else self.list_import_button

    def retranslate(self, _lang: str) -> None:
        self.title.setText(_("Assessments on this computer"))
        self.intro.setText(
            _(
                "Each assessment measures one city's readiness for precision oncology in one "
                "period. Answers are saved as you type them; nothing needs a connection."
            )
        )
        self.list_new_button.setText(_("&New assessment…"))
        self.list_demo_button.setText(_("Open the &demo"))
        self.list_demo_button.setToolTip(_("A filled-in assessment of a fictional city"))
        self.list_import_button.setText(_("&Import a file…"))
        self.open_button.setText(_("&Open"))
        self.table.setAccessibleName(_("Assessments"))
        self.welcome.retranslate(_lang)
        self.model.retranslate()

    def set_rows(self, rows: Sequence[AssessmentRow]) -> None:
        current = self.current_id()
        self.model.set_rows(rows)
        if current:
            self.select(current)
        self._update_empty()

    def set_import_available(self, available: bool) -> None:
        self.list_import_button.setVisible(available)
        self.welcome.set_import_available(available)

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
        self.table.setVisible(has_rows)
        self.stack.setCurrentWidget(self.list_page if has_rows else self.welcome)

    def _on_table_activated(self, index: QModelIndex) -> None:
        value = index.siblingAtColumn(0).data(IdRole)
        if value:
            self.open_requested.emit(str(value))

    def _on_open_button_clicked(self) -> None:
        current = self.current_id()
        if current:
            self.open_requested.emit(current)
