"""follow-up observations: a focal point's follow-up answers about their country's officers.

Revision ID: e8b1c5d3a7f2
Revises: d4a7e2b9c1f3
Create Date: 2026-12-06 10:00:00

"""
import sqlalchemy as sa
from alembic import op


# revision identifiers, used by Alembic.
revision = 'e8b1c5d3a7f2'
down_revision = 'd4a7e2b9c1f3'
branch_labels = None
depends_on = None


def upgrade():
    op.create_table('follow_up_observations',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('instrument', sa.String(length=80), nullable=False),
    sa.Column('training_session_id', sa.Integer(), nullable=False),
    sa.Column('country_code', sa.String(length=2), nullable=False),
    sa.Column('observer_id', sa.Integer(), nullable=False),
    sa.Column('answers', sa.JSON(), nullable=False),
    sa.Column('submitted_on', sa.Date(), nullable=False),
    sa.ForeignKeyConstraint(['observer_id'], ['users.id'], name=op.f('fk_follow_up_observations_observer_id_users'), ondelete='CASCADE'),
    sa.ForeignKeyConstraint(['training_session_id'], ['training_sessions.id'], name=op.f('fk_follow_up_observations_training_session_id_training_sessions'), ondelete='CASCADE'),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_follow_up_observations')),
    sa.UniqueConstraint('instrument', 'training_session_id', 'country_code', 'observer_id', name=op.f('uq_follow_up_observations_instrument'))
    )
    with op.batch_alter_table('follow_up_observations', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_follow_up_observations_instrument'), ['instrument'], unique=False)
        batch_op.create_index(batch_op.f('ix_follow_up_observations_observer_id'), ['observer_id'], unique=False)
        batch_op.create_index(batch_op.f('ix_follow_up_observations_training_session_id'), ['training_session_id'], unique=False)


def downgrade():
    with op.batch_alter_table('follow_up_observations', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_follow_up_observations_training_session_id'))
        batch_op.drop_index(batch_op.f('ix_follow_up_observations_observer_id'))
        batch_op.drop_index(batch_op.f('ix_follow_up_observations_instrument'))

    op.drop_table('follow_up_observations')
