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
from typing import Any

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
