"""Assessments over time: the next round of a city, and moving a draft to a newer questionnaire."""

from __future__ import annotations

from pathlib import Path

from app.common.clock import new_id
from app.common.errors import ValidationError
from app.domain import AnswerState, AssessmentStatus
from app.services.assessments import (
    insert_assessment,
    read_form,
    require_assessment,
    snapshot_in,
    store_questionnaire,
)
from app.services.contributors import answering_in
from app.services.workspace import Workspace, clean_name


def start_next_round(ws: Workspace, previous_id: str, period: str) -> str:
    """A new assessment of the same city for `period`, pinned to the same questionnaire.

    The previous round's city answers become this laptop user's answers, each marked *to confirm*
    (a starting point, not a claim). Returns the new assessment's id.
    """
    from app.services.answers import write_revision
    from app.storage import catalog, demo_marks

    period = clean_name(period, "the period")
    with ws.write() as conn:
        previous = require_assessment(conn, previous_id)
        snapshot = snapshot_in(ws, conn, previous, with_revisions=False)
        body = catalog.questionnaire_body(conn, previous.questionnaire_sha256)
        assert body is not None
        who = answering_in(ws, conn, previous.id)
        new_id_ = insert_assessment(
            ws,
            conn,
            previous.city,
            previous.country,
            period,
            previous.language,
            body,
            snapshot.questionnaire,
            who,
            previous_id=previous.id,
            demo=demo_marks.is_demo(conn, previous.id),  # a demo's next round is a demo too
        )
        for indicator_id, city in snapshot.answers.items():
            if city.answer.state is AnswerState.UNANSWERED or city.disagreement:
                continue  # nothing agreed to carry over
            write_revision(
                ws, conn, new_id_, indicator_id, who.id, city.answer, who, to_confirm=True
            )
    return new_id_


def move_to_version(ws: Workspace, assessment_id: str, form: str | Path) -> str:
    """Pin a draft to another questionnaire version; returns the assessment id.

    Answers are carried by indicator id; an id the new version `replaces` is carried to its new
    id when the answer is valid there. Answers of retired ids stay in the history (revisions are
    never deleted) but no longer count. Carried answers are new revisions that name the old one in
    their rationale.
    """
    from app.logic.values import check_answer
    from app.storage import answers_repo, assessments_repo
    from app.storage.outbox import add_outbox
    from app.storage.records import EventRecord

    body, questionnaire = read_form(form)
    with ws.write() as conn:
        record = require_assessment(conn, assessment_id)
        if record.status != AssessmentStatus.DRAFT:
            raise ValidationError(
                f"assessment {record.id[:8]} is {record.status}; only a draft can move to "
                "another questionnaire version"
            )
        old = ws.questionnaire(conn, record.questionnaire_sha256)
        if old.id != questionnaire.id:
            raise ValidationError(
                f"{questionnaire.id} is a different questionnaire from {old.id}; "
                "start a new assessment instead"
            )
        sha256 = store_questionnaire(ws, conn, body, questionnaire)
        if sha256 == record.questionnaire_sha256:
            return str(record.id)
        now = ws.now()
        event = EventRecord(
            id=new_id(),
            assessment_id=record.id,
            kind="header",
            payload={"questionnaire": {"from": record.questionnaire_sha256, "to": sha256}},
            author_id=answering_in(ws, conn, record.id).id,
            device_id=ws.device_id,
            hlc=ws.clock.now(),
            created_at=now,
        )
        assessments_repo.insert_event(conn, event)
        add_outbox(conn, "assessment_event", event.id, new_id(), now)
        assessments_repo.set_questionnaire(conn, record.id, sha256)
        replaced = dict(questionnaire.replaces)
        heads = answers_repo.heads_for_assessment(conn, record.id)
        existing = {(h.indicator_id, h.subject) for h in heads}
        from app.services.answers import write_revision
        from app.storage import catalog

        for head in heads:
            new_indicator = replaced.get(head.indicator_id)
            if new_indicator is None or not questionnaire.has_indicator(new_indicator):
                continue  # kept by id, or retired (stays in the history)
            if (new_indicator, head.subject) in existing:
                continue  # already answered under the new id
            try:
                answer = check_answer(questionnaire.indicator(new_indicator), head.answer)
            except ValidationError:
                continue  # not valid under the new definition: the old revision keeps it
            author = catalog.get_contributor(conn, head.author_id or "") or answering_in(
                ws, conn, record.id
            )
            write_revision(
                ws,
                conn,
                record.id,
                new_indicator,
                head.subject,
                answer,
                author,
                rationale=f"carried from {head.indicator_id} (questionnaire {questionnaire.version})",
                to_confirm=head.to_confirm,
            )
            existing.add((new_indicator, head.subject))
    return str(record.id)
