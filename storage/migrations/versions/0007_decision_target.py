"""Per-flag review decisions: `review_decision.target` ("minor" | "trafficking" | NULL).

Revision ID: 0007
Revises: 0006
Create Date: 2026-12-05

A decision may confirm or dismiss one flag (storage/reviews.py); NULL keeps the former meaning
(the decision speaks for the flags the ad carried).
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision: str = "0007"
down_revision: str | None = "0006"
branch_labels: str | None = None
depends_on: str | None = None


def upgrade() -> None:
    with op.batch_alter_table("review_decision") as batch:
        batch.add_column(sa.Column("target", sa.String(), nullable=True))


def downgrade() -> None:
    with op.batch_alter_table("review_decision") as batch:
        batch.drop_column("target")
