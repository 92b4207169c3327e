"""Plain records the repositories hand out, and the JSON encoding of answer values in rows."""

from __future__ import annotations

import json
from dataclasses import dataclass
from typing import Any

from app.domain import Answer, AnswerState, AnswerValue, Contributor, Revision

CITY = "city"  # the subject of the agreed city answer (other subjects are contributor ids)


def encode_value(value: AnswerValue) -> str | None:
    if value is None:
        return None
    return json.dumps(list(value) if isinstance(value, tuple) else value, ensure_ascii=False)


def decode_value(text: str | None) -> AnswerValue:
    if text is None:
        return None
    value = json.loads(text)
    if isinstance(value, list):
        return tuple(str(v) for v in value)
    if isinstance(value, (str, int, float)):
        return value
    raise ValueError(f"unexpected stored answer value {text!r}")


def encode_list(items: tuple[str, ...] | list[str]) -> str:
    return json.dumps(list(items), ensure_ascii=False)


def decode_list(text: str | None) -> tuple[str, ...]:
    return tuple(str(v) for v in json.loads(text or "[]"))


@dataclass(frozen=True)
class RevisionRecord:
    """A stored revision with everything the row holds (the domain Revision is the public view)."""

    id: str
    assessment_id: str
    indicator_id: str
    subject: str
    answer: Answer
    parents: tuple[str, ...]
    author_id: str | None
    device_id: str
    hlc: str
    created_at: str
    rationale: str = ""
    to_confirm: bool = False
    attachments: tuple[str, ...] = ()
    origin: str = "local"

    @property
    def key(self) -> tuple[str, str, str]:
        return (self.assessment_id, self.indicator_id, self.subject)

    @property
    def order_key(self) -> tuple[str, str, str]:
        """The deterministic provisional winner among heads is the maximum of this."""
        return (self.hlc, self.device_id, self.id)

    def to_domain(self, author: Contributor | None) -> Revision:
        return Revision(
            id=self.id,
            indicator_id=self.indicator_id,
            subject=self.subject,
            answer=self.answer,
            parents=self.parents,
            author=author,
            device_id=self.device_id,
            hlc=self.hlc,
            created_at=self.created_at,
            rationale=self.rationale,
            attachments=self.attachments,
            to_confirm=self.to_confirm,
            origin=self.origin,
        )

    def to_row(self) -> dict[str, Any]:
        return {
            "id": self.id,
            "assessment_id": self.assessment_id,
            "indicator_id": self.indicator_id,
            "subject": self.subject,
            "value_json": encode_value(self.answer.value),
            "state": self.answer.state.value,
            "note": self.answer.note,
            "evidence": self.answer.evidence,
            "attachments_json": encode_list(self.attachments),
            "parents_json": encode_list(self.parents),
            "author_id": self.author_id,
            "device_id": self.device_id,
            "hlc": self.hlc,
            "created_at": self.created_at,
            "rationale": self.rationale,
            "to_confirm": self.to_confirm,
            "origin": self.origin,
        }

    @classmethod
    def from_row(cls, row: Any) -> RevisionRecord:
        m = row._mapping if hasattr(row, "_mapping") else row
        return cls(
            id=m["id"],
            assessment_id=m["assessment_id"],
            indicator_id=m["indicator_id"],
            subject=m["subject"],
            answer=Answer(
                value=decode_value(m["value_json"]),
                state=AnswerState(m["state"]),
                note=m["note"] or "",
                evidence=m["evidence"],
            ),
            parents=decode_list(m["parents_json"]),
            author_id=m["author_id"],
            device_id=m["device_id"],
            hlc=m["hlc"],
            created_at=m["created_at"],
            rationale=m["rationale"] or "",
            to_confirm=bool(m["to_confirm"]),
            attachments=decode_list(m["attachments_json"]),
            origin=m["origin"],
        )


@dataclass(frozen=True)
class AssessmentRecord:
    id: str
    city: str
    country: str
    period: str
    language: str
    questionnaire_sha256: str
    status: str
    created_at: str
    created_by: str | None
    previous_assessment_id: str | None
    city_key: str
    device_id: str
    questionnaire_id: str = ""
    questionnaire_version: str = ""


@dataclass(frozen=True)
class EventRecord:
    """An immutable change of an assessment (kind: created, status, header)."""

    id: str
    assessment_id: str
    kind: str
    payload: dict[str, Any]
    author_id: str | None
    device_id: str
    hlc: str
    created_at: str
    origin: str = "local"


@dataclass(frozen=True)
class AttachmentRecord:
    sha256: str
    filename: str
    size: int
    media_type: str
    created_at: str


@dataclass(frozen=True)
class OutboxRecord:
    op_id: str
    seq: int
    record_kind: str
    record_id: str
    state: str
    batch_id: str | None
    attempts: int
    last_error: str | None
    last_attempt_at: str | None
    created_at: str


def city_key(city: str, country: str) -> str:
    """The key two laptops compute alike for the same city (case- and space-insensitive)."""

    def norm(text: str) -> str:
        return " ".join(text.split()).casefold()

    return f"{norm(country)}/{norm(city)}"
