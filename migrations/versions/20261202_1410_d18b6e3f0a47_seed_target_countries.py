"""Seed target_countries with INTERPOL's members, so that no page writes to seed it.

The reach pages used to fill an empty list on their first visit, a write inside a GET. A
database that already has a list (seeded that way, or chosen by a manager) keeps it; an empty
one gets the shipped INTERPOL list. Downgrade keeps the rows: they are the programme's list
now, and the earlier code would only have written the same ones.

Revision ID: d18b6e3f0a47
Revises: d3a9b6e05f12
Create Date: 2026-12-02 14:10:00

"""

from datetime import UTC, datetime

import sqlalchemy as sa
from alembic import op

from app.shared.regions import interpol_members

# revision identifiers, used by Alembic.
revision = "d18b6e3f0a47"
down_revision = "d3a9b6e05f12"
branch_labels = None
depends_on = None

targets = sa.table(
    "target_countries",
    sa.column("country_code", sa.String),
    sa.column("added_at", sa.DateTime(timezone=True)),
)


def upgrade():
    bind = op.get_bind()
    if bind.execute(sa.select(sa.func.count()).select_from(targets)).scalar():
        return
    now = datetime.now(UTC)
    bind.execute(
        targets.insert(), [{"country_code": code, "added_at": now} for code in interpol_members()]
    )


def downgrade():
    pass
