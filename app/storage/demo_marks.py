"""Which records belong to a demo: they stay on this laptop (never sent, never bundled by default).

The marks are settings of this data folder (they never travel): the demo assessment's id
(`demo.assessment_id`, set when the demo is built), any other assessment marked as a demo (an
imported demo bundle), and the demo's fictional people. Every outgoing selection leaves out the
records `demo_record_ids()` names, so the filter holds for the outbox's counts and batches alike.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from sqlalchemy import Connection, Select, bindparam, func, insert, literal, select, union

from app.storage import tables as t

DEMO_FIELD = "demo"  # in a record's wire body: true for a demo's assessment and people
DEMO_ASSESSMENT = "demo.assessment_id"  # the demo this laptop built (see services.demo)
_ASSESSMENT = "demo.mark.assessment."
_PERSON = "demo.mark.contributor."  # a demo person whose records stay here
# A demo person that data written before these marks existed attributed answers to outside the
# demo: still never anyone's identity, but their record travels with the history that names them.
_FORMER = "demo.mark.former."


def _marked(prefix: str) -> Select[tuple[str]]:
    return select(func.substr(t.Setting.key, len(prefix) + 1)).where(
        t.Setting.key.like(prefix + "%")
    )


# Statements are built once (building one costs several times running it; saves read marks).
_DEMO_ASSESSMENTS = select(
    union(select(t.Setting.value).where(t.Setting.key == DEMO_ASSESSMENT), _marked(_ASSESSMENT))
    .subquery()
    .c[0]
)
_LOCAL_PEOPLE = _marked(_PERSON)
_DEMO_RECORDS = select(
    union(
        _DEMO_ASSESSMENTS,
        select(t.AssessmentEvent.id).where(t.AssessmentEvent.assessment_id.in_(_DEMO_ASSESSMENTS)),
        select(t.Revision.id).where(t.Revision.assessment_id.in_(_DEMO_ASSESSMENTS)),
        _LOCAL_PEOPLE,
    )
    .subquery()
    .c[0]
)
_KEYS = 4  # settings read together with the marks (fixed, so the statement compiles once)
_ALL_MARKS = select(t.Setting.key, t.Setting.value).where(
    t.Setting.key.in_([bindparam(f"k{n}") for n in range(_KEYS)])
    | ((t.Setting.key >= "demo.mark.") & (t.Setting.key < "demo.mark/"))  # the index, not LIKE
)


@dataclass(frozen=True)
class Marks:
    assessments: set[str]  # demo assessment ids
    people: set[str]  # every demo person's id (staying here, or former)
    settings: dict[str, str]  # the other settings asked for, when set


def demo_assessments_query() -> Select[tuple[str]]:
    return _DEMO_ASSESSMENTS


def local_people_query() -> Select[tuple[str]]:
    return _LOCAL_PEOPLE


def demo_record_ids() -> Select[tuple[str]]:
    """Ids of every record that belongs to a demo: assessments, their events and revisions,
    and the demo's fictional people."""
    return _DEMO_RECORDS


def read_marks(conn: Connection, *keys: str) -> Marks:
    """The demo marks, and the settings named by `keys`, in one read (saves call this)."""
    wanted = [DEMO_ASSESSMENT, *keys]
    if len(wanted) > _KEYS:
        raise ValueError(f"read_marks reads at most {_KEYS - 1} other settings")
    params = {f"k{n}": wanted[n] if n < len(wanted) else "" for n in range(_KEYS)}
    marks = Marks(set(), set(), {})
    for key, value in conn.execute(_ALL_MARKS, params):
        if key == DEMO_ASSESSMENT:
            if value:
                marks.assessments.add(value)
        elif key.startswith(_ASSESSMENT):
            marks.assessments.add(key[len(_ASSESSMENT) :])
        elif key.startswith(_PERSON):
            marks.people.add(key[len(_PERSON) :])
        elif key.startswith(_FORMER):
            marks.people.add(key[len(_FORMER) :])
        else:
            marks.settings[key] = value
    return marks


def mark_assessment(conn: Connection, assessment_id: str) -> None:
    _put(conn, _ASSESSMENT + assessment_id)


def mark_person(conn: Connection, contributor_id: str) -> None:
    _put(conn, _PERSON + contributor_id)


def mark_former(conn: Connection, contributor_id: str) -> None:
    _put(conn, _FORMER + contributor_id)


_HAS_KEY = select(literal(1)).where(t.Setting.key == bindparam("key"))


def _put(conn: Connection, key: str) -> None:
    if conn.execute(_HAS_KEY, {"key": key}).first() is None:
        conn.execute(insert(t.Setting).values(key=key, value="1"))


def demo_assessments(conn: Connection) -> set[str]:
    return read_marks(conn).assessments


def demo_people(conn: Connection) -> set[str]:
    """Every demo person: those whose records stay here and the former ones."""
    return read_marks(conn).people


def referenced_outside(conn: Connection, contributor_id: str, demo_ids: set[str]) -> bool:
    """Whether anything outside the demos names this contributor (author, subject, creator)."""
    outside = sorted(demo_ids)
    r, e, a = t.Revision, t.AssessmentEvent, t.Assessment
    queries = [
        select(literal(1)).where(
            r.assessment_id.not_in(outside),
            (r.author_id == contributor_id) | (r.subject == contributor_id),
        ),
        select(literal(1)).where(e.assessment_id.not_in(outside), e.author_id == contributor_id),
        select(literal(1)).where(a.id.not_in(outside), a.created_by == contributor_id),
    ]
    return any(conn.execute(q.limit(1)).first() is not None for q in queries)


def mark_bodies(conn: Connection, bodies: dict[tuple[str, str], dict[str, Any]]) -> None:
    """Say `"demo": true` in the wire body of each demo assessment and demo person, so that a
    demo exported on purpose stays a demo wherever it goes (and the hub refuses it)."""
    kinds = {kind for kind, _id in bodies}
    if not kinds & {"assessment", "contributor"}:
        return
    demos = demo_assessments(conn) if "assessment" in kinds else set()
    people: set[str] = set()
    if "contributor" in kinds:
        people = {str(v) for v in conn.execute(local_people_query()).scalars()}
    for (kind, record_id), body in bodies.items():
        if (kind == "assessment" and record_id in demos) or (
            kind == "contributor" and record_id in people
        ):
            body[DEMO_FIELD] = True


def is_demo(conn: Connection, assessment_id: str) -> bool:
    return assessment_id in demo_assessments(conn)
