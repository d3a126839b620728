"""Alembic environment: always run on the connection handed over by models/migrate.py."""

from alembic import context

from spie_desktop.models.schema import Base

config = context.config
connection = config.attributes["connection"]
context.configure(connection=connection, target_metadata=Base.metadata, render_as_batch=True)
with context.begin_transaction():
    context.run_migrations()
