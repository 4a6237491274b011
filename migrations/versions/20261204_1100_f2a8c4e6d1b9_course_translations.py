"""courses.translations, course_modules.translations: a course's texts in other languages.

A course file may translate its title, summary, module titles and objectives; `flask courses
sync` stores them (existing rows start with none and fall back to the main language).

Revision ID: f2a8c4e6d1b9
Revises: c3f7a1d9e5b2
Create Date: 2026-12-04 11:00:00

"""

import sqlalchemy as sa
from alembic import op

# revision identifiers, used by Alembic.
revision = "f2a8c4e6d1b9"
down_revision = "c3f7a1d9e5b2"
branch_labels = None
depends_on = None


def upgrade():
    for table in ("courses", "course_modules"):
        with op.batch_alter_table(table, schema=None) as batch_op:
            batch_op.add_column(
                sa.Column("translations", sa.JSON(), nullable=False, server_default="{}")
            )


def downgrade():
    for table in ("course_modules", "courses"):
        with op.batch_alter_table(table, schema=None) as batch_op:
            batch_op.drop_column("translations")
