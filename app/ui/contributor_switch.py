"""Who is answering: shown in the status bar, changed with "Switch contributor…".

A team often shares one laptop. The status bar always names the person the open assessment's
answers are attributed to (with the role); "Switch contributor…" (Assessment menu, or a click on
that name) picks someone who already contributed to this assessment or adds a new person. The
choice is remembered per assessment in the data folder (services.contributors), and the
assessment is reloaded so the fill view shows the new person's own answers.
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import TYPE_CHECKING, Any

from PySide6.QtCore import QObject, Qt
from PySide6.QtGui import QAction
from PySide6.QtWidgets import (
    QComboBox,
    QDialog,
    QDialogButtonBox,
    QFormLayout,
    QLabel,
    QLineEdit,
    QMainWindow,
    QToolButton,
    QVBoxLayout,
    QWidget,
)

from app.ui.i18n import _

if TYPE_CHECKING:
    from app.domain import Contributor
    from app.ui.backend import Backend, LoadedAssessment
    from app.ui.session import AssessmentSession
    from app.ui.task_runner import TaskRunner

NEW = "__new__"  # the combo entry that adds a person


def describe(person: Contributor) -> str:
    return (
        _("{name} ({role})").format(name=person.name, role=person.role)
        if person.role
        else person.name
    )


class SwitchContributorDialog(QDialog):
    """Pick who answers this assessment on this computer, or add someone."""

    def __init__(
        self, people: Sequence[Contributor], current: Contributor, parent: QWidget | None = None
    ) -> None:
        super().__init__(parent)
        self.setObjectName("switch_contributor_dialog")
        self.setWindowTitle(_("Switch contributor"))
        intro = QLabel(
            _(
                "Answers saved from now on in this assessment, on this computer, are attributed "
                "to the person chosen here. Earlier answers keep their authors."
            ),
            self,
        )
        intro.setWordWrap(True)
        self.person = QComboBox(self)
        self.person.setObjectName("contributor_choice")
        self.person.setAccessibleName(_("Who is answering"))
        for someone in people:
            self.person.addItem(describe(someone), someone.id)
        self.person.addItem(_("Someone else…"), NEW)
        index = self.person.findData(current.id)
        self.person.setCurrentIndex(max(index, 0))
        self.name = QLineEdit(self)
        self.name.setObjectName("new_contributor_name")
        self.name.setAccessibleName(_("Name"))
        self.role = QLineEdit(self)
        self.role.setObjectName("new_contributor_role")
        self.role.setAccessibleName(_("Role"))
        self.role.setPlaceholderText(_("e.g. head of pathology"))
        form = QFormLayout()
        form.addRow(_("Who is answering:"), self.person)
        form.addRow(_("Name:"), self.name)
        form.addRow(_("Role:"), self.role)
        self.buttons = QDialogButtonBox(
            QDialogButtonBox.StandardButton.Ok | QDialogButtonBox.StandardButton.Cancel, self
        )
        self.buttons.accepted.connect(self.accept)
        self.buttons.rejected.connect(self.reject)
        layout = QVBoxLayout(self)
        layout.addWidget(intro)
        layout.addLayout(form)
        layout.addWidget(self.buttons)
        self.person.currentIndexChanged.connect(self._update)
        self.name.textChanged.connect(self._update)
        self._update()

    def adding(self) -> bool:
        return bool(self.person.currentData() == NEW)

    def choice(self) -> tuple[str, str]:
        """(contributor id or the new name, role for a new person)."""
        if self.adding():
            return self.name.text().strip(), self.role.text().strip()
        return str(self.person.currentData()), ""

    def _update(self) -> None:
        adding = self.adding()
        self.name.setEnabled(adding)
        self.role.setEnabled(adding)
        ok = self.buttons.button(QDialogButtonBox.StandardButton.Ok)
        ok.setEnabled(not adding or bool(self.name.text().strip()))


class ContributorSwitch(QObject):
    """The status-bar name and the "Switch contributor…" action of one window."""

    def __init__(self, window: QMainWindow, backend: Backend, runner: TaskRunner) -> None:
        super().__init__(window)
        self.window = window
        self.backend = backend
        self.runner = runner
        self.session: AssessmentSession | None = None
        self.answering: Contributor | None = None
        self.dialog: SwitchContributorDialog | None = None  # the one open now, if any
        self.action = QAction(window)
        self.action.setObjectName("switch_contributor")
        self.action.triggered.connect(self.switch)
        self.action.setEnabled(False)
        self.label = QToolButton(window)
        self.label.setObjectName("answering_as")
        self.label.setAutoRaise(True)
        self.label.clicked.connect(self.switch)
        self.label.setVisible(False)
        window.statusBar().addPermanentWidget(self.label)
        self.retranslate()

    def follow(self, session: AssessmentSession) -> None:
        """Show who answers whatever the session opens or reloads."""
        self.session = session
        session.opened.connect(self.show_loaded)
        session.refreshed.connect(self.show_loaded)
        session.closed.connect(self.clear)

    def show_loaded(self, loaded: LoadedAssessment) -> None:
        self.answering = loaded.answering
        self.action.setEnabled(True)
        self.retranslate()

    def clear(self) -> None:
        self.answering = None
        self.action.setEnabled(False)
        self.retranslate()

    def retranslate(self) -> None:
        self.action.setText(_("S&witch contributor…"))
        if self.answering is None:
            self.label.setVisible(False)
            return
        text = _("Answering as {person}").format(person=describe(self.answering))
        self.label.setText(text)
        self.label.setAccessibleName(text)
        self.label.setToolTip(_("Switch contributor…"))
        self.label.setVisible(True)

    def switch(self) -> None:
        session = self.session
        assessment_id = session.assessment_id if session is not None else None
        if session is None or assessment_id is None:
            return

        def ask(found: tuple[list[Contributor], Contributor]) -> None:
            people, current = found
            dialog = SwitchContributorDialog(people, current, self.window)
            dialog.setAttribute(Qt.WidgetAttribute.WA_DeleteOnClose)
            dialog.accepted.connect(lambda: chosen(*dialog.choice()))
            dialog.finished.connect(lambda _result: setattr(self, "dialog", None))
            self.dialog = dialog
            dialog.open()

        def chosen(who: str, role: str) -> None:
            self.runner.db(self.backend.switch_contributor, assessment_id, who, role).on_success(
                switched
            ).start()

        def switched(resolved: Any) -> None:
            person = describe(resolved.contributor)
            message = (
                _("{person} was added as a contributor; now answering as them").format(
                    person=person
                )
                if resolved.registered
                else _("Now answering as {person}").format(person=person)
            )
            self.window.statusBar().showMessage(message, 10000)
            session.open(assessment_id)  # the fill view shows this person's own answers

        self.runner.db(self.backend.answering_choices, assessment_id).on_success(ask).start()
