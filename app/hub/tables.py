"""The hub's tables (SQLAlchemy Core), the same on SQLite and PostgreSQL.

Every city-scoped table carries `city_id`; on PostgreSQL, row-level security keys them on
`current_setting('app.city_id')` as a backstop behind the application's own checks (migration
h0001). Records are stored once per city, by (kind, id), with their place in the city's feed
(`change_seq`, taken under the city row's lock so the feed never skips). Nothing is deleted.
"""

from __future__ import annotations

from sqlalchemy import (
    BigInteger,
    Column,
    ForeignKey,
    Index,
    Integer,
    LargeBinary,
    MetaData,
    PrimaryKeyConstraint,
    Table,
    Text,
    UniqueConstraint,
)

NAMING_CONVENTION = {
    "ix": "ix_%(table_name)s_%(column_0_N_name)s",
    "uq": "uq_%(table_name)s_%(column_0_N_name)s",
    "ck": "ck_%(table_name)s_%(constraint_name)s",
    "fk": "fk_%(table_name)s_%(column_0_name)s_%(referred_table_name)s",
    "pk": "pk_%(table_name)s",
}

metadata = MetaData(naming_convention=NAMING_CONVENTION)

city = Table(
    "hub_city",
    metadata,
    Column("id", Text, primary_key=True),
    Column("name", Text, nullable=False),
    Column("name_key", Text, nullable=False, unique=True),  # names are unique per hub
    Column("country", Text, nullable=False),
    Column("change_seq", BigInteger, nullable=False, server_default="0"),
    Column("created_at", Text, nullable=False),
)

device = Table(
    "hub_device",
    metadata,
    Column("id", Text, primary_key=True),
    Column("city_id", Text, ForeignKey("hub_city.id"), nullable=False, index=True),
    Column("contributor", Text, nullable=False),
    Column("device_name", Text, nullable=False, server_default=""),
    Column("local_device_id", Text, nullable=False, server_default=""),
    Column("public_key", Text, nullable=True),  # Ed25519, base64: checks the bundles it signs
    Column(
        "token_hash", Text, nullable=False, unique=True
    ),  # SHA-256 of the token, never the token
    Column("created_at", Text, nullable=False),
    Column("revoked_at", Text, nullable=True),
    Column("last_seen_at", Text, nullable=True),
)

enrollment_code = Table(
    "hub_enrollment_code",
    metadata,
    Column("code_hash", Text, primary_key=True),
    Column("city_id", Text, ForeignKey("hub_city.id"), nullable=False, index=True),
    Column("contributor", Text, nullable=False),
    Column("created_at", Text, nullable=False),
    Column("expires_at", Text, nullable=False),
    Column("used_at", Text, nullable=True),
    Column("device_id", Text, nullable=True),
)

form = Table(
    "hub_form",
    metadata,
    Column("sha256", Text, primary_key=True),
    Column("form_id", Text, nullable=False),
    Column("version", Text, nullable=False),
    Column("body", LargeBinary, nullable=False),
    Column("published_at", Text, nullable=False),
    UniqueConstraint("form_id", "version"),
)

record = Table(
    "hub_record",
    metadata,
    Column("city_id", Text, ForeignKey("hub_city.id"), nullable=False),
    Column("kind", Text, nullable=False),
    Column("record_id", Text, nullable=False),
    Column("change_seq", BigInteger, nullable=False),
    Column("body", Text, nullable=False),  # canonical JSON of the record body
    Column("fingerprint", Text, nullable=False),
    Column("assessment_id", Text, nullable=True),
    Column("device_id", Text, nullable=True),
    Column("flags", Text, nullable=True),  # comma-separated, e.g. "retired"
    Column("received_at", Text, nullable=False),
    PrimaryKeyConstraint("city_id", "kind", "record_id"),
    UniqueConstraint("city_id", "change_seq"),
    Index("ix_hub_record_city_assessment", "city_id", "assessment_id"),
)

blob = Table(
    "hub_blob",
    metadata,
    Column("city_id", Text, ForeignKey("hub_city.id"), nullable=False),
    Column("sha256", Text, nullable=False),
    Column("size", BigInteger, nullable=False),
    Column("content", LargeBinary, nullable=False),
    Column("received_at", Text, nullable=False),
    PrimaryKeyConstraint("city_id", "sha256"),
)

applied_op = Table(
    "hub_applied_op",
    metadata,
    Column("device_id", Text, nullable=False),
    Column("op_id", Text, nullable=False),
    Column("city_id", Text, ForeignKey("hub_city.id"), nullable=False),
    Column("status", Text, nullable=False),
    Column("change_seq", BigInteger, nullable=True),
    Column("reason", Text, nullable=True),
    Column("flags", Text, nullable=True),
    Column("created_at", Text, nullable=False),
    PrimaryKeyConstraint("device_id", "op_id"),
)

push_batch = Table(
    "hub_push_batch",
    metadata,
    Column("device_id", Text, nullable=False),
    Column("batch_id", Text, nullable=False),
    Column("city_id", Text, ForeignKey("hub_city.id"), nullable=False),
    Column("fingerprint", Text, nullable=False),
    Column("response", Text, nullable=False),
    Column("created_at", Text, nullable=False),
    PrimaryKeyConstraint("device_id", "batch_id"),
)

quarantine = Table(
    "hub_quarantine",
    metadata,
    Column("id", Integer, primary_key=True, autoincrement=True),
    Column("city_id", Text, ForeignKey("hub_city.id"), nullable=False, index=True),
    Column("device_id", Text, nullable=True),
    Column("op_id", Text, nullable=True),
    Column("kind", Text, nullable=True),
    Column("record_id", Text, nullable=True),
    Column("payload", Text, nullable=False),
    Column("reason", Text, nullable=False),
    Column("received_at", Text, nullable=False),
)

# Tables row-level security scopes by city on PostgreSQL (see migration h0001).
CITY_SCOPED = (
    "hub_record",
    "hub_blob",
    "hub_applied_op",
    "hub_push_batch",
    "hub_quarantine",
)
