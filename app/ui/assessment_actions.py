"""The window's actions that open a dialog and then change something through the task runner.

Dialogs open with `open()` (never a blocking `exec()`); the one being shown is kept in
`self.dialog` so tests can drive it. Results and errors come back through the task runner.
"""

from __future__ import annotations

import logging
from collections.abc import Callable
from typing import TYPE_CHECKING, Any

from PySide6.QtCore import QObject, Signal
from PySide6.QtWidgets import QDialog, QWidget

from app.domain import Answer, AssessmentStatus
from app.ui import prompts
from app.ui.backend import Backend
from app.ui.fill_state import Attachment
from app.ui.i18n import _, current_language
from app.ui.session import AssessmentSession
from app.ui.settings import GuiSettings, SettingsStore, choose_data_dir
from app.ui.task_runner import TaskRunner

if TYPE_CHECKING:
    from app.ui.fill_page import FillPage
    from app.ui.new_assessment_dialog import NewAssessmentDialog
    from app.ui.settings_dialog import SettingsChoice

log = logging.getLogger("readiness.ui.actions")


class AssessmentActions(QObject):
    """Signals:
    assessments_changed(): the list of assessments may have changed (reload the home page).
    open_requested(str): open this assessment (after creating it).
    language_chosen(str): the person chose another language in the settings.
    workspace_replaced(): a backup was restored; nothing open is valid any more.
    exported(str): a report file was written at this path.
    """

    assessments_changed = Signal()
    open_requested = Signal(str)
    language_chosen = Signal(str)
    workspace_replaced = Signal()
    exported = Signal(str)

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
        self.dialog: QDialog | None = None

    def _show(self, dialog: QDialog, on_accepted: Callable[[], None] | None = None) -> None:
        if self.dialog is not None:
            self.dialog.close()
        self.dialog = dialog
        if on_accepted is not None:
            dialog.accepted.connect(on_accepted)
        dialog.finished.connect(lambda _result: self._forget(dialog))
        dialog.open()

    def _forget(self, dialog: QDialog) -> None:
        if self.dialog is dialog:
            self.dialog = None
        dialog.deleteLater()

    # -- creating ----------------------------------------------------------------------------

    def new_assessment(self) -> None:
        def with_forms(found: tuple[list[tuple[str, str]], Any]) -> None:
            from app.ui.new_assessment_dialog import NewAssessmentDialog

            forms, me = found
            dialog = NewAssessmentDialog(
                forms,
                current_language(),
                me.name if me else "",
                me.role if me else "",
                self.window,
            )
            self._show(dialog, lambda: self._create(dialog))

        def gather() -> tuple[list[tuple[str, str]], Any]:
            return self.backend.shipped_forms(), self.backend.contributor()

        self.runner.db(gather).with_parent(self.window).on_success(with_forms).start()

    def _create(self, dialog: NewAssessmentDialog) -> None:
        wanted = dialog.request()
        self.runner.db(
            self.backend.create_assessment,
            wanted.city,
            wanted.country,
            wanted.period,
            wanted.form,
            wanted.language,
            wanted.contributor,
            wanted.role,
        ).with_progress(_("Creating the assessment…"), self.window).on_success(
            self._on_created
        ).start()

    def open_demo(self) -> None:
        self.runner.db(self.backend.create_demo).with_progress(
            _("Preparing the demo…"), self.window
        ).on_success(self._on_created).start()

    def _on_created(self, assessment_id: str) -> None:
        self.assessments_changed.emit()
        self.open_requested.emit(assessment_id)

    # -- the open assessment -----------------------------------------------------------------

    def change_status(self) -> None:
        loaded = self.session.current
        if loaded is None:
            return
        from app.ui.status_dialog import StatusDialog

        dialog = StatusDialog(loaded.snapshot.header.status, self.window)

        def accepted() -> None:
            status = dialog.chosen()
            if status is None:
                return
            if status == AssessmentStatus.FINAL and not prompts.confirm(
                self.window,
                _("Finalise"),
                _("Finalise this assessment? Its answers are locked until someone reopens it."),
            ):
                return
            self.session.run_change(
                self.backend.set_status,
                loaded.snapshot.header.id,
                status,
                dialog.reason.text().strip(),
                on_done=lambda _r: self.assessments_changed.emit(),
            )

        self._show(dialog, accepted)

    def start_next_round(self) -> None:
        loaded = self.session.current
        if loaded is None:
            return
        period = prompts.ask_text(
            self.window,
            _("Start the next round"),
            _("Period of the new round (the current answers are copied, to confirm):"),
        )
        if not period:
            return
        self.runner.db(
            self.backend.start_next_round, loaded.snapshot.header.id, period
        ).with_progress(_("Starting the next round…"), self.window).on_success(
            self._on_created
        ).start()

    def move_to_version(self) -> None:
        loaded = self.session.current
        if loaded is None:
            return
        header = loaded.snapshot.header

        def with_forms(forms: list[tuple[str, str]]) -> None:
            labels = [label for label, _path in forms]
            index = prompts.choose_item(
                self.window,
                _("Move to another questionnaire version"),
                _("Answers are carried by question; retired questions stay in the history."),
                labels,
            )
            if index is None:
                return
            if not prompts.confirm(
                self.window,
                _("Move to another questionnaire version"),
                _("Move {city} {period} to {form}?").format(
                    city=header.city, period=header.period, form=labels[index]
                ),
            ):
                return
            self.session.run_change(
                self.backend.move_to_version,
                header.id,
                forms[index][1],
                on_done=lambda _r: self._reopen(header.id),
            )

        self.runner.db(self.backend.shipped_forms).on_success(with_forms).start()

    def _reopen(self, assessment_id: str) -> None:
        self.assessments_changed.emit()
        self.open_requested.emit(assessment_id)

    def show_history(self, indicator_id: str) -> None:
        loaded = self.session.current
        if loaded is None:
            return
        indicator = loaded.snapshot.questionnaire.indicator(indicator_id)
        city = loaded.snapshot.answers.get(indicator_id)

        def show(revisions: list[Any]) -> None:
            from app.ui.history_dialog import HistoryDialog

            lang = current_language()
            self._show(HistoryDialog(indicator, revisions, lang, self.window, city=city))

        self.runner.db(self.backend.history, loaded.snapshot.header.id, indicator_id).on_success(
            show
        ).start()

    def attach_file(self, fill_page: FillPage, indicator_id: str) -> None:
        if self.session.current is None:
            return
        path = prompts.choose_file(self.window, _("Attach a file to {id}").format(id=indicator_id))
        if not path:
            return

        def added(attachment: Attachment) -> None:
            fill_page.add_attachment(indicator_id, attachment)

        self.runner.db(self.backend.add_attachment, path).with_progress(
            _("Copying the file…"), self.window
        ).on_success(added).start()

    def set_city_answer(self, indicator_id: str, answer: Answer, rationale: str) -> None:
        loaded = self.session.current
        if loaded is None:
            return
        self.session.run_change(
            self.backend.set_city_answer, loaded.snapshot.header.id, indicator_id, answer, rationale
        )

    def export(self, kind: str) -> None:
        """The PDF report (`kind="pdf"`) or the Excel workbook (`"xlsx"`), with progress."""
        loaded = self.session.current
        if loaded is None:
            return
        header = loaded.snapshot.header
        if kind == "pdf":
            title, pattern = _("Save the PDF report"), _("PDF files (*.pdf)")
        else:
            title, pattern = _("Save the Excel workbook"), _("Excel workbooks (*.xlsx)")
        target = prompts.choose_file(self.window, title, pattern, save=True)
        if not target:
            return
        if not target.lower().endswith(f".{kind}"):
            target += f".{kind}"

        def written(path: str) -> None:
            self.exported.emit(path)

        self.runner.db(
            self.backend.export_report, header.id, target, kind, current_language()
        ).with_progress(
            _("Writing {file}…").format(file=target), self.window, cancellable=True
        ).on_success(written).start()

    # -- settings and backups ----------------------------------------------------------------

    def settings(self) -> None:
        def show(me: Any) -> None:
            from app.ui.settings_dialog import SettingsChoice, SettingsDialog

            stored = self.store.load()
            current = SettingsChoice(
                language=current_language(),
                name=me.name if me else "",
                role=me.role if me else "",
                hub_url=stored.hub_url,
                data_dir=str(self.backend.paths.root),
            )
            dialog = SettingsDialog(current, self.backend.has_sync(), self.window)
            self._show(dialog, lambda: self._apply_settings(current, dialog.choice()))

        self.runner.db(self.backend.contributor).on_success(show).start()

    def _apply_settings(self, before: SettingsChoice, after: SettingsChoice) -> None:
        # An unchanged language stays unchosen: the window keeps following the system's.
        stored = self.store.load().language
        language = after.language if after.language != before.language else stored
        self.store.save(GuiSettings(language=language, hub_url=after.hub_url))
        if after.name and (after.name, after.role) != (before.name, before.role):
            self.runner.db(self.backend.set_contributor, after.name, after.role).on_success(
                lambda _c: self.session.refresh()
            ).start()
        if after.data_dir and after.data_dir != before.data_dir:
            choose_data_dir(after.data_dir)
        if after.language != before.language:
            self.language_chosen.emit(after.language)

    def backups(self) -> None:
        from app.ui.backups_dialog import BackupsDialog

        dialog = BackupsDialog(self.window)

        def reload() -> None:
            self.runner.db(self.backend.list_backups).on_success(dialog.set_rows).start()

        def created(name: str) -> None:
            dialog.set_message(_("Backup {name} made.").format(name=name))
            reload()

        def restored(name: str) -> None:
            dialog.set_message(_("Backup {name} restored.").format(name=name))
            self.session.close()
            self.workspace_replaced.emit()
            reload()

        dialog.create_requested.connect(
            lambda: (
                self.runner.db(self.backend.create_backup)
                .with_progress(_("Making a backup…"), dialog)
                .on_success(created)
                .start()
            )
        )
        dialog.restore_requested.connect(
            lambda name: (
                self.runner.db(self.backend.restore_backup, name)
                .with_progress(_("Restoring…"), dialog)
                .on_success(restored)
                .start()
            )
        )
        self._show(dialog)
        reload()
