"""Daily attendance of enrolled participants."""

from __future__ import annotations

from datetime import date, datetime
from enum import StrEnum
from typing import TYPE_CHECKING

from sqlalchemy import Date, ForeignKey, String, UniqueConstraint
from sqlalchemy.orm import Mapped, backref, mapped_column, relationship

from app.extensions import db
from app.shared.models import UTCDateTime, utcnow
from app.shared.personal_data import PersonalData

if TYPE_CHECKING:
    from app.accounts.models import User
    from app.enrolment.models import Enrolment


class AttendanceStatus(StrEnum):
    """A participant's presence on one day."""

    PRESENT = "present"
    LATE = "late"
    EXCUSED = "excused"
    ABSENT = "absent"


class AttendanceRecord(db.Model):
    """One enrolment's attendance on one day of its session."""

    __tablename__ = "attendance_records"
    __personal_data__ = PersonalData(fields=("day", "status"))
    __table_args__ = (UniqueConstraint("enrolment_id", "day"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    enrolment_id: Mapped[int] = mapped_column(
        ForeignKey("enrolments.id", ondelete="CASCADE"), index=True
    )
    day: Mapped[date] = mapped_column(Date)
    status: Mapped[str] = mapped_column(String(10))
    recorded_by_id: Mapped[int | None] = mapped_column(ForeignKey("users.id"))
    recorded_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow, onupdate=utcnow)

    # Declared from this side, so enrolment never names attendance: Enrolment.attendance_records.
    enrolment: Mapped[Enrolment] = relationship(
        backref=backref("attendance_records", cascade="all, delete-orphan")
    )
    recorded_by: Mapped[User | None] = relationship()


class AttendanceMark(db.Model):
    """One tap as the phone made it, kept once by its id so a batch sent twice counts once."""

    __tablename__ = "attendance_marks"
    __personal_data__ = PersonalData(fields=("status", "marked_at"))

    id: Mapped[int] = mapped_column(primary_key=True)
    # Made on the phone (crypto.randomUUID), so a resent mark is recognised.
    mark_id: Mapped[str] = mapped_column(String(36), unique=True)
    attendance_record_id: Mapped[int] = mapped_column(
        ForeignKey("attendance_records.id", ondelete="CASCADE"), index=True
    )
    status: Mapped[str] = mapped_column(String(10))
    # When the trainer tapped, by the phone's clock; the later tap on a day wins.
    marked_at: Mapped[datetime] = mapped_column(UTCDateTime)
    recorded_by_id: Mapped[int | None] = mapped_column(ForeignKey("users.id"))
    received_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)

    attendance_record: Mapped[AttendanceRecord] = relationship()
