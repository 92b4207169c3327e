"""The services the window uses, called on the database thread only.

Every method here runs inside the task runner's single database worker. It imports services
lazily so the window appears before SQLAlchemy and the rest are loaded: the first list comes
from `initial_list()` (plain sqlite3), and `warm_up()` opens the database stack once the window
is painted. Reports and sync are optional services: the window hides their entry points until
they exist (`has_reports()`, `has_sync()`), so no button ever does nothing.
"""

from __future__ import annotations

import importlib
import importlib.util
import logging
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import TYPE_CHECKING, Any

from app.common.errors import UserError
from app.common.paths import DataPaths
from app.ui.assessment_model import AssessmentRow
from app.ui.task_runner import Cancelled, CancelToken

if TYPE_CHECKING:
    from app.domain import Answer, AssessmentSnapshot, Contributor, Revision
    from app.ui.fill_state import Attachment

log = logging.getLogger("readiness.ui.backend")


@dataclass(frozen=True)
class LoadedAssessment:
    snapshot: AssessmentSnapshot
    me: str = ""  # the id of who is answering this assessment on this laptop
    # The files attached to this person's own answer, per indicator.
    attachments: Mapping[str, Sequence[Attachment]] = field(default_factory=dict)
    answering: Contributor | None = None  # who is answering (services.contributors' rule)
    # This person's answers that hold only a note or an evidence type (no answer yet): the
    # snapshot leaves them out, the fill view shows them so a note typed first is not lost.
    drafts: Mapping[str, Answer] = field(default_factory=dict)


@dataclass(frozen=True)
class BackupRow:
    name: str
    created_at: str
    size: int
    kind: str = ""


# What opening an assessment imports, loaded by warm_up() before anyone asks.
_OPEN_PATH = (
    "app.services.assessments",
    "app.services.answers",
    "app.services.city_answers",
    "app.scoring",
    "app.storage.answers_repo",
    "app.storage.catalog",
)


def service_exists(name: str) -> bool:
    return importlib.util.find_spec(f"app.services.{name}") is not None


class Backend:
    """One data folder's services. Not thread-safe by design: use from the database thread."""

    def __init__(self, data_dir: str | Path | None) -> None:
        self.paths = DataPaths.resolve(data_dir)
        self._ws: Any = None

    # -- the workspace -----------------------------------------------------------------------

    @property
    def ws(self) -> Any:
        if self._ws is None:
            from app.services.workspace import Workspace

            self._ws = Workspace.open(self.paths.root)
        return self._ws

    def open(self) -> None:
        _ = self.ws

    def initial_list(self) -> tuple[list[AssessmentRow], bool]:
        """The list for the window's first paint, and whether it is exact.

        While the database needs no creating or migrating, it is checked and read with plain
        sqlite3 and the listed scores cache (`assessment_list.quick_list`), without loading
        the database stack; an assessment whose answers changed since its last listing shows its
        last listed score and the list is not exact. Otherwise the workspace is opened here
        (creating or migrating the database) and the exact list read.
        """
        if self._ws is None:
            quick = self.quick_list()
            if quick is not None:
                return quick
        return self.list_assessments(), True

    def quick_list(self) -> tuple[list[AssessmentRow], bool] | None:
        """The list read without opening the workspace (see initial_list), or None when the
        database must first be created or migrated."""
        from app.services import assessment_list

        summaries = assessment_list.quick_list(self.paths)
        if summaries is None:
            return None
        syncing = self.has_sync()
        return [_row(item, syncing) for item in summaries], all(item.scored for item in summaries)

    def warm_up(self) -> None:
        """Open the workspace (with its daily backup) and import what opening an assessment
        needs, so the first open waits for neither. Runs once the window is painted."""
        self.open()
        for module in _OPEN_PATH:
            importlib.import_module(module)

    @property
    def is_open(self) -> bool:
        return self._ws is not None

    def close(self) -> None:
        if self._ws is not None:
            self._ws.close()
            self._ws = None

    def has_reports(self) -> bool:
        return service_exists("reports")

    def has_sync(self) -> bool:
        return service_exists("sync")

    def contributor(self) -> Contributor | None:
        return self.ws.contributor  # type: ignore[no-any-return]

    def set_contributor(self, name: str, role: str) -> Contributor:
        return self.ws.set_contributor(name, role)  # type: ignore[no-any-return]

    # -- assessments -------------------------------------------------------------------------

    def list_assessments(self) -> list[AssessmentRow]:
        from app.services import assessment_list

        syncing = self.has_sync()
        return [_row(item, syncing) for item in assessment_list.list_assessments(self.ws)]

    def create_assessment(
        self,
        city: str,
        country: str,
        period: str,
        form: str,
        language: str,
        contributor: str,
        role: str,
    ) -> str:
        from app.services import assessments

        return assessments.create_assessment(
            self.ws, city, country, period, form, language, contributor or None, role or None
        )

    def create_demo(self) -> str:
        from app.services import demo

        return demo.create_demo(self.ws)

    def load(self, assessment_id: str) -> LoadedAssessment:
        from app.services import assessments, contributors

        snapshot = assessments.load_snapshot(self.ws, assessment_id, with_revisions=False)
        me = contributors.who_is_answering(self.ws, assessment_id)
        return LoadedAssessment(
            snapshot,
            me.id,
            self._attachments(assessment_id, me.id),
            me,
            self._drafts(assessment_id, me.id),
        )

    def answering_choices(self, assessment_id: str) -> tuple[list[Contributor], Contributor]:
        """The people who can be picked to answer this assessment here, and who answers now."""
        from app.services import contributors

        people = contributors.contributors_of(self.ws, assessment_id)
        return people, contributors.who_is_answering(self.ws, assessment_id)

    def demo_answers_notice(self) -> list[tuple[Any, str]]:
        """Once per data folder: answers earlier versions attributed to the demo's people
        outside the demo, each group with who answers that assessment here now."""
        from app.services import contributors, identity_upgrade

        return [
            (group, contributors.who_is_answering(self.ws, group.assessment_id).name)
            for group in identity_upgrade.notice(self.ws)
        ]

    def reassign_demo_answers(self, assessment_id: str, person_id: str, to: str) -> Any:
        from app.services import identity_upgrade

        return identity_upgrade.reassign(self.ws, assessment_id, person_id, to)

    def switch_contributor(self, assessment_id: str, name: str, role: str) -> Any:
        """Answer this assessment as `name` from now on (a new name is registered)."""
        from app.services import contributors

        return contributors.switch_contributor(self.ws, assessment_id, name, role or None)

    def _drafts(self, assessment_id: str, me: str) -> dict[str, Answer]:
        """This person's unanswered heads that carry a note or an evidence type."""
        if not me:
            return {}
        from app.services.answers import notes_without_answer

        return notes_without_answer(self.ws, assessment_id, me)

    def _attachments(self, assessment_id: str, me: str) -> dict[str, list[Attachment]]:
        """The files attached to this person's current answers."""
        from app.services.attached_files import attached_files
        from app.ui.fill_state import Attachment

        return {
            indicator_id: [Attachment(f.sha256, f.name) for f in files]
            for indicator_id, files in attached_files(self.ws, assessment_id, me).items()
        }

    def set_status(self, assessment_id: str, status: str, reason: str) -> None:
        from app.services import assessments

        assessments.set_status(self.ws, assessment_id, status, reason or None)

    def start_next_round(self, assessment_id: str, period: str) -> str:
        from app.services import rounds

        return rounds.start_next_round(self.ws, assessment_id, period)

    def move_to_version(self, assessment_id: str, form: str) -> str:
        from app.services import rounds

        return rounds.move_to_version(self.ws, assessment_id, form)

    def shipped_forms(self) -> list[tuple[str, str]]:
        """(label, form path) for each shipped questionnaire, newest version first."""
        from app.forms import shipped_forms
        from app.services import questionnaire_cache
        from app.services.cache_folder import cache_dir

        found = []
        for path in shipped_forms():
            try:
                q = questionnaire_cache.load(path.read_bytes(), str(path), cache_dir(self.paths))
            except (UserError, OSError):
                log.warning("shipped form %s does not load", path)
                continue
            core = "core" in q.id or "core" in path.stem
            found.append((q, core, path))
        from app.domain.version_order import version_key

        found.sort(key=lambda item: version_key(item[0].version), reverse=True)
        found.sort(key=lambda item: (item[1], item[0].id))  # stable: newest first within an id
        return [(_form_label(q, core), str(path)) for q, core, path in found]

    # -- answers -----------------------------------------------------------------------------

    def save_answer(
        self,
        assessment_id: str,
        indicator_id: str,
        answer: Answer,
        attachments: Sequence[Attachment] = (),
    ) -> None:
        from app.services import answers

        answers.save_answer(
            self.ws,
            assessment_id,
            indicator_id,
            answer,
            attachments=[a.sha256 for a in attachments],
        )

    def add_attachment(self, path: str) -> Attachment:
        from app.services import answers
        from app.ui.fill_state import Attachment

        return Attachment(answers.add_attachment(self.ws, path), Path(path).name)

    def set_city_answer(
        self, assessment_id: str, indicator_id: str, answer: Answer, rationale: str
    ) -> None:
        from app.services import answers

        answers.set_city_answer(self.ws, assessment_id, indicator_id, answer, rationale)

    def history(self, assessment_id: str, indicator_id: str) -> list[Revision]:
        from app.services import answers

        return list(answers.answer_history(self.ws, assessment_id, indicator_id))

    # -- reports -----------------------------------------------------------------------------

    def export_report(
        self, assessment_id: str, target: str, kind: str, lang: str, token: CancelToken
    ) -> str:
        """Write the PDF report or the Excel workbook; `token` reports progress and cancels."""
        from app.reports import ReportCancelled
        from app.services import reports

        files = {"pdf": target} if kind == "pdf" else {"xlsx": target}
        try:
            written = reports.export_report(
                self.ws,
                assessment_id,
                lang=lang,
                progress=lambda fraction, _message: token.progress(int(fraction * 100), 100),
                cancel=lambda: token.cancelled,
                **files,
            )
        except ReportCancelled as exc:
            raise Cancelled(str(exc)) from exc
        return str(written[0])

    # -- sync (only when the sync service exists) --------------------------------------------

    def sync_status(self) -> Any:
        from app.services import sync

        return sync.sync_status(self.ws)

    def enroll(self, url: str, code: str, token_file: bool) -> Any:
        from app.services import sync

        return sync.enroll(self.ws, url, code, token_file=token_file)

    def sync_now(self, token: CancelToken) -> Any:
        from app.services import sync

        def progress(_phase: str, done: int, total: int | None) -> None:
            token.progress(done, total or 0)

        result = sync.sync_now(self.ws, progress=progress, cancel=lambda: token.cancelled)
        if result.cancelled:
            raise Cancelled("sync cancelled")
        return result

    def export_bundle(self, assessment_id: str, path: str) -> Any:
        from app.services import sync

        return sync.export_bundle(self.ws, assessment_id, path)

    def import_bundle(self, path: str) -> Any:
        from app.services import sync

        return sync.import_bundle(self.ws, path)

    # -- backups -----------------------------------------------------------------------------

    def list_backups(self) -> list[BackupRow]:
        from app.services import backups

        return [
            BackupRow(name=b.name, created_at=b.created_at, size=b.size, kind=b.kind)
            for b in backups.list_backups(self.ws)
        ]

    def create_backup(self) -> str:
        from app.services import backups

        return backups.create_backup(self.ws).name

    def restore_backup(self, name: str) -> str:
        from app.services import backups

        chosen, _saved = backups.restore_backup(self.ws, name)
        return chosen.name


def _form_label(q: Any, core: bool) -> str:
    from app.common.i18n import pick
    from app.ui.i18n import _, current_language

    kind = _("core") if core else _("full")
    title = pick(q.title, current_language())
    count = sum(len(s.indicators) for d in q.domains for s in d.sections)
    questions = _("{count} questions").format(count=count)
    return f"{title} · {q.version} · {kind} · {questions}"


def _row(item: Any, syncing: bool) -> AssessmentRow:
    """An assessment summary from the service as the home table's plain row."""
    pending = int(getattr(item, "pending_sync", 0) or 0)
    return AssessmentRow(
        id=item.id,
        city=item.city,
        country=item.country,
        period=item.period,
        status=item.status,
        progress=float(item.progress),
        levels=tuple(item.levels.items()),
        sync_state=(("pending" if pending else "synced") if syncing and item.syncs else "local"),
        questionnaire=f"{item.questionnaire_id} {item.questionnaire_version}",
        language=item.language,
    )
