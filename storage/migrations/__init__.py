"""Alembic migrations of Vigie's schema, configured in code (no alembic.ini).

`storage.migrations.runner` runs them (`storage.engine.create_schema`, `vigie db upgrade`); the
revisions live in `versions/`. To write the next revision after changing a table model, from a
checkout whose database is at head:

    from alembic import command
    from storage.migrations.runner import alembic_config
    command.revision(alembic_config(url="sqlite:///scratch.db"), "add x", autogenerate=True)

then read and tidy the generated file (plain SQLAlchemy types, never the models' own classes).
"""
