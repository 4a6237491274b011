"""What the nominations pages show: a call's countries and nominees, criteria met, the balance."""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass

from flask_babel import gettext as _
from sqlalchemy import ColumnElement, and_, func, or_, select
from sqlalchemy.orm import selectinload

from app.accounts.focal_points import focal_point_scope
from app.enrolment.models import ENDED, Enrolment, EnrolmentStatus, Participant
from app.extensions import db
from app.nominations.models import CallCountry, Nomination, NominationCall
from app.nominations.models import NominationStatus as S
from app.nominations.transitions import ACTIVE, HOLDING_SEAT
from app.scheduling.models import TrainingSession
from app.shared.agency_types import AGENCY_LABELS

# Nominees who count as "nominated" for a country: everyone put forward and not replaced.
PUT_FORWARD = frozenset(set(S) - {S.REPLACED})


def holds_seat() -> ColumnElement[bool]:
    """Return the SQL test of a nominee holding a seat: accepted, confirmed, or still enrolled.

    An enrolment withdrawn or declined later in the enrolment pages frees the seat (read live,
    so an undone withdrawal takes it back).
    """
    ended = select(Enrolment.id).where(Enrolment.status.in_(ENDED))
    still_enrolled = or_(Nomination.enrolment_id.is_(None), Nomination.enrolment_id.not_in(ended))
    return or_(
        Nomination.status.in_(HOLDING_SEAT), and_(Nomination.status == S.ENROLLED, still_enrolled)
    )


def seats_promised(
    training_session: TrainingSession, country_code: str | None, participant_id: int | None
) -> int:
    """Count nominees holding a seat (accepted, confirmed) not enrolled yet, but the person.

    Enrolment counts these as places taken (registered in services), so that no approval,
    direct add, promotion or undone withdrawal gives away a place a nominee was promised.
    """
    enrolled = select(Enrolment.participant_id).where(
        Enrolment.training_session_id == training_session.id,
        Enrolment.status == EnrolmentStatus.ENROLLED,
    )
    statement = (
        select(func.count())
        .select_from(Nomination)
        .join(NominationCall, Nomination.call_id == NominationCall.id)
        .where(
            NominationCall.training_session_id == training_session.id,
            Nomination.status.in_(HOLDING_SEAT),
            Nomination.participant_id.not_in(enrolled),
        )
    )
    if country_code is not None:
        statement = statement.where(Nomination.country_code == country_code)
    if participant_id is not None:
        statement = statement.where(Nomination.participant_id != participant_id)
    return db.session.scalar(statement) or 0


def call_seats(training_session: TrainingSession, country_code: str) -> int | None:
    """Return the seats the session's call offers the country, or None (no call, not invited).

    Enrolment keeps an invited country's places within these (registered in services): while
    a call is open, it is how that country's officers get in, whatever path adds them.
    """
    return db.session.scalar(
        select(CallCountry.seats)
        .join(NominationCall, CallCountry.call_id == NominationCall.id)
        .where(
            NominationCall.training_session_id == training_session.id,
            CallCountry.country_code == country_code,
        )
    )


def enrolment_ended(nomination: Nomination) -> str | None:
    """Return the status of an enrolled nominee's enrolment if it ended since (withdrawn)."""
    enrolment = nomination.enrolment
    if nomination.status == S.ENROLLED and enrolment is not None and enrolment.status in ENDED:
        return enrolment.status
    return None


def call_for_session(training_session: TrainingSession) -> NominationCall | None:
    """Return the session's call for nominations, if one was opened."""
    return db.session.scalar(
        select(NominationCall).where(NominationCall.training_session_id == training_session.id)
    )


def nominations_of(
    call: NominationCall, countries: Iterable[str] | None = None, *, current: bool = False
) -> list[Nomination]:
    """Return a call's nominees by country and priority; only those countries when given.

    `current` leaves out the replaced (the review page's list); the history keeps them.
    """
    statement = (
        select(Nomination)
        .where(Nomination.call_id == call.id)
        .options(
            selectinload(Nomination.participant).selectinload(Participant.user),
            selectinload(Nomination.vetting_checks),
            selectinload(Nomination.enrolment),
        )
        .order_by(Nomination.country_code, Nomination.priority, Nomination.id)
    )
    if countries is not None:
        statement = statement.where(Nomination.country_code.in_(list(countries)))
    if current:
        statement = statement.where(Nomination.status != S.REPLACED)
    return list(db.session.scalars(statement))


def nominations_for_focal_point(user, call: NominationCall) -> list[Nomination]:
    """Return the nominees of the call within the focal point's scope (countries, agencies)."""
    scope = focal_point_scope(user)
    return [
        nomination
        for nomination in nominations_of(call, scope.countries)
        if scope.covers(nomination.country_code, nomination.participant.agency_type)
    ]


@dataclass(frozen=True)
class CountryTally:
    """One invited country's line on the review page."""

    country_code: str
    seats: int
    nominated: int  # put forward and not replaced
    in_the_running: int  # not yet out of the call
    accepted: int  # holding a seat or enrolled (an enrolment ended since frees it)


def country_tallies(
    call: NominationCall, countries: Iterable[str] | None = None
) -> list[CountryTally]:
    """Return seats offered, nominated and accepted per invited country (those given only)."""
    wanted = set(call.country_codes if countries is None else countries)
    rows = db.session.execute(
        select(Nomination.country_code, Nomination.status, holds_seat()).where(
            Nomination.call_id == call.id
        )
    ).all()
    tallies = []
    for invited in call.countries:
        if invited.country_code not in wanted:
            continue
        mine = [(status, seat) for code, status, seat in rows if code == invited.country_code]
        tallies.append(
            CountryTally(
                invited.country_code,
                invited.seats,
                sum(status in PUT_FORWARD for status, _seat in mine),
                sum(status in ACTIVE for status, _seat in mine),
                sum(bool(seat) for _status, seat in mine),
            )
        )
    return tallies


@dataclass(frozen=True)
class Criterion:
    """One criterion of the call and whether a nominee meets it (None: not known)."""

    label: str
    met: bool | None


def criteria_for(nomination: Nomination) -> list[Criterion]:
    """Return each of the call's criteria with whether the nominee meets it, in the call's order."""
    call = nomination.call
    person = nomination.participant
    found = []
    if call.agency_types:
        names = ", ".join(str(AGENCY_LABELS[code]) for code in call.agency_types)
        found.append(
            Criterion(_("Agency: %(names)s", names=names), person.agency_type in call.agency_types)
        )
    if call.min_years_of_service is not None:
        years = nomination.years_of_service
        found.append(
            Criterion(
                _("At least %(n)d years of service", n=call.min_years_of_service),
                None if years is None else years >= call.min_years_of_service,
            )
        )
    if call.working_language:
        from app.enrolment.labels import LANGUAGES

        language = LANGUAGES.get(call.working_language, call.working_language)
        found.append(
            Criterion(
                _("Works in %(language)s", language=language), nomination.speaks_working_language
            )
        )
    if call.other_criteria:
        found.append(Criterion(_("Other criteria of the call"), nomination.meets_other_criteria))
    return found


@dataclass(frozen=True)
class GenderBalance:
    """The accepted nominees' share of women against the call's target."""

    accepted: int
    women: int
    target_percent: int | None

    @property
    def share(self) -> float | None:
        """Return the share of women among the accepted (None before anyone is accepted)."""
        return self.women / self.accepted if self.accepted else None

    @property
    def below_target(self) -> bool:
        """Return whether the accepted list falls short of the target share of women."""
        return (
            self.target_percent is not None
            and self.share is not None
            and self.share * 100 < self.target_percent
        )


def gender_balance(call: NominationCall) -> GenderBalance:
    """Count women among the accepted (seat holders and enrolled) against the target."""
    genders = db.session.scalars(
        select(Participant.gender)
        .join(Nomination, Nomination.participant_id == Participant.id)
        .where(Nomination.call_id == call.id, holds_seat())
    ).all()
    return GenderBalance(
        len(genders), sum(gender == "female" for gender in genders), call.women_target_percent
    )


def calls_for_focal_point(user) -> list[NominationCall]:
    """Return the calls inviting any of the focal point's countries, latest session first."""
    countries = focal_point_scope(user).countries
    if not countries:
        return []
    return list(
        db.session.scalars(
            select(NominationCall)
            .join(TrainingSession, TrainingSession.id == NominationCall.training_session_id)
            .where(
                NominationCall.id.in_(
                    select(CallCountry.call_id).where(CallCountry.country_code.in_(countries))
                )
            )
            .order_by(TrainingSession.start_date.desc(), NominationCall.id)
        )
    )


def nominations_of_person(participant: Participant) -> list[Nomination]:
    """Return a person's nominations (for their own page), latest first."""
    return list(
        db.session.scalars(
            select(Nomination)
            .where(Nomination.participant_id == participant.id)
            .order_by(Nomination.created_at.desc(), Nomination.id.desc())
        )
    )
