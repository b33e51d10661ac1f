"""Network members matching another zone's indicators; imported-indicator alerts; run stats.

Revision ID: 0002
Revises: 0001
Create Date: 2026-03-02

Tables of storage/foreignlinks.py (`network_foreign_link`) and storage/exchange/alerts.py
(`exchange_alert`); column `crawl_run.stats` of storage/runs.py.
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op
from sqlalchemy.dialects import postgresql

revision: str = "0002"
down_revision: str | None = "0001"
branch_labels: str | None = None
depends_on: str | None = None

JSON_DOCUMENT = sa.JSON().with_variant(postgresql.JSONB(), "postgresql")


def upgrade() -> None:
    op.create_table(
        "network_foreign_link",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("network_id", sa.String(), nullable=False),
        sa.Column("ad_pk", sa.Integer(), nullable=False),
        sa.Column("source_zone", sa.String(), nullable=False),
        sa.Column("file_name", sa.Text(), nullable=False),
        sa.Column("file_sha256", sa.String(), nullable=False),
        sa.Column("kind", sa.String(), nullable=False),
        sa.Column("platform", sa.String(), nullable=False),
        sa.Column("value", sa.Text(), nullable=False),
        sa.Column("pseudonymised", sa.Boolean(), nullable=False),
        sa.Column("distance", sa.Integer(), nullable=False),
        sa.Column("score", sa.Float(), nullable=False),
        sa.Column("flags", JSON_DOCUMENT, nullable=False),
        sa.Column("position", sa.Integer(), nullable=False),
        sa.ForeignKeyConstraint(
            ["ad_pk"], ["ad.id"], name="network_foreign_link_ad_pk_fkey", ondelete="CASCADE"
        ),
        sa.ForeignKeyConstraint(
            ["network_id"],
            ["network.network_id"],
            name="network_foreign_link_network_id_fkey",
            ondelete="CASCADE",
        ),
        sa.PrimaryKeyConstraint("id", name="network_foreign_link_pkey"),
    )
    for column in ("ad_pk", "network_id", "source_zone"):
        op.create_index(f"ix_network_foreign_link_{column}", "network_foreign_link", [column])
    op.create_table(
        "exchange_alert",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("site", sa.String(), nullable=False),
        sa.Column("ad_id", sa.String(), nullable=False),
        sa.Column("source_zone", sa.String(), nullable=False),
        sa.Column("file_name", sa.Text(), nullable=False),
        sa.Column("file_sha256", sa.String(), nullable=False),
        sa.Column("kind", sa.String(), nullable=False),
        sa.Column("platform", sa.String(), nullable=False),
        sa.Column("value", sa.Text(), nullable=False),
        sa.Column("pseudonymised", sa.Boolean(), nullable=False),
        sa.Column("local_value", sa.Text(), nullable=False),
        sa.Column("distance", sa.Integer(), nullable=False),
        sa.Column("score", sa.Float(), nullable=False),
        sa.Column("flags", JSON_DOCUMENT, nullable=False),
        sa.Column("created_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("open", sa.Boolean(), nullable=False),
        sa.PrimaryKeyConstraint("id", name="exchange_alert_pkey"),
        sa.UniqueConstraint(
            "site", "ad_id", "source_zone", "kind", "platform", "value", name="uq_exchange_alert"
        ),
    )
    for column in ("open", "source_zone"):
        op.create_index(f"ix_exchange_alert_{column}", "exchange_alert", [column])
    with op.batch_alter_table("crawl_run") as batch:
        batch.add_column(sa.Column("stats", sa.Text(), nullable=True))


def downgrade() -> None:
    with op.batch_alter_table("crawl_run") as batch:
        batch.drop_column("stats")
    op.drop_table("exchange_alert")  # its indexes go with it
    op.drop_table("network_foreign_link")
