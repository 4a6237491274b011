"""Taking the roll: loading a day in constant queries, marking people, and session statistics."""

from __future__ import annotations

import uuid
from collections import Counter, defaultdict
from dataclasses import dataclass, field
from datetime import UTC, date, datetime
from typing import TYPE_CHECKING

from flask_babel import gettext as _
from sqlalchemy import func, select

from app.attendance.models import AttendanceMark, AttendanceRecord, AttendanceStatus
from app.audit import services as audit
from app.enrolment.models import Enrolment, EnrolmentStatus, Participant
from app.enrolment.names import fold_name
from app.extensions import db
from app.scheduling.models import SessionStatus
from app.shared import clock
from app.shared.models import utcnow
from app.shared.unit_of_work import DomainError

if TYPE_CHECKING:
    from app.accounts.models import User
    from app.scheduling.models import TrainingSession

STATUSES: tuple[str, ...] = tuple(status.value for status in AttendanceStatus)
# A phone offline for a whole session of 60 people holds a few hundred taps at most.
MAX_BATCH = 500
ATTENDED = frozenset({AttendanceStatus.PRESENT, AttendanceStatus.LATE})


class AttendanceError(DomainError):
    """A roll-call rule was broken; the message is shown to the trainer."""


@dataclass
class RollCallRow:
    """One participant's line on the roll call or the sign-in sheet (plain data, no ORM)."""

    enrolment_id: int
    participant_id: int
    full_name: str
    latin_name: str | None
    email: str | None
    country_code: str
    organisation: str
    status: str | None = None

    @property
    def sort_key(self) -> tuple[str, str]:
        """Order by the Latin name when there is one, so the list reads the same on paper."""
        return ((self.latin_name or self.full_name).casefold(), self.full_name.casefold())


@dataclass
class DayCounts:
    """How many people are present, late, excused, absent and not yet marked on one day."""

    day: date
    enrolled: int
    by_status: Counter = field(default_factory=Counter)

    @property
    def marked(self) -> int:
        """Return how many people have a record for the day."""
        return sum(self.by_status[status] for status in STATUSES)

    @property
    def unmarked(self) -> int:
        """Return how many people have no record yet."""
        return max(self.enrolled - self.marked, 0)

    @property
    def attended(self) -> int:
        """Return how many were present or late."""
        return self.by_status[AttendanceStatus.PRESENT] + self.by_status[AttendanceStatus.LATE]

    def as_json(self) -> dict[str, int]:
        """Return the counts the roll-call page's script shows, by status and not yet marked."""
        by_status = {status: self.by_status[status] for status in STATUSES}
        return {**by_status, "unmarked": self.unmarked}

    @property
    def rate(self) -> float | None:
        """Return the share present or late, excused people left out; None before the roll."""
        expected = self.enrolled - self.by_status[AttendanceStatus.EXCUSED]
        if not self.marked or expected <= 0:
            return None
        return self.attended / expected


@dataclass
class CountryCounts:
    """Participants from one country of service and their attendance over the recorded days."""

    country_code: str
    participants: int = 0
    attended: int = 0
    expected: int = 0

    @property
    def rate(self) -> float | None:
        """Return the share of expected person-days attended, or None before any roll."""
        return self.attended / self.expected if self.expected else None


@dataclass
class SessionAttendance:
    """Attendance of a whole session by day and by country of service."""

    days: list[DayCounts]
    countries: list[CountryCounts]
    enrolled: int

    @property
    def recorded_days(self) -> int:
        """Return on how many days the roll was taken."""
        return sum(1 for day in self.days if day.marked)

    @property
    def rate(self) -> float | None:
        """Return the share of expected person-days attended over all recorded days."""
        expected = sum(country.expected for country in self.countries)
        attended = sum(country.attended for country in self.countries)
        return attended / expected if expected else None


def parse_day(training_session: TrainingSession, value: str) -> date | None:
    """Return the session day written as YYYY-MM-DD, or None if it is not a day of the session."""
    try:
        day = date.fromisoformat(value)
    except ValueError:
        return None
    if not training_session.start_date <= day <= training_session.end_date:
        return None
    return day


def default_day(training_session: TrainingSession, today: date | None = None) -> date:
    """Return today while the session runs, otherwise its first day."""
    today = today or clock.today_in(training_session.timezone)
    if training_session.start_date <= today <= training_session.end_date:
        return today
    return training_session.start_date


def enrolled_rows(training_session: TrainingSession) -> list[RollCallRow]:
    """Return the enrolled participants as rows, in one query, sorted by name."""
    query = (
        select(
            Enrolment.id,
            Participant.id,
            Participant.full_name,
            Participant.latin_name,
            Participant.email,
            Enrolment.country_code,
            Enrolment.organisation,
        )
        .join(Participant, Enrolment.participant_id == Participant.id)
        .where(
            Enrolment.training_session_id == training_session.id,
            Enrolment.status == EnrolmentStatus.ENROLLED,
        )
    )
    rows = [RollCallRow(*values) for values in db.session.execute(query)]
    rows.sort(key=lambda row: row.sort_key)
    return rows


def roll_call_rows(training_session: TrainingSession, day: date) -> list[RollCallRow]:
    """Return every enrolled participant with their status on the day, in two queries."""
    rows = enrolled_rows(training_session)
    statuses = dict(
        db.session.execute(
            select(AttendanceRecord.enrolment_id, AttendanceRecord.status)
            .join(Enrolment, AttendanceRecord.enrolment_id == Enrolment.id)
            .where(
                Enrolment.training_session_id == training_session.id, AttendanceRecord.day == day
            )
        ).all()
    )
    for row in rows:
        row.status = statuses.get(row.enrolment_id)
    return rows


def search_key(row: RollCallRow) -> str:
    """Return what the roll call's search box matches a row by: its names, folded."""
    return fold_name(" ".join(filter(None, (row.full_name, row.latin_name))))


def count_rows(rows: list[RollCallRow], day: date) -> DayCounts:
    """Count the statuses of a day's rows without another query."""
    return DayCounts(
        day=day, enrolled=len(rows), by_status=Counter(row.status for row in rows if row.status)
    )


def day_counts(training_session: TrainingSession, day: date) -> DayCounts:
    """Count one day's statuses among enrolled participants in one query."""
    enrolled, by_status = _status_counts(training_session, day)
    return DayCounts(day=day, enrolled=enrolled, by_status=by_status.get(day, Counter()))


def _status_counts(
    training_session: TrainingSession, only_day: date | None = None
) -> tuple[int, dict[date, Counter]]:
    query = (
        select(AttendanceRecord.day, AttendanceRecord.status, func.count())
        .join(Enrolment, AttendanceRecord.enrolment_id == Enrolment.id)
        .where(
            Enrolment.training_session_id == training_session.id,
            Enrolment.status == EnrolmentStatus.ENROLLED,
        )
        .group_by(AttendanceRecord.day, AttendanceRecord.status)
    )
    if only_day is not None:
        query = query.where(AttendanceRecord.day == only_day)
    by_day: dict[date, Counter] = defaultdict(Counter)
    for day, status, count in db.session.execute(query):
        by_day[day][status] = count
    enrolled = db.session.scalar(
        select(func.count())
        .select_from(Enrolment)
        .where(
            Enrolment.training_session_id == training_session.id,
            Enrolment.status == EnrolmentStatus.ENROLLED,
        )
    )
    return enrolled or 0, by_day


def _enrolment_for(training_session: TrainingSession, enrolment_id: int) -> Enrolment:
    enrolment = db.session.get(Enrolment, enrolment_id)
    if enrolment is None or enrolment.training_session_id != training_session.id:
        raise AttendanceError(_("This person is not in this session."))
    if enrolment.status != EnrolmentStatus.ENROLLED:
        raise AttendanceError(_("Only enrolled participants are on the roll."))
    return enrolment


def roll_is_editable(training_session: TrainingSession) -> bool:
    """Return whether the roll may be taken: not for a draft, nor for a cancelled session."""
    return training_session.status not in (SessionStatus.DRAFT, SessionStatus.CANCELLED)


def check_can_take_roll(training_session: TrainingSession) -> None:
    """Refuse roll calls for sessions that are drafts or were cancelled."""
    if not roll_is_editable(training_session):
        raise AttendanceError(_("The roll cannot be taken for a draft or cancelled session."))


def day_not_started(training_session: TrainingSession, day: date) -> str | None:
    """Return why the day cannot be marked yet (it has not begun where the session is held)."""
    if day <= clock.today_in(training_session.timezone):
        return None
    return _(
        "%(day)s has not started yet in %(zone)s; its roll is taken on the day.",
        day=day.isoformat(),
        zone=training_session.timezone,
    )


def _check_day(training_session: TrainingSession, day: date) -> None:
    if day not in training_session.days:
        raise AttendanceError(_("That day is not part of the session."))
    reason = day_not_started(training_session, day)
    if reason:
        raise AttendanceError(reason)


def _check_status(status: str) -> str:
    if status not in STATUSES:
        raise AttendanceError(_("Unknown attendance status: %(status)s.", status=status))
    return status


def mark(
    training_session: TrainingSession, enrolment_id: int, day: date, status: str, actor: User
) -> AttendanceRecord:
    """Record one person's status on one day, replacing any earlier record."""
    check_can_take_roll(training_session)
    _check_status(status)
    _check_day(training_session, day)
    enrolment = _enrolment_for(training_session, enrolment_id)
    record = db.session.scalar(
        select(AttendanceRecord).where(
            AttendanceRecord.enrolment_id == enrolment.id, AttendanceRecord.day == day
        )
    )
    if record is None:
        record = AttendanceRecord(enrolment_id=enrolment.id, day=day, status=status)
        db.session.add(record)
    if record.status != status or record.recorded_by_id is None:
        record.status = status
        record.recorded_by_id = actor.id
        record.recorded_at = utcnow()
    db.session.flush()
    recompute_if_completed(training_session)
    return record


def mark_all(
    training_session: TrainingSession,
    day: date,
    actor: User,
    status: str = AttendanceStatus.PRESENT,
    overwrite: bool = False,
) -> int:
    """Give everyone unmarked (or everyone, with overwrite) the status; return how many changed."""
    check_can_take_roll(training_session)
    _check_status(status)
    _check_day(training_session, day)
    rows = roll_call_rows(training_session, day)
    existing = {
        record.enrolment_id: record
        for record in db.session.scalars(
            select(AttendanceRecord)
            .join(Enrolment, AttendanceRecord.enrolment_id == Enrolment.id)
            .where(
                Enrolment.training_session_id == training_session.id,
                AttendanceRecord.day == day,
            )
        )
    }
    changed = 0
    now = utcnow()
    for row in rows:
        record = existing.get(row.enrolment_id)
        if record is None:
            db.session.add(
                AttendanceRecord(
                    enrolment_id=row.enrolment_id,
                    day=day,
                    status=status,
                    recorded_by_id=actor.id,
                    recorded_at=now,
                )
            )
            changed += 1
        elif overwrite and record.status != status:
            record.status = status
            record.recorded_by_id = actor.id
            record.recorded_at = now
            changed += 1
    db.session.flush()
    recompute_if_completed(training_session)
    return changed


@dataclass
class MarkBatch:
    """What became of the taps a phone sent: kept (now or before) or refused, by mark id."""

    saved: list[str] = field(default_factory=list)
    refused: dict[str, str] = field(default_factory=dict)
    # Kept, but another tap on the same person and day was made later and stands.
    superseded: list[str] = field(default_factory=list)


@dataclass(frozen=True)
class _Tap:
    mark_id: str
    enrolment_id: int
    day: date
    status: str
    marked_at: datetime


def _parse_tap(raw: object) -> _Tap:
    if not isinstance(raw, dict):
        raise AttendanceError(_("A mark must be an object."))
    try:
        mark_id = str(uuid.UUID(str(raw.get("mark_id", ""))))
        enrolment_id = int(raw["enrolment_id"])
        day = date.fromisoformat(str(raw["day"]))
        marked_at = datetime.fromisoformat(str(raw["marked_at"]))
    except (KeyError, TypeError, ValueError) as exc:
        raise AttendanceError(_("This mark is incomplete or malformed.")) from exc
    if marked_at.tzinfo is None:
        marked_at = marked_at.replace(tzinfo=UTC)
    # A phone whose clock runs fast must not win over every tap made after it.
    marked_at = min(marked_at.astimezone(UTC), utcnow())
    return _Tap(mark_id, enrolment_id, day, _check_status(str(raw.get("status", ""))), marked_at)


def _mark_key(raw: object) -> str:
    value = raw.get("mark_id") if isinstance(raw, dict) else None
    return str(value)[:36] if value else ""


def record_marks(training_session: TrainingSession, marks: list, actor: User) -> MarkBatch:
    """Keep taps made offline, each once by its id; on one person's day the latest tap stands.

    Every tap is kept in the audit trail, the ones a later tap overrode as well, so two
    trainers who marked the same person differently can both be seen.
    """
    check_can_take_roll(training_session)
    if len(marks) > MAX_BATCH:
        raise AttendanceError(_("Send at most %(n)d marks at once.", n=MAX_BATCH))
    batch = MarkBatch()
    taps: list[_Tap] = []
    for raw in marks:
        try:
            tap = _parse_tap(raw)
            _check_day(training_session, tap.day)
            _enrolment_for(training_session, tap.enrolment_id)
        except AttendanceError as exc:
            if key := _mark_key(raw):
                batch.refused[key] = str(exc)
            continue
        taps.append(tap)
    ids = {tap.mark_id for tap in taps}
    seen = set(
        db.session.scalars(select(AttendanceMark.mark_id).where(AttendanceMark.mark_id.in_(ids)))
    )
    for tap in sorted(taps, key=lambda t: t.marked_at):
        batch.saved.append(tap.mark_id)
        if tap.mark_id in seen:
            continue
        seen.add(tap.mark_id)
        if not _apply_tap(tap, actor):
            batch.superseded.append(tap.mark_id)
    db.session.flush()
    recompute_if_completed(training_session)
    return batch


def _apply_tap(tap: _Tap, actor: User) -> bool:
    """Store the tap and return whether its status now stands."""
    record = db.session.scalar(
        select(AttendanceRecord).where(
            AttendanceRecord.enrolment_id == tap.enrolment_id, AttendanceRecord.day == tap.day
        )
    )
    previous = record.status if record is not None else None
    if record is None:
        record = AttendanceRecord(enrolment_id=tap.enrolment_id, day=tap.day, status=tap.status)
        db.session.add(record)
    stands = previous is None or tap.marked_at >= record.recorded_at
    if stands:
        record.status = tap.status
        record.recorded_by_id = actor.id
        record.recorded_at = tap.marked_at
    db.session.flush()
    db.session.add(
        AttendanceMark(
            mark_id=tap.mark_id,
            attendance_record_id=record.id,
            status=tap.status,
            marked_at=tap.marked_at,
            recorded_by_id=actor.id,
        )
    )
    audit.record(
        "attendance.marked",
        actor=actor,
        target=record,
        details={
            "mark_id": tap.mark_id,
            "day": tap.day.isoformat(),
            "status": tap.status,
            "previous": previous,
            "marked_at": tap.marked_at.isoformat(),
            "stands": stands,
        },
    )
    return stands


def recompute_if_completed(training_session: TrainingSession) -> None:
    """Keep completion decisions in step when the roll is corrected after completion."""
    # Imported past sessions keep the decisions of their spreadsheet, not of a partial roll.
    if training_session.status == SessionStatus.COMPLETED and not training_session.imported:
        from app.attendance.completion import recompute_completion

        recompute_completion(training_session)


def session_attendance(training_session: TrainingSession) -> SessionAttendance:
    """Return attendance by day and by country of service, in two queries."""
    enrolments = db.session.execute(
        select(Enrolment.id, Enrolment.country_code).where(
            Enrolment.training_session_id == training_session.id,
            Enrolment.status == EnrolmentStatus.ENROLLED,
        )
    ).all()
    country_of = dict(enrolments)
    records = db.session.execute(
        select(AttendanceRecord.enrolment_id, AttendanceRecord.day, AttendanceRecord.status)
        .join(Enrolment, AttendanceRecord.enrolment_id == Enrolment.id)
        .where(
            Enrolment.training_session_id == training_session.id,
            Enrolment.status == EnrolmentStatus.ENROLLED,
        )
    ).all()
    session_days = set(training_session.days)
    by_day: dict[date, Counter] = defaultdict(Counter)
    status_of: dict[tuple[int, date], str] = {}
    for enrolment_id, day, status in records:
        if day in session_days:
            by_day[day][status] += 1
            status_of[(enrolment_id, day)] = status
    days = [
        DayCounts(day=day, enrolled=len(enrolments), by_status=by_day.get(day, Counter()))
        for day in training_session.days
    ]
    recorded = [day.day for day in days if day.marked]
    countries: dict[str, CountryCounts] = {}
    for enrolment_id, country_code in country_of.items():
        country = countries.setdefault(country_code, CountryCounts(country_code))
        country.participants += 1
        for day in recorded:
            # A missing record on a day the roll was taken counts as absent.
            status = status_of.get((enrolment_id, day), AttendanceStatus.ABSENT)
            if status == AttendanceStatus.EXCUSED:
                continue
            country.expected += 1
            country.attended += status in ATTENDED
    ordered = sorted(countries.values(), key=lambda c: (-c.participants, c.country_code))
    return SessionAttendance(days=days, countries=ordered, enrolled=len(enrolments))


@dataclass
class GridRow:
    """One participant's statuses across the session's days, for the summary page."""

    row: RollCallRow
    statuses: list[str | None]
    completed: bool | None
    completion_rate: float | None
    overridden: bool


def participant_grid(training_session: TrainingSession) -> list[GridRow]:
    """Return every enrolled participant with a status per day, in two queries."""
    people = enrolled_rows(training_session)
    decisions = {
        enrolment_id: (completed, rate, reason is not None)
        for enrolment_id, completed, rate, reason in db.session.execute(
            select(
                Enrolment.id,
                Enrolment.completed,
                Enrolment.completion_rate,
                Enrolment.completion_override_reason,
            ).where(
                Enrolment.training_session_id == training_session.id,
                Enrolment.status == EnrolmentStatus.ENROLLED,
            )
        )
    }
    status_of = {
        (enrolment_id, day): status
        for enrolment_id, day, status in db.session.execute(
            select(AttendanceRecord.enrolment_id, AttendanceRecord.day, AttendanceRecord.status)
            .join(Enrolment, AttendanceRecord.enrolment_id == Enrolment.id)
            .where(Enrolment.training_session_id == training_session.id)
        )
    }
    days = training_session.days
    grid = []
    for person in people:
        completed, rate, overridden = decisions.get(person.enrolment_id, (None, None, False))
        grid.append(
            GridRow(
                row=person,
                statuses=[status_of.get((person.enrolment_id, day)) for day in days],
                completed=completed,
                completion_rate=rate,
                overridden=overridden,
            )
        )
    return grid
