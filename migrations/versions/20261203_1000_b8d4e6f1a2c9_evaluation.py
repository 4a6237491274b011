"""evaluation: anonymous survey responses, the register of who answered, reminders, knowledge-test attempts, trainers' reports.

Revision ID: b8d4e6f1a2c9
Revises: b6d2e8f4a1c7
Create Date: 2026-12-03 10:00:00

"""
import sqlalchemy as sa
from alembic import op


# revision identifiers, used by Alembic.
revision = 'b8d4e6f1a2c9'
down_revision = 'b6d2e8f4a1c7'
branch_labels = None
depends_on = None


def upgrade():
    op.create_table('survey_reminders',
    sa.Column('instrument', sa.String(length=80), nullable=False),
    sa.Column('training_session_id', sa.Integer(), nullable=False),
    sa.Column('number', sa.Integer(), nullable=False),
    sa.Column('sent_on', sa.Date(), nullable=False),
    sa.Column('recipients', sa.Integer(), nullable=False),
    sa.ForeignKeyConstraint(['training_session_id'], ['training_sessions.id'], name=op.f('fk_survey_reminders_training_session_id_training_sessions'), ondelete='CASCADE'),
    sa.PrimaryKeyConstraint('instrument', 'training_session_id', 'number', name=op.f('pk_survey_reminders'))
    )
    op.create_table('survey_respondents',
    sa.Column('instrument', sa.String(length=80), nullable=False),
    sa.Column('enrolment_id', sa.Integer(), nullable=False),
    sa.ForeignKeyConstraint(['enrolment_id'], ['enrolments.id'], name=op.f('fk_survey_respondents_enrolment_id_enrolments'), ondelete='CASCADE'),
    sa.PrimaryKeyConstraint('instrument', 'enrolment_id', name=op.f('pk_survey_respondents'))
    )
    with op.batch_alter_table('survey_respondents', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_survey_respondents_enrolment_id'), ['enrolment_id'], unique=False)

    op.create_table('survey_responses',
    sa.Column('id', sa.String(length=32), nullable=False),
    sa.Column('instrument', sa.String(length=80), nullable=False),
    sa.Column('training_session_id', sa.Integer(), nullable=False),
    sa.Column('submitted_on', sa.Date(), nullable=False),
    sa.ForeignKeyConstraint(['training_session_id'], ['training_sessions.id'], name=op.f('fk_survey_responses_training_session_id_training_sessions'), ondelete='CASCADE'),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_survey_responses'))
    )
    with op.batch_alter_table('survey_responses', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_survey_responses_instrument'), ['instrument'], unique=False)
        batch_op.create_index(batch_op.f('ix_survey_responses_training_session_id'), ['training_session_id'], unique=False)

    op.create_table('survey_answers',
    sa.Column('id', sa.String(length=32), nullable=False),
    sa.Column('response_id', sa.String(length=32), nullable=False),
    sa.Column('question', sa.String(length=80), nullable=False),
    sa.Column('choice', sa.Integer(), nullable=True),
    sa.Column('text', sa.Text(), nullable=True),
    sa.ForeignKeyConstraint(['response_id'], ['survey_responses.id'], name=op.f('fk_survey_answers_response_id_survey_responses'), ondelete='CASCADE'),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_survey_answers'))
    )
    with op.batch_alter_table('survey_answers', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_survey_answers_response_id'), ['response_id'], unique=False)

    op.create_table('test_attempts',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('enrolment_id', sa.Integer(), nullable=False),
    sa.Column('instrument', sa.String(length=80), nullable=False),
    sa.Column('phase', sa.String(length=4), nullable=False),
    sa.Column('form', sa.String(length=1), nullable=False),
    sa.Column('answers', sa.JSON(), nullable=False),
    sa.Column('score', sa.Integer(), nullable=False),
    sa.Column('max_score', sa.Integer(), nullable=False),
    sa.Column('taken_on', sa.Date(), nullable=False),
    sa.Column('entered_by_id', sa.Integer(), nullable=True),
    sa.Column('created_at', sa.DateTime(timezone=True), nullable=False),
    sa.ForeignKeyConstraint(['enrolment_id'], ['enrolments.id'], name=op.f('fk_test_attempts_enrolment_id_enrolments'), ondelete='CASCADE'),
    sa.ForeignKeyConstraint(['entered_by_id'], ['users.id'], name=op.f('fk_test_attempts_entered_by_id_users')),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_test_attempts')),
    sa.UniqueConstraint('enrolment_id', 'phase', name=op.f('uq_test_attempts_enrolment_id'))
    )
    with op.batch_alter_table('test_attempts', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_test_attempts_enrolment_id'), ['enrolment_id'], unique=False)



    op.create_table('trainer_reports',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('training_session_id', sa.Integer(), nullable=False),
    sa.Column('author_id', sa.Integer(), nullable=False),
    sa.Column('instrument', sa.String(length=80), nullable=False),
    sa.Column('answers', sa.JSON(), nullable=False),
    sa.Column('submitted_on', sa.Date(), nullable=False),
    sa.ForeignKeyConstraint(['author_id'], ['users.id'], name=op.f('fk_trainer_reports_author_id_users')),
    sa.ForeignKeyConstraint(['training_session_id'], ['training_sessions.id'], name=op.f('fk_trainer_reports_training_session_id_training_sessions'), ondelete='CASCADE'),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_trainer_reports')),
    sa.UniqueConstraint('training_session_id', 'author_id', name=op.f('uq_trainer_reports_training_session_id'))
    )
    with op.batch_alter_table('trainer_reports', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_trainer_reports_training_session_id'), ['training_session_id'], unique=False)


def downgrade():
    with op.batch_alter_table('trainer_reports', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_trainer_reports_training_session_id'))

    op.drop_table('trainer_reports')
    with op.batch_alter_table('test_attempts', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_test_attempts_enrolment_id'))

    op.drop_table('test_attempts')
    with op.batch_alter_table('survey_answers', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_survey_answers_response_id'))

    op.drop_table('survey_answers')
    with op.batch_alter_table('survey_responses', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_survey_responses_training_session_id'))
        batch_op.drop_index(batch_op.f('ix_survey_responses_instrument'))

    op.drop_table('survey_responses')
    with op.batch_alter_table('survey_respondents', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_survey_respondents_enrolment_id'))

    op.drop_table('survey_respondents')
    op.drop_table('survey_reminders')
