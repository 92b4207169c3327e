"""The tables of the local database (SQLAlchemy ORM declarations).

Rules the schema keeps (docs/architecture.md, "Storage"):
- Records that travel in sync (assessments, their events, contributors, revisions, attachments,
  questionnaire versions) are identified by a UUID (or a SHA-256) made where they were created.
- Revisions and assessment events are immutable: rows are inserted, never updated or deleted.
  `answer_head` and `assessment.status` are materialised views of them, kept in the same
  transaction. Nothing is hard-deleted.
- Every constraint has a name (the naming convention), so batch migrations can address it.
"""

from __future__ import annotations

from sqlalchemy import (
    Boolean,
    ForeignKey,
    Index,
    Integer,
    LargeBinary,
    MetaData,
    Text,
    text,
)
from sqlalchemy.orm import DeclarativeBase, Mapped, mapped_column

NAMING_CONVENTION = {
    "ix": "ix_%(table_name)s_%(column_0_N_name)s",
    "uq": "uq_%(table_name)s_%(column_0_N_name)s",
    "ck": "ck_%(table_name)s_%(constraint_name)s",
    "fk": "fk_%(table_name)s_%(column_0_name)s_%(referred_table_name)s",
    "pk": "pk_%(table_name)s",
}


class Base(DeclarativeBase):
    metadata = MetaData(naming_convention=NAMING_CONVENTION)


class Setting(Base):
    """Key/value settings of this data folder (device id, local identity, demo id...)."""

    __tablename__ = "setting"
    key: Mapped[str] = mapped_column(Text, primary_key=True)
    value: Mapped[str] = mapped_column(Text)


class QuestionnaireVersion(Base):
    """The exact bytes of a questionnaire file an assessment pinned (immutable)."""

    __tablename__ = "questionnaire_version"
    sha256: Mapped[str] = mapped_column(Text, primary_key=True)
    id: Mapped[str] = mapped_column(Text, index=True)
    version: Mapped[str] = mapped_column(Text)
    body: Mapped[bytes] = mapped_column(LargeBinary)
    installed_at: Mapped[str] = mapped_column(Text)


class Contributor(Base):
    """A person who answers: a city technical lead or the coordinator."""

    __tablename__ = "contributor"
    id: Mapped[str] = mapped_column(Text, primary_key=True)
    name: Mapped[str] = mapped_column(Text, index=True)
    role: Mapped[str] = mapped_column(Text, server_default="")
    institution: Mapped[str] = mapped_column(Text, server_default="")
    device_id: Mapped[str] = mapped_column(Text)
    created_at: Mapped[str] = mapped_column(Text)


class Assessment(Base):
    __tablename__ = "assessment"
    id: Mapped[str] = mapped_column(Text, primary_key=True)
    city: Mapped[str] = mapped_column(Text)
    country: Mapped[str] = mapped_column(Text)
    period: Mapped[str] = mapped_column(Text)
    language: Mapped[str] = mapped_column(Text)
    questionnaire_sha256: Mapped[str] = mapped_column(
        ForeignKey("questionnaire_version.sha256"), index=True
    )
    # Materialised from the latest status event; changed only together with that event.
    status: Mapped[str] = mapped_column(Text, server_default="draft")
    created_at: Mapped[str] = mapped_column(Text)
    created_by: Mapped[str | None] = mapped_column(ForeignKey("contributor.id"), nullable=True)
    previous_assessment_id: Mapped[str | None] = mapped_column(
        ForeignKey("assessment.id"), nullable=True
    )
    city_key: Mapped[str] = mapped_column(Text, index=True)
    device_id: Mapped[str] = mapped_column(Text)


class AssessmentEvent(Base):
    """An immutable change of an assessment: created, status change (with reason), header change."""

    __tablename__ = "assessment_event"
    id: Mapped[str] = mapped_column(Text, primary_key=True)
    assessment_id: Mapped[str] = mapped_column(ForeignKey("assessment.id"), index=True)
    kind: Mapped[str] = mapped_column(Text)
    payload_json: Mapped[str] = mapped_column(Text)
    author_id: Mapped[str | None] = mapped_column(ForeignKey("contributor.id"), nullable=True)
    device_id: Mapped[str] = mapped_column(Text)
    hlc: Mapped[str] = mapped_column(Text)
    created_at: Mapped[str] = mapped_column(Text)
    origin: Mapped[str] = mapped_column(Text, server_default="local")


class Attachment(Base):
    """A file attached to answers; its content is DataPaths.attachments/<sha256>."""

    __tablename__ = "attachment"
    sha256: Mapped[str] = mapped_column(Text, primary_key=True)
    filename: Mapped[str] = mapped_column(Text)
    size: Mapped[int] = mapped_column(Integer)
    media_type: Mapped[str] = mapped_column(Text)
    created_at: Mapped[str] = mapped_column(Text)


class Revision(Base):
    """One immutable change of one answer. subject = a contributor id, or 'city'."""

    __tablename__ = "revision"
    __table_args__ = (Index("ix_revision_answer_key", "assessment_id", "indicator_id", "subject"),)
    id: Mapped[str] = mapped_column(Text, primary_key=True)
    assessment_id: Mapped[str] = mapped_column(ForeignKey("assessment.id"))
    indicator_id: Mapped[str] = mapped_column(Text)
    subject: Mapped[str] = mapped_column(Text)
    value_json: Mapped[str | None] = mapped_column(Text, nullable=True)
    state: Mapped[str] = mapped_column(Text)
    note: Mapped[str] = mapped_column(Text, server_default="")
    evidence: Mapped[str | None] = mapped_column(Text, nullable=True)
    attachments_json: Mapped[str] = mapped_column(Text, server_default="[]")
    parents_json: Mapped[str] = mapped_column(Text, server_default="[]")
    author_id: Mapped[str | None] = mapped_column(ForeignKey("contributor.id"), nullable=True)
    device_id: Mapped[str] = mapped_column(Text)
    hlc: Mapped[str] = mapped_column(Text, index=True)
    created_at: Mapped[str] = mapped_column(Text)
    rationale: Mapped[str] = mapped_column(Text, server_default="")
    to_confirm: Mapped[bool] = mapped_column(Boolean, server_default=text("0"))
    origin: Mapped[str] = mapped_column(Text, server_default="local")


class AnswerHead(Base):
    """The current revision(s) of each answer key: more than one = concurrent edits from sync."""

    __tablename__ = "answer_head"
    assessment_id: Mapped[str] = mapped_column(ForeignKey("assessment.id"), primary_key=True)
    indicator_id: Mapped[str] = mapped_column(Text, primary_key=True)
    subject: Mapped[str] = mapped_column(Text, primary_key=True)
    revision_id: Mapped[str] = mapped_column(
        ForeignKey("revision.id"), primary_key=True, unique=True
    )


class Outbox(Base):
    """Records waiting to be sent to the hub (written in the same transaction as the record)."""

    __tablename__ = "outbox"
    __table_args__ = (Index("ix_outbox_state_seq", "state", "seq"),)
    op_id: Mapped[str] = mapped_column(Text, primary_key=True)
    seq: Mapped[int] = mapped_column(Integer, unique=True)  # send order
    record_kind: Mapped[str] = mapped_column(Text)
    record_id: Mapped[str] = mapped_column(Text, unique=True)
    state: Mapped[str] = mapped_column(Text, server_default="pending")
    batch_id: Mapped[str | None] = mapped_column(Text, nullable=True)
    attempts: Mapped[int] = mapped_column(Integer, server_default=text("0"))
    last_error: Mapped[str | None] = mapped_column(Text, nullable=True)
    last_attempt_at: Mapped[str | None] = mapped_column(Text, nullable=True)
    created_at: Mapped[str] = mapped_column(Text)


class SyncState(Base):
    """Where pulling from the hub stands, per hub city (the scope)."""

    __tablename__ = "sync_state"
    scope: Mapped[str] = mapped_column(Text, primary_key=True)
    pull_cursor: Mapped[int] = mapped_column(Integer, server_default=text("0"))
    last_push_ok_at: Mapped[str | None] = mapped_column(Text, nullable=True)
    last_pull_ok_at: Mapped[str | None] = mapped_column(Text, nullable=True)
