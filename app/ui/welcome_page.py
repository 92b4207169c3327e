"""Welcome: what the home page shows while the data folder holds no assessment yet.

A few sentences on what Readiness does and how answers are kept, and three ways to begin: the
demo, a new assessment, a bundle file (the last only when the sync service is installed).
"""

from __future__ import annotations

from PySide6.QtCore import Qt, Signal, SignalInstance
from PySide6.QtWidgets import (
    QCommandLinkButton,
    QHBoxLayout,
    QLabel,
    QSizePolicy,
    QVBoxLayout,
    QWidget,
)

from app.ui.i18n import _

# Wide enough for the sentences to read as a paragraph, narrow enough to stay calm.
COLUMN_WIDTH = 620


class WelcomePage(QWidget):
    """Signals:
    new_requested(): start a new assessment.
    demo_requested(): open the demo assessment.
    import_requested(): import a bundle file.
    """

    new_requested = Signal()
    demo_requested = Signal()
    import_requested = Signal()

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("welcome")
        self.title = QLabel(self)
        self.title.setProperty("role", "page-title")
        self.what = QLabel(self)
        self.what.setObjectName("welcome_what")
        self.kept = QLabel(self)
        self.kept.setObjectName("welcome_kept")
        for label in (self.what, self.kept):
            label.setWordWrap(True)
            label.setProperty("role", "help")
        self.choices_title = QLabel(self)
        self.choices_title.setProperty("role", "section-title")
        self.choices_title.setIndent(0)

        self.demo_button = self._choice("welcome_demo", self.demo_requested)
        self.new_button = self._choice("welcome_new", self.new_requested)
        self.import_button = self._choice("welcome_import", self.import_requested)
        self.import_button.hide()

        column = QVBoxLayout()
        column.setSpacing(10)
        column.addWidget(self.title)
        column.addWidget(self.what)
        column.addWidget(self.kept)
        column.addSpacing(12)
        column.addWidget(self.choices_title)
        for button in (self.demo_button, self.new_button, self.import_button):
            column.addWidget(button)
        holder = QWidget(self)
        holder.setLayout(column)
        holder.setMaximumWidth(COLUMN_WIDTH)
        holder.setSizePolicy(QSizePolicy.Policy.Preferred, QSizePolicy.Policy.Maximum)

        row = QHBoxLayout()
        row.addStretch(1)
        row.addWidget(holder, 4)
        row.addStretch(1)
        layout = QVBoxLayout(self)
        layout.addStretch(1)
        layout.addLayout(row)
        layout.addStretch(2)  # a little above the middle, where the eye starts
        self.setTabOrder(self.demo_button, self.new_button)
        self.setTabOrder(self.new_button, self.import_button)
        self.retranslate("en")

    def _choice(self, name: str, signal: SignalInstance) -> QCommandLinkButton:
        button = QCommandLinkButton(self)
        button.setObjectName(name)
        button.setFocusPolicy(Qt.FocusPolicy.StrongFocus)
        button.clicked.connect(signal)
        return button

    def retranslate(self, _lang: str) -> None:
        self.title.setText(_("Welcome to Readiness"))
        self.what.setText(
            _(
                "Readiness measures how ready a city's health system is to deliver precision "
                "oncology. You answer a questionnaire with your colleagues; it shows a maturity "
                "level for each domain and what the next level needs."
            )
        )
        self.kept.setText(
            _(
                "Answers are saved on this computer as you type them and need no connection. "
                "Later they can be sent to a hub, or shared as a file."
            )
        )
        self.choices_title.setText(_("How would you like to begin?"))
        self.demo_button.setText(_("Open the &demo assessment"))
        self.demo_button.setDescription(
            _("A filled-in assessment of a fictional city, to look around first.")
        )
        self.new_button.setText(_("Start a &new assessment"))
        self.new_button.setDescription(_("Choose the city, the period and the questionnaire."))
        self.import_button.setText(_("&Import a bundle file"))
        self.import_button.setDescription(_("An assessment someone sent you as a .readiness file."))

    def set_import_available(self, available: bool) -> None:
        self.import_button.setVisible(available)
