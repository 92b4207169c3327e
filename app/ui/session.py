"""The open assessment: loads it, saves answers through the task runner, re-scores after each save.

Pages talk to this object, never to the services: it is the one place where the window's work on an
assessment goes to the database thread and comes back.
"""

from __future__ import annotations

import logging
from collections.abc import Callable, Sequence
from typing import Any

from PySide6.QtCore import QObject, Signal

from app.common.errors import UserError
from app.domain import Answer
from app.ui.backend import Backend, LoadedAssessment
from app.ui.fill_state import Attachment
from app.ui.task_runner import TaskRunner

log = logging.getLogger("readiness.ui.session")


class AssessmentSession(QObject):
    """Signals:
    opened(object): a `LoadedAssessment` for a newly opened assessment.
    refreshed(object): a `LoadedAssessment` after a change (re-scored).
    answer_saved(str, str, object, object): assessment id, indicator id, saved `Answer`, its
        attachments; after COMMIT.
    answer_save_failed(str, str, object, str): assessment id, indicator id, the `Answer` that was
        not saved, reason.
    closed(): no assessment is open any more.
    """

    opened = Signal(object)
    refreshed = Signal(object)
    answer_saved = Signal(str, str, object, object)
    answer_save_failed = Signal(str, str, object, str)
    closed = Signal()

    def __init__(self, backend: Backend, runner: TaskRunner, parent: QObject | None = None) -> None:
        super().__init__(parent)
        self.backend = backend
        self.runner = runner
        self.current: LoadedAssessment | None = None
        self._refreshing = False
        self._refresh_again = False

    @property
    def assessment_id(self) -> str | None:
        return self.current.snapshot.header.id if self.current else None

    # -- opening -----------------------------------------------------------------------------

    def open(self, assessment_id: str, on_done: Callable[[], None] | None = None) -> None:
        def done(loaded: LoadedAssessment) -> None:
            self.current = loaded
            self.opened.emit(loaded)
            if on_done is not None:
                on_done()

        self.runner.db(self.backend.load, assessment_id).on_success(done).start()

    def close(self) -> None:
        self.current = None
        self.closed.emit()

    def refresh(self) -> None:
        """Reload and re-score; coalesces bursts of saves into one reload at a time."""
        if self.current is None:
            return
        if self._refreshing:
            self._refresh_again = True
            return
        self._refreshing = True
        assessment_id = self.current.snapshot.header.id

        def done(loaded: LoadedAssessment) -> None:
            self._refreshing = False
            if self.current is not None and self.current.snapshot.header.id == assessment_id:
                self.current = loaded
                self.refreshed.emit(loaded)
            if self._refresh_again:
                self._refresh_again = False
                self.refresh()

        def failed(_exc: BaseException) -> None:
            self._refreshing = False
            self._refresh_again = False

        self.runner.db(self.backend.load, assessment_id).on_success(done).on_failure(failed).start()

    # -- changes -----------------------------------------------------------------------------

    def save_answer(
        self,
        assessment_id: str,
        indicator_id: str,
        answer: Answer,
        attachments: Sequence[Attachment],
    ) -> None:
        """Save into `assessment_id`, named by the page that was edited: an edit committed while
        another assessment opens still goes to the one it was typed in."""
        names = list(attachments)

        def saved(_result: Any) -> None:
            self.answer_saved.emit(assessment_id, indicator_id, answer, names)
            if assessment_id == self.assessment_id:
                self.refresh()

        def failed(exc: BaseException) -> None:
            reason = str(exc) if isinstance(exc, UserError) else _bug_reason(exc)
            self.answer_save_failed.emit(assessment_id, indicator_id, answer, reason)

        self.runner.db(
            self.backend.save_answer, assessment_id, indicator_id, answer, names
        ).on_success(saved).on_failure(failed).start()

    def run_change(
        self,
        fn: Callable[..., Any],
        *args: Any,
        on_done: Callable[[Any], None] | None = None,
        on_failure: Callable[[BaseException], None] | None = None,
    ) -> None:
        """Any other change to the open assessment; reloads it afterwards."""

        def done(result: Any) -> None:
            if on_done is not None:
                on_done(result)
            self.refresh()

        task = self.runner.db(fn, *args).on_success(done)
        if on_failure is not None:
            task.on_failure(on_failure)
        task.start()


def _bug_reason(exc: BaseException) -> str:
    from app.ui.i18n import _

    return _("an unexpected error ({kind}); see the log file").format(kind=type(exc).__name__)
