"""Nomination rules: opening a call, nominating and replacing, moving a nominee on, seats.

Every move goes through `_move`, which asks the one table in transitions.py, writes the audit
entry and queues the emails (sent after commit). Accepting counts seats under the session's
row lock (the one enrolment takes), so concurrent acceptances never overbook. Services flush
and never commit.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from datetime import UTC, date, datetime
from zoneinfo import ZoneInfo

from flask_babel import gettext as _
from flask_babel import lazy_gettext as _l
from sqlalchemy import func, select

from app.accounts.focal_points import focal_point_scope, focal_points_for
from app.audit import services as audit
from app.enrolment import services as enrolment_services
from app.enrolment.models import Participant
from app.extensions import db
from app.nominations import queries
from app.nominations.labels import STATUS_LABELS
from app.nominations.models import (
    CallCountry,
    Nomination,
    NominationCall,
    VettingCheck,
    VettingOutcome,
)
from app.nominations.models import NominationStatus as S
from app.nominations.permissions import actor_kinds, focal_countries_in
from app.nominations.transitions import (
    ACTIVE,
    HOLDING_SEAT,
    REPLACEABLE,
    Actor,
    allowed,
)
from app.notifications.services import queue_email
from app.scheduling.models import TrainingSession
from app.shared import clock
from app.shared.agency_types import AGENCY_LABELS
from app.shared.countries import country_name, is_country
from app.shared.i18n import supported_language
from app.shared.regions import interpol_members, sub_region_of
from app.shared.unit_of_work import DomainError

# Where emails send people: a focal point to the call's page, a nominee to their own page.
FOCAL_POINT_PAGE = "nominations.focal_call"
NOMINEE_PAGE = "nominations.my_nominations"
MAX_JUSTIFICATION = 1000
MAX_REFERENCE = 120


class NominationError(DomainError, ValueError):
    """A nomination rule was broken; the message is shown to the user."""


class SeatsTakenError(NominationError):
    """Accepting would pass the country's seats or the session's capacity."""


class EmailInUseError(NominationError):
    """A new person's email is in the directory; `existing` only if the focal point's to see."""

    def __init__(self, existing: Participant | None) -> None:
        super().__init__(
            _(
                "This email address cannot be used for a new person; "
                "search the directory of your countries instead."
            )
        )
        self.existing = existing


# --- The call ---------------------------------------------------------------------------


def default_invited_countries(training_session: TrainingSession) -> list[str]:
    """Return the countries a call invites unless told otherwise: the host's M49 sub-region.

    Only the programme's target (member) countries of it, so that no territory is invited;
    the host always is.
    """
    region = sub_region_of(training_session.host_country)
    members = (region.countries if region else frozenset()) & set(interpol_members())
    return sorted(members | {training_session.host_country})


def default_seats(training_session: TrainingSession) -> int:
    """Return the seats offered to each country unless told otherwise: the session's quota."""
    return training_session.country_quota or training_session.capacity


def deadline_from_local(training_session: TrainingSession, local: datetime) -> datetime:
    """Read a wall-clock deadline in the session's time zone and return it in UTC."""
    zone = ZoneInfo(training_session.timezone or "UTC")
    return local.replace(tzinfo=zone).astimezone(UTC)


def local_deadline(call: NominationCall) -> datetime:
    """Return the call's deadline as the wall-clock time of the session's zone (naive)."""
    zone = ZoneInfo(call.training_session.timezone or "UTC")
    return call.deadline_at.astimezone(zone).replace(tzinfo=None)


def deadline_text(call: NominationCall) -> str:
    """Return the deadline as people read it: the session's local date, time and zone."""
    from app.shared.formatting import date_long

    local = local_deadline(call)
    return f"{date_long(local.date())}, {local:%H:%M} ({call.training_session.timezone})"


def before_deadline(call: NominationCall) -> bool:
    """Return whether the deadline (a moment set in the session's zone) is still ahead."""
    return clock.now() < call.deadline_at


def _refuse_closed(training_session: TrainingSession) -> None:
    if training_session.is_closed:
        raise NominationError(_("This session is completed or cancelled."))


def _check_criteria(
    agency_types: Iterable[str], min_years: int | None, women_percent: int | None
) -> None:
    if any(code not in AGENCY_LABELS for code in agency_types):
        raise NominationError(_("Unknown agency type."))
    if min_years is not None and not 0 <= min_years <= 60:
        raise NominationError(_("Minimum years of service must be between 0 and 60."))
    if women_percent is not None and not 0 <= women_percent <= 100:
        raise NominationError(_("The share of women must be between 0 and 100 per cent."))


def _seats_by_country(
    training_session: TrainingSession, countries: Mapping[str, int | None] | Iterable[str]
) -> dict[str, int]:
    """Return {country: seats}, the session's quota standing in where no number is given."""
    given = countries if isinstance(countries, Mapping) else dict.fromkeys(countries)
    seats = {}
    for code, number in given.items():
        code = code.strip().upper()
        if not is_country(code):
            raise NominationError(_("Unknown country code: %(codes)s.", codes=code))
        number = default_seats(training_session) if number is None else number
        if number < 0:
            raise NominationError(_("Seats cannot be fewer than none."))
        seats[code] = number
    if not seats:
        raise NominationError(_("Invite at least one country."))
    return seats


def open_call(
    training_session: TrainingSession,
    actor,
    *,
    deadline_local: datetime,
    countries: Mapping[str, int | None] | Iterable[str] | None = None,
    audiences: Iterable[str] | None = None,
    agency_types: Iterable[str] = (),
    min_years_of_service: int | None = None,
    working_language: str | None = None,
    other_criteria: str = "",
    women_target_percent: int | None = None,
) -> NominationCall:
    """Open a call on a session and email the invited countries' focal points a link.

    `deadline_local` is the wall-clock time in the session's zone; `countries` maps each
    invited country to its seats (None: the quota), or lists them (default: the sub-region).
    """
    if db.session.scalar(
        select(NominationCall.id).where(NominationCall.training_session_id == training_session.id)
    ):
        raise NominationError(_("This session already has a call for nominations."))
    _refuse_closed(training_session)
    call = NominationCall(
        training_session=training_session, opened_by=actor, deadline_at=clock.now()
    )
    db.session.add(call)
    update_call(
        call,
        actor,
        deadline_local=deadline_local,
        countries=default_invited_countries(training_session) if countries is None else countries,
        audiences=training_session.course.audiences if audiences is None else audiences,
        agency_types=agency_types,
        min_years_of_service=min_years_of_service,
        working_language=working_language or training_session.language,
        other_criteria=other_criteria,
        women_target_percent=women_target_percent,
        opening=True,
    )
    return call


def save_call(training_session: TrainingSession, actor, **fields) -> NominationCall:
    """Open the session's call, or change the one it has (the call page's one form does both)."""
    call = db.session.scalar(
        select(NominationCall).where(NominationCall.training_session_id == training_session.id)
    )
    if call is None:
        return open_call(training_session, actor, **fields)
    return update_call(call, actor, **fields)


def update_call(
    call: NominationCall,
    actor,
    *,
    deadline_local: datetime,
    countries: Mapping[str, int | None] | Iterable[str],
    audiences: Iterable[str] = (),
    agency_types: Iterable[str] = (),
    min_years_of_service: int | None = None,
    working_language: str | None = None,
    other_criteria: str = "",
    women_target_percent: int | None = None,
    opening: bool = False,
) -> NominationCall:
    """Change a call's criteria, deadline or countries; newly invited countries are emailed.

    A country with nominees stays invited, and its seats never drop below the places its
    people hold (nominees accepted, people enrolled directly). Seats added go at once to the
    country's waitlisted people.
    """
    training_session = enrolment_services.lock_session(call.training_session)
    _refuse_closed(training_session)
    agency_types = sorted(set(agency_types))
    _check_criteria(agency_types, min_years_of_service, women_target_percent)
    seats = _seats_by_country(training_session, countries)
    for code in call.country_codes:
        if code not in seats and _nominees_of(call, code):
            raise NominationError(
                _("%(country)s has nominees, so it stays invited.", country=country_name(code))
            )
        if code in seats:
            _refuse_fewer_seats_than_taken(call, code, seats[code])
    before = {invited.country_code: invited.seats for invited in call.countries}
    kept = {invited.country_code: invited for invited in call.countries}
    call.countries = [
        _with_seats(kept.get(code) or CallCountry(country_code=code), number)
        for code, number in sorted(seats.items())
    ]
    call.deadline_at = deadline_from_local(training_session, deadline_local)
    call.audiences = sorted(set(audiences))
    call.agency_types = agency_types
    call.min_years_of_service = min_years_of_service
    call.working_language = working_language or None
    call.other_criteria = (other_criteria or "").strip()
    call.women_target_percent = women_target_percent
    db.session.flush()
    audit.record(
        "nomination_call.opened" if opening else "nomination_call.changed",
        actor=actor,
        target=call,
        training_session=training_session,
        details={"countries": seats, "before": before or None},
    )
    for code in sorted(set(seats) - set(before)):
        _invite(call, code)
    enrolment_services.promote_waitlist(training_session, actor)
    return call


def _refuse_fewer_seats_than_taken(call: NominationCall, code: str, seats: int) -> None:
    """Refuse seats below what the country's nominees or its people enrolled already hold."""
    accepted = _seats_held(call, code)
    if seats < accepted:
        raise NominationError(
            _(
                "%(country)s already has %(n)d accepted; offer at least that many seats.",
                country=country_name(code),
                n=accepted,
            )
        )
    taken = enrolment_services.places_taken(call.training_session, code)
    if seats < taken:
        raise NominationError(
            _(
                "%(country)s already holds %(n)d places in this session; "
                "offer at least that many seats.",
                country=country_name(code),
                n=taken,
            )
        )


def _with_seats(invited: CallCountry, seats: int) -> CallCountry:
    invited.seats = seats
    return invited


# --- Reading what seats hold (under the lock when it decides) ---------------------------


def _nominees_of(call: NominationCall, country_code: str) -> list[Nomination]:
    return list(
        db.session.scalars(
            select(Nomination).where(
                Nomination.call_id == call.id, Nomination.country_code == country_code
            )
        )
    )


def _seats_held(call: NominationCall, country_code: str | None = None) -> int:
    """Count nominees holding a seat (accepted, confirmed) or still enrolled through the call."""
    statement = (
        select(func.count())
        .select_from(Nomination)
        .where(Nomination.call_id == call.id, queries.holds_seat())
    )
    if country_code is not None:
        statement = statement.where(Nomination.country_code == country_code)
    return db.session.scalar(statement) or 0


# Enrolment counts promised seats as taken in every capacity and quota check, and keeps an
# invited country's places within the seats the call offers it.
enrolment_services.register_held_places(queries.seats_promised)
enrolment_services.register_country_limit(queries.call_seats)


def seats_left(call: NominationCall, country_code: str) -> int:
    """Return a country's seats not taken by its people enrolled or promised (accept locks)."""
    taken = enrolment_services.places_taken(call.training_session, country_code)
    return max((call.seats_for(country_code) or 0) - taken, 0)


def places_left(call: NominationCall) -> int:
    """Return the session's places not taken by enrolments or by nominees holding a seat."""
    training_session = call.training_session
    return max(training_session.capacity - enrolment_services.places_taken(training_session), 0)


# --- Nominating -------------------------------------------------------------------------


def _refuse_after_deadline(call: NominationCall) -> None:
    if not before_deadline(call):
        raise NominationError(
            _("The nomination deadline (%(deadline)s) has passed.", deadline=deadline_text(call))
        )


def _refuse_uninvited(call: NominationCall, country_code: str) -> None:
    if call.seats_for(country_code) is None:
        raise NominationError(
            _("%(country)s is not invited to this call.", country=country_name(country_code))
        )


def _clean_fields(justification: str, years_of_service: int | None) -> tuple[str, int | None]:
    justification = " ".join((justification or "").split())
    if len(justification) > MAX_JUSTIFICATION:
        raise NominationError(
            _("Keep the justification under %(n)d characters.", n=MAX_JUSTIFICATION)
        )
    if years_of_service is not None and not 0 <= years_of_service <= 60:
        raise NominationError(_("Years of service must be between 0 and 60."))
    return justification, years_of_service


def _next_priority(call: NominationCall, country_code: str) -> int:
    highest = db.session.scalar(
        select(func.max(Nomination.priority)).where(
            Nomination.call_id == call.id,
            Nomination.country_code == country_code,
            Nomination.status.in_(ACTIVE),
        )
    )
    return (highest or 0) + 1


def nominate(
    call: NominationCall,
    participant: Participant,
    actor,
    *,
    justification: str = "",
    years_of_service: int | None = None,
    speaks_working_language: bool | None = None,
    meets_other_criteria: bool | None = None,
    priority: int | None = None,
    replaces: Nomination | None = None,
) -> Nomination:
    """Put a person of an invited country forward, before the deadline, last in priority."""
    _refuse_closed(call.training_session)
    _refuse_after_deadline(call)
    _refuse_uninvited(call, participant.country_code)
    if not focal_point_scope(actor).covers(participant.country_code, participant.agency_type):
        raise NominationError(
            _("You nominate only people of the countries and agencies you are the focal point for.")
        )
    taken = db.session.scalar(
        select(Nomination).where(
            Nomination.call_id == call.id, Nomination.participant_id == participant.id
        )
    )
    if taken is not None:
        raise NominationError(
            _("%(name)s is already nominated to this call.", name=participant.full_name)
        )
    justification, years_of_service = _clean_fields(justification, years_of_service)
    nomination = Nomination(
        call=call,
        participant=participant,
        country_code=participant.country_code,
        priority=priority or _next_priority(call, participant.country_code),
        justification=justification,
        years_of_service=years_of_service,
        speaks_working_language=speaks_working_language,
        meets_other_criteria=meets_other_criteria,
        nominated_by=actor,
        replaces=replaces,
        status=S.NOMINATED,
    )
    db.session.add(nomination)
    db.session.flush()
    _record(nomination, None, actor)
    _notify(nomination, None, actor)
    return nomination


def may_nominate(user, call: NominationCall, participant: Participant) -> bool:
    """Return whether the person is one of the focal point's people for this call."""
    return participant.country_code in focal_countries_in(user, call) and focal_point_scope(
        user
    ).covers(participant.country_code, participant.agency_type)


def _refuse_email_in_use(call: NominationCall, email: str | None, actor) -> None:
    """Refuse a new person's email already in the directory, naming nobody outside the scope."""
    for duplicate in enrolment_services.find_duplicates("", None, email):
        existing = duplicate.participant
        raise EmailInUseError(existing if may_nominate(actor, call, existing) else None)


def nominate_new_person(
    call: NominationCall,
    person: dict,
    actor,
    replacing: Nomination | None = None,
    **fields,
) -> Nomination:
    """Add a person of the focal point's countries to the directory and nominate them.

    With `replacing`, the new person takes that nominee's place and priority instead.
    """
    if person.get("country_code") not in focal_countries_in(actor, call):
        raise NominationError(_("Choose one of the countries you nominate for."))
    _refuse_email_in_use(call, person.get("email"), actor)
    participant = enrolment_services.create_participant(person)
    if replacing is None:
        return nominate(call, participant, actor, **fields)
    return replace_nominee(replacing, participant, actor, **fields)


def replace_nominee(
    nomination: Nomination, participant: Participant, actor, **fields
) -> Nomination:
    """Nominate someone else in a nominee's place and priority; the first ends as replaced."""
    _refuse_after_deadline(nomination.call)
    if participant.country_code != nomination.country_code:
        raise NominationError(_("A replacement serves in the same country."))
    if nomination.status not in REPLACEABLE:
        raise NominationError(_("Only a nominee not yet decided on can be replaced."))
    _move(nomination, S.REPLACED, actor, Actor.FOCAL_POINT)
    return nominate(
        nomination.call,
        participant,
        actor,
        priority=nomination.priority,
        replaces=nomination,
        **fields,
    )


def set_priority(nomination: Nomination, priority: int, actor) -> None:
    """Move a nominee in the country's order (1 first); the others keep their relative order."""
    if priority < 1:
        raise NominationError(_("Priority starts at 1."))
    ordered = [
        other
        for other in _nominees_of(nomination.call, nomination.country_code)
        if other.status in ACTIVE and other.id != nomination.id
    ]
    ordered.sort(key=lambda other: (other.priority, other.id))
    ordered.insert(min(priority, len(ordered) + 1) - 1, nomination)
    for position, other in enumerate(ordered, start=1):
        other.priority = position
    db.session.flush()
    audit.record(
        "nomination.reprioritised",
        actor=actor,
        target=nomination,
        training_session=nomination.call.training_session_id,
        details={"priority": nomination.priority},
    )


# --- Moving a nominee on ----------------------------------------------------------------


def can_move(nomination: Nomination, target: str, actor_kind: Actor) -> bool:
    """Return whether the table lets this kind of actor make the move now (pages ask this)."""
    if not allowed(nomination.status, target, actor_kind):
        return False
    return target != S.ENDORSED or before_deadline(nomination.call)


def _move(
    nomination: Nomination,
    target: S,
    actor,
    actor_kind: Actor,
    reason: str | None = None,
) -> Nomination:
    """Make one move from the table, as an actor who may act so, audit it and queue the emails."""
    _refuse_unless_acting_as(nomination, actor, actor_kind)
    db.session.refresh(nomination, attribute_names=["status"])
    source = S(nomination.status)
    if not allowed(source, target, actor_kind):
        raise NominationError(
            _(
                "A nominee who is %(status)s cannot become %(target)s.",
                status=status_label(source),
                target=status_label(target),
            )
        )
    nomination.status = target
    db.session.flush()
    _record(nomination, source, actor, reason)
    _notify(nomination, source, actor)
    return nomination


def _refuse_unless_acting_as(nomination: Nomination, actor, actor_kind: Actor) -> None:
    """Refuse an actor who may not act so on this nominee, before anything is written."""
    if actor_kind not in actor_kinds(actor, nomination):
        raise NominationError(_("You cannot make this change for this nominee."))


def status_label(status: str) -> str:
    """Return a status's name as pages and emails show it."""
    return str(STATUS_LABELS[status])


def endorse(nomination: Nomination, actor) -> Nomination:
    """Record that the focal point stands behind a nominee (before the deadline)."""
    _refuse_after_deadline(nomination.call)
    return _move(nomination, S.ENDORSED, actor, Actor.FOCAL_POINT)


def start_review(nomination: Nomination, actor) -> Nomination:
    """Take an endorsed nominee into the programme's review."""
    return _move(nomination, S.UNDER_REVIEW, actor, Actor.STAFF)


def start_vetting(nomination: Nomination, actor) -> Nomination:
    """Send a nominee under review to vetting (an embassy, a national check)."""
    return _move(nomination, S.VETTING, actor, Actor.STAFF)


def record_vetting(
    nomination: Nomination,
    actor,
    *,
    outcome: str,
    checked_on: date,
    external_reference: str = "",
) -> VettingCheck:
    """Record a vetting check's outcome, date and reference; never the details behind it."""
    if nomination.status != S.VETTING:
        raise NominationError(_("Vetting is recorded for nominees in vetting only."))
    if outcome not in {code.value for code in VettingOutcome}:
        raise NominationError(_("Choose cleared or not cleared."))
    reference = (external_reference or "").strip()
    if len(reference) > MAX_REFERENCE:
        raise NominationError(_("Keep the reference under %(n)d characters.", n=MAX_REFERENCE))
    if checked_on > clock.today_in(nomination.call.training_session.timezone):
        raise NominationError(_("A vetting check cannot be dated in the future."))
    check = VettingCheck(
        nomination=nomination,
        outcome=outcome,
        checked_on=checked_on,
        external_reference=reference,
        recorded_by=actor,
    )
    db.session.add(check)
    db.session.flush()
    audit.record(
        "nomination.vetting_recorded",
        actor=actor,
        target=nomination,
        training_session=nomination.call.training_session_id,
        details={"outcome": outcome, "checked_on": checked_on.isoformat()},
    )
    return check


def vetting_cleared(nomination: Nomination) -> bool:
    """Return whether the latest vetting check cleared the nominee."""
    checks = nomination.vetting_checks
    return bool(checks) and checks[-1].outcome == VettingOutcome.CLEARED


def accept(nomination: Nomination, actor) -> Nomination:
    """Give a nominee one of the country's seats, counted under the session's row lock.

    Refused (SeatsTakenError) past the country's seats or the session's capacity, and for a nominee
    in vetting, or vetted before being waitlisted, whose latest check did not clear them.
    """
    call = nomination.call
    _refuse_unless_acting_as(nomination, actor, Actor.STAFF)
    enrolment_services.lock_session(call.training_session)
    db.session.refresh(nomination, attribute_names=["status"])
    vetted_or_in_vetting = nomination.status == S.VETTING or nomination.vetting_checks
    if vetted_or_in_vetting and not vetting_cleared(nomination):
        raise NominationError(_("Record a vetting check that cleared the nominee first."))
    seats = call.seats_for(nomination.country_code) or 0
    if allowed(nomination.status, S.ACCEPTED, Actor.STAFF):
        if _seats_held(call, nomination.country_code) >= seats:
            raise SeatsTakenError(
                _(
                    "All %(n)d seats offered to %(country)s are taken; decline or waitlist "
                    "this nominee, or offer the country more seats.",
                    n=seats,
                    country=country_name(nomination.country_code),
                )
            )
        refusal = enrolment_services.place_refusal(
            call.training_session, nomination.country_code, nomination.participant_id
        )
        if refusal is not None:
            raise SeatsTakenError(_("%(reason)s; waitlist this nominee.", reason=refusal))
    _invite_to_confirm(nomination.participant, actor)
    return _move(nomination, S.ACCEPTED, actor, Actor.STAFF)


def _invite_to_confirm(participant: Participant, actor) -> None:
    """Give an accepted nominee without a usable account one: only the nominee confirms a place.

    The one-time link to set a password is emailed after commit, beside the acceptance.
    """
    if participant.user is not None and participant.user.password_hash:
        return
    try:
        enrolment_services.invite_participant(participant, actor)
    except enrolment_services.EnrolmentError as error:
        raise NominationError(
            _(
                "%(name)s cannot be given an account to confirm the place: %(reason)s",
                name=participant.full_name,
                reason=error,
            )
        ) from error


def waitlist(nomination: Nomination, actor) -> Nomination:
    """Keep a nominee in line for a seat that may free up."""
    return _move(nomination, S.WAITLISTED, actor, Actor.STAFF)


def decline(nomination: Nomination, actor, reason: str) -> Nomination:
    """Turn a nominee down with a reason the focal point is shown."""
    reason = " ".join((reason or "").split())
    if not reason:
        raise NominationError(_("Give the reason; the focal point is shown it."))
    nomination.decision_reason = reason
    return _move(nomination, S.DECLINED, actor, Actor.STAFF, reason)


def confirm(nomination: Nomination, actor) -> Nomination:
    """Record that the nominee will come (only through their own account)."""
    return _move(nomination, S.CONFIRMED, actor, Actor.PARTICIPANT)


def enrol(nomination: Nomination, actor) -> Nomination:
    """Enrol a confirmed nominee through enrolment's rules (capacity, quota, the row lock)."""
    if nomination.status != S.CONFIRMED:
        raise NominationError(_("Only a nominee who confirmed can be enrolled."))
    try:
        enrolment = enrolment_services.enrol_nominee(
            nomination.participant, nomination.call.training_session, actor
        )
    except enrolment_services.EnrolmentError as error:
        raise NominationError(str(error)) from error
    nomination.enrolment = enrolment
    return _move(nomination, S.ENROLLED, actor, Actor.STAFF)


def withdraw(
    nomination: Nomination, actor, actor_kind: Actor, reason: str | None = None
) -> Nomination:
    """Take a nominee out of the call (the focal point, the programme or the person)."""
    reason = " ".join((reason or "").split()) or None
    return _move(nomination, S.WITHDRAWN, actor, actor_kind, reason)


def apply_move(
    nomination: Nomination, target: str, actor, actor_kind: Actor, reason: str | None = None
) -> Nomination:
    """Make the move a page's button asks for, through the service that owns its rules."""
    moves = {
        S.ENDORSED: lambda: endorse(nomination, actor),
        S.UNDER_REVIEW: lambda: start_review(nomination, actor),
        S.VETTING: lambda: start_vetting(nomination, actor),
        S.ACCEPTED: lambda: accept(nomination, actor),
        S.WAITLISTED: lambda: waitlist(nomination, actor),
        S.DECLINED: lambda: decline(nomination, actor, reason or ""),
        S.CONFIRMED: lambda: confirm(nomination, actor),
        S.ENROLLED: lambda: enrol(nomination, actor),
        S.WITHDRAWN: lambda: withdraw(nomination, actor, actor_kind, reason),
    }
    if target not in moves or not allowed(nomination.status, target, actor_kind):
        raise NominationError(_("This change is not available for this nominee."))
    return moves[S(target)]()


# --- Audit and email --------------------------------------------------------------------


def _record(nomination: Nomination, source: S | None, actor, reason: str | None = None) -> None:
    audit.record(
        f"nomination.{nomination.status}",
        actor=actor,
        target=nomination,
        training_session=nomination.call.training_session_id,
        participant=nomination.participant_id,
        details={"from": source, "country": nomination.country_code},
        personal={"reason": reason} if reason else None,
    )


def _session_context(training_session: TrainingSession) -> dict:
    from app.shared.formatting import date_range

    return {
        "course_title": training_session.course.title,
        "session_code": training_session.code,
        "dates": date_range(training_session.start_date, training_session.end_date),
        "city": training_session.city,
        "country": country_name(training_session.host_country),
    }


def _invite(call: NominationCall, country_code: str) -> None:
    """Email each focal point of a newly invited country, in their language, with a link."""
    from app.shared.urls import external_url

    training_session = call.training_session
    for focal_point in focal_points_for(country_code):
        queue_email(
            focal_point.email,
            _l("Call for nominations: %(code)s", code=training_session.code),
            "nomination_call_opened",
            language=focal_point.language,
            name=focal_point.name,
            invited_country=country_name(country_code, focal_point.language),
            seats=call.seats_for(country_code),
            deadline=deadline_text(call),
            link=external_url(FOCAL_POINT_PAGE, call_id=call.id),
            **_session_context(training_session),
        )


def _notify(nomination: Nomination, source: S | None, actor) -> None:
    """Tell the country's focal points of the move, and the nominee once a seat is theirs."""
    from app.shared.urls import external_url

    context = {
        **_session_context(nomination.call.training_session),
        "participant_name": nomination.participant.full_name,
        "status": STATUS_LABELS[nomination.status],  # lazy: read in the recipient's language
        "reason": nomination.decision_reason if nomination.status == S.DECLINED else "",
    }
    subject = _l(
        "Nomination for %(code)s: %(name)s",
        code=nomination.call.training_session.code,
        name=nomination.participant.full_name,
    )
    # Only those whose scope covers the person (a police-only focal point hears of police).
    for focal_point in focal_points_for(
        nomination.country_code, nomination.participant.agency_type
    ):
        if focal_point.id == getattr(actor, "id", None):
            continue
        queue_email(
            focal_point.email,
            subject,
            "nomination_status",
            language=focal_point.language,
            name=focal_point.name,
            link=external_url(FOCAL_POINT_PAGE, call_id=nomination.call_id),
            **context,
        )
    person = nomination.participant
    told = nomination.status == S.ACCEPTED or source in (*HOLDING_SEAT, S.ACCEPTED)
    if told and person.email and person.user_id != getattr(actor, "id", None):
        queue_email(
            person.email,
            _l("Your nomination: %(code)s", code=nomination.call.training_session.code),
            "nomination_nominee",
            language=supported_language(
                person.user and person.user.language, person.preferred_language
            ),
            name=person.full_name,
            awaiting_confirmation=nomination.status == S.ACCEPTED,
            set_password_first=person.user is not None and not person.user.password_hash,
            link=external_url(NOMINEE_PAGE),
            **context,
        )
