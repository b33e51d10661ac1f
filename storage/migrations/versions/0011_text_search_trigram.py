"""Trigram indexes for the review app's text search on PostgreSQL (issue #18.1).

Revision ID: 0011
Revises: 0008 (the head of main when written; the lead chains it)
Create Date: 2026-12-05

The search by text is `lower(title) LIKE '%…%' OR lower(text) LIKE '%…%'`: a scan of every ad
without an index (~1.1 ms per 1,000 ads, about 1.1 s at a million). PostgreSQL's `pg_trgm`
serves such patterns (three characters or more) from GIN indexes on the same expressions. The
extension needs the right to create it: where the database user lacks it, the migration says so
and goes on (the search stays correct, only slower). SQLite, a zone's own small database, keeps
the scan.
"""

from __future__ import annotations

import logging

import sqlalchemy as sa
from alembic import op

revision: str = "0011"
down_revision: str | None = "0008"
branch_labels: str | None = None
depends_on: str | None = None

log = logging.getLogger("alembic.runtime.migration")
INDEXES = {"ix_ad_title_trgm": "title", "ix_ad_text_trgm": "text"}


def _trigram_schema() -> str | None:
    """The schema of pg_trgm, installed (into `public`, where every schema's search finds its
    operator class by name and a dropped Vigie schema cannot take it along) if need be."""
    find = sa.text(
        "SELECT n.nspname FROM pg_extension e JOIN pg_namespace n ON n.oid = e.extnamespace "
        "WHERE e.extname = 'pg_trgm'"
    )
    bind = op.get_bind()
    schema = bind.execute(find).scalar()
    if schema is None:
        has_public = bind.execute(
            sa.text("SELECT 1 FROM pg_namespace WHERE nspname = 'public'")
        ).scalar()
        try:
            with bind.begin_nested():  # a savepoint: a refusal leaves the migration going
                where = " SCHEMA public" if has_public else ""
                bind.execute(sa.text("CREATE EXTENSION IF NOT EXISTS pg_trgm" + where))
        except sa.exc.DBAPIError as exc:
            log.warning("pg_trgm unavailable (%s): text search stays a sequential scan", exc.orig)
            return None
        schema = bind.execute(find).scalar()
    return str(schema) if schema is not None else None


def upgrade() -> None:
    if op.get_bind().dialect.name != "postgresql":
        return
    schema = _trigram_schema()
    if schema is None:
        return
    for name, column in INDEXES.items():
        op.execute(
            f"CREATE INDEX IF NOT EXISTS {name} "
            f'ON ad USING gin (lower({column}) "{schema}".gin_trgm_ops)'
        )


def downgrade() -> None:
    if op.get_bind().dialect.name != "postgresql":
        return
    for name in INDEXES:
        op.execute(f"DROP INDEX IF EXISTS {name}")
