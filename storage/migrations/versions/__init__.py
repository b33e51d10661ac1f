"""Revisions of Vigie's schema, one module each, applied in order by Alembic."""
