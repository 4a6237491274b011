"""user language: the interface and email language each person chose, defaulted from the participant record.

Revision ID: a4c1f9e2b7d3
Revises: c7e2a9d41b58
Create Date: 2026-12-02 17:00:00

"""
import sqlalchemy as sa
from alembic import op


# revision identifiers, used by Alembic.
revision = 'a4c1f9e2b7d3'
down_revision = 'c7e2a9d41b58'
branch_labels = None
depends_on = None

# The interface languages at the time of writing (app.config LANGUAGES): a migration must not
# read the live configuration, which may grow.
SUPPORTED = ("en", "fr", "es", "ar")


def upgrade():
    with op.batch_alter_table('users', schema=None) as batch_op:
        batch_op.add_column(sa.Column('language', sa.String(length=10), nullable=True))
    # An account linked to a participant speaks the language the participant record gives,
    # where the platform has a catalogue for it.
    users = sa.table('users', sa.column('id', sa.Integer), sa.column('language', sa.String))
    participants = sa.table(
        'participants',
        sa.column('user_id', sa.Integer),
        sa.column('preferred_language', sa.String),
    )
    preferred = (
        sa.select(participants.c.preferred_language)
        .where(participants.c.user_id == users.c.id)
        .where(participants.c.preferred_language.in_(SUPPORTED))
        .scalar_subquery()
    )
    op.execute(users.update().values(language=preferred).where(users.c.language.is_(None)))


def downgrade():
    with op.batch_alter_table('users', schema=None) as batch_op:
        batch_op.drop_column('language')
