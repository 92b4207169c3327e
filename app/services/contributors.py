"""Who is answering: the person each answer, city answer and status change is attributed to.

One rule for the window and the command line, per assessment on this laptop:

1. a name given for this one action (`--contributor NAME`): found, or registered on first use
   (the caller is told, so a typo never passes silently as someone else);
2. else the contributor chosen for this assessment here (whoever created it, or the last
   "Switch contributor..."), remembered per assessment in this data folder's settings (a
   contributor registered on another laptop is never chosen by default);
3. else this laptop's user (Settings > contributor identity, or the login name on first use).

The demo's fictional people exist only inside a demo assessment: outside it no name resolves to
them, and they are never this laptop's user (`storage.demo_marks` keeps them off the hub).
"""

from __future__ import annotations

import getpass
from dataclasses import dataclass
from typing import Any

from app.common.clock import new_id
from app.common.errors import ValidationError
from app.domain import Contributor
from app.services.workspace import LOCAL_CONTRIBUTOR, Workspace, clean_name

ANSWERING = "answering."  # + assessment id -> the contributor id answering it on this laptop


@dataclass(frozen=True)
class Resolved:
    contributor: Contributor
    registered: bool  # True when this name was new here and has just been added


# ---------------------------------------------------------------------------------------------
# Inside the caller's transaction


def marks(ws: Workspace, conn: Any, *keys: str) -> Any:
    """The demo marks (after the one-time check of data written before they existed) and the
    settings named by `keys`, in one read. Call inside a write unit of work."""
    from app.services.identity_upgrade import CHECKED, ensure_checked
    from app.storage import demo_marks

    found = demo_marks.read_marks(conn, CHECKED, *keys)
    if CHECKED not in found.settings:
        ensure_checked(ws, conn)
        found = demo_marks.read_marks(conn, CHECKED, *keys)
    return found


def demo_people(ws: Workspace, conn: Any) -> set[str]:
    """Ids of the demo's fictional people. Call inside a write unit of work."""
    return set(marks(ws, conn).people)


def find_named(ws: Workspace, conn: Any, name: str, *, in_demo: bool) -> Contributor | None:
    """The contributor with this exact name (this laptop's first), never a demo person outside
    a demo; inside a demo the demo's own people come first."""
    from app.storage import catalog

    # Only this laptop's people: the hub accepts a revision only from the device its author is
    # registered on, so the same name on another laptop is another registration here.
    found = [c for c in catalog.contributors_named(conn, name, ws.device_id) if _local(ws, c)]
    fictional = demo_people(ws, conn) if found else set()
    if in_demo:
        found.sort(key=lambda c: c.id not in fictional)  # stable: keeps this laptop's first
        return found[0] if found else None
    real = [c for c in found if c.id not in fictional]
    return real[0] if real else None


def named(
    ws: Workspace,
    conn: Any,
    name: str,
    role: str | None = None,
    institution: str = "",
    *,
    in_demo: bool = False,
) -> Resolved:
    """The contributor called `name`, registered (and queued for the hub) when new."""
    from app.storage import catalog
    from app.storage.outbox import add_outbox

    name = clean_name(name, "the contributor name")
    found = find_named(ws, conn, name, in_demo=in_demo)
    if found is not None:
        return Resolved(found, False)
    contributor = Contributor(
        id=new_id(),
        name=name,
        role=" ".join((role or "").split()),
        institution=" ".join((institution or "").split()),
        device_id=ws.device_id,
    )
    now = ws.now()
    catalog.insert_contributor(conn, contributor, now)
    add_outbox(conn, "contributor", contributor.id, new_id(), now)
    return Resolved(contributor, True)


def laptop_user(ws: Workspace, conn: Any, known: Any = None) -> Contributor:
    """This laptop's user; on first use a contributor named after the login name. A demo
    person is never the laptop's user (data from before this rule is read past). `known`: the
    caller's `marks(..., LOCAL_CONTRIBUTOR)`."""
    from app.storage import catalog

    known = known or marks(ws, conn, LOCAL_CONTRIBUTOR)
    chosen = known.settings.get(LOCAL_CONTRIBUTOR)
    if chosen:
        found = catalog.get_contributor(conn, chosen)
        if found is not None and found.id not in known.people:
            return found
    try:
        login = getpass.getuser()
    except (OSError, KeyError):
        login = ""
    user = named(ws, conn, login or "Local user").contributor
    catalog.set_setting(conn, LOCAL_CONTRIBUTOR, user.id)
    return user


def answering_in(ws: Workspace, conn: Any, assessment_id: str) -> Contributor:
    """Who is answering this assessment on this laptop now (rules 2 and 3 above). With no
    choice remembered (data from earlier versions), its creator if created on this laptop."""
    from app.storage import assessments_repo, catalog

    known = marks(ws, conn, ANSWERING + assessment_id, LOCAL_CONTRIBUTOR)
    chosen = known.settings.get(ANSWERING + assessment_id)
    found = catalog.get_contributor(conn, chosen) if chosen else None
    if found is None:
        record = assessments_repo.get_assessment(conn, assessment_id)
        creator = record.created_by if record is not None else None
        found = catalog.get_contributor(conn, creator) if creator else None
        if found is not None and found.device_id != ws.device_id:
            found = None
    if found is not None and (assessment_id in known.assessments or found.id not in known.people):
        return found
    return laptop_user(ws, conn, known)


def acting(
    ws: Workspace,
    conn: Any,
    assessment_id: str,
    who: Contributor | str | None,
    role: str | None = None,
) -> Resolved:
    """The contributor an action on this assessment is attributed to (rules 1 to 3); `role` is
    given to a name registered now."""
    from app.storage import catalog

    if who is None:
        return Resolved(answering_in(ws, conn, assessment_id), False)
    known = marks(ws, conn)
    in_demo = assessment_id in known.assessments
    if isinstance(who, Contributor):
        found = catalog.get_contributor(conn, who.id)
        if found is None:
            raise ValidationError(f"contributor {who.id} is not known on this laptop")
        who = found
    else:
        text = who.strip()
        by_id = catalog.get_contributor(conn, text) if text else None
        if by_id is None:
            return named(ws, conn, text, role, in_demo=in_demo)
        who = by_id
    if not in_demo and who.id in known.people:
        raise ValidationError(
            f"{who.name} is a person of the demo city; outside the demo, answer as yourself"
        )
    if not _local(ws, who):
        # someone registered on another laptop answers here: as this laptop's own registration
        return named(ws, conn, who.name, who.role or role, in_demo=in_demo)
    return Resolved(who, False)


def _local(ws: Workspace, contributor: Contributor) -> bool:
    return not contributor.device_id or contributor.device_id == ws.device_id


def remember(conn: Any, assessment_id: str, contributor_id: str) -> None:
    from app.storage import catalog

    catalog.set_setting(conn, ANSWERING + assessment_id, contributor_id)


# ---------------------------------------------------------------------------------------------
# Units of work the faces call


def who_is_answering(ws: Workspace, assessment_id: str) -> Contributor:
    """Who this laptop attributes this assessment's answers to now."""
    with ws.write() as conn:  # the laptop user may be created on first use
        return answering_in(ws, conn, assessment_id)


def switch_contributor(
    ws: Workspace, assessment_id: str, name: str, role: str | None = None
) -> Resolved:
    """Answer this assessment as `name` from now on (on this laptop), registering a new name."""
    from app.services.assessments import require_assessment

    with ws.write() as conn:
        require_assessment(conn, assessment_id)
        resolved = acting(ws, conn, assessment_id, name, role)
        remember(conn, assessment_id, resolved.contributor.id)
    return resolved


def contributors_of(ws: Workspace, assessment_id: str) -> list[Contributor]:
    """The people who can be picked for this assessment on this laptop: everyone registered here
    who answered it or created it, and whoever answers it here now (demo people only inside a
    demo). People of other laptops answer there; picking their name here registers it here."""
    from app.services.assessments import require_assessment
    from app.storage import answers_repo, catalog, demo_marks

    with ws.write() as conn:
        require_assessment(conn, assessment_id)
        current = answering_in(ws, conn, assessment_id)
        ids = set(answers_repo.contributor_ids(conn, assessment_id)) | {current.id}
        people = {k: v for k, v in catalog.get_contributors(conn, ids).items() if _local(ws, v)}
        if not demo_marks.is_demo(conn, assessment_id):
            fictional = demo_people(ws, conn)
            people = {k: v for k, v in people.items() if k not in fictional}
    return sorted(people.values(), key=lambda c: (c.name.casefold(), c.id))


def contributor_for(ws: Workspace, assessment_id: str, who: Contributor | str | None) -> Resolved:
    """Resolve (and register, when new) who an action on this assessment is attributed to, in
    its own unit of work, so a face can say so before saving."""
    from app.services.assessments import require_assessment

    with ws.write() as conn:
        require_assessment(conn, assessment_id)
        return acting(ws, conn, assessment_id, who)


def is_known(ws: Workspace, assessment_id: str, who: str) -> bool:
    """Whether `who` (an id or a name) resolves to someone already known for this assessment."""
    from app.services.assessments import require_assessment
    from app.storage import catalog, demo_marks

    with ws.write() as conn:  # the one-time check of old data may mark people first
        require_assessment(conn, assessment_id)
        text = " ".join(who.split())
        if text and catalog.get_contributor(conn, text) is not None:
            return True
        in_demo = demo_marks.is_demo(conn, assessment_id)
        return bool(text) and find_named(ws, conn, text, in_demo=in_demo) is not None


def describe(contributor: Contributor) -> str:
    """`Name (role)`, as faces show who is answering."""
    return f"{contributor.name} ({contributor.role})" if contributor.role else contributor.name
