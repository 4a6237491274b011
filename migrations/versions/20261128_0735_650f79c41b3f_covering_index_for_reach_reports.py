"""Covering index for the reach reports.

The reports read every completed enrolment of every completed session. With this index they
read it from the index alone instead of visiting each table row (on 300,000 enrolments the
aggregate SQL went from 3.5 s to 2.1 s on SQLite). It starts with training_session_id, so the
single-column index on that column is no longer needed.

Revision ID: 650f79c41b3f
Revises: 2dfc61477abb
Create Date: 2026-11-28 07:35:43.223128

"""

from alembic import op


# revision identifiers, used by Alembic.
revision = "650f79c41b3f"
down_revision = "2dfc61477abb"
branch_labels = None
depends_on = None

REACH_COLUMNS = [
    "training_session_id",
    "completed",
    "participant_id",
    "country_code",
    "agency_type",
]


def upgrade():
    with op.batch_alter_table("enrolments", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_enrolments_training_session_id"))
        batch_op.create_index("ix_enrolments_reach", REACH_COLUMNS, unique=False)


def downgrade():
    with op.batch_alter_table("enrolments", schema=None) as batch_op:
        batch_op.drop_index("ix_enrolments_reach")
        batch_op.create_index(
            batch_op.f("ix_enrolments_training_session_id"), ["training_session_id"], unique=False
        )
