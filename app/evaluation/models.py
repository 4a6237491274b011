"""Evaluation records: anonymous reaction answers, who has answered, knowledge-test attempts.

Anonymity is kept by the schema itself. A survey response points at its session only: no
column, key or id leads from an answer to a person or an enrolment. Who has answered is kept
apart (SurveyRespondent: the enrolment, without a date or an id), so reminders reach the
others. A response carries the day it came, never the time, and a random key, so neither the
clock nor insertion order pairs it with a line of the register.
"""

from __future__ import annotations

import secrets
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
    from app.enrolment.models import Enrolment
    from app.scheduling.models import TrainingSession


class Phase(StrEnum):
    """When a knowledge test is taken: before the first module, or on the last day."""

    PRE = "pre"
    POST = "post"


# The pre-test and the post-test ask different, parallel items about the same objectives.
FORM_OF = {Phase.PRE: "A", Phase.POST: "B"}


def _random_key() -> str:
    return secrets.token_hex(16)


class SurveyResponse(db.Model):
    """One anonymous answer sheet to a reaction survey: the session and the day, nobody's."""

    __tablename__ = "survey_responses"
    __personal_data__ = PersonalData(
        holds_none="anonymous by design: nothing in it leads to the person who answered"
    )

    id: Mapped[str] = mapped_column(String(32), primary_key=True, default=_random_key)
    instrument: Mapped[str] = mapped_column(String(80), index=True)
    training_session_id: Mapped[int] = mapped_column(
        ForeignKey("training_sessions.id", ondelete="CASCADE"), index=True
    )
    submitted_on: Mapped[date] = mapped_column(Date)

    answers: Mapped[list[SurveyAnswer]] = relationship(
        back_populates="response", cascade="all, delete-orphan"
    )
    training_session: Mapped[TrainingSession] = relationship()


class SurveyAnswer(db.Model):
    """One question's answer on a sheet; a multiple choice keeps one row per option ticked."""

    __tablename__ = "survey_answers"
    __personal_data__ = PersonalData(
        holds_none="anonymous by design: it belongs to a sheet that names no one"
    )

    id: Mapped[str] = mapped_column(String(32), primary_key=True, default=_random_key)
    response_id: Mapped[str] = mapped_column(
        ForeignKey("survey_responses.id", ondelete="CASCADE"), index=True
    )
    question: Mapped[str] = mapped_column(String(80))
    choice: Mapped[int | None] = mapped_column()  # Likert 1-5, or the option's index
    text: Mapped[str | None] = mapped_column(Text)

    response: Mapped[SurveyResponse] = relationship(back_populates="answers")


class SurveyRespondent(db.Model):
    """Who has answered a survey: a place in a session, with no date and no link to the answers.

    Keyed by the enrolment, so that it follows the place when two records of a person merge.
    """

    __tablename__ = "survey_respondents"
    __personal_data__ = PersonalData(fields=("instrument",))

    instrument: Mapped[str] = mapped_column(String(80), primary_key=True)
    enrolment_id: Mapped[int] = mapped_column(
        ForeignKey("enrolments.id", ondelete="CASCADE"), primary_key=True, index=True
    )


class SurveyReminder(db.Model):
    """A reminder sent for a session's survey; the key makes each reminder go out once."""

    __tablename__ = "survey_reminders"

    instrument: Mapped[str] = mapped_column(String(80), primary_key=True)
    training_session_id: Mapped[int] = mapped_column(
        ForeignKey("training_sessions.id", ondelete="CASCADE"), primary_key=True
    )
    number: Mapped[int] = mapped_column(primary_key=True)
    sent_on: Mapped[date] = mapped_column(Date)
    recipients: Mapped[int] = mapped_column(default=0)


class TestAttempt(db.Model):
    """A participant's knowledge test (pre or post), taken on a phone or entered from paper."""

    __tablename__ = "test_attempts"
    __test__ = False  # not a pytest class, though its name starts with Test
    __personal_data__ = PersonalData(
        fields=("phase", "form", "answers", "score", "max_score", "taken_on")
    )
    __table_args__ = (UniqueConstraint("enrolment_id", "phase"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    enrolment_id: Mapped[int] = mapped_column(
        ForeignKey("enrolments.id", ondelete="CASCADE"), index=True
    )
    instrument: Mapped[str] = mapped_column(String(80))
    phase: Mapped[str] = mapped_column(String(4))
    form: Mapped[str] = mapped_column(String(1))
    answers: Mapped[dict] = mapped_column(JSON, default=dict)  # item id -> option index
    score: Mapped[int] = mapped_column()
    max_score: Mapped[int] = mapped_column()
    taken_on: Mapped[date] = mapped_column(Date)
    entered_by_id: Mapped[int | None] = mapped_column(ForeignKey("users.id"))
    created_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)

    enrolment: Mapped[Enrolment] = relationship()
    entered_by: Mapped[User | None] = relationship()

    @property
    def share(self) -> float:
        """Return the share of items answered right (0 to 1)."""
        return self.score / self.max_score if self.max_score else 0.0


class TrainerReport(db.Model):
    """A trainer's report on a session they taught, answering the trainer_report instrument."""

    __tablename__ = "trainer_reports"
    __personal_data__ = PersonalData(fields=("answers", "submitted_on"))
    __table_args__ = (UniqueConstraint("training_session_id", "author_id"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    training_session_id: Mapped[int] = mapped_column(
        ForeignKey("training_sessions.id", ondelete="CASCADE"), index=True
    )
    author_id: Mapped[int] = mapped_column(ForeignKey("users.id"))
    instrument: Mapped[str] = mapped_column(String(80))
    answers: Mapped[dict] = mapped_column(JSON, default=dict)  # question id -> value
    submitted_on: Mapped[date] = mapped_column(Date)

    author: Mapped[User] = relationship()


class CountryIndicator(db.Model):
    """A country's value of an annual indicator (level 4), with the source it was read from."""

    __tablename__ = "country_indicators"
    __table_args__ = (UniqueConstraint("country_code", "year", "indicator"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    country_code: Mapped[str] = mapped_column(String(2), index=True)
    year: Mapped[int] = mapped_column()
    indicator: Mapped[str] = mapped_column(String(40))  # a code of app/evaluation/indicators.py
    value: Mapped[int] = mapped_column()  # a count, or 1/0 for yes/no
    source: Mapped[str] = mapped_column(Text)
    entered_by_id: Mapped[int | None] = mapped_column(ForeignKey("users.id", ondelete="SET NULL"))
    updated_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow, onupdate=utcnow)

    entered_by: Mapped[User | None] = relationship()


class ObserverKind(StrEnum):
    """Who answers a follow-up about officers besides the officers themselves."""

    FOCAL_POINT = "focal_point"  # about the officers of their country in a session, signed in
    SUPERVISOR = "supervisor"  # about one officer, by a private link, without an account


class FollowUpObservation(db.Model):
    """A named observer's follow-up answers about officers of a session.

    A focal point (an account) answers about their country's officers; a supervisor (named
    on the participant's record, no account) about one officer's place. Kept apart from the
    participants' anonymous sheets: it is the observer's own account, never joined to theirs.
    """

    __tablename__ = "follow_up_observations"
    __personal_data__ = PersonalData(
        fields=("kind", "instrument", "country_code", "answers", "submitted_on"),
        # A supervisor's name and address are theirs, not the officer's the export is for;
        # erasing the officer deletes the supervisor's answers about them (app.privacy).
        withheld=("observer_name", "observer_email"),
    )
    __table_args__ = (
        UniqueConstraint("instrument", "training_session_id", "country_code", "observer_id"),
        UniqueConstraint("enrolment_id", "instrument"),  # a supervisor answers once a place
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    kind: Mapped[str] = mapped_column(
        String(20), default=ObserverKind.FOCAL_POINT, server_default=ObserverKind.FOCAL_POINT
    )
    instrument: Mapped[str] = mapped_column(String(80), index=True)
    training_session_id: Mapped[int] = mapped_column(
        ForeignKey("training_sessions.id", ondelete="CASCADE"), index=True
    )
    country_code: Mapped[str] = mapped_column(String(2))  # the officers' country of service
    # A focal point's account; None for a supervisor, who has none.
    observer_id: Mapped[int | None] = mapped_column(
        ForeignKey("users.id", ondelete="CASCADE"), index=True
    )
    # A supervisor's answer: the place of the officer described, and who answered then.
    enrolment_id: Mapped[int | None] = mapped_column(
        ForeignKey("enrolments.id", ondelete="CASCADE"), index=True
    )
    observer_name: Mapped[str | None] = mapped_column(String(200))
    observer_email: Mapped[str | None] = mapped_column(String(254))
    answers: Mapped[dict] = mapped_column(JSON, default=dict)  # question id -> value
    submitted_on: Mapped[date] = mapped_column(Date)

    observer: Mapped[User | None] = relationship()
    enrolment: Mapped[Enrolment | None] = relationship()
    training_session: Mapped[TrainingSession] = relationship()
