"""Help > About Readiness: the version, where the data and the logs are, the questionnaires
installed, and the licence.

The questionnaires are read when the dialog opens, on the database thread
(`installed_questionnaires`), and fill the table when they arrive.
"""

from __future__ import annotations

import contextlib
import logging
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING

from PySide6.QtCore import Qt
from PySide6.QtWidgets import (
    QAbstractItemView,
    QDialog,
    QDialogButtonBox,
    QGridLayout,
    QHeaderView,
    QLabel,
    QPushButton,
    QTableWidget,
    QTableWidgetItem,
    QVBoxLayout,
    QWidget,
)

from app import __version__
from app.common.errors import UserError
from app.ui import desktop
from app.ui.i18n import _

if TYPE_CHECKING:
    from app.ui.backend import Backend

log = logging.getLogger("readiness.ui.about")

LICENCE = "Apache-2.0"


@dataclass(frozen=True)
class InstalledQuestionnaire:
    id: str
    version: str
    title: str  # in the language asked for
    indicators: int
    shipped: bool  # shipped with the application (else only stored in the data folder)


def installed_questionnaires(backend: Backend, lang: str) -> list[InstalledQuestionnaire]:
    """The shipped questionnaires, then those only stored in the database (received from a hub
    or a bundle), by id and version. Runs on the database thread."""
    from app.common.i18n import pick
    from app.domain.version_order import version_key
    from app.forms import shipped_forms
    from app.services import questionnaire_cache
    from app.services.cache_folder import cache_dir

    cache = cache_dir(backend.paths)
    found: dict[tuple[str, str], InstalledQuestionnaire] = {}

    def add(body: bytes, name: str, shipped: bool) -> None:
        try:
            q = questionnaire_cache.load(body, name, cache)
        except UserError:
            log.warning("questionnaire %s does not load", name)
            return
        found.setdefault(
            (q.id, q.version),
            InstalledQuestionnaire(
                q.id, q.version, pick(q.title, lang), len(q.indicators), shipped
            ),
        )

    for path in shipped_forms():
        try:
            add(path.read_bytes(), str(path), shipped=True)
        except OSError:
            log.warning("shipped questionnaire %s cannot be read", path)
    from app.services.stored_questionnaires import stored_questionnaire_files

    for form_id, version, body in stored_questionnaire_files(backend.ws, skip=set(found)):
        add(body, f"{form_id}@{version}", shipped=False)
    return sorted(found.values(), key=lambda q: (q.id, version_key(q.version)))


def _path_label(path: Path, parent: QWidget) -> QLabel:
    label = QLabel(str(path), parent)
    label.setTextInteractionFlags(
        Qt.TextInteractionFlag.TextSelectableByMouse
        | Qt.TextInteractionFlag.TextSelectableByKeyboard
    )
    label.setWordWrap(True)
    label.setCursor(Qt.CursorShape.IBeamCursor)
    return label


class AboutDialog(QDialog):
    """The facts a person (or whoever helps them) needs about this installation."""

    def __init__(self, data_folder: Path, log_folder: Path, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("about_dialog")
        self.setWindowTitle(_("About Readiness"))
        self.data_folder = data_folder
        self.log_folder = log_folder

        title = QLabel(_("Readiness {version}").format(version=__version__), self)
        title.setProperty("role", "page-title")
        self.version = title
        purpose = QLabel(
            _(
                "Measures how ready a city's health system is to deliver precision oncology, "
                "offline, on this computer."
            ),
            self,
        )
        purpose.setWordWrap(True)

        folders = QGridLayout()
        folders.setColumnStretch(1, 1)
        self.data_label = _path_label(data_folder, self)
        self.data_label.setObjectName("about_data_folder")
        self.log_label = _path_label(log_folder, self)
        self.log_label.setObjectName("about_log_folder")
        self.open_data = QPushButton(_("Open folder"), self)
        self.open_data.setObjectName("open_data_folder")
        self.open_data.clicked.connect(lambda: self._open(self.data_folder))
        self.open_logs = QPushButton(_("Open folder"), self)
        self.open_logs.setObjectName("open_log_folder")
        self.open_logs.clicked.connect(lambda: self._open(self.log_folder))
        for row, (name, label, button) in enumerate(
            (
                (_("Data folder:"), self.data_label, self.open_data),
                (_("Log folder:"), self.log_label, self.open_logs),
            )
        ):
            caption = QLabel(name, self)
            caption.setBuddy(button)
            folders.addWidget(caption, row, 0)
            folders.addWidget(label, row, 1)
            folders.addWidget(button, row, 2)
            # Room for the wider focus frame of the stylesheet, so the text is never clipped.
            button.setMinimumWidth(button.sizeHint().width() + 16)
        self.open_data.setAccessibleName(_("Open the data folder"))
        self.open_logs.setAccessibleName(_("Open the log folder"))

        forms_title = QLabel(_("Questionnaires installed"), self)
        forms_title.setProperty("role", "section-title")
        forms_title.setIndent(0)
        self.forms = QTableWidget(0, 5, self)
        self.forms.setObjectName("about_questionnaires")
        self.forms.setAccessibleName(_("Questionnaires installed"))
        self.forms.setHorizontalHeaderLabels(
            [_("Id"), _("Version"), _("Title"), _("Questions"), _("Source")]
        )
        self.forms.verticalHeader().setVisible(False)
        self.forms.setEditTriggers(QAbstractItemView.EditTrigger.NoEditTriggers)
        self.forms.setSelectionBehavior(QAbstractItemView.SelectionBehavior.SelectRows)
        self.forms.setAlternatingRowColors(True)
        header = self.forms.horizontalHeader()
        header.setSectionResizeMode(QHeaderView.ResizeMode.ResizeToContents)
        header.setSectionResizeMode(2, QHeaderView.ResizeMode.Stretch)
        self.forms_state = QLabel(_("Reading the questionnaires…"), self)
        self.forms_state.setObjectName("about_forms_state")

        licence = QLabel(
            _(
                "Free software under the Apache License, version 2.0 ({licence}): you may use, "
                "share and change it."
            ).format(licence=LICENCE),
            self,
        )
        licence.setObjectName("about_licence")
        licence.setWordWrap(True)
        self.licence = licence
        self.message = QLabel(self)
        self.message.setProperty("role", "error")
        self.message.hide()

        buttons = QDialogButtonBox(QDialogButtonBox.StandardButton.Close, self)
        buttons.rejected.connect(self.reject)
        close = buttons.button(QDialogButtonBox.StandardButton.Close)
        close.setDefault(True)
        close.setFocus()

        layout = QVBoxLayout(self)
        layout.addWidget(title)
        layout.addWidget(purpose)
        layout.addSpacing(6)
        layout.addLayout(folders)
        layout.addWidget(self.message)
        layout.addSpacing(6)
        layout.addWidget(forms_title)
        layout.addWidget(self.forms_state)
        layout.addWidget(self.forms, 1)
        layout.addWidget(licence)
        layout.addWidget(buttons)
        self.resize(760, 460)

    def set_questionnaires(self, rows: list[InstalledQuestionnaire]) -> None:
        self.forms.setRowCount(len(rows))
        for row, q in enumerate(rows):
            origin = _("shipped") if q.shipped else _("received")
            cells = (q.id, q.version, q.title, str(q.indicators), origin)
            for column, text in enumerate(cells):
                item = QTableWidgetItem(text)
                if column == 3:
                    item.setTextAlignment(
                        Qt.AlignmentFlag.AlignRight | Qt.AlignmentFlag.AlignVCenter
                    )
                self.forms.setItem(row, column, item)
        if rows:
            self.forms_state.hide()
        else:
            self.forms_state.setText(_("No questionnaire is installed."))

    def questionnaires_failed(self, exc: BaseException) -> None:
        self.forms_state.setText(
            _("The questionnaires could not be read: {problem}").format(problem=exc)
        )

    def questionnaire_rows(self) -> list[tuple[str, ...]]:
        """The table's text, row by row."""
        rows = []
        for row in range(self.forms.rowCount()):
            items = (self.forms.item(row, column) for column in range(self.forms.columnCount()))
            rows.append(tuple(item.text() if item is not None else "" for item in items))
        return rows

    def _open(self, folder: Path) -> None:
        with contextlib.suppress(OSError):  # the logs folder may have been removed meanwhile
            folder.mkdir(parents=True, exist_ok=True)
        if desktop.open_path(folder):
            self.message.hide()
        else:
            self.message.setText(_("Could not open {path}").format(path=folder))
            self.message.show()
