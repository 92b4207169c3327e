"""Before the window opens: can Readiness write in its data folder?

A folder that is read-only, full or refused (on itself, `backups/`, `logs/` or the database file)
used to end the start with one line on a terminal that Windows users never see. Now a dialog names
the folder and the reason and offers to choose another folder or to quit; the start never ends
without a word. The check writes and removes one small file in each folder, the way the
database, the backups and the log will.
"""

from __future__ import annotations

import logging
import os
import tempfile
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path

from PySide6.QtWidgets import QFileDialog, QMessageBox, QWidget

from app.common.paths import DataPaths
from app.ui.i18n import _

log = logging.getLogger("readiness.ui.data_folder")

CHOOSE, QUIT = "choose", "quit"


@dataclass(frozen=True)
class FolderProblem:
    folder: Path  # the folder (or file) that cannot be written
    reason: str  # what the system said, in its words

    def message(self) -> str:
        return _(
            "Readiness cannot write in its data folder:\n{folder}\n\nReason: {reason}\n\n"
            "Choose another folder (for example in your Documents), or quit and make this "
            "folder writable (free some disk space, or ask for permission)."
        ).format(folder=self.folder, reason=self.reason)


def problem(paths: DataPaths) -> FolderProblem | None:
    """The first place under the data folder that cannot be written, with the reason."""
    for folder in (paths.root, paths.backups, paths.logs, paths.attachments):
        try:
            folder.mkdir(parents=True, exist_ok=True)
            with tempfile.TemporaryFile(dir=folder, prefix=".readiness-write-check-") as probe:
                probe.write(b"ok")
                probe.flush()
                os.fsync(probe.fileno())
        except OSError as exc:
            return FolderProblem(folder, _reason(exc))
    database = paths.database
    if database.exists() and not os.access(database, os.W_OK):
        return FolderProblem(database, _("the database file is read-only"))
    return None


def _reason(exc: OSError) -> str:
    return exc.strerror or type(exc).__name__


# -- asking the person ------------------------------------------------------------------------

# (parent, message) -> CHOOSE or QUIT; tests replace it so no dialog blocks.
Asker = Callable[[QWidget | None, str], str]
_asker: Asker | None = None
# (parent, title, start folder) -> a folder or None; tests replace it too.
FolderChooser = Callable[[QWidget | None, str, str], str | None]
_folder_chooser: FolderChooser | None = None


def set_hooks(asker: Asker | None = None, chooser: FolderChooser | None = None) -> None:
    global _asker, _folder_chooser
    _asker, _folder_chooser = asker, chooser


def _ask(found: FolderProblem) -> str:
    if _asker is not None:
        return _asker(None, found.message())
    box = QMessageBox(QMessageBox.Icon.Warning, _("Readiness"), found.message())
    box.setObjectName("data_folder_problem")
    choose = box.addButton(_("Choose another folder…"), QMessageBox.ButtonRole.AcceptRole)
    box.addButton(_("Quit"), QMessageBox.ButtonRole.RejectRole)
    box.setDefaultButton(choose)
    box.exec()
    return CHOOSE if box.clickedButton() is choose else QUIT


def _choose_folder(start: str) -> str | None:
    title = _("Choose the data folder")
    if _folder_chooser is not None:
        return _folder_chooser(None, title, start)
    return QFileDialog.getExistingDirectory(None, title, start) or None


def writable_data_dir(data_dir: str | Path | None) -> tuple[bool, str | Path | None]:
    """(True, the data folder to start on): `data_dir` when it can be written, else the one the
    person chooses (remembered for the next start). (False, ...) when the person chose to quit."""
    from app.ui.settings import choose_data_dir

    current = data_dir
    while True:
        paths = DataPaths.resolve(current)
        found = problem(paths)
        if found is None:
            return True, current
        log.warning("data folder %s cannot be written: %s", found.folder, found.reason)
        if _ask(found) != CHOOSE:
            return False, current
        chosen = _choose_folder(str(Path.home()))
        if chosen:
            current = chosen
            choose_data_dir(chosen)
