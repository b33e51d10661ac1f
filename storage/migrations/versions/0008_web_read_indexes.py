"""The indexes the review app's pages read through (issue #18.1).

Revision ID: 0008
Revises: 0007 (the head of main when written; the lead chains it)
Create Date: 2026-12-05

`ix_ad_zone_site_first_seen` (zone, site, first_seen, id): narrow enough that the dashboard's
counts (GROUP BY zone, site, day) and the queue's count read it alone (an index-only scan on
PostgreSQL), never the wide rows of `ad` with their JSON documents.
"""

from __future__ import annotations

from alembic import op

revision: str = "0008"
down_revision: str | None = "0007"
branch_labels: str | None = None
depends_on: str | None = None


def upgrade() -> None:
    op.create_index(
        "ix_ad_zone_site_first_seen", "ad", ["zone", "site", "first_seen", "id"], unique=False
    )


def downgrade() -> None:
    op.drop_index("ix_ad_zone_site_first_seen", table_name="ad")
