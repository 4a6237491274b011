"""What enrolment's pages read: the directory, a person's enrolments, a session's lists."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from datetime import UTC
from math import ceil
from typing import NamedTuple

from sqlalchemy import and_, case, exists, false, func, or_, select, true
from sqlalchemy.orm import aliased, selectinload

from app.accounts.models import User
from app.enrolment.models import Enrolment, EnrolmentEvent, EnrolmentStatus, Participant
from app.enrolment.names import normalise_name
from app.enrolment.permissions import can_manage_directory, can_manage_participant, trains
from app.enrolment.permissions import visible_to as _visible_to
from app.extensions import cache, db
from app.scheduling.models import TrainingSession
from app.shared.converters import is_record_id
from app.shared.countries import country_choices, country_name

PER_PAGE = 50
SUMMARY_SECONDS = 300  # the longest the whole directory's summary is kept (_whole_directory)
SEARCH_LIMIT = 20
# The order a session's enrolment page lists its groups in.
STATUS_ORDER = (
    EnrolmentStatus.ENROLLED,
    EnrolmentStatus.REQUESTED,
    EnrolmentStatus.WAITLISTED,
    EnrolmentStatus.DECLINED,
    EnrolmentStatus.WITHDRAWN,
)


def shares_name_key():
    """Return a condition matching people whose folded name and country another person has."""
    twin = aliased(Participant)
    return (
        select(twin.id)
        .where(
            twin.name_key == Participant.name_key,
            twin.country_code == Participant.country_code,
            twin.id != Participant.id,
        )
        .exists()
    )


def participant_search(text: str):
    """Return a condition matching people by folded name, Latin name or email (one definition).

    Every folded word typed must occur in the name's key or in the Latin name (so "Al Mansouri"
    finds "Al-Mansouri"); the Latin name also matches as typed, accents included.
    """
    tokens = normalise_name(text).split()
    like = f"%{text.lower()}%"
    latin = func.lower(Participant.latin_name)
    return or_(
        and_(*(Participant.name_key.contains(token) for token in tokens)) if tokens else false(),
        and_(*(latin.contains(token) for token in tokens)) if tokens else false(),
        latin.like(like),
        Participant.email.like(like),
    )


def search_participants(
    viewer: User,
    text: str,
    *,
    exclude: Participant | None = None,
    or_exact_email: bool = False,
    limit: int = SEARCH_LIMIT,
) -> list[Participant]:
    """Return people the viewer may see matching `text`, by name; the one search of enrolment.

    With `or_exact_email`, a person anywhere in the directory is found by their exact email too
    (a session page adds people it cannot browse for).
    """
    condition = and_(_visible_to(viewer), participant_search(text))
    if or_exact_email:
        condition = or_(condition, Participant.email == text.strip().lower())
    statement = select(Participant).where(condition)
    if exclude is not None:
        statement = statement.where(Participant.id != exclude.id)
    return list(db.session.scalars(statement.order_by(Participant.full_name).limit(limit)))


@dataclass(frozen=True)
class DirectoryFilters:
    """What the directory page narrows the people to; empty fields do not filter."""

    query: str = ""
    country: str = ""
    agency: str = ""
    duplicates_only: bool = False


class DirectoryLine(NamedTuple):
    """One person on a page of the directory, read as plain columns (not an ORM object)."""

    id: int
    full_name: str
    latin_name: str | None
    country_code: str
    organisation: str
    job_title: str
    agency_type: str
    email: str | None
    account: str | None  # "active", "invited" (no password set yet) or None: no account


@dataclass
class DirectoryPage:
    """One page of the people directory, with what its filters and pager need."""

    people: Sequence[DirectoryLine]
    page: int
    pages: int
    total: int
    countries: list[tuple[str, str]]  # (code, name) of the countries people serve in, by name
    duplicate_count: int


def directory_page(viewer: User, filters: DirectoryFilters, page: int) -> DirectoryPage:
    """Return the page of people the viewer may see, by Latin (or full) name.

    The order is an index's (ix_participants_sort_name), so a page of fifty is read in order
    at any size rather than after sorting everyone.
    """
    conditions = [_visible_to(viewer)]
    if filters.duplicates_only:
        conditions.append(shares_name_key())
    if filters.query:
        conditions.append(participant_search(filters.query))
    if filters.country:
        conditions.append(Participant.country_code == filters.country)
    if filters.agency:
        conditions.append(Participant.agency_type == filters.agency)
    total = db.session.scalar(select(func.count()).select_from(Participant).where(*conditions)) or 0
    pages = max(ceil(total / PER_PAGE), 1)
    page = min(max(page, 1), pages)
    order = (Participant.country_code, Participant.name_key) if filters.duplicates_only else ()
    account = case(
        (User.id.is_(None), None), (User.password_hash.is_(None), "invited"), else_="active"
    )
    people = [
        DirectoryLine(*row)
        for row in db.session.execute(
            select(*(getattr(Participant, name) for name in DirectoryLine._fields[:-1]), account)
            .outerjoin(User, User.id == Participant.user_id)
            .where(*conditions)
            .order_by(*order, Participant.sort_name(), Participant.id)
            .offset((page - 1) * PER_PAGE)
            .limit(PER_PAGE)
        )
    ]
    # Merging is the whole directory's keepers' work: only they are told about duplicates, on
    # the whole directory's page (there `total` is everyone, and the summary is kept).
    keeper = can_manage_directory(viewer)
    if keeper and filters == DirectoryFilters():
        duplicates, used_countries = _whole_directory(total)
    else:
        duplicates = total if keeper and filters.duplicates_only else 0
        used_countries = _countries_of(_visible_to(viewer))
    return DirectoryPage(
        people=people,
        page=page,
        pages=pages,
        total=total,
        countries=_named_by_reader(used_countries),
        duplicate_count=duplicates,
    )


def _named_by_reader(codes: frozenset[str]) -> list[tuple[str, str]]:
    """Return (code, name) of the countries, in the reader's order; unknown codes at the end."""
    named = [pair for pair in country_choices() if pair[0] in codes]
    known = {code for code, _name in named}
    return named + [(code, country_name(code)) for code in sorted(codes - known)]


def _countries_of(visible) -> frozenset[str]:
    """Return the countries the visible people serve in (the country filter's choices)."""
    return frozenset(db.session.scalars(select(Participant.country_code).where(visible).distinct()))


def _whole_directory(everyone: int) -> tuple[int, frozenset[str]]:
    """Count the people who may be recorded twice, and list the countries, once a change.

    Counting reads every person's name key (20 ms at 100,000 people), so both are kept under
    the number of people and the newest change: an insert or an edit through the app sets
    updated_at, a deletion lowers the number. A write stamped before another that committed
    first (updated_at is set at flush, not at commit), one from a server whose clock runs
    behind, or one that bypasses SQLAlchemy can go unseen: the summary is therefore kept
    SUMMARY_SECONDS at most. The duplicates' own page always counts afresh.
    """
    newest = db.session.scalar(select(func.max(Participant.updated_at)))
    stamp = newest.astimezone(UTC).isoformat() if newest else "-"
    key = f"directory:summary:{everyone}:{stamp}"
    found = cache.get(key)
    if found is None:
        duplicates = select(func.count(Participant.id)).where(shares_name_key())
        found = (db.session.scalar(duplicates) or 0, _countries_of(true()))
        cache.set(key, found, timeout=SUMMARY_SECONDS)
    return found


def enrolments_of_person(viewer: User, participant: Participant) -> list[Enrolment]:
    """Return the person's enrolments the viewer may see (a trainer: their own sessions')."""
    statement = select(Enrolment).join(TrainingSession)
    if not can_manage_directory(viewer):
        statement = statement.where(exists().where(trains(viewer)))
    return list(
        db.session.scalars(
            statement.where(Enrolment.participant_id == participant.id)
            .options(
                selectinload(Enrolment.training_session).selectinload(TrainingSession.course),
                selectinload(Enrolment.events).selectinload(EnrolmentEvent.actor),
            )
            .order_by(TrainingSession.start_date.desc())
        )
    )


def participant_by_id(participant_id: object) -> Participant | None:
    """Return the person a form names by id, or None for a missing or malformed id."""
    from app.shared.converters import is_record_id

    text = str(participant_id or "")
    return db.session.get(Participant, int(text)) if is_record_id(text) else None


def person_to_add(viewer: User, participant_id: object, typed_email: str) -> Participant | None:
    """Return the person a trainer chose to add, if they may see them or typed their email.

    Ids alone cannot be tried to reach people the trainer may not see.
    """
    participant = participant_by_id(participant_id)
    if participant is None:
        return None
    typed_email = typed_email.strip().lower()
    if can_manage_participant(viewer, participant) or (
        participant.email and typed_email == participant.email
    ):
        return participant
    return None


def session_groups(training_session: TrainingSession) -> dict[str, list[Enrolment]]:
    """Return a session's enrolments by status; places and requests by name, the rest in order."""
    enrolments = db.session.scalars(
        select(Enrolment)
        .where(Enrolment.training_session_id == training_session.id)
        .options(selectinload(Enrolment.participant))
        .order_by(Enrolment.waitlisted_at, Enrolment.id)
    ).all()
    groups: dict[str, list[Enrolment]] = {status: [] for status in STATUS_ORDER}
    for enrolment in enrolments:
        groups.setdefault(enrolment.status, []).append(enrolment)
    for status in (EnrolmentStatus.ENROLLED, EnrolmentStatus.REQUESTED):
        groups[status].sort(
            key=lambda e: (e.participant.latin_name or e.participant.full_name).lower()
        )
    return groups


def enrolments_by_session(participant: Participant | None) -> dict[int, Enrolment]:
    """Return the person's enrolments keyed by session id (none for a visitor without record)."""
    if participant is None:
        return {}
    return {
        e.training_session_id: e
        for e in db.session.scalars(
            select(Enrolment).where(Enrolment.participant_id == participant.id)
        )
    }


def own_trainings(participant: Participant) -> list[Enrolment]:
    """Return a participant's enrolments with their sessions and courses, latest first."""
    return list(
        db.session.scalars(
            select(Enrolment)
            .join(TrainingSession)
            .where(Enrolment.participant_id == participant.id)
            .options(selectinload(Enrolment.training_session).selectinload(TrainingSession.course))
            .order_by(TrainingSession.start_date.desc())
        )
    )


def chosen_enrolments(training_session: TrainingSession, ids: list[str]) -> list[Enrolment]:
    """Return the session's enrolments among the ids ticked on its page (others are ignored)."""
    wanted = [int(value) for value in ids if is_record_id(value)]
    if not wanted:
        return []
    return list(
        db.session.scalars(
            select(Enrolment)
            .where(Enrolment.training_session_id == training_session.id, Enrolment.id.in_(wanted))
            .options(selectinload(Enrolment.participant))
            .order_by(Enrolment.id)
        )
    )
