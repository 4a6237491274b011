"""Enrolment rules: the people directory, requests, approvals, capacity, quotas, waitlist, merges.

Every path that can enrol someone locks the session row first (SELECT … FOR UPDATE) and only
then counts places, so that concurrent requests can never exceed capacity. Services flush and
never commit; emails are queued and sent only once the transaction has been committed.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import UTC, date, datetime, timedelta
from decimal import Decimal

from flask import current_app
from flask_babel import gettext as _
from flask_babel import lazy_gettext as _l
from itsdangerous import BadSignature, URLSafeSerializer
from sqlalchemy import func, select

from app.accounts.signals import account_email_changed
from app.audit import services as audit
from app.curriculum.text import localised_module, localised_title
from app.enrolment.labels import AGENCY_LABELS, GENDER_LABELS, LANGUAGES
from app.enrolment.models import (
    PARTICIPANT_FIELDS,
    AgencyType,
    Enrolment,
    EnrolmentEvent,
    EnrolmentStatus,
    Participant,
)
from app.enrolment.names import normalise_name
from app.enrolment.signals import enrolment_weighed, participants_merged
from app.extensions import db
from app.notifications.services import queue_email
from app.scheduling import ical
from app.scheduling.models import SessionStatus, TrainingSession
from app.scheduling.services import agenda_by_day, places_added
from app.shared import clock
from app.shared.countries import country_name, is_country
from app.shared.i18n import supported_language
from app.shared.mail import Attachment
from app.shared.models import utcnow
from app.shared.unit_of_work import DomainError

ACTIVE = frozenset(
    {EnrolmentStatus.REQUESTED, EnrolmentStatus.ENROLLED, EnrolmentStatus.WAITLISTED}
)
HOLDING_PLACE = frozenset({EnrolmentStatus.ENROLLED, EnrolmentStatus.WAITLISTED})
# Before a session starts, its participants may withdraw themselves.
SELF_WITHDRAWAL = frozenset({SessionStatus.DRAFT, SessionStatus.OPEN})
# Which of two enrolments of one person in one session survives a merge.
RANK = {
    EnrolmentStatus.ENROLLED: 5,
    EnrolmentStatus.WAITLISTED: 4,
    EnrolmentStatus.REQUESTED: 3,
    EnrolmentStatus.WITHDRAWN: 2,
    EnrolmentStatus.DECLINED: 1,
}


class EnrolmentError(DomainError, ValueError):
    """An enrolment rule was broken; the message is shown to the user."""


# --- Email after commit -------------------------------------------------------------------


def _queue_mail(
    to: str | None,
    subject: str,
    template: str,
    language: str | None = None,
    attachments: tuple[Attachment, ...] = (),
    **context,
) -> None:
    """Send the email from a worker once the surrounding transaction commits (never before)."""
    if to:
        queue_email(to, subject, template, language=language, attachments=attachments, **context)


@dataclass(frozen=True)
class AgendaDay:
    """One day of a session's agenda as an email lists it: (module title, hours) in order."""

    day: date
    modules: tuple[tuple[str, Decimal], ...]
    hours: Decimal


def _mail_agenda(training_session: TrainingSession) -> list[AgendaDay]:
    """Return the agenda by day, module titles in the session's language (empty when unset)."""
    if not training_session.agenda_items:
        return []
    return [
        AgendaDay(
            day,
            tuple(
                (localised_module(item.course_module, training_session.language).title, item.hours)
                for item in items
            ),
            total,
        )
        for day, items, total in agenda_by_day(training_session)
    ]


def _mail_context(enrolment: Enrolment) -> dict:
    """Return plain values for an enrolment email; the template formats dates in its language."""
    from app.shared.urls import external_url

    ts = enrolment.training_session
    return {
        "participant_name": enrolment.participant.full_name,
        "course_title": localised_title(ts.course, ts.language),
        "session_code": ts.code,
        "start_date": ts.start_date,
        "end_date": ts.end_date,
        "venue": ts.venue,
        "city": ts.city,
        "host_country": ts.host_country,
        "agenda": _mail_agenda(ts),
        "reason": enrolment.status_reason or "",
        "link": external_url("enrolment.my_trainings"),
    }


def _invitation(training_session: TrainingSession, language: str | None) -> tuple[Attachment, ...]:
    """Return the session as an .ics file in the recipient's language, for their calendar."""
    from app.shared.urls import external_url

    link = external_url("enrolment.my_trainings")
    text = ical.calendar(
        training_session.code, [training_session], lambda _ts: link, language=language
    )
    return (Attachment(f"{training_session.code}.ics", "calendar", text),)


def _notify(enrolment: Enrolment, template: str, subject: str, *, invitation: bool = False) -> None:
    """Email the participant in their language: the account's choice, else the record's."""
    person = enrolment.participant
    language = supported_language(person.user and person.user.language, person.preferred_language)
    attachments = _invitation(enrolment.training_session, language) if invitation else ()
    _queue_mail(person.email, subject, template, language, attachments, **_mail_context(enrolment))


# --- People -------------------------------------------------------------------------------


@dataclass
class Duplicate:
    """An existing person who is probably the same as the one being added."""

    participant: Participant
    reason: str  # "email" or "name"


def find_duplicates(
    full_name: str, country_code: str | None, email: str | None, exclude_id: int | None = None
) -> list[Duplicate]:
    """Return people with the same email, or the same normalised name and country."""
    found: list[Duplicate] = []
    email = (email or "").strip().lower() or None
    if email:
        statement = select(Participant).where(Participant.email == email)
        if exclude_id:
            statement = statement.where(Participant.id != exclude_id)
        found += [Duplicate(p, "email") for p in db.session.scalars(statement)]
    key = normalise_name(full_name or "")
    if key and country_code:
        statement = select(Participant).where(
            Participant.name_key == key, Participant.country_code == country_code
        )
        if exclude_id:
            statement = statement.where(Participant.id != exclude_id)
        seen = {d.participant.id for d in found}
        found += [Duplicate(p, "name") for p in db.session.scalars(statement) if p.id not in seen]
    return found


def _check_fields(data: dict) -> dict:
    """Validate and tidy participant fields; return them ready to set on the model."""
    cleaned = {key: data.get(key) for key in PARTICIPANT_FIELDS if key in data}
    for key in ("full_name", "latin_name", "organisation", "job_title"):
        if key in cleaned:
            cleaned[key] = " ".join((cleaned[key] or "").split())
    if "full_name" in cleaned and not cleaned["full_name"]:
        raise EnrolmentError(_("Give the person's full name as it must appear on certificates."))
    if "country_code" in cleaned and not is_country(cleaned["country_code"]):
        raise EnrolmentError(_("Choose the country the person serves in."))
    if "agency_type" in cleaned:
        cleaned["agency_type"] = cleaned["agency_type"] or AgencyType.OTHER.value
        if cleaned["agency_type"] not in AGENCY_LABELS:
            raise EnrolmentError(_("Unknown agency type."))
    if cleaned.get("gender") and cleaned["gender"] not in GENDER_LABELS:
        raise EnrolmentError(_("Unknown gender option."))
    if cleaned.get("preferred_language") and cleaned["preferred_language"] not in LANGUAGES:
        raise EnrolmentError(_("Unknown language."))
    for key in ("latin_name", "gender", "preferred_language", "email"):
        if key in cleaned:
            cleaned[key] = cleaned[key] or None
    return cleaned


def _refuse_email_taken(email: str | None, exclude_id: int | None = None) -> None:
    for duplicate in find_duplicates("", None, email, exclude_id):
        raise EnrolmentError(
            _(
                "%(email)s is already the email of %(name)s; open that record instead.",
                email=duplicate.participant.email,
                name=duplicate.participant.full_name,
            )
        )


def create_participant(data: dict) -> Participant:
    """Add a person; a same-email record is refused, a same-name one is only flagged by views."""
    cleaned = _check_fields(data)
    _refuse_email_taken(cleaned.get("email"))
    participant = Participant(**cleaned)
    db.session.add(participant)
    db.session.flush()
    return participant


def update_participant(participant: Participant, data: dict) -> None:
    """Change a person's details; enrolments keep the country and organisation they had."""
    cleaned = _check_fields(data)
    _refuse_email_taken(cleaned.get("email"), exclude_id=participant.id)
    new_email = cleaned.get("email", participant.email)
    if participant.user is not None and new_email != participant.email:
        # The record's email is the account's login: only its owner (or an administrator, through
        # a link sent to the new address) changes it, never whoever edits the record.
        raise EnrolmentError(
            _(
                "%(name)s has an account that logs in with %(email)s; the person changes it from "
                "their profile (“Change login email”), or an administrator does.",
                name=participant.full_name,
                email=participant.email,
            )
        )
    for key, value in cleaned.items():
        setattr(participant, key, value)
    db.session.flush()


@account_email_changed.connect
def _follow_account_email(user, old_email: str) -> None:
    """Keep the linked record's email the login's once its owner confirmed a new address."""
    participant = db.session.scalar(select(Participant).where(Participant.user_id == user.id))
    if participant is not None:
        participant.email = user.email


def invite_participant(participant: Participant, actor=None) -> str | None:
    """Give the person a participant account and email them a one-time link to set a password.

    Return the raw token (None when an existing account with a password was linked instead).
    """
    from app.accounts.services import (
        create_user,
        find_user_by_email,
        holds_staff_role,
        send_invitation,
    )
    from app.shared.roles import RoleCode

    if not participant.email:
        raise EnrolmentError(_("Add an email address before inviting this person."))
    user = participant.user or find_user_by_email(participant.email)
    if user is not None and holds_staff_role(user):
        # A record never reaches a trainer's, manager's or administrator's login: no link,
        # no invitation (which would void that account's own outstanding links).
        raise EnrolmentError(
            _(
                "This email belongs to an account that an administrator manages; ask an "
                "administrator to give it the participant role."
            )
        )
    if participant.user is None:
        if user is not None:
            linked = db.session.scalar(select(Participant).where(Participant.user_id == user.id))
            if linked is not None:
                raise EnrolmentError(_("This email's account belongs to another person."))
            user.roles = user.roles | {RoleCode.PARTICIPANT.value}
            audit.record(
                "account.participant_linked",
                actor=actor,
                subject_user=user,
                participant=participant,
            )
        else:
            user = create_user(
                participant.email, participant.full_name, {RoleCode.PARTICIPANT}, actor=actor
            )
        participant.user = user
        user.language = supported_language(user.language, participant.preferred_language)
        db.session.flush()
    if user.password_hash:
        if not user.active:
            raise EnrolmentError(_("This person's account is deactivated."))
        return None
    return send_invitation(user, actor=actor)


@dataclass
class AddedPerson:
    """A person just added, and their enrolment when they were added into a session."""

    participant: Participant
    enrolment: Enrolment | None = None


def add_person(
    data: dict, actor, training_session: TrainingSession | None = None, *, invite: bool = False
) -> AddedPerson:
    """Add a person, enrol them in the session if one is given, and invite them if asked."""
    added = AddedPerson(create_participant(data))
    if training_session is not None:
        added.enrolment = add_directly(added.participant, training_session, actor)
    if invite:
        invite_participant(added.participant, actor)
    return added


@dataclass
class MergeResult:
    """What a merge did, for the confirmation message."""

    moved: int = 0
    combined: int = 0
    filled: list[str] = field(default_factory=list)
    account_moved: bool = False


def _rank(enrolment: Enrolment) -> tuple:
    """Rank an enrolment by status, completion, then the rows other domains hold for it."""
    held = sum(count for _receiver, count in enrolment_weighed.send(enrolment))
    return (RANK.get(enrolment.status, 0), enrolment.completed is True, held)


def _absorb(better: Enrolment, worse: Enrolment, note: str, actor) -> None:
    """Keep the completion and history of the enrolment about to be deleted."""
    if better.completed is None and worse.completed is not None:
        better.completed = worse.completed
        better.completion_rate = worse.completion_rate
    for line in list(worse.events):
        line.enrolment = better
    better.events.append(
        EnrolmentEvent(
            from_status=worse.status, to_status=better.status, actor_id=actor.id, note=note
        )
    )


def merge_participants(keep: Participant, remove: Participant, actor) -> MergeResult:
    """Fold `remove` into `keep` without losing enrolments, attendance or certificates."""
    if keep.id == remove.id:
        raise EnrolmentError(_("Choose two different people to merge."))
    result = MergeResult()
    note = _(
        "Merged from person #%(id)d (%(name)s) by %(actor)s",
        id=remove.id,
        name=remove.full_name,
        actor=actor.name,
    )
    by_session = {e.training_session_id: e for e in keep.enrolments}
    combined: list[tuple[Enrolment, Enrolment]] = []
    for enrolment in list(remove.enrolments):
        other = by_session.get(enrolment.training_session_id)
        if other is None:
            enrolment.participant = keep
            enrolment.events.append(
                EnrolmentEvent(
                    from_status=enrolment.status,
                    to_status=enrolment.status,
                    actor_id=actor.id,
                    note=note,
                )
            )
            result.moved += 1
            continue
        combined.append(
            (enrolment, other) if _rank(enrolment) > _rank(other) else (other, enrolment)
        )
    # Attendance and certificates move their own rows before the worse enrolments go.
    participants_merged.send(keep, removed=remove, combined=combined, actor=actor, note=note)
    freed_sessions: set[int] = set()
    for better, worse in combined:
        if worse.status == EnrolmentStatus.ENROLLED:
            freed_sessions.add(worse.training_session_id)
        _absorb(better, worse, note, actor)
        db.session.delete(worse)
        db.session.flush()
        better.participant = keep
        result.combined += 1
    db.session.flush()

    for key in ("latin_name", "organisation", "job_title", "gender", "preferred_language"):
        if not getattr(keep, key) and getattr(remove, key):
            setattr(keep, key, getattr(remove, key))
            result.filled.append(key)
    if not keep.supervisor_email and remove.supervisor_email:
        # A supervisor's name and email travel together, never one person's name with another's.
        keep.supervisor_name = remove.supervisor_name
        keep.supervisor_email = remove.supervisor_email
        result.filled += ["supervisor_name", "supervisor_email"]
    moved_email = None
    if not keep.email and remove.email:
        moved_email, remove.email = remove.email, None
        result.filled.append("email")
    moved_user = None
    if remove.user is not None:
        moved_user, remove.user = remove.user, None
    db.session.flush()
    if moved_email:
        keep.email = moved_email
    if moved_user is not None:
        if keep.user is None:
            keep.user = moved_user
            result.account_moved = True
        elif moved_user.roles == {"participant"}:
            # Two accounts for one person: the kept one stays, the other can no longer sign in
            # (its sessions and links end too, so a later reactivation revives neither).
            from app.accounts.services import lock_out

            moved_user.active = False
            lock_out(moved_user)
            audit.record(
                "account.deactivated",
                actor=actor,
                subject_user=moved_user,
                details={"reason": "merged"},
            )
    audit.record(
        "participant.merged",
        actor=actor,
        target=keep,
        details={"merged_from": remove.id, "moved": result.moved, "combined": result.combined},
    )
    db.session.delete(remove)
    db.session.flush()
    db.session.expire(keep, ["enrolments"])
    for training_session_id in freed_sessions:
        _promote_waitlist(_lock(db.session.get(TrainingSession, training_session_id)), actor)
    return result


# --- Places ------------------------------------------------------------------------------


def _lock(training_session: TrainingSession) -> TrainingSession:
    """Lock the session row until commit so that places are counted one request at a time."""
    return db.session.execute(
        select(TrainingSession)
        .where(TrainingSession.id == training_session.id)
        .with_for_update()
        .execution_options(populate_existing=True)
    ).scalar_one()


def _reload(enrolment: Enrolment) -> None:
    """Re-read the enrolment after the lock, in case another request changed it meanwhile."""
    db.session.refresh(enrolment, attribute_names=["status", "waitlisted_at", "status_reason"])


# Counts of places promised outside enrolment (nominations' accepted nominees), by session
# and country; each is called under the session's row lock with the person taking a place,
# whose own promise is not counted against them.
HeldPlaces = Callable[[TrainingSession, "str | None", "int | None"], int]
_held_places: list[HeldPlaces] = []


def register_held_places(provider: HeldPlaces) -> HeldPlaces:
    """Let a higher domain count places it promised, so every capacity and quota check sees them."""
    if provider not in _held_places:
        _held_places.append(provider)
    return provider


# Limits on a country's places set outside enrolment (the seats a call for nominations offers
# an invited country), or None where the domain sets none; called under the session's lock.
CountryLimit = Callable[[TrainingSession, str], "int | None"]
_country_limits: list[CountryLimit] = []


def register_country_limit(provider: CountryLimit) -> CountryLimit:
    """Let a higher domain cap a country's places, so every enrolment path stays within it."""
    if provider not in _country_limits:
        _country_limits.append(provider)
    return provider


def _enrolled_count(
    training_session: TrainingSession,
    country_code: str | None = None,
    participant_id: int | None = None,
) -> int:
    """Count places taken: enrolled people plus places promised elsewhere (not this person's)."""
    held = sum(
        provider(training_session, country_code, participant_id) for provider in _held_places
    )
    statement = (
        select(func.count())
        .select_from(Enrolment)
        .where(
            Enrolment.training_session_id == training_session.id,
            Enrolment.status == EnrolmentStatus.ENROLLED,
        )
    )
    if country_code is not None:
        statement = statement.where(Enrolment.country_code == country_code)
    return (db.session.scalar(statement) or 0) + held


def waitlist_reason(training_session: TrainingSession, enrolment: Enrolment) -> str | None:
    """Return why the enrolment cannot take a place now (quota, capacity), or None if it can."""
    return place_refusal(training_session, enrolment.country_code, enrolment.participant_id)


def place_refusal(
    training_session: TrainingSession, country_code: str | None, participant_id: int | None = None
) -> str | None:
    """Return why a person of the country cannot take a place now (quota, capacity), or None.

    Places promised elsewhere count as taken, except the person's own, and a country's places
    stay within any limit a higher domain registered (a call's seats); call under the lock.
    """
    quota = training_session.country_quota
    seats = [
        limit
        for provider in (_country_limits if country_code is not None else ())
        if (limit := provider(training_session, country_code)) is not None
    ]
    if quota is not None or seats:
        taken = _enrolled_count(training_session, country_code, participant_id)
        if quota is not None and taken >= quota:
            return _(
                "Quota of %(n)d participants from %(country)s reached",
                n=quota,
                country=country_name(country_code),
            )
        if seats and taken >= min(seats):
            return _(
                "All %(n)d seats the call for nominations offers %(country)s are taken",
                n=min(seats),
                country=country_name(country_code),
            )
    if _enrolled_count(training_session, None, participant_id) >= training_session.capacity:
        return _("Session full (%(n)d places)", n=training_session.capacity)
    return None


def _set_status(
    enrolment: Enrolment, to_status: str, actor, note: str | None = None, *, new: bool = False
) -> None:
    """Change the status and append the audit line (from, to, who, when, why)."""
    from_status = None if new else enrolment.status
    enrolment.events.append(
        EnrolmentEvent(
            from_status=from_status,
            to_status=to_status,
            actor_id=actor.id if actor is not None else None,
            note=note,
        )
    )
    enrolment.status = to_status
    audit.record(
        f"enrolment.{to_status}", actor=actor, target=enrolment, details={"from": from_status}
    )


def _place(enrolment: Enrolment, training_session: TrainingSession, actor, *, new: bool) -> None:
    """Enrol if a place (and the country quota) allows, otherwise join the waitlist's end."""
    reason = waitlist_reason(training_session, enrolment)
    if reason is None:
        _set_status(enrolment, EnrolmentStatus.ENROLLED, actor, new=new)
        enrolment.status_reason = None
        enrolment.waitlisted_at = None
        return
    if enrolment.status != EnrolmentStatus.WAITLISTED or new:
        enrolment.waitlisted_at = utcnow()
    _set_status(enrolment, EnrolmentStatus.WAITLISTED, actor, reason, new=new)
    enrolment.status_reason = reason


def _promote_waitlist(training_session: TrainingSession, actor) -> list[Enrolment]:
    """Give freed places to the first waitlisted people who fit capacity and quota, in order."""
    if training_session.is_closed:
        return []
    promoted = []
    waiting = db.session.scalars(
        select(Enrolment)
        .where(
            Enrolment.training_session_id == training_session.id,
            Enrolment.status == EnrolmentStatus.WAITLISTED,
        )
        .order_by(Enrolment.waitlisted_at, Enrolment.id)
    ).all()
    for enrolment in waiting:
        if _enrolled_count(training_session, None, enrolment.participant_id) >= (
            training_session.capacity
        ):
            break
        if waitlist_reason(training_session, enrolment) is not None:
            continue
        _set_status(enrolment, EnrolmentStatus.ENROLLED, actor, _("Promoted from the waitlist"))
        enrolment.status_reason = None
        enrolment.waitlisted_at = None
        db.session.flush()
        _notify(
            enrolment,
            "enrolment_promoted",
            _l("A place is yours: %(code)s", code=training_session.code),
            invitation=True,
        )
        promoted.append(enrolment)
    return promoted


def promote_waitlist(training_session: TrainingSession, actor) -> list[Enrolment]:
    """Fill free places from the waitlist (after a withdrawal or a capacity increase)."""
    return _promote_waitlist(_lock(training_session), actor)


@places_added.connect
def _fill_new_places(training_session: TrainingSession, actor=None) -> None:
    """Promote waitlisted people when a trainer raises the capacity or loosens the quota."""
    promote_waitlist(training_session, actor)


def waitlist_positions(training_session: TrainingSession) -> dict[int, int]:
    """Return each waitlisted enrolment's position (1 = next to be promoted)."""
    ids = db.session.scalars(
        select(Enrolment.id)
        .where(
            Enrolment.training_session_id == training_session.id,
            Enrolment.status == EnrolmentStatus.WAITLISTED,
        )
        .order_by(Enrolment.waitlisted_at, Enrolment.id)
    ).all()
    return {enrolment_id: position for position, enrolment_id in enumerate(ids, start=1)}


def _existing(training_session: TrainingSession, participant: Participant) -> Enrolment | None:
    return db.session.scalar(
        select(Enrolment).where(
            Enrolment.training_session_id == training_session.id,
            Enrolment.participant_id == participant.id,
        )
    )


def _snapshot(enrolment: Enrolment, participant: Participant) -> None:
    """Keep where the person serves at the time of this training, for reach reporting."""
    enrolment.country_code = participant.country_code
    enrolment.organisation = participant.organisation
    enrolment.agency_type = participant.agency_type


def _new_enrolment(training_session: TrainingSession, participant: Participant) -> Enrolment:
    enrolment = Enrolment(training_session=training_session, participant=participant)
    _snapshot(enrolment, participant)
    db.session.add(enrolment)
    return enrolment


def _refuse_closed(training_session: TrainingSession) -> None:
    if training_session.is_closed:
        raise EnrolmentError(
            _(
                "This session is %(status)s; its enrolments can no longer change.",
                status=_("completed")
                if training_session.status == SessionStatus.COMPLETED
                else _("cancelled"),
            )
        )


def deadline_passed(training_session: TrainingSession) -> bool:
    """Return whether the session's day for requests is behind us."""
    deadline = training_session.enrolment_deadline
    return deadline is not None and clock.today_in(training_session.timezone) > deadline


def blocks_new_request(enrolment: Enrolment | None) -> bool:
    """Return whether the person's standing in a session refuses a new request (asked, declined)."""
    return enrolment is not None and (
        enrolment.status in ACTIVE or enrolment.status == EnrolmentStatus.DECLINED
    )


def can_withdraw_own(enrolment: Enrolment) -> bool:
    """Return whether participants may still withdraw this request or place themselves."""
    return enrolment.status in ACTIVE and enrolment.training_session.status in SELF_WITHDRAWAL


def reason_heading(enrolment: Enrolment) -> str | None:
    """Return how a participant's page heads the enrolment's reason (waitlist, decline), if any."""
    if enrolment.status == EnrolmentStatus.WAITLISTED:
        return _("Waitlist")
    if enrolment.status == EnrolmentStatus.DECLINED:
        return _("Reason")
    return None


def request_place(participant: Participant, training_session: TrainingSession, actor) -> Enrolment:
    """Ask for a place in an open session before its deadline; a trainer then decides."""
    training_session = _lock(training_session)
    if training_session.status != SessionStatus.OPEN:
        raise EnrolmentError(_("This training session is not open for enrolment."))
    if deadline_passed(training_session):
        raise EnrolmentError(_("The enrolment deadline has passed."))
    enrolment = _existing(training_session, participant)
    if enrolment is not None:
        if enrolment.status in ACTIVE:
            raise EnrolmentError(_("You have already asked for a place in this session."))
        if enrolment.status == EnrolmentStatus.DECLINED:
            raise EnrolmentError(
                _("Your request for this session was declined; contact its trainers.")
            )
        _snapshot(enrolment, participant)
        _set_status(enrolment, EnrolmentStatus.REQUESTED, actor)
    else:
        enrolment = _new_enrolment(training_session, participant)
        _set_status(enrolment, EnrolmentStatus.REQUESTED, actor, new=True)
    enrolment.status_reason = None
    db.session.flush()
    _notify(
        enrolment,
        "enrolment_request_received",
        _l("We received your request: %(code)s", code=training_session.code),
    )
    return enrolment


def approve(enrolment: Enrolment, actor) -> Enrolment:
    """Accept a request: a place if capacity and quota allow, otherwise the waitlist."""
    training_session = _lock(enrolment.training_session)
    _reload(enrolment)
    _refuse_closed(training_session)
    if enrolment.status != EnrolmentStatus.REQUESTED:
        raise EnrolmentError(_("Only pending requests can be approved."))
    _place(enrolment, training_session, actor, new=False)
    db.session.flush()
    if enrolment.status == EnrolmentStatus.ENROLLED:
        _notify(
            enrolment,
            "enrolment_approved",
            _l("Your place is confirmed: %(code)s", code=training_session.code),
            invitation=True,
        )
    else:
        _notify(
            enrolment,
            "enrolment_waitlisted",
            _l("You are on the waitlist: %(code)s", code=training_session.code),
        )
    return enrolment


def _release_place(
    enrolment: Enrolment, actor, status: EnrolmentStatus, reason: str | None
) -> tuple[TrainingSession, bool]:
    """End an active enrolment; return its (locked) session and whether a place was freed."""
    training_session = _lock(enrolment.training_session)
    _reload(enrolment)
    _refuse_closed(training_session)
    if enrolment.status not in ACTIVE:
        raise EnrolmentError(_("This enrolment is already declined or withdrawn."))
    freed = enrolment.status == EnrolmentStatus.ENROLLED
    reason = (reason or "").strip() or None
    _set_status(enrolment, status, actor, reason)
    enrolment.status_reason = reason
    enrolment.waitlisted_at = None
    db.session.flush()
    return training_session, freed


def decline(enrolment: Enrolment, actor, reason: str | None = None) -> Enrolment:
    """Refuse a request (or take back a place); a freed place goes to the waitlist."""
    training_session, freed = _release_place(enrolment, actor, EnrolmentStatus.DECLINED, reason)
    _notify(
        enrolment,
        "enrolment_declined",
        _l("Your request was not accepted: %(code)s", code=training_session.code),
    )
    if freed:
        _promote_waitlist(training_session, actor)
    return enrolment


def withdraw(enrolment: Enrolment, actor, reason: str | None = None) -> Enrolment:
    """Give up a place or a request; a freed place goes to the first waitlisted who fits."""
    training_session, freed = _release_place(enrolment, actor, EnrolmentStatus.WITHDRAWN, reason)
    if freed:
        _promote_waitlist(training_session, actor)
    return enrolment


# A withdrawal may be undone for this long, by the person who made it.
UNDO_WINDOW = timedelta(minutes=10)


def _undo_serializer() -> URLSafeSerializer:
    return URLSafeSerializer(current_app.config["SECRET_KEY"], salt="enrolment-withdrawal-undo")


def withdraw_undoably(enrolment: Enrolment, actor, reason: str | None = None, *, own: bool = False):
    """Withdraw (as a trainer, or the participant when own) and return a token that undoes it."""
    _lock(enrolment.training_session)
    _reload(enrolment)
    before = {"r": enrolment.status_reason, "w": enrolment.waitlisted_at}
    if own:
        withdraw_own(enrolment, actor)
    else:
        withdraw(enrolment, actor, reason)
    waited = before["w"].isoformat() if before["w"] else None
    return _undo_serializer().dumps(
        {
            "e": enrolment.id,
            "v": enrolment.events[-1].id,
            "u": actor.id,
            "t": clock.now().timestamp(),
            "r": before["r"],
            "w": waited,
        }
    )


def undo_withdrawal(enrolment: Enrolment, actor, token: str) -> Enrolment:
    """Give back the status a withdrawal ended, if recent, unchanged since and the place is free."""
    too_late = EnrolmentError(_("This withdrawal can no longer be undone."))
    try:
        undo = _undo_serializer().loads(token)
    except BadSignature:
        raise too_late from None
    training_session = _lock(enrolment.training_session)
    _reload(enrolment)
    _refuse_closed(training_session)
    last = db.session.scalar(
        select(EnrolmentEvent)
        .where(EnrolmentEvent.enrolment_id == enrolment.id)
        .order_by(EnrolmentEvent.id.desc())
        .limit(1)
    )
    age = clock.now() - datetime.fromtimestamp(undo["t"], UTC)
    if (
        (undo["e"], undo["u"]) != (enrolment.id, actor.id)
        or last is None
        or last.id != undo["v"]
        or enrolment.status != EnrolmentStatus.WITHDRAWN
        or not timedelta(0) <= age <= UNDO_WINDOW
    ):
        raise too_late
    if last.from_status == EnrolmentStatus.ENROLLED:
        taken = waitlist_reason(training_session, enrolment)
        if taken is not None:
            raise EnrolmentError(
                _("The place was taken meanwhile (%(reason)s); the withdrawal stays.", reason=taken)
            )
    _set_status(enrolment, last.from_status, actor, _("Withdrawal undone"))
    enrolment.status_reason = undo["r"]
    enrolment.waitlisted_at = datetime.fromisoformat(undo["w"]) if undo["w"] else None
    db.session.flush()
    return enrolment


def waitlist(enrolment: Enrolment, actor) -> Enrolment:
    """Answer a request with a waitlist spot, at the end of the line, even if a place is free."""
    training_session = _lock(enrolment.training_session)
    _reload(enrolment)
    _refuse_closed(training_session)
    if enrolment.status != EnrolmentStatus.REQUESTED:
        raise EnrolmentError(_("Only pending requests can be put on the waitlist."))
    reason = _("Put on the waitlist by the trainer")
    _set_status(enrolment, EnrolmentStatus.WAITLISTED, actor, reason)
    enrolment.status_reason = reason
    enrolment.waitlisted_at = utcnow()
    db.session.flush()
    _notify(
        enrolment,
        "enrolment_waitlisted",
        _l("You are on the waitlist: %(code)s", code=training_session.code),
    )
    return enrolment


# What a trainer may do to several enrolments at once, and whether it ends a place.
BULK_ACTIONS = {
    "approve": (lambda enrolment, actor, reason: approve(enrolment, actor), False),
    "waitlist": (lambda enrolment, actor, reason: waitlist(enrolment, actor), False),
    "decline": (decline, True),
    "withdraw": (withdraw, True),
}


@dataclass
class BulkResult:
    """How many of the chosen enrolments changed, and why the others did not."""

    changed: list[Enrolment]
    refused: list[tuple[Enrolment, str]]


def apply_to_many(
    enrolments: list[Enrolment], action: str, actor, reason: str | None = None
) -> BulkResult:
    """Apply one decision to each enrolment; one refused (already decided) leaves the rest."""
    change, _ends = BULK_ACTIONS[action]
    result = BulkResult([], [])
    for enrolment in enrolments:
        try:
            change(enrolment, actor, reason)
        except EnrolmentError as exc:  # refused before anything was written for this one
            result.refused.append((enrolment, str(exc)))
        else:
            result.changed.append(enrolment)
    return result


def withdraw_own(enrolment: Enrolment, actor) -> Enrolment:
    """Let a participant withdraw themself before the session starts."""
    training_session = enrolment.training_session
    if training_session.status not in SELF_WITHDRAWAL:
        raise EnrolmentError(_("The session has started; ask your trainer to withdraw you."))
    return withdraw(enrolment, actor, _("Withdrawn by the participant"))


def _existing_without_place(
    training_session: TrainingSession, participant: Participant
) -> Enrolment | None:
    """Return the person's earlier enrolment, read afresh; refuse one that holds a place."""
    enrolment = _existing(training_session, participant)
    if enrolment is not None:
        _reload(enrolment)
        if enrolment.status in HOLDING_PLACE:
            raise EnrolmentError(
                _("%(name)s is already enrolled or waitlisted.", name=participant.full_name)
            )
    return enrolment


def add_directly(participant: Participant, training_session: TrainingSession, actor) -> Enrolment:
    """Enrol a person chosen by a trainer (waitlisted with the reason if full or over quota)."""
    training_session = _lock(training_session)
    _refuse_closed(training_session)
    enrolment = _existing_without_place(training_session, participant)
    if enrolment is not None:
        _snapshot(enrolment, participant)
        _place(enrolment, training_session, actor, new=False)
    else:
        enrolment = _new_enrolment(training_session, participant)
        db.session.flush()
        _place(enrolment, training_session, actor, new=True)
    db.session.flush()
    return enrolment


def lock_session(training_session: TrainingSession) -> TrainingSession:
    """Lock the session row until commit, for another domain that counts places (nominations)."""
    return _lock(training_session)


def places_taken(training_session: TrainingSession, country_code: str | None = None) -> int:
    """Return the places enrolled or promised, of one country if given (held under lock_session)."""
    return _enrolled_count(training_session, country_code)


def enrol_nominee(participant: Participant, training_session: TrainingSession, actor) -> Enrolment:
    """Give an accepted nominee a place under the capacity and quota rules, or refuse saying why.

    Unlike a trainer's direct add, a nominee is never waitlisted here: the nomination already
    holds their seat, so a session without a place left is an error to show, not a queue.
    """
    training_session = _lock(training_session)
    _refuse_closed(training_session)
    enrolment = _existing_without_place(training_session, participant)
    # Judged for the person's country before any row is written, so a refusal leaves none.
    reason = place_refusal(training_session, participant.country_code, participant.id)
    if reason is not None:
        raise EnrolmentError(reason)
    new = enrolment is None
    if new:
        enrolment = _new_enrolment(training_session, participant)
        db.session.flush()
    else:
        _snapshot(enrolment, participant)
    _place(enrolment, training_session, actor, new=new)
    db.session.flush()
    _notify(
        enrolment,
        "enrolment_approved",
        _l("Your place is confirmed: %(code)s", code=training_session.code),
        invitation=True,
    )
    return enrolment


# --- Reading -----------------------------------------------------------------------------


def counts(training_session: TrainingSession) -> dict:
    """Return enrolment counts by status and enrolled people by country of service."""
    rows = db.session.execute(
        select(Enrolment.status, func.count())
        .where(Enrolment.training_session_id == training_session.id)
        .group_by(Enrolment.status)
    ).all()
    by_status = {status: 0 for status in EnrolmentStatus}
    by_status.update(dict(rows))
    by_country = db.session.execute(
        select(Enrolment.country_code, func.count())
        .where(
            Enrolment.training_session_id == training_session.id,
            Enrolment.status == EnrolmentStatus.ENROLLED,
        )
        .group_by(Enrolment.country_code)
        .order_by(func.count().desc(), Enrolment.country_code)
    ).all()
    return {"by_status": by_status, "by_country": by_country}


def places_left(training_sessions: list[TrainingSession]) -> dict[int, int]:
    """Return each session's free places (capacity less enrolled), counted in one query."""
    ids = [training_session.id for training_session in training_sessions]
    enrolled = dict(
        db.session.execute(
            select(Enrolment.training_session_id, func.count())
            .where(
                Enrolment.training_session_id.in_(ids),
                Enrolment.status == EnrolmentStatus.ENROLLED,
            )
            .group_by(Enrolment.training_session_id)
        ).all()
    )
    return {
        training_session.id: max(
            training_session.capacity - enrolled.get(training_session.id, 0), 0
        )
        for training_session in training_sessions
    }


def participant_for_user(user) -> Participant | None:
    """Return the directory record of a signed-in participant."""
    if user is None or not getattr(user, "is_authenticated", False):
        return None
    return db.session.scalar(select(Participant).where(Participant.user_id == user.id))
