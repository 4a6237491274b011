"""Large history imports run as jobs: one row per import with its progress.

history_imports records an import confirmed in a request (the kept upload's token, the rows
in the file) and how far the worker has got: rows done, the first errors by row as JSON, the
state, and the counts of what it created once done.

Revision ID: d3a9b6e05f12
Revises: c7e4f2a81d39
Create Date: 2026-12-02 14:00:00

"""

import sqlalchemy as sa
from alembic import op


# revision identifiers, used by Alembic.
revision = 'd3a9b6e05f12'
down_revision = 'c7e4f2a81d39'
branch_labels = None
depends_on = None


def upgrade():
    op.create_table('history_imports',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('kind', sa.String(length=20), nullable=False),
    sa.Column('requested_by_id', sa.Integer(), nullable=True),
    sa.Column('filename', sa.String(length=255), nullable=False),
    sa.Column('file_token', sa.String(length=80), nullable=False),
    sa.Column('state', sa.String(length=20), nullable=False),
    sa.Column('total', sa.Integer(), nullable=False),
    sa.Column('done', sa.Integer(), nullable=False),
    sa.Column('errors', sa.JSON(), nullable=False),
    sa.Column('error_count', sa.Integer(), nullable=False),
    sa.Column('summary', sa.JSON(), nullable=False),
    sa.Column('attempts', sa.Integer(), nullable=False),
    sa.Column('created_at', sa.DateTime(timezone=True), nullable=False),
    sa.Column('updated_at', sa.DateTime(timezone=True), nullable=False),
    sa.Column('finished_at', sa.DateTime(timezone=True), nullable=True),
    sa.ForeignKeyConstraint(['requested_by_id'], ['users.id'], name=op.f('fk_history_imports_requested_by_id_users')),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_history_imports')),
    sa.UniqueConstraint('file_token', name=op.f('uq_history_imports_file_token'))
    )
    with op.batch_alter_table('history_imports', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_history_imports_requested_by_id'), ['requested_by_id'], unique=False)
        batch_op.create_index(batch_op.f('ix_history_imports_state'), ['state'], unique=False)


def downgrade():
    with op.batch_alter_table('history_imports', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_history_imports_state'))
        batch_op.drop_index(batch_op.f('ix_history_imports_requested_by_id'))

    op.drop_table('history_imports')
