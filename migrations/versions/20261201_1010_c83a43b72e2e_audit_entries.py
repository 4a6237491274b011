"""Audit trail: one append-only table of who did what to which record, and when.

Only actor_id is a foreign key (set to NULL when an account is deleted); the session,
participant and subject ids are plain integers so that entries outlive deleted or merged rows.

Revision ID: c83a43b72e2e
Revises: 650f79c41b3f
Create Date: 2026-12-01 10:10:54.227484

"""

import sqlalchemy as sa
from alembic import op


# revision identifiers, used by Alembic.
revision = "c83a43b72e2e"
down_revision = "650f79c41b3f"
branch_labels = None
depends_on = None

INDEXED = ["action", "actor_id", "at", "participant_id", "subject_user_id", "training_session_id"]


def upgrade():
    op.create_table(
        "audit_entries",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("actor_id", sa.Integer(), nullable=True),
        sa.Column("actor_label", sa.String(length=254), nullable=True),
        sa.Column("action", sa.String(length=60), nullable=False),
        sa.Column("target_type", sa.String(length=40), nullable=True),
        sa.Column("target_id", sa.Integer(), nullable=True),
        sa.Column("training_session_id", sa.Integer(), nullable=True),
        sa.Column("participant_id", sa.Integer(), nullable=True),
        sa.Column("subject_user_id", sa.Integer(), nullable=True),
        sa.Column("ip_address", sa.String(length=45), nullable=True),
        sa.Column("details", sa.JSON(), nullable=False),
        sa.ForeignKeyConstraint(
            ["actor_id"],
            ["users.id"],
            name=op.f("fk_audit_entries_actor_id_users"),
            ondelete="SET NULL",
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_audit_entries")),
    )
    with op.batch_alter_table("audit_entries", schema=None) as batch_op:
        for column in INDEXED:
            batch_op.create_index(batch_op.f(f"ix_audit_entries_{column}"), [column], unique=False)
        batch_op.create_index("ix_audit_entries_target", ["target_type", "target_id"], unique=False)


def downgrade():
    with op.batch_alter_table("audit_entries", schema=None) as batch_op:
        batch_op.drop_index("ix_audit_entries_target")
        for column in reversed(INDEXED):
            batch_op.drop_index(batch_op.f(f"ix_audit_entries_{column}"))
    op.drop_table("audit_entries")
