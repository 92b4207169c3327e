"""Sync with a hub and bundle files, offered only when the sync service is installed.

Network and bundle work runs on the database thread (it writes what it receives in one
transaction), with a progress dialog after the usual delay and Cancel where stopping is safe.
"""

from __future__ import annotations

from typing import Any

from PySide6.QtCore import QObject, Signal
from PySide6.QtWidgets import QMessageBox, QWidget

from app.common.errors import UserError
from app.ui import prompts
from app.ui.backend import Backend
from app.ui.i18n import _, format_timestamp
from app.ui.session import AssessmentSession
from app.ui.settings import GuiSettings, SettingsStore
from app.ui.task_runner import TaskRunner

BUNDLE_FILTER = "Readiness bundles (*.readiness)"


class SyncActions(QObject):
    """Signals:
    assessments_changed(): records arrived; reload the list.
    open_requested(str): open this assessment (an imported bundle's).
    reported(str): a one-line result for the status bar.
    """

    assessments_changed = Signal()
    open_requested = Signal(str)
    reported = Signal(str)

    def __init__(
        self,
        window: QWidget,
        backend: Backend,
        runner: TaskRunner,
        session: AssessmentSession,
        store: SettingsStore,
    ) -> None:
        super().__init__(window)
        self.window = window
        self.backend = backend
        self.runner = runner
        self.session = session
        self.store = store
        self.status_box: QMessageBox | None = None

    def enroll(self) -> None:
        stored = self.store.load()
        url = prompts.ask_text(
            self.window, _("Enroll with a hub"), _("The hub's address:"), stored.hub_url
        )
        if not url:
            return
        code = prompts.ask_text(
            self.window,
            _("Enroll with a hub"),
            _("The enrollment code from the hub's administrator:"),
        )
        if not code:
            return
        self.store.save(GuiSettings(language=stored.language, hub_url=url))
        self._enroll(url, code, token_file=False)

    def _enroll(self, url: str, code: str, token_file: bool) -> None:
        def failed(exc: BaseException) -> None:
            if type(exc).__name__ == "NoKeyring" and not token_file:
                question = _(
                    "{problem}\n\nKeep the sync token in a file in the data folder instead? "
                    "Anyone who can read that folder could then sync as you."
                ).format(problem=exc)
                if prompts.confirm(self.window, _("No keyring"), question):
                    self._enroll(url, code, token_file=True)
                return
            if isinstance(exc, UserError):
                QMessageBox.warning(self.window, _("Enroll with a hub"), str(exc))

        def enrolled(enrollment: Any) -> None:
            self.reported.emit(
                _("Enrolled with {hub} for {city}").format(
                    hub=enrollment.hub_url, city=enrollment.city_name
                )
            )

        self.runner.db(self.backend.enroll, url, code, token_file).with_progress(
            _("Enrolling…"), self.window
        ).on_success(enrolled).on_failure(failed).start()

    def sync_now(self) -> None:
        def done(result: Any) -> None:
            self.reported.emit(
                _("Synced: {pushed} sent, {pulled} received, {conflicts} conflicts").format(
                    pushed=result.pushed, pulled=result.pulled, conflicts=result.conflicts
                )
            )
            self.assessments_changed.emit()
            self.session.refresh()

        self.runner.db(self.backend.sync_now).with_progress(
            _("Syncing with the hub…"), self.window, cancellable=True
        ).on_success(done).start()

    def show_status(self) -> None:
        def show(status: Any) -> None:
            if status.enrollment is None:
                text = _("This computer is not enrolled with a hub yet.")
            else:
                never = _("never")
                text = _(
                    "Hub: {hub}\nCity: {city}\nChanges waiting to be sent: {pending}\n"
                    "Set aside: {quarantined}\nConflicts: {conflicts}\n"
                    "Last sent: {pushed}\nLast received: {pulled}"
                ).format(
                    hub=status.enrollment.hub_url,
                    city=status.enrollment.city_name,
                    pending=status.pending,
                    quarantined=len(status.quarantined),
                    conflicts=status.conflicts,
                    pushed=format_timestamp(status.last_push_ok_at)
                    if status.last_push_ok_at
                    else never,
                    pulled=format_timestamp(status.last_pull_ok_at)
                    if status.last_pull_ok_at
                    else never,
                )
            self.reported.emit(text.splitlines()[0])
            box = QMessageBox(
                QMessageBox.Icon.Information,
                _("Sync status"),
                text,
                QMessageBox.StandardButton.Close,
                self.window,
            )
            box.setObjectName("sync_status")
            box.open()
            self.status_box = box

        self.runner.db(self.backend.sync_status).on_success(show).start()

    def export_bundle(self) -> None:
        loaded = self.session.current
        if loaded is None:
            return
        target = prompts.choose_file(
            self.window, _("Export a bundle file"), BUNDLE_FILTER, save=True
        )
        if not target:
            return
        if not target.endswith(".readiness"):
            target += ".readiness"
        self.runner.db(self.backend.export_bundle, loaded.snapshot.header.id, target).with_progress(
            _("Writing {file}…").format(file=target), self.window
        ).on_success(
            lambda made: self.reported.emit(_("Written: {path}").format(path=made.path))
        ).start()

    def import_bundle(self) -> None:
        source = prompts.choose_file(self.window, _("Import a bundle file"), BUNDLE_FILTER)
        if not source:
            return

        def imported(result: Any) -> None:
            if result.already_present:
                self.reported.emit(_("Nothing new in {file}").format(file=source))
            else:
                self.reported.emit(
                    _("Imported {count} records, {conflicts} conflicts").format(
                        count=result.added, conflicts=result.conflicts
                    )
                )
            self.assessments_changed.emit()
            self.open_requested.emit(result.assessment_id)

        self.runner.db(self.backend.import_bundle, source).with_progress(
            _("Importing {file}…").format(file=source), self.window
        ).on_success(imported).start()
