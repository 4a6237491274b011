"""directory indexes: the people directory's order, and its newest change.

The directory lists people by lower(coalesce(latin_name, full_name)), fifty a page: with the
index a page is read in order instead of sorting every person. updated_at's index gives the
newest change at once (the possible-duplicates figure is kept until it moves).

Revision ID: a9c4e1f7b3d2
Revises: f3c8a1d6b2e9
Create Date: 2026-12-07 09:00:00

"""
import sqlalchemy as sa
from alembic import op


# revision identifiers, used by Alembic.
revision = 'a9c4e1f7b3d2'
down_revision = 'f3c8a1d6b2e9'
branch_labels = None
depends_on = None


def upgrade():
    op.create_index(
        'ix_participants_sort_name',
        'participants',
        [sa.text('lower(coalesce(latin_name, full_name))'), 'id'],
    )
    op.create_index('ix_participants_updated_at', 'participants', ['updated_at'])


def downgrade():
    op.drop_index('ix_participants_updated_at', table_name='participants')
    op.drop_index('ix_participants_sort_name', table_name='participants')
