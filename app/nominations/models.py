"""Calls for nominations on a session, the people national focal points nominate, and vetting."""

from __future__ import annotations

from datetime import date, datetime
from enum import StrEnum
from typing import TYPE_CHECKING

from sqlalchemy import JSON, Date, ForeignKey, String, Text, UniqueConstraint
from sqlalchemy.orm import Mapped, mapped_column, relationship

from app.extensions import db
from app.shared.models import UTCDateTime, utcnow
from app.shared.personal_data import PersonalData

if TYPE_CHECKING:
    from app.accounts.models import User
    from app.enrolment.models import Enrolment, Participant
    from app.scheduling.models import TrainingSession


class NominationStatus(StrEnum):
    """Where a nominee stands; the moves between these are declared in transitions.py."""

    NOMINATED = "nominated"
    ENDORSED = "endorsed"
    UNDER_REVIEW = "under_review"
    VETTING = "vetting"
    ACCEPTED = "accepted"
    WAITLISTED = "waitlisted"
    DECLINED = "declined"
    CONFIRMED = "confirmed"
    ENROLLED = "enrolled"
    WITHDRAWN = "withdrawn"
    REPLACED = "replaced"


class VettingOutcome(StrEnum):
    """A vetting check's only recorded result: never the details behind it."""

    CLEARED = "cleared"
    NOT_CLEARED = "not_cleared"


class NominationCall(db.Model):
    """A session's call for nominations: criteria, deadline, balance target, invited countries."""

    __tablename__ = "nomination_calls"
    __personal_data__ = PersonalData(
        holds_none="criteria and the deadline describe the call, not a person"
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    training_session_id: Mapped[int] = mapped_column(
        ForeignKey("training_sessions.id", ondelete="CASCADE"), unique=True
    )
    deadline_at: Mapped[datetime] = mapped_column(UTCDateTime)
    # Criteria: curriculum audience codes, agency type codes (empty: any), years, language.
    audiences: Mapped[list[str]] = mapped_column(JSON, default=list)
    agency_types: Mapped[list[str]] = mapped_column(JSON, default=list)
    min_years_of_service: Mapped[int | None] = mapped_column()
    working_language: Mapped[str | None] = mapped_column(String(10))
    other_criteria: Mapped[str] = mapped_column(Text, default="")
    # The share of women the programme aims for among those accepted, in percent.
    women_target_percent: Mapped[int | None] = mapped_column()
    opened_by_id: Mapped[int | None] = mapped_column(ForeignKey("users.id"))
    opened_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)
    updated_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow, onupdate=utcnow)

    training_session: Mapped[TrainingSession] = relationship()
    opened_by: Mapped[User | None] = relationship()
    countries: Mapped[list[CallCountry]] = relationship(
        back_populates="call", cascade="all, delete-orphan", order_by="CallCountry.country_code"
    )
    nominations: Mapped[list[Nomination]] = relationship(
        back_populates="call",
        order_by="(Nomination.country_code, Nomination.priority, Nomination.id)",
    )

    def seats_for(self, country_code: str) -> int | None:
        """Return the seats offered to an invited country (None: the country is not invited)."""
        for invited in self.countries:
            if invited.country_code == country_code:
                return invited.seats
        return None

    @property
    def country_codes(self) -> list[str]:
        """Return the invited countries' codes, in code order."""
        return [invited.country_code for invited in self.countries]

    def __repr__(self) -> str:
        return f"<NominationCall {self.training_session_id}>"


class CallCountry(db.Model):
    """A country invited to a call, with the seats offered to it."""

    __tablename__ = "nomination_call_countries"
    __personal_data__ = PersonalData(holds_none="a country and a number of seats")

    call_id: Mapped[int] = mapped_column(
        ForeignKey("nomination_calls.id", ondelete="CASCADE"), primary_key=True
    )
    country_code: Mapped[str] = mapped_column(String(2), primary_key=True)
    seats: Mapped[int] = mapped_column()
    invited_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)

    call: Mapped[NominationCall] = relationship(back_populates="countries")


class Nomination(db.Model):
    """A person a country's focal point puts forward for a call, in the country's priority order."""

    __tablename__ = "nominations"
    __personal_data__ = PersonalData(
        fields=(
            "status",
            "country_code",
            "priority",
            "justification",
            "years_of_service",
            "speaks_working_language",
            "meets_other_criteria",
            "decision_reason",
            "created_at",
        ),
        erase={"justification": "", "decision_reason": None},
    )
    __table_args__ = (UniqueConstraint("call_id", "participant_id"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    call_id: Mapped[int] = mapped_column(
        ForeignKey("nomination_calls.id", ondelete="CASCADE"), index=True
    )
    participant_id: Mapped[int] = mapped_column(ForeignKey("participants.id"), index=True)
    # The country the person is nominated for (their record's at the time of nominating).
    country_code: Mapped[str] = mapped_column(String(2), index=True)
    priority: Mapped[int] = mapped_column(default=1)
    status: Mapped[str] = mapped_column(String(20), default=NominationStatus.NOMINATED, index=True)
    justification: Mapped[str] = mapped_column(Text, default="")
    # What the call's criteria need that the person's record does not hold.
    years_of_service: Mapped[int | None] = mapped_column()
    speaks_working_language: Mapped[bool | None] = mapped_column()
    meets_other_criteria: Mapped[bool | None] = mapped_column()
    # Why the programme declined; shown to the focal point.
    decision_reason: Mapped[str | None] = mapped_column(Text)
    # The nominee this one replaced (that one ends as replaced, the link kept).
    replaces_id: Mapped[int | None] = mapped_column(ForeignKey("nominations.id"))
    enrolment_id: Mapped[int | None] = mapped_column(ForeignKey("enrolments.id"))
    nominated_by_id: Mapped[int | None] = mapped_column(ForeignKey("users.id"))
    created_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)
    updated_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow, onupdate=utcnow)

    call: Mapped[NominationCall] = relationship(back_populates="nominations")
    participant: Mapped[Participant] = relationship()
    replaces: Mapped[Nomination | None] = relationship(remote_side=[id])
    enrolment: Mapped[Enrolment | None] = relationship()
    nominated_by: Mapped[User | None] = relationship()
    vetting_checks: Mapped[list[VettingCheck]] = relationship(
        back_populates="nomination", cascade="all, delete-orphan", order_by="VettingCheck.id"
    )

    def __repr__(self) -> str:
        return f"<Nomination {self.call_id}:{self.participant_id} {self.status}>"


class VettingCheck(db.Model):
    """One vetting check: outcome, date, who recorded it, an external reference. No notes."""

    __tablename__ = "vetting_checks"
    __personal_data__ = PersonalData(fields=("outcome", "checked_on", "external_reference"))

    id: Mapped[int] = mapped_column(primary_key=True)
    nomination_id: Mapped[int] = mapped_column(
        ForeignKey("nominations.id", ondelete="CASCADE"), index=True
    )
    outcome: Mapped[str] = mapped_column(String(20))
    checked_on: Mapped[date] = mapped_column(Date)
    external_reference: Mapped[str] = mapped_column(String(120), default="")
    recorded_by_id: Mapped[int | None] = mapped_column(ForeignKey("users.id"))
    recorded_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)

    nomination: Mapped[Nomination] = relationship(back_populates="vetting_checks")
    recorded_by: Mapped[User | None] = relationship()
