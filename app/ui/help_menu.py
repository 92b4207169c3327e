"""The Help menu: the user guide (only when it is shipped) and About Readiness."""

from __future__ import annotations

from pathlib import Path
from typing import TYPE_CHECKING

from PySide6.QtCore import QObject
from PySide6.QtGui import QAction, QKeySequence
from PySide6.QtWidgets import QMenuBar, QMessageBox, QWidget

from app.common.paths import resources_dir
from app.ui import desktop
from app.ui.i18n import _, current_language

if TYPE_CHECKING:
    from app.ui.about_dialog import AboutDialog, InstalledQuestionnaire
    from app.ui.backend import Backend
    from app.ui.task_runner import TaskRunner

GUIDE = "user-guide"


def user_guide(lang: str) -> Path | None:
    """The user guide in `lang` (else in English) next to the resources, or None when the
    installation does not ship it."""
    docs = resources_dir().parent / "docs"
    for name in (f"{GUIDE}.{lang}.md", f"{GUIDE}.md"):
        if (docs / name).is_file():
            return docs / name
    return None


class HelpMenu(QObject):
    """Adds Help to the window's menu bar. The dialog being shown is kept in `self.dialog`."""

    def __init__(
        self, window: QWidget, bar: QMenuBar, backend: Backend, runner: TaskRunner
    ) -> None:
        super().__init__(window)
        self.window = window
        self.backend = backend
        self.runner = runner
        self.dialog: AboutDialog | None = None
        self.menu = bar.addMenu("")
        self.guide_action: QAction | None = None
        if user_guide("en") is not None:
            self.guide_action = QAction(window)
            self.guide_action.setShortcut(QKeySequence.StandardKey.HelpContents)
            self.guide_action.triggered.connect(lambda _checked=False: self.open_guide())
            self.menu.addAction(self.guide_action)
            self.menu.addSeparator()
        self.about_action = QAction(window)
        self.about_action.setMenuRole(QAction.MenuRole.AboutRole)
        self.about_action.triggered.connect(lambda _checked=False: self.about())
        self.menu.addAction(self.about_action)

    def retranslate(self) -> None:
        self.menu.setTitle(_("&Help"))
        if self.guide_action is not None:
            self.guide_action.setText(_("&User guide"))
        self.about_action.setText(_("&About Readiness"))

    def open_guide(self) -> None:
        guide = user_guide(current_language())
        if guide is None or not desktop.open_path(guide):
            QMessageBox.information(
                self.window,
                _("User guide"),
                _("The user guide could not be opened. It is the file {path}.").format(
                    path=guide or GUIDE + ".md"
                ),
            )

    def about(self) -> None:
        from app.ui.about_dialog import AboutDialog, installed_questionnaires

        if self.dialog is not None:
            self.dialog.close()
        paths = self.backend.paths
        dialog = AboutDialog(paths.root, paths.logs, self.window)
        self.dialog = dialog
        dialog.finished.connect(lambda _result: self._forget(dialog))
        dialog.open()

        def show(rows: list[InstalledQuestionnaire]) -> None:
            if self.dialog is dialog:
                dialog.set_questionnaires(rows)

        def failed(exc: BaseException) -> None:
            if self.dialog is dialog:
                dialog.questionnaires_failed(exc)

        self.runner.db(installed_questionnaires, self.backend, current_language()).on_success(
            show
        ).on_failure(failed).start()

    def _forget(self, dialog: AboutDialog) -> None:
        if self.dialog is dialog:
            self.dialog = None
        dialog.deleteLater()
