"""The files attached to one person's current answers, as the fill view lists them."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any


@dataclass(frozen=True)
class AttachedFile:
    sha256: str  # the content's hash: the file in the data folder's attachments
    name: str  # the name it was attached with (the hash's start if that record is missing)


def attached_files(ws: Any, assessment_id: str, subject: str) -> dict[str, list[AttachedFile]]:
    """Per indicator, the files attached to `subject`'s current answer, in attaching order."""
    if not subject:
        return {}
    from app.storage import answers_repo, catalog

    with ws.read() as conn:
        heads = [
            h
            for h in answers_repo.heads_for_assessment(conn, assessment_id)
            if h.subject == subject and h.attachments
        ]
        known = catalog.get_attachments(conn, {a for h in heads for a in h.attachments})
    return {
        h.indicator_id: [
            AttachedFile(a, known[a].filename if a in known else a[:12]) for a in h.attachments
        ]
        for h in heads
    }
