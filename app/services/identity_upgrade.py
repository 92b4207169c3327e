"""Data written before the demo kept its people to itself: find them once, keep them apart.

Earlier versions made the demo's fictional coordinator this laptop's user, so answers given in
real assessments were attributed to a person of the demo city. `ensure_checked` runs once per
data folder (inside the first write unit of work that asks who someone is): it marks the demo
assessment and its people (the names in the demo answers file who appear in the demo), so that
no name resolves to them outside the demo any more. A demo person named outside the demo is
marked *former*: their record still travels, because the history that names them does.
"""

from __future__ import annotations

import json
import logging
from dataclasses import dataclass
from typing import Any

from app.common.errors import ValidationError
from app.domain import Answer, AnswerState, Contributor
from app.services.workspace import LOCAL_CONTRIBUTOR, Workspace

log = logging.getLogger("readiness.identity")

CHECKED = "identity.demo_people_checked"


def demo_names(source: Any = None) -> set[str]:
    """The names of the people in the demo answers file (coordinator and contributors)."""
    from app.services.demo import demo_file

    path = source or demo_file()
    try:
        data = json.loads(path.read_text(encoding="utf-8"))
    except (OSError, ValueError) as exc:
        log.warning("demo answers file %s not read: %s", path, exc)
        return set()
    people = [data.get("coordinator")] + list(data.get("contributors") or [])
    return {
        " ".join(p["name"].split())
        for p in people
        if isinstance(p, dict) and isinstance(p.get("name"), str)
    }


def ensure_checked(ws: Workspace, conn: Any) -> None:
    """Mark the demo and its people once per data folder (inside a write unit of work)."""
    from app.storage import answers_repo, assessments_repo, catalog, demo_marks

    if catalog.get_setting(conn, CHECKED):
        return
    demo_id = catalog.get_setting(conn, demo_marks.DEMO_ASSESSMENT)
    if demo_id and assessments_repo.get_assessment(conn, demo_id) is not None:
        demo_marks.mark_assessment(conn, demo_id)
        demos = demo_marks.demo_assessments(conn)
        names = demo_names()
        people = catalog.get_contributors(conn, answers_repo.contributor_ids(conn, demo_id))
        for person in people.values():
            if person.name not in names or person.device_id != ws.device_id:
                continue
            if demo_marks.referenced_outside(conn, person.id, demos):
                demo_marks.mark_former(conn, person.id)
            else:
                demo_marks.mark_person(conn, person.id)
            if catalog.get_setting(conn, LOCAL_CONTRIBUTOR) == person.id:
                catalog.delete_setting(conn, LOCAL_CONTRIBUTOR)
    catalog.set_setting(conn, CHECKED, "1")


# ---------------------------------------------------------------------------------------------
# Answers attributed to a demo person outside the demo: the one-time notice and the correction

NOTICE_SHOWN = "identity.demo_notice_shown"
REASSIGNED = (
    "reassigned to {to}: it had been attributed to {person}, a person of the demo city, by mistake"
)


@dataclass(frozen=True)
class Misattributed:
    """Current answers of one assessment attributed to one demo person."""

    assessment_id: str
    city: str
    country: str
    period: str
    person: Contributor
    own: tuple[str, ...]  # indicators whose answer is keyed to the demo person
    city_answers: tuple[str, ...]  # indicators whose city answer the demo person set

    @property
    def count(self) -> int:
        return len(self.own) + len(self.city_answers)


def _found(ws: Workspace, conn: Any) -> list[Misattributed]:
    from app.storage import answers_repo, assessments_repo, catalog, demo_marks
    from app.storage.records import CITY

    ensure_checked(ws, conn)
    people = demo_marks.demo_people(conn)
    if not people:
        return []
    demos = demo_marks.demo_assessments(conn)
    names = catalog.get_contributors(conn, people)
    found = []
    for record in assessments_repo.list_assessments(conn):
        if record.id in demos:
            continue
        own: dict[str, list[str]] = {}
        city: dict[str, list[str]] = {}
        for head in answers_repo.heads_for_assessment(conn, record.id):
            if head.subject in people and head.answer.state is not AnswerState.UNANSWERED:
                own.setdefault(head.subject, []).append(head.indicator_id)
            elif head.subject == CITY and head.author_id in people:
                city.setdefault(head.author_id, []).append(head.indicator_id)
        for person_id in sorted(set(own) | set(city)):
            found.append(
                Misattributed(
                    record.id,
                    record.city,
                    record.country,
                    record.period,
                    names.get(person_id) or Contributor(person_id, person_id),
                    tuple(sorted(set(own.get(person_id, ())))),
                    tuple(sorted(set(city.get(person_id, ())))),
                )
            )
    return found


def misattributed(ws: Workspace) -> list[Misattributed]:
    """Every assessment's current answers attributed to a demo person outside the demo."""
    with ws.write() as conn:  # the one-time check may mark people first
        return _found(ws, conn)


def notice(ws: Workspace) -> list[Misattributed]:
    """What the one-time notice lists: the same, once per data folder (then [] forever)."""
    from app.storage import catalog

    with ws.write() as conn:
        if catalog.get_setting(conn, NOTICE_SHOWN):
            return []
        found = _found(ws, conn)
        # Once is enough even when nothing was found: this version never attributes answers
        # to the demo's people, so nothing new can appear.
        catalog.set_setting(conn, NOTICE_SHOWN, ws.now())
        return found


def reassign(
    ws: Workspace, assessment_id: str, person: str, to: str, role: str | None = None
) -> tuple[Contributor, int]:
    """Give a demo person's current answers in this assessment to the right contributor, as new
    revisions that say so: the person's own answers become `to`'s (unless `to` already answered
    that question) and are withdrawn from the demo person; city answers they set are recorded
    again by `to` with the same value. Earlier revisions stay as they are (the history shows the
    mistake and its correction). Returns (the contributor, how many answers moved)."""
    from app.services.answers import _editable, write_revision
    from app.services.assessments import require_assessment
    from app.services.contributors import acting, remember
    from app.storage import answers_repo, catalog
    from app.storage.records import CITY

    with ws.write() as conn:
        record = require_assessment(conn, assessment_id)
        _editable(record)
        groups = [g for g in _found(ws, conn) if g.assessment_id == record.id]
        wanted = person.strip()
        group = next(
            (g for g in groups if wanted in (g.person.id, g.person.name)),
            None,
        )
        if group is None:
            listed = ", ".join(sorted({g.person.name for g in groups})) or "none"
            raise ValidationError(
                f"assessment {record.id[:8]} has no answers attributed to a demo person named "
                f"{person!r} (demo people with answers here: {listed})"
            )
        target = acting(ws, conn, record.id, to, role).contributor
        why = REASSIGNED.format(to=target.name, person=group.person.name)
        heads = answers_repo.heads_for_assessment(conn, record.id)
        mine = {
            h.indicator_id
            for h in heads
            if h.subject == target.id and h.answer.state is not AnswerState.UNANSWERED
        }
        moved = 0
        done: set[tuple[str, str]] = set()  # a key with concurrent heads is corrected once
        for head in heads:
            if (head.indicator_id, head.subject) in done:
                continue
            done.add((head.indicator_id, head.subject))
            if head.subject == group.person.id and head.indicator_id in group.own:
                if head.indicator_id not in mine:
                    write_revision(
                        ws,
                        conn,
                        record.id,
                        head.indicator_id,
                        target.id,
                        head.answer,
                        target,
                        rationale=why,
                        attachments=head.attachments,
                    )
                    mine.add(head.indicator_id)
                write_revision(
                    ws,
                    conn,
                    record.id,
                    head.indicator_id,
                    group.person.id,
                    Answer(state=AnswerState.UNANSWERED),
                    target,
                    rationale=why,
                )
                moved += 1
            elif head.subject == CITY and head.indicator_id in group.city_answers:
                reason = f"{head.rationale} ({why})" if head.rationale else why
                write_revision(
                    ws,
                    conn,
                    record.id,
                    head.indicator_id,
                    CITY,
                    head.answer,
                    target,
                    rationale=reason[:10_000],
                    attachments=head.attachments,
                )
                moved += 1
        if catalog.get_setting(conn, _answering_key(record.id)) in (None, group.person.id):
            remember(conn, record.id, target.id)
    return target, moved


def _answering_key(assessment_id: str) -> str:
    from app.services.contributors import ANSWERING

    return ANSWERING + assessment_id
