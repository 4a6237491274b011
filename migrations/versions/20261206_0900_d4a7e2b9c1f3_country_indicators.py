"""country indicators: a country's annual level-4 figures, each with its source.

Revision ID: d4a7e2b9c1f3
Revises: c9e4b7a2d6f1
Create Date: 2026-12-06 09:00:00

"""
import sqlalchemy as sa
from alembic import op


# revision identifiers, used by Alembic.
revision = 'd4a7e2b9c1f3'
down_revision = 'c9e4b7a2d6f1'
branch_labels = None
depends_on = None


def upgrade():
    op.create_table('country_indicators',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('country_code', sa.String(length=2), nullable=False),
    sa.Column('year', sa.Integer(), nullable=False),
    sa.Column('indicator', sa.String(length=40), nullable=False),
    sa.Column('value', sa.Integer(), nullable=False),
    sa.Column('source', sa.Text(), nullable=False),
    sa.Column('entered_by_id', sa.Integer(), nullable=True),
    sa.Column('updated_at', sa.DateTime(timezone=True), nullable=False),
    sa.ForeignKeyConstraint(['entered_by_id'], ['users.id'], name=op.f('fk_country_indicators_entered_by_id_users'), ondelete='SET NULL'),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_country_indicators')),
    sa.UniqueConstraint('country_code', 'year', 'indicator', name=op.f('uq_country_indicators_country_code'))
    )
    with op.batch_alter_table('country_indicators', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_country_indicators_country_code'), ['country_code'], unique=False)


def downgrade():
    with op.batch_alter_table('country_indicators', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_country_indicators_country_code'))

    op.drop_table('country_indicators')
