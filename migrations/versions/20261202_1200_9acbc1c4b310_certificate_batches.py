"""Certificate batches run as jobs; an enrolment has at most one live certificate.

certificate_batches records work asked for in a request (issue, reissue, ZIP) and its progress;
certificate_batch_items holds one pending certificate per enrolment of a batch. A partial
unique index keeps one live (not revoked) certificate per enrolment, so a batch run twice or
two workers on one batch never issue a second one. Should an older race have left two live
certificates of one enrolment, all but the newest are revoked first, saying why.

Revision ID: 9acbc1c4b310
Revises: e5c2a9f17b3d
Create Date: 2026-12-02 12:00:00

"""

import sqlalchemy as sa
from alembic import op


# revision identifiers, used by Alembic.
revision = '9acbc1c4b310'
down_revision = 'e5c2a9f17b3d'
branch_labels = None
depends_on = None


def upgrade():
    op.create_table('certificate_batches',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('training_session_id', sa.Integer(), nullable=False),
    sa.Column('kind', sa.String(length=20), nullable=False),
    sa.Column('status', sa.String(length=20), nullable=False),
    sa.Column('requested_by_id', sa.Integer(), nullable=True),
    sa.Column('reason', sa.Text(), nullable=True),
    sa.Column('notify', sa.Boolean(), nullable=False),
    sa.Column('total', sa.Integer(), nullable=False),
    sa.Column('done', sa.Integer(), nullable=False),
    sa.Column('failed', sa.Integer(), nullable=False),
    sa.Column('attempts', sa.Integer(), nullable=False),
    sa.Column('error', sa.Text(), nullable=True),
    sa.Column('result', sa.LargeBinary(), nullable=True),
    sa.Column('created_at', sa.DateTime(timezone=True), nullable=False),
    sa.Column('updated_at', sa.DateTime(timezone=True), nullable=False),
    sa.Column('finished_at', sa.DateTime(timezone=True), nullable=True),
    sa.ForeignKeyConstraint(['requested_by_id'], ['users.id'], name=op.f('fk_certificate_batches_requested_by_id_users')),
    sa.ForeignKeyConstraint(['training_session_id'], ['training_sessions.id'], name=op.f('fk_certificate_batches_training_session_id_training_sessions'), ondelete='CASCADE'),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_certificate_batches'))
    )
    with op.batch_alter_table('certificate_batches', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_certificate_batches_status'), ['status'], unique=False)
        batch_op.create_index(batch_op.f('ix_certificate_batches_training_session_id'), ['training_session_id'], unique=False)

    op.create_table('certificate_batch_items',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('batch_id', sa.Integer(), nullable=False),
    sa.Column('enrolment_id', sa.Integer(), nullable=False),
    sa.Column('status', sa.String(length=20), nullable=False),
    sa.Column('replaces_id', sa.Integer(), nullable=True),
    sa.Column('certificate_id', sa.Integer(), nullable=True),
    sa.Column('error', sa.Text(), nullable=True),
    sa.ForeignKeyConstraint(['batch_id'], ['certificate_batches.id'], name=op.f('fk_certificate_batch_items_batch_id_certificate_batches'), ondelete='CASCADE'),
    sa.ForeignKeyConstraint(['certificate_id'], ['certificates.id'], name=op.f('fk_certificate_batch_items_certificate_id_certificates')),
    sa.ForeignKeyConstraint(['enrolment_id'], ['enrolments.id'], name=op.f('fk_certificate_batch_items_enrolment_id_enrolments'), ondelete='CASCADE'),
    sa.ForeignKeyConstraint(['replaces_id'], ['certificates.id'], name=op.f('fk_certificate_batch_items_replaces_id_certificates')),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_certificate_batch_items')),
    sa.UniqueConstraint('batch_id', 'enrolment_id', name=op.f('uq_certificate_batch_items_batch_id'))
    )
    with op.batch_alter_table('certificate_batch_items', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_certificate_batch_items_batch_id'), ['batch_id'], unique=False)
        batch_op.create_index(batch_op.f('ix_certificate_batch_items_enrolment_id'), ['enrolment_id'], unique=False)

    op.execute(
        sa.text(
            "UPDATE certificates SET revoked_at = CURRENT_TIMESTAMP, "
            "revocation_reason = 'Duplicate of a newer certificate of the same enrolment' "
            "WHERE revoked_at IS NULL AND id < ("
            "SELECT MAX(newer.id) FROM certificates AS newer "
            "WHERE newer.enrolment_id = certificates.enrolment_id AND newer.revoked_at IS NULL)"
        )
    )
    with op.batch_alter_table('certificates', schema=None) as batch_op:
        batch_op.create_index('uq_certificates_live_enrolment', ['enrolment_id'], unique=True, sqlite_where=sa.text('revoked_at IS NULL'), postgresql_where=sa.text('revoked_at IS NULL'))



def downgrade():
    with op.batch_alter_table('certificates', schema=None) as batch_op:
        batch_op.drop_index('uq_certificates_live_enrolment', sqlite_where=sa.text('revoked_at IS NULL'), postgresql_where=sa.text('revoked_at IS NULL'))

    with op.batch_alter_table('certificate_batch_items', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_certificate_batch_items_enrolment_id'))
        batch_op.drop_index(batch_op.f('ix_certificate_batch_items_batch_id'))

    op.drop_table('certificate_batch_items')
    with op.batch_alter_table('certificate_batches', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_certificate_batches_training_session_id'))
        batch_op.drop_index(batch_op.f('ix_certificate_batches_status'))

    op.drop_table('certificate_batches')
