"""Answering: contributors' own answers, the coordinator's city answers, imports, attachments.

Saving an answer is ONE transaction: validate (nothing is written when the answer is invalid), read
the key's current heads, insert the immutable revision with those heads as parents, make it the
key's only head, insert its outbox row, COMMIT. The function returns only after the commit, so a
face may show "Saved" when it returns.
"""

from __future__ import annotations

import hashlib
import mimetypes
from collections.abc import Iterable, Mapping
from pathlib import Path
from typing import Any

from app.common.clock import new_id
from app.common.errors import NotFoundError, ValidationError
from app.domain import (
    Answer,
    AnswerState,
    AssessmentLocked,
    AssessmentStatus,
    CityAnswer,
    Contributor,
    Questionnaire,
    Revision,
)
from app.services.assessments import require_assessment
from app.services.contributors import acting, answering_in
from app.services.workspace import Workspace

MAX_ATTACHMENT = 50 * 1024 * 1024
MAX_RATIONALE = 10_000


def validate(questionnaire: Questionnaire, indicator_id: str, answer: Answer) -> Answer:
    """The normalised answer, or ValidationError naming the indicator."""
    from app.logic.values import check_answer

    if not questionnaire.has_indicator(indicator_id):
        raise ValidationError(
            f"unknown indicator {indicator_id!r} in questionnaire "
            f"{questionnaire.id} {questionnaire.version}"
        )
    return check_answer(questionnaire.indicator(indicator_id), answer)


def _editable(record: Any) -> None:
    if record.status == AssessmentStatus.FINAL:
        raise AssessmentLocked(record.id)


def write_revision(
    ws: Workspace,
    conn: Any,
    assessment_id: str,
    indicator_id: str,
    subject: str,
    answer: Answer,
    author: Contributor,
    *,
    rationale: str = "",
    attachments: Iterable[str] = (),
    to_confirm: bool = False,
) -> Revision:
    """Insert one already-validated revision inside the caller's transaction."""
    from app.storage import answers_repo, catalog
    from app.storage.records import RevisionRecord

    hashes = tuple(dict.fromkeys(attachments))
    if hashes:
        known = catalog.get_attachments(conn, hashes)
        missing = [h for h in hashes if h not in known]
        if missing:
            raise NotFoundError(f"unknown attachment {missing[0][:12]}; add the file first")
    from app.sync.merge import bounded_parents

    key = (assessment_id, indicator_id, subject)
    now = ws.now()

    def revision(parents: tuple[str, ...]) -> RevisionRecord:
        return RevisionRecord(
            id=new_id(),
            assessment_id=assessment_id,
            indicator_id=indicator_id,
            subject=subject,
            answer=answer,
            parents=parents,
            author_id=author.id,
            device_id=ws.device_id,
            hlc=ws.clock.now(),
            created_at=now,
            rationale=rationale,
            to_confirm=to_confirm,
            attachments=hashes,
        )

    def write_merge(group: tuple[str, ...]) -> str:
        # More concurrent heads than one revision may name: merge them in steps (same answer).
        step = revision(group)
        answers_repo.save_local_revision(conn, step, new_id(), now)
        return step.id

    record = revision(bounded_parents(answers_repo.head_ids(conn, key), write_merge))
    answers_repo.save_local_revision(conn, record, new_id(), now)
    return record.to_domain(author)


def save_answer(
    ws: Workspace,
    assessment_id: str,
    indicator_id: str,
    answer: Answer,
    contributor: Contributor | str | None = None,
    attachments: Iterable[str] = (),
) -> Revision:
    """A contributor's own answer (default: whoever answers this assessment on this laptop,
    see services.contributors). Returns after COMMIT."""
    with ws.write() as conn:
        record = require_assessment(conn, assessment_id)
        answer = validate(ws.questionnaire(conn, record.questionnaire_sha256), indicator_id, answer)
        _editable(record)
        who = acting(ws, conn, record.id, contributor).contributor
        return write_revision(
            ws, conn, record.id, indicator_id, who.id, answer, who, attachments=attachments
        )


def set_city_answer(
    ws: Workspace, assessment_id: str, indicator_id: str, answer: Answer, rationale: str
) -> Revision:
    """The coordinator's city answer for an indicator, with the reason. Returns after COMMIT."""
    from app.storage.records import CITY

    rationale = (rationale or "").strip()
    if not rationale:
        raise ValidationError("a city answer needs a rationale (why this answer)")
    if len(rationale) > MAX_RATIONALE:
        raise ValidationError(f"the rationale is longer than {MAX_RATIONALE:,} characters")
    with ws.write() as conn:
        record = require_assessment(conn, assessment_id)
        answer = validate(ws.questionnaire(conn, record.questionnaire_sha256), indicator_id, answer)
        _editable(record)
        author = answering_in(ws, conn, record.id)
        return write_revision(
            ws, conn, record.id, indicator_id, CITY, answer, author, rationale=rationale
        )


def import_answers(
    ws: Workspace,
    assessment_id: str,
    mapping: Mapping[str, Any],
    contributor: Contributor | str | None = None,
    source: str = "answers",
) -> int:
    """An answers-file mapping as one contributor's answers, all or nothing.

    Every entry is validated before anything is written; an error names the indicator. Entries
    equal to the contributor's current answer are skipped. Returns how many answers changed.
    """
    from app.logic.answers_file import parse_answers
    from app.storage import answers_repo

    with ws.write() as conn:
        record = require_assessment(conn, assessment_id)
        questionnaire = ws.questionnaire(conn, record.questionnaire_sha256)
        answers = parse_answers(questionnaire, mapping, source=source)
        _editable(record)
        who = acting(ws, conn, record.id, contributor).contributor
        current = {
            h.indicator_id: h.answer
            for h in answers_repo.heads_for_assessment(conn, record.id)
            if h.subject == who.id
        }
        written = 0
        for indicator_id, answer in answers.items():
            if current.get(indicator_id) == answer:
                continue
            write_revision(ws, conn, record.id, indicator_id, who.id, answer, who)
            written += 1
    return written


def answer_history(ws: Workspace, assessment_id: str, indicator_id: str) -> list[Revision]:
    """Every revision of the indicator (contributors' and city), oldest first.

    Each revision says to what (answer), from what (parents), who (author), when and why.
    """
    from app.storage import answers_repo, catalog

    with ws.read() as conn:
        record = require_assessment(conn, assessment_id)
        questionnaire = ws.questionnaire(conn, record.questionnaire_sha256)
        revisions = answers_repo.revisions_for_indicator(conn, record.id, indicator_id)
        if not revisions and not questionnaire.has_indicator(indicator_id):
            raise NotFoundError(f"unknown indicator {indicator_id!r} in this assessment")
        people = catalog.get_contributors(conn, {r.author_id for r in revisions if r.author_id})
    return [r.to_domain(people.get(r.author_id or "")) for r in revisions]


def list_disagreements(ws: Workspace, assessment_id: str) -> list[CityAnswer]:
    """City answers that need a person: contributors disagree, or concurrent edits conflict."""
    from app.services.assessments import load_snapshot

    snapshot = load_snapshot(ws, assessment_id, with_revisions=False)
    return [a for a in snapshot.answers.values() if a.disagreement or a.conflict]


def add_attachment(ws: Workspace, path: str | Path) -> str:
    """Keep a copy of a file as an attachment; returns its SHA-256 (the same file is kept once).

    The content is written (fsynced, renamed into place) before its row is committed, so a row
    never points at a missing file.
    """
    from app.common.fileio import atomic_write
    from app.storage import catalog
    from app.storage.outbox import add_outbox
    from app.storage.records import AttachmentRecord

    source = Path(path)
    try:
        size = source.stat().st_size
        if not source.is_file():
            raise NotFoundError(f"{source}: is not a file")
        if size > MAX_ATTACHMENT:
            raise ValidationError(f"{source}: larger than {MAX_ATTACHMENT // 2**20} MiB")
        content = source.read_bytes()
    except FileNotFoundError:
        raise NotFoundError(f"{source}: no such file") from None
    except OSError as exc:
        raise NotFoundError(f"{source}: cannot read: {exc.strerror or exc}") from None
    sha256 = hashlib.sha256(content).hexdigest()
    target = ws.paths.attachments / sha256
    if not target.exists() or target.stat().st_size != len(content):
        ws.paths.attachments.mkdir(parents=True, exist_ok=True)
        with atomic_write(target) as handle:
            handle.write(content)
    media_type = mimetypes.guess_type(source.name)[0] or "application/octet-stream"
    with ws.write() as conn:
        now = ws.now()
        if catalog.put_attachment(
            conn, AttachmentRecord(sha256, source.name, len(content), media_type, now)
        ):
            add_outbox(conn, "attachment", sha256, new_id(), now)
    return sha256


def answer_from_parts(
    questionnaire: Questionnaire,
    indicator_id: str,
    text: str | None,
    state: str | None = None,
    note: str | None = None,
    evidence: str | None = None,
) -> Answer:
    """An answer from command-line parts (VALUE text, --state, --note, --evidence), validated."""
    from app.logic.values import parse_state, parse_text_value

    if not questionnaire.has_indicator(indicator_id):
        raise ValidationError(
            f"unknown indicator {indicator_id!r} in questionnaire "
            f"{questionnaire.id} {questionnaire.version}"
        )
    indicator = questionnaire.indicator(indicator_id)
    answer_state = parse_state(indicator, state) if state else AnswerState.ANSWERED
    if answer_state is AnswerState.ANSWERED:
        if text is None:
            raise ValidationError(f"indicator {indicator_id}: give a value or --state")
        value = parse_text_value(indicator, text)
    else:
        if text is not None:
            raise ValidationError(
                f"indicator {indicator_id}: state {answer_state.value!r} cannot carry a value"
            )
        value = None
    answer = Answer(value=value, state=answer_state, note=note or "", evidence=evidence or None)
    return validate(questionnaire, indicator_id, answer)


def notes_without_answer(
    ws: Workspace, assessment_id: str, contributor_id: str
) -> dict[str, Answer]:
    """A contributor's current answers that hold only a note or an evidence type (no value and
    no state yet), per indicator: the snapshot leaves them out, the fill view still shows them."""
    from app.storage import answers_repo

    with ws.read() as conn:
        heads = answers_repo.heads_for_assessment(conn, assessment_id)
    return {
        h.indicator_id: h.answer
        for h in heads
        if h.subject == contributor_id
        and h.answer.state is AnswerState.UNANSWERED
        and (h.answer.note or h.answer.evidence)
    }
