"""Starting the desktop application: QApplication, logging, crash handling, language, window.

The window comes first (docs/architecture.md, "Start-up path"): while it is built, the database
thread checks the database file and reads the assessment list with plain sqlite3 (or the list
the window showed at its last close is shown at once, when the database is unchanged since);
only once the window is painted does that thread open the database stack (SQLAlchemy, the daily
backup) and import what opening an assessment needs, and the idle GUI thread builds the other
pages. A list read before that, whose scores were not all current, is then read again.
"""

from __future__ import annotations

import faulthandler
import logging
import sys
import threading
from pathlib import Path
from types import TracebackType
from typing import Any

# isort: split
# First of the window's modules: PySide6 without its source scan on every later import.
from app.ui import qt_setup  # noqa: F401

# isort: split
from PySide6.QtCore import (
    QMessageLogContext,
    QObject,
    QTimer,
    QtMsgType,
    qInstallMessageHandler,
)
from PySide6.QtGui import QIcon
from PySide6.QtWidgets import QApplication

from app import __version__
from app.common.paths import DataPaths, resources_dir
from app.ui import errors, home_cache, i18n
from app.ui.backend import Backend
from app.ui.log_file import RotatingLogFile
from app.ui.main_window import MainWindow
from app.ui.settings import SettingsStore
from app.ui.task_runner import TaskRunner

log = logging.getLogger("readiness.ui")
qt_log = logging.getLogger("readiness.qt")

LOG_FILE = "readiness.log"
_fault_file: Any = None


def setup_logging(paths: DataPaths) -> Path | None:
    """Rotating log files in the data folder's logs/ (5 x 1 MiB). A log folder that cannot be
    written does not stop the app: it logs to the standard error stream instead (None)."""
    root = logging.getLogger("readiness")
    for old in list(root.handlers):
        if getattr(old, "_readiness_gui", False):
            root.removeHandler(old)
            old.close()
    log_file = paths.logs / LOG_FILE
    handler: logging.Handler
    try:
        paths.logs.mkdir(parents=True, exist_ok=True)
        with open(log_file, "a", encoding="utf-8"):
            pass
    except OSError as exc:
        handler = logging.StreamHandler()
        handler._readiness_gui = True  # type: ignore[attr-defined]
        root.addHandler(handler)
        root.setLevel(logging.INFO)
        errors.set_log_file(None)
        log.warning("no log file at %s (%s); logging to the standard error stream", log_file, exc)
        return None
    handler = RotatingLogFile(log_file, max_bytes=1_048_576, backup_count=5)
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
        try:
            _fault_file = open(paths.logs / "faults.log", "a", encoding="utf-8")  # noqa: SIM115
        except OSError:
            log.warning(
                "no faults.log in %s; hard crashes go to the standard error stream", paths.logs
            )
            faulthandler.enable()
            return
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
    runner = TaskRunner(errors.report_error, synchronous=synchronous)
    cached = home_cache.load(backend.paths)
    first_list = None
    if load_list and cached is None:
        first_list = runner.db(backend.initial_list).start()  # read while the window is built
    setup_logging(backend.paths)
    i18n.set_language(i18n.startup_language(SettingsStore(backend.paths.root).load().language))
    window = MainWindow(backend, runner)
    window.home.set_import_available(window.has_sync)
    runner.setParent(window)
    if cached is not None:
        window.home.set_rows(cached)  # exact: the database has not changed since they were read
    if load_list:
        start_up = _StartUp(window, listed=cached is not None)
        if first_list is not None:
            # Results arrive through the event loop, which cannot run before this returns.
            first_list.on_success(start_up.show_first_list)
        window.first_painted.connect(start_up.after_first_paint)
    return window


class _StartUp(QObject):
    """What follows the first paint and the first list: the database stack, the rest of the
    window, and the list again when its scores were not all current."""

    def __init__(self, window: MainWindow, listed: bool) -> None:
        super().__init__(window)  # lives as long as the window
        self.window = window
        self.listed = listed  # a list is shown (it stays False when reading it failed)
        self.exact = listed  # ... and its scores were current
        self.painted = False
        self.started = False

    def show_first_list(self, result: tuple[list[Any], bool]) -> None:
        rows, exact = result
        self.window.home.set_rows(rows)
        self.listed, self.exact = True, exact
        self._continue()

    def after_first_paint(self) -> None:
        self.painted = True
        self._continue()

    def _continue(self) -> None:
        # After a failed first list (reported already) the next action opens the database.
        if self.started or not (self.painted and self.listed) or not self.window.isVisible():
            return
        self.started = True
        window = self.window
        window.runner.db(window.backend.warm_up).on_success(self._warmed_up).start()

    def _warmed_up(self, _result: object) -> None:
        if not self.window.isVisible():
            return  # closed meanwhile
        if not self.exact:
            self.window.reload_assessments()
        # Idle now: build the rest of the window before anyone asks for it.
        QTimer.singleShot(0, self.window.finish_building)
        from app.ui import demo_answers_notice

        QTimer.singleShot(0, lambda: demo_answers_notice.check(self.window))


def shutdown(window: MainWindow) -> None:
    """Let queued saves finish, remember the home list, then close the database."""
    window.runner.shutdown()
    backend = window.backend
    rows = None
    try:
        if backend.is_open:
            rows = backend.list_assessments()
        else:  # closed before the database stack was loaded
            quick = backend.quick_list()
            if quick is not None:  # never create, migrate or repair a database at close
                rows = quick[0] if quick[1] else backend.list_assessments()
    except Exception:
        log.warning("could not read the assessment list at close", exc_info=True)
    backend.close()
    if rows is not None:
        home_cache.save(backend.paths, rows)
    else:
        home_cache.forget(backend.paths)
    close_logging()


def run(data_dir: str | Path | None, bundle: str | None = None) -> int:
    """The window on a data folder; a second start on the same folder brings it forward.

    `bundle`: a bundle file to import once the window shows (a running window imports it
    instead, when there is one)."""
    from PySide6.QtWidgets import QMessageBox

    from app.ui.data_folder import writable_data_dir
    from app.ui.open_files import accept_files, forwarded_arguments
    from app.ui.single_instance import Claim, SingleInstance

    app = application()
    install_error_handlers()
    i18n.set_language(i18n.startup_language(""))
    # A folder that cannot be written: a dialog that says why, never a silent exit.
    usable, data_dir = writable_data_dir(data_dir)
    if not usable:
        return 1
    guard = SingleInstance(DataPaths.resolve(data_dir).root)
    claim = guard.claim(forwarded_arguments(sys.argv[1:]))
    if claim is Claim.FORWARDED:
        return 0
    if claim is Claim.UNREACHABLE:
        chosen = SettingsStore(DataPaths.resolve(data_dir).root).load().language
        i18n.set_language(i18n.startup_language(chosen))
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
    opener = accept_files(window, app)  # bundles from a later start or the desktop
    guard.activated.connect(opener.on_activated)
    if bundle:
        window.first_painted.connect(lambda: opener.open_bundle(bundle))
    enable_faulthandler(window.backend.paths)
    log.info("Readiness %s started on %s", __version__, window.backend.paths.root)
    window.show()
    try:
        return int(app.exec())
    finally:
        shutdown(window)
        guard.release()
        log.info("Readiness stopped")
