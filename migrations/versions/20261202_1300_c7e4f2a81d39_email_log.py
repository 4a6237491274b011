"""email_log: every email, from queued to sent or failed, with its tries and the last reason.

Emails sent before this revision were not logged, so nothing is back-filled.

Revision ID: c7e4f2a81d39
Revises: 9acbc1c4b310
Create Date: 2026-12-02 13:00:00

"""

import sqlalchemy as sa
from alembic import op

# revision identifiers, used by Alembic.
revision = "c7e4f2a81d39"
down_revision = "9acbc1c4b310"
branch_labels = None
depends_on = None


def upgrade():
    op.create_table(
        "email_log",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("to_address", sa.String(length=254), nullable=False),
        sa.Column("subject", sa.String(length=300), nullable=False),
        sa.Column("template", sa.String(length=80), nullable=False),
        sa.Column("state", sa.String(length=10), nullable=False),
        sa.Column("attempts", sa.Integer(), nullable=False),
        sa.Column("error", sa.Text(), nullable=True),
        sa.Column("queued_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("last_attempt_at", sa.DateTime(timezone=True), nullable=True),
        sa.Column("sent_at", sa.DateTime(timezone=True), nullable=True),
        sa.PrimaryKeyConstraint("id"),
    )
    with op.batch_alter_table("email_log", schema=None) as batch_op:
        batch_op.create_index(batch_op.f("ix_email_log_to_address"), ["to_address"], unique=False)
        batch_op.create_index(batch_op.f("ix_email_log_state"), ["state"], unique=False)
        batch_op.create_index(batch_op.f("ix_email_log_queued_at"), ["queued_at"], unique=False)


def downgrade():
    with op.batch_alter_table("email_log", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_email_log_queued_at"))
        batch_op.drop_index(batch_op.f("ix_email_log_state"))
        batch_op.drop_index(batch_op.f("ix_email_log_to_address"))
    op.drop_table("email_log")
