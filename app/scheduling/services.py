"""Scheduling rules: creating and editing sessions, their agenda, codes, overlaps and status.

Services flush and never commit; rule violations raise SchedulingError, whose `errors` map a
form field name (agenda rows use WTForms' "agenda-<index>-<field>" names) to its messages.
"""

from __future__ import annotations

import hashlib
import re
import secrets
from collections import defaultdict
from collections.abc import Iterable
from dataclasses import dataclass, field
from datetime import date, timedelta
from decimal import Decimal, InvalidOperation

from blinker import Namespace
from flask_babel import format_date
from flask_babel import gettext as _
from sqlalchemy import func, select

from app.accounts.models import User
from app.curriculum.models import Course, CourseModule
from app.extensions import db
from app.scheduling.models import (
    AgendaItem,
    CalendarFeed,
    PartnerOrganisation,
    SessionStatus,
    TrainingSession,
    training_session_trainers,
)
from app.scheduling.timezones import default_timezone, timezone_names
from app.shared import clock
from app.shared.countries import is_country
from app.shared.legal_traditions import (
    TRADITION_ADJECTIVES,
    LegalTradition,
    tradition_for_country,
    tradition_label,
)
from app.shared.roles import RoleCode
from app.shared.unit_of_work import DomainError

HOURS_PER_DAY = Decimal(8)
OVERLAP_DAYS = 30
# Plausible dates: the programme's records start in 1990, planning reaches ten years ahead.
EARLIEST_SESSION_DAY = date(1990, 1, 1)
PLANNING_YEARS = 10
MAX_SESSION_DAYS = 60
# Codes name certificate files and URLs and travel in headers: ASCII letters, digits, hyphens.
SESSION_CODE = re.compile(r"[A-Za-z0-9]+(?:-[A-Za-z0-9]+)*")

# Sensible life cycle: publish, run, finish; anything not finished may be called off.
TRANSITIONS: dict[str, frozenset[str]] = {
    SessionStatus.DRAFT: frozenset({SessionStatus.OPEN, SessionStatus.CANCELLED}),
    SessionStatus.OPEN: frozenset(
        {SessionStatus.DRAFT, SessionStatus.IN_PROGRESS, SessionStatus.CANCELLED}
    ),
    SessionStatus.IN_PROGRESS: frozenset({SessionStatus.COMPLETED, SessionStatus.CANCELLED}),
    SessionStatus.COMPLETED: frozenset(),
    SessionStatus.CANCELLED: frozenset(),
}


# Sent after a session gains places, so that the enrolment domain can fill them from its
# waitlist without scheduling depending on enrolment.
places_added = Namespace().signal("places-added")


class SchedulingError(DomainError):
    """A scheduling rule was broken; `errors` maps field names ("" for the form) to messages."""

    def __init__(self, message: str | None = None, field_name: str = "", errors=None) -> None:
        self.errors: dict[str, list[str]] = dict(errors or {})
        if message:
            self.errors.setdefault(field_name, []).append(message)
        super().__init__(" ".join(msg for msgs in self.errors.values() for msg in msgs))


@dataclass
class SessionDetails:
    """What a trainer fills in for a session (everything but the course and the agenda)."""

    host_country: str
    city: str
    start_date: date | None
    end_date: date | None
    capacity: int | None
    venue: str = ""
    timezone: str | None = None  # None: guessed from the country
    language: str = "en"
    country_quota: int | None = None
    enrolment_deadline: date | None = None
    legal_tradition: str | None = None  # None: the country's tradition
    notes: str = ""
    trainers: list[User] = field(default_factory=list)
    partners: list[PartnerOrganisation] = field(default_factory=list)
    new_partner_names: str = ""  # comma-separated names of partners to create


@dataclass
class AgendaRow:
    """One line of the agenda editor: a module on a day, hours defaulting to the module's."""

    day: date | None
    course_module_id: int | None
    hours: Decimal | None = None


# --- Legal traditions ------------------------------------------------------------------------


def default_legal_tradition(country_code: str | None) -> str | None:
    """Return the legal tradition a session in this country follows unless overridden."""
    return tradition_for_country(country_code)


def module_tradition_flag(module: CourseModule, tradition: str | None) -> str | None:
    """Explain why a module does not fit the session's tradition, or return None if it does."""
    if module.applies_to(tradition):
        return None
    covers = " / ".join(
        str(TRADITION_ADJECTIVES.get(code, code)) for code in module.legal_traditions
    )
    return _(
        "This module covers %(covers)s rules; the session follows %(tradition)s.",
        covers=covers,
        tradition=tradition_label(tradition).lower(),
    )


def tradition_flags(training_session: TrainingSession) -> dict[int, str]:
    """Return the explanation for each agenda module that does not apply, keyed by module id."""
    flags: dict[int, str] = {}
    for item in training_session.agenda_items:
        message = module_tradition_flag(item.course_module, training_session.legal_tradition)
        if message:
            flags[item.course_module_id] = message
    return flags


# --- Codes and overlaps ----------------------------------------------------------------------


def next_session_code(course: Course, year: int, country_code: str) -> str:
    """Return COURSE-YEAR-CC-NN with the next two-digit number for that course, year and country."""
    prefix = f"{course.code}-{year}-{country_code}-"
    codes = db.session.scalars(
        select(TrainingSession.code).where(TrainingSession.code.startswith(prefix, autoescape=True))
    ).all()
    numbers = [int(code[len(prefix) :]) for code in codes if code[len(prefix) :].isdigit()]
    return f"{prefix}{max(numbers, default=0) + 1:02d}"


def find_overlaps(
    course_id: int,
    host_country: str,
    start_date: date,
    end_date: date,
    exclude_id: int | None = None,
) -> list[TrainingSession]:
    """Return sessions of the course in the country, not cancelled, within 30 days of the dates."""
    window = timedelta(days=OVERLAP_DAYS)
    # A form being corrected may still hold a date near year 1 or 9999.
    latest = end_date + window if end_date <= date.max - window else date.max
    earliest = start_date - window if start_date >= date.min + window else date.min
    statement = (
        select(TrainingSession)
        .where(
            TrainingSession.course_id == course_id,
            TrainingSession.host_country == host_country,
            TrainingSession.status != SessionStatus.CANCELLED,
            TrainingSession.start_date <= latest,
            TrainingSession.end_date >= earliest,
        )
        .order_by(TrainingSession.start_date)
    )
    if exclude_id is not None:
        statement = statement.where(TrainingSession.id != exclude_id)
    return list(db.session.scalars(statement))


def overlaps_for(training_session: TrainingSession) -> list[TrainingSession]:
    """Return the sessions that overlap this one (none for a cancelled session)."""
    if training_session.is_cancelled:
        return []
    return find_overlaps(
        training_session.course_id,
        training_session.host_country,
        training_session.start_date,
        training_session.end_date,
        exclude_id=training_session.id,
    )


def overlap_message(other: TrainingSession, with_code: bool = True) -> str:
    """Describe an overlapping session: its code, dates and city."""
    details = _(
        "runs %(start)s to %(end)s in %(city)s, within %(days)s days of these dates.",
        start=format_date(other.start_date, "d MMM y"),
        end=format_date(other.end_date, "d MMM y"),
        city=other.city,
        days=OVERLAP_DAYS,
    )
    return f"{other.code} {details}" if with_code else details


@dataclass(frozen=True)
class TrainerClash:
    """A trainer of a session who also teaches another one on some of the same days."""

    trainer: User
    other: TrainingSession


def find_trainer_clashes(
    trainers: Iterable[User], start_date: date, end_date: date, exclude_id: int | None = None
) -> list[TrainerClash]:
    """Return, for each trainer, their other sessions (not cancelled) sharing a day with these."""
    ids = {trainer.id: trainer for trainer in trainers}
    if not ids:
        return []
    links = training_session_trainers.c
    statement = (
        select(links.user_id, TrainingSession)
        .join(TrainingSession, TrainingSession.id == links.training_session_id)
        .where(
            links.user_id.in_(ids),
            TrainingSession.status != SessionStatus.CANCELLED,
            TrainingSession.start_date <= end_date,
            TrainingSession.end_date >= start_date,
        )
        .order_by(TrainingSession.start_date, TrainingSession.code)
    )
    if exclude_id is not None:
        statement = statement.where(TrainingSession.id != exclude_id)
    return [TrainerClash(ids[user_id], other) for user_id, other in db.session.execute(statement)]


def trainer_clashes_for(training_session: TrainingSession) -> list[TrainerClash]:
    """Return where this session's trainers are also booked (none for a cancelled session)."""
    if training_session.is_cancelled:
        return []
    return find_trainer_clashes(
        training_session.trainers,
        training_session.start_date,
        training_session.end_date,
        exclude_id=training_session.id,
    )


def trainer_clash_message(clash: TrainerClash) -> str:
    """Say which trainer is booked twice, where and when."""
    return _(
        "%(trainer)s also teaches %(code)s from %(start)s to %(end)s in %(city)s.",
        trainer=clash.trainer.name,
        code=clash.other.code,
        start=format_date(clash.other.start_date, "d MMM y"),
        end=format_date(clash.other.end_date, "d MMM y"),
        city=clash.other.city,
    )


# --- Plausible dates and codes -----------------------------------------------------------------


def latest_session_day(today: date | None = None) -> date:
    """Return the last day a session may fall on: ten years from today (in UTC by default)."""
    today = today or clock.today_in("UTC")
    try:
        return today.replace(year=today.year + PLANNING_YEARS)
    except ValueError:  # 29 February
        return today.replace(year=today.year + PLANNING_YEARS, day=28)


def session_date_errors(
    start_date: date | None, end_date: date | None, today: date | None = None
) -> dict[str, str]:
    """Return a message by field for dates outside the plausible window or a too-long session."""
    latest = latest_session_day(today)
    window = _(
        "Give a date between %(earliest)s and %(latest)s.",
        earliest=format_date(EARLIEST_SESSION_DAY, "d MMMM y"),
        latest=format_date(latest, "d MMMM y"),
    )
    errors = {
        field_name: window
        for field_name, day in (("start_date", start_date), ("end_date", end_date))
        if day is not None and not EARLIEST_SESSION_DAY <= day <= latest
    }
    if not errors and start_date and end_date and end_date >= start_date:
        days = (end_date - start_date).days + 1
        if days > MAX_SESSION_DAYS:
            errors["end_date"] = _(
                "A session lasts at most %(max)d days; this one lasts %(days)d.",
                max=MAX_SESSION_DAYS,
                days=days,
            )
    return errors


def is_session_code(code: str) -> bool:
    """Return whether a session code uses only ASCII letters, digits and single hyphens."""
    return SESSION_CODE.fullmatch(code or "") is not None


def session_code_message() -> str:
    """Return the message for a session code outside the safe character set."""
    return _("Use only letters, digits and hyphens in a session code, such as CYB-2019-KE-01.")


# --- Creating and editing --------------------------------------------------------------------


def _validate_details(course: Course, details: SessionDetails) -> dict[str, list[str]]:
    """Check every field rule and return the messages by field name."""
    errors: dict[str, list[str]] = defaultdict(list)
    if not is_country(details.host_country):
        errors["host_country"].append(_("Choose the host country."))
    if not (details.city or "").strip():
        errors["city"].append(_("Give the city."))
    if details.start_date is None:
        errors["start_date"].append(_("Give the first day."))
    if details.end_date is None:
        errors["end_date"].append(_("Give the last day."))
    elif details.start_date and details.end_date < details.start_date:
        errors["end_date"].append(_("The last day cannot be before the first day."))
    # "Ten years from today" counts from today where the session is held.
    today = clock.today_in(details.timezone or default_timezone(details.host_country))
    dates = session_date_errors(details.start_date, details.end_date, today)
    for field_name, message in dates.items():
        errors[field_name].append(message)
    if details.capacity is None or details.capacity < 1:
        errors["capacity"].append(_("Capacity must be at least 1."))
    if details.country_quota is not None:
        if details.country_quota < 1:
            errors["country_quota"].append(_("A country quota must be at least 1."))
        elif details.capacity is not None and details.country_quota > details.capacity:
            errors["country_quota"].append(
                _(
                    "The country quota cannot be above the capacity (%(capacity)s).",
                    capacity=details.capacity,
                )
            )
    if (
        details.enrolment_deadline is not None
        and details.start_date is not None
        and details.enrolment_deadline > details.start_date
    ):
        errors["enrolment_deadline"].append(
            _("The enrolment deadline cannot be after the first day.")
        )
    if course.languages and details.language not in course.languages:
        errors["language"].append(
            _("This course is delivered in: %(languages)s.", languages=", ".join(course.languages))
        )
    if details.timezone and details.timezone not in timezone_names():
        errors["timezone"].append(_("Choose a time zone from the list."))
    if details.legal_tradition and details.legal_tradition not in set(LegalTradition):
        errors["legal_tradition"].append(_("Choose a legal tradition from the list."))
    if not details.trainers:
        errors["trainers"].append(_("Choose at least one trainer."))
    for trainer in details.trainers:
        if not trainer.has_role(RoleCode.TRAINER):
            errors["trainers"].append(
                _("%(name)s does not hold the trainer role.", name=trainer.name)
            )
    return errors


def resolve_partners(
    partners: list[PartnerOrganisation], new_names: str
) -> list[PartnerOrganisation]:
    """Return the chosen partners plus those typed by name, creating the unknown ones."""
    chosen = {partner.id: partner for partner in partners}
    for raw in (new_names or "").split(","):
        name = " ".join(raw.split())[:200]
        if not name:
            continue
        partner = db.session.scalar(
            select(PartnerOrganisation).where(func.lower(PartnerOrganisation.name) == name.lower())
        )
        if partner is None:
            partner = PartnerOrganisation(name=name)
            db.session.add(partner)
            db.session.flush()
        chosen[partner.id] = partner
    return sorted(chosen.values(), key=lambda partner: partner.name.casefold())


def _apply_details(training_session: TrainingSession, details: SessionDetails) -> None:
    """Copy validated details onto the session, filling defaults from the country."""
    training_session.host_country = details.host_country
    training_session.city = details.city.strip()
    training_session.venue = (details.venue or "").strip()
    training_session.start_date = details.start_date
    training_session.end_date = details.end_date
    training_session.timezone = details.timezone or default_timezone(details.host_country)
    training_session.language = details.language
    training_session.capacity = details.capacity
    training_session.country_quota = details.country_quota
    training_session.enrolment_deadline = details.enrolment_deadline
    training_session.legal_tradition = details.legal_tradition or default_legal_tradition(
        details.host_country
    )
    training_session.notes = details.notes or ""
    training_session.trainers = list(details.trainers)
    training_session.partners = resolve_partners(details.partners, details.new_partner_names)


def create_training_session(
    course: Course, details: SessionDetails, actor: User
) -> TrainingSession:
    """Plan a new draft session of the course's current version, with a fresh code."""
    errors = _validate_details(course, details)
    if course.retired:
        errors["course"].append(_("This course is retired; new sessions cannot be planned."))
    if course.current_version is None or not course.current_version.modules:
        errors["course"].append(_("This course has no modules to teach yet."))
    code = (
        None if errors else next_session_code(course, details.start_date.year, details.host_country)
    )
    if code is not None and not is_session_code(code):
        errors["course"].append(session_code_message())
    if errors:
        raise SchedulingError(errors=errors)
    training_session = TrainingSession(
        code=code,
        course=course,
        course_version=course.current_version,
        status=SessionStatus.DRAFT,
        created_by=actor,
    )
    _apply_details(training_session, details)
    db.session.add(training_session)
    db.session.flush()
    return training_session


def duplicate_training_session(
    source: TrainingSession, start_date: date, actor: User
) -> TrainingSession:
    """Plan a draft copy of a session on new dates: its place, team, partners and agenda pattern.

    The copy teaches the course's current version; each agenda item moves by the same number
    of days and keeps its module when the current version still has it (matched by slug).
    """
    shift = start_date - source.start_date
    deadline = source.enrolment_deadline + shift if source.enrolment_deadline else None
    details = SessionDetails(
        host_country=source.host_country,
        city=source.city,
        venue=source.venue,
        start_date=start_date,
        end_date=source.end_date + shift,
        timezone=source.timezone,
        language=source.language,
        capacity=source.capacity,
        country_quota=source.country_quota,
        enrolment_deadline=deadline,
        legal_tradition=source.legal_tradition,
        notes=source.notes,
        trainers=list(source.trainers),
        partners=list(source.partners),
    )
    copy = create_training_session(source.course, details, actor)
    modules = {module.slug: module for module in copy.course_version.modules}
    rows = [
        AgendaRow(item.day + shift, modules[item.course_module.slug].id, item.hours)
        for item in source.agenda_items
        if item.course_module.slug in modules
    ]
    if rows:
        set_agenda(copy, rows)
    return copy


def plan_training_session(
    course: Course, details: SessionDetails, actor: User, fill_agenda: bool = False
) -> TrainingSession:
    """Plan a draft session and, if asked, lay the course's modules over its days."""
    training_session = create_training_session(course, details, actor)
    if fill_agenda:
        set_agenda(training_session, suggest_agenda(training_session))
    return training_session


def update_training_session(
    training_session: TrainingSession, details: SessionDetails, actor: User
) -> TrainingSession:
    """Change a session's details; the agenda moves with the first day and must still fit."""
    errors = _validate_details(training_session.course, details)
    if training_session.is_closed:
        errors[""].append(_("A completed or cancelled session can no longer be changed."))
    shift = (details.start_date - training_session.start_date) if not errors else None
    if shift is not None:
        late = [
            item.day + shift
            for item in training_session.agenda_items
            if item.day + shift > details.end_date
        ]
        if late:
            errors["end_date"].append(
                _(
                    "The agenda has modules on %(day)s, after this last day; move them first.",
                    day=format_date(min(late), "d MMM y"),
                )
            )
    if errors:
        raise SchedulingError(errors=errors)
    for item in training_session.agenda_items:
        item.day = item.day + shift
    more_places = _adds_places(training_session, details)
    _apply_details(training_session, details)
    db.session.flush()
    if more_places:
        places_added.send(training_session, actor=actor)
    return training_session


def _adds_places(training_session: TrainingSession, details: SessionDetails) -> bool:
    """Return whether new details raise the capacity or loosen the per-country quota."""
    old_quota, new_quota = training_session.country_quota, details.country_quota
    quota_loosened = old_quota is not None and (new_quota is None or new_quota > old_quota)
    return (details.capacity or 0) > training_session.capacity or quota_loosened


# --- Agenda ----------------------------------------------------------------------------------


def set_agenda(training_session: TrainingSession, rows: list[AgendaRow]) -> list[AgendaItem]:
    """Replace the agenda; rows without a module are skipped, hours default to the module's."""
    modules = {module.id: module for module in training_session.course_version.modules}
    days = set(training_session.days)
    errors: dict[str, list[str]] = defaultdict(list)
    placed: list[tuple[int, date, CourseModule, Decimal]] = []
    for index, row in enumerate(rows):
        if row.course_module_id is None:
            continue
        module = modules.get(row.course_module_id)
        if module is None:
            errors[f"agenda-{index}-course_module_id"].append(
                _("Choose a module of this session's course version.")
            )
        if row.day is None or row.day not in days:
            errors[f"agenda-{index}-day"].append(_("Choose a day inside the session."))
        try:
            hours = module.hours if row.hours is None and module else Decimal(row.hours or 0)
        except InvalidOperation:
            hours = Decimal(0)
        if hours <= 0 or hours > HOURS_PER_DAY:
            errors[f"agenda-{index}-hours"].append(
                _("Hours must be above 0 and at most %(max)s.", max=HOURS_PER_DAY)
            )
        if module is not None and row.day in days and 0 < hours <= HOURS_PER_DAY:
            placed.append((index, row.day, module, hours))
    totals: dict[date, Decimal] = defaultdict(Decimal)
    last_index: dict[date, int] = {}
    for index, day, _module, hours in placed:
        totals[day] += hours
        last_index[day] = index
    for day, total in totals.items():
        if total > HOURS_PER_DAY:
            errors[f"agenda-{last_index[day]}-hours"].append(
                _(
                    "%(day)s would hold %(total)s hours; a day holds at most %(max)s.",
                    day=format_date(day, "EEE d MMM"),
                    total=total.normalize(),
                    max=HOURS_PER_DAY,
                )
            )
    if errors:
        raise SchedulingError(errors=errors)
    training_session.agenda_items.clear()
    db.session.flush()
    positions: dict[date, int] = defaultdict(int)
    items = []
    for _index, day, module, hours in sorted(placed, key=lambda entry: (entry[1], entry[0])):
        item = AgendaItem(day=day, position=positions[day], course_module=module, hours=hours)
        positions[day] += 1
        training_session.agenda_items.append(item)
        items.append(item)
    db.session.flush()
    return items


MIN_SPLIT_HOURS = Decimal(1)


def suggest_agenda(training_session: TrainingSession) -> list[AgendaRow]:
    """Lay the modules that fit the session's tradition over its days, 8 hours a day at most.

    A module that does not fit the rest of a day continues the next morning, unless less than
    an hour is left that day (then it starts the next day), so a five-day course of 39 hours
    fits five days. Modules left over when the days run out are not placed.
    """
    days = training_session.days
    rows: list[AgendaRow] = []
    day_index, used = 0, Decimal(0)
    version = training_session.course_version
    for module in version.delivered_modules(training_session.legal_tradition):
        left = Decimal(module.hours)
        while left > 0 and day_index < len(days):
            room = HOURS_PER_DAY - used
            if room < min(left, MIN_SPLIT_HOURS):
                day_index, used = day_index + 1, Decimal(0)
                continue
            chunk = min(left, room)
            rows.append(AgendaRow(days[day_index], module.id, chunk))
            used += chunk
            left -= chunk
    return rows


def agenda_rows(training_session: TrainingSession, suggest: bool = False) -> list[AgendaRow]:
    """Return the rows the agenda editor starts from: the saved agenda, or a suggested one."""
    if suggest:
        return suggest_agenda(training_session)
    return [
        AgendaRow(item.day, item.course_module_id, item.hours)
        for item in training_session.agenda_items
    ]


def module_flags(training_session: TrainingSession) -> dict[int, str | None]:
    """Return, for each module of the session's version, why it does not fit (None if it does)."""
    return {
        module.id: module_tradition_flag(module, training_session.legal_tradition)
        for module in training_session.course_version.modules
    }


def agenda_by_day(
    training_session: TrainingSession,
) -> list[tuple[date, list[AgendaItem], Decimal]]:
    """Return each day of the session with its agenda items and total hours."""
    by_day: dict[date, list[AgendaItem]] = defaultdict(list)
    for item in training_session.agenda_items:
        by_day[item.day].append(item)
    return [
        (day, by_day[day], sum((item.hours for item in by_day[day]), Decimal(0)))
        for day in training_session.days
    ]


def modules_not_on_agenda(
    training_session: TrainingSession, placed_ids: Iterable[int | None] | None = None
) -> list[CourseModule]:
    """Return the version's modules that fit the session's tradition but are not placed.

    `placed_ids` are the modules on an agenda being edited (the saved agenda's by default).
    A module whose alternative is on the agenda is not missing: the session teaches one of them.
    """
    modules = training_session.course_version.modules
    if placed_ids is None:
        placed_ids = (item.course_module_id for item in training_session.agenda_items)
    placed = set(placed_ids)
    groups = {module.alternative_group for module in modules if module.id in placed}
    return [
        module
        for module in modules
        if module.id not in placed
        and module.applies_to(training_session.legal_tradition)
        and (module.alternative_group is None or module.alternative_group not in groups)
    ]


# --- Status ----------------------------------------------------------------------------------


def allowed_transitions(status: str) -> list[str]:
    """Return the statuses a session may move to from this one, in life-cycle order."""
    allowed = TRANSITIONS.get(status, frozenset())
    return [value.value for value in SessionStatus if value in allowed]


def next_steps(training_session: TrainingSession) -> list[str]:
    """Return the statuses the session may move to other than cancelled (which needs a reason)."""
    return [
        status
        for status in allowed_transitions(training_session.status)
        if status != SessionStatus.CANCELLED
    ]


def can_cancel(training_session: TrainingSession) -> bool:
    """Return whether the session may still be called off."""
    return SessionStatus.CANCELLED in TRANSITIONS.get(training_session.status, frozenset())


def check_transition(training_session: TrainingSession, new_status: str) -> None:
    """Raise SchedulingError unless the session may move to the new status."""
    if new_status not in set(SessionStatus):
        raise SchedulingError(_("Unknown status “%(status)s”.", status=new_status), "new_status")
    if new_status not in TRANSITIONS.get(training_session.status, frozenset()):
        raise SchedulingError(
            _(
                "A session that is %(current)s cannot become %(new)s.",
                current=training_session.status.replace("_", " "),
                new=new_status.replace("_", " "),
            ),
            "new_status",
        )
    if new_status == SessionStatus.COMPLETED and not last_day_reached(training_session):
        raise SchedulingError(
            _(
                "%(code)s cannot be completed before its last day, %(day)s.",
                code=training_session.code,
                day=format_date(training_session.end_date, "d MMMM y"),
            ),
            "new_status",
        )


def last_day_reached(training_session: TrainingSession) -> bool:
    """Return whether the session's last day has begun where it is held."""
    return clock.today_in(training_session.timezone) >= training_session.end_date


def change_status(
    training_session: TrainingSession, new_status: str, actor: User, reason: str | None = None
) -> TrainingSession:
    """Move the session along its life cycle; cancelling needs a reason."""
    check_transition(training_session, new_status)
    if new_status == SessionStatus.CANCELLED:
        reason = (reason or "").strip()
        if not reason:
            raise SchedulingError(_("Say why the session is cancelled."), "reason")
        training_session.cancellation_reason = reason
    training_session.status = new_status
    db.session.flush()
    return training_session


# --- Personal calendar feeds -----------------------------------------------------------------


def _feed_hash(raw: str) -> str:
    return hashlib.sha256(raw.encode()).hexdigest()


def issue_calendar_feed(user: User) -> str:
    """Give the user a new secret feed address, revoking the old one; return the secret once."""
    revoke_calendar_feed(user)
    raw = secrets.token_urlsafe(32)
    db.session.add(CalendarFeed(user_id=user.id, token_hash=_feed_hash(raw)))
    db.session.flush()
    return raw


def revoke_calendar_feed(user: User) -> bool:
    """Stop the user's feed address from working; return whether there was one."""
    feed = db.session.scalar(select(CalendarFeed).where(CalendarFeed.user_id == user.id))
    if feed is None:
        return False
    db.session.delete(feed)
    db.session.flush()
    return True


def has_calendar_feed(user: User) -> bool:
    """Return whether the user has a feed address that works."""
    return (
        db.session.scalar(select(CalendarFeed.id).where(CalendarFeed.user_id == user.id))
        is not None
    )


def calendar_feed_owner(raw: str) -> User | None:
    """Return the active user whose feed address holds this secret, or None."""
    feed = db.session.scalar(select(CalendarFeed).where(CalendarFeed.token_hash == _feed_hash(raw)))
    if feed is None or not feed.user.active:
        return None
    return feed.user
