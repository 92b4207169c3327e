"""One way to run work off the GUI thread, with one error path.

    runner.db(answers.save_answer, ws, aid, "PATH-01", answer)
        .on_success(self._on_saved)
        .on_failure(self._on_save_failed)
        .start()

- Database work goes to ONE worker thread (`db()`), so writes are serialised and each unit of work
  runs on the thread that owns its connection. Rendering and network work go to a small pool
  (`background()`).
- Results come back on the GUI thread through a queued Qt signal; callbacks never run on a worker.
- `with_progress()` shows a progress dialog only when the work is still running after 600 ms
  (short work never flashes a dialog); `cancellable=True` adds a Cancel button that sets the task's
  `CancelToken`, which the work function receives as its `token` keyword argument.
- Failures: the `on_failure` callback (if any) runs first; then a `UserError` without a callback
  becomes a plain message, and anything else (a bug) is logged and shown in the crash dialog.
- `synchronous=True` (tests) runs the work inline on the calling thread; callbacks still arrive
  through the event loop, exactly as in the threaded runner.
"""

from __future__ import annotations

import itertools
import logging
import threading
from collections.abc import Callable
from concurrent.futures import Executor, Future, ThreadPoolExecutor
from typing import Any

from PySide6.QtCore import QObject, Qt, QTimer, Signal
from PySide6.QtWidgets import QProgressDialog, QWidget

from app.common.errors import UserError

log = logging.getLogger("readiness.ui.tasks")

PROGRESS_DELAY_MS = 600


class Cancelled(UserError):
    """The person cancelled the work."""


class CancelToken:
    """Passed to cancellable work: check it between steps; report progress through it."""

    def __init__(self) -> None:
        self._event = threading.Event()
        self.report: Callable[[int, int], None] = lambda done, total: None

    @property
    def cancelled(self) -> bool:
        return self._event.is_set()

    def cancel(self) -> None:
        self._event.set()

    def check(self) -> None:
        """Raise `Cancelled` when the person asked to stop."""
        if self._event.is_set():
            raise Cancelled("cancelled")

    def progress(self, done: int, total: int) -> None:
        self.report(done, total)


class _InlineExecutor(Executor):
    """Runs each submitted call at once on the calling thread (tests)."""

    def submit(self, fn: Callable[..., Any], /, *args: Any, **kwargs: Any) -> Future[Any]:
        future: Future[Any] = Future()
        try:
            future.set_result(fn(*args, **kwargs))
        except BaseException as exc:  # noqa: BLE001 - delivered to the failure path
            future.set_exception(exc)
        return future


class _Relay(QObject):
    """Lives on the GUI thread; worker threads emit, the queued connection delivers."""

    # Plain integers cross threads: a task's number, never the Python object itself.
    finished = Signal(int)  # task number
    progressed = Signal(int, int, int)  # task number, done, total


ErrorReporter = Callable[[QWidget | None, BaseException], None]


class TaskRunner(QObject):
    """The application's one task runner.

    Signals:
        busy_changed(bool): work started while idle, or the last piece of work finished.
    """

    busy_changed = Signal(bool)

    def __init__(
        self,
        report_error: ErrorReporter | None = None,
        synchronous: bool = False,
        parent: QObject | None = None,
    ) -> None:
        super().__init__(parent)
        self._report_error = report_error or _log_only
        self._db: Executor
        self._pool: Executor
        if synchronous:
            self._db = self._pool = _InlineExecutor()
        else:
            self._db = ThreadPoolExecutor(max_workers=1, thread_name_prefix="readiness-db")
            self._pool = ThreadPoolExecutor(max_workers=2, thread_name_prefix="readiness-work")
        self._relay = _Relay(self)
        self._relay.finished.connect(self._on_relay_finished, Qt.ConnectionType.QueuedConnection)
        self._relay.progressed.connect(
            self._on_relay_progressed, Qt.ConnectionType.QueuedConnection
        )
        self._pending: dict[int, Task] = {}
        self._numbers = itertools.count(1)
        self._closed = False

    def set_error_reporter(self, report_error: ErrorReporter) -> None:
        self._report_error = report_error

    # -- building tasks ------------------------------------------------------------------------

    def db(self, fn: Callable[..., Any], *args: Any, **kwargs: Any) -> Task:
        """Work that touches the database: runs on the single database thread."""
        return Task(self, self._db, fn, args, kwargs)

    def background(self, fn: Callable[..., Any], *args: Any, **kwargs: Any) -> Task:
        """Work that does not touch the database (rendering, network)."""
        return Task(self, self._pool, fn, args, kwargs)

    @property
    def busy(self) -> bool:
        return bool(self._pending)

    def pending(self) -> int:
        return len(self._pending)

    def shutdown(self) -> None:
        """Finish queued work (answers being saved are never dropped) and stop the threads."""
        self._closed = True
        self._db.shutdown(wait=True)
        self._pool.shutdown(wait=True)

    # -- internals -------------------------------------------------------------------------------

    def _submit(self, task: Task) -> None:
        if self._closed:
            raise RuntimeError("the task runner is shut down")
        was_idle = not self._pending
        number = next(self._numbers)
        self._pending[number] = task
        if was_idle:
            self.busy_changed.emit(True)
        relay = self._relay
        if task.progress_label is not None:
            task.token.report = lambda done, total: relay.progressed.emit(number, done, total)
            QTimer.singleShot(PROGRESS_DELAY_MS, lambda: self._show_progress(number))
        task.future = task.executor.submit(task.call)
        task.future.add_done_callback(lambda _f: relay.finished.emit(number))

    def _show_progress(self, number: int) -> None:
        task = self._pending.get(number)
        if task is None or task.dialog is not None:
            return
        dialog = QProgressDialog(task.parent)
        dialog.setWindowTitle(task.progress_title or task.progress_label or "")
        dialog.setLabelText(task.progress_label or "")
        dialog.setRange(0, 0)
        dialog.setMinimumDuration(0)
        dialog.setAutoClose(False)
        dialog.setAutoReset(False)
        dialog.setWindowModality(Qt.WindowModality.WindowModal)
        if task.cancellable:
            from app.ui.i18n import _

            dialog.setCancelButtonText(_("Cancel"))
            dialog.canceled.connect(task.token.cancel)
        else:
            dialog.setCancelButton(None)
        if task.last_progress is not None:
            dialog.setRange(0, task.last_progress[1])
            dialog.setValue(task.last_progress[0])
        task.dialog = dialog
        dialog.show()

    def _on_relay_progressed(self, number: int, done: int, total: int) -> None:
        task = self._pending.get(number)
        if task is None or total <= 0:
            return
        task.last_progress = (done, total)
        if task.dialog is not None:
            task.dialog.setRange(0, total)
            task.dialog.setValue(done)

    def _on_relay_finished(self, number: int) -> None:
        task = self._pending.pop(number, None)
        if task is None:
            return
        if task.dialog is not None:
            task.dialog.close()
            task.dialog.deleteLater()
            task.dialog = None
        future = task.future
        assert future is not None
        try:
            exc = future.exception()
            if exc is None:
                if task.success is not None:
                    task.success(future.result())
            else:
                self._fail(task, exc)
        except Exception as callback_exc:  # a bug in a callback: same error path
            self._report_error(task.parent, callback_exc)
        finally:
            if not self._pending:
                self.busy_changed.emit(False)

    def _fail(self, task: Task, exc: BaseException) -> None:
        if isinstance(exc, Cancelled):
            if task.failure is not None:
                task.failure(exc)
            return
        if not isinstance(exc, UserError):
            log.error("task %s failed", task.name, exc_info=(type(exc), exc, exc.__traceback__))
        if task.failure is not None:
            task.failure(exc)
            if isinstance(exc, UserError):
                return
        self._report_error(task.parent, exc)


class Task:
    """One piece of work being configured; `start()` submits it."""

    def __init__(
        self,
        runner: TaskRunner,
        executor: Executor,
        fn: Callable[..., Any],
        args: tuple[Any, ...],
        kwargs: dict[str, Any],
    ) -> None:
        self.runner = runner
        self.executor = executor
        self.fn = fn
        self.args = args
        self.kwargs = kwargs
        self.name = getattr(fn, "__qualname__", repr(fn))
        self.success: Callable[[Any], None] | None = None
        self.failure: Callable[[BaseException], None] | None = None
        self.parent: QWidget | None = None
        self.progress_label: str | None = None
        self.progress_title: str | None = None
        self.cancellable = False
        self.token = CancelToken()
        self.dialog: QProgressDialog | None = None
        self.last_progress: tuple[int, int] | None = None
        self.future: Future[Any] | None = None

    def on_success(self, callback: Callable[[Any], None]) -> Task:
        self.success = callback
        return self

    def on_failure(self, callback: Callable[[BaseException], None]) -> Task:
        self.failure = callback
        return self

    def with_parent(self, parent: QWidget | None) -> Task:
        self.parent = parent
        return self

    def with_progress(
        self,
        label: str,
        parent: QWidget | None = None,
        cancellable: bool = False,
        title: str | None = None,
    ) -> Task:
        self.progress_label = label
        self.progress_title = title
        self.cancellable = cancellable
        if parent is not None:
            self.parent = parent
        return self

    def call(self) -> Any:
        if self.cancellable:
            return self.fn(*self.args, token=self.token, **self.kwargs)
        return self.fn(*self.args, **self.kwargs)

    def start(self) -> Task:
        self.runner._submit(self)
        return self


def _log_only(_parent: QWidget | None, exc: BaseException) -> None:
    log.error("unhandled task failure: %s", exc, exc_info=(type(exc), exc, exc.__traceback__))
