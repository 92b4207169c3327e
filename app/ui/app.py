"""Starting the desktop application: QApplication, logging, crash handling, language, window.

The window appears first; the database is opened and the assessment list loaded on the task
runner's database thread right after, so start-up never waits for SQLAlchemy or a backup.
"""

from __future__ import annotations

import faulthandler
import logging
import logging.handlers
import sys
import threading
from pathlib import Path
from types import TracebackType
from typing import Any

from PySide6.QtCore import QMessageLogContext, QtMsgType, qInstallMessageHandler
from PySide6.QtGui import QIcon
from PySide6.QtWidgets import QApplication

from app import __version__
from app.common.paths import DataPaths, resources_dir
from app.ui import errors, home_cache, i18n
from app.ui.backend import Backend
from app.ui.main_window import MainWindow
from app.ui.settings import SettingsStore
from app.ui.task_runner import TaskRunner

log = logging.getLogger("readiness.ui")
qt_log = logging.getLogger("readiness.qt")

LOG_FILE = "readiness.log"
_fault_file: Any = None


def setup_logging(paths: DataPaths) -> Path:
    """Rotating log files in the data folder's logs/ (5 x 1 MiB)."""
    paths.logs.mkdir(parents=True, exist_ok=True)
    log_file = paths.logs / LOG_FILE
    root = logging.getLogger("readiness")
    for handler in list(root.handlers):
        if getattr(handler, "_readiness_gui", False):
            root.removeHandler(handler)
            handler.close()
    handler = logging.handlers.RotatingFileHandler(
        log_file, maxBytes=1_048_576, backupCount=5, encoding="utf-8"
    )
    handler._readiness_gui = True  # type: ignore[attr-defined]
    handler.setFormatter(
        logging.Formatter("%(asctime)s %(levelname)s %(name)s [%(threadName)s] %(message)s")
    )
    root.addHandler(handler)
    root.setLevel(logging.INFO)
    errors.set_log_file(log_file)
    return log_file


def close_logging() -> None:
    root = logging.getLogger("readiness")
    for handler in list(root.handlers):
        if getattr(handler, "_readiness_gui", False):
            root.removeHandler(handler)
            handler.close()
    errors.set_log_file(None)


def enable_faulthandler(paths: DataPaths) -> None:
    """Hard crashes (a segfault in a library) leave their stack in logs/faults.log."""
    global _fault_file
    if _fault_file is None:
        _fault_file = open(paths.logs / "faults.log", "a", encoding="utf-8")  # noqa: SIM115
        faulthandler.enable(_fault_file)


def _qt_message(mode: QtMsgType, context: QMessageLogContext, message: str) -> None:
    level = {
        QtMsgType.QtDebugMsg: logging.DEBUG,
        QtMsgType.QtInfoMsg: logging.INFO,
        QtMsgType.QtWarningMsg: logging.WARNING,
        QtMsgType.QtCriticalMsg: logging.ERROR,
        QtMsgType.QtFatalMsg: logging.CRITICAL,
    }.get(mode, logging.WARNING)
    qt_log.log(level, "%s (%s:%s)", message, context.file, context.line)


def _excepthook(kind: type[BaseException], exc: BaseException, tb: TracebackType | None) -> None:
    if issubclass(kind, KeyboardInterrupt):
        QApplication.quit()
        return
    exc.__traceback__ = tb
    errors.report_error(QApplication.activeWindow(), exc)


def _thread_excepthook(args: threading.ExceptHookArgs) -> None:
    if args.exc_value is not None:
        log.error(
            "uncaught error in thread %s",
            args.thread.name if args.thread else "?",
            exc_info=(args.exc_type, args.exc_value, args.exc_traceback),
        )


def install_error_handlers() -> None:
    sys.excepthook = _excepthook
    threading.excepthook = _thread_excepthook
    qInstallMessageHandler(_qt_message)


def application(argv: list[str] | None = None) -> QApplication:
    """The QApplication (created once), with our names, icon and stylesheet."""
    app = QApplication.instance()
    if not isinstance(app, QApplication):
        app = QApplication(argv if argv is not None else sys.argv[:1])
    app.setApplicationName("Readiness")
    app.setOrganizationName("Readiness")
    app.setApplicationVersion(__version__)
    apply_look(app)
    return app


def apply_look(app: QApplication) -> None:
    """The icon and the stylesheet (visible focus, save states)."""
    icon = QIcon()
    for png in sorted((resources_dir() / "icons").glob("readiness-*.png")):
        icon.addFile(str(png))
    if not icon.isNull():
        app.setWindowIcon(icon)
    style = resources_dir() / "style.qss"
    if style.is_file() and not app.styleSheet():
        app.setStyleSheet(style.read_text(encoding="utf-8"))


def create_window(
    data_dir: str | Path | None, synchronous: bool = False, load_list: bool = True
) -> MainWindow:
    """The main window on a data folder, with its language and task runner."""
    app = QApplication.instance()
    if isinstance(app, QApplication):
        apply_look(app)
    backend = Backend(data_dir)
    backend.paths.ensure()
    setup_logging(backend.paths)
    i18n.set_language(SettingsStore(backend.paths.root).load().language)
    runner = TaskRunner(errors.report_error, synchronous=synchronous)
    window = MainWindow(backend, runner)
    window.home.set_import_available(window.has_sync)
    runner.setParent(window)
    cached = home_cache.load(backend.paths)
    if cached is not None:
        window.home.set_rows(cached)  # exact: the database has not changed since they were read
    if load_list:
        runner.db(backend.open).on_success(lambda _r: window.reload_assessments()).start()
    return window


def shutdown(window: MainWindow) -> None:
    """Let queued saves finish, remember the home list, then close the database."""
    window.runner.shutdown()
    backend = window.backend
    rows = None
    if backend.is_open:
        try:
            rows = backend.list_assessments()
        except Exception:
            log.warning("could not read the assessment list at close", exc_info=True)
    backend.close()
    if rows is not None:
        home_cache.save(backend.paths, rows)
    else:
        home_cache.forget(backend.paths)
    close_logging()


def run(data_dir: str | Path | None) -> int:
    """The window on a data folder; a second start on the same folder brings it forward."""
    from PySide6.QtWidgets import QMessageBox

    from app.ui.single_instance import Claim, SingleInstance, bring_forward

    app = application()
    install_error_handlers()
    guard = SingleInstance(DataPaths.resolve(data_dir).root)
    claim = guard.claim(sys.argv[1:])
    if claim is Claim.FORWARDED:
        return 0
    if claim is Claim.UNREACHABLE:
        i18n.set_language(SettingsStore(DataPaths.resolve(data_dir).root).load().language)
        QMessageBox.warning(
            None,
            i18n._("Readiness"),
            i18n._(
                "Readiness is already open on this data folder but does not answer. "
                "Close it (or wait until it finishes), then start again."
            ),
        )
        return 1
    window = create_window(data_dir)
    guard.activated.connect(lambda _args: bring_forward(window))
    enable_faulthandler(window.backend.paths)
    log.info("Readiness %s started on %s", __version__, window.backend.paths.root)
    window.show()
    try:
        return int(app.exec())
    finally:
        shutdown(window)
        guard.release()
        log.info("Readiness stopped")
