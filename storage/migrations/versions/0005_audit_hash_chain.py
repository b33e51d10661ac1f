"""The audit trail's hash chain: each entry carries the hash of the one before it.

Revision ID: 0005
Revises: 0003
Create Date: 2026-12-05

Columns `audit_entry.prev_hash` and `audit_entry.entry_hash` of storage/audit.py; the entries
already written are chained here, oldest first (storage/auditchain.py).
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

from storage.auditchain import GENESIS, hash_of
from storage.columns import JSONDocument, UTCDateTime

revision: str = "0005"
down_revision: str | None = "0003"
branch_labels: str | None = None
depends_on: str | None = None

_ENTRIES = sa.table(
    "audit_entry",
    sa.column("id", sa.Integer()),
    sa.column("at", UTCDateTime()),
    sa.column("actor", sa.String()),
    sa.column("zone", sa.String()),
    sa.column("action", sa.String()),
    sa.column("object_type", sa.String()),
    sa.column("object_id", sa.Text()),
    sa.column("reason", sa.Text()),
    sa.column("details", JSONDocument),
    sa.column("prev_hash", sa.String()),
    sa.column("entry_hash", sa.String()),
)


def upgrade() -> None:
    with op.batch_alter_table("audit_entry") as batch:
        batch.add_column(sa.Column("prev_hash", sa.String(), nullable=True))
        batch.add_column(sa.Column("entry_hash", sa.String(), nullable=True))
    connection = op.get_bind()
    previous, after = GENESIS, 0
    while True:
        rows = connection.execute(
            _ENTRIES.select().where(_ENTRIES.c.id > after).order_by(_ENTRIES.c.id).limit(1000)
        ).all()
        if not rows:
            break
        for row in rows:
            digest = hash_of(row, previous)
            connection.execute(
                _ENTRIES.update().where(_ENTRIES.c.id == row.id)
                .values(prev_hash=previous, entry_hash=digest)
            )
            previous = digest
        after = rows[-1].id


def downgrade() -> None:
    with op.batch_alter_table("audit_entry") as batch:
        batch.drop_column("entry_hash")
        batch.drop_column("prev_hash")
