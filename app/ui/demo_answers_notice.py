"""The one-time notice about answers earlier versions attributed to the demo's people.

Earlier versions made the demo's fictional coordinator the laptop's user, so answers given in
real assessments carry her name. Once per data folder, after start-up, this lists them (per
assessment and person) and offers to give them to the right contributor: each correction is a
new revision that says so (services.identity_upgrade.reassign); the history keeps the original.
The same is available later with `readiness assess misattributed` and `assess reassign`.
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import TYPE_CHECKING, Any

from PySide6.QtCore import Qt, Signal
from PySide6.QtWidgets import (
    QAbstractItemView,
    QDialog,
    QDialogButtonBox,
    QHeaderView,
    QLabel,
    QLineEdit,
    QPushButton,
    QTableWidget,
    QTableWidgetItem,
    QVBoxLayout,
    QWidget,
)

from app.ui.i18n import N_, _, format_number

if TYPE_CHECKING:
    from app.ui.main_window import MainWindow

COLUMNS = (N_("Assessment"), N_("Attributed to"), N_("Answers"), N_("Give them to"))


class DemoAnswersNotice(QDialog):
    """Signals:
    reassign_requested(str, str, str): assessment id, demo person id, the right person's name.
    """

    reassign_requested = Signal(str, str, str)

    def __init__(self, groups: Sequence[tuple[Any, str]], parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("demo_answers_notice")
        self.setWindowTitle(_("Answers attributed to the demo's people"))
        intro = QLabel(
            _(
                "Earlier versions of Readiness attributed some answers to people of the demo "
                "city, which does not exist, instead of the person who gave them. Write who "
                "really gave them and choose Reassign: each correction is saved as a new "
                "revision, and the history keeps the original."
            ),
            self,
        )
        intro.setWordWrap(True)
        self.groups = list(groups)
        self.table = QTableWidget(len(self.groups), len(COLUMNS) + 1, self)
        self.table.setObjectName("misattributed")
        self.table.setAccessibleName(_("Answers attributed to the demo's people"))
        self.table.setHorizontalHeaderLabels([_(c) for c in COLUMNS] + [""])
        self.table.setEditTriggers(QAbstractItemView.EditTrigger.NoEditTriggers)
        self.table.verticalHeader().setVisible(False)
        self.table.horizontalHeader().setSectionResizeMode(0, QHeaderView.ResizeMode.Stretch)
        self.names: list[QLineEdit] = []
        self.buttons: list[QPushButton] = []
        for row, (group, suggested) in enumerate(self.groups):
            place = f"{group.city}, {group.country} · {group.period}"
            for column, text in enumerate((place, group.person.name, format_number(group.count))):
                item = QTableWidgetItem(text)
                item.setFlags(item.flags() & ~Qt.ItemFlag.ItemIsEditable)
                self.table.setItem(row, column, item)
            name = QLineEdit(suggested, self.table)
            name.setAccessibleName(_("Give them to"))
            self.names.append(name)
            self.table.setCellWidget(row, 3, name)
            button = QPushButton(_("Reassign"), self.table)
            button.setObjectName(f"reassign_{row}")
            button.clicked.connect(lambda _checked=False, r=row: self._reassign(r))
            self.buttons.append(button)
            self.table.setCellWidget(row, 4, button)
        self.message = QLabel(self)
        self.message.setObjectName("notice_message")
        self.message.setWordWrap(True)
        close = QDialogButtonBox(QDialogButtonBox.StandardButton.Close, self)
        close.rejected.connect(self.reject)
        layout = QVBoxLayout(self)
        layout.addWidget(intro)
        layout.addWidget(self.table)
        layout.addWidget(self.message)
        layout.addWidget(close)
        self.resize(760, 320)

    def _reassign(self, row: int) -> None:
        group = self.groups[row][0]
        name = self.names[row].text().strip()
        if not name:
            self.message.setText(_("Write who really gave these answers first."))
            return
        self.reassign_requested.emit(group.assessment_id, group.person.id, name)

    def done_row(self, assessment_id: str, person_id: str, text: str) -> None:
        for row, (group, _suggested) in enumerate(self.groups):
            if (group.assessment_id, group.person.id) == (assessment_id, person_id):
                self.buttons[row].setEnabled(False)
                self.names[row].setEnabled(False)
        self.message.setText(text)


def check(window: MainWindow) -> None:
    """Show the notice once per data folder, when there is something to say."""

    def show(groups: list[tuple[Any, str]]) -> None:
        if not groups or not window.isVisible():
            return
        dialog = DemoAnswersNotice(groups, window)
        dialog.setAttribute(Qt.WidgetAttribute.WA_DeleteOnClose)

        def reassign(assessment_id: str, person_id: str, name: str) -> None:
            def done(result: Any) -> None:
                target, moved = result
                dialog.done_row(
                    assessment_id,
                    person_id,
                    _("Answers now attributed to {name}: {count}.").format(
                        count=format_number(moved), name=target.name
                    ),
                )
                window.reload_assessments()
                if window.session.assessment_id == assessment_id:
                    window.session.refresh()

            window.runner.db(
                window.backend.reassign_demo_answers, assessment_id, person_id, name
            ).on_success(done).start()

        dialog.reassign_requested.connect(reassign)
        dialog.open()

    window.runner.db(window.backend.demo_answers_notice).on_success(show).start()
