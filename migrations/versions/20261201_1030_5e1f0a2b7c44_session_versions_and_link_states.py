"""Session versions for "sign out everywhere"; cancelled links; email changes by confirmation.

users.session_version is part of the id kept in session and remember-me cookies, so bumping
it ends every session of the account. account_tokens gain cancelled_at (a newer link, a used
link or a deactivation voids the others) and new_email (the address an email-change link
confirms before it becomes the login).

Revision ID: 5e1f0a2b7c44
Revises: c83a43b72e2e
Create Date: 2026-12-01 10:30:00

"""

import sqlalchemy as sa
from alembic import op

# revision identifiers, used by Alembic.
revision = "5e1f0a2b7c44"
down_revision = "c83a43b72e2e"
branch_labels = None
depends_on = None


def upgrade():
    with op.batch_alter_table("users", schema=None) as batch_op:
        batch_op.add_column(
            sa.Column("session_version", sa.Integer(), server_default="1", nullable=False)
        )
    with op.batch_alter_table("account_tokens", schema=None) as batch_op:
        batch_op.add_column(
            sa.Column("cancelled_at", sa.DateTime(timezone=True), nullable=True)
        )
        batch_op.add_column(sa.Column("new_email", sa.String(length=254), nullable=True))


def downgrade():
    with op.batch_alter_table("account_tokens", schema=None) as batch_op:
        batch_op.drop_column("new_email")
        batch_op.drop_column("cancelled_at")
    with op.batch_alter_table("users", schema=None) as batch_op:
        batch_op.drop_column("session_version")
