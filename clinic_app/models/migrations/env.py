"""Alembic environment for the desktop store. Run through ``clinic_app.models.migrate``, not by hand."""

from alembic import context

from clinic_app.models import Base

config = context.config
connection = config.attributes["connection"]

context.configure(
    connection=connection,
    target_metadata=Base.metadata,
    render_as_batch=True,  # SQLite cannot ALTER most things; batch mode copies the table instead
    compare_type=True,
)
with context.begin_transaction():
    context.run_migrations()
