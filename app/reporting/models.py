"""The programme's target list of countries; reporting otherwise only reads other domains."""

from datetime import datetime

from sqlalchemy import Connection, String, Table, event
from sqlalchemy.orm import Mapped, mapped_column

from app.extensions import db
from app.shared.models import UTCDateTime, utcnow


class TargetCountry(db.Model):
    """A country the programme aims to reach (seeded from INTERPOL's member list)."""

    __tablename__ = "target_countries"

    country_code: Mapped[str] = mapped_column(String(2), primary_key=True)
    added_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)


@event.listens_for(TargetCountry.__table__, "after_create")
def _seed_targets(table: Table, connection: Connection, **_kwargs) -> None:
    """Fill a newly created table with INTERPOL's members, so no page has to write to seed it.

    Migrated databases get the same rows from the data migration that seeds the list.
    """
    from app.shared.regions import interpol_members

    now = utcnow()
    connection.execute(
        table.insert(), [{"country_code": code, "added_at": now} for code in interpol_members()]
    )


class ReachDataVersion(db.Model):
    """One row counting changes to what reach is computed from: the cached figures' key.

    reporting/freshness.py bumps it in the transaction that changes the data, so a cached
    figure under an older number is never read again.
    """

    __tablename__ = "reach_data_version"

    id: Mapped[int] = mapped_column(primary_key=True)
    version: Mapped[int] = mapped_column(default=1)


@event.listens_for(ReachDataVersion.__table__, "after_create")
def _seed_version(table: Table, connection: Connection, **_kwargs) -> None:
    """Create the one row with the table, so that every bump is a plain UPDATE."""
    connection.execute(table.insert(), [{"id": 1, "version": 1}])
