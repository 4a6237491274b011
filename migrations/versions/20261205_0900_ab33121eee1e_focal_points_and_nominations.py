"""focal points and nominations: a focal point's countries, agency types and principal; calls
for nominations on a session, its invited countries and seats, the nominees and their vetting.

Revision ID: ab33121eee1e
Revises: f2a8c4e6d1b9
Create Date: 2026-12-05 09:00:00

"""
import sqlalchemy as sa
from alembic import op


# revision identifiers, used by Alembic.
revision = 'ab33121eee1e'
down_revision = 'f2a8c4e6d1b9'
branch_labels = None
depends_on = None


def upgrade():
    op.create_table('focal_point_agency_types',
    sa.Column('user_id', sa.Integer(), nullable=False),
    sa.Column('agency_type', sa.String(length=20), nullable=False),
    sa.ForeignKeyConstraint(['user_id'], ['users.id'], name=op.f('fk_focal_point_agency_types_user_id_users'), ondelete='CASCADE'),
    sa.PrimaryKeyConstraint('user_id', 'agency_type', name=op.f('pk_focal_point_agency_types'))
    )
    op.create_table('focal_point_countries',
    sa.Column('user_id', sa.Integer(), nullable=False),
    sa.Column('country_code', sa.String(length=2), nullable=False),
    sa.ForeignKeyConstraint(['user_id'], ['users.id'], name=op.f('fk_focal_point_countries_user_id_users'), ondelete='CASCADE'),
    sa.PrimaryKeyConstraint('user_id', 'country_code', name=op.f('pk_focal_point_countries'))
    )
    with op.batch_alter_table('focal_point_countries', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_focal_point_countries_country_code'), ['country_code'], unique=False)

    op.create_table('focal_point_deputies',
    sa.Column('deputy_id', sa.Integer(), nullable=False),
    sa.Column('principal_id', sa.Integer(), nullable=False),
    sa.ForeignKeyConstraint(['deputy_id'], ['users.id'], name=op.f('fk_focal_point_deputies_deputy_id_users'), ondelete='CASCADE'),
    sa.ForeignKeyConstraint(['principal_id'], ['users.id'], name=op.f('fk_focal_point_deputies_principal_id_users'), ondelete='CASCADE'),
    sa.PrimaryKeyConstraint('deputy_id', name=op.f('pk_focal_point_deputies'))
    )
    with op.batch_alter_table('focal_point_deputies', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_focal_point_deputies_principal_id'), ['principal_id'], unique=False)

    op.create_table('nomination_calls',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('training_session_id', sa.Integer(), nullable=False),
    sa.Column('deadline_at', sa.DateTime(timezone=True), nullable=False),
    sa.Column('audiences', sa.JSON(), nullable=False),
    sa.Column('agency_types', sa.JSON(), nullable=False),
    sa.Column('min_years_of_service', sa.Integer(), nullable=True),
    sa.Column('working_language', sa.String(length=10), nullable=True),
    sa.Column('other_criteria', sa.Text(), nullable=False),
    sa.Column('women_target_percent', sa.Integer(), nullable=True),
    sa.Column('opened_by_id', sa.Integer(), nullable=True),
    sa.Column('opened_at', sa.DateTime(timezone=True), nullable=False),
    sa.Column('updated_at', sa.DateTime(timezone=True), nullable=False),
    sa.ForeignKeyConstraint(['opened_by_id'], ['users.id'], name=op.f('fk_nomination_calls_opened_by_id_users')),
    sa.ForeignKeyConstraint(['training_session_id'], ['training_sessions.id'], name=op.f('fk_nomination_calls_training_session_id_training_sessions'), ondelete='CASCADE'),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_nomination_calls')),
    sa.UniqueConstraint('training_session_id', name=op.f('uq_nomination_calls_training_session_id'))
    )
    op.create_table('nomination_call_countries',
    sa.Column('call_id', sa.Integer(), nullable=False),
    sa.Column('country_code', sa.String(length=2), nullable=False),
    sa.Column('seats', sa.Integer(), nullable=False),
    sa.Column('invited_at', sa.DateTime(timezone=True), nullable=False),
    sa.ForeignKeyConstraint(['call_id'], ['nomination_calls.id'], name=op.f('fk_nomination_call_countries_call_id_nomination_calls'), ondelete='CASCADE'),
    sa.PrimaryKeyConstraint('call_id', 'country_code', name=op.f('pk_nomination_call_countries'))
    )
    op.create_table('nominations',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('call_id', sa.Integer(), nullable=False),
    sa.Column('participant_id', sa.Integer(), nullable=False),
    sa.Column('country_code', sa.String(length=2), nullable=False),
    sa.Column('priority', sa.Integer(), nullable=False),
    sa.Column('status', sa.String(length=20), nullable=False),
    sa.Column('justification', sa.Text(), nullable=False),
    sa.Column('years_of_service', sa.Integer(), nullable=True),
    sa.Column('speaks_working_language', sa.Boolean(), nullable=True),
    sa.Column('meets_other_criteria', sa.Boolean(), nullable=True),
    sa.Column('decision_reason', sa.Text(), nullable=True),
    sa.Column('replaces_id', sa.Integer(), nullable=True),
    sa.Column('enrolment_id', sa.Integer(), nullable=True),
    sa.Column('nominated_by_id', sa.Integer(), nullable=True),
    sa.Column('created_at', sa.DateTime(timezone=True), nullable=False),
    sa.Column('updated_at', sa.DateTime(timezone=True), nullable=False),
    sa.ForeignKeyConstraint(['call_id'], ['nomination_calls.id'], name=op.f('fk_nominations_call_id_nomination_calls'), ondelete='CASCADE'),
    sa.ForeignKeyConstraint(['enrolment_id'], ['enrolments.id'], name=op.f('fk_nominations_enrolment_id_enrolments')),
    sa.ForeignKeyConstraint(['nominated_by_id'], ['users.id'], name=op.f('fk_nominations_nominated_by_id_users')),
    sa.ForeignKeyConstraint(['participant_id'], ['participants.id'], name=op.f('fk_nominations_participant_id_participants')),
    sa.ForeignKeyConstraint(['replaces_id'], ['nominations.id'], name=op.f('fk_nominations_replaces_id_nominations')),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_nominations')),
    sa.UniqueConstraint('call_id', 'participant_id', name=op.f('uq_nominations_call_id'))
    )
    with op.batch_alter_table('nominations', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_nominations_call_id'), ['call_id'], unique=False)
        batch_op.create_index(batch_op.f('ix_nominations_country_code'), ['country_code'], unique=False)
        batch_op.create_index(batch_op.f('ix_nominations_participant_id'), ['participant_id'], unique=False)
        batch_op.create_index(batch_op.f('ix_nominations_status'), ['status'], unique=False)

    op.create_table('vetting_checks',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('nomination_id', sa.Integer(), nullable=False),
    sa.Column('outcome', sa.String(length=20), nullable=False),
    sa.Column('checked_on', sa.Date(), nullable=False),
    sa.Column('external_reference', sa.String(length=120), nullable=False),
    sa.Column('recorded_by_id', sa.Integer(), nullable=True),
    sa.Column('recorded_at', sa.DateTime(timezone=True), nullable=False),
    sa.ForeignKeyConstraint(['nomination_id'], ['nominations.id'], name=op.f('fk_vetting_checks_nomination_id_nominations'), ondelete='CASCADE'),
    sa.ForeignKeyConstraint(['recorded_by_id'], ['users.id'], name=op.f('fk_vetting_checks_recorded_by_id_users')),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_vetting_checks'))
    )
    with op.batch_alter_table('vetting_checks', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_vetting_checks_nomination_id'), ['nomination_id'], unique=False)



def downgrade():
    with op.batch_alter_table('vetting_checks', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_vetting_checks_nomination_id'))

    op.drop_table('vetting_checks')
    with op.batch_alter_table('nominations', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_nominations_status'))
        batch_op.drop_index(batch_op.f('ix_nominations_participant_id'))
        batch_op.drop_index(batch_op.f('ix_nominations_country_code'))
        batch_op.drop_index(batch_op.f('ix_nominations_call_id'))

    op.drop_table('nominations')
    op.drop_table('nomination_call_countries')
    op.drop_table('nomination_calls')
    with op.batch_alter_table('focal_point_deputies', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_focal_point_deputies_principal_id'))

    op.drop_table('focal_point_deputies')
    with op.batch_alter_table('focal_point_countries', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_focal_point_countries_country_code'))

    op.drop_table('focal_point_countries')
    op.drop_table('focal_point_agency_types')
