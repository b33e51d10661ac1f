"""Crawl runs that died: the process and host of a run and its heartbeat.

Revision ID: 0006
Revises: 0003
Create Date: 2026-12-05

Columns `crawl_run.pid`, `crawl_run.host` and `crawl_run.heartbeat_at` of storage/runs.py: a run
left `running` by a process that died (kill -9, power cut) reads as `crashed`.
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision: str = "0006"
down_revision: str | None = "0003"
branch_labels: str | None = None
depends_on: str | None = None


def upgrade() -> None:
    with op.batch_alter_table("crawl_run") as batch:
        batch.add_column(sa.Column("pid", sa.Integer(), nullable=True))
        batch.add_column(sa.Column("host", sa.Text(), nullable=True))
        batch.add_column(sa.Column("heartbeat_at", sa.DateTime(timezone=True), nullable=True))


def downgrade() -> None:
    with op.batch_alter_table("crawl_run") as batch:
        batch.drop_column("heartbeat_at")
        batch.drop_column("host")
        batch.drop_column("pid")
