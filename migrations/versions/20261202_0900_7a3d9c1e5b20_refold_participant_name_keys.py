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

import sqlalchemy as sa
from alembic import op

from app.enrolment.names import normalise_name

# revision identifiers, used by Alembic.
revision = "7a3d9c1e5b20"
down_revision = "5e1f0a2b7c44"
branch_labels = None
depends_on = None

BATCH = 1000

people = sa.table(
    "participants",
    sa.column("id", sa.Integer),
    sa.column("full_name", sa.String),
    sa.column("name_key", sa.String),
)


def upgrade():
    bind = op.get_bind()
    rows = bind.execute(sa.select(people.c.id, people.c.full_name, people.c.name_key)).all()
    changed = [
        {"person_id": person_id, "key": normalise_name(name or "")}
        for person_id, name, key in rows
        if normalise_name(name or "") != key
    ]
    statement = (
        people.update()
        .where(people.c.id == sa.bindparam("person_id"))
        .values(name_key=sa.bindparam("key"))
    )
    for start in range(0, len(changed), BATCH):
        bind.execute(statement, changed[start : start + BATCH])


def downgrade():
    pass
