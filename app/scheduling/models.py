"""Training sessions: a course version delivered at a place and dates, with its agenda."""

from __future__ import annotations

from datetime import date, datetime, timedelta
from decimal import Decimal
from enum import StrEnum
from typing import TYPE_CHECKING

from sqlalchemy import Column, Date, ForeignKey, Numeric, String, Table, Text
from sqlalchemy.orm import Mapped, mapped_column, relationship

from app.extensions import db
from app.shared.models import UTCDateTime, utcnow
from app.shared.personal_data import PersonalData, unusable_secret

if TYPE_CHECKING:
    from app.accounts.models import User
    from app.curriculum.models import Course, CourseModule, CourseVersion


class SessionStatus(StrEnum):
    """Life cycle of a training session."""

    DRAFT = "draft"
    OPEN = "open"
    IN_PROGRESS = "in_progress"
    COMPLETED = "completed"
    CANCELLED = "cancelled"


training_session_trainers = Table(
    "training_session_trainers",
    db.metadata,
    Column(
        "training_session_id",
        ForeignKey("training_sessions.id", ondelete="CASCADE"),
        primary_key=True,
    ),
    Column("user_id", ForeignKey("users.id", ondelete="CASCADE"), primary_key=True),
)

training_session_partners = Table(
    "training_session_partners",
    db.metadata,
    Column(
        "training_session_id",
        ForeignKey("training_sessions.id", ondelete="CASCADE"),
        primary_key=True,
    ),
    Column(
        "partner_id", ForeignKey("partner_organisations.id", ondelete="CASCADE"), primary_key=True
    ),
)


class PartnerOrganisation(db.Model):
    """An organisation co-delivering sessions (a police academy, INTERPOL, an industry partner)."""

    __tablename__ = "partner_organisations"
    __personal_data__ = PersonalData(holds_none="the name is an organisation's, not a person's")

    id: Mapped[int] = mapped_column(primary_key=True)
    name: Mapped[str] = mapped_column(String(200), unique=True)
    logo: Mapped[str | None] = mapped_column(String(200))

    def __repr__(self) -> str:
        return f"<PartnerOrganisation {self.name}>"


class TrainingSession(db.Model):
    """One delivery of a course version; never named Session (db.session, flask.session clash)."""

    __tablename__ = "training_sessions"
    __personal_data__ = PersonalData(
        holds_none="notes and the cancellation reason describe the session, not a person"
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    code: Mapped[str] = mapped_column(String(40), unique=True)
    course_id: Mapped[int] = mapped_column(ForeignKey("courses.id"), index=True)
    course_version_id: Mapped[int] = mapped_column(ForeignKey("course_versions.id"), index=True)
    host_country: Mapped[str] = mapped_column(String(2), index=True)
    city: Mapped[str] = mapped_column(String(120))
    venue: Mapped[str] = mapped_column(String(200), default="")
    start_date: Mapped[date] = mapped_column(Date, index=True)
    end_date: Mapped[date] = mapped_column(Date)
    timezone: Mapped[str] = mapped_column(String(64), default="UTC")
    language: Mapped[str] = mapped_column(String(10), default="en")
    capacity: Mapped[int] = mapped_column(default=25)
    country_quota: Mapped[int | None] = mapped_column()
    enrolment_deadline: Mapped[date | None] = mapped_column(Date)
    status: Mapped[str] = mapped_column(String(20), default=SessionStatus.DRAFT, index=True)
    cancellation_reason: Mapped[str | None] = mapped_column(Text)
    legal_tradition: Mapped[str | None] = mapped_column(String(20))
    notes: Mapped[str] = mapped_column(Text, default="")
    imported: Mapped[bool] = mapped_column(default=False)
    created_by_id: Mapped[int | None] = mapped_column(ForeignKey("users.id"))
    created_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)
    updated_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow, onupdate=utcnow)

    course: Mapped[Course] = relationship()
    course_version: Mapped[CourseVersion] = relationship()
    trainers: Mapped[list[User]] = relationship(
        secondary=training_session_trainers, order_by="User.name"
    )
    partners: Mapped[list[PartnerOrganisation]] = relationship(
        secondary=training_session_partners, order_by="PartnerOrganisation.name"
    )
    agenda_items: Mapped[list[AgendaItem]] = relationship(
        back_populates="training_session",
        order_by="(AgendaItem.day, AgendaItem.position)",
        cascade="all, delete-orphan",
    )
    created_by: Mapped[User | None] = relationship(foreign_keys=[created_by_id])

    @property
    def days(self) -> list[date]:
        """Return every calendar day of the session, first to last."""
        span = (self.end_date - self.start_date).days
        return [self.start_date + timedelta(days=offset) for offset in range(span + 1)]

    @property
    def is_cancelled(self) -> bool:
        """Return whether the session was called off."""
        return self.status == SessionStatus.CANCELLED

    @property
    def is_closed(self) -> bool:
        """Return whether the session is completed or cancelled, so its details no longer change."""
        return self.status in (SessionStatus.COMPLETED, SessionStatus.CANCELLED)

    def taught_modules(self) -> list[tuple[CourseModule, Decimal]]:
        """Return (module, hours) for what the session teaches, in course order.

        The agenda says what was taught when there is one; without one, the course version's
        modules that fit the session's legal tradition stand in, alternatives counted once.
        """
        if self.agenda_items:
            hours: dict[CourseModule, Decimal] = {}
            for item in self.agenda_items:
                hours[item.course_module] = hours.get(item.course_module, Decimal(0)) + item.hours
            return sorted(hours.items(), key=lambda pair: pair[0].position)
        return [
            (module, module.hours)
            for module in self.course_version.delivered_modules(self.legal_tradition)
        ]

    def taught_hours(self) -> Decimal:
        """Return the hours taught (the reach report adds up the same rule in SQL)."""
        return sum((hours for _module, hours in self.taught_modules()), Decimal(0))

    def has_trainer(self, user: User) -> bool:
        """Return whether the user is one of this session's trainers."""
        return any(trainer.id == user.id for trainer in self.trainers)

    def __repr__(self) -> str:
        return f"<TrainingSession {self.code}>"


class AgendaItem(db.Model):
    """A course module placed on one day of a session."""

    __tablename__ = "agenda_items"

    id: Mapped[int] = mapped_column(primary_key=True)
    training_session_id: Mapped[int] = mapped_column(
        ForeignKey("training_sessions.id", ondelete="CASCADE"), index=True
    )
    course_module_id: Mapped[int] = mapped_column(ForeignKey("course_modules.id"))
    day: Mapped[date] = mapped_column(Date)
    position: Mapped[int] = mapped_column(default=0)
    hours: Mapped[Decimal] = mapped_column(Numeric(5, 2))

    training_session: Mapped[TrainingSession] = relationship(back_populates="agenda_items")
    course_module: Mapped[CourseModule] = relationship()


class CalendarFeed(db.Model):
    """A secret address where someone's calendar app reads their sessions; deleted to revoke it.

    Only the hash of the secret is stored (as for API tokens): the address is shown once.
    """

    __tablename__ = "calendar_feeds"
    __personal_data__ = PersonalData(
        fields=("token_hash", "created_at"),
        erase={"token_hash": unusable_secret},
        withheld=("token_hash",),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    user_id: Mapped[int] = mapped_column(ForeignKey("users.id", ondelete="CASCADE"), unique=True)
    token_hash: Mapped[str] = mapped_column(String(64), unique=True)
    created_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)

    user: Mapped[User] = relationship()
