"""attendance_marks: taps made on a phone, kept once by the id the phone gave them.

The offline roll call sends its saved taps in batches, perhaps more than once; the unique
mark_id makes a resent tap count once. Existing records have no marks (they were not sent
in batches), so nothing is back-filled.

Revision ID: e5c2a9f17b3d
Revises: b41e7d2c9a06
Create Date: 2026-12-02 11:00:00

"""

import sqlalchemy as sa
from alembic import op

# revision identifiers, used by Alembic.
revision = "e5c2a9f17b3d"
down_revision = "b41e7d2c9a06"
branch_labels = None
depends_on = None


def upgrade():
    op.create_table(
        "attendance_marks",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("mark_id", sa.String(length=36), nullable=False),
        sa.Column("attendance_record_id", sa.Integer(), nullable=False),
        sa.Column("status", sa.String(length=10), nullable=False),
        sa.Column("marked_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("recorded_by_id", sa.Integer(), nullable=True),
        sa.Column("received_at", sa.DateTime(timezone=True), nullable=False),
        sa.ForeignKeyConstraint(
            ["attendance_record_id"], ["attendance_records.id"], ondelete="CASCADE"
        ),
        sa.ForeignKeyConstraint(["recorded_by_id"], ["users.id"]),
        sa.PrimaryKeyConstraint("id"),
        sa.UniqueConstraint("mark_id"),
    )
    with op.batch_alter_table("attendance_marks", schema=None) as batch_op:
        batch_op.create_index(
            batch_op.f("ix_attendance_marks_attendance_record_id"),
            ["attendance_record_id"],
            unique=False,
        )


def downgrade():
    with op.batch_alter_table("attendance_marks", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_attendance_marks_attendance_record_id"))
    op.drop_table("attendance_marks")
