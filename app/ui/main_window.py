"""The main window: a thin shell that holds the pages, the menus and the status bar, and wires
pages to the open assessment. The work itself lives in the pages, the session and the actions."""

from __future__ import annotations

import logging
from collections.abc import Callable

from PySide6.QtGui import QAction, QActionGroup, QCloseEvent, QKeySequence
from PySide6.QtWidgets import QLabel, QMainWindow, QMenu, QTabWidget, QWidget

from app.common.i18n import LANGUAGE_NAMES, LANGUAGES
from app.domain import Answer, AssessmentStatus
from app.ui import i18n
from app.ui.assessment_actions import AssessmentActions
from app.ui.backend import Backend, LoadedAssessment
from app.ui.fill_page import FillPage
from app.ui.fill_state import Attachment
from app.ui.home_page import HomePage
from app.ui.i18n import _
from app.ui.merge_page import MergePage
from app.ui.results_page import ResultsPage
from app.ui.session import AssessmentSession
from app.ui.settings import GuiSettings, SettingsStore
from app.ui.sync_actions import SyncActions
from app.ui.task_runner import TaskRunner

log = logging.getLogger("readiness.ui.window")

HOME, FILL, MERGE, RESULTS = range(4)


class MainWindow(QMainWindow):
    def __init__(self, backend: Backend, runner: TaskRunner, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("main_window")
        self.backend = backend
        self.runner = runner
        self.store = SettingsStore(backend.paths.root)
        self.session = AssessmentSession(backend, runner, self)
        self.actions_ = AssessmentActions(self, backend, runner, self.session, self.store)
        self.has_sync = backend.has_sync()
        self.sync_actions = SyncActions(self, backend, runner, self.session, self.store)

        self.home = HomePage(self)
        self.fill = FillPage(self)
        self.merge = MergePage(self)
        self.results = ResultsPage(self)
        self.tabs = QTabWidget(self)
        self.tabs.setObjectName("pages")
        self.tabs.setDocumentMode(True)
        for page in (self.home, self.fill, self.merge, self.results):
            self.tabs.addTab(page, "")
        self.setCentralWidget(self.tabs)
        self.save_status = QLabel(self)
        self.save_status.setObjectName("save_status")
        self._saving = 0
        self._failed: set[str] = set()
        self.statusBar().addPermanentWidget(self.save_status)

        self._wire()
        self._build_menus()
        self._set_assessment_tabs_enabled(False)
        self.setMinimumSize(800, 500)
        geometry, state = self.store.geometry()
        if geometry is None or not self.restoreGeometry(geometry):
            self.resize(1180, 760)
        if state is not None:
            self.restoreState(state)
        self.retranslate()

    # -- wiring ------------------------------------------------------------------------------

    def _wire(self) -> None:
        self.home.new_requested.connect(self.actions_.new_assessment)
        self.home.demo_requested.connect(self.actions_.open_demo)
        self.home.open_requested.connect(self.open_assessment)
        self.fill.answer_committed.connect(self._on_fill_answer_committed)
        self.fill.attachment_requested.connect(
            lambda indicator_id: self.actions_.attach_file(self.fill, indicator_id)
        )
        self.fill.history_requested.connect(self.actions_.show_history)
        self.merge.city_answer_chosen.connect(self._on_merge_city_answer_chosen)
        self.session.opened.connect(self._on_session_opened)
        self.session.refreshed.connect(self._on_session_refreshed)
        self.session.answer_saved.connect(self._on_session_answer_saved)
        self.session.answer_save_failed.connect(self._on_session_answer_save_failed)
        self.session.closed.connect(self._on_session_closed)
        self.actions_.assessments_changed.connect(self.reload_assessments)
        self.actions_.open_requested.connect(self.open_assessment)
        self.actions_.language_chosen.connect(self.set_language)
        self.actions_.workspace_replaced.connect(self.reload_assessments)
        self.home.import_requested.connect(self.sync_actions.import_bundle)
        self.sync_actions.assessments_changed.connect(self.reload_assessments)
        self.sync_actions.open_requested.connect(self.open_assessment)
        self.sync_actions.reported.connect(lambda text: self.statusBar().showMessage(text, 10000))
        self.actions_.exported.connect(
            lambda path: self.statusBar().showMessage(_("Written: {path}").format(path=path), 10000)
        )

    def _build_menus(self) -> None:
        bar = self.menuBar()
        self.file_menu = bar.addMenu("")
        self.assessment_menu = bar.addMenu("")
        self.sync_menu = bar.addMenu("")
        self.sync_menu.menuAction().setVisible(self.has_sync)
        self.view_menu = bar.addMenu("")
        self.language_menu = QMenu(self)
        self.view_menu.addMenu(self.language_menu)
        a = self._action
        self.new_action = a(
            self.file_menu, self.actions_.new_assessment, QKeySequence.StandardKey.New
        )
        self.demo_action = a(self.file_menu, self.actions_.open_demo)
        self.file_menu.addSeparator()
        self.pdf_action = a(self.file_menu, lambda: self.actions_.export("pdf"))
        self.xlsx_action = a(self.file_menu, lambda: self.actions_.export("xlsx"))
        reports = self.backend.has_reports()
        self.pdf_action.setVisible(reports)  # never a menu entry that does nothing
        self.xlsx_action.setVisible(reports)
        self.bundle_export_action = a(self.file_menu, self.sync_actions.export_bundle)
        self.bundle_import_action = a(self.file_menu, self.sync_actions.import_bundle)
        self.bundle_export_action.setVisible(self.has_sync)
        self.bundle_import_action.setVisible(self.has_sync)
        self.file_menu.addSeparator()
        self.backups_action = a(self.file_menu, self.actions_.backups)
        self.settings_action = a(
            self.file_menu, self.actions_.settings, QKeySequence.StandardKey.Preferences
        )
        self.file_menu.addSeparator()
        self.quit_action = a(self.file_menu, self.close, QKeySequence.StandardKey.Quit)
        self.status_action = a(self.assessment_menu, self.actions_.change_status)
        self.next_round_action = a(self.assessment_menu, self.actions_.start_next_round)
        self.move_action = a(self.assessment_menu, self.actions_.move_to_version)
        self.assessment_menu.addSeparator()
        self.close_action = a(self.assessment_menu, self.session.close, QKeySequence("Ctrl+W"))
        self.enroll_action = a(self.sync_menu, self.sync_actions.enroll)
        self.sync_now_action = a(self.sync_menu, self.sync_actions.sync_now, QKeySequence("F5"))
        self.sync_status_action = a(self.sync_menu, self.sync_actions.show_status)
        self.page_actions = []
        for index in range(4):
            action = a(self.view_menu, self._page_slot(index), QKeySequence(f"Ctrl+{index + 1}"))
            self.page_actions.append(action)
        self.view_menu.addSeparator()
        self.view_menu.addMenu(self.language_menu)
        group = QActionGroup(self)
        self.language_actions: dict[str, QAction] = {}
        for code in LANGUAGES:
            action = QAction(LANGUAGE_NAMES[code], self)
            action.setCheckable(True)
            action.triggered.connect(self._language_slot(code))
            group.addAction(action)
            self.language_menu.addAction(action)
            self.language_actions[code] = action

    def _page_slot(self, index: int) -> Callable[[], None]:
        return lambda: self.show_page(index)

    def _language_slot(self, code: str) -> Callable[[], None]:
        return lambda: self.set_language(code)

    def _action(
        self,
        menu: QMenu,
        slot: Callable[[], object],
        shortcut: QKeySequence | QKeySequence.StandardKey | None = None,
    ) -> QAction:
        action = QAction(self)
        action.triggered.connect(lambda _checked=False: slot())
        if shortcut is not None:
            action.setShortcut(shortcut)
        menu.addAction(action)
        return action

    # -- language ----------------------------------------------------------------------------

    def set_language(self, lang: str) -> None:
        """Switch every string of the window, Qt's dialogs and number formats at once."""
        i18n.set_language(lang)
        stored = self.store.load()
        if stored.language != lang:
            self.store.save(GuiSettings(language=lang, hub_url=stored.hub_url))
        self.retranslate()

    def retranslate(self) -> None:
        lang = i18n.current_language()
        self.setWindowTitle(_("Readiness — precision oncology readiness"))
        for index, text in enumerate((_("&Home"), _("&Fill"), _("&Merge"), _("&Results"))):
            self.tabs.setTabText(index, text)
        self.file_menu.setTitle(_("&File"))
        self.assessment_menu.setTitle(_("&Assessment"))
        self.view_menu.setTitle(_("&View"))
        self.language_menu.setTitle(_("&Language"))
        self.new_action.setText(_("&New assessment…"))
        self.demo_action.setText(_("Open the &demo"))
        self.pdf_action.setText(_("Export the &PDF report…"))
        self.xlsx_action.setText(_("Export the &Excel workbook…"))
        self.bundle_export_action.setText(_("Export a &bundle file…"))
        self.bundle_import_action.setText(_("&Import a bundle file…"))
        self.sync_menu.setTitle(_("S&ync"))
        self.enroll_action.setText(_("&Enroll with a hub…"))
        self.sync_now_action.setText(_("&Sync now"))
        self.sync_status_action.setText(_("Sync s&tatus…"))
        self.backups_action.setText(_("&Backups…"))
        self.settings_action.setText(_("&Settings…"))
        self.quit_action.setText(_("&Quit"))
        self.status_action.setText(_("Change &status…"))
        self.next_round_action.setText(_("Start the &next round…"))
        self.move_action.setText(_("&Move to another questionnaire version…"))
        self.close_action.setText(_("&Close the assessment"))
        for action, text in zip(
            self.page_actions,
            (_("Home"), _("Fill"), _("Merge"), _("Results")),
            strict=True,
        ):
            action.setText(text)
        self.language_actions[lang].setChecked(True)
        for page in (self.home, self.fill, self.merge, self.results):
            page.retranslate(lang)
        self._update_titles()
        self._show_save_status()

    # -- assessments -------------------------------------------------------------------------

    def reload_assessments(self) -> None:
        self.runner.db(self.backend.list_assessments).on_success(self.home.set_rows).start()

    def open_assessment(self, assessment_id: str) -> None:
        self.session.open(assessment_id)

    def show_page(self, index: int) -> None:
        if self.tabs.isTabEnabled(index):
            self.tabs.setCurrentIndex(index)

    def _set_assessment_tabs_enabled(self, enabled: bool) -> None:
        for index in (FILL, MERGE, RESULTS):
            self.tabs.setTabEnabled(index, enabled)
        for action in (
            self.status_action,
            self.next_round_action,
            self.close_action,
            self.pdf_action,
            self.xlsx_action,
            self.bundle_export_action,
        ):
            action.setEnabled(enabled)
        self.move_action.setEnabled(enabled)

    def _update_titles(self) -> None:
        loaded = self.session.current
        if loaded is None:
            self.tabs.setTabText(MERGE, _("&Merge"))
            return
        count = len(self.merge.disputed())
        self.tabs.setTabText(
            MERGE, _("&Merge ({count})").format(count=count) if count else _("&Merge")
        )
        header = loaded.snapshot.header
        self.setWindowTitle(f"{header.city} · {header.period} — Readiness")

    def _show_loaded(self, loaded: LoadedAssessment) -> None:
        self.merge.set_loaded(loaded)
        self.results.set_result(loaded.snapshot.questionnaire, loaded.snapshot.score)
        draft = loaded.snapshot.header.status == AssessmentStatus.DRAFT
        self.move_action.setEnabled(draft)
        self._update_titles()

    # -- slots -------------------------------------------------------------------------------

    def _on_session_opened(self, loaded: LoadedAssessment) -> None:
        self.fill.set_loaded(loaded)
        self._show_loaded(loaded)
        self._set_assessment_tabs_enabled(True)
        self.move_action.setEnabled(loaded.snapshot.header.status == AssessmentStatus.DRAFT)
        self.home.select(loaded.snapshot.header.id)
        self.tabs.setCurrentIndex(FILL)
        self.fill.go_to_question(1, from_start=True)

    def _on_session_refreshed(self, loaded: LoadedAssessment) -> None:
        self.fill.after_refresh(loaded)
        self._show_loaded(loaded)

    def _on_session_closed(self) -> None:
        self.fill.clear()
        self.merge.clear()
        self.results.clear()
        self._set_assessment_tabs_enabled(False)
        self.tabs.setCurrentIndex(HOME)
        self.retranslate()

    def _on_fill_answer_committed(
        self, indicator_id: str, answer: Answer, attachments: list[Attachment]
    ) -> None:
        self._saving += 1
        self._show_save_status()
        self.session.save_answer(indicator_id, answer, attachments)

    def _on_session_answer_saved(
        self, indicator_id: str, answer: Answer, attachments: list[Attachment]
    ) -> None:
        self._saving -= 1
        self._failed.discard(indicator_id)
        self._show_save_status()
        self.fill.mark_saved(indicator_id, answer, attachments)

    def _on_session_answer_save_failed(
        self, indicator_id: str, _answer: Answer, reason: str
    ) -> None:
        self._saving -= 1
        self._failed.add(indicator_id)
        self._show_save_status()
        self.fill.mark_failed(indicator_id, reason)
        self.statusBar().showMessage(_("Not saved: {reason}").format(reason=reason), 8000)

    def _on_merge_city_answer_chosen(
        self, indicator_id: str, answer: Answer, rationale: str
    ) -> None:
        self.actions_.set_city_answer(indicator_id, answer, rationale)

    def _show_save_status(self) -> None:
        if self._saving:
            self.save_status.setText(_("Saving…"))
        elif self._failed:
            self.save_status.setText(_("Some answers are not saved"))
        else:
            self.save_status.setText(_("All changes saved"))

    # -- Qt overrides ------------------------------------------------------------------------

    def closeEvent(self, event: QCloseEvent) -> None:  # noqa: N802 - Qt override
        self.store.save_geometry(self.saveGeometry(), self.saveState())
        super().closeEvent(event)
