"""The dialog shown for a bug: what happened, that answers are safe, where the log file is."""

from __future__ import annotations

import traceback
from pathlib import Path

from PySide6.QtCore import QUrl
from PySide6.QtGui import QDesktopServices, QGuiApplication
from PySide6.QtWidgets import (
    QDialog,
    QDialogButtonBox,
    QLabel,
    QPlainTextEdit,
    QVBoxLayout,
    QWidget,
)

from app.ui.i18n import _


class CrashDialog(QDialog):
    """Shows an unexpected error with its details and the log file's location.

    Signals: none; the buttons copy the details or open the log folder.
    """

    def __init__(
        self, exc: BaseException, log_file: Path | None, parent: QWidget | None = None
    ) -> None:
        super().__init__(parent)
        self.setObjectName("crash_dialog")
        self.setWindowTitle(_("Unexpected error"))
        self._log_file = log_file
        details = "".join(traceback.format_exception(type(exc), exc, exc.__traceback__))
        self.details_text = details

        intro = QLabel(
            _(
                "Something went wrong inside Readiness. Answers saved before this moment are "
                "safe. Please send the log file below to your coordinator so it can be fixed."
            )
        )
        intro.setWordWrap(True)
        message = QLabel(f"<b>{_html(type(exc).__name__)}</b>: {_html(str(exc))}")
        message.setWordWrap(True)
        location = _("Log file: {path}").format(path=log_file) if log_file else _("No log file")
        self.log_label = QLabel(location)
        self.log_label.setWordWrap(True)
        self.log_label.setTextInteractionFlags(self.log_label.textInteractionFlags())
        details_view = QPlainTextEdit(details)
        details_view.setReadOnly(True)
        details_view.setAccessibleName(_("Error details"))
        details_view.setMinimumHeight(160)

        buttons = QDialogButtonBox(QDialogButtonBox.StandardButton.Close)
        copy = buttons.addButton(_("Copy details"), QDialogButtonBox.ButtonRole.ActionRole)
        copy.clicked.connect(self._on_copy_clicked)
        if log_file is not None:
            folder = buttons.addButton(_("Open log folder"), QDialogButtonBox.ButtonRole.ActionRole)
            folder.clicked.connect(self._on_open_folder_clicked)
        buttons.rejected.connect(self.reject)

        layout = QVBoxLayout(self)
        for widget in (intro, message, self.log_label, details_view):
            layout.addWidget(widget)
        layout.addWidget(buttons)
        self.resize(640, 420)

    def _on_copy_clicked(self) -> None:
        clipboard = QGuiApplication.clipboard()
        clipboard.setText(f"{self.details_text}\n{self.log_label.text()}")

    def _on_open_folder_clicked(self) -> None:
        if self._log_file is not None:
            QDesktopServices.openUrl(QUrl.fromLocalFile(str(self._log_file.parent)))


def _html(text: str) -> str:
    return text.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;")
