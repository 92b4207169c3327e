"""The one error path of the window.

A `UserError` is something the person can act on: a plain message box with its text. Anything else
is a bug: logged with its traceback and shown in the crash dialog with the log file's location.
Tests (and the self-test) replace the `show` hook so no dialog ever blocks.
"""

from __future__ import annotations

import logging
from collections.abc import Callable
from pathlib import Path

from PySide6.QtWidgets import QMessageBox, QWidget

from app.common.errors import UserError
from app.ui.i18n import _

log = logging.getLogger("readiness.ui")

_log_file: Path | None = None
# Every message and crash passes here; tests collect them instead of opening dialogs.
Shower = Callable[[QWidget | None, BaseException], None]
_shower: Shower | None = None
_showing_crash = False


def set_log_file(path: Path | None) -> None:
    global _log_file
    _log_file = path


def log_file() -> Path | None:
    return _log_file


def set_shower(shower: Shower | None) -> None:
    """Route errors somewhere other than dialogs (tests, self-test). None restores dialogs."""
    global _shower
    _shower = shower


def report_error(parent: QWidget | None, exc: BaseException) -> None:
    """Show `exc` the way its kind deserves."""
    if not isinstance(exc, UserError):
        log.error("unexpected error", exc_info=(type(exc), exc, exc.__traceback__))
    if _shower is not None:
        _shower(parent, exc)
        return
    if isinstance(exc, UserError):
        QMessageBox.warning(parent, _("Readiness"), str(exc))
        return
    _show_crash(parent, exc)


def _show_crash(parent: QWidget | None, exc: BaseException) -> None:
    global _showing_crash
    if _showing_crash:  # an error while showing an error: the log has it
        return
    _showing_crash = True
    try:
        from app.ui.crash_dialog import CrashDialog

        CrashDialog(exc, _log_file, parent).exec()
    finally:
        _showing_crash = False
