"""The task runner: one database thread, results on the GUI thread, delayed progress, cancel,
and one error path."""

from __future__ import annotations

import threading
import time
from collections.abc import Iterator
from typing import Any

import pytest
import shiboken6
from PySide6.QtCore import Qt
from PySide6.QtWidgets import QApplication, QProgressDialog, QPushButton, QWidget

from app.common.errors import UserError
from app.ui.task_runner import Cancelled, CancelToken, TaskRunner


@pytest.fixture
def runner(qtbot: Any, reported: Any) -> Iterator[TaskRunner]:
    from app.ui import errors

    made = TaskRunner(errors.report_error)
    yield made
    made.shutdown()


def test_database_work_runs_on_one_thread_and_results_on_the_gui_thread(
    qtbot: Any, runner: TaskRunner
) -> None:
    workers: list[str] = []
    delivered: list[tuple[int, str]] = []

    def work(n: int) -> int:
        workers.append(threading.current_thread().name)
        time.sleep(0.005)
        return n

    for n in range(8):
        runner.db(work, n).on_success(
            lambda r: delivered.append((r, threading.current_thread().name))
        ).start()
    assert runner.busy
    qtbot.waitUntil(lambda: len(delivered) == 8, timeout=5000)
    assert len(set(workers)) == 1 and workers[0].startswith("readiness-db")
    assert [r for r, _t in delivered] == list(range(8))  # serialised, in order
    assert {t for _r, t in delivered} == {threading.main_thread().name}
    assert not runner.busy


def test_busy_changed_reports_start_and_end(qtbot: Any, runner: TaskRunner) -> None:
    seen: list[bool] = []
    runner.busy_changed.connect(seen.append)
    runner.db(lambda: None).start()
    runner.db(lambda: None).start()
    qtbot.waitUntil(lambda: not runner.busy, timeout=5000)
    assert seen == [True, False]


def test_progress_appears_only_for_slow_work(qtbot: Any, runner: TaskRunner) -> None:
    parent = QWidget()
    qtbot.addWidget(parent)
    parent.show()
    done: list[str] = []
    runner.db(lambda: "quick").with_progress("Quick", parent).on_success(done.append).start()
    qtbot.waitUntil(lambda: done == ["quick"], timeout=5000)
    qtbot.wait(700)
    assert not [w for w in QApplication.topLevelWidgets() if isinstance(w, QProgressDialog)]

    release = threading.Event()
    task = runner.db(lambda: release.wait(5)).with_progress("Slow work", parent).start()
    qtbot.wait(300)
    assert task.dialog is None  # not yet: under 600 ms
    qtbot.waitUntil(lambda: task.dialog is not None and task.dialog.isVisible(), timeout=3000)
    assert task.dialog.labelText() == "Slow work"
    dialog = task.dialog
    release.set()
    qtbot.waitUntil(lambda: not runner.busy, timeout=5000)
    assert task.dialog is None
    assert not shiboken6.isValid(dialog) or not dialog.isVisible()


def test_cancel_stops_cancellable_work(qtbot: Any, runner: TaskRunner) -> None:
    parent = QWidget()
    qtbot.addWidget(parent)
    steps: list[int] = []
    failures: list[BaseException] = []

    def long_work(token: CancelToken) -> str:
        for step in range(200):
            token.check()
            token.progress(step, 200)
            steps.append(step)
            time.sleep(0.01)
        return "finished"

    task = (
        runner.db(long_work)
        .with_progress("Long work", parent, cancellable=True)
        .on_failure(failures.append)
        .start()
    )
    qtbot.waitUntil(lambda: task.dialog is not None, timeout=3000)
    assert task.dialog.maximum() == 200
    cancel_button = task.dialog.findChild(QPushButton)
    assert cancel_button is not None and cancel_button.text() == "Cancel"
    qtbot.mouseClick(cancel_button, Qt.MouseButton.LeftButton)
    qtbot.waitUntil(lambda: not runner.busy, timeout=5000)
    assert len(steps) < 200
    assert [type(f) for f in failures] == [Cancelled]


def test_user_errors_become_messages_and_bugs_become_crash_reports(
    qtbot: Any, runner: TaskRunner, reported: Any
) -> None:
    def refuse() -> None:
        raise UserError("the period must not be empty")

    def bug() -> None:
        raise ZeroDivisionError("oops")

    runner.db(refuse).start()
    runner.background(bug).start()
    qtbot.waitUntil(lambda: len(reported.items) == 2, timeout=5000)
    assert reported.messages == ["the period must not be empty"]
    assert [type(e) for e in reported.bugs] == [ZeroDivisionError]
    reported.items.clear()

    # A failure callback handles a user error alone; a bug still reaches the crash path.
    handled: list[BaseException] = []
    runner.db(refuse).on_failure(handled.append).start()
    runner.db(bug).on_failure(handled.append).start()
    qtbot.waitUntil(lambda: len(handled) == 2, timeout=5000)
    qtbot.waitUntil(lambda: not runner.busy, timeout=5000)
    assert [type(e) for e in reported.items] == [ZeroDivisionError]
    reported.items.clear()


def test_a_bug_in_a_callback_is_reported(qtbot: Any, runner: TaskRunner, reported: Any) -> None:
    def broken_callback(_result: Any) -> None:
        raise RuntimeError("callback bug")

    runner.db(lambda: 1).on_success(broken_callback).start()
    qtbot.waitUntil(lambda: bool(reported.items), timeout=5000)
    assert [type(e) for e in reported.bugs] == [RuntimeError]
    reported.items.clear()


def test_synchronous_runner_still_delivers_through_the_event_loop(qtbot: Any) -> None:
    runner = TaskRunner(synchronous=True)
    got: list[int] = []
    runner.db(lambda: threading.current_thread().name).on_success(
        lambda name: got.append(1 if name == threading.main_thread().name else 0)
    ).start()
    assert got == []  # not inside start()
    qtbot.waitUntil(lambda: got == [1], timeout=2000)


def test_shutdown_finishes_queued_work(qtbot: Any) -> None:
    runner = TaskRunner()
    written: list[int] = []
    for n in range(5):
        runner.db(lambda n=n: (time.sleep(0.01), written.append(n))).start()
    runner.shutdown()
    assert written == [0, 1, 2, 3, 4]
    with pytest.raises(RuntimeError):
        runner.db(lambda: None).start()
