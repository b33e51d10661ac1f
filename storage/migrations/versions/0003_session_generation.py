"""Per-user session generation: logout, password change and disabling end every session.

Revision ID: 0003
Revises: 0002
Create Date: 2026-12-04

Column `web_user.session_generation` of storage/users.py.
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision: str = "0003"
down_revision: str | None = "0002"
branch_labels: str | None = None
depends_on: str | None = None


def upgrade() -> None:
    with op.batch_alter_table("web_user") as batch:
        batch.add_column(
            sa.Column("session_generation", sa.Integer(), nullable=False, server_default="0")
        )


def downgrade() -> None:
    with op.batch_alter_table("web_user") as batch:
        batch.drop_column("session_generation")
