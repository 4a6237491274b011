"""course_modules.alternative_group: modules that are variants of one topic count once.

A session without an agenda is credited with its version's modules for its legal tradition,
one module per group. The groups come from the course files: `flask courses sync` sets them on
every version holding those modules (existing rows start without a group).

Revision ID: b41e7d2c9a06
Revises: 7a3d9c1e5b20
Create Date: 2026-12-02 09:30:00

"""

import sqlalchemy as sa
from alembic import op

# revision identifiers, used by Alembic.
revision = "b41e7d2c9a06"
down_revision = "7a3d9c1e5b20"
branch_labels = None
depends_on = None


def upgrade():
    with op.batch_alter_table("course_modules", schema=None) as batch_op:
        batch_op.add_column(sa.Column("alternative_group", sa.String(length=80), nullable=True))


def downgrade():
    with op.batch_alter_table("course_modules", schema=None) as batch_op:
        batch_op.drop_column("alternative_group")
