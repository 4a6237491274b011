"""The email log: one row per email, from the moment it is queued to its last try."""

from __future__ import annotations

from datetime import datetime
from enum import StrEnum

from sqlalchemy import String, Text
from sqlalchemy.orm import Mapped, mapped_column

from app.extensions import db
from app.shared.models import UTCDateTime, utcnow
from app.shared.personal_data import PersonalData, erased_email


class EmailState(StrEnum):
    """Where an email stands: waiting, handed over, or refused on its last try so far.

    A failed email may still be sent: RQ tries it again (RETRIES times, with back-off), and a
    later success marks it sent; `attempts` counts the tries.
    """

    QUEUED = "queued"
    SENT = "sent"
    FAILED = "failed"


class EmailLog(db.Model):
    """One outgoing email: to whom, which template, how it went and why it failed."""

    __tablename__ = "email_log"
    __personal_data__ = PersonalData(
        # The subject may carry a session code; the error may quote the refused address.
        fields=("to_address", "subject", "error"),
        erase={"to_address": erased_email, "error": None},
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    to_address: Mapped[str] = mapped_column(String(254), index=True)
    subject: Mapped[str] = mapped_column(String(300))
    template: Mapped[str] = mapped_column(String(80))
    state: Mapped[str] = mapped_column(String(10), default=EmailState.QUEUED, index=True)
    attempts: Mapped[int] = mapped_column(default=0)
    error: Mapped[str | None] = mapped_column(Text)
    queued_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow, index=True)
    last_attempt_at: Mapped[datetime | None] = mapped_column(UTCDateTime)
    sent_at: Mapped[datetime | None] = mapped_column(UTCDateTime)
