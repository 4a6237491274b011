"""Recompute participants.name_key now that Persian yeh and keheh fold to Arabic yeh and kaf.

A name typed on a Persian or Urdu keyboard (علی, کریم) and the same name on an Arabic one
(علي, كريم) now share a key, so keys written before would no longer meet the keys of new rows.
Only the matching key changes; the names stay as typed. Downgrade keeps the new keys (a key is
recomputed whenever a name is edited, and the earlier folding is gone from the code).

Revision ID: c9e4b7a2d6f1
Revises: ab33121eee1e
Create Date: 2026-12-05 11:00:00

"""

from alembic import op

from app.enrolment.names import refold_stored_keys

# revision identifiers, used by Alembic.
revision = "c9e4b7a2d6f1"
down_revision = "ab33121eee1e"
branch_labels = None
depends_on = None


def upgrade():
    refold_stored_keys(op.get_bind())


def downgrade():
    pass
