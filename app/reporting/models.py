"""The programme's target list of countries; reporting otherwise only reads other domains."""

from datetime import datetime

from sqlalchemy import String
from sqlalchemy.orm import Mapped, mapped_column

from app.extensions import db
from app.shared.models import UTCDateTime, utcnow


class TargetCountry(db.Model):
    """A country the programme aims to reach (seeded from INTERPOL's member list)."""

    __tablename__ = "target_countries"

    country_code: Mapped[str] = mapped_column(String(2), primary_key=True)
    added_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)
