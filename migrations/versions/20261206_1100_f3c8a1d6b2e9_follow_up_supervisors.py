"""follow-up supervisors: a participant's supervisor, and their follow-up answers by link.

Participants get an optional supervisor (name, email). A follow-up observation gets a kind
(focal_point, as before, or supervisor); a supervisor's has no account (observer_id empty),
names the officer's place (enrolment_id, once per instrument) and who answered.

Revision ID: f3c8a1d6b2e9
Revises: e8b1c5d3a7f2
Create Date: 2026-12-06 11:00:00

"""
import sqlalchemy as sa
from alembic import op


# revision identifiers, used by Alembic.
revision = 'f3c8a1d6b2e9'
down_revision = 'e8b1c5d3a7f2'
branch_labels = None
depends_on = None


def upgrade():
    with op.batch_alter_table('participants', schema=None) as batch_op:
        batch_op.add_column(sa.Column('supervisor_name', sa.String(length=200), nullable=True))
        batch_op.add_column(sa.Column('supervisor_email', sa.String(length=254), nullable=True))

    with op.batch_alter_table('follow_up_observations', schema=None) as batch_op:
        batch_op.add_column(sa.Column('kind', sa.String(length=20), server_default='focal_point', nullable=False))
        batch_op.add_column(sa.Column('enrolment_id', sa.Integer(), nullable=True))
        batch_op.add_column(sa.Column('observer_name', sa.String(length=200), nullable=True))
        batch_op.add_column(sa.Column('observer_email', sa.String(length=254), nullable=True))
        batch_op.alter_column('observer_id', existing_type=sa.Integer(), nullable=True)
        batch_op.create_index(batch_op.f('ix_follow_up_observations_enrolment_id'), ['enrolment_id'], unique=False)
        batch_op.create_unique_constraint(batch_op.f('uq_follow_up_observations_enrolment_id'), ['enrolment_id', 'instrument'])
        batch_op.create_foreign_key(batch_op.f('fk_follow_up_observations_enrolment_id_enrolments'), 'enrolments', ['enrolment_id'], ['id'], ondelete='CASCADE')


def downgrade():
    # Supervisors' answers have no account to hang on once observer_id is required again.
    op.execute("DELETE FROM follow_up_observations WHERE observer_id IS NULL")
    with op.batch_alter_table('follow_up_observations', schema=None) as batch_op:
        batch_op.drop_constraint(batch_op.f('fk_follow_up_observations_enrolment_id_enrolments'), type_='foreignkey')
        batch_op.drop_constraint(batch_op.f('uq_follow_up_observations_enrolment_id'), type_='unique')
        batch_op.drop_index(batch_op.f('ix_follow_up_observations_enrolment_id'))
        batch_op.alter_column('observer_id', existing_type=sa.Integer(), nullable=False)
        batch_op.drop_column('observer_email')
        batch_op.drop_column('observer_name')
        batch_op.drop_column('enrolment_id')
        batch_op.drop_column('kind')

    with op.batch_alter_table('participants', schema=None) as batch_op:
        batch_op.drop_column('supervisor_email')
        batch_op.drop_column('supervisor_name')
