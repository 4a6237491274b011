"""Recompute participants.name_key with the folding that matches a person across spellings.

Letters decomposition leaves whole (ł, ø, đ, ı, æ, ß, ħ, þ), Arabic marks, tatweel and letter
variants, Hebrew points, apostrophes, zero-width and full-width characters now fold, so keys
written before would no longer meet the keys of new rows. Only the matching key changes; the
names stay as typed. Downgrade keeps the new keys (the earlier folding is gone from the code,
and a key is recomputed whenever a name is edited).

Revision ID: 7a3d9c1e5b20
Revises: 5e1f0a2b7c44
Create Date: 2026-12-02 09:00:00

"""

from alembic import op

from app.enrolment.names import refold_stored_keys

# revision identifiers, used by Alembic.
revision = "7a3d9c1e5b20"
down_revision = "5e1f0a2b7c44"
branch_labels = None
depends_on = None


def upgrade():
    refold_stored_keys(op.get_bind())


def downgrade():
    pass
