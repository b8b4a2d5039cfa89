"""Alembic environment of the HQ database. Run through ``clinic-hq db upgrade``, not by hand."""

from alembic import context

from clinic_hq.schema import metadata

config = context.config
connection = config.attributes["connection"]

context.configure(connection=connection, target_metadata=metadata, compare_type=True)
with context.begin_transaction():
    context.run_migrations()
