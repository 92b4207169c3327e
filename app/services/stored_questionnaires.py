"""Questionnaire files kept in the database: those received from a hub or a bundle, and
those assessments were created with."""

from __future__ import annotations

from collections.abc import Container
from typing import Any


def stored_questionnaire_files(
    ws: Any, skip: Container[tuple[str, str]] = ()
) -> list[tuple[str, str, bytes]]:
    """(id, version, file bytes) of each stored questionnaire, except the (id, version) pairs
    in `skip`, in one read unit of work."""
    from app.storage import catalog

    with ws.read() as conn:
        found = []
        for form_id, version, sha256 in catalog.questionnaire_versions(conn):
            if (form_id, version) in skip:
                continue
            body = catalog.questionnaire_body(conn, sha256)
            if body is not None:
                found.append((form_id, version, body))
    return found
