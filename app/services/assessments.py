"""Assessments: create, list, find by id prefix, read as a snapshot, change status.

Each function is one unit of work on an open Workspace. Status changes and header changes are
immutable `assessment_event` records (they travel in sync); `assessment.status` is their
materialised value, written in the same transaction.
"""

from __future__ import annotations

import hashlib
from pathlib import Path
from typing import Any

from app.common.clock import iso_utc, new_id
from app.common.errors import NotFoundError, ValidationError
from app.common.i18n import check_language
from app.domain import (
    AnswerState,
    AssessmentHeader,
    AssessmentSnapshot,
    AssessmentStatus,
    Contributor,
    Questionnaire,
    ReasonRequired,
    ScoreResult,
    needs_reason,
)
from app.services.contributors import answering_in
from app.services.workspace import (
    Workspace,
    cached_questionnaire,
    clean_name,
    remember_questionnaire,
)

# ---------------------------------------------------------------------------------------------
# Creating


def read_form(form: str | Path, cache: Path | None = None) -> tuple[bytes, Questionnaire]:
    """The bytes and parsed questionnaire of a form file or shipped form id (DefinitionError).

    `cache`: a folder of parsed questionnaires to use (see questionnaire_cache)."""
    from app.forms import find_form
    from app.services import questionnaire_cache

    path = find_form(str(form))
    try:
        body = path.read_bytes()
    except OSError as exc:
        raise NotFoundError(f"{path}: cannot read: {exc.strerror or exc}") from exc
    cached = cached_questionnaire(sha256_of(body))
    if cached is not None:
        return body, cached
    return body, questionnaire_cache.load(body, str(path), cache)


def store_questionnaire(ws: Workspace, conn: Any, body: bytes, questionnaire: Questionnaire) -> str:
    """Keep the exact file bytes (once) and queue them for the hub; returns their SHA-256."""
    from app.storage import catalog
    from app.storage.outbox import add_outbox

    sha256 = remember_questionnaire(body, questionnaire)
    now = ws.now()
    if catalog.put_questionnaire(conn, sha256, questionnaire.id, questionnaire.version, body, now):
        add_outbox(conn, "questionnaire", sha256, new_id(), now)
    return sha256


def create_assessment(
    ws: Workspace,
    city: str,
    country: str,
    period: str,
    form: str | Path,
    language: str = "en",
    contributor: Contributor | str | None = None,
    role: str | None = None,
) -> str:
    """A new draft assessment pinned to the exact questionnaire file; returns its id."""
    body, questionnaire = read_form(form, ws.cache)
    city = clean_name(city, "the city")
    country = clean_name(country, "the country")
    period = clean_name(period, "the period")
    check_language(language)
    with ws.write() as conn:
        return insert_assessment(
            ws, conn, city, country, period, language, body, questionnaire, contributor, role
        )


def insert_assessment(
    ws: Workspace,
    conn: Any,
    city: str,
    country: str,
    period: str,
    language: str,
    body: bytes,
    questionnaire: Questionnaire,
    contributor: Contributor | str | None = None,
    role: str | None = None,
    previous_id: str | None = None,
    *,
    demo: bool = False,
) -> str:
    """Create an assessment inside the caller's transaction. Its creator answers it on this
    laptop until someone switches; a demo never touches this laptop's user."""
    from app.services import contributors
    from app.services.workspace import LOCAL_CONTRIBUTOR
    from app.storage import assessments_repo, catalog, demo_marks
    from app.storage.outbox import add_outbox
    from app.storage.records import AssessmentRecord, EventRecord, city_key

    if isinstance(contributor, Contributor):
        creator = contributor
    elif contributor is None:
        creator = contributors.laptop_user(ws, conn)
    else:
        creator = contributors.named(ws, conn, contributor, role, in_demo=demo).contributor
    if (
        contributor is not None
        and not demo
        and catalog.get_setting(conn, LOCAL_CONTRIBUTOR) is None
    ):
        catalog.set_setting(conn, LOCAL_CONTRIBUTOR, creator.id)
    sha256 = store_questionnaire(ws, conn, body, questionnaire)
    now = ws.now()
    record = AssessmentRecord(
        id=new_id(),
        city=city,
        country=country,
        period=period,
        language=language,
        questionnaire_sha256=sha256,
        status=AssessmentStatus.DRAFT,
        created_at=now,
        created_by=creator.id,
        previous_assessment_id=previous_id,
        city_key=city_key(city, country),
        device_id=ws.device_id,
    )
    assessments_repo.insert_assessment(conn, record)
    add_outbox(conn, "assessment", record.id, new_id(), now)
    if demo:
        demo_marks.mark_assessment(conn, record.id)
    contributors.remember(conn, record.id, creator.id)
    event = EventRecord(
        id=new_id(),
        assessment_id=record.id,
        kind="created",
        payload={
            "city": city,
            "country": country,
            "period": period,
            "language": language,
            "questionnaire": sha256,
            "previous_assessment_id": previous_id,
            "role": role or creator.role,
        },
        author_id=creator.id,
        device_id=ws.device_id,
        hlc=ws.clock.now(),
        created_at=now,
    )
    assessments_repo.insert_event(conn, event)
    add_outbox(conn, "assessment_event", event.id, new_id(), now)
    return record.id


# ---------------------------------------------------------------------------------------------
# Finding and reading


def resolve_assessment_id(ws: Workspace, prefix: str) -> str:
    """The full id of the one assessment whose id starts with `prefix`."""
    from app.storage import assessments_repo

    wanted = (prefix or "").strip().lower()
    if not wanted:
        raise ValidationError("give an assessment id (any unique beginning of it)")
    with ws.read() as conn:
        found = assessments_repo.ids_with_prefix(conn, wanted)
    if not found:
        raise NotFoundError(
            f"no assessment with an id starting {prefix!r} (see `readiness assess list`)"
        )
    if len(found) > 1:
        shown = ", ".join(f[:13] for f in found[:4])
        raise ValidationError(
            f"{prefix!r} matches more than one assessment ({shown}...); give more of the id"
        )
    return found[0]


def require_assessment(conn: Any, assessment_id: str) -> Any:
    from app.storage import assessments_repo

    record = assessments_repo.get_assessment(conn, assessment_id)
    if record is None:
        raise NotFoundError(f"no assessment {assessment_id}")
    return record


def load_questionnaire_for(ws: Workspace, assessment_id: str) -> Questionnaire:
    """The questionnaire the assessment pinned, parsed from its stored bytes."""
    with ws.read() as conn:
        record = require_assessment(conn, assessment_id)
        return ws.questionnaire(conn, record.questionnaire_sha256)


def header_of(record: Any) -> AssessmentHeader:
    return AssessmentHeader(
        id=record.id,
        city=record.city,
        country=record.country,
        period=record.period,
        language=record.language,
        status=record.status,
        questionnaire_id=record.questionnaire_id,
        questionnaire_version=record.questionnaire_version,
        questionnaire_hash=record.questionnaire_sha256,
        created_at=record.created_at,
        previous_assessment_id=record.previous_assessment_id,
    )


def snapshot_in(
    ws: Workspace, conn: Any, record: Any, with_revisions: bool = True
) -> AssessmentSnapshot:
    """Build a snapshot inside an open transaction."""
    from app.scoring import score
    from app.services.city_answers import derive, settle
    from app.storage import answers_repo, catalog, demo_marks

    questionnaire = ws.questionnaire(conn, record.questionnaire_sha256)
    heads = answers_repo.heads_for_assessment(conn, record.id)
    revisions = answers_repo.revisions_for_assessment(conn, record.id) if with_revisions else []
    people = answers_repo.contributor_ids(conn, record.id)
    wanted = set(people) | {r.author_id for r in revisions if r.author_id}
    wanted |= {h.author_id for h in heads if h.author_id}
    contributors = catalog.get_contributors(conn, wanted)
    derivation = derive(questionnaire, heads, contributors)
    result = score(questionnaire, derivation.scoring_answers, derivation.disputed)
    marks = demo_marks.read_marks(conn)
    if record.id not in marks.assessments and marks.people:
        # A demo person named here by an earlier version's mistake is not one of its
        # contributors once their answers were reassigned (the revisions stay in the history).
        holding = {h.subject for h in heads if h.answer.state is not AnswerState.UNANSWERED}
        people = [c for c in people if c not in marks.people or c in holding]
    return AssessmentSnapshot(
        header=header_of(record),
        questionnaire=questionnaire,
        contributors=tuple(
            sorted((contributors[c] for c in people if c in contributors), key=lambda c: c.name)
        ),
        answers=settle(questionnaire, derivation, result),
        score=result,
        revisions=tuple(r.to_domain(contributors.get(r.author_id or "")) for r in revisions),
        generated_at=iso_utc(),
    )


def load_snapshot(
    ws: Workspace, assessment_id: str, with_revisions: bool = True
) -> AssessmentSnapshot:
    """Everything about one assessment now: header, questionnaire, city answers, score, history."""
    with ws.read() as conn:
        record = require_assessment(conn, assessment_id)
        return snapshot_in(ws, conn, record, with_revisions)


def score_in(ws: Workspace, conn: Any, record: Any) -> ScoreResult:
    """The assessment's score now, inside an open transaction (what snapshot_in scores)."""
    from app.scoring import score
    from app.services.city_answers import derive
    from app.storage import answers_repo, catalog

    questionnaire = ws.questionnaire(conn, record.questionnaire_sha256)
    heads = answers_repo.heads_for_assessment(conn, record.id)
    people = {h.subject for h in heads} | {h.author_id for h in heads if h.author_id}
    derivation = derive(questionnaire, heads, catalog.get_contributors(conn, people))
    return score(questionnaire, derivation.scoring_answers, derivation.disputed)


def progress_of(result: ScoreResult) -> float:
    applicable = sum(d.applicable for d in result.domains.values())
    if applicable == 0:
        return 0.0
    answered = sum(d.completeness * d.applicable for d in result.domains.values())
    return round(min(1.0, answered / applicable), 3)


# ---------------------------------------------------------------------------------------------
# Status


def set_status(ws: Workspace, assessment_id: str, status: str, reason: str | None = None) -> str:
    """draft -> in_review -> final; going back needs a reason (`needs_reason`). Returns the status.

    Raises ReasonRequired (a ValidationError) for a move back without one.
    """
    from app.storage import assessments_repo
    from app.storage.outbox import add_outbox
    from app.storage.records import EventRecord

    if status not in AssessmentStatus.ALL:
        raise ValidationError(
            f"unknown status {status!r}: use one of {', '.join(AssessmentStatus.ALL)}"
        )
    reason = " ".join((reason or "").split())
    with ws.write() as conn:
        record = require_assessment(conn, assessment_id)
        current = record.status
        if current == status:
            return status
        if needs_reason(current, status) and not reason:
            raise ReasonRequired(assessment_id, current, status)
        author = answering_in(ws, conn, assessment_id)
        now = ws.now()
        event = EventRecord(
            id=new_id(),
            assessment_id=assessment_id,
            kind="status",
            payload={"from": current, "to": status, "reason": reason},
            author_id=author.id,
            device_id=ws.device_id,
            hlc=ws.clock.now(),
            created_at=now,
        )
        assessments_repo.insert_event(conn, event)
        assessments_repo.set_status(conn, assessment_id, status)
        add_outbox(conn, "assessment_event", event.id, new_id(), now)
    return status


def status_history(ws: Workspace, assessment_id: str) -> list[dict[str, Any]]:
    """The assessment's events (created, status and header changes), oldest first."""
    from app.storage import assessments_repo, catalog

    with ws.read() as conn:
        require_assessment(conn, assessment_id)
        events = assessments_repo.list_events(conn, assessment_id)
        people = catalog.get_contributors(conn, {e.author_id for e in events if e.author_id})
    return [
        {
            "id": e.id,
            "kind": e.kind,
            "at": e.created_at,
            "by": people[e.author_id].name if e.author_id in people else None,
            **e.payload,
        }
        for e in events
    ]


def sha256_of(body: bytes) -> str:
    return hashlib.sha256(body).hexdigest()
