"""Format 2: each copy of a file is a replica with its own change counter; sections can be entrusted.

Revision ID: 0002_collaboration
Revises: 0001_initial
"""

import uuid

import sqlalchemy as sa
from alembic import op

revision = "0002_collaboration"
down_revision = "0001_initial"
branch_labels = None
depends_on = None


def upgrade() -> None:
    with op.batch_alter_table("dossier") as batch:
        batch.add_column(sa.Column("replica_id", sa.String(36), nullable=False, server_default=""))
        batch.add_column(sa.Column("counter", sa.Integer, nullable=False, server_default="0"))
    with op.batch_alter_table("change") as batch:
        batch.add_column(sa.Column("replica_id", sa.String(36), nullable=False, server_default=""))
        batch.add_column(sa.Column("counter", sa.Integer, nullable=False, server_default="0"))
    replica = str(uuid.uuid4())
    op.execute(
        sa.text("UPDATE dossier SET replica_id = :r, counter = (SELECT count(*) FROM change)").bindparams(
            r=replica
        )
    )
    # number the existing changes as made in this copy, in their order
    op.execute(sa.text("UPDATE change SET replica_id = :r, counter = id").bindparams(r=replica))
    op.create_index("ix_change_replica", "change", ["replica_id", "counter"])
    op.create_table(
        "entrusted_section",
        sa.Column("section_id", sa.String(64), primary_key=True),
        sa.Column("partner", sa.Text, nullable=False),
    )
