"""Add reach_data_version: the number that keys the cached reach figures.

Every change to sessions, enrolments, completions, participants' countries or course hours
bumps it in the same transaction (app/reporting/freshness.py).

Revision ID: b6d2e8f4a1c7
Revises: a4c1f9e2b7d3
Create Date: 2026-12-03 09:00:00

"""

import sqlalchemy as sa
from alembic import op

# revision identifiers, used by Alembic.
revision = "b6d2e8f4a1c7"
down_revision = "a4c1f9e2b7d3"
branch_labels = None
depends_on = None


def upgrade():
    table = op.create_table(
        "reach_data_version",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("version", sa.Integer(), nullable=False),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_reach_data_version")),
    )
    op.bulk_insert(table, [{"id": 1, "version": 1}])


def downgrade():
    op.drop_table("reach_data_version")
