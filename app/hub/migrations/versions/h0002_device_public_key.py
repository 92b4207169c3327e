"""Each device's Ed25519 public key, registered at enrollment, to check the bundles it signs.

Revision ID: h0002
Revises: h0001
Create Date: 2026-12-03
"""

from __future__ import annotations

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = "h0002"
down_revision: str | None = "h0001"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    with op.batch_alter_table("hub_device") as batch_op:
        batch_op.add_column(sa.Column("public_key", sa.Text(), nullable=True))


def downgrade() -> None:
    with op.batch_alter_table("hub_device") as batch_op:
        batch_op.drop_column("public_key")
