"""Incremental linking (issue #16.8): what a link needs to add new ads to the stored networks
without reading every stored ad.

Revision ID: 0014
Revises: 0013
Create Date: 2026-12-06

`link_band`: each ad's text LSH band codes (the stored texts a new text may be near); `link_mark`:
the component each linked ad was in at the last link; `link_queue`: the ads saved and the
components touched by an erasure since; `link_meta`: the link configuration those were made with.
An existing database has none: its next link is a full one, which fills them.
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision: str = "0014"
down_revision: str | None = "0013"
branch_labels: str | None = None
depends_on: str | None = None


def upgrade() -> None:
    op.create_table(
        "link_band",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("ad_pk", sa.Integer(), nullable=False),
        sa.Column("code", sa.BigInteger(), nullable=False),
        sa.ForeignKeyConstraint(["ad_pk"], ["ad.id"], ondelete="CASCADE"),
        sa.PrimaryKeyConstraint("id"),
    )
    op.create_index("ix_link_band_ad_pk", "link_band", ["ad_pk"])
    op.create_index("ix_link_band_code", "link_band", ["code"])
    op.create_table(
        "link_mark",
        sa.Column("ad_pk", sa.Integer(), nullable=False),
        sa.Column("component", sa.BigInteger(), nullable=False),
        sa.ForeignKeyConstraint(["ad_pk"], ["ad.id"], ondelete="CASCADE"),
        sa.PrimaryKeyConstraint("ad_pk"),
    )
    op.create_index("ix_link_mark_component", "link_mark", ["component"])
    op.create_table(
        "link_queue",
        sa.Column("item", sa.String(), nullable=False),
        sa.Column("stamp", sa.BigInteger(), nullable=False),
        sa.PrimaryKeyConstraint("item"),
    )
    op.create_table(
        "link_meta",
        sa.Column("name", sa.String(), nullable=False),
        sa.Column("value", sa.Text(), nullable=False),
        sa.PrimaryKeyConstraint("name"),
    )


def downgrade() -> None:
    op.drop_table("link_meta")
    op.drop_table("link_queue")
    op.drop_index("ix_link_mark_component", table_name="link_mark")
    op.drop_table("link_mark")
    op.drop_index("ix_link_band_code", table_name="link_band")
    op.drop_index("ix_link_band_ad_pk", table_name="link_band")
    op.drop_table("link_band")
