"""Bundle files handed to the window from the desktop.

Three ways in, one path: `readiness gui FILE` (imported once the window shows), a later start
on the same data folder that forwards its command line to the running window (which comes
forward and imports), and macOS's file-open event (a double click in the Finder). Each asks
before importing and then says plainly what was imported; errors are shown as they come.
"""

from __future__ import annotations

import logging
from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING, Any

from PySide6.QtCore import QEvent, QObject, QTimer
from PySide6.QtGui import QFileOpenEvent
from PySide6.QtWidgets import QApplication, QMessageBox

from app.common.errors import NotFoundError, UserError
from app.ui import errors, prompts
from app.ui.i18n import _, ngettext

if TYPE_CHECKING:
    from app.ui.assessment_model import AssessmentRow
    from app.ui.main_window import MainWindow

log = logging.getLogger("readiness.ui.open_files")

BUNDLE_SUFFIX = ".readiness"


def bundle_arguments(arguments: Sequence[str]) -> list[str]:
    """The bundle files named in a command line (`["gui", "x.readiness"]` -> `["x.readiness"]`)."""
    return [
        arg for arg in arguments if not arg.startswith("-") and arg.lower().endswith(BUNDLE_SUFFIX)
    ]


def forwarded_arguments(arguments: Sequence[str]) -> list[str]:
    """The command line to hand to a running window: its bundle files made absolute, as that
    window runs in another working folder."""
    bundles = set(bundle_arguments(arguments))
    return [str(Path(arg).absolute()) if arg in bundles else arg for arg in arguments]


@dataclass(frozen=True)
class Imported:
    path: str
    result: Any  # app.services.sync.ImportResult
    row: AssessmentRow | None  # the imported assessment as the list shows it
    rows: list[AssessmentRow]


class BundleOpener(QObject):
    """Imports bundle files into the window's data folder. The last message shown after an
    import is kept in `self.message` (tests read it)."""

    def __init__(self, window: MainWindow) -> None:
        super().__init__(window)
        self.window = window
        self.message: QMessageBox | None = None

    def on_activated(self, arguments: list[str]) -> None:
        """A later start forwarded its command line: come forward, import its bundle files."""
        from app.ui.single_instance import bring_forward

        bring_forward(self.window)
        for path in bundle_arguments(arguments):
            self.open_bundle(path)

    def open_bundle(self, path: str) -> None:
        """Ask, then import the bundle file at `path` and open its assessment."""
        window = self.window
        if not window.has_sync:
            errors.report_error(
                window, UserError(_("This installation of Readiness cannot import bundle files."))
            )
            return
        if not Path(path).is_file():
            errors.report_error(
                window, NotFoundError(_("{path}: no such bundle file.").format(path=path))
            )
            return
        question = _(
            "Import the assessment in {file} into this computer's data folder?\n\n"
            "Answers already here are kept; the file's answers are added beside them."
        ).format(file=path)
        if not prompts.confirm(window, _("Import a bundle file"), question):
            return
        window.runner.db(self._import, path).with_progress(
            _("Importing {file}…").format(file=Path(path).name), window
        ).on_success(self._imported).start()

    def _import(self, path: str) -> Imported:
        """Runs on the database thread: the import, then the list it changed."""
        backend = self.window.backend
        result = backend.import_bundle(path)
        rows = backend.list_assessments()
        row = next((r for r in rows if r.id == result.assessment_id), None)
        return Imported(path, result, row, rows)

    def _imported(self, done: Imported) -> None:
        window = self.window
        result = done.result
        window.home.set_rows(done.rows)
        name = Path(done.path).name
        what = f"{done.row.city} · {done.row.period}" if done.row else result.assessment_id[:8]
        if result.already_present:
            text = _("{file} holds nothing new: {assessment} is here already, unchanged.").format(
                file=name, assessment=what
            )
        else:
            text = ngettext(
                "Imported {assessment} from {file}: {count} new record.",
                "Imported {assessment} from {file}: {count} new records.",
                result.added,
            ).format(assessment=what, file=name, count=result.added)
            if result.conflicts:
                text += " " + ngettext(
                    "{count} answer differs between contributors; choose the city's answer "
                    "on the Merge page.",
                    "{count} answers differ between contributors; choose the city's answers "
                    "on the Merge page.",
                    result.conflicts,
                ).format(count=result.conflicts)
        log.info("bundle %s imported: %s", done.path, result)
        window.statusBar().showMessage(text, 15000)
        window.open_assessment(result.assessment_id)
        box = QMessageBox(
            QMessageBox.Icon.Information,
            _("Import a bundle file"),
            text,
            QMessageBox.StandardButton.Ok,
            window,
        )
        box.setObjectName("bundle_imported")
        box.finished.connect(lambda _result: self._forget(box))
        if self.message is not None:
            self.message.close()
        self.message = box
        box.open()

    def _forget(self, box: QMessageBox) -> None:
        if self.message is box:
            self.message = None
        box.deleteLater()


class FileOpenFilter(QObject):
    """macOS hands a double-clicked file to the running application as a QFileOpenEvent."""

    def __init__(self, opener: BundleOpener) -> None:
        super().__init__(opener)
        self.opener = opener

    def eventFilter(self, watched: QObject, event: QEvent) -> bool:  # noqa: N802 - Qt override
        if event.type() == QEvent.Type.FileOpen and isinstance(event, QFileOpenEvent):
            path = event.file()
            if path.lower().endswith(BUNDLE_SUFFIX):
                # After the event is handled: the import asks a question first.
                QTimer.singleShot(0, lambda: self.opener.on_activated([path]))
                return True
        return super().eventFilter(watched, event)


def accept_files(window: MainWindow, app: QApplication | None = None) -> BundleOpener:
    """The window's bundle opener, with the file-open event filter on the application."""
    opener = BundleOpener(window)
    target = app or QApplication.instance()
    if target is not None:
        target.installEventFilter(FileOpenFilter(opener))
    return opener
