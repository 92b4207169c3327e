"""Hub schema v1: cities, devices, enrollment codes, forms, the per-city record feed, blobs,
applied ops, push batches, quarantine; row-level security on PostgreSQL.

Revision ID: h0001
Revises:
Create Date: 2026-11-22
"""

from __future__ import annotations

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = "h0001"
down_revision: str | None = None
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None

CITY = "current_setting('app.city_id', true)"

# table -> (USING, WITH CHECK) of its row-level security policy
POLICIES = {
    "hub_city": (f"id = {CITY}", f"id = {CITY}"),
    "hub_device": (
        f"city_id = {CITY} OR token_hash = current_setting('app.token_hash', true)",
        f"city_id = {CITY}",
    ),
    "hub_enrollment_code": (
        f"city_id = {CITY} OR code_hash = current_setting('app.code_hash', true)",
        f"city_id = {CITY}",
    ),
    "hub_record": (f"city_id = {CITY}", f"city_id = {CITY}"),
    "hub_blob": (f"city_id = {CITY}", f"city_id = {CITY}"),
    "hub_applied_op": (f"city_id = {CITY}", f"city_id = {CITY}"),
    "hub_push_batch": (f"city_id = {CITY}", f"city_id = {CITY}"),
    "hub_quarantine": (f"city_id = {CITY}", f"city_id = {CITY}"),
}


def upgrade() -> None:
    op.create_table(
        "hub_city",
        sa.Column("id", sa.Text(), nullable=False),
        sa.Column("name", sa.Text(), nullable=False),
        sa.Column("name_key", sa.Text(), nullable=False),
        sa.Column("country", sa.Text(), nullable=False),
        sa.Column("change_seq", sa.BigInteger(), server_default="0", nullable=False),
        sa.Column("created_at", sa.Text(), nullable=False),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_hub_city")),
        sa.UniqueConstraint("name_key", name=op.f("uq_hub_city_name_key")),
    )
    op.create_table(
        "hub_form",
        sa.Column("sha256", sa.Text(), nullable=False),
        sa.Column("form_id", sa.Text(), nullable=False),
        sa.Column("version", sa.Text(), nullable=False),
        sa.Column("body", sa.LargeBinary(), nullable=False),
        sa.Column("published_at", sa.Text(), nullable=False),
        sa.PrimaryKeyConstraint("sha256", name=op.f("pk_hub_form")),
        sa.UniqueConstraint("form_id", "version", name=op.f("uq_hub_form_form_id_version")),
    )
    op.create_table(
        "hub_device",
        sa.Column("id", sa.Text(), nullable=False),
        sa.Column("city_id", sa.Text(), nullable=False),
        sa.Column("contributor", sa.Text(), nullable=False),
        sa.Column("device_name", sa.Text(), server_default="", nullable=False),
        sa.Column("local_device_id", sa.Text(), server_default="", nullable=False),
        sa.Column("token_hash", sa.Text(), nullable=False),
        sa.Column("created_at", sa.Text(), nullable=False),
        sa.Column("revoked_at", sa.Text(), nullable=True),
        sa.Column("last_seen_at", sa.Text(), nullable=True),
        sa.ForeignKeyConstraint(
            ["city_id"], ["hub_city.id"], name=op.f("fk_hub_device_city_id_hub_city")
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_hub_device")),
        sa.UniqueConstraint("token_hash", name=op.f("uq_hub_device_token_hash")),
    )
    op.create_index(op.f("ix_hub_device_city_id"), "hub_device", ["city_id"])
    op.create_table(
        "hub_enrollment_code",
        sa.Column("code_hash", sa.Text(), nullable=False),
        sa.Column("city_id", sa.Text(), nullable=False),
        sa.Column("contributor", sa.Text(), nullable=False),
        sa.Column("created_at", sa.Text(), nullable=False),
        sa.Column("expires_at", sa.Text(), nullable=False),
        sa.Column("used_at", sa.Text(), nullable=True),
        sa.Column("device_id", sa.Text(), nullable=True),
        sa.ForeignKeyConstraint(
            ["city_id"], ["hub_city.id"], name=op.f("fk_hub_enrollment_code_city_id_hub_city")
        ),
        sa.PrimaryKeyConstraint("code_hash", name=op.f("pk_hub_enrollment_code")),
    )
    op.create_index(op.f("ix_hub_enrollment_code_city_id"), "hub_enrollment_code", ["city_id"])
    op.create_table(
        "hub_record",
        sa.Column("city_id", sa.Text(), nullable=False),
        sa.Column("kind", sa.Text(), nullable=False),
        sa.Column("record_id", sa.Text(), nullable=False),
        sa.Column("change_seq", sa.BigInteger(), nullable=False),
        sa.Column("body", sa.Text(), nullable=False),
        sa.Column("fingerprint", sa.Text(), nullable=False),
        sa.Column("assessment_id", sa.Text(), nullable=True),
        sa.Column("device_id", sa.Text(), nullable=True),
        sa.Column("flags", sa.Text(), nullable=True),
        sa.Column("received_at", sa.Text(), nullable=False),
        sa.ForeignKeyConstraint(
            ["city_id"], ["hub_city.id"], name=op.f("fk_hub_record_city_id_hub_city")
        ),
        sa.PrimaryKeyConstraint("city_id", "kind", "record_id", name=op.f("pk_hub_record")),
        sa.UniqueConstraint("city_id", "change_seq", name=op.f("uq_hub_record_city_id_change_seq")),
    )
    op.create_index("ix_hub_record_city_assessment", "hub_record", ["city_id", "assessment_id"])
    op.create_table(
        "hub_blob",
        sa.Column("city_id", sa.Text(), nullable=False),
        sa.Column("sha256", sa.Text(), nullable=False),
        sa.Column("size", sa.BigInteger(), nullable=False),
        sa.Column("content", sa.LargeBinary(), nullable=False),
        sa.Column("received_at", sa.Text(), nullable=False),
        sa.ForeignKeyConstraint(
            ["city_id"], ["hub_city.id"], name=op.f("fk_hub_blob_city_id_hub_city")
        ),
        sa.PrimaryKeyConstraint("city_id", "sha256", name=op.f("pk_hub_blob")),
    )
    op.create_table(
        "hub_applied_op",
        sa.Column("device_id", sa.Text(), nullable=False),
        sa.Column("op_id", sa.Text(), nullable=False),
        sa.Column("city_id", sa.Text(), nullable=False),
        sa.Column("status", sa.Text(), nullable=False),
        sa.Column("change_seq", sa.BigInteger(), nullable=True),
        sa.Column("reason", sa.Text(), nullable=True),
        sa.Column("flags", sa.Text(), nullable=True),
        sa.Column("created_at", sa.Text(), nullable=False),
        sa.ForeignKeyConstraint(
            ["city_id"], ["hub_city.id"], name=op.f("fk_hub_applied_op_city_id_hub_city")
        ),
        sa.PrimaryKeyConstraint("device_id", "op_id", name=op.f("pk_hub_applied_op")),
    )
    op.create_table(
        "hub_push_batch",
        sa.Column("device_id", sa.Text(), nullable=False),
        sa.Column("batch_id", sa.Text(), nullable=False),
        sa.Column("city_id", sa.Text(), nullable=False),
        sa.Column("fingerprint", sa.Text(), nullable=False),
        sa.Column("response", sa.Text(), nullable=False),
        sa.Column("created_at", sa.Text(), nullable=False),
        sa.ForeignKeyConstraint(
            ["city_id"], ["hub_city.id"], name=op.f("fk_hub_push_batch_city_id_hub_city")
        ),
        sa.PrimaryKeyConstraint("device_id", "batch_id", name=op.f("pk_hub_push_batch")),
    )
    op.create_table(
        "hub_quarantine",
        sa.Column("id", sa.Integer(), autoincrement=True, nullable=False),
        sa.Column("city_id", sa.Text(), nullable=False),
        sa.Column("device_id", sa.Text(), nullable=True),
        sa.Column("op_id", sa.Text(), nullable=True),
        sa.Column("kind", sa.Text(), nullable=True),
        sa.Column("record_id", sa.Text(), nullable=True),
        sa.Column("payload", sa.Text(), nullable=False),
        sa.Column("reason", sa.Text(), nullable=False),
        sa.Column("received_at", sa.Text(), nullable=False),
        sa.ForeignKeyConstraint(
            ["city_id"], ["hub_city.id"], name=op.f("fk_hub_quarantine_city_id_hub_city")
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_hub_quarantine")),
    )
    op.create_index(op.f("ix_hub_quarantine_city_id"), "hub_quarantine", ["city_id"])
    if op.get_bind().dialect.name == "postgresql":
        for table, (using, check) in POLICIES.items():
            op.execute(f"ALTER TABLE {table} ENABLE ROW LEVEL SECURITY")
            op.execute(
                f"CREATE POLICY {table}_by_city ON {table} USING ({using}) WITH CHECK ({check})"
            )


def downgrade() -> None:
    for table in (
        "hub_quarantine",
        "hub_push_batch",
        "hub_applied_op",
        "hub_blob",
        "hub_record",
        "hub_enrollment_code",
        "hub_device",
        "hub_form",
        "hub_city",
    ):
        op.drop_table(table)
