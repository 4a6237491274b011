"""accounts name index: the accounts page reads fifty accounts by name without sorting all.

Revision ID: b2e6d9a4c8f1
Revises: a9c4e1f7b3d2
Create Date: 2026-12-07 10:00:00

"""
from alembic import op


# revision identifiers, used by Alembic.
revision = 'b2e6d9a4c8f1'
down_revision = 'a9c4e1f7b3d2'
branch_labels = None
depends_on = None


def upgrade():
    op.create_index('ix_users_name', 'users', ['name', 'id'])


def downgrade():
    op.drop_index('ix_users_name', table_name='users')
