"""Settings: language, who I am, the hub's address (with sync), and the data folder."""

from __future__ import annotations

from dataclasses import dataclass

from PySide6.QtWidgets import (
    QComboBox,
    QDialog,
    QDialogButtonBox,
    QFileDialog,
    QFormLayout,
    QHBoxLayout,
    QLabel,
    QLineEdit,
    QPushButton,
    QVBoxLayout,
    QWidget,
)

from app.common.i18n import LANGUAGE_NAMES, LANGUAGES
from app.ui.i18n import _


@dataclass(frozen=True)
class SettingsChoice:
    language: str
    name: str
    role: str
    hub_url: str
    data_dir: str


class SettingsDialog(QDialog):
    def __init__(
        self,
        current: SettingsChoice,
        show_hub: bool,
        parent: QWidget | None = None,
    ) -> None:
        super().__init__(parent)
        self.setObjectName("settings_dialog")
        self.setWindowTitle(_("Settings"))
        self.language = QComboBox(self)
        self.language.setObjectName("language")
        self.language.setAccessibleName(_("Language"))
        for code in LANGUAGES:
            self.language.addItem(LANGUAGE_NAMES[code], code)
        self.language.setCurrentIndex(max(0, self.language.findData(current.language)))
        self.name = QLineEdit(current.name, self)
        self.name.setObjectName("name")
        self.name.setAccessibleName(_("Your name"))
        self.role = QLineEdit(current.role, self)
        self.role.setObjectName("role")
        self.role.setAccessibleName(_("Your role"))
        self.hub = QLineEdit(current.hub_url, self)
        self.hub.setObjectName("hub_url")
        self.hub.setAccessibleName(_("Hub address"))
        self.hub.setPlaceholderText("https://hub.example.org")
        self.data_dir = QLineEdit(current.data_dir, self)
        self.data_dir.setObjectName("data_dir")
        self.data_dir.setAccessibleName(_("Data folder"))
        browse = QPushButton(_("&Browse…"), self)
        browse.clicked.connect(self._on_browse_clicked)
        folder_row = QHBoxLayout()
        folder_row.addWidget(self.data_dir, 1)
        folder_row.addWidget(browse)
        form = QFormLayout()
        form.addRow(_("&Language:"), self.language)
        form.addRow(_("Your &name:"), self.name)
        form.addRow(_("Your &role:"), self.role)
        if show_hub:
            form.addRow(_("&Hub address:"), self.hub)
        else:
            self.hub.hide()
        form.addRow(_("&Data folder:"), folder_row)
        note = QLabel(_("A new data folder is used from the next start."), self)
        note.setWordWrap(True)
        buttons = QDialogButtonBox(
            QDialogButtonBox.StandardButton.Ok | QDialogButtonBox.StandardButton.Cancel, self
        )
        buttons.accepted.connect(self.accept)
        buttons.rejected.connect(self.reject)
        layout = QVBoxLayout(self)
        layout.addLayout(form)
        layout.addWidget(note)
        layout.addWidget(buttons)
        self.setMinimumWidth(480)

    def choice(self) -> SettingsChoice:
        return SettingsChoice(
            language=str(self.language.currentData()),
            name=self.name.text().strip(),
            role=self.role.text().strip(),
            hub_url=self.hub.text().strip(),
            data_dir=self.data_dir.text().strip(),
        )

    def _on_browse_clicked(self) -> None:
        folder = QFileDialog.getExistingDirectory(self, _("Data folder"), self.data_dir.text())
        if folder:
            self.data_dir.setText(folder)
