"""The main window: a thin shell that holds the pages, the menus and the status bar, and wires
pages to the open assessment. The work itself lives in the pages, the session and the actions.

Only the home page and the menus are built with the window. The fill, merge and results pages,
the assessment session and the actions behind the menus (with their modules, the domain
classes among them) are built when first used (`fill`, `session`, `actions_`...), or by
`finish_building()` once the application is idle after start-up, so the first paint waits for
none of them.
"""

from __future__ import annotations

import logging
from collections.abc import Callable
from typing import TYPE_CHECKING

from PySide6.QtCore import QSize, Qt, QTimer, Signal
from PySide6.QtGui import QAction, QActionGroup, QCloseEvent, QKeySequence, QPaintEvent
from PySide6.QtWidgets import QLabel, QMainWindow, QMenu, QTabWidget, QWidget

from app.common.i18n import LANGUAGE_NAMES, LANGUAGES
from app.ui import i18n
from app.ui.backend import Backend, LoadedAssessment
from app.ui.contributor_switch import ContributorSwitch
from app.ui.help_menu import HelpMenu
from app.ui.home_page import HomePage
from app.ui.i18n import _
from app.ui.settings import GuiSettings, SettingsStore
from app.ui.task_runner import TaskRunner

if TYPE_CHECKING:
    from app.domain import Answer
    from app.ui.assessment_actions import AssessmentActions
    from app.ui.fill_page import FillPage
    from app.ui.fill_state import Attachment
    from app.ui.merge_page import MergePage
    from app.ui.results_page import ResultsPage
    from app.ui.session import AssessmentSession
    from app.ui.sync_actions import SyncActions

log = logging.getLogger("readiness.ui.window")

HOME, FILL, MERGE, RESULTS = range(4)
TITLE_BAR = 40  # pixels the window manager's frame takes above the window, at most


class MainWindow(QMainWindow):
    """Signals:
    first_painted(): the window has been painted for the first time (start-up work may follow).
    """

    first_painted = Signal()

    def __init__(self, backend: Backend, runner: TaskRunner, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("main_window")
        self.backend = backend
        self.runner = runner
        self.store = SettingsStore(backend.paths.root)
        self.has_sync = backend.has_sync()
        self._session: AssessmentSession | None = None
        self._actions: AssessmentActions | None = None
        self._sync_actions: SyncActions | None = None
        self._painted = False

        self.home = HomePage(self)
        self._pages: tuple[FillPage, MergePage, ResultsPage] | None = None
        self.tabs = QTabWidget(self)
        self.tabs.setObjectName("pages")
        self.tabs.setDocumentMode(True)
        self.tabs.addTab(self.home, "")
        for _index in (FILL, MERGE, RESULTS):
            self.tabs.addTab(QWidget(), "")  # stands in until the page is built
        self.setCentralWidget(self.tabs)
        self.save_status = QLabel(self)
        self.save_status.setObjectName("save_status")
        self._saving = 0
        self._failed: set[tuple[str, str]] = set()  # (assessment id, indicator id)
        self.undo_link = QLabel(self)
        self.undo_link.setObjectName("undo_link")
        self.undo_link.setTextFormat(Qt.TextFormat.RichText)
        self.undo_link.linkActivated.connect(lambda _link: self.undo())
        self.undo_link.hide()
        self.statusBar().addPermanentWidget(self.undo_link)
        self.statusBar().addPermanentWidget(self.save_status)

        self._wire()
        self._build_menus()
        self.contributor_switch = ContributorSwitch(self, backend, runner)
        self.assessment_menu.insertAction(self.close_action, self.contributor_switch.action)
        self._set_assessment_tabs_enabled(False)
        self.setMinimumSize(800, 500)
        geometry, state = self.store.geometry()
        if geometry is None or not self.restoreGeometry(geometry):
            self.resize(default_size(self))
        if state is not None:
            self.restoreState(state)
        self.retranslate(pages=False)  # the home page has just translated itself

    # -- wiring ------------------------------------------------------------------------------

    def _wire(self) -> None:
        self.home.new_requested.connect(lambda: self.actions_.new_assessment())
        self.home.demo_requested.connect(lambda: self.actions_.open_demo())
        self.home.open_requested.connect(self.open_assessment)
        self.home.import_requested.connect(lambda: self.sync_actions.import_bundle())

    # -- parts built on first use -------------------------------------------------------------

    @property
    def session(self) -> AssessmentSession:
        if self._session is None:
            from app.ui.session import AssessmentSession

            session = AssessmentSession(self.backend, self.runner, self)
            session.opened.connect(self._on_session_opened)
            session.refreshed.connect(self._on_session_refreshed)
            session.answer_saved.connect(self._on_session_answer_saved)
            session.answer_save_failed.connect(self._on_session_answer_save_failed)
            session.closed.connect(self._on_session_closed)
            self.contributor_switch.follow(session)
            self._session = session
        return self._session

    @property
    def actions_(self) -> AssessmentActions:
        if self._actions is None:
            from app.ui.assessment_actions import AssessmentActions

            actions = AssessmentActions(self, self.backend, self.runner, self.session, self.store)
            actions.assessments_changed.connect(self.reload_assessments)
            actions.open_requested.connect(self.open_assessment)
            actions.language_chosen.connect(self.set_language)
            actions.workspace_replaced.connect(self.reload_assessments)
            actions.exported.connect(
                lambda path: self.statusBar().showMessage(
                    _("Written: {path}").format(path=path), 10000
                )
            )
            self._actions = actions
        return self._actions

    @property
    def sync_actions(self) -> SyncActions:
        if self._sync_actions is None:
            from app.ui.sync_actions import SyncActions

            actions = SyncActions(self, self.backend, self.runner, self.session, self.store)
            actions.assessments_changed.connect(self.reload_assessments)
            actions.open_requested.connect(self.open_assessment)
            actions.reported.connect(lambda text: self.statusBar().showMessage(text, 10000))
            self._sync_actions = actions
        return self._sync_actions

    def finish_building(self) -> None:
        """Build every part left for first use (start-up calls this once the window is idle)."""
        _ = self.session, self.actions_, self.sync_actions
        self.build_pages()

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
        # Slots look the actions up when triggered: those objects are built on first use.
        self.new_action = a(
            self.file_menu, lambda: self.actions_.new_assessment(), QKeySequence.StandardKey.New
        )
        self.demo_action = a(self.file_menu, lambda: self.actions_.open_demo())
        self.file_menu.addSeparator()
        self.pdf_action = a(self.file_menu, lambda: self.actions_.export("pdf"))
        self.xlsx_action = a(self.file_menu, lambda: self.actions_.export("xlsx"))
        reports = self.backend.has_reports()
        self.pdf_action.setVisible(reports)  # never a menu entry that does nothing
        self.xlsx_action.setVisible(reports)
        self.bundle_export_action = a(self.file_menu, lambda: self.sync_actions.export_bundle())
        self.bundle_import_action = a(self.file_menu, lambda: self.sync_actions.import_bundle())
        self.bundle_export_action.setVisible(self.has_sync)
        self.bundle_import_action.setVisible(self.has_sync)
        self.file_menu.addSeparator()
        self.backups_action = a(self.file_menu, lambda: self.actions_.backups())
        self.settings_action = a(
            self.file_menu, lambda: self.actions_.settings(), QKeySequence.StandardKey.Preferences
        )
        self.file_menu.addSeparator()
        self.quit_action = a(self.file_menu, self.close, QKeySequence.StandardKey.Quit)
        self.status_action = a(self.assessment_menu, lambda: self.actions_.change_status())
        self.next_round_action = a(self.assessment_menu, lambda: self.actions_.start_next_round())
        self.move_action = a(self.assessment_menu, lambda: self.actions_.move_to_version())
        self.assessment_menu.addSeparator()
        self.close_action = a(
            self.assessment_menu, lambda: self.session.close(), QKeySequence("Ctrl+W")
        )
        self.assessment_menu.addSeparator()
        self.undo_action = a(self.assessment_menu, self.undo, QKeySequence.StandardKey.Undo)
        self.undo_action.setEnabled(False)
        self.enroll_action = a(self.sync_menu, lambda: self.sync_actions.enroll())
        self.sync_now_action = a(
            self.sync_menu, lambda: self.sync_actions.sync_now(), QKeySequence("F5")
        )
        self.sync_status_action = a(self.sync_menu, lambda: self.sync_actions.show_status())
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
        self.help = HelpMenu(self, bar, self.backend, self.runner)

    # -- the assessment pages, built on first use --------------------------------------------

    @property
    def fill(self) -> FillPage:
        return self.build_pages()[0]

    @property
    def merge(self) -> MergePage:
        return self.build_pages()[1]

    @property
    def results(self) -> ResultsPage:
        return self.build_pages()[2]

    @property
    def pages_built(self) -> bool:
        return self._pages is not None

    def build_pages(self) -> tuple[FillPage, MergePage, ResultsPage]:
        """The fill, merge and results pages, built (in place of their stand-ins) on first call."""
        if self._pages is not None:
            return self._pages
        from app.ui.fill_page import FillPage
        from app.ui.merge_page import MergePage
        from app.ui.results_page import ResultsPage

        fill, merge, results = FillPage(self), MergePage(self), ResultsPage(self)
        self._pages = (fill, merge, results)
        current = self.tabs.currentIndex()
        for index, page in ((FILL, fill), (MERGE, merge), (RESULTS, results)):
            stand_in = self.tabs.widget(index)
            text, enabled = self.tabs.tabText(index), self.tabs.isTabEnabled(index)
            self.tabs.removeTab(index)
            self.tabs.insertTab(index, page, text)
            self.tabs.setTabEnabled(index, enabled)
            if stand_in is not None:
                stand_in.deleteLater()
        self.tabs.setCurrentIndex(current)
        fill.answer_committed.connect(self._on_fill_answer_committed)
        fill.edited.connect(self._show_save_status)
        fill.undo_changed.connect(self._show_undo)
        fill.section_shown.connect(self.store.set_last_section)
        fill.attachment_requested.connect(
            lambda indicator_id: self.actions_.attach_file(fill, indicator_id)
        )
        fill.history_requested.connect(self.actions_.show_history)
        merge.city_answer_chosen.connect(self._on_merge_city_answer_chosen)
        lang = i18n.current_language()
        for built in self._pages:
            built.retranslate(lang)
        return self._pages

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

    def retranslate(self, pages: bool = True) -> None:
        lang = i18n.current_language()
        self.setWindowTitle(_("Readiness — precision oncology readiness"))
        for index, text in enumerate((_("&Home"), _("&Fill"), _("&Merge"), _("&Results"))):
            self.tabs.setTabText(index, text)
        self.file_menu.setTitle(_("&File"))
        self.assessment_menu.setTitle(_("&Assessment"))
        self.view_menu.setTitle(_("&View"))
        self.language_menu.setTitle(_("&Language"))
        self.help.retranslate()
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
        self.contributor_switch.retranslate()
        self.undo_action.setText(_("&Undo the last answer change"))
        for action, text in zip(
            self.page_actions,
            (_("Home"), _("Fill"), _("Merge"), _("Results")),
            strict=True,
        ):
            action.setText(text)
        self.language_actions[lang].setChecked(True)
        if pages:
            self.home.retranslate(lang)
            for page in self._pages or ():
                page.retranslate(lang)
        self._update_titles()
        self._show_save_status()
        self._show_undo()

    # -- assessments -------------------------------------------------------------------------

    def reload_assessments(self) -> None:
        self.runner.db(self.backend.list_assessments).on_success(self.home.set_rows).start()

    def open_assessment(self, assessment_id: str) -> None:
        if self._pages is not None:
            self.fill.flush_pending()  # saved into the assessment it was typed in
        self.session.open(assessment_id)

    def undo(self) -> None:
        """Take back the last change of an answer made in the fill view (a new revision)."""
        if self._pages is None or not self.fill.can_undo():
            return
        self.show_page(FILL)
        self.fill.undo()

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
        loaded = self._session.current if self._session is not None else None
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
        self.move_action.setEnabled(_is_draft(loaded))
        self._update_titles()

    # -- slots -------------------------------------------------------------------------------

    def _on_session_opened(self, loaded: LoadedAssessment) -> None:
        # Back where the person left this assessment.
        self.fill.set_loaded(loaded, section_id=self.store.last_section(loaded.snapshot.header.id))
        self._show_loaded(loaded)
        self._set_assessment_tabs_enabled(True)
        self.move_action.setEnabled(_is_draft(loaded))
        self.home.select(loaded.snapshot.header.id)
        self.tabs.setCurrentIndex(FILL)
        self.fill.go_to_question(1, from_start=True)

    def _on_session_refreshed(self, loaded: LoadedAssessment) -> None:
        self.fill.after_refresh(loaded)
        self._show_loaded(loaded)

    def _on_session_closed(self) -> None:
        if self._pages is not None:
            fill, merge, results = self._pages
            fill.clear()
            merge.clear()
            results.clear()
        self._set_assessment_tabs_enabled(False)
        self.tabs.setCurrentIndex(HOME)
        self.retranslate()

    def _on_fill_answer_committed(
        self, assessment_id: str, indicator_id: str, answer: Answer, attachments: list[Attachment]
    ) -> None:
        self._saving += 1
        self._show_save_status()
        self.session.save_answer(assessment_id, indicator_id, answer, attachments)

    def _on_session_answer_saved(
        self, assessment_id: str, indicator_id: str, answer: Answer, attachments: list[Attachment]
    ) -> None:
        self._saving -= 1
        self._failed.discard((assessment_id, indicator_id))
        if assessment_id == self.fill.assessment_id():  # not a page that has gone since
            self.fill.mark_saved(indicator_id, answer, attachments)
        self._show_save_status()

    def _on_session_answer_save_failed(
        self, assessment_id: str, indicator_id: str, _answer: Answer, reason: str
    ) -> None:
        self._saving -= 1
        self._failed.add((assessment_id, indicator_id))
        if assessment_id == self.fill.assessment_id():
            self.fill.mark_failed(indicator_id, reason)
        self._show_save_status()
        self.statusBar().showMessage(_("Not saved: {reason}").format(reason=reason), 8000)

    def _on_merge_city_answer_chosen(
        self, indicator_id: str, answer: Answer, rationale: str
    ) -> None:
        self.actions_.set_city_answer(indicator_id, answer, rationale)

    def _show_save_status(self) -> None:
        """True at every moment: "All changes saved" only when every edit is committed."""
        pending = self._pages is not None and self.fill.has_pending()
        invalid = self._pages is not None and self.fill.has_invalid()
        if self._saving:
            self.save_status.setText(_("Saving…"))
        elif self._failed or invalid:
            self.save_status.setText(_("Some answers are not saved"))
        elif pending:
            self.save_status.setText(_("Not saved yet"))
        else:
            self.save_status.setText(_("All changes saved"))

    def _show_undo(self) -> None:
        can = self._pages is not None and self.fill.can_undo()
        self.undo_action.setEnabled(can)
        self.undo_link.setVisible(can)
        if can:
            self.undo_link.setText(
                '<a href="undo">{}</a>'.format(
                    _("Undo the change of {id}").format(id=self.fill.undo_text())
                )
            )

    # -- Qt overrides ------------------------------------------------------------------------

    def paintEvent(self, event: QPaintEvent) -> None:  # noqa: N802 - Qt override
        super().paintEvent(event)
        if not self._painted:
            self._painted = True
            # Queued: whatever follows starts after this paint is done, not inside it.
            QTimer.singleShot(0, self.first_painted.emit)

    def closeEvent(self, event: QCloseEvent) -> None:  # noqa: N802 - Qt override
        if self._pages is not None:
            self.fill.flush_pending()  # typing not yet paused is saved before the window goes
        self.store.save_geometry(self.saveGeometry(), self.saveState())
        super().closeEvent(event)


def default_size(window: QWidget) -> QSize:
    """1180 x 760, or less: the whole window, status bar included, fits the screen's available
    area (1280 x 720 with a taskbar, 1024 x 600), leaving room for the title bar."""
    screen = window.screen()
    if screen is None:
        return QSize(1180, 760)
    area = screen.availableGeometry()
    width = max(window.minimumWidth(), min(1180, area.width() - 16))
    height = max(window.minimumHeight(), min(760, area.height() - TITLE_BAR))
    return QSize(width, height)


def _is_draft(loaded: LoadedAssessment) -> bool:
    from app.domain import AssessmentStatus

    return loaded.snapshot.header.status == AssessmentStatus.DRAFT
