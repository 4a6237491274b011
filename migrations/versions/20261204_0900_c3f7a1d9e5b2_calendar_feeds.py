"""calendar feeds: a secret, revocable address per person for their calendar app.

Revision ID: c3f7a1d9e5b2
Revises: b8d4e6f1a2c9
Create Date: 2026-12-04 09:00:00

"""
import sqlalchemy as sa
from alembic import op



# revision identifiers, used by Alembic.
revision = 'c3f7a1d9e5b2'
down_revision = 'b8d4e6f1a2c9'
branch_labels = None
depends_on = None


def upgrade():
    op.create_table(
        'calendar_feeds',
        sa.Column('id', sa.Integer(), nullable=False),
        sa.Column('user_id', sa.Integer(), nullable=False),
        sa.Column('token_hash', sa.String(length=64), nullable=False),
        sa.Column('created_at', sa.DateTime(timezone=True), nullable=False),
        sa.ForeignKeyConstraint(['user_id'], ['users.id'], name=op.f('fk_calendar_feeds_user_id_users'), ondelete='CASCADE'),
        sa.PrimaryKeyConstraint('id', name=op.f('pk_calendar_feeds')),
        sa.UniqueConstraint('token_hash', name=op.f('uq_calendar_feeds_token_hash')),
        sa.UniqueConstraint('user_id', name=op.f('uq_calendar_feeds_user_id')),
    )


def downgrade():
    op.drop_table('calendar_feeds')
