"""Backups: the list, make one now, restore one (after confirmation)."""

from __future__ import annotations

from collections.abc import Sequence

from PySide6.QtCore import Signal
from PySide6.QtWidgets import (
    QAbstractItemView,
    QDialog,
    QDialogButtonBox,
    QHeaderView,
    QLabel,
    QTableWidget,
    QTableWidgetItem,
    QVBoxLayout,
    QWidget,
)

from app.ui.backend import BackupRow
from app.ui.i18n import N_, _, format_number, format_timestamp
from app.ui.prompts import confirm

COLUMNS = (N_("Backup"), N_("Made"), N_("Size"), N_("Kind"))


class BackupsDialog(QDialog):
    """Signals:
    create_requested(): make a backup now.
    restore_requested(str): restore this backup (already confirmed).
    """

    create_requested = Signal()
    restore_requested = Signal(str)

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("backups_dialog")
        self.setWindowTitle(_("Backups"))
        intro = QLabel(
            _(
                "Backups are made every day and before every upgrade. Restoring one replaces the "
                "current database; the current one is kept aside first."
            ),
            self,
        )
        intro.setWordWrap(True)
        self.table = QTableWidget(0, len(COLUMNS), self)
        self.table.setObjectName("backups")
        self.table.setAccessibleName(_("Backups"))
        self.table.setHorizontalHeaderLabels([_(c) for c in COLUMNS])
        self.table.setEditTriggers(QAbstractItemView.EditTrigger.NoEditTriggers)
        self.table.setSelectionBehavior(QAbstractItemView.SelectionBehavior.SelectRows)
        self.table.setSelectionMode(QAbstractItemView.SelectionMode.SingleSelection)
        self.table.verticalHeader().setVisible(False)
        self.table.horizontalHeader().setSectionResizeMode(0, QHeaderView.ResizeMode.Stretch)
        self.message = QLabel(self)
        self.message.setObjectName("backups_message")
        self.message.setWordWrap(True)
        buttons = QDialogButtonBox(QDialogButtonBox.StandardButton.Close, self)
        self.create_button = buttons.addButton(
            _("&Make a backup now"), QDialogButtonBox.ButtonRole.ActionRole
        )
        self.create_button.setObjectName("create_backup")
        self.restore_button = buttons.addButton(
            _("&Restore the selected backup…"), QDialogButtonBox.ButtonRole.ActionRole
        )
        self.restore_button.setObjectName("restore_backup")
        self.create_button.clicked.connect(self.create_requested)
        self.restore_button.clicked.connect(self._on_restore_clicked)
        buttons.rejected.connect(self.reject)
        layout = QVBoxLayout(self)
        layout.addWidget(intro)
        layout.addWidget(self.table, 1)
        layout.addWidget(self.message)
        layout.addWidget(buttons)
        self.resize(640, 360)
        self._rows: tuple[BackupRow, ...] = ()

    def set_rows(self, rows: Sequence[BackupRow]) -> None:
        self._rows = tuple(rows)
        self.table.setRowCount(len(self._rows))
        for row, item in enumerate(self._rows):
            cells = (
                item.name,
                format_timestamp(item.created_at),
                _("{size} KiB").format(size=format_number(round(item.size / 1024))),
                item.kind,
            )
            for column, text in enumerate(cells):
                self.table.setItem(row, column, QTableWidgetItem(text))
        if self._rows:
            self.table.selectRow(0)
        self.restore_button.setEnabled(bool(self._rows))

    def set_message(self, text: str) -> None:
        self.message.setText(text)

    def selected(self) -> str | None:
        row = self.table.currentRow()
        return self._rows[row].name if 0 <= row < len(self._rows) else None

    def _on_restore_clicked(self) -> None:
        name = self.selected()
        if name is None:
            return
        question = _(
            "Restore {name}? Answers saved after this backup was made will no longer be shown "
            "(the current database is kept aside)."
        ).format(name=name)
        if confirm(self, _("Restore backup"), question):
            self.restore_requested.emit(name)
