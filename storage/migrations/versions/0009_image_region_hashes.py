"""The sign-DCT hashes of an image by region (issue #16.1): `ad_image.dct`.

Revision ID: 0009
Revises: 0008
Create Date: 2026-12-05

Space-separated `region=16 hex digits` pairs (`pipeline.photohash`): the whole picture, its
trimmed content and a few crops, matched in the 8 orientations of the square
(`pipeline.photomatch`). Rows stored before have none: they match by pHash as before.
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision: str = "0009"
down_revision: str | None = "0008"
branch_labels: str | None = None
depends_on: str | None = None


def upgrade() -> None:
    with op.batch_alter_table("ad_image") as batch:
        batch.add_column(sa.Column("dct", sa.Text(), nullable=True))


def downgrade() -> None:
    with op.batch_alter_table("ad_image") as batch:
        batch.drop_column("dct")
